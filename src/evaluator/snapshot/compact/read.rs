//! Reading a compact snapshot back into the expanded layout (the values of version 1), through
//! rmp-serde: the entries in their order, each packed value against the string table.

use super::super::msgpack::{self, check_depth, Read, EXT_NUMBER_TEXT};
use super::super::{invalid, EXPANDED_SNAPSHOT_VERSION, SNAPSHOT_FORMAT};
use super::{COMPACT_VERSION, EXT_I64, EXT_U64, KEYS, RELATIONSHIPS};
use crate::error::Result;
use serde::de::{self, DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Unexpected};
use serde_json::{Map, Number, Value};
use std::fmt;

/// True when `bytes` start as a compact snapshot does: a map whose first entries are our format
/// tag and version 2. Anything else is read as version 1 (and refused there if it is not one).
pub fn is_compact(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    let mut header = || -> Option<bool> {
        let marker = rmp::decode::read_marker(&mut rest).ok()?;
        let mut string = || {
            let (s, after) = rmp::decode::read_str_from_slice(rest).ok()?;
            rest = after;
            Some(s)
        };
        let tagged = matches!(marker, rmp::Marker::FixMap(_))
            && string()? == KEYS[0]
            && string()? == SNAPSHOT_FORMAT
            && string()? == KEYS[1];
        Some(tagged && rmp::decode::read_int::<u64, _>(&mut rest).ok()? == u64::from(COMPACT_VERSION))
    };
    header().unwrap_or(false)
}

/// Reads a compact snapshot (`is_compact` said so) into the expanded layout's value, labelled
/// version 1, for the body reader both layouts share.
pub fn read(bytes: &[u8]) -> Result<Value> {
    let mut decoder = msgpack::decoder(bytes);
    let snapshot = Read::Compact(Part::Snapshot).deserialize(&mut decoder).map_err(|e| e.to_string());
    let snapshot = snapshot.and_then(|snapshot| match decoder.position() == bytes.len() as u64 {
        true => Ok(snapshot),
        false => Err("bytes after the snapshot".into()),
    });
    snapshot.map_err(|e| invalid(format!("corrupt snapshot: {e}")))
}

/// A part of a compact snapshot, read by `msgpack::Read` (the one visitor) into a `Value`.
#[derive(Clone, Copy)]
pub enum Part<'a> {
    /// The top-level map, its entries in the order of `KEYS`.
    Snapshot,
    /// The string table, an array of `Value::String`.
    Strings,
    /// The definitions, packed values at the depth of version 1's, an array.
    Definitions { strings: &'a [Value] },
    /// `nil` (`Value::Null`), or the relationships stored apart (an array): each a packed map, or
    /// `[definition, changes, removed?]`.
    Relationships { strings: &'a [Value], definitions: &'a [Value] },
    /// One relationship stored apart, at the depth of version 1's relationships.
    Relationship { strings: &'a [Value], definitions: &'a [Value] },
    /// A packed value (see `compact/mod.rs`) at `depth`, the depth of its container counted as
    /// version 1 counts; `usize::MAX` for a map key, which must be a string.
    Packed { strings: &'a [Value], depth: usize },
}

/// The depth of a relationship in version 1 (snapshot, design, relationships).
const RELATIONSHIP_DEPTH: usize = 3;

/// The items of an array a part reads (it reads nothing else).
fn items(value: Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items,
        _ => Vec::new(),
    }
}

impl de::Expected for Part<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Part::Snapshot => write!(f, "a compact snapshot, a map of {} entries", KEYS.len()),
            Part::Strings => f.write_str("the string table, an array of strings"),
            Part::Definitions { .. } => f.write_str("an array of definitions"),
            Part::Relationships { .. } => f.write_str("nil or an array of relationships"),
            Part::Relationship { .. } => f.write_str("a relationship: a packed map or [definition, changes, removed?]"),
            Part::Packed { .. } => f.write_str("a packed value"),
        }
    }
}

impl Part<'_> {
    fn container<E: de::Error>(strings: &[Value], depth: usize) -> std::result::Result<Read<'_>, E> {
        if depth == usize::MAX {
            return Err(E::custom("expected a string"));
        }
        check_depth(depth)?;
        Ok(Read::Compact(Part::Packed { strings, depth: depth + 1 }))
    }

    pub fn visit_unit<E: de::Error>(self) -> std::result::Result<Value, E> {
        match self {
            Part::Relationships { .. } | Part::Packed { .. } => Ok(Value::Null),
            _ => Err(E::invalid_type(Unexpected::Unit, &self)),
        }
    }

    pub fn visit_bool<E: de::Error>(self, b: bool) -> std::result::Result<Value, E> {
        match self {
            Part::Packed { .. } => Ok(Value::Bool(b)),
            _ => Err(E::invalid_type(Unexpected::Bool(b), &self)),
        }
    }

    /// An index into the string table.
    pub fn visit_u64<E: de::Error>(self, index: u64) -> std::result::Result<Value, E> {
        let Part::Packed { strings, .. } = self else {
            return Err(E::invalid_type(Unexpected::Unsigned(index), &self));
        };
        match usize::try_from(index).ok().and_then(|i| strings.get(i)) {
            Some(string) => Ok(string.clone()),
            None => Err(E::custom(format_args!("string {index} is not in the table of {}", strings.len()))),
        }
    }

    /// `n` < 0 encodes the JSON integer `-(n + 1)`.
    pub fn visit_i64<E: de::Error>(self, n: i64) -> std::result::Result<Value, E> {
        match (self, n) {
            (Part::Packed { .. }, ..0) => Ok(Value::from(-(n + 1) as u64)),
            (Part::Packed { .. }, _) => {
                Err(E::custom(format_args!("the non-negative integer {n} where a negative one encodes a number")))
            }
            _ => Err(E::invalid_type(Unexpected::Signed(n), &self)),
        }
    }

    pub fn visit_f64<E: de::Error>(self, f: f64) -> std::result::Result<Value, E> {
        match (self, Number::from_f64(f)) {
            (Part::Packed { .. }, Some(n)) => Ok(Value::Number(n)),
            (Part::Packed { .. }, None) => Err(E::custom(format_args!("the float {f} is not finite"))),
            _ => Err(E::invalid_type(Unexpected::Float(f), &self)),
        }
    }

    pub fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<Value, E> {
        match self {
            Part::Packed { .. } => Ok(Value::String(s.to_owned())),
            _ => Err(E::invalid_type(Unexpected::Str(s), &self)),
        }
    }

    /// Integers as `fixext 8` of type `EXT_I64` or `EXT_U64`, other numbers as their text.
    pub fn visit_newtype_struct<'de, D: Deserializer<'de>>(self, ext: D) -> std::result::Result<Value, D::Error> {
        if !matches!(self, Part::Packed { .. }) {
            return Err(D::Error::invalid_type(Unexpected::NewtypeStruct, &self));
        }
        let (kind, bytes) = msgpack::ext(ext)?;
        let eight =
            |bytes: &[u8]| <[u8; 8]>::try_from(bytes).map_err(|_| D::Error::custom("an integer ext of 8 bytes"));
        Ok(match kind {
            EXT_I64 => Value::from(i64::from_be_bytes(eight(&bytes)?)),
            EXT_U64 => Value::from(u64::from_be_bytes(eight(&bytes)?)),
            EXT_NUMBER_TEXT => Value::Number(msgpack::number_from_text(bytes).map_err(D::Error::custom)?),
            kind => return Err(D::Error::custom(format_args!("unknown extension type {kind}"))),
        })
    }

    pub fn visit_seq<'de, A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let item = match self {
            Part::Snapshot => return Err(A::Error::invalid_type(Unexpected::Seq, &self)),
            Part::Strings => Read::Text,
            Part::Definitions { strings } => Read::Compact(Part::Packed { strings, depth: 2 }),
            Part::Relationships { strings, definitions } => Read::Compact(Part::Relationship { strings, definitions }),
            Part::Relationship { strings, definitions } => return derived(strings, definitions, seq),
            Part::Packed { strings, depth } => Part::container(strings, depth)?,
        };
        let mut items = Vec::with_capacity(msgpack::capacity(seq.size_hint()));
        while let Some(value) = seq.next_element_seed(item)? {
            items.push(value);
        }
        Ok(Value::Array(items))
    }

    pub fn visit_map<'de, A: MapAccess<'de>>(self, entries: A) -> std::result::Result<Value, A::Error> {
        match self {
            Part::Snapshot => snapshot(entries),
            Part::Relationship { strings, .. } => packed_map(strings, RELATIONSHIP_DEPTH, entries),
            Part::Packed { strings, depth } => packed_map(strings, depth, entries),
            _ => Err(A::Error::invalid_type(Unexpected::Map, &self)),
        }
    }
}

/// The top-level map, its entries in the order of `KEYS`.
fn snapshot<'de, A: MapAccess<'de>>(mut entries: A) -> std::result::Result<Value, A::Error> {
    if entries.size_hint() != Some(KEYS.len()) {
        return Err(A::Error::custom(format_args!("a compact snapshot is a map of {} entries", KEYS.len())));
    }
    let mut keys = KEYS.iter();
    let mut key = |entries: &mut A| match (entries.next_key_seed(Read::Text)?.map(msgpack::text), keys.next()) {
        (Some(found), Some(expected)) if found == *expected => Ok(*expected),
        (found, expected) => Err(A::Error::custom(format_args!(
            "expected the entry `{}`, found `{}`",
            expected.unwrap_or(&""),
            found.unwrap_or_default()
        ))),
    };
    let mut snapshot = Map::new();
    let format = key(&mut entries)?;
    snapshot.insert(format.into(), entries.next_value_seed(Read::Text)?);
    let version = key(&mut entries)?;
    unsigned::<A::Error>(entries.next_value_seed(Read::Json { depth: 1 })?)?;
    snapshot.insert(version.into(), Value::from(EXPANDED_SNAPSHOT_VERSION));
    for _ in 0..2 {
        let name = key(&mut entries)?;
        snapshot.insert(name.into(), entries.next_value_seed(Read::Json { depth: 1 })?);
    }
    key(&mut entries)?;
    let strings = items(entries.next_value_seed(Read::Compact(Part::Strings))?);
    let name = key(&mut entries)?;
    let definitions = items(entries.next_value_seed(Read::Compact(Part::Definitions { strings: &strings }))?);
    let design_name = key(&mut entries)?;
    let mut design = entries.next_value_seed(Read::Compact(Part::Packed { strings: &strings, depth: 1 }))?;
    key(&mut entries)?;
    let relationships = Part::Relationships { strings: &strings, definitions: &definitions };
    if let Value::Array(relationships) = entries.next_value_seed(Read::Compact(relationships))? {
        match design.get_mut(RELATIONSHIPS) {
            Some(slot @ Value::Null) => *slot = Value::Array(relationships),
            _ => {
                return Err(A::Error::custom(
                    "the design has no empty `relationships` slot for the relationships stored apart",
                ))
            }
        }
    }
    snapshot.insert(name.into(), Value::Array(definitions));
    snapshot.insert(design_name.into(), design);
    Ok(Value::Object(snapshot))
}

/// A relationship `[definition, changes, removed?]`: definition number `definition` with its keys
/// in `removed` left out, the values of `changes` replacing its own, the keys of `changes` it lacks
/// appended in order.
fn derived<'de, A: SeqAccess<'de>>(
    strings: &[Value],
    definitions: &[Value],
    mut seq: A,
) -> std::result::Result<Value, A::Error> {
    let len = seq.size_hint().unwrap_or(0);
    if !(2..=3).contains(&len) {
        return Err(A::Error::custom(format_args!("a derived relationship has 2 or 3 items, not {len}")));
    }
    let packed = Read::Compact(Part::Packed { strings, depth: RELATIONSHIP_DEPTH });
    let missing = || A::Error::custom("a derived relationship ends early");
    let index = unsigned::<A::Error>(
        seq.next_element_seed(Read::Json { depth: RELATIONSHIP_DEPTH + 1 })?.ok_or_else(missing)?,
    )?;
    let Some(Value::Object(base)) = usize::try_from(index).ok().and_then(|i| definitions.get(i)) else {
        return Err(A::Error::custom(format_args!(
            "a relationship derived from definition {index}, which is not an object"
        )));
    };
    let Value::Object(mut changes) = seq.next_element_seed(packed)?.ok_or_else(missing)? else {
        return Err(A::Error::custom("the changes of a derived relationship are not a map"));
    };
    let removed = match len {
        3 => match seq.next_element_seed(packed)?.ok_or_else(missing)? {
            Value::Array(keys) if keys.iter().all(Value::is_string) => keys,
            _ => return Err(A::Error::custom("the removed keys of a derived relationship are not strings")),
        },
        _ => Vec::new(),
    };
    let mut relationship = Map::new();
    for (key, value) in base {
        if !removed.iter().any(|r| r.as_str() == Some(key)) {
            let value = changes.shift_remove(key).unwrap_or_else(|| value.clone());
            relationship.insert(key.clone(), value);
        }
    }
    relationship.extend(changes);
    Ok(Value::Object(relationship))
}

/// A `u64` read through the one visitor (`Read`) and then checked, so that rmp-serde's reader of
/// numbers is compiled once, for `Read`, not a second time for serde's `u64` visitor.
fn unsigned<E: de::Error>(value: Value) -> std::result::Result<u64, E> {
    value.as_u64().ok_or_else(|| E::custom(format_args!("invalid value: {value}, expected u64")))
}

/// A packed map at `depth`: its keys packed strings, each once.
fn packed_map<'de, A: MapAccess<'de>>(
    strings: &[Value],
    depth: usize,
    mut entries: A,
) -> std::result::Result<Value, A::Error> {
    let value = Part::container(strings, depth)?;
    let key = Read::Compact(Part::Packed { strings, depth: usize::MAX });
    let mut map = Map::new();
    while let Some(key) = entries.next_key_seed(key)? {
        let Value::String(key) = key else {
            return Err(A::Error::custom(format_args!("expected a string, found {key}")));
        };
        let value = entries.next_value_seed(value)?;
        msgpack::insert_once(&mut map, key, value).map_err(A::Error::custom)?;
    }
    Ok(Value::Object(map))
}
