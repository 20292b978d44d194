//! Deterministic, content-derived ids (spec §11): UUIDv5 in the DNS namespace over a canonical
//! seed written exactly as Go's `encoding/json` writes it, so the map- and string-seeded ids equal
//! Meshery's.

use crate::values::{get_nested, go_json, write_go_json, write_go_string};
use serde_json::Value;

/// `staticUUID(seed)`: UUIDv5(DNS, canonical seed).
pub fn static_uuid(seed: &Value) -> String {
    uuid_v5(&canonical_seed(seed))
}

/// UUIDv5 in the DNS namespace over raw text.
pub fn uuid_v5(text: &str) -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_DNS, text.as_bytes()).to_string()
}

/// `canonicalSeed`: null → `""`, a string → itself, anything else → Go JSON (sorted map keys).
pub fn canonical_seed(seed: &Value) -> String {
    match seed {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => go_json(other),
    }
}

/// The Go JSON of a v1beta2 selector set `{"allow":{"from":[…],"to":[…]}}` in the struct field
/// order of Meshery's schemas (deny omitted), used to seed pair and alias relationship ids.
pub fn selector_set_seed(from: &[&Value], to: &[&Value]) -> String {
    let mut out = String::from("{\"allow\":{\"from\":[");
    write_items(from, &mut out);
    out.push_str("],\"to\":[");
    write_items(to, &mut out);
    out.push_str("]}}");
    out
}

fn write_items(items: &[&Value], out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_selector_item(item, out);
    }
}

fn field<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value.get(key).filter(|v| !v.is_null())
}

/// Selector item in struct order: `id, kind, match?, matchStrategyMatrix, model?, patch`.
fn write_selector_item(item: &Value, out: &mut String) {
    out.push_str("{\"id\":");
    write_go_json(field(item, "id").unwrap_or(&Value::Null), out);
    write_selector_item_tail(item, out);
}

/// The seed of a one-pair selector set whose items are copies of `from` and `to` naming
/// `from_id` and `to_id`: `selector_set_seed` of those copies, with the part of each item's Go
/// JSON after its id written once per item pair instead of once per pair of components.
pub struct PairSeed {
    from_tail: String,
    to_tail: String,
}

impl PairSeed {
    pub fn new(from: &Value, to: &Value) -> PairSeed {
        let tail = |item: &Value| {
            let mut out = String::new();
            write_selector_item_tail(item, &mut out);
            out
        };
        PairSeed { from_tail: tail(from), to_tail: tail(to) }
    }

    /// The seed naming these two components.
    pub fn seed(&self, from_id: &str, to_id: &str) -> String {
        let mut out =
            String::with_capacity(40 + from_id.len() + to_id.len() + self.from_tail.len() + self.to_tail.len());
        out.push_str("{\"allow\":{\"from\":[{\"id\":");
        write_go_string(from_id, &mut out);
        out.push_str(&self.from_tail);
        out.push_str("],\"to\":[{\"id\":");
        write_go_string(to_id, &mut out);
        out.push_str(&self.to_tail);
        out.push_str("]}}");
        out
    }
}

/// Everything of a selector item's Go JSON after its id (which comes first and alone varies
/// between the pairs one item pair creates).
fn write_selector_item_tail(item: &Value, out: &mut String) {
    out.push_str(",\"kind\":");
    write_go_json(field(item, "kind").unwrap_or(&Value::String(String::new())), out);
    if let Some(matcher) = field(item, "match") {
        out.push_str(",\"match\":");
        write_match(matcher, out);
    }
    out.push_str(",\"matchStrategyMatrix\":");
    let matrix = field(item, "matchStrategyMatrix").or_else(|| field(item, "match_strategy_matrix"));
    write_go_json(matrix.unwrap_or(&Value::Null), out);
    if let Some(model) = field(item, "model") {
        out.push_str(",\"model\":");
        write_model_reference(model, out);
    }
    out.push_str(",\"patch\":");
    match field(item, "patch") {
        Some(patch) => write_ordered(patch, &["mutatedRef", "mutatorRef", "patchStrategy"], out),
        None => out.push_str("null"),
    }
    out.push('}');
}

/// `match`: `from, refs, to`, each omitted when null; match items `id, kind, mutatedRef?, mutatorRef?`.
fn write_match(matcher: &Value, out: &mut String) {
    out.push('{');
    let mut first = true;
    for key in ["from", "refs", "to"] {
        let Some(value) = field(matcher, key) else { continue };
        if !first {
            out.push(',');
        }
        first = false;
        write_go_string(key, out);
        out.push(':');
        match (key, value) {
            ("from" | "to", Value::Array(items)) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str("{\"id\":");
                    write_go_json(field(item, "id").unwrap_or(&Value::Null), out);
                    out.push_str(",\"kind\":");
                    write_go_json(field(item, "kind").unwrap_or(&Value::String(String::new())), out);
                    for sub in ["mutatedRef", "mutatorRef"] {
                        if let Some(v) = field(item, sub) {
                            out.push(',');
                            write_go_string(sub, out);
                            out.push(':');
                            write_go_json(v, out);
                        }
                    }
                    out.push('}');
                }
                out.push(']');
            }
            _ => write_go_json(value, out),
        }
    }
    out.push('}');
}

/// The known keys in the given order (each omitted when null).
fn write_ordered(value: &Value, keys: &[&str], out: &mut String) {
    out.push('{');
    let mut first = true;
    for key in keys {
        if let Some(v) = field(value, key) {
            if !first {
                out.push(',');
            }
            first = false;
            write_go_string(key, out);
            out.push(':');
            write_go_json(v, out);
        }
    }
    out.push('}');
}

/// ModelReference struct shape: `displayName, id, model{version}, name, registrant{kind}, version`
/// with Go zero values for absent fields.
fn write_model_reference(model: &Value, out: &mut String) {
    let text = |key: &str| field(model, key).cloned().unwrap_or(Value::String(String::new()));
    out.push_str("{\"displayName\":");
    write_go_json(&text("displayName"), out);
    out.push_str(",\"id\":");
    write_go_json(&field(model, "id").cloned().unwrap_or(Value::String(ZERO_UUID.into())), out);
    out.push_str(",\"model\":{\"version\":");
    write_go_json(&get_nested(model, &["model", "version"]).cloned().unwrap_or(Value::String(String::new())), out);
    out.push_str("},\"name\":");
    write_go_json(&text("name"), out);
    out.push_str(",\"registrant\":{\"kind\":");
    write_go_json(&get_nested(model, &["registrant", "kind"]).cloned().unwrap_or(Value::String(String::new())), out);
    out.push_str("},\"version\":");
    write_go_json(&text("version"), out);
    out.push('}');
}

/// The nil UUID, Go's zero value for a `uuid.UUID` field.
pub const ZERO_UUID: &str = "00000000-0000-0000-0000-000000000000";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn string_seed_is_the_string_itself() {
        // UUIDv5(DNS, "ns-1"), as the bench fixtures of Meshery use.
        assert_eq!(static_uuid(&json!("ns-1")), uuid_v5("ns-1"));
    }

    #[test]
    fn a_pair_seed_equals_the_seed_of_the_named_items() {
        let from = json!({"kind": "Service", "id": "ignored", "model": {"name": "kubernetes"},
            "match": {"refs": [["configuration", "spec"]], "from": [{"kind": "Role", "mutatorRef": [["a"]]}]},
            "patch": {"patchStrategy": "replace", "mutatorRef": [["configuration", "spec", "selector"]]}, "extra": 1});
        let to = json!({"kind": "Deployment", "matchStrategyMatrix": [["equal"]], "patch": {"mutatedRef": [["x"]]}});
        let named = |item: &Value, id: &str| {
            let mut copy = item.clone();
            copy["id"] = json!(id);
            copy
        };
        for (from_id, to_id) in [("web", "api"), ("a\"<b>", "\u{2028}é")] {
            let expected = selector_set_seed(&[&named(&from, from_id)], &[&named(&to, to_id)]);
            assert_eq!(PairSeed::new(&from, &to).seed(from_id, to_id), expected);
        }
    }

    #[test]
    fn map_seeds_sort_keys_and_escape_html() {
        assert_eq!(go_json(&json!({"b": 1, "a": "<&>"})), r#"{"a":"\u003c\u0026\u003e","b":1}"#);
    }
}
