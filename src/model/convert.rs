//! Relationship definitions as they come from the registry: v1beta2 as is, v1alpha3 bridged to
//! v1beta2 (spec §12) in every build (Meshery's browser build drops them).

use super::validate;
use super::Relationship;
use crate::error::{Error, ErrorCode, Result};
use crate::limits::Limits;
use serde_json::{Map, Value};

/// The relationship schema dialect of a definition, read from its `schemaVersion`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationshipSchema {
    V1alpha3,
    V1beta2,
}

impl RelationshipSchema {
    /// Exactly `relationships.meshery.io/v1alpha3` is v1alpha3; anything else is v1beta2.
    pub fn of(definition: &Value) -> Self {
        match definition.get("schemaVersion").and_then(Value::as_str) {
            Some("relationships.meshery.io/v1alpha3") => RelationshipSchema::V1alpha3,
            _ => RelationshipSchema::V1beta2,
        }
    }
}

/// Decodes a list of definitions (a JSON array of objects), bridging v1alpha3 ones. A malformed
/// entry is an error naming its index, never silently dropped.
pub fn parse_definitions(value: Value, limits: &Limits) -> Result<Vec<Relationship>> {
    let Value::Array(items) = value else {
        return Err(Error::new(ErrorCode::InvalidType, "", "relationship definitions must be a JSON array"));
    };
    limits.check_count("maxDefinitions", "", items.len(), limits.max_definitions)?;
    for (i, item) in items.iter().enumerate() {
        limits.check_value_at(item, &format!("/{i}"), crate::limits::DEFINITION_LEVEL)?;
    }
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| convert_relationship(item).map_err(|e| e.under(&format!("/{i}"))))
        .collect()
}

/// Reads definitions JSON text (an array), the raw nesting checked before parsing: a definition
/// sits at level 2 of its array text and counts from `DEFINITION_LEVEL`.
pub fn definitions_from_json(text: &str, limits: &Limits) -> Result<Vec<Relationship>> {
    let levels = crate::limits::DEEPEST_NESTING.saturating_sub(crate::limits::DEFINITION_LEVEL - 2);
    parse_definitions(crate::reading::parse_json(text, limits, levels)?, limits)
}

/// Checks one definition and converts it to v1beta2 keys. `schemaVersion` is kept as it was.
pub fn convert_relationship(mut definition: Value) -> Result<Relationship> {
    validate::relationship(&definition, "")?;
    if RelationshipSchema::of(&definition) == RelationshipSchema::V1alpha3 {
        bridge_v1alpha3(&mut definition);
    }
    Ok(Relationship::from_value(definition))
}

/// v1alpha3 → v1beta2: `match_strategy_matrix` → `matchStrategyMatrix` in selector items, and
/// kebab-case style keys (`source-label`) → camelCase (`sourceLabel`).
fn bridge_v1alpha3(definition: &mut Value) {
    if let Some(styles) = definition.pointer_mut("/metadata/styles").and_then(Value::as_object_mut) {
        let renamed: Map<String, Value> =
            std::mem::take(styles).into_iter().map(|(k, v)| (kebab_to_camel(&k), v)).collect();
        *styles = renamed;
    }
    let Some(selectors) = definition.get_mut("selectors").and_then(Value::as_array_mut) else {
        return;
    };
    for set in selectors {
        for clause in ["allow", "deny"] {
            for side in ["from", "to"] {
                let Some(items) = set.get_mut(clause).and_then(|c| c.get_mut(side)).and_then(Value::as_array_mut)
                else {
                    continue;
                };
                for item in items.iter_mut().filter_map(Value::as_object_mut) {
                    if let Some(matrix) = item.remove("match_strategy_matrix") {
                        item.entry("matchStrategyMatrix").or_insert(matrix);
                    }
                }
            }
        }
    }
}

fn kebab_to_camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn v1alpha3_keys_become_camel_case() {
        let converted = convert_relationship(json!({
            "schemaVersion": "relationships.meshery.io/v1alpha3",
            "metadata": {"styles": {"source-label": "mounted-by", "z-index": 3}},
            "selectors": [{"allow": {"from": [{"kind": "A", "match_strategy_matrix": [["equal"]]}], "to": null}}]
        }))
        .unwrap();
        assert_eq!(converted.0.pointer("/metadata/styles/sourceLabel"), Some(&json!("mounted-by")));
        assert_eq!(converted.0.pointer("/metadata/styles/zIndex"), Some(&json!(3)));
        assert!(converted.0.pointer("/selectors/0/allow/from/0/matchStrategyMatrix").is_some());
    }

    #[test]
    fn a_non_object_definition_is_an_error_with_its_index() {
        let error = parse_definitions(json!([{}, "nope"]), &Limits::default()).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidType);
        assert_eq!(error.path, "/1");
    }
}
