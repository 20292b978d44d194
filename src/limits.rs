//! Caps on input size, with safe defaults. Exceeding one is a `LIMIT_EXCEEDED` error that names
//! the limit; nothing is truncated silently.

use crate::error::{pointer_segment, Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The deepest nesting any input can have: serde_json's parser and the snapshot decoder stop at
/// 128 levels whatever `maxDepth` says.
pub const DEEPEST_NESTING: usize = 128;

/// The largest array index a patch path (`mutatedRef`, `mutatorRef`) may name. A patch pads the
/// array it writes with nulls up to the index, so an index is a size: a definition naming a larger
/// one is refused when it is decoded (`LIMIT_EXCEEDED` at the segment), before any work.
pub const MAX_PATCH_INDEX: usize = 10_000;

/// Configurable input limits. The defaults are far above real designs (Meshery's largest catalog
/// designs have a few hundred components) and far below what would exhaust a browser tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Limits {
    /// Components in one design.
    pub max_components: usize,
    /// Relationships in one design.
    pub max_relationships: usize,
    /// Relationship definitions registered at once.
    pub max_definitions: usize,
    /// Bytes of one JSON input text.
    pub max_input_bytes: usize,
    /// Levels of objects and arrays nested in one another in a design or a definition (the
    /// top-level object is level 1). The parsers stop at 128 levels whatever this says.
    pub max_depth: usize,
    /// Bytes of any one string or object key in a design or a definition.
    pub max_string_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_components: 200_000,
            max_relationships: 1_000_000,
            max_definitions: 100_000,
            max_input_bytes: 512 * 1024 * 1024,
            max_depth: DEEPEST_NESTING,
            max_string_bytes: 16 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// Fails with `LIMIT_EXCEEDED` naming `limit` when `count > max`.
    pub fn check_count(&self, limit: &str, path: &str, count: usize, max: usize) -> Result<()> {
        if count > max {
            return Err(Error::new(
                ErrorCode::LimitExceeded,
                path,
                format!("{limit}: {count} exceeds the limit of {max}"),
            ));
        }
        Ok(())
    }

    /// Fails when an input text is larger than `maxInputBytes`.
    pub fn check_input_size(&self, bytes: usize) -> Result<()> {
        self.check_count("maxInputBytes", "", bytes, self.max_input_bytes)
    }

    /// Fails with `LIMIT_EXCEEDED` when `value` nests deeper than `maxDepth` or holds a string
    /// or key longer than `maxStringBytes`; the path (under `at`) names the first such place.
    pub fn check_value(&self, value: &Value, at: &str) -> Result<()> {
        self.check_nested(value, 1).map_err(|(mut segments, error)| {
            segments.reverse();
            let path: String = segments.iter().map(|s| format!("/{}", pointer_segment(s))).collect();
            Error::new(ErrorCode::LimitExceeded, format!("{at}{path}"), error)
        })
    }

    /// The walk behind `check_value`: on failure, the path segments innermost first and the message.
    fn check_nested(&self, value: &Value, depth: usize) -> std::result::Result<(), (Vec<String>, String)> {
        let too_long = |bytes: usize| {
            format!("maxStringBytes: a string of {bytes} bytes exceeds the limit of {}", self.max_string_bytes)
        };
        match value {
            Value::String(text) if text.len() > self.max_string_bytes => Err((Vec::new(), too_long(text.len()))),
            Value::Array(_) | Value::Object(_) if depth > self.max_depth => Err((
                Vec::new(),
                format!("maxDepth: the value nests deeper than the limit of {} levels", self.max_depth),
            )),
            Value::Array(items) => items.iter().enumerate().try_for_each(|(i, item)| {
                self.check_nested(item, depth + 1).map_err(|(mut path, message)| {
                    path.push(i.to_string());
                    (path, message)
                })
            }),
            Value::Object(fields) => fields.iter().try_for_each(|(key, item)| {
                if key.len() > self.max_string_bytes {
                    return Err((vec![key.clone()], too_long(key.len())));
                }
                self.check_nested(item, depth + 1).map_err(|(mut path, message)| {
                    path.push(key.clone());
                    (path, message)
                })
            }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn limits(max_depth: usize, max_string_bytes: usize) -> Limits {
        Limits { max_depth, max_string_bytes, ..Limits::default() }
    }

    #[test]
    fn a_value_within_the_limits_passes() {
        let value = json!({"a": [{"b": "xyz"}]});
        assert!(limits(4, 3).check_value(&value, "").is_ok());
    }

    #[test]
    fn too_deep_names_the_limit_and_the_first_container_past_it() {
        let value = json!({"components": [{"configuration": {"spec": {}}}]});
        let error = limits(3, 100).check_value(&value, "/design").unwrap_err();
        assert_eq!(error.code, ErrorCode::LimitExceeded);
        assert_eq!(error.path, "/design/components/0/configuration");
        assert!(error.message.starts_with("maxDepth:"), "{}", error.message);
    }

    #[test]
    fn a_long_string_or_key_names_the_limit_and_its_path() {
        let value = json!({"labels": {"a/b": "0123456789"}});
        let error = limits(128, 6).check_value(&value, "").unwrap_err();
        assert_eq!(error.path, "/labels/a~1b");
        assert!(error.message.starts_with("maxStringBytes:"), "{}", error.message);
        let key = json!({"labels": {"0123456789": 1}});
        assert_eq!(limits(128, 6).check_value(&key, "").unwrap_err().path, "/labels/0123456789");
    }
}
