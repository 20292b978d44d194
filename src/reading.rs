//! Reading JSON text with the limits checked before any parser runs: the size, then the nesting
//! depth, by one linear scan of the raw bytes against `DEEPEST_NESTING` (plus the levels of an
//! envelope). A hostile input is refused in time proportional to the bytes read up to the
//! violation. The parser's own recursion limit, which counted one level short, is off: the scan
//! has bounded the depth. A smaller configured `maxDepth` is then checked on the parsed value
//! (`Limits::check_value_at`), which names the first place past it.

use crate::error::{pointer_segment, Error, ErrorCode, Result};
use crate::limits::Limits;
use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Value};
use std::cell::{Cell, RefCell};
use std::fmt;

/// Fails with `LIMIT_EXCEEDED` (path `""`) when the JSON text opens more than `max` arrays and
/// objects inside one another; brackets inside strings do not count. Syntax is not checked.
#[cfg(feature = "internals")]
pub fn check_raw_depth(bytes: &[u8], max: usize) -> Result<()> {
    scan(bytes, max).map(drop)
}

/// What the raw scan learns besides the depth: the numbers whose exponent serde_json would write
/// differently (`1E5`, `1e5` become `1e+5`), by their position among the text's numbers, with
/// their text as written. Almost always empty.
type Respelled = Vec<(usize, String)>;

fn scan(bytes: &[u8], max: usize) -> Result<Respelled> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut respelled = Respelled::new();
    let mut numbers = 0usize;
    // The current number token: where it starts and whether its exponent needs its own spelling.
    let mut number: Option<(usize, bool)> = None;
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
        if let Some((start, own_spelling)) = number.as_mut() {
            match byte {
                b'E' => *own_spelling = true,
                b'e' if bytes.get(offset + 1).is_some_and(u8::is_ascii_digit) => *own_spelling = true,
                b'0'..=b'9' | b'.' | b'+' | b'-' | b'e' => {}
                _ => {
                    if *own_spelling {
                        respelled.push((numbers - 1, String::from_utf8_lossy(&bytes[*start..offset]).into_owned()));
                    }
                    number = None;
                }
            }
            if number.is_some() {
                continue;
            }
        }
        match byte {
            b'"' => in_string = true,
            b'-' | b'0'..=b'9' => {
                number = Some((offset, false));
                numbers += 1;
            }
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
    if let Some((start, true)) = number {
        respelled.push((numbers - 1, String::from_utf8_lossy(&bytes[start..]).into_owned()));
    }
    Ok(respelled)
}

/// Parses JSON text after checking its size against `maxInputBytes` and its nesting against
/// `max_depth` levels (extra levels of an envelope, such as a snapshot's, are the caller's to add).
pub fn parse_json(text: &str, limits: &Limits, max_depth: usize) -> Result<Value> {
    limits.check_input_size(text.len())?;
    parse_json_within(text, max_depth)
}

/// Parses JSON text after checking only its nesting. An object naming one key twice is
/// `DUPLICATE_KEY` at the second one (RFC 8259 leaves it open; keeping one of the two values
/// silently is the one wrong answer). A value that cannot be read (a number out of range, a bad
/// escape, a lone surrogate) is `INVALID_JSON` at that value's path; other syntax errors have the
/// line and column in the message and the path `""`.
pub fn parse_json_within(text: &str, max_depth: usize) -> Result<Value> {
    let respelled = scan(text.as_bytes(), max_depth)?;
    let mut parser = serde_json::Deserializer::from_str(text);
    parser.disable_recursion_limit();
    let trail = Trail { respelled, ..Trail::default() };
    let value = ValueSeed { trail: &trail }.deserialize(&mut parser).map_err(|e| trail.error(e))?;
    parser.end().map_err(crate::error::json_error)?;
    Ok(value)
}

/// Checks JSON text for duplicate keys and unreadable values only, without keeping the value:
/// for readers that decode typed structs from the text (options), where serde would keep the
/// last of two map entries silently.
pub fn check_json(text: &str, max_depth: usize) -> Result<()> {
    parse_json_within(text, max_depth).map(drop)
}

/// Where a reading error happened, filled as the error unwinds (innermost segment first), so the
/// path costs nothing unless there is an error.
#[derive(Default)]
struct Trail {
    segments: RefCell<Vec<String>>,
    duplicate: Cell<bool>,
    /// Numbers read so far, and those to keep in their own spelling (`scan`).
    numbers: Cell<usize>,
    respelled: Respelled,
}

/// serde_json's messages for a value that is well delimited but cannot be read: these errors
/// belong to the value, so they carry its path.
const VALUE_ERRORS: [&str; 6] = [
    "number out of range",
    "invalid escape",
    "invalid unicode code point",
    "lone leading surrogate in hex escape",
    "unexpected end of hex escape",
    "control character (\\u0000-\\u001F) found while parsing a string",
];

impl Trail {
    /// The position of the number being read among the text's numbers.
    fn next_number(&self) -> usize {
        self.numbers.replace(self.numbers.get() + 1)
    }

    fn push(&self, segment: String) {
        self.segments.borrow_mut().push(segment);
    }

    fn path(&self) -> String {
        self.segments.borrow().iter().rev().map(|s| format!("/{}", pointer_segment(s))).collect()
    }

    fn error(&self, error: serde_json::Error) -> Error {
        if self.duplicate.get() {
            let path = self.path();
            let message = format!("the key at {path} appears twice in its object (line {})", error.line());
            return Error::new(ErrorCode::DuplicateKey, path, message);
        }
        let converted = crate::error::json_error(error);
        if VALUE_ERRORS.iter().any(|prefix| converted.message.starts_with(prefix)) {
            return Error::new(converted.code, self.path(), converted.message);
        }
        converted
    }
}

/// Reads a `Value` as serde_json's own visitor does, refusing duplicate keys and recording the path
/// of an error in `trail`.
struct ValueSeed<'t> {
    trail: &'t Trail,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> std::result::Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(value))
    }

    // serde_json hands integers that fit 64 bits over as such, the others as text (`visit_map`).
    fn visit_i64<E>(self, value: i64) -> std::result::Result<Value, E> {
        self.trail.next_number();
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> std::result::Result<Value, E> {
        self.trail.next_number();
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> std::result::Result<Value, E> {
        self.trail.next_number();
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> std::result::Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> std::result::Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> std::result::Result<Value, A::Error> {
        let mut values = Vec::new();
        loop {
            match items.next_element_seed(ValueSeed { trail: self.trail }) {
                Ok(Some(value)) => values.push(value),
                Ok(None) => {
                    // Doubling left up to half of the array's slots empty.
                    values.shrink_to_fit();
                    return Ok(Value::Array(values));
                }
                Err(error) => {
                    self.trail.push(values.len().to_string());
                    return Err(error);
                }
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> std::result::Result<Value, A::Error> {
        if is_number_text::<A>() {
            return read_number_text(entries, self.trail);
        }
        let mut map = Map::new();
        while let Some(key) = entries.next_key::<String>()? {
            match map.entry(key) {
                Entry::Occupied(entry) => {
                    self.trail.push(entry.key().clone());
                    self.trail.duplicate.set(true);
                    return Err(A::Error::custom("duplicate key"));
                }
                Entry::Vacant(entry) => match entries.next_value_seed(ValueSeed { trail: self.trail }) {
                    Ok(value) => {
                        entry.insert(value);
                    }
                    Err(error) => {
                        self.trail.push(entry.key().clone());
                        return Err(error);
                    }
                },
            }
        }
        // The map grew its entries to its hash table's capacity (3 slots for 1 key, 7 for 4),
        // and a decoded design is mostly small objects: collected again, it holds exactly its
        // entries (docs/performance.md, "Objects read at their size").
        Ok(Value::Object(map.into_iter().collect()))
    }
}

/// serde_json's `arbitrary_precision` hands a number over as a one-entry map from its private key
/// to the number's text, through a map reader of its own; an object of the document that happens
/// to use that key comes through the parser's map reader and stays an object.
fn is_number_text<A>() -> bool {
    std::any::type_name::<A>().starts_with("serde_json::number::NumberDeserializer")
}

/// The number exactly as written (`123456789012345678901234567890`, `1e400`, `-0`, `1.50`): the
/// parser's text, which is validated and keeps every digit, or the raw spelling when the parser
/// respelled its exponent. `from_string_unchecked` is serde_json's only constructor that keeps a
/// text as is (`FromStr` respells); `numbers_come_back_as_written` pins what it does.
fn read_number_text<'de, A: MapAccess<'de>>(mut entries: A, trail: &Trail) -> std::result::Result<Value, A::Error> {
    let Some(_token) = entries.next_key::<String>()? else {
        return Err(A::Error::custom("a number without its text"));
    };
    let parsed: String = entries.next_value()?;
    let ordinal = trail.next_number();
    let text = match trail.respelled.binary_search_by_key(&ordinal, |(at, _)| *at) {
        Ok(found) => trail.respelled[found].1.clone(),
        Err(_) => parsed,
    };
    Ok(Value::Number(serde_json::Number::from_string_unchecked(text)))
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
    fn a_duplicate_key_is_named_by_its_path_wherever_it_is() {
        let error = parse_json_within(r#"{"a":[{"b":1},{"c":{"d~/":1,"d~/":2}}]}"#, 128).unwrap_err();
        assert_eq!((error.code, error.path.as_str()), (ErrorCode::DuplicateKey, "/a/1/c/d~0~1"));
        assert!(error.message.contains("appears twice"), "{}", error.message);
        assert_eq!(parse_json_within(r#"{"a":1,"\u0061":2}"#, 128).unwrap_err().code, ErrorCode::DuplicateKey);
        assert!(parse_json_within(r#"{"a":{"a":1},"b":[{"a":1},{"a":2}]}"#, 128).is_ok());
    }

    #[test]
    fn the_value_is_read_as_serde_json_reads_it() {
        let text = r#"{"z":[1,-2,1.5,1e-400,18446744073709551616,"\u00e9\ud83d\ude00",true,null,{}],"a":{}}"#;
        let ours = parse_json_within(text, 128).unwrap();
        assert_eq!(ours, serde_json::from_str::<Value>(text).unwrap());
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            serde_json::to_string(&serde_json::from_str::<Value>(text).unwrap()).unwrap()
        );
    }

    #[test]
    fn numbers_come_back_as_written() {
        let text = r#"[123456789012345678901234567890,1e400,1e-400,-0,1.50,1E+2,-0.0,{"a":1e5,"b":[2E-3]},1e+2,7]"#;
        assert_eq!(serde_json::to_string(&parse_json_within(text, 128).unwrap()).unwrap(), text);
        // Numbers inside strings and keys are not numbers of the document.
        let text = r#"{"1e5":"2E3","x":[1,"3e3",4e4]}"#;
        assert_eq!(serde_json::to_string(&parse_json_within(text, 128).unwrap()).unwrap(), text);
        assert_eq!(serde_json::to_string(&parse_json_within("5E1", 128).unwrap()).unwrap(), "5E1");
    }

    #[test]
    fn an_object_with_serde_jsons_private_number_key_stays_an_object() {
        let text = r#"{"$serde_json::private::Number":"12"}"#;
        assert_eq!(serde_json::to_string(&parse_json_within(text, 128).unwrap()).unwrap(), text);
    }

    #[test]
    fn a_value_that_cannot_be_read_is_named_by_its_path() {
        for (text, path) in [
            ("{\"a\":[0,\"\u{1}\"]}", "/a/1"),
            (r#"{"a":{"b":"\ud800"}}"#, "/a/b"),
            (r#"["\udc00"]"#, "/0"),
            (r#"{"a":"\q"}"#, "/a"),
        ] {
            let error = parse_json_within(text, 128).unwrap_err();
            assert_eq!((error.code, error.path.as_str()), (ErrorCode::InvalidJson, path), "{text}");
        }
        // A bad key is reported at its object; structure errors at the whole input.
        assert_eq!(parse_json_within(r#"{"a":{"\q":1}}"#, 128).unwrap_err().path, "/a");
        assert_eq!(parse_json_within(r#"{"a":[1,]}"#, 128).unwrap_err().path, "");
        assert_eq!(parse_json_within(r#"{"a":[1"#, 128).unwrap_err().path, "");
    }

    #[test]
    fn syntax_errors_still_come_from_the_parser() {
        assert_eq!(parse_json_within("[1,]", 128).unwrap_err().code, ErrorCode::InvalidJson);
        assert_eq!(parse_json_within("[1] x", 128).unwrap_err().code, ErrorCode::InvalidJson);
    }
}
