//! Paths into a component's JSON (spec §6.4): nested lookups, base-10 array indexes, and the
//! `_` subscript that names an array's last element.

use serde_json::{Map, Value};

/// A field path into a component, e.g. `["configuration", "metadata", "labels"]`.
pub type Path = Vec<String>;

/// Objects up to this many members are searched by a scan rather than by hash.
const SCANNED_MEMBERS: usize = 16;

/// The member `key` of an object. Most objects of a design are small, and there a scan of the
/// entries (side by side in the insertion-ordered map, compared length first) costs less than
/// hashing the key: lookups were about a fifth of an evaluation's time (docs/performance.md).
// Out of line: inlined at each of its many callers it added 6% to the opt-level-3 builds (the
// Go module's wasm, the wasm2js engine) for no measurable speed.
#[inline(never)]
pub fn member<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    if object.len() <= SCANNED_MEMBERS {
        object.iter().find(|(name, _)| name.as_str() == key).map(|(_, value)| value)
    } else {
        object.get(key)
    }
}

/// `value[key]` when `value` is an object holding `key` (what `Value::get` answers, found by
/// `member`).
pub fn field<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    match value {
        Value::Object(object) => member(object, key),
        _ => None,
    }
}

/// Walks `path` from `value`: objects by key, arrays by a base-10 index. Anything else (a missing
/// key, a non-numeric or out-of-range index, a scalar on the way) gives `None`. An empty path
/// returns `value` itself.
pub fn get_nested<'a, S: AsRef<str>>(value: &'a Value, path: &[S]) -> Option<&'a Value> {
    let mut current = value;
    for segment in path {
        let segment = segment.as_ref();
        current = match current {
            Value::Object(map) => member(map, segment)?,
            Value::Array(items) => items.get(parse_index(segment)?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// A base-10 array index as Go's `strconv.Atoi` would accept it (no sign for us: negatives are
/// out of range anyway).
pub fn parse_index(segment: &str) -> Option<usize> {
    let digits = segment.strip_prefix('+').unwrap_or(segment);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Replaces the first `"_"` segment by the index of the last element of the array found at the
/// prefix before it, or by `"0"` when that is not a non-empty array (spec §6.4 `resolvePath`).
pub fn resolve_path(path: &[String], document: &Value) -> Path {
    let mut resolved = path.to_vec();
    if let Some(position) = path.iter().position(|s| s == "_") {
        let index = match get_nested(document, &path[..position]) {
            Some(Value::Array(items)) if !items.is_empty() => items.len() - 1,
            _ => 0,
        };
        resolved[position] = index.to_string();
    }
    resolved
}

/// The path without its last segment (`popLast`): `[a, b, c]` → `[a, b]`; an empty path stays
/// empty. An alias reference ending in `_` names the array at `pop_last(reference)`.
pub fn pop_last<S: AsRef<str>>(path: &[S]) -> Path {
    match path.split_last() {
        Some((_, rest)) => rest.iter().map(|s| s.as_ref().to_owned()).collect(),
        None => Vec::new(),
    }
}

/// True unless the last segment is the `_` wildcard.
pub fn is_direct_reference(path: &[String]) -> bool {
    path.last().map(|s| s != "_").unwrap_or(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pop_last_drops_one_segment() {
        assert_eq!(pop_last(&["a", "b", "c"]), vec!["a", "b"]);
        assert_eq!(pop_last(&["a"]), Vec::<String>::new());
        assert_eq!(pop_last::<&str>(&[]), Vec::<String>::new());
    }

    #[test]
    fn resolve_path_uses_last_index() {
        let doc = json!({"a": [1, 2, 3]});
        let path: Path = vec!["a".into(), "_".into()];
        assert_eq!(resolve_path(&path, &doc), vec!["a", "2"]);
        assert_eq!(resolve_path(&["b".to_string(), "_".to_string()], &doc), vec!["b", "0"]);
    }
}
