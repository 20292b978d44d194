//! The relationship policies, one file each, behind one trait. Each phase of the engine runs the
//! registered policies in Meshery's fixed order (spec §1).

mod alias;
pub mod edge_binding;
mod edge_non_binding;
mod hierarchical_parent_child;
mod hierarchical_wallet;
pub mod inventory;
mod match_labels;
#[cfg(test)]
mod may_update_tests;
#[cfg(feature = "internals")]
mod multihop;
pub mod pairs;
pub mod patch_mutators;
#[cfg(test)]
pub(crate) mod test_designs;

pub use alias::AliasPolicy;
#[cfg(feature = "internals")]
pub use edge_binding::valid_binding;
pub use edge_binding::EdgeBindingPolicy;
pub use edge_non_binding::EdgeNonBindingPolicy;
pub use hierarchical_parent_child::HierarchicalParentChildPolicy;
pub use hierarchical_wallet::HierarchicalWalletPolicy;
pub use match_labels::MatchLabelsPolicy;
#[cfg(feature = "internals")]
pub use multihop::MultihopValidationPolicy;

use crate::context::Context;
use crate::model::{Action, Relationship, SelectorItem, Status};
use crate::values::get_nested;
use serde_json::Value;

/// A relationship a policy found: the selector sets of the declaration, its content-derived id
/// and its initial status. The engine turns it into a declaration (a copy of the definition) only
/// when it is new, so re-finding existing relationships costs no copies.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub selectors: Value,
    pub id: String,
    pub status: &'static str,
}

impl Candidate {
    /// The declaration: the definition with this candidate's selectors, status and id.
    pub fn declare(self, definition: &Relationship) -> Relationship {
        definition.declare(self.selectors, self.status, self.id)
    }
}

/// The selector sets of a declaration, `[{"allow": {"from": from, "to": to}}]`, built from the
/// items themselves (the `json!` macro would serialize each item into a fresh copy).
pub fn allow_selectors(from: Vec<Value>, to: Vec<Value>) -> Value {
    let mut allow = serde_json::Map::new();
    allow.insert("from".into(), Value::Array(from));
    allow.insert("to".into(), Value::Array(to));
    let mut set = serde_json::Map::new();
    set.insert("allow".into(), Value::Object(allow));
    Value::Array(vec![Value::Object(set)])
}

/// One relationship policy (spec §7).
pub trait Policy {
    /// Meshery's identifier string (it appears in logs and in one id seed).
    fn id(&self) -> &'static str;

    /// Whether this policy handles relationships (or definitions) like `relationship`.
    fn is_implicated_by(&self, relationship: &Relationship) -> bool;

    /// Whether an existing relationship is invalid; consulted only when an endpoint is missing.
    fn is_invalid(&self, relationship: &Relationship, context: &Context) -> bool;

    /// The relationships `definition` implies in the design.
    fn identify(&self, definition: &Relationship, context: &Context) -> Vec<Candidate>;

    /// Whether the design already holds `candidate` (spec §6.8 unless a policy says otherwise).
    fn already_exists(&self, definition: &Relationship, candidate: &Candidate, context: &Context) -> bool {
        already_exists(definition, &candidate.selectors, context)
    }

    /// The actions an existing relationship causes (patches, alias components, …).
    fn side_effects(&self, relationship: &Relationship, context: &Context) -> Vec<Action>;

    /// Whether `side_effects` can ever update the component `id` names (`UpdateComponent…`),
    /// whatever the components hold: an edit recomputes, for a component it may patch, only the
    /// relationships that can write to it. True unless a policy knows better.
    fn may_update(&self, _relationship: &Relationship, _id: &str) -> bool {
        true
    }
}

/// The registered policies in Meshery's order: MatchLabels → Alias → EdgeNonBinding →
/// EdgeBinding → HierarchicalParentChild → HierarchicalWallet.
pub fn registered_policies() -> Vec<Box<dyn Policy>> {
    vec![
        Box::new(MatchLabelsPolicy),
        Box::new(AliasPolicy),
        Box::new(EdgeNonBindingPolicy),
        Box::new(EdgeBindingPolicy),
        Box::new(HierarchicalParentChildPolicy),
        Box::new(HierarchicalWalletPolicy),
    ]
}

/// Two selector items are the same endpoint: same kind, same id and deeply equal patch.
pub fn same_item(a: &Value, b: &Value) -> bool {
    let (a, b) = (SelectorItem(a), SelectorItem(b));
    a.kind() == b.kind() && a.id().unwrap_or("") == b.id().unwrap_or("") && a.patch() == b.patch()
}

fn same_items(a: &[Value], b: &[Value]) -> bool {
    !a.is_empty() && a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_item(x, y))
}

/// Generic "already exists" (spec §6.8, whole item lists as in Meshery's multi-item variant): a
/// non-deleted relationship of the same kind/type/subType has a selector set whose from and to
/// lists equal the candidate's.
pub fn already_exists(definition: &Relationship, selectors: &Value, context: &Context) -> bool {
    let sets = selectors.as_array().map(Vec::as_slice).unwrap_or(&[]);
    sets.iter().any(|set| {
        let from = get_nested(set, &["allow", "from"]).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
        let to = get_nested(set, &["allow", "to"]).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
        let (Some(from_id), Some(to_id)) =
            (from.first().and_then(|i| SelectorItem(i).id()), to.first().and_then(|i| SelectorItem(i).id()))
        else {
            return false;
        };
        context.index.relationships_between(from_id, to_id).iter().any(|&position| {
            let existing = &context.design.relationships[position];
            live_of_same_class(existing, definition)
                && existing.selectors().any(|e| same_items(e.allow_from(), from) && same_items(e.allow_to(), to))
        })
    })
}

/// An existing relationship that is not deleted and has the definition's kind, type and subType
/// (ignoring ASCII case): what "already exists" compares before the selectors.
fn live_of_same_class(existing: &Relationship, definition: &Relationship) -> bool {
    existing.status() != Status::DELETED
        && existing.kind().eq_ignore_ascii_case(definition.kind())
        && existing.rel_type().eq_ignore_ascii_case(definition.rel_type())
        && existing.sub_type().eq_ignore_ascii_case(definition.sub_type())
}

/// `already_exists` for a one-pair candidate, decided before the candidate is built: the items
/// would be copies of `from_item` / `to_item` naming `from_id` / `to_id`.
pub fn pair_already_exists(
    definition: &Relationship,
    from_item: &Value,
    to_item: &Value,
    from_id: &str,
    to_id: &str,
    context: &Context,
) -> bool {
    let same = |existing: &Value, item: &Value, id: &str| {
        let (existing, item) = (SelectorItem(existing), SelectorItem(item));
        existing.id() == Some(id) && existing.kind() == item.kind() && existing.patch() == item.patch()
    };
    context.index.relationships_between(from_id, to_id).iter().any(|&position| {
        let existing = &context.design.relationships[position];
        live_of_same_class(existing, definition)
            && existing.selectors().any(|set| {
                matches!((set.allow_from(), set.allow_to()), ([f], [t]) if same(f, from_item, from_id) && same(t, to_item, to_id))
            })
    })
}

/// What makes two relationships the same for "already exists" (spec §6.8, whole item lists):
/// kind, type and subType (case-insensitive) and, per selector set, the kind, id and patch of
/// every from and to item — as one comparable string.
pub fn content_identity(definition: &Relationship, selectors: &Value) -> String {
    let mut key = format!("{}|{}|{}", definition.kind(), definition.rel_type(), definition.sub_type()).to_lowercase();
    for set in selectors.as_array().map(Vec::as_slice).unwrap_or(&[]) {
        for side in ["from", "to"] {
            key.push_str(if side == "from" { "|F" } else { "|T" });
            for item in get_nested(set, &["allow", side]).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]) {
                let item = SelectorItem(item);
                key.push('\u{1}');
                key.push_str(item.kind());
                key.push('\u{1}');
                key.push_str(item.id().unwrap_or(""));
                key.push('\u{1}');
                key.push_str(&item.patch().map(crate::values::go_json).unwrap_or_default());
            }
        }
    }
    key
}

/// `fromOrToMissing` (every item of `selectors[0].allow.from` and `.to` must name a component;
/// an empty side or no selector counts as missing).
pub fn from_or_to_missing(relationship: &Relationship, context: &Context) -> bool {
    let Some(set) = relationship.first_selector() else { return true };
    let names_component = |item: &Value| SelectorItem(item).id().is_some_and(|id| context.index.has_component(id));
    set.allow_from().is_empty()
        || set.allow_to().is_empty()
        || !set.allow_from().iter().all(names_component)
        || !set.allow_to().iter().all(names_component)
}
