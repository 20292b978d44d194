//! Comparing JSON values as Meshery's engine does (spec §6.5): deep equality with numbers as
//! `f64`, the match strategies of `matchStrategyMatrix`, and a hashable key agreeing with equality.

use super::go_format::{go_format, go_json};
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

/// A hashable key such that `json_equal(a, b)` ⇔ `equality_key(a) == equality_key(b)`: the
/// value's Go JSON, whose maps are sorted and whose number text is a function of the `float64`
/// alone (`1` and `1.0`, `-0` and `0` agree; a number past f64's range is its own text, which no
/// finite float is written as).
pub fn equality_key(value: Option<&Value>) -> String {
    go_json(value.unwrap_or(&Value::Null))
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
        // Numbers kept as written: equal as float64 ⇔ the same key, past f64's range by text.
        let read = |text: &str| crate::reading::parse_json_within(text, 8).unwrap();
        let numbers = [
            "0",
            "-0",
            "-0.0",
            "1",
            "1.0",
            "1e0",
            "1E0",
            "1.50",
            "1.5",
            "9007199254740993",
            "9007199254740992",
            "1e400",
            "1E400",
            "2e400",
            "1e-400",
        ];
        for x in numbers {
            for y in numbers {
                let (x, y) = (read(x), read(y));
                assert_eq!(json_equal(&x, &y), equality_key(Some(&x)) == equality_key(Some(&y)), "{x} {y}");
            }
        }
        assert!(json_equal(&read("-0"), &read("0")) && json_equal(&read("1e-400"), &read("0")));
        assert!(!json_equal(&read("1e400"), &read("2e400")) && json_equal(&read("1e400"), &read("1e400")));
    }
}
