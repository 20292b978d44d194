//! Comparing JSON values as Meshery's engine does (spec §6.5): deep equality with numbers as
//! `f64`, the match strategies of `matchStrategyMatrix`, and a hashable key agreeing with equality.

use super::go_format::{go_format, go_json_float};
use super::sort::sort_strs;
use serde_json::Value;

/// Deep equality of JSON values with numbers compared as `f64`, as Go compares values decoded
/// into `interface{}`. A number beyond `f64`'s range (which Go refuses to decode) equals only the
/// same text.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q)),
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
        (Value::Object(f), Value::Object(t)) => f.iter().all(|(k, v)| t.get(k).is_some_and(|w| contains(v, w))),
        _ => json_equal(from, to),
    }
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
        // A text past f64's range parses to no finite float, so it never collides with one.
        Value::Number(n) => match n.as_f64() {
            Some(f) => out.push_str(&go_json_float(f)),
            None => out.push_str(n.as_str()),
        },
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
            let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
            sort_strs(&mut keys);
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::from(key).to_string());
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
}
