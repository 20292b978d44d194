//! Caps on input size, with safe defaults. Exceeding one is a `LIMIT_EXCEEDED` error that names
//! the limit; nothing is truncated silently.

use crate::error::{pointer_segment, Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The deepest nesting any design can have, whatever `maxDepth` says: the readers scan the raw
/// text for it before parsing (`reading.rs`), and the recursive decoders need a bounded stack.
/// Levels count where a value is stored: the design object is level 1, a component level 3, a
/// relationship definition level 3 too (the level of the relationships it creates in a design).
pub const DEEPEST_NESTING: usize = 128;

/// The level at which a relationship definition's object is counted against `maxDepth`: where
/// the relationships it creates sit in a design (design, `relationships`, relationship) and where
/// it sits in a snapshot (snapshot, `definitions`, definition).
pub const DEFINITION_LEVEL: usize = 3;

/// The level of a component object in a design.
pub const COMPONENT_LEVEL: usize = 3;

/// The largest array index a patch path (`mutatedRef`, `mutatorRef`) may name. A patch pads the
/// array it writes with nulls up to the index, so an index is a size: a definition naming a larger
/// one is refused when it is decoded (`LIMIT_EXCEEDED` at the segment), before any work.
pub const MAX_PATCH_INDEX: usize = 10_000;

/// The longest component kind or model name, and the longest kind or model pattern of a selector
/// item, in bytes. Kinds are regex-matched (`matching::match_name`), in time proportional to the
/// name's length; real kinds are under 64 bytes.
pub const MAX_NAME_BYTES: usize = 256;

/// Configurable input limits. The defaults are far above real designs (Meshery's largest catalog
/// designs have a few hundred components) and far below what would exhaust a browser tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "ResolvedLimits"))]
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
    /// Levels of objects and arrays nested in one another in a design (the design object is level
    /// 1; a definition counts from level 3, where the relationships it creates sit). Never more
    /// than 128, whatever this says.
    pub max_depth: usize,
    /// Bytes of any one string or object key in a design or a definition.
    pub max_string_bytes: usize,
    /// Bytes (as JSON) of the values patches write in one evaluation pass. A relationship copies
    /// its mutator's value into its mutated component; when the mutated path lies inside the
    /// copied value, or many relationships copy one large value, each pass multiplies the design
    /// (geometric growth within `maxDepth`). Real patches write names, labels and ports.
    pub max_patch_bytes: usize,
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
            max_patch_bytes: 32 * 1024 * 1024,
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
        self.check_value_at(value, at, 1)
    }

    /// `check_value` for a value that sits at level `level` of a design (a component is at level
    /// 3: design object, `components` array, component), so the levels counted are the ones the
    /// value will have where it is stored, in a design and in a snapshot alike.
    pub fn check_value_at(&self, value: &Value, at: &str, level: usize) -> Result<()> {
        self.check_nested(value, level).map_err(|(mut segments, error)| {
            segments.reverse();
            let path: String = segments.iter().map(|s| format!("/{}", pointer_segment(s))).collect();
            Error::new(ErrorCode::LimitExceeded, format!("{at}{path}"), error)
        })
    }

    /// Fails when a string is longer than `maxStringBytes`, naming `limit_path`.
    pub fn check_string(&self, text: &str, path: &str) -> Result<()> {
        if text.len() > self.max_string_bytes {
            return Err(Error::new(ErrorCode::LimitExceeded, path, self.too_long("a string", text.len())));
        }
        Ok(())
    }

    fn too_long(&self, what: &str, bytes: usize) -> String {
        format!("maxStringBytes: {what} of {bytes} bytes exceeds the limit of {}", self.max_string_bytes)
    }

    /// The walk behind `check_value`: on failure, the path segments innermost first and the message.
    /// A key too long is reported at the object holding it (a path echoing the key would be as
    /// large as the key).
    fn check_nested(&self, value: &Value, depth: usize) -> std::result::Result<(), (Vec<String>, String)> {
        match value {
            Value::String(text) if text.len() > self.max_string_bytes => {
                Err((Vec::new(), self.too_long("a string", text.len())))
            }
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
                    return Err((Vec::new(), self.too_long("an object key", key.len())));
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
        let error = limits(128, 6).check_value(&key, "").unwrap_err();
        assert_eq!(error.path, "/labels", "a key too long is named by its object, not echoed");
        assert!(error.message.contains("an object key of 10 bytes"), "{}", error.message);
    }
}
