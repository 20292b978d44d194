//! Writing a compact snapshot: the strings counted first (the table), then everything packed.

use super::super::msgpack::{self, NumberForm};
use super::super::{Snapshot, SNAPSHOT_FORMAT};
use super::{COMPACT_VERSION, EXT_I64, EXT_U64, KEYS, RELATIONSHIPS};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;

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
    msgpack::write_map_len(&mut out, KEYS.len());
    msgpack::write_str(&mut out, KEYS[0]);
    msgpack::write_str(&mut out, SNAPSHOT_FORMAT);
    msgpack::write_str(&mut out, KEYS[1]);
    msgpack::write_uint(&mut out, COMPACT_VERSION.into());
    msgpack::write_str(&mut out, KEYS[2]);
    msgpack::write_uint(&mut out, snapshot.revision);
    msgpack::write_str(&mut out, KEYS[3]);
    msgpack::write(&mut out, &options);
    msgpack::write_str(&mut out, KEYS[4]);
    msgpack::write_array_len(&mut out, strings.len());
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
    msgpack::write_array_len(&mut packer.out, snapshot.definitions.len());
    snapshot.definitions.iter().for_each(|d| packer.value(d));
    let definitions_end = packer.out.len();
    packer.design(&snapshot.design, entries.is_some());
    let design_end = packer.out.len();
    match entries {
        None => msgpack::write_nil(&mut packer.out),
        Some(entries) => {
            msgpack::write_array_len(&mut packer.out, entries.len());
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
            Value::Null => msgpack::write_nil(&mut self.out),
            Value::Bool(b) => msgpack::write_bool(&mut self.out, *b),
            Value::Number(n) => self.number(n),
            Value::String(s) => self.string(s),
            Value::Array(items) => {
                msgpack::write_array_len(&mut self.out, items.len());
                items.iter().for_each(|item| self.value(item));
            }
            Value::Object(map) => {
                msgpack::write_map_len(&mut self.out, map.len());
                for (key, value) in map {
                    self.string(key);
                    self.value(value);
                }
            }
        }
    }

    fn number(&mut self, n: &Number) {
        match msgpack::number_form(n) {
            NumberForm::Unsigned(u) if u <= i64::MAX as u64 => msgpack::write_sint(&mut self.out, -(u as i64) - 1),
            NumberForm::Unsigned(u) => {
                let _ = rmp::encode::write_ext_meta(&mut self.out, 8, EXT_U64);
                self.out.extend(u.to_be_bytes());
            }
            NumberForm::Negative(i) => {
                let _ = rmp::encode::write_ext_meta(&mut self.out, 8, EXT_I64);
                self.out.extend(i.to_be_bytes());
            }
            NumberForm::Float(f) => msgpack::write_f64(&mut self.out, f),
            NumberForm::Text(text) => msgpack::write_number_text(&mut self.out, text),
        }
    }

    /// The design, its `relationships` slot `nil` when they are stored apart.
    fn design(&mut self, design: &'a Value, apart: bool) {
        let Value::Object(fields) = design else { return self.value(design) };
        msgpack::write_map_len(&mut self.out, fields.len());
        for (key, value) in fields {
            self.string(key);
            if apart && key == RELATIONSHIPS {
                msgpack::write_nil(&mut self.out);
            } else {
                self.value(value);
            }
        }
    }

    fn entry(&mut self, entry: &Entry<'a>) {
        match entry {
            Entry::Plain(value) => self.value(value),
            Entry::Derived { base, changes, removed } => {
                msgpack::write_array_len(&mut self.out, if removed.is_empty() { 2 } else { 3 });
                msgpack::write_uint(&mut self.out, *base as u64);
                msgpack::write_map_len(&mut self.out, changes.len());
                for (key, value) in changes {
                    self.string(key);
                    self.value(value);
                }
                if !removed.is_empty() {
                    msgpack::write_array_len(&mut self.out, removed.len());
                    removed.iter().for_each(|key| self.string(key));
                }
            }
        }
    }
}
