//! Reading a compact snapshot back into the expanded layout (the values of version 1).

use super::super::msgpack::{self, Reader};
use super::super::{invalid, EXPANDED_SNAPSHOT_VERSION, MAX_MSGPACK_DEPTH, SNAPSHOT_FORMAT};
use super::{COMPACT_VERSION, EXT_I64, EXT_U64, FIXEXT8, KEYS, RELATIONSHIPS};
use crate::error::Result;
use serde_json::{Map, Number, Value};

/// True when `bytes` start as a compact snapshot does: a map whose first entries are our format
/// tag and version 2. Anything else is read as version 1 (and refused there if it is not one).
pub fn is_compact(bytes: &[u8]) -> bool {
    let mut reader = Reader { bytes };
    let mut header = || -> std::result::Result<bool, String> {
        let marker = reader.take(1)?[0];
        Ok(matches!(marker, 0x80..=0x8f)
            && raw_str(&mut reader)? == KEYS[0]
            && raw_str(&mut reader)? == SNAPSHOT_FORMAT
            && raw_str(&mut reader)? == KEYS[1]
            && raw_uint(&mut reader)? == u64::from(COMPACT_VERSION))
    };
    header().unwrap_or(false)
}

/// A MessagePack `str`.
fn raw_str(reader: &mut Reader<'_>) -> std::result::Result<String, String> {
    match reader.take(1)?[0] {
        marker @ 0xa0..=0xbf => reader.string(u64::from(marker & 0x1f)),
        marker @ 0xd9..=0xdb => {
            let len = reader.uint(1 << (marker - 0xd9))?;
            reader.string(len)
        }
        marker => Err(format!("expected a string, found marker 0x{marker:02x}")),
    }
}

/// A MessagePack unsigned integer.
fn raw_uint(reader: &mut Reader<'_>) -> std::result::Result<u64, String> {
    match reader.take(1)?[0] {
        marker @ 0x00..=0x7f => Ok(u64::from(marker)),
        marker @ 0xcc..=0xcf => reader.uint(1 << (marker - 0xcc)),
        marker => Err(format!("expected an unsigned integer, found marker 0x{marker:02x}")),
    }
}

/// Reads a compact snapshot (`is_compact` said so) into the expanded layout's value, labelled
/// version 1, for the body reader both layouts share.
pub fn read(bytes: &[u8]) -> Result<Value> {
    unpack(bytes).map_err(|e| invalid(format!("corrupt snapshot: {e}")))
}

fn unpack(bytes: &[u8]) -> std::result::Result<Value, String> {
    let mut reader = Reader { bytes };
    let marker = reader.take(1)?[0];
    if marker != 0x80 | KEYS.len() as u8 {
        return Err(format!("a compact snapshot is a map of {} entries", KEYS.len()));
    }
    let key = |reader: &mut Reader<'_>, expected: &str| match raw_str(reader)? {
        found if found == expected => Ok(()),
        found => Err(format!("expected the entry `{expected}`, found `{found}`")),
    };
    let mut snapshot = Map::new();
    key(&mut reader, KEYS[0])?;
    snapshot.insert(KEYS[0].into(), Value::String(raw_str(&mut reader)?));
    key(&mut reader, KEYS[1])?;
    raw_uint(&mut reader)?;
    snapshot.insert(KEYS[1].into(), Value::from(EXPANDED_SNAPSHOT_VERSION));
    key(&mut reader, KEYS[2])?;
    snapshot.insert(KEYS[2].into(), reader.value(1)?);
    key(&mut reader, KEYS[3])?;
    snapshot.insert(KEYS[3].into(), reader.value(1)?);

    key(&mut reader, KEYS[4])?;
    let mut unpacker = Unpacker { reader, strings: Vec::new() };
    let count = unpacker.array_len()?;
    unpacker.strings.reserve(count.min(unpacker.reader.bytes.len()));
    for _ in 0..count {
        let string = raw_str(&mut unpacker.reader)?;
        unpacker.strings.push(string);
    }
    key(&mut unpacker.reader, KEYS[5])?;
    let count = unpacker.array_len()?;
    let mut definitions = Vec::with_capacity(count.min(unpacker.reader.bytes.len()));
    for _ in 0..count {
        definitions.push(unpacker.value(2)?);
    }
    key(&mut unpacker.reader, KEYS[6])?;
    let mut design = unpacker.value(1)?;
    key(&mut unpacker.reader, KEYS[7])?;
    if unpacker.reader.bytes.first() == Some(&0xc0) {
        unpacker.reader.take(1)?;
    } else {
        let count = unpacker.array_len()?;
        let mut relationships = Vec::with_capacity(count.min(unpacker.reader.bytes.len()));
        for _ in 0..count {
            relationships.push(unpacker.relationship(&definitions)?);
        }
        match design.get_mut(RELATIONSHIPS) {
            Some(slot @ Value::Null) => *slot = Value::Array(relationships),
            _ => return Err("the design has no empty `relationships` slot for the relationships stored apart".into()),
        }
    }
    if !unpacker.reader.bytes.is_empty() {
        return Err("bytes after the snapshot".into());
    }
    snapshot.insert(KEYS[5].into(), Value::Array(definitions));
    snapshot.insert(KEYS[6].into(), design);
    Ok(Value::Object(snapshot))
}

/// Reads packed values against the string table.
struct Unpacker<'a> {
    reader: Reader<'a>,
    strings: Vec<String>,
}

impl Unpacker<'_> {
    fn array_len(&mut self) -> std::result::Result<usize, String> {
        let marker = self.reader.take(1)?[0];
        let len = match marker {
            0x90..=0x9f => u64::from(marker & 0x0f),
            0xdc | 0xdd => self.reader.uint(2 << (marker - 0xdc))?,
            _ => return Err(format!("expected an array, found marker 0x{marker:02x}")),
        };
        Ok(usize::try_from(len).unwrap_or(usize::MAX))
    }

    fn string_ref(&self, index: u64) -> std::result::Result<String, String> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.strings.get(i))
            .cloned()
            .ok_or_else(|| format!("string {index} is not in the table of {}", self.strings.len()))
    }

    /// A string: a table index or inline.
    fn string(&mut self) -> std::result::Result<String, String> {
        match self.value(usize::MAX)? {
            Value::String(s) => Ok(s),
            other => Err(format!("expected a string, found {other}")),
        }
    }

    /// The packed value at `depth` (the depth of its container, counted as version 1 counts;
    /// `usize::MAX` for a leaf that must not be a container).
    fn value(&mut self, depth: usize) -> std::result::Result<Value, String> {
        let marker = self.reader.take(1)?[0];
        let container = matches!(marker, 0x80..=0x9f | 0xdc..=0xdf);
        if container && depth.saturating_add(1) >= MAX_MSGPACK_DEPTH {
            return Err(if depth == usize::MAX { "expected a string".into() } else { "depth limit exceeded".into() });
        }
        Ok(match marker {
            0x00..=0x7f => Value::String(self.string_ref(u64::from(marker))?),
            0xcc..=0xcf => {
                let index = self.reader.uint(1 << (marker - 0xcc))?;
                Value::String(self.string_ref(index)?)
            }
            0xe0..=0xff => Value::from(-(i64::from(marker as i8) + 1) as u64),
            0xd0..=0xd3 => {
                let len = 1 << (marker - 0xd0);
                let shift = 64 - 8 * len;
                let n = ((self.reader.uint(len)? << shift) as i64) >> shift;
                if n >= 0 {
                    return Err(format!("the non-negative integer {n} where a negative one encodes a number"));
                }
                Value::from(-(n + 1) as u64)
            }
            0xa0..=0xbf => Value::String(self.reader.string(u64::from(marker & 0x1f))?),
            0xd9..=0xdb => {
                let len = self.reader.uint(1 << (marker - 0xd9))?;
                Value::String(self.reader.string(len)?)
            }
            0xc0 => Value::Null,
            0xc2 => Value::Bool(false),
            0xc3 => Value::Bool(true),
            0xcb => {
                let f = f64::from_bits(self.reader.uint(8)?);
                Value::Number(Number::from_f64(f).ok_or_else(|| format!("the float {f} is not finite"))?)
            }
            0xc7..=0xc9 => self.reader.number_text(marker)?,
            FIXEXT8 => match self.reader.take(1)?[0] {
                EXT_I64 => Value::from(self.reader.uint(8)? as i64),
                EXT_U64 => Value::from(self.reader.uint(8)?),
                kind => return Err(format!("unknown extension type {kind}")),
            },
            0x90..=0x9f => self.array(u64::from(marker & 0x0f), depth)?,
            0xdc | 0xdd => {
                let len = self.reader.uint(2 << (marker - 0xdc))?;
                self.array(len, depth)?
            }
            0x80..=0x8f => self.map(u64::from(marker & 0x0f), depth)?,
            0xde | 0xdf => {
                let len = self.reader.uint(2 << (marker - 0xde))?;
                self.map(len, depth)?
            }
            _ => return Err(format!("unsupported marker 0x{marker:02x}")),
        })
    }

    fn array(&mut self, len: u64, depth: usize) -> std::result::Result<Value, String> {
        // Every element takes a byte at least: hostile lengths allocate nothing.
        let mut items = Vec::with_capacity(self.reader.bytes.len().min(usize::try_from(len).unwrap_or(usize::MAX)));
        for _ in 0..len {
            items.push(self.value(depth + 1)?);
        }
        Ok(Value::Array(items))
    }

    /// A relationship stored apart (at the depth of version 1's relationships): a packed map, or
    /// `[definition, changes, removed?]`.
    fn relationship(&mut self, definitions: &[Value]) -> std::result::Result<Value, String> {
        const DEPTH: usize = 3;
        if matches!(self.reader.bytes.first(), Some(0x80..=0x8f | 0xde | 0xdf)) {
            return self.value(DEPTH);
        }
        let len = self.array_len()?;
        if !(2..=3).contains(&len) {
            return Err(format!("a derived relationship has 2 or 3 items, not {len}"));
        }
        let index = raw_uint(&mut self.reader)?;
        let Some(Value::Object(base)) = usize::try_from(index).ok().and_then(|i| definitions.get(i)) else {
            return Err(format!("a relationship derived from definition {index}, which is not an object"));
        };
        let Value::Object(mut changes) = self.value(DEPTH)? else {
            return Err("the changes of a derived relationship are not a map".into());
        };
        let removed = match len {
            3 => match self.value(DEPTH)? {
                Value::Array(keys) if keys.iter().all(Value::is_string) => keys,
                _ => return Err("the removed keys of a derived relationship are not strings".into()),
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

    fn map(&mut self, len: u64, depth: usize) -> std::result::Result<Value, String> {
        let mut map = Map::new();
        for _ in 0..len {
            let key = self.string()?;
            let value = self.value(depth + 1)?;
            msgpack::insert_once(&mut map, key, value)?;
        }
        Ok(Value::Object(map))
    }
}
