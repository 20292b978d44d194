//! MessagePack ⇄ JSON values, written out rather than through rmp-serde, whose decoder is generic
//! over every serde visitor (three copies of it for `Value` alone). Both snapshot layouts use it.
//! It reads and writes what rmp-serde did for a `Value` (the unit tests check it byte for byte):
//! integers in their smallest form, floats as float 64, strings as UTF-8 `str`, maps keyed by
//! strings. Two differences: a map naming one key twice is refused (damage, never a value to keep),
//! and a number MessagePack cannot hold as written (`-0`, `1.50`, `1e400`, integers past 64 bits)
//! is its JSON text in an `ext` of type `EXT_NUMBER_TEXT`. `bin`, other `ext`s and non-string keys
//! are refused; a float that is not finite reads as `null`.

use serde_json::{Map, Number, Value};

use super::MAX_MSGPACK_DEPTH;

/// The fix-length marker, its largest length + 1, the 8-bit-length marker (strings only) and
/// the 16-bit one (the 32-bit one follows it).
pub struct Kind(u8, usize, Option<u8>, u8);
pub const MAP: Kind = Kind(0x80, 16, None, 0xde);
pub const ARRAY: Kind = Kind(0x90, 16, None, 0xdc);
pub const STR: Kind = Kind(0xa0, 32, Some(0xd9), 0xda);

pub fn write_len(out: &mut Vec<u8>, Kind(fix, fix_limit, marker8, marker16): Kind, len: usize) {
    if len < fix_limit {
        out.push(fix | len as u8);
    } else if let Some(marker) = marker8.filter(|_| len < 0x100) {
        out.extend([marker, len as u8]);
    } else if len < 0x1_0000 {
        out.push(marker16);
        out.extend((len as u16).to_be_bytes());
    } else {
        out.push(marker16 + 1);
        out.extend((len as u32).to_be_bytes());
    }
}

pub fn write_str(out: &mut Vec<u8>, s: &str) {
    write_len(out, STR, s.len());
    out.extend_from_slice(s.as_bytes());
}

pub fn write_uint(out: &mut Vec<u8>, n: u64) {
    match n {
        0..=0x7f => out.push(n as u8),
        0x80..=0xff => out.extend([0xcc, n as u8]),
        0x100..=0xffff => {
            out.push(0xcd);
            out.extend((n as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(0xce);
            out.extend((n as u32).to_be_bytes());
        }
        _ => {
            out.push(0xcf);
            out.extend(n.to_be_bytes());
        }
    }
}

/// The MessagePack `ext` type of a number kept as its JSON text.
pub const EXT_NUMBER_TEXT: u8 = 2;

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

/// `ext 8/16/32` of type `EXT_NUMBER_TEXT` holding the number's text.
pub fn write_number_text(out: &mut Vec<u8>, text: &str) {
    let len = text.len();
    if len < 0x100 {
        out.extend([0xc7, len as u8]);
    } else if len < 0x1_0000 {
        out.push(0xc8);
        out.extend((len as u16).to_be_bytes());
    } else {
        out.push(0xc9);
        out.extend((len as u32).to_be_bytes());
    }
    out.push(EXT_NUMBER_TEXT);
    out.extend_from_slice(text.as_bytes());
}

pub fn write_negative(out: &mut Vec<u8>, n: i64) {
    match n {
        -32..=-1 => out.push(n as u8),
        -128..=-33 => out.extend([0xd0, n as u8]),
        -32_768..=-129 => {
            out.push(0xd1);
            out.extend((n as i16).to_be_bytes());
        }
        -2_147_483_648..=-32_769 => {
            out.push(0xd2);
            out.extend((n as i32).to_be_bytes());
        }
        _ => {
            out.push(0xd3);
            out.extend(n.to_be_bytes());
        }
    }
}

pub fn write(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.push(0xc0),
        Value::Bool(b) => out.push(if *b { 0xc3 } else { 0xc2 }),
        Value::Number(n) => match number_form(n) {
            NumberForm::Unsigned(n) => write_uint(out, n),
            NumberForm::Negative(n) => write_negative(out, n),
            NumberForm::Float(f) => {
                out.push(0xcb);
                out.extend(f.to_be_bytes());
            }
            NumberForm::Text(text) => write_number_text(out, text),
        },
        Value::String(s) => write_str(out, s),
        Value::Array(items) => {
            write_len(out, ARRAY, items.len());
            items.iter().for_each(|item| write(out, item));
        }
        Value::Object(map) => {
            write_len(out, MAP, map.len());
            for (key, value) in map {
                write_str(out, key);
                write(out, value);
            }
        }
    }
}

/// The value at the start of `bytes` (what follows it is ignored).
pub fn read(bytes: &[u8]) -> Result<Value, String> {
    Reader { bytes }.value(0)
}

pub struct Reader<'a> {
    pub bytes: &'a [u8],
}

impl Reader<'_> {
    pub fn take(&mut self, len: usize) -> Result<&[u8], String> {
        if len > self.bytes.len() {
            return Err("unexpected end of input".into());
        }
        let (head, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        Ok(head)
    }

    /// A big-endian unsigned integer of `len` (≤ 8) bytes.
    pub fn uint(&mut self, len: usize) -> Result<u64, String> {
        Ok(self.take(len)?.iter().fold(0, |n, &b| n << 8 | u64::from(b)))
    }

    pub fn string(&mut self, len: u64) -> Result<String, String> {
        let bytes = self.take(usize::try_from(len).unwrap_or(usize::MAX))?;
        std::str::from_utf8(bytes).map(str::to_owned).map_err(|e| e.to_string())
    }

    /// The `ext 8/16/32` (its marker already read) of a number kept as text.
    pub fn number_text(&mut self, marker: u8) -> Result<Value, String> {
        let len = self.uint(1 << (marker - 0xc7))?;
        let kind = self.take(1)?[0];
        if kind != EXT_NUMBER_TEXT {
            return Err(format!("unknown extension type {kind}"));
        }
        let text = self.string(len)?;
        // Any JSON number, kept as written (serde_json's own parse would respell `1E5`).
        serde_json::from_str::<Number>(&text).map_err(|_| format!("{text:?} is not a JSON number"))?;
        Ok(Value::Number(Number::from_string_unchecked(text)))
    }

    pub fn value(&mut self, depth: usize) -> Result<Value, String> {
        let marker = self.take(1)?[0];
        let container = matches!(marker, 0x80..=0x9f | 0xdc..=0xdf);
        if container && depth + 1 >= MAX_MSGPACK_DEPTH {
            return Err("depth limit exceeded".into());
        }
        Ok(match marker {
            0x00..=0x7f => Value::from(marker),
            0x80..=0x8f => self.map(u64::from(marker & 0x0f), depth)?,
            0x90..=0x9f => self.array(u64::from(marker & 0x0f), depth)?,
            0xa0..=0xbf => Value::String(self.string(u64::from(marker & 0x1f))?),
            0xc0 => Value::Null,
            0xc2 => Value::Bool(false),
            0xc3 => Value::Bool(true),
            0xca => float(f64::from(f32::from_bits(self.uint(4)? as u32))),
            0xcb => float(f64::from_bits(self.uint(8)?)),
            0xc7..=0xc9 => self.number_text(marker)?,
            0xcc..=0xcf => Value::from(self.uint(1 << (marker - 0xcc))?),
            0xd0..=0xd3 => {
                // Sign-extend the 1, 2, 4 or 8 bytes.
                let len = 1 << (marker - 0xd0);
                let shift = 64 - 8 * len;
                Value::from(((self.uint(len)? << shift) as i64) >> shift)
            }
            0xd9..=0xdb => {
                let len = self.uint(1 << (marker - 0xd9))?;
                Value::String(self.string(len)?)
            }
            0xdc | 0xdd => {
                let len = self.uint(2 << (marker - 0xdc))?;
                self.array(len, depth)?
            }
            0xde | 0xdf => {
                let len = self.uint(2 << (marker - 0xde))?;
                self.map(len, depth)?
            }
            0xe0..=0xff => Value::from(marker as i8),
            // 0xc1 (never used), bin, fixext
            _ => return Err(format!("unsupported MessagePack marker 0x{marker:02x}")),
        })
    }

    fn array(&mut self, len: u64, depth: usize) -> Result<Value, String> {
        // Every element takes a byte at least: hostile lengths allocate nothing.
        let mut items = Vec::with_capacity(self.bytes.len().min(usize::try_from(len).unwrap_or(usize::MAX)));
        for _ in 0..len {
            items.push(self.value(depth + 1)?);
        }
        Ok(Value::Array(items))
    }

    fn map(&mut self, len: u64, depth: usize) -> Result<Value, String> {
        let mut map = Map::new();
        for _ in 0..len {
            let key = match self.take(1)?[0] {
                marker @ 0xa0..=0xbf => self.string(u64::from(marker & 0x1f))?,
                marker @ 0xd9..=0xdb => {
                    let len = self.uint(1 << (marker - 0xd9))?;
                    self.string(len)?
                }
                marker => return Err(format!("a map key must be a string, not marker 0x{marker:02x}")),
            };
            let value = self.value(depth + 1)?;
            insert_once(&mut map, key, value)?;
        }
        Ok(Value::Object(map))
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
