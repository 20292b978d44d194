//! Relationship definitions (registry) and declarations (instances in a design), v1beta2 shape,
//! kept as their JSON objects with typed read-only views.

use crate::values::{field, get_nested, Path};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::sync::Arc;

/// A relationship definition or declaration. The wrapped value is always a JSON object, shared:
/// the design, the actions and the trace of an evaluation hold one allocation, copied only when
/// one of them changes it (`value_mut`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Relationship(pub Arc<Value>);

/// The statuses the engine reads and writes (others, such as `enabled`, pass through).
pub struct Status;

impl Status {
    pub const IDENTIFIED: &'static str = "identified";
    pub const APPROVED: &'static str = "approved";
    pub const DELETED: &'static str = "deleted";
    pub const PENDING: &'static str = "pending";
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    field(value, key).and_then(Value::as_str).unwrap_or("")
}

impl Relationship {
    /// Wraps a JSON object.
    pub fn from_value(value: Value) -> Self {
        Relationship(Arc::new(value))
    }

    /// The JSON object, to change: copied first if anything else shares it.
    pub fn value_mut(&mut self) -> &mut Value {
        Arc::make_mut(&mut self.0)
    }

    /// The JSON object, copied only if something else shares it.
    pub fn into_value(self) -> Value {
        Arc::unwrap_or_clone(self.0)
    }

    pub fn id(&self) -> &str {
        text(&self.0, "id")
    }
    pub fn kind(&self) -> &str {
        text(&self.0, "kind")
    }
    /// The JSON `type` field (`binding`, `non-binding`, `parent`, `sibling`, …).
    pub fn rel_type(&self) -> &str {
        text(&self.0, "type")
    }
    pub fn sub_type(&self) -> &str {
        text(&self.0, "subType")
    }
    pub fn status(&self) -> &str {
        text(&self.0, "status")
    }
    /// `model.name` of the definition.
    pub fn model_name(&self) -> &str {
        get_nested(&self.0, &["model", "name"]).and_then(Value::as_str).unwrap_or("")
    }

    /// True when kind, type and subType equal the given ones, ignoring case.
    pub fn is(&self, kind: &str, rel_type: &str, sub_type: Option<&str>) -> bool {
        self.kind().eq_ignore_ascii_case(kind)
            && self.rel_type().eq_ignore_ascii_case(rel_type)
            && sub_type.is_none_or(|s| self.sub_type().eq_ignore_ascii_case(s))
    }

    /// The preference key `kind-type-subtype`, lower-cased (spec §4.1).
    pub fn layer_key(&self) -> String {
        format!("{}-{}-{}", self.kind(), self.rel_type(), self.sub_type()).to_lowercase()
    }

    /// The selector sets, in order.
    pub fn selectors(&self) -> impl Iterator<Item = SelectorSet<'_>> {
        field(&self.0, "selectors")
            .and_then(Value::as_array)
            .map(|v| v.as_slice())
            .unwrap_or(&[])
            .iter()
            .map(SelectorSet)
    }

    /// The first selector set, if any.
    pub fn first_selector(&self) -> Option<SelectorSet<'_>> {
        self.selectors().next()
    }

    /// Sets a top-level field.
    pub fn set(&mut self, key: &str, value: Value) {
        if let Value::Object(map) = self.value_mut() {
            map.insert(key.to_owned(), value);
        }
    }

    /// A declaration built from this definition: a deep copy with `selectors`, `status` and `id`
    /// replaced (spec §6.7 `buildIdentified`).
    pub fn declare(&self, selectors: Value, status: &str, id: String) -> Relationship {
        let mut map = Map::new();
        let (mut selectors, mut id) = (Some(selectors), Some(id));
        if let Value::Object(definition) = &*self.0 {
            // Field by field, so the definition's own (possibly large) selectors are not copied.
            for (key, value) in definition {
                let value = match key.as_str() {
                    "selectors" => selectors.take().unwrap_or(Value::Null),
                    "status" => Value::String(status.into()),
                    "id" => id.take().map_or(Value::Null, Value::String),
                    _ => value.clone(),
                };
                map.insert(key.clone(), value);
            }
        }
        if let Some(selectors) = selectors {
            map.insert("selectors".into(), selectors);
        }
        map.entry("status").or_insert_with(|| Value::String(status.into()));
        if let Some(id) = id {
            map.insert("id".into(), Value::String(id));
        }
        Relationship::from_value(Value::Object(map))
    }
}

/// A view of one selector set `{allow: {from, to}, deny?: {from, to}}`.
#[derive(Clone, Copy)]
pub struct SelectorSet<'a>(pub &'a Value);

fn items(value: Option<&Value>) -> &[Value] {
    value.and_then(Value::as_array).map(|v| v.as_slice()).unwrap_or(&[])
}

impl<'a> SelectorSet<'a> {
    pub fn allow_from(&self) -> &'a [Value] {
        items(get_nested(self.0, &["allow", "from"]))
    }
    pub fn allow_to(&self) -> &'a [Value] {
        items(get_nested(self.0, &["allow", "to"]))
    }
    pub fn deny_from(&self) -> &'a [Value] {
        items(get_nested(self.0, &["deny", "from"]))
    }
    pub fn deny_to(&self) -> &'a [Value] {
        items(get_nested(self.0, &["deny", "to"]))
    }
    /// True when the set has a deny clause with both lists non-empty.
    pub fn has_deny(&self) -> bool {
        !self.deny_from().is_empty() && !self.deny_to().is_empty()
    }
}

/// A view of one selector item `{id, kind, model, patch, match, matchStrategyMatrix}`.
#[derive(Clone, Copy)]
pub struct SelectorItem<'a>(pub &'a Value);

/// One side of a binding item's `match` (`match.from` or `match.to`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum MatchSide {
    From,
    To,
}

impl<'a> SelectorItem<'a> {
    /// The component id (declarations) or `None` (definitions).
    pub fn id(&self) -> Option<&'a str> {
        field(self.0, "id").and_then(Value::as_str)
    }
    /// The kind pattern; `""` (absent or null) is a wildcard.
    pub fn kind(&self) -> &'a str {
        text(self.0, "kind")
    }
    /// `model.name`, `""` when absent.
    pub fn model_name(&self) -> &'a str {
        get_nested(self.0, &["model", "name"]).and_then(Value::as_str).unwrap_or("")
    }
    pub fn model(&self) -> Option<&'a Value> {
        field(self.0, "model").filter(|v| !v.is_null())
    }
    pub fn patch(&self) -> Option<&'a Value> {
        field(self.0, "patch").filter(|v| !v.is_null())
    }
    /// `patch.mutatorRef` when set (an empty list counts as set).
    pub fn mutator_ref(&self) -> Option<Vec<Path>> {
        self.patch().and_then(|p| paths_of(field(p, "mutatorRef")))
    }
    /// `patch.mutatedRef` when set (an empty list counts as set).
    pub fn mutated_ref(&self) -> Option<Vec<Path>> {
        self.patch().and_then(|p| paths_of(field(p, "mutatedRef")))
    }
    /// `match` when set.
    pub fn matcher(&self) -> Option<&'a Value> {
        field(self.0, "match").filter(|v| !v.is_null())
    }
    /// `match.refs` when set.
    pub fn match_refs(&self) -> Option<Vec<Path>> {
        self.matcher().and_then(|m| paths_of(field(m, "refs")))
    }
    /// The items of `match.from` or `match.to`.
    pub fn match_items(&self, side: MatchSide) -> &'a [Value] {
        let key = match side {
            MatchSide::From => "from",
            MatchSide::To => "to",
        };
        items(self.matcher().and_then(|m| field(m, key)))
    }
    /// Row `i` of the strategy matrix, accepting both `matchStrategyMatrix` and
    /// `match_strategy_matrix`; `None` when the row is absent or null.
    pub fn strategy_row(&self, i: usize) -> Option<Vec<&'a str>> {
        let matrix = field(self.0, "matchStrategyMatrix")
            .filter(|v| !v.is_null())
            .or_else(|| field(self.0, "match_strategy_matrix").filter(|v| !v.is_null()))?;
        let row = matrix.as_array()?.get(i)?.as_array()?;
        Some(row.iter().filter_map(Value::as_str).collect())
    }
}

/// Decodes a list of paths (`[["configuration","a"],…]`); `None` when absent or null.
pub fn paths_of(value: Option<&Value>) -> Option<Vec<Path>> {
    let list = value.filter(|v| !v.is_null())?.as_array()?;
    Some(
        list.iter()
            .map(|path| {
                path.as_array()
                    .map(|segments| segments.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                    .unwrap_or_default()
            })
            .collect(),
    )
}
