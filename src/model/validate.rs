//! Shape checks for decoded input: every field the evaluator reads must have the JSON type it
//! expects, or decoding fails with a typed error naming the field. Fields it does not read are
//! not checked (they round-trip as they are).

use crate::error::{pointer_segment, Error, ErrorCode, Result};
use crate::limits::{MAX_NAME_BYTES, MAX_PATCH_INDEX};
use crate::matching::{pattern_too_costly, MAX_PATTERN_BYTES};
use serde_json::Value;

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

pub(crate) fn child(path: &str, key: &str) -> String {
    format!("{path}/{}", pointer_segment(key))
}

pub(crate) fn index(path: &str, i: usize) -> String {
    format!("{path}/{i}")
}

fn wrong_type(path: &str, expected: &str, found: &Value) -> Error {
    Error::new(ErrorCode::InvalidType, path, format!("expected {expected}, found {}", type_name(found)))
}

/// The value must be an object.
pub(crate) fn object(value: &Value, path: &str) -> Result<()> {
    if value.is_object() {
        Ok(())
    } else {
        Err(wrong_type(path, "an object", value))
    }
}

/// `key`, when present and non-null, must be a string.
pub(crate) fn optional_string(value: &Value, key: &str, path: &str) -> Result<()> {
    match value.get(key) {
        None | Some(Value::Null) | Some(Value::String(_)) => Ok(()),
        Some(other) => Err(wrong_type(&child(path, key), "a string", other)),
    }
}

/// `key`, when present and non-null, must be an object.
pub(crate) fn optional_object(value: &Value, key: &str, path: &str) -> Result<()> {
    match value.get(key) {
        None | Some(Value::Null) | Some(Value::Object(_)) => Ok(()),
        Some(other) => Err(wrong_type(&child(path, key), "an object", other)),
    }
}

/// `key`, when present and non-null, must be an array; returns its items.
pub(crate) fn optional_array<'a>(value: &'a Value, key: &str, path: &str) -> Result<&'a [Value]> {
    match value.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(wrong_type(&child(path, key), "an array", other)),
    }
}

/// `key`, when present and non-null, must be a string of at most `MAX_NAME_BYTES` (a kind or a
/// model name, which name patterns are matched against); when `pattern`, it must also compile
/// within `MAX_PATTERN_BYTES`.
fn optional_name(value: &Value, key: &str, path: &str, pattern: bool) -> Result<()> {
    optional_string(value, key, path)?;
    let Some(Value::String(name)) = value.get(key) else { return Ok(()) };
    if name.len() > MAX_NAME_BYTES {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            child(path, key),
            format!("maxNameBytes: a kind or model name of {} bytes exceeds the limit of {MAX_NAME_BYTES}", name.len()),
        ));
    }
    if pattern && pattern_too_costly(name) {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            child(path, key),
            format!("maxPatternBytes: the pattern compiles to more than {MAX_PATTERN_BYTES} bytes"),
        ));
    }
    Ok(())
}

/// `key` must be a non-empty string.
pub(crate) fn required_id(value: &Value, key: &str, path: &str) -> Result<()> {
    match value.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Ok(()),
        Some(Value::String(_)) => Err(Error::new(ErrorCode::MissingField, child(path, key), "the id is empty")),
        None | Some(Value::Null) => Err(Error::new(ErrorCode::MissingField, child(path, key), "an id is required")),
        Some(other) => Err(wrong_type(&child(path, key), "a string", other)),
    }
}

/// A list of paths: an array of arrays of strings (or null).
fn paths(value: &Value, key: &str, path: &str) -> Result<()> {
    let list = optional_array(value, key, path)?;
    let base = child(path, key);
    for (i, segments) in list.iter().enumerate() {
        let here = index(&base, i);
        let Value::Array(segments) = segments else {
            return Err(wrong_type(&here, "an array of path segments", segments));
        };
        for (j, segment) in segments.iter().enumerate() {
            let Value::String(segment) = segment else {
                return Err(wrong_type(&index(&here, j), "a string", segment));
            };
            if index_past_cap(segment) {
                return Err(Error::new(
                    ErrorCode::LimitExceeded,
                    index(&here, j),
                    format!("maxPatchIndex: a patch path may index arrays up to {MAX_PATCH_INDEX} (a patch pads the array with nulls up to its index)"),
                ));
            }
        }
        if key == "mutatedRef" && writes_identity(segments) {
            return Err(Error::new(
                ErrorCode::InvalidType,
                here,
                "a patch may not write a component's `id`, `component` or `component.kind`: the evaluator keys components by them, and a state with two equal ids cannot be restored",
            ));
        }
    }
    Ok(())
}

/// True for a numeric segment (an array index to the patcher) larger than `MAX_PATCH_INDEX`,
/// including one too large for any integer type.
fn index_past_cap(segment: &str) -> bool {
    let digits = segment.strip_prefix('+').unwrap_or(segment);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && crate::values::parse_index(segment).is_none_or(|i| i > MAX_PATCH_INDEX)
}

/// True for a patch path that names the component's id or kind (or the object holding the kind).
fn writes_identity(segments: &[Value]) -> bool {
    let text: Vec<&str> = segments.iter().filter_map(Value::as_str).collect();
    matches!(text.as_slice(), ["id", ..] | ["component"] | ["component", "kind", ..])
}

fn match_item(item: &Value, path: &str) -> Result<()> {
    object(item, path)?;
    optional_string(item, "id", path)?;
    optional_name(item, "kind", path, true)?;
    paths(item, "mutatorRef", path)?;
    paths(item, "mutatedRef", path)
}

fn selector_item(item: &Value, path: &str) -> Result<()> {
    object(item, path)?;
    optional_string(item, "id", path)?;
    optional_name(item, "kind", path, true)?;
    optional_object(item, "model", path)?;
    if let Some(model) = item.get("model").filter(|m| m.is_object()) {
        optional_name(model, "name", &child(path, "model"), true)?;
    }
    optional_object(item, "patch", path)?;
    if let Some(patch) = item.get("patch").filter(|p| p.is_object()) {
        let here = child(path, "patch");
        paths(patch, "mutatorRef", &here)?;
        paths(patch, "mutatedRef", &here)?;
    }
    optional_object(item, "match", path)?;
    if let Some(matcher) = item.get("match").filter(|m| m.is_object()) {
        let here = child(path, "match");
        paths(matcher, "refs", &here)?;
        for side in ["from", "to"] {
            for (i, m) in optional_array(matcher, side, &here)?.iter().enumerate() {
                match_item(m, &index(&child(&here, side), i))?;
            }
        }
    }
    for key in ["matchStrategyMatrix", "match_strategy_matrix"] {
        for (i, row) in optional_array(item, key, path)?.iter().enumerate() {
            let here = index(&child(path, key), i);
            match row {
                Value::Null => {}
                Value::Array(names) => {
                    for (j, name) in names.iter().enumerate() {
                        if !name.is_string() {
                            return Err(wrong_type(&index(&here, j), "a strategy name", name));
                        }
                    }
                }
                other => return Err(wrong_type(&here, "an array of strategy names", other)),
            }
        }
    }
    Ok(())
}

fn clause(set: &Value, key: &str, path: &str) -> Result<()> {
    optional_object(set, key, path)?;
    let Some(clause) = set.get(key).filter(|c| c.is_object()) else { return Ok(()) };
    let here = child(path, key);
    for side in ["from", "to"] {
        for (i, item) in optional_array(clause, side, &here)?.iter().enumerate() {
            selector_item(item, &index(&child(&here, side), i))?;
        }
    }
    Ok(())
}

/// Checks a relationship (definition or declaration) at `path`.
pub(crate) fn relationship(value: &Value, path: &str) -> Result<()> {
    object(value, path)?;
    for key in ["id", "kind", "type", "subType", "status", "schemaVersion"] {
        optional_string(value, key, path)?;
    }
    optional_object(value, "model", path)?;
    for (i, set) in optional_array(value, "selectors", path)?.iter().enumerate() {
        let here = index(&child(path, "selectors"), i);
        object(set, &here)?;
        clause(set, "allow", &here)?;
        clause(set, "deny", &here)?;
    }
    Ok(())
}

/// Checks a component at `path`.
pub(crate) fn component(value: &Value, path: &str) -> Result<()> {
    object(value, path)?;
    required_id(value, "id", path)?;
    optional_string(value, "displayName", path)?;
    optional_object(value, "component", path)?;
    if let Some(inner) = value.get("component").filter(|c| c.is_object()) {
        optional_name(inner, "kind", &child(path, "component"), false)?;
        optional_string(inner, "schema", &child(path, "component"))?;
    }
    optional_object(value, "configuration", path)?;
    optional_object(value, "modelReference", path)?;
    if let Some(reference) = value.get("modelReference").filter(|c| c.is_object()) {
        optional_name(reference, "name", &child(path, "modelReference"), false)?;
    }
    optional_object(value, "model", path)?;
    if let Some(model) = value.get("model").filter(|c| c.is_object()) {
        optional_name(model, "name", &child(path, "model"), false)?;
    }
    Ok(())
}
