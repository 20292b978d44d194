//! Version 2 of the MessagePack snapshot: the compact layout, decoded into the expanded one.
//!
//! A snapshot of a large design is mostly repetition: every component repeats the same keys,
//! kinds, models and versions, and every relationship is a copy of its definition with three
//! fields changed (`id`, `selectors`, `status`). Version 2 stores each repeated string once and
//! each relationship as its definition's index plus the fields that differ from it. It is plain
//! MessagePack (any reader can walk it), one map with its entries in this order:
//!
//! | key | value |
//! |---|---|
//! | `format`, `version` (2), `revision`, `options` | as in version 1 |
//! | `strings` | the string table: every string (key or value) that occurs more than once in what follows, most frequent first (ties: first occurrence first) |
//! | `definitions` | the definitions, packed values |
//! | `design` | the design, a packed value; when `relationships` is an array, its `relationships` slot is `nil` |
//! | `relationships` | `nil`, or the design's relationships: each a packed map, or `[definition, changes, removed?]` |
//!
//! A packed value is MessagePack with these meanings: an unsigned integer is an index into the
//! string table; `str` is a string that occurs once; a negative integer `n` is the JSON integer
//! `-(n + 1)` (so small non-negative integers, the common ones, take one byte); `fixext 8` of type
//! 0 (i64) or 1 (u64), big-endian, is any other JSON integer; float 64, `nil`, booleans, arrays and
//! maps (keys as strings are) are themselves. `[definition, changes, removed?]` is definition
//! number `definition` with its keys in `removed` (an array of strings) left out, the values of
//! `changes` (a map) replacing its own, and the keys of `changes` it lacks appended in order.
//!
//! Nesting is that of version 1 (a relationship's fields sit as deep in both), so every state an
//! evaluator holds fits the same depth cap. Derived indexes are never stored: restoring rebuilds
//! them. The bytes depend on the state alone, so the same state always gives the same bytes.

use super::msgpack::{self, NumberForm, Reader, ARRAY, MAP};
use super::{invalid, Snapshot, EXPANDED_SNAPSHOT_VERSION, MAX_MSGPACK_DEPTH, SNAPSHOT_FORMAT};
use crate::error::Result;
use serde_json::{Map, Number, Value};
use std::collections::HashMap;

/// The version of the compact layout.
pub const COMPACT_VERSION: u32 = 2;

/// The top-level keys, in the order they are written and must be read.
const KEYS: [&str; 8] =
    ["format", "version", "revision", "options", "strings", "definitions", "design", "relationships"];

const RELATIONSHIPS: &str = "relationships";
/// `fixext 8` and its two types.
const FIXEXT8: u8 = 0xd7;
const EXT_I64: u8 = 0;
const EXT_U64: u8 = 1;

/// The compact bytes of a snapshot (its `version` field is not read: the layout is version 2).
pub fn write(snapshot: &Snapshot) -> Vec<u8> {
    let relationships = separable_relationships(&snapshot.design);
    let entries: Vec<Entry> = match relationships {
        Some(relationships) => {
            let bases = Bases::new(&snapshot.definitions);
            relationships.iter().map(|r| bases.entry(r)).collect()
        }
        None => Vec::new(),
    };
    let mut counting = Packer { out: Vec::new(), counts: HashMap::new(), refs: None };
    pack_body(&mut counting, snapshot, relationships.map(|_| entries.as_slice()));
    let strings = string_table(counting.counts);
    let refs = strings.iter().enumerate().map(|(i, s)| (*s, i as u64)).collect();
    let mut packer = Packer { out: Vec::with_capacity(counting.out.len()), counts: HashMap::new(), refs: Some(refs) };
    let ends = pack_body(&mut packer, snapshot, relationships.map(|_| entries.as_slice()));

    let options = serde_json::to_value(&snapshot.options).unwrap_or_default();
    let mut out = Vec::with_capacity(packer.out.len() + strings.iter().map(|s| s.len() + 3).sum::<usize>() + 256);
    msgpack::write_len(&mut out, MAP, KEYS.len());
    msgpack::write_str(&mut out, KEYS[0]);
    msgpack::write_str(&mut out, SNAPSHOT_FORMAT);
    msgpack::write_str(&mut out, KEYS[1]);
    msgpack::write_uint(&mut out, COMPACT_VERSION.into());
    msgpack::write_str(&mut out, KEYS[2]);
    msgpack::write_uint(&mut out, snapshot.revision);
    msgpack::write_str(&mut out, KEYS[3]);
    msgpack::write(&mut out, &options);
    msgpack::write_str(&mut out, KEYS[4]);
    msgpack::write_len(&mut out, ARRAY, strings.len());
    strings.iter().for_each(|s| msgpack::write_str(&mut out, s));
    // The packed body holds the last three entries, in order.
    let mut start = 0;
    for (key, end) in KEYS[5..].iter().zip(ends) {
        msgpack::write_str(&mut out, key);
        out.extend_from_slice(&packer.out[start..end]);
        start = end;
    }
    out
}

/// Packs the definitions, the design and the relationships stored apart (`nil` when they are
/// not), and returns where each ends.
fn pack_body<'a>(packer: &mut Packer<'a>, snapshot: &'a Snapshot, entries: Option<&[Entry<'a>]>) -> [usize; 3] {
    msgpack::write_len(&mut packer.out, ARRAY, snapshot.definitions.len());
    snapshot.definitions.iter().for_each(|d| packer.value(d));
    let definitions_end = packer.out.len();
    packer.design(&snapshot.design, entries.is_some());
    let design_end = packer.out.len();
    match entries {
        None => packer.out.push(0xc0),
        Some(entries) => {
            msgpack::write_len(&mut packer.out, ARRAY, entries.len());
            entries.iter().for_each(|e| packer.entry(e));
        }
    }
    [definitions_end, design_end, packer.out.len()]
}

/// The design's relationships when they can be stored apart (an array of objects in the design's
/// `relationships` slot): only then does the slot hold `nil` and the top level the entries.
fn separable_relationships(design: &Value) -> Option<&Vec<Value>> {
    design.get(RELATIONSHIPS)?.as_array().filter(|items| items.iter().all(Value::is_object))
}

/// Strings that occur more than once, most frequent first, ties by first occurrence.
fn string_table(counts: HashMap<&str, (usize, usize)>) -> Vec<&str> {
    let mut repeated: Vec<(&str, (usize, usize))> = counts.into_iter().filter(|(_, (count, _))| *count > 1).collect();
    repeated.sort_unstable_by_key(|&(_, (count, first))| (std::cmp::Reverse(count), first));
    repeated.into_iter().map(|(s, _)| s).collect()
}

/// How one relationship is stored.
enum Entry<'a> {
    /// As it is.
    Plain(&'a Value),
    /// As definition `base`, with `changes` (in the relationship's order) and `removed` keys.
    Derived { base: usize, changes: Vec<(&'a str, &'a Value)>, removed: Vec<&'a str> },
}

/// The definitions a relationship may be derived from, by kind, type and subType.
struct Bases<'a> {
    definitions: &'a [Value],
    by_kind: HashMap<(&'a str, &'a str, &'a str), Vec<usize>>,
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

fn kind_key(value: &Value) -> (&str, &str, &str) {
    (text(value, "kind"), text(value, "type"), text(value, "subType"))
}

impl<'a> Bases<'a> {
    fn new(definitions: &'a [Value]) -> Bases<'a> {
        let mut by_kind: HashMap<_, Vec<usize>> = HashMap::new();
        for (i, definition) in definitions.iter().enumerate().filter(|(_, d)| d.is_object()) {
            by_kind.entry(kind_key(definition)).or_default().push(i);
        }
        Bases { definitions, by_kind }
    }

    /// The smallest derivation of `relationship` (an object) from a definition of its kind, type
    /// and subType (the first such definition on a tie), unless storing it as it is is as small.
    fn entry(&self, relationship: &'a Value) -> Entry<'a> {
        let Value::Object(target) = relationship else { return Entry::Plain(relationship) };
        let mut best: Option<Entry<'a>> = None;
        let mut best_size = target.len();
        for &base in self.by_kind.get(&kind_key(relationship)).into_iter().flatten() {
            let Value::Object(definition) = &self.definitions[base] else { continue };
            if let Some((changes, removed)) = derive(definition, target) {
                let size = changes.len() + removed.len();
                if size < best_size {
                    best_size = size;
                    best = Some(Entry::Derived { base, changes, removed });
                }
            }
        }
        best.unwrap_or(Entry::Plain(relationship))
    }
}

type Changes<'a> = Vec<(&'a str, &'a Value)>;

/// `target` as `base` with keys removed, values changed and keys appended, if its keys are
/// ordered so (the keys it shares with `base` in `base`'s order, then the others).
fn derive<'a>(base: &'a Map<String, Value>, target: &'a Map<String, Value>) -> Option<(Changes<'a>, Vec<&'a str>)> {
    let mut base_keys = base.iter();
    let mut removed = Vec::new();
    let mut changes = Vec::new();
    let mut appending = false;
    for (key, value) in target {
        if !appending && base.contains_key(key) {
            loop {
                let (base_key, base_value) = base_keys.next()?;
                if base_key == key {
                    if !identical(base_value, value) {
                        changes.push((key.as_str(), value));
                    }
                    break;
                }
                removed.push(base_key.as_str());
            }
        } else if base.contains_key(key) {
            return None;
        } else {
            appending = true;
            changes.push((key.as_str(), value));
        }
    }
    removed.extend(base_keys.map(|(key, _)| key.as_str()));
    Some((changes, removed))
}

/// Equal and written the same: maps in the same key order (`Value`'s own equality ignores it),
/// numbers with the same text (`Value`'s equality compares their text already).
fn identical(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| identical(a, b)),
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|((ka, va), (kb, vb))| ka == kb && identical(va, vb))
        }
        _ => a == b,
    }
}

/// Writes packed values. The first pass counts strings (`refs` is `None`); the second writes
/// each string as its index in the table, or inline when it occurs once.
struct Packer<'a> {
    out: Vec<u8>,
    /// Occurrences and first occurrence of each string.
    counts: HashMap<&'a str, (usize, usize)>,
    refs: Option<HashMap<&'a str, u64>>,
}

impl<'a> Packer<'a> {
    fn string(&mut self, s: &'a str) {
        match &self.refs {
            None => {
                let next = self.counts.len();
                self.counts.entry(s).or_insert((0, next)).0 += 1;
            }
            Some(refs) => match refs.get(s) {
                Some(&index) => msgpack::write_uint(&mut self.out, index),
                None => msgpack::write_str(&mut self.out, s),
            },
        }
    }

    fn value(&mut self, value: &'a Value) {
        match value {
            Value::Null => self.out.push(0xc0),
            Value::Bool(b) => self.out.push(if *b { 0xc3 } else { 0xc2 }),
            Value::Number(n) => self.number(n),
            Value::String(s) => self.string(s),
            Value::Array(items) => {
                msgpack::write_len(&mut self.out, ARRAY, items.len());
                items.iter().for_each(|item| self.value(item));
            }
            Value::Object(map) => {
                msgpack::write_len(&mut self.out, MAP, map.len());
                for (key, value) in map {
                    self.string(key);
                    self.value(value);
                }
            }
        }
    }

    fn number(&mut self, n: &Number) {
        match msgpack::number_form(n) {
            NumberForm::Unsigned(u) if u <= i64::MAX as u64 => msgpack::write_negative(&mut self.out, -(u as i64) - 1),
            NumberForm::Unsigned(u) => {
                self.out.extend([FIXEXT8, EXT_U64]);
                self.out.extend(u.to_be_bytes());
            }
            NumberForm::Negative(i) => {
                self.out.extend([FIXEXT8, EXT_I64]);
                self.out.extend(i.to_be_bytes());
            }
            NumberForm::Float(f) => {
                self.out.push(0xcb);
                self.out.extend(f.to_be_bytes());
            }
            NumberForm::Text(text) => msgpack::write_number_text(&mut self.out, text),
        }
    }

    /// The design, its `relationships` slot `nil` when they are stored apart.
    fn design(&mut self, design: &'a Value, apart: bool) {
        let Value::Object(fields) = design else { return self.value(design) };
        msgpack::write_len(&mut self.out, MAP, fields.len());
        for (key, value) in fields {
            self.string(key);
            if apart && key == RELATIONSHIPS {
                self.out.push(0xc0);
            } else {
                self.value(value);
            }
        }
    }

    fn entry(&mut self, entry: &Entry<'a>) {
        match entry {
            Entry::Plain(value) => self.value(value),
            Entry::Derived { base, changes, removed } => {
                msgpack::write_len(&mut self.out, ARRAY, if removed.is_empty() { 2 } else { 3 });
                msgpack::write_uint(&mut self.out, *base as u64);
                msgpack::write_len(&mut self.out, MAP, changes.len());
                for (key, value) in changes {
                    self.string(key);
                    self.value(value);
                }
                if !removed.is_empty() {
                    msgpack::write_len(&mut self.out, ARRAY, removed.len());
                    removed.iter().for_each(|key| self.string(key));
                }
            }
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::super::{Snapshot, EXPANDED_SNAPSHOT_VERSION, MAX_MSGPACK_DEPTH, SNAPSHOT_FORMAT};
    use crate::error::ErrorCode;
    use crate::options::EngineOptions;
    use serde_json::{json, Value};

    fn definition(id: &str, kind: &str) -> Value {
        json!({"id": id, "kind": kind, "type": "edge", "subType": "network", "status": "enabled",
               "model": {"name": "kubernetes", "version": "v1.0.0"}, "metadata": {"a": 1, "b": [0.5, -0.0]},
               "selectors": [{"allow": {"from": [{"kind": "Service"}], "to": [{"kind": "Pod"}]}}]})
    }

    fn snapshot_of(definitions: Vec<Value>, relationships: Vec<Value>) -> Snapshot {
        Snapshot {
            format: SNAPSHOT_FORMAT.into(),
            version: EXPANDED_SNAPSHOT_VERSION,
            revision: 7,
            options: EngineOptions::default(),
            definitions,
            design: json!({"id": "d", "components": [{"id": "a", "n": [0, 31, 32, 127, 128, 65_536, -1, -200,
                            i64::MIN, u64::MAX, i64::MAX, 1.0, -0.0, 2.5e-300, "", "a", "a", "é"]}],
                           "relationships": relationships, "extra": {"unknown": [null, true, false]}}),
        }
    }

    /// Declarations as the engine makes them, and the shapes it never makes but a user or an
    /// edit may: reordered keys, keys removed or added, values equal under `==` but written
    /// differently (key order, `-0.0`), and a relationship of no definition.
    fn relationships() -> Vec<Value> {
        let base = definition("def-1", "edge");
        let mut declared = base.clone();
        declared["id"] = json!("r1");
        declared["status"] = json!("approved");
        declared["selectors"] = json!([{"allow": {"from": [{"id": "a", "kind": "Service"}], "to": []}}]);
        let mut removed = declared.clone();
        removed.as_object_mut().map(|m| m.shift_remove("metadata"));
        removed["id"] = json!("r2");
        let mut added = declared.clone();
        added["id"] = json!("r3");
        added["zz"] = json!({"new": 1});
        let mut reordered = declared.clone();
        reordered["id"] = json!("r4");
        let id = reordered.as_object_mut().and_then(|m| m.shift_remove("id")).unwrap_or_default();
        reordered.as_object_mut().map(|m| m.insert("id".into(), id));
        let mut key_order = declared.clone();
        key_order["id"] = json!("r5");
        key_order["metadata"] = json!({"b": [0.5, -0.0], "a": 1});
        let mut zero = declared.clone();
        zero["id"] = json!("r6");
        zero["metadata"] = json!({"a": 1, "b": [0.5, 0.0]});
        let stranger = json!({"id": "r7", "kind": "unknown", "type": "x"});
        vec![declared, removed, added, reordered, key_order, zero, stranger]
    }

    fn sample() -> Snapshot {
        snapshot_of(vec![definition("def-0", "other"), definition("def-1", "edge"), json!("odd")], relationships())
    }

    #[test]
    fn every_value_round_trips_exactly() {
        let snapshot = sample();
        let bytes = snapshot.to_msgpack();
        let read = Snapshot::from_msgpack(&bytes).expect("reads");
        assert_eq!(read, snapshot);
        // `==` ignores key order and the sign of zero: the written JSON does not.
        assert_eq!(read.to_json(), snapshot.to_json());
        assert_eq!(read.to_msgpack(), bytes);
    }

    #[test]
    fn relationships_are_stored_as_changes_to_their_definition() {
        let mut snapshot = sample();
        let expanded = snapshot.to_msgpack_expanded().len();
        let compact = snapshot.to_msgpack().len();
        assert!(compact < expanded, "{compact} vs {expanded}");
        // Derived relationships cost the changes only: 100 more add far less than a definition each.
        let declared = relationships()[0].clone();
        let design_relationships = snapshot.design["relationships"].as_array_mut().expect("array");
        for i in 0..100 {
            let mut r = declared.clone();
            r["id"] = json!(format!("more-{i}"));
            design_relationships.push(r);
        }
        let more = snapshot.to_msgpack();
        assert!(more.len() - compact < 100 * 40, "{} bytes for 100 relationships", more.len() - compact);
        assert_eq!(Snapshot::from_msgpack(&more), Ok(snapshot));
    }

    #[test]
    fn the_same_state_gives_the_same_bytes() {
        let bytes = sample().to_msgpack();
        assert_eq!(sample().to_msgpack(), bytes);
        assert_eq!(Snapshot::from_msgpack(&bytes).expect("reads").to_msgpack(), bytes);
        assert_eq!(Snapshot::from_json(&sample().to_json()).expect("reads").to_msgpack(), bytes);
    }

    #[test]
    fn relationships_that_are_not_all_objects_stay_in_the_design() {
        for relationships in [json!([{"id": "r"}, "x"]), json!({"not": "a list"}), Value::Null] {
            let mut snapshot = sample();
            snapshot.design["relationships"] = relationships;
            assert_eq!(Snapshot::from_msgpack(&snapshot.to_msgpack()), Ok(snapshot));
        }
        let mut snapshot = sample();
        snapshot.design = json!(["a design that is not an object"]);
        assert_eq!(Snapshot::from_msgpack(&snapshot.to_msgpack()), Ok(snapshot));
    }

    #[test]
    fn large_string_tables_round_trip() {
        let components: Vec<Value> =
            (0..70_000).map(|i| json!({"id": format!("c{i}"), "kind": format!("k{}", i / 2)})).collect();
        let mut snapshot = sample();
        snapshot.design["components"] = Value::Array(components);
        assert_eq!(Snapshot::from_msgpack(&snapshot.to_msgpack()), Ok(snapshot));
    }

    /// Nesting fits the cap of version 1 exactly: a state version 1 can hold, version 2 can.
    #[test]
    fn depth_cap_is_that_of_version_1() {
        let nested = |depth: usize| (1..depth).fold(json!([]), |inner, _| json!([inner]));
        for depth in MAX_MSGPACK_DEPTH - 6..=MAX_MSGPACK_DEPTH + 1 {
            let mut in_design = sample();
            in_design.design["deep"] = nested(depth);
            let mut in_relationship = sample();
            in_relationship.design["relationships"][0]["deep"] = nested(depth);
            let mut in_definition = sample();
            in_definition.definitions[1]["deep"] = nested(depth);
            for snapshot in [in_design, in_relationship, in_definition] {
                let expanded = Snapshot::from_msgpack(&snapshot.to_msgpack_expanded()).is_ok();
                assert_eq!(Snapshot::from_msgpack(&snapshot.to_msgpack()).is_ok(), expanded, "depth {depth}");
            }
        }
    }

    /// Every truncation and every byte replaced by each kind of marker: read or refused with
    /// `INVALID_SNAPSHOT`, never a panic.
    #[test]
    fn damaged_bytes_are_refused_as_invalid_snapshots() {
        let good = sample().to_msgpack();
        let mut inputs: Vec<Vec<u8>> = (0..good.len()).map(|end| good[..end].to_vec()).collect();
        for marker in
            [0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc4, 0xcb, 0xcf, 0xd3, 0xd7, 0xdd, 0xdf, 0xff]
        {
            for at in 0..good.len() {
                let mut changed = good.clone();
                changed[at] = marker;
                inputs.push(changed);
            }
        }
        inputs.push([good.as_slice(), &[0xc0]].concat());
        for bytes in &inputs {
            if let Err(error) = Snapshot::from_msgpack(bytes) {
                assert_eq!((error.code, error.path.as_str()), (ErrorCode::InvalidSnapshot, ""), "{bytes:02x?}");
            }
        }
        for end in 0..good.len() {
            assert!(Snapshot::from_msgpack(&good[..end]).is_err(), "truncated at {end}");
        }
        assert!(Snapshot::from_msgpack(&[good.as_slice(), &[0xc0]].concat()).is_err(), "trailing bytes");
    }
}
