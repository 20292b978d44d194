//! Reading and comparing JSON values the way Meshery's engine does (spec §6.4–§6.5): nested
//! lookups by path, `_` array subscripts, the match strategies, and Go's `%v` rendering.

use serde_json::Value;
use std::cmp::Ordering;
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
            let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
            sort_strs(&mut keys);
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

/// Splits the shortest round-trip decimal form of `f` (finite, non-zero) into (negative, digits,
/// decimal exponent) with value = 0.d1d2d3… × 10^exponent. The digits are zmij's, the crate
/// serde_json writes floats with, so core's float formatting is not linked in for this. Like Go's
/// strconv, it breaks a tie between two shortest candidates towards the even one.
fn shortest_digits(f: f64) -> (bool, String, i32) {
    let mut buffer = zmij::Buffer::new();
    // e.g. "123.45", "120.0", "0.0012", "1e+21", "1.5e-7"
    let formatted = buffer.format_finite(f.abs());
    let (mantissa, exponent) = formatted.split_once('e').unwrap_or((formatted, "0"));
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = format!("{whole}{fraction}");
    let significant = all.trim_start_matches('0');
    let point = whole.len() as i32 - (all.len() - significant.len()) as i32;
    let exponent: i32 = exponent.parse().unwrap_or(0);
    (f.is_sign_negative() && f != 0.0, significant.trim_end_matches('0').to_owned(), point + exponent)
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
    lay_out_go_format(negative, &digits, decimal_point)
}

/// `%v` layout of shortest digits (`go_format_float` after its special values).
fn lay_out_go_format(negative: bool, digits: &str, decimal_point: i32) -> String {
    let mut out = String::new();
    if !(-4..6).contains(&(decimal_point - 1)) {
        format_with_exponent(negative, digits, decimal_point, &mut out);
    } else {
        format_positional(negative, digits, decimal_point, &mut out);
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
    lay_out_go_json(negative, &digits, decimal_point, f.abs())
}

/// `encoding/json` layout of shortest digits (`go_json_float` after its special values).
fn lay_out_go_json(negative: bool, digits: &str, decimal_point: i32, magnitude: f64) -> String {
    let mut out = String::new();
    if !(1e-6..1e21).contains(&magnitude) {
        format_with_exponent(negative, digits, decimal_point, &mut out);
        // Go trims "e-07" to "e-7" and "e+07" to "e+7".
        if let Some(position) = out.rfind(['+', '-']) {
            if out[position + 1..].len() == 2 && out[position + 1..].starts_with('0') {
                out.remove(position + 1);
            }
        }
    } else {
        format_positional(negative, digits, decimal_point, &mut out);
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

// Sorting. Each element type (and comparator) handed to `slice::sort*` is one more 3–10 KB copy
// of the standard library's sort code in the WebAssembly module, so the crate's sorts go through
// these two (and `sort_unstable` of `usize` positions, a single copy however often it is called).

/// Sorts strings by their bytes (stable or not: equal strings are indistinguishable).
#[inline(never)]
pub fn sort_strs(items: &mut [&str]) {
    items.sort_unstable();
}

/// The permutation that sorts the indices `0..len` by `compare`, equal elements in index order
/// (a stable sort): `order[k]` is the index of the k-th element in sorted order. A plain merge
/// sort, a few hundred bytes where `slice::sort_by` with this comparator would be 10 KB.
pub fn sorted_order(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    let mut scratch = order.clone();
    merge_sort(&mut order, &mut scratch, compare);
    order
}

fn merge_sort(items: &mut [usize], scratch: &mut [usize], compare: &dyn Fn(usize, usize) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let middle = items.len() / 2;
    merge_sort(&mut items[..middle], &mut scratch[..middle], compare);
    merge_sort(&mut items[middle..], &mut scratch[middle..], compare);
    scratch.copy_from_slice(items);
    let (left, right) = scratch.split_at(middle);
    let (mut i, mut j) = (0, 0);
    for slot in items.iter_mut() {
        // Take from the left run unless the right one's next element is strictly smaller.
        if j == right.len() || (i < left.len() && compare(left[i], right[j]) != Ordering::Greater) {
            *slot = left[i];
            i += 1;
        } else {
            *slot = right[j];
            j += 1;
        }
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

    /// `shortest_digits` as it was written with core's `{:e}` formatting (Grisu with a Dragon
    /// fallback), the reference for the zmij version.
    fn shortest_digits_by_core(f: f64) -> (bool, String, i32) {
        let formatted = format!("{:e}", f.abs());
        let (mantissa, exponent) = formatted.split_once('e').unwrap_or((formatted.as_str(), "0"));
        let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
        let exponent: i32 = exponent.parse().unwrap_or(0);
        (f.is_sign_negative() && f != 0.0, digits, exponent + 1)
    }

    fn go_format_float_by_core(f: f64) -> String {
        if !f.is_finite() || f == 0.0 {
            return go_format_float(f);
        }
        let (negative, digits, decimal_point) = shortest_digits_by_core(f);
        lay_out_go_format(negative, &digits, decimal_point)
    }

    fn go_json_float_by_core(f: f64) -> String {
        if !f.is_finite() || f == 0.0 {
            return go_json_float(f);
        }
        let (negative, digits, decimal_point) = shortest_digits_by_core(f);
        lay_out_go_json(negative, &digits, decimal_point, f.abs())
    }

    /// The new digits equal core's, except where the exact value lies halfway between two
    /// shortest candidates: core rounds such a tie up, zmij (like Go's strconv) to the even one.
    fn assert_same_as_core(f: f64) {
        if f.is_finite() && f != 0.0 {
            let (new, old) = (shortest_digits(f), shortest_digits_by_core(f));
            if new != old {
                let (a, b): (u64, u64) = (new.1.parse().unwrap_or(0), old.1.parse().unwrap_or(0));
                let tie = new.1.len() == old.1.len() && new.2 == old.2 && b == a + 1 && a % 2 == 0;
                assert!(tie, "{f:e} ({:#x}): {new:?} vs core {old:?}", f.to_bits());
                return;
            }
        }
        assert_eq!(go_format_float(f), go_format_float_by_core(f), "{f:e} ({:#x})", f.to_bits());
        assert_eq!(go_json_float(f), go_json_float_by_core(f), "{f:e} ({:#x})", f.to_bits());
    }

    #[test]
    fn floats_render_as_go_renders_them() {
        // (bits, Go's %v, Go's encoding/json), from Go 1.26; the first four are ties, where core's
        // formatting gave ...313e-08, ...063e-07, ...113e+14 and ...73e+14.
        let cases = [
            (0x3e60000000000000u64, "2.9802322387695312e-08", "2.9802322387695312e-8"),
            (0x3ea4000000000000, "5.960464477539062e-07", "5.960464477539062e-7"),
            (0x42dae5e0b941a8c8, "1.1829848028125112e+14", "118298480281251.12"),
            (0x43005c746f8c2c4a, "5.756568480986972e+14", "575656848098697.2"),
            (0x444b1ae4d6e2ef50, "1e+21", "1e+21"),
            (0x3e7ad7f29abcaf48, "1e-07", "1e-7"),
            (0x3fd3333333333334, "0.30000000000000004", "0.30000000000000004"),
            (0x0000000000000001, "5e-324", "5e-324"),
            (0x0010000000000000, "2.2250738585072014e-308", "2.2250738585072014e-308"),
            (0x4340000000000000, "9.007199254740992e+15", "9007199254740992"),
            (0x43f0000000000000, "1.8446744073709552e+19", "18446744073709552000"),
            (0x4415af1d78b58c40, "1e+20", "100000000000000000000"),
            (0x40fe240000000000, "123456", "123456"),
            (0x412e848000000000, "1e+06", "1000000"),
            (0x3ee4f8b588e368f1, "1e-05", "0.00001"),
            (0x3f1a36e2eb1c432d, "0.0001", "0.0001"),
        ];
        for (bits, v, json) in cases {
            let f = f64::from_bits(bits);
            assert_eq!((go_format_float(f).as_str(), go_json_float(f).as_str()), (v, json), "{bits:#x}");
            assert_eq!(go_format_float(-f), format!("-{v}"));
        }
        assert_eq!((go_format_float(-0.0).as_str(), go_json_float(-0.0).as_str()), ("-0", "0"));
    }

    #[test]
    fn float_digits_are_those_of_core_formatting_but_for_ties() {
        let mut edge = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            0.2,
            0.1 + 0.2,
            1.0 / 3.0,
            2.0 / 3.0,
            0.5,
            1.5,
            100.0,
            123456.0,
            999999.0,
            1e6,
            1e-4,
            1e-5,
            0.0001234,
            1e-6,
            1e-7,
            9.999999e-7,
            1e20,
            1e21,
            1e22,
            123456789012345680000.0,
            1e15,
            1e16,
            1e17,
            9007199254740992.0,
            9007199254740993.0,
            18446744073709551615.0,
            1e100,
            1e300,
            1e308,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::MIN_POSITIVE / 2.0,
            f64::EPSILON,
            5e-324,
            1e-323,
            f64::from_bits(0x000f_ffff_ffff_ffff),
            1.7976931348623157e308,
            5e-310,
            123e-320,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.3,
            2.5,
            0.125,
            1.0e23,
            8.41e21,
            5.0e-324 * 3.0,
        ];
        for k in 0..=60u32 {
            let power = 2f64.powi(k as i32);
            edge.extend([power, power - 1.0, power + 1.0, 1.0 / power, 10f64.powi(k as i32 - 30)]);
        }
        for f in edge {
            assert_same_as_core(f);
            assert_same_as_core(-f);
        }
        // Integers ≥ 2^53, decimals with few digits, and random bit patterns (subnormals included).
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..50_000 {
            let bits = next();
            assert_same_as_core(f64::from_bits(bits));
            assert_same_as_core(f64::from_bits(bits >> 12)); // subnormal
            assert_same_as_core((bits >> 8) as f64 * 64.0); // an integer above 2^53
            assert_same_as_core((bits % 1_000_000) as f64 / 1000.0);
            assert_same_as_core((bits % 100_000) as f64 * 1e-9);
            assert_same_as_core(((bits % 10_000) as f64) * 10f64.powi((bits % 40) as i32 - 20));
        }
    }

    #[test]
    fn sorted_order_is_a_stable_sort() {
        // Pseudo-random keys with many ties, every length up to 100.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for len in 0..100 {
            let keys: Vec<u64> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed % 7
                })
                .collect();
            let mut expected: Vec<usize> = (0..len).collect();
            expected.sort_by_key(|&i| keys[i]);
            assert_eq!(sorted_order(len, &|a, b| keys[a].cmp(&keys[b])), expected, "{keys:?}");
        }
    }

    #[test]
    fn sort_strs_sorts_by_bytes() {
        let mut items = vec!["b", "a\u{0}", "", "a", "é", "B", "a"];
        sort_strs(&mut items);
        assert_eq!(items, ["", "B", "a", "a", "a\u{0}", "b", "é"]);
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
