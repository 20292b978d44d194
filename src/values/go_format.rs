//! Go's renderings of JSON values decoded into `interface{}`: `fmt`'s `%v` and `encoding/json`'s
//! output, digit for digit, so that ids and messages derived from values match Meshery's.

use super::sort::sort_strs;
use serde_json::{Number, Value};
use std::fmt::Write;

/// Renders a value as Go's `fmt` `%v` does for values decoded from JSON into `interface{}`:
/// strings verbatim, numbers as `float64`, `map[k:v …]` with sorted keys, `[a b]`, `<nil>`.
pub fn go_format(value: &Value) -> String {
    let mut out = String::new();
    write::<Verb>(value, &mut out);
    out
}

/// Go `encoding/json` output for a value decoded into `interface{}`: map keys sorted, no spaces,
/// HTML-sensitive characters and U+2028/U+2029 escaped, numbers as `float64`.
pub fn go_json(value: &Value) -> String {
    let mut out = String::new();
    write_go_json(value, &mut out);
    out
}

/// Appends the Go JSON encoding of `value` to `out`.
pub fn write_go_json(value: &Value, out: &mut String) {
    write::<Json>(value, out);
}

/// A JSON string as Go writes it (with `SetEscapeHTML(true)`, the default).
pub fn write_go_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// What Go's two renderings of a decoded value (`%v` and `encoding/json`) differ in: null,
/// numbers, strings (map keys are written as strings) and punctuation. Both walk arrays in order
/// and maps in sorted key order, as Go sorts map keys.
trait Rendering {
    const NULL: &'static str;
    const SEPARATOR: char;
    const MAP_OPEN: &'static str;
    const MAP_CLOSE: char;
    fn number(n: &Number, out: &mut String);
    fn string(s: &str, out: &mut String);
}

fn write<R: Rendering>(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str(R::NULL),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => R::number(n, out),
        Value::String(s) => R::string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(R::SEPARATOR);
                }
                write::<R>(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
            sort_strs(&mut keys);
            out.push_str(R::MAP_OPEN);
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(R::SEPARATOR);
                }
                R::string(key, out);
                out.push(':');
                write::<R>(&map[key], out);
            }
            out.push(R::MAP_CLOSE);
        }
    }
}

/// `fmt`'s `%v`.
struct Verb;

impl Rendering for Verb {
    const NULL: &'static str = "<nil>";
    const SEPARATOR: char = ' ';
    const MAP_OPEN: &'static str = "map[";
    const MAP_CLOSE: char = ']';

    fn number(n: &Number, out: &mut String) {
        match n.as_f64() {
            Some(f) => out.push_str(&go_format_float(f)),
            // Go cannot hold a number past f64's range at all; its text is the honest rendering.
            None => out.push_str(n.as_str()),
        }
    }

    fn string(s: &str, out: &mut String) {
        out.push_str(s);
    }
}

/// `encoding/json`. A number's text depends only on its `float64` (`1`, `1.0` and `1e0` are all
/// `1`; `-0` is `0`), which is what lets `equality_key` be this rendering.
struct Json;

impl Rendering for Json {
    const NULL: &'static str = "null";
    const SEPARATOR: char = ',';
    const MAP_OPEN: &'static str = "{";
    const MAP_CLOSE: char = '}';

    fn number(n: &Number, out: &mut String) {
        match (n.as_i64(), n.as_u64()) {
            // Exact as a float64, and printed the same: skip the float formatting.
            (Some(i), _) if i.unsigned_abs() < (1u64 << 53) => out.push_str(&i.to_string()),
            (_, Some(u)) if u < (1u64 << 53) => out.push_str(&u.to_string()),
            _ => match n.as_f64() {
                Some(f) => out.push_str(&go_json_float(f)),
                // Past f64's range, which Go refuses to decode: the number as written.
                None => out.push_str(n.as_str()),
            },
        }
    }

    fn string(s: &str, out: &mut String) {
        write_go_string(s, out);
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
}
