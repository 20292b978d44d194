//! Writing values into a component's JSON at a path, with the semantics of the sjson patcher
//! Meshery applies (spec §8.2): numeric segments index arrays (padding with null), missing
//! containers are created, `-1` appends, and every write replaces the value at its path.

use crate::limits::MAX_PATCH_INDEX;
use crate::values::parse_index;
use serde_json::{Map, Value};

/// Why a patch could not be applied; Meshery then drops every patch of that component in the
/// same apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchError {
    pub segment: String,
}

fn container_for(next: &str) -> Value {
    if next == "-1" || parse_index(next).is_some() {
        Value::Array(Vec::new())
    } else {
        Value::Object(Map::new())
    }
}

/// Sets `value` at `path` under `root`. An empty path replaces `root`.
pub fn set_path(root: &mut Value, path: &[String], value: Value) -> Result<(), PatchError> {
    let Some((segment, rest)) = path.split_first() else {
        *root = value;
        return Ok(());
    };
    if root.is_null() || !(root.is_object() || root.is_array()) {
        *root = container_for(segment);
    }
    let slot = match root {
        Value::Object(map) => {
            let fresh = rest.first().map(|next| container_for(next)).unwrap_or(Value::Null);
            map.entry(segment.clone()).or_insert(fresh)
        }
        Value::Array(items) => {
            let position = if segment == "-1" {
                items.len()
            } else {
                parse_index(segment).ok_or_else(|| PatchError { segment: segment.clone() })?
            };
            // Definitions are refused at decode time past this index (`validate::paths`); the
            // check here keeps any other caller from padding an array to gigabytes.
            if position > MAX_PATCH_INDEX {
                return Err(PatchError { segment: segment.clone() });
            }
            if position >= items.len() {
                items.resize(position + 1, Value::Null);
            }
            match items.get_mut(position) {
                Some(slot) => slot,
                None => return Err(PatchError { segment: segment.clone() }),
            }
        }
        _ => return Err(PatchError { segment: segment.clone() }),
    };
    set_path(slot, rest, value)
}

/// Removes the value at `path` under `root`. A missing path is not an error.
pub fn delete_path(root: &mut Value, path: &[String]) -> Result<(), PatchError> {
    let Some((last, parents)) = path.split_last() else { return Ok(()) };
    let mut current = root;
    for segment in parents {
        current = match current {
            Value::Object(map) => match map.get_mut(segment) {
                Some(next) => next,
                None => return Ok(()),
            },
            Value::Array(items) => {
                let position = parse_index(segment).ok_or_else(|| PatchError { segment: segment.clone() })?;
                match items.get_mut(position) {
                    Some(next) => next,
                    None => return Ok(()),
                }
            }
            _ => return Ok(()),
        };
    }
    match current {
        Value::Object(map) => {
            map.shift_remove(last);
        }
        Value::Array(items) => {
            let position = parse_index(last).ok_or_else(|| PatchError { segment: last.clone() })?;
            if position < items.len() {
                items.remove(position);
            }
        }
        _ => {}
    }
    Ok(())
}

/// The `default` the component's JSON schema declares at a configuration path (segments after
/// `configuration`), walking `properties.<segment>` only (spec §8.3).
pub fn schema_default(schema_text: Option<&str>, path: &[String]) -> Option<Value> {
    let schema: Value = serde_json::from_str(schema_text?).ok()?;
    let mut node = &schema;
    for segment in path {
        node = node.get("properties")?.get(segment)?;
    }
    node.get("default").cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn path(segments: &[&str]) -> Vec<String> {
        segments.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn set_creates_missing_containers_and_pads_arrays() {
        let mut root = json!({});
        set_path(&mut root, &path(&["a", "b"]), json!(1)).unwrap();
        set_path(&mut root, &path(&["list", "2", "name"]), json!("x")).unwrap();
        assert_eq!(root, json!({"a": {"b": 1}, "list": [null, null, {"name": "x"}]}));
    }

    #[test]
    fn a_word_segment_on_an_array_is_an_error() {
        let mut root = json!({"subjects": [{"name": "a"}]});
        assert!(set_path(&mut root, &path(&["subjects", "_", "name"]), json!("b")).is_err());
    }

    #[test]
    fn an_index_past_the_cap_is_an_error_not_a_panic_or_a_huge_array() {
        for segment in ["18446744073709551615", "4294967295", "100000000", "10001"] {
            let mut root = json!({"list": []});
            assert!(set_path(&mut root, &path(&["list", segment]), json!(1)).is_err(), "{segment}");
            assert_eq!(root, json!({"list": []}));
            let mut fresh = json!({});
            assert!(set_path(&mut fresh, &path(&["list", segment, "x"]), json!(1)).is_err(), "{segment}");
        }
        let mut root = json!({"list": []});
        set_path(&mut root, &path(&["list", "10000"]), json!(1)).unwrap();
        assert_eq!(root["list"].as_array().unwrap().len(), 10_001);
    }

    #[test]
    fn delete_removes_keys_and_ignores_missing_paths() {
        let mut root = json!({"a": {"b": 1, "c": 2}});
        delete_path(&mut root, &path(&["a", "b"])).unwrap();
        delete_path(&mut root, &path(&["x", "y"])).unwrap();
        assert_eq!(root, json!({"a": {"c": 2}}));
    }

    #[test]
    fn schema_default_walks_properties() {
        let schema = r#"{"properties":{"spec":{"properties":{"replicas":{"default":1}}}}}"#;
        assert_eq!(schema_default(Some(schema), &path(&["spec", "replicas"])), Some(json!(1)));
        assert_eq!(schema_default(Some(schema), &path(&["spec", "other"])), None);
    }
}
