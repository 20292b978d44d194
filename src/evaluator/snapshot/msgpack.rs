//! JSON values in MessagePack, through rmp (writing; the encoder under rmp-serde) and rmp-serde
//! (reading), as `rmp_serde::to_vec_named` writes a `Value`: integers in their smallest form,
//! floats as float 64, strings as UTF-8 `str`, maps keyed by strings. Both snapshot layouts use it.
//! Two additions: a map naming one key twice is refused (damage, never a value to keep), and a
//! number MessagePack cannot hold as written (`-0`, `1.50`, `1e400`, integers past 64 bits) is its
//! JSON text in an `ext` of type `EXT_NUMBER_TEXT`. `bin`, other `ext`s and non-string keys are
//! refused; a float that is not finite reads as `null`.
//!
//! Writing goes into a `Vec`, which cannot fail: rmp's write results are dropped.

use rmp::encode;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Unexpected, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

pub use super::compact::Part;
use super::MAX_MSGPACK_DEPTH;

pub fn write_nil(out: &mut Vec<u8>) {
    let _ = encode::write_nil(out);
}

pub fn write_bool(out: &mut Vec<u8>, b: bool) {
    let _ = encode::write_bool(out, b);
}

pub fn write_map_len(out: &mut Vec<u8>, len: usize) {
    let _ = encode::write_map_len(out, len as u32);
}

pub fn write_array_len(out: &mut Vec<u8>, len: usize) {
    let _ = encode::write_array_len(out, len as u32);
}

pub fn write_str(out: &mut Vec<u8>, s: &str) {
    let _ = encode::write_str(out, s);
}

pub fn write_uint(out: &mut Vec<u8>, n: u64) {
    let _ = encode::write_uint(out, n);
}

pub fn write_sint(out: &mut Vec<u8>, n: i64) {
    let _ = encode::write_sint(out, n);
}

pub fn write_f64(out: &mut Vec<u8>, f: f64) {
    let _ = encode::write_f64(out, f);
}

/// The MessagePack `ext` type of a number kept as its JSON text.
pub const EXT_NUMBER_TEXT: i8 = 2;

/// How a JSON number is written so that it reads back as the same text: as a MessagePack
/// integer or float when that is how it is written (`7`, `-3`, `0.5`), otherwise as its text
/// (`-0`, `1.50`, `1e400`, `1E5`, integers past 64 bits) in an `ext` of type `EXT_NUMBER_TEXT`.
pub enum NumberForm<'a> {
    Unsigned(u64),
    Negative(i64),
    Float(f64),
    Text(&'a str),
}

pub fn number_form(n: &Number) -> NumberForm<'_> {
    let text = n.as_str();
    // A JSON integer that parses has no sign, leading zero or exponent to lose, except `-0`.
    if let Some(u) = n.as_u64() {
        return NumberForm::Unsigned(u);
    }
    if let Some(i) = n.as_i64().filter(|_| text != "-0") {
        return NumberForm::Negative(i);
    }
    match n.as_f64() {
        Some(f) if zmij::Buffer::new().format_finite(f) == text => NumberForm::Float(f),
        _ => NumberForm::Text(text),
    }
}

/// The number's text in an `ext` of type `EXT_NUMBER_TEXT`, always `ext 8/16/32`: rmp would write
/// texts of 1, 2, 4, 8 or 16 bytes as `fixext`, which snapshots have never held (builds that read
/// only `ext 8/16/32` must still read them).
pub fn write_number_text(out: &mut Vec<u8>, text: &str) {
    match u8::try_from(text.len()) {
        Ok(len) => out.extend([0xc7, len, EXT_NUMBER_TEXT as u8]),
        Err(_) => {
            let _ = encode::write_ext_meta(out, text.len() as u32, EXT_NUMBER_TEXT);
        }
    }
    out.extend_from_slice(text.as_bytes());
}

pub fn write(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => write_nil(out),
        Value::Bool(b) => write_bool(out, *b),
        Value::Number(n) => match number_form(n) {
            NumberForm::Unsigned(n) => write_uint(out, n),
            NumberForm::Negative(n) => write_sint(out, n),
            NumberForm::Float(f) => write_f64(out, f),
            NumberForm::Text(text) => write_number_text(out, text),
        },
        Value::String(s) => write_str(out, s),
        Value::Array(items) => {
            write_array_len(out, items.len());
            items.iter().for_each(|item| write(out, item));
        }
        Value::Object(map) => {
            write_map_len(out, map.len());
            for (key, value) in map {
                write_str(out, key);
                write(out, value);
            }
        }
    }
}

/// The value at the start of `bytes` (what follows it is ignored).
pub fn read(bytes: &[u8]) -> Result<Value, String> {
    let mut decoder = decoder(bytes);
    Read::Json { depth: 0 }.deserialize(&mut decoder).map_err(|e| e.to_string())
}

/// rmp-serde's decoder over a snapshot's bytes (`position` tells where it stopped). It copies
/// each string out once, as the values read keep them anyway.
pub type Decoder<'a> = rmp_serde::Deserializer<rmp_serde::decode::ReadReader<std::io::Cursor<&'a [u8]>>>;

/// A decoder over `bytes`. rmp-serde's own depth count takes an `ext` for a container, so it is
/// only a backstop one level above the cap the readers here enforce on containers.
pub fn decoder(bytes: &[u8]) -> Decoder<'_> {
    let mut decoder = rmp_serde::Deserializer::new(std::io::Cursor::new(bytes));
    decoder.set_max_depth(MAX_MSGPACK_DEPTH + 1);
    decoder
}

/// Fails when a container at `depth` (the top level is 0) would reach the depth cap.
pub fn check_depth<E: de::Error>(depth: usize) -> Result<(), E> {
    match depth.saturating_add(1) >= MAX_MSGPACK_DEPTH {
        true => Err(E::custom("depth limit exceeded")),
        false => Ok(()),
    }
}

/// Room for `hint` items, bounded: a hostile length must not allocate (every item takes a byte).
pub fn capacity(hint: Option<usize>) -> usize {
    hint.unwrap_or(0).min(4096)
}

/// What is read next, and the one visitor (and seed) both layouts read with: rmp-serde's decoder
/// is generic over its visitor, so every visitor type would be one more copy of it in the wasm
/// (`any_inner` and `any_num`: 4 KB a copy before wasm-opt). Every part reads into a `Value`.
#[derive(Clone, Copy)]
pub enum Read<'a> {
    /// One JSON value at `depth` (version 1).
    Json { depth: usize },
    /// A MessagePack `str` (map keys; never `bin`), as `Value::String`.
    Text,
    /// A part of a compact snapshot (`compact/read.rs`).
    Compact(Part<'a>),
}

impl<'de> DeserializeSeed<'de> for Read<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Read<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Read::Json { .. } => f.write_str("a JSON value"),
            Read::Text => f.write_str("a string"),
            Read::Compact(part) => de::Expected::fmt(part, f),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        match self {
            Read::Json { .. } => Ok(Value::Null),
            Read::Text => Err(E::invalid_type(Unexpected::Unit, &self)),
            Read::Compact(part) => part.visit_unit(),
        }
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        match self {
            Read::Json { .. } => Ok(Value::Bool(b)),
            Read::Text => Err(E::invalid_type(Unexpected::Bool(b), &self)),
            Read::Compact(part) => part.visit_bool(b),
        }
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value, E> {
        match self {
            Read::Json { .. } => Ok(Value::from(n)),
            Read::Text => Err(E::invalid_type(Unexpected::Unsigned(n), &self)),
            Read::Compact(part) => part.visit_u64(n),
        }
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Value, E> {
        match self {
            Read::Json { .. } => Ok(Value::from(n)),
            Read::Text => Err(E::invalid_type(Unexpected::Signed(n), &self)),
            Read::Compact(part) => part.visit_i64(n),
        }
    }

    /// Read as a float 64, except in a compact snapshot, which never holds a float 32.
    fn visit_f32<E: de::Error>(self, f: f32) -> Result<Value, E> {
        match self {
            Read::Compact(_) => Err(E::invalid_type(Unexpected::Float(f.into()), &self)),
            _ => self.visit_f64(f.into()),
        }
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        match self {
            Read::Json { .. } => Ok(float(f)),
            Read::Text => Err(E::invalid_type(Unexpected::Float(f), &self)),
            Read::Compact(part) => part.visit_f64(f),
        }
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        match self {
            Read::Json { .. } | Read::Text => Ok(Value::String(s.to_owned())),
            Read::Compact(part) => part.visit_str(s),
        }
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, ext: D) -> Result<Value, D::Error> {
        match self {
            Read::Json { .. } => number_text(ext).map(Value::Number),
            Read::Text => Err(de::Error::invalid_type(Unexpected::NewtypeStruct, &self)),
            Read::Compact(part) => part.visit_newtype_struct(ext),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let depth = match self {
            Read::Json { depth } => depth,
            Read::Text => return Err(de::Error::invalid_type(Unexpected::Seq, &self)),
            Read::Compact(part) => return part.visit_seq(seq),
        };
        check_depth(depth)?;
        let mut items = Vec::with_capacity(capacity(seq.size_hint()));
        while let Some(item) = seq.next_element_seed(Read::Json { depth: depth + 1 })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
        let depth = match self {
            Read::Json { depth } => depth,
            Read::Text => return Err(de::Error::invalid_type(Unexpected::Map, &self)),
            Read::Compact(part) => return part.visit_map(entries),
        };
        check_depth(depth)?;
        let mut map = Map::new();
        while let Some(key) = entries.next_key_seed(Read::Text)? {
            let value = entries.next_value_seed(Read::Json { depth: depth + 1 })?;
            insert_once(&mut map, text(key), value).map_err(de::Error::custom)?;
        }
        Ok(Value::Object(map))
    }
}

/// The string `Read::Text` read (it reads nothing else).
pub fn text(value: Value) -> String {
    match value {
        Value::String(s) => s,
        _ => String::new(),
    }
}

/// The `ext` rmp-serde hands as a newtype: its type and its bytes.
pub fn ext<'de, D: Deserializer<'de>>(ext: D) -> Result<(i8, Vec<u8>), D::Error> {
    struct Ext;
    impl<'de> Visitor<'de> for Ext {
        type Value = (i8, Vec<u8>);

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a MessagePack ext")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let missing = || de::Error::custom("a truncated ext");
            let kind = seq.next_element()?.ok_or_else(missing)?;
            let bytes = seq.next_element_seed(Bytes)?.ok_or_else(missing)?;
            Ok((kind, bytes))
        }
    }
    ext.deserialize_any(Ext)
}

/// An `ext`'s bytes.
struct Bytes;

impl<'de> DeserializeSeed<'de> for Bytes {
    type Value = Vec<u8>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<u8>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Visitor<'_> for Bytes {
    type Value = Vec<u8>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("bytes")
    }

    fn visit_bytes<E>(self, bytes: &[u8]) -> Result<Vec<u8>, E> {
        Ok(bytes.to_vec())
    }
}

/// The number an `ext` of type `EXT_NUMBER_TEXT` holds, kept as written.
pub fn number_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Number, D::Error> {
    match ext(deserializer)? {
        (EXT_NUMBER_TEXT, bytes) => number_from_text(bytes).map_err(de::Error::custom),
        (kind, _) => Err(de::Error::custom(format_args!("unknown extension type {kind}"))),
    }
}

/// A JSON number's text, kept as written (serde_json's own parse would respell `1E5`).
pub fn number_from_text(bytes: Vec<u8>) -> Result<Number, String> {
    let text = String::from_utf8(bytes).map_err(|e| e.to_string())?;
    match serde_json::from_str::<Number>(&text) {
        Ok(_) => Ok(Number::from_string_unchecked(text)),
        Err(_) => Err(format!("{text:?} is not a JSON number")),
    }
}

/// A float as serde_json holds it: `null` unless finite.
pub fn float(f: f64) -> Value {
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// Inserts a map entry read from a MessagePack snapshot, refusing a key the map already holds: a
/// snapshot is written with each key once, so a second one is damage, never a value to keep
/// silently (issue 15 #3).
pub fn insert_once(map: &mut Map<String, Value>, key: String, value: Value) -> Result<(), String> {
    match map.entry(key) {
        serde_json::map::Entry::Occupied(entry) => Err(format!("the key {:?} appears twice in one map", entry.key())),
        serde_json::map::Entry::Vacant(entry) => {
            entry.insert(value);
            Ok(())
        }
    }
}
