//! Reading JSON text with the limits checked before any parser runs: the size, then the nesting
//! depth, by one linear scan of the raw bytes against `DEEPEST_NESTING` (plus the levels of an
//! envelope). A hostile input is refused in time proportional to the bytes read up to the
//! violation. The parser's own recursion limit, which counted one level short, is off: the scan
//! has bounded the depth. A smaller configured `maxDepth` is then checked on the parsed value
//! (`Limits::check_value_at`), which names the first place past it.

use crate::error::{Error, ErrorCode, Result};
use crate::limits::Limits;
use serde::Deserialize;
use serde_json::Value;

/// Fails with `LIMIT_EXCEEDED` (path `""`) when the JSON text opens more than `max` arrays and
/// objects inside one another; brackets inside strings do not count. Syntax is not checked.
pub fn check_raw_depth(bytes: &[u8], max: usize) -> Result<()> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, &byte) in bytes.iter().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Err(Error::new(
                        ErrorCode::LimitExceeded,
                        "",
                        format!("maxDepth: the input nests deeper than the limit of {max} levels (byte {offset})"),
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Parses JSON text after checking its size against `maxInputBytes` and its nesting against
/// `max_depth` levels (extra levels of an envelope, such as a snapshot's, are the caller's to add).
pub fn parse_json(text: &str, limits: &Limits, max_depth: usize) -> Result<Value> {
    limits.check_input_size(text.len())?;
    parse_json_within(text, max_depth)
}

/// Parses JSON text after checking only its nesting.
pub fn parse_json_within(text: &str, max_depth: usize) -> Result<Value> {
    check_raw_depth(text.as_bytes(), max_depth)?;
    let mut parser = serde_json::Deserializer::from_str(text);
    parser.disable_recursion_limit();
    let value = Value::deserialize(&mut parser).map_err(crate::error::json_error)?;
    parser.end().map_err(crate::error::json_error)?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn the_limit_is_inclusive_and_counts_objects_and_arrays() {
        assert!(parse_json_within(&nested(128), 128).is_ok());
        let error = parse_json_within(&nested(129), 128).unwrap_err();
        assert_eq!((error.code, error.path.as_str()), (ErrorCode::LimitExceeded, ""));
        assert!(error.message.starts_with("maxDepth:"), "{}", error.message);
        assert!(parse_json_within(r#"{"a":{"b":[1]}}"#, 3).is_ok());
        assert!(parse_json_within(r#"{"a":{"b":[1]}}"#, 2).is_err());
    }

    #[test]
    fn brackets_in_strings_and_escaped_quotes_do_not_count() {
        assert!(parse_json_within(r#"["[[[[", "\"[[[[", "\\", {"{{": "]]"}]"#, 2).is_ok());
    }

    #[test]
    fn a_million_open_brackets_are_refused_at_the_first_byte_past_the_limit() {
        let error = check_raw_depth("[".repeat(1_000_000).as_bytes(), 128).unwrap_err();
        assert!(error.message.contains("(byte 128)"), "{}", error.message);
    }

    #[test]
    fn syntax_errors_still_come_from_the_parser() {
        assert_eq!(parse_json_within("[1,]", 128).unwrap_err().code, ErrorCode::InvalidJson);
        assert_eq!(parse_json_within("[1] x", 128).unwrap_err().code, ErrorCode::InvalidJson);
    }
}
