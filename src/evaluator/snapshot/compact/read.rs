//! Reading a compact snapshot back into the expanded layout (the values of version 1), through
//! rmp-serde: the entries in their order, each packed value against the string table.

use super::super::msgpack::{self, check_depth, JsonValue, Text, EXT_NUMBER_TEXT};
use super::super::{invalid, EXPANDED_SNAPSHOT_VERSION, SNAPSHOT_FORMAT};
use super::{COMPACT_VERSION, EXT_I64, EXT_U64, KEYS, RELATIONSHIPS};
use crate::error::Result;
use serde::de::{self, DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Unexpected, Visitor};
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
    let snapshot = Snapshot.deserialize(&mut decoder).map_err(|e| e.to_string());
    let snapshot = snapshot.and_then(|snapshot| match decoder.position() == bytes.len() as u64 {
        true => Ok(snapshot),
        false => Err("bytes after the snapshot".into()),
    });
    snapshot.map_err(|e| invalid(format!("corrupt snapshot: {e}")))
}

/// The top-level map, its entries in the order of `KEYS`.
struct Snapshot;

impl<'de> DeserializeSeed<'de> for Snapshot {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> std::result::Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Snapshot {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a compact snapshot, a map of {} entries", KEYS.len())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> std::result::Result<Value, A::Error> {
        if entries.size_hint() != Some(KEYS.len()) {
            return Err(A::Error::custom(format_args!("a compact snapshot is a map of {} entries", KEYS.len())));
        }
        let mut keys = KEYS.iter();
        let mut key = |entries: &mut A| match (entries.next_key_seed(Text)?, keys.next()) {
            (Some(found), Some(expected)) if found == *expected => Ok(*expected),
            (found, expected) => Err(A::Error::custom(format_args!(
                "expected the entry `{}`, found `{}`",
                expected.unwrap_or(&""),
                found.unwrap_or_default()
            ))),
        };
        let mut snapshot = Map::new();
        let format = key(&mut entries)?;
        snapshot.insert(format.into(), Value::String(entries.next_value_seed(Text)?));
        let version = key(&mut entries)?;
        entries.next_value::<u64>()?;
        snapshot.insert(version.into(), Value::from(EXPANDED_SNAPSHOT_VERSION));
        for _ in 0..2 {
            let name = key(&mut entries)?;
            snapshot.insert(name.into(), entries.next_value_seed(JsonValue { depth: 1 })?);
        }
        key(&mut entries)?;
        let strings = entries.next_value_seed(Strings)?;
        let name = key(&mut entries)?;
        let definitions = entries.next_value_seed(Definitions { strings: &strings })?;
        let design_name = key(&mut entries)?;
        let mut design = entries.next_value_seed(Packed { strings: &strings, depth: 1 })?;
        key(&mut entries)?;
        let relationships = Relationships { strings: &strings, definitions: &definitions };
        if let Some(relationships) = entries.next_value_seed(relationships)? {
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
}

/// The string table.
struct Strings;

impl<'de> DeserializeSeed<'de> for Strings {
    type Value = Vec<String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> std::result::Result<Vec<String>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strings {
    type Value = Vec<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the string table, an array of strings")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Vec<String>, A::Error> {
        let mut strings = Vec::with_capacity(msgpack::capacity(seq.size_hint()));
        while let Some(string) = seq.next_element_seed(Text)? {
            strings.push(string);
        }
        Ok(strings)
    }
}

/// The definitions, packed values at the depth of version 1's.
struct Definitions<'a> {
    strings: &'a [String],
}

impl<'de> DeserializeSeed<'de> for Definitions<'_> {
    type Value = Vec<Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> std::result::Result<Vec<Value>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Definitions<'_> {
    type Value = Vec<Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of definitions")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Vec<Value>, A::Error> {
        let mut definitions = Vec::with_capacity(msgpack::capacity(seq.size_hint()));
        while let Some(definition) = seq.next_element_seed(Packed { strings: self.strings, depth: 2 })? {
            definitions.push(definition);
        }
        Ok(definitions)
    }
}

/// `nil`, or the relationships stored apart: each a packed map, or `[definition, changes,
/// removed?]`.
struct Relationships<'a> {
    strings: &'a [String],
    definitions: &'a [Value],
}

impl<'de> DeserializeSeed<'de> for Relationships<'_> {
    type Value = Option<Vec<Value>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> std::result::Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Relationships<'_> {
    type Value = Option<Vec<Value>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("nil or an array of relationships")
    }

    fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Self::Value, A::Error> {
        let mut relationships = Vec::with_capacity(msgpack::capacity(seq.size_hint()));
        while let Some(relationship) = seq.next_element_seed(Relationship(&self))? {
            relationships.push(relationship);
        }
        Ok(Some(relationships))
    }
}

/// One relationship stored apart, at the depth of version 1's relationships.
struct Relationship<'a, 'b>(&'a Relationships<'b>);

/// The depth of a relationship in version 1 (snapshot, design, relationships).
const RELATIONSHIP_DEPTH: usize = 3;

impl<'de> DeserializeSeed<'de> for Relationship<'_, '_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> std::result::Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Relationship<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a relationship: a packed map or [definition, changes, removed?]")
    }

    fn visit_map<A: MapAccess<'de>>(self, entries: A) -> std::result::Result<Value, A::Error> {
        Packed { strings: self.0.strings, depth: RELATIONSHIP_DEPTH }.visit_map(entries)
    }

    /// `[definition, changes, removed?]`: definition number `definition` with its keys in
    /// `removed` left out, the values of `changes` replacing its own, the keys of `changes` it lacks
    /// appended in order.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let len = seq.size_hint().unwrap_or(0);
        if !(2..=3).contains(&len) {
            return Err(A::Error::custom(format_args!("a derived relationship has 2 or 3 items, not {len}")));
        }
        let packed = || Packed { strings: self.0.strings, depth: RELATIONSHIP_DEPTH };
        let missing = || A::Error::custom("a derived relationship ends early");
        let index: u64 = seq.next_element()?.ok_or_else(missing)?;
        let Some(Value::Object(base)) = usize::try_from(index).ok().and_then(|i| self.0.definitions.get(i)) else {
            return Err(A::Error::custom(format_args!(
                "a relationship derived from definition {index}, which is not an object"
            )));
        };
        let Value::Object(mut changes) = seq.next_element_seed(packed())?.ok_or_else(missing)? else {
            return Err(A::Error::custom("the changes of a derived relationship are not a map"));
        };
        let removed = match len {
            3 => match seq.next_element_seed(packed())?.ok_or_else(missing)? {
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
}

/// A packed value (see `compact/mod.rs`) at `depth`, the depth of its container counted as version
/// 1 counts; `usize::MAX` for a map key, which must be a string.
#[derive(Clone, Copy)]
struct Packed<'a> {
    strings: &'a [String],
    depth: usize,
}

impl Packed<'_> {
    fn container<E: de::Error>(&self) -> std::result::Result<Packed<'_>, E> {
        if self.depth == usize::MAX {
            return Err(E::custom("expected a string"));
        }
        check_depth(self.depth)?;
        Ok(Packed { strings: self.strings, depth: self.depth + 1 })
    }
}

impl<'de> DeserializeSeed<'de> for Packed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> std::result::Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Packed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a packed value")
    }

    /// An index into the string table.
    fn visit_u64<E: de::Error>(self, index: u64) -> std::result::Result<Value, E> {
        match usize::try_from(index).ok().and_then(|i| self.strings.get(i)) {
            Some(string) => Ok(Value::String(string.clone())),
            None => Err(E::custom(format_args!("string {index} is not in the table of {}", self.strings.len()))),
        }
    }

    /// `n` < 0 encodes the JSON integer `-(n + 1)`.
    fn visit_i64<E: de::Error>(self, n: i64) -> std::result::Result<Value, E> {
        match n {
            ..0 => Ok(Value::from(-(n + 1) as u64)),
            _ => Err(E::custom(format_args!("the non-negative integer {n} where a negative one encodes a number"))),
        }
    }

    fn visit_f32<E: de::Error>(self, f: f32) -> std::result::Result<Value, E> {
        Err(E::invalid_type(Unexpected::Float(f.into()), &self))
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> std::result::Result<Value, E> {
        match Number::from_f64(f) {
            Some(n) => Ok(Value::Number(n)),
            None => Err(E::custom(format_args!("the float {f} is not finite"))),
        }
    }

    fn visit_str<E>(self, s: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E>(self, b: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(b))
    }

    /// Integers as `fixext 8` of type `EXT_I64` or `EXT_U64`, other numbers as their text.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, ext: D) -> std::result::Result<Value, D::Error> {
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

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let item = self.container()?;
        let mut items = Vec::with_capacity(msgpack::capacity(seq.size_hint()));
        while let Some(value) = seq.next_element_seed(item)? {
            items.push(value);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> std::result::Result<Value, A::Error> {
        let value = self.container()?;
        let key = Packed { strings: self.strings, depth: usize::MAX };
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
}
