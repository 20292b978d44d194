//! Reading and comparing JSON values the way Meshery's engine does (spec §6.4–§6.5): nested
//! lookups by path, `_` array subscripts, the match strategies, and Go's `%v` rendering.

use serde_json::Value;
use std::fmt::Write;

/// A field path into a component, e.g. `["configuration", "metadata", "labels"]`.
pub type Path = Vec<String>;

/// Walks `path` from `value`: objects by key, arrays by a base-10 index. Anything else (a missing
/// key, a non-numeric or out-of-range index, a scalar on the way) gives `None`. An empty path
/// returns `value` itself.
pub fn get_nested<'a, S: AsRef<str>>(value: &'a Value, path: &[S]) -> Option<&'a Value> {
    let mut current = value;
    for segment in path {
        let segment = segment.as_ref();
        current = match current {
            Value::Object(map) => map.get(segment)?,
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

/// Deep equality of JSON values with numbers compared as `f64`, as Go compares values decoded
/// into `interface{}`.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// The match strategies of `matchStrategyMatrix` (spec §6.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchStrategy {
    /// Deep equality (also used for any unknown strategy name). Null equals null.
    Equal,
    /// Equality of Go `%v` renderings (`42` equals `"42"`).
    EqualAsStrings,
    /// The from value is a sub-object of the to value; a null from value always matches.
    ToContainsFrom,
    /// Both values are non-null.
    NotNull,
}

impl MatchStrategy {
    /// Parses a strategy name; unknown names behave as `equal`, as in Meshery.
    pub fn parse(name: &str) -> Self {
        match name {
            "equal_as_strings" => MatchStrategy::EqualAsStrings,
            "to_contains_from" => MatchStrategy::ToContainsFrom,
            "not_null" => MatchStrategy::NotNull,
            _ => MatchStrategy::Equal,
        }
    }
}

/// Compares two optional values (absent = JSON null) under one strategy.
pub fn match_values(a: Option<&Value>, b: Option<&Value>, strategy: MatchStrategy) -> bool {
    let null = Value::Null;
    let a = a.unwrap_or(&null);
    let b = b.unwrap_or(&null);
    match strategy {
        MatchStrategy::Equal => json_equal(a, b),
        MatchStrategy::EqualAsStrings => go_format(a) == go_format(b),
        MatchStrategy::ToContainsFrom => a.is_null() || contains(a, b),
        MatchStrategy::NotNull => !a.is_null() && !b.is_null(),
    }
}

/// `from` is a sub-object of `to`: every key of an object `from` is present in `to` with a value
/// that (recursively) contains it; non-objects must be deep-equal.
fn contains(from: &Value, to: &Value) -> bool {
    match (from, to) {
        (Value::Object(f), Value::Object(t)) => {
            f.iter().all(|(k, v)| t.get(k).is_some_and(|w| contains(v, w)))
        }
        _ => json_equal(from, to),
    }
}

/// Renders a value as Go's `fmt` `%v` does for values decoded from JSON into `interface{}`:
/// strings verbatim, numbers as `float64`, `map[k:v …]` with sorted keys, `[a b]`, `<nil>`.
pub fn go_format(value: &Value) -> String {
    let mut out = String::new();
    write_go_format(value, &mut out);
    out
}

fn write_go_format(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("<nil>"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&go_format_float(n.as_f64().unwrap_or(0.0))),
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_go_format(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push_str("map[");
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(key);
                out.push(':');
                write_go_format(&map[key], out);
            }
            out.push(']');
        }
    }
}

/// Splits the shortest round-trip decimal form of `f` into (negative, digits, decimal exponent)
/// with value = 0.d1d2d3… × 10^exponent.
fn shortest_digits(f: f64) -> (bool, String, i32) {
    let formatted = format!("{:e}", f.abs()); // e.g. "1.2345e6", shortest round-trip digits
    let (mantissa, exponent) = formatted.split_once('e').unwrap_or((formatted.as_str(), "0"));
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let exponent: i32 = exponent.parse().unwrap_or(0);
    (f.is_sign_negative() && f != 0.0, digits, exponent + 1)
}

fn format_with_exponent(negative: bool, digits: &str, decimal_point: i32, out: &mut String) {
    if negative {
        out.push('-');
    }
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    let exponent = decimal_point - 1;
    let _ = write!(out, "e{}{:02}", if exponent < 0 { '-' } else { '+' }, exponent.abs());
}

fn format_positional(negative: bool, digits: &str, decimal_point: i32, out: &mut String) {
    if negative {
        out.push('-');
    }
    if decimal_point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-decimal_point) as usize));
        out.push_str(digits);
    } else if decimal_point as usize >= digits.len() {
        out.push_str(digits);
        out.extend(std::iter::repeat_n('0', decimal_point as usize - digits.len()));
    } else {
        out.push_str(&digits[..decimal_point as usize]);
        out.push('.');
        out.push_str(&digits[decimal_point as usize..]);
    }
}

/// Go's `%v` for a `float64`: `strconv`'s `'g'` with the shortest precision, which switches to
/// the `%e` form when the decimal exponent is below -4 or at least 6 (`1e+06`, `1e-05`).
pub fn go_format_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let (negative, digits, decimal_point) = shortest_digits(f);
    let exponent = decimal_point - 1;
    let mut out = String::new();
    if !(-4..6).contains(&exponent) {
        format_with_exponent(negative, &digits, decimal_point, &mut out);
    } else {
        format_positional(negative, &digits, decimal_point, &mut out);
    }
    out
}

/// Go's `encoding/json` rendering of a `float64`: positional unless the magnitude is below 1e-6
/// or at least 1e21, then `1e+21` / `1e-7` (no zero-padding of the exponent).
pub fn go_json_float(f: f64) -> String {
    if !f.is_finite() {
        return "null".into();
    }
    if f == 0.0 {
        return "0".into();
    }
    let (negative, digits, decimal_point) = shortest_digits(f);
    let magnitude = f.abs();
    let mut out = String::new();
    if !(1e-6..1e21).contains(&magnitude) {
        format_with_exponent(negative, &digits, decimal_point, &mut out);
        // Go trims "e-07" to "e-7" and "e+07" to "e+7".
        if let Some(position) = out.rfind(['+', '-']) {
            if out[position + 1..].len() == 2 && out[position + 1..].starts_with('0') {
                out.remove(position + 1);
            }
        }
    } else {
        format_positional(negative, &digits, decimal_point, &mut out);
    }
    out
}

/// A hashable key such that `json_equal(a, b)` ⇔ `equality_key(a) == equality_key(b)`: canonical
/// JSON with sorted keys and numbers written as `f64`.
pub fn equality_key(value: Option<&Value>) -> String {
    let mut out = String::new();
    write_equality_key(value.unwrap_or(&Value::Null), &mut out);
    out
}

fn write_equality_key(value: &Value, out: &mut String) {
    match value {
        Value::Number(n) => out.push_str(&go_json_float(n.as_f64().unwrap_or(0.0))),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_equality_key(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_equality_key(&map[key], out);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn go_format_matches_fmt_v() {
        assert_eq!(go_format(&json!(3)), "3");
        assert_eq!(go_format(&json!(3.5)), "3.5");
        assert_eq!(go_format(&json!(1e21)), "1e+21");
        assert_eq!(go_format(&json!(1000000)), "1e+06");
        assert_eq!(go_format(&json!(123456)), "123456");
        assert_eq!(go_format(&json!(0.00001)), "1e-05");
        assert_eq!(go_format(&json!(null)), "<nil>");
        assert_eq!(go_format(&json!({"b": 1, "a": "x"})), "map[a:x b:1]");
        assert_eq!(go_format(&json!(["a", 2])), "[a 2]");
    }

    #[test]
    fn go_json_float_matches_encoding_json() {
        assert_eq!(go_json_float(3.0), "3");
        assert_eq!(go_json_float(1e21), "1e+21");
        assert_eq!(go_json_float(1e-7), "1e-7");
        assert_eq!(go_json_float(0.5), "0.5");
        assert_eq!(go_json_float(123456789.0), "123456789");
    }

    #[test]
    fn equal_treats_missing_as_equal_to_missing() {
        assert!(match_values(None, None, MatchStrategy::Equal));
        assert!(match_values(Some(&json!(1)), Some(&json!(1.0)), MatchStrategy::Equal));
        assert!(match_values(Some(&json!(42)), Some(&json!("42")), MatchStrategy::EqualAsStrings));
        assert!(!match_values(Some(&json!(1)), None, MatchStrategy::NotNull));
    }

    #[test]
    fn equality_key_agrees_with_json_equal() {
        let a = json!({"x": 1, "y": [1.0, "a"]});
        let b = json!({"y": [1, "a"], "x": 1.0});
        assert!(json_equal(&a, &b));
        assert_eq!(equality_key(Some(&a)), equality_key(Some(&b)));
    }

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
