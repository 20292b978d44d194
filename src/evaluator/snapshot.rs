//! Snapshots of an evaluator: MessagePack (compact, for persistence and worker restarts) and JSON
//! (readable, for export), both versioned so an old snapshot is read or refused, never misread.
//!
//! Two layouts exist. Version 1, the expanded layout, is `Snapshot` itself: the definitions and
//! the design as JSON values. JSON exports are version 1, and so were the MessagePack snapshots of
//! earlier builds, which still restore. Version 2, the compact layout (`compact.rs`), is what
//! `to_msgpack` writes: a string table and relationships stored as changes to their definitions.
//! Both decode to the same `Snapshot`, labelled version 1.

mod compact;

use crate::error::{Error, ErrorCode, Result};
use crate::options::EngineOptions;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Identifies our snapshots among other MessagePack or JSON documents.
pub const SNAPSHOT_FORMAT: &str = "meshery-relationship-evaluator/snapshot";
/// The version of the MessagePack snapshots this build writes (the compact layout). It reads
/// this one and `EXPANDED_SNAPSHOT_VERSION`.
pub const SNAPSHOT_VERSION: u32 = compact::COMPACT_VERSION;
/// The version of the expanded layout: `Snapshot`'s own, JSON exports' (written and read), and
/// MessagePack snapshots' before version 2 (read).
pub const EXPANDED_SNAPSHOT_VERSION: u32 = 1;

/// Everything an evaluator needs to continue exactly where it was, in the expanded layout
/// (`version` is `EXPANDED_SNAPSHOT_VERSION` whichever layout it was read from).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    pub format: String,
    pub version: u32,
    pub revision: u64,
    pub options: EngineOptions,
    pub definitions: Vec<Value>,
    pub design: Value,
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidSnapshot, "", message)
}

/// The format tag and version, read before the body so an old snapshot is refused, never misread.
/// An absent or `null` field is missing; a field of another type makes the snapshot unreadable.
fn check_header(value: &Value) -> Result<()> {
    let Value::Object(map) = value else {
        return Err(invalid("not an evaluator snapshot (missing or wrong format tag)"));
    };
    let format = match map.get("format") {
        None | Some(Value::Null) => None,
        Some(Value::String(format)) => Some(format.as_str()),
        Some(other) => return Err(invalid(format!("unreadable snapshot: the format tag {other} is not a string"))),
    };
    if format != Some(SNAPSHOT_FORMAT) {
        return Err(invalid("not an evaluator snapshot (missing or wrong format tag)"));
    }
    let version = match map.get("version") {
        None | Some(Value::Null) => None,
        Some(version) => match version.as_u64().and_then(|v| u32::try_from(v).ok()) {
            Some(version) => Some(version),
            None => return Err(invalid(format!("unreadable snapshot: the version {version} is not a u32"))),
        },
    };
    match version {
        Some(EXPANDED_SNAPSHOT_VERSION) => Ok(()),
        Some(SNAPSHOT_VERSION) => Err(invalid(format!(
            "snapshot version {SNAPSHOT_VERSION} is the compact MessagePack layout, map entries in the order \
             snapshot() writes them; JSON snapshots are version {EXPANDED_SNAPSHOT_VERSION}"
        ))),
        Some(version) => Err(invalid(format!(
            "snapshot version {version} is not supported (this build reads versions {EXPANDED_SNAPSHOT_VERSION} \
             and {SNAPSHOT_VERSION})"
        ))),
        None => Err(invalid("snapshot has no version")),
    }
}

/// Nesting a snapshot may have: its design sits at level 2, so a design of `DEEPEST_NESTING` levels
/// (the most any reader accepts) makes a snapshot one level deeper; definitions count from level 3
/// where they are stored, so they fit too. Every state an evaluator accepted can be restored.
pub const SNAPSHOT_NESTING: usize = crate::limits::DEEPEST_NESTING + 1;

/// The same cap for MessagePack, in rmp-serde's `set_max_depth` count (containers at depth
/// `0..MAX - 1` are read: `SNAPSHOT_NESTING` levels).
const MAX_MSGPACK_DEPTH: usize = SNAPSHOT_NESTING + 1;

/// The body of a snapshot whose header was checked, read as the derived `Deserialize` reads it
/// (every field required, unknown fields ignored) without its copy of serde's machinery: the
/// design and the definitions are moved out as they are, and the options go through
/// `EngineOptions`' JSON decoder.
fn read_body(value: Value) -> Result<Snapshot> {
    let corrupt = |message: String| invalid(format!("corrupt snapshot: {message}"));
    let Value::Object(mut map) = value else {
        return Err(corrupt("not an object".into()));
    };
    let mut field = |name: &str| map.shift_remove(name).ok_or_else(|| corrupt(format!("missing field `{name}`")));
    let (format, version) = (field("format")?, field("version")?);
    let (Value::String(format), Some(Ok(version))) = (format, version.as_u64().map(u32::try_from)) else {
        return Err(corrupt("bad format tag or version".into()));
    };
    let revision = field("revision")?;
    let Some(revision) = revision.as_u64() else {
        return Err(corrupt(format!("the revision {revision} is not a u64")));
    };
    let options = serde_json::from_str(&field("options")?.to_string()).map_err(|e| corrupt(format!("options: {e}")))?;
    let Value::Array(definitions) = field("definitions")? else {
        return Err(corrupt("the definitions are not an array".into()));
    };
    let design = field("design")?;
    Ok(Snapshot { format, version, revision, options, definitions, design })
}

impl Snapshot {
    /// MessagePack bytes in the compact layout (version 2): the same state always gives the same
    /// bytes.
    pub fn to_msgpack(&self) -> Vec<u8> {
        compact::write(self)
    }

    /// MessagePack bytes in the expanded layout (version 1, what builds before version 2 wrote
    /// and read): a map with field names, byte for byte what `rmp_serde::to_vec_named(self)`
    /// writes.
    pub fn to_msgpack_expanded(&self) -> Vec<u8> {
        let options = serde_json::to_value(&self.options).unwrap_or_default();
        let mut out = Vec::new();
        msgpack::write_len(&mut out, msgpack::MAP, 6);
        msgpack::write_str(&mut out, "format");
        msgpack::write_str(&mut out, &self.format);
        msgpack::write_str(&mut out, "version");
        msgpack::write_uint(&mut out, self.version.into());
        msgpack::write_str(&mut out, "revision");
        msgpack::write_uint(&mut out, self.revision);
        msgpack::write_str(&mut out, "options");
        msgpack::write(&mut out, &options);
        msgpack::write_str(&mut out, "definitions");
        msgpack::write_len(&mut out, msgpack::ARRAY, self.definitions.len());
        for definition in &self.definitions {
            msgpack::write(&mut out, definition);
        }
        msgpack::write_str(&mut out, "design");
        msgpack::write(&mut out, &self.design);
        out
    }

    /// Reads MessagePack bytes of either layout: version 2 when they start with its header (then
    /// any damage is a corrupt snapshot), else the expanded layout as a JSON value, the header
    /// first, then the body, exactly as `from_json` reads it. Nesting is capped like JSON input's
    /// (128 levels) in both, so hostile bytes cannot exhaust the stack.
    pub fn from_msgpack(bytes: &[u8]) -> Result<Snapshot> {
        if compact::is_compact(bytes) {
            return read_body(compact::read(bytes)?);
        }
        let value = msgpack::read(bytes).map_err(|e| invalid(format!("unreadable snapshot: {e}")))?;
        check_header(&value)?;
        read_body(value)
    }

    /// JSON text, in the expanded layout (version 1).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads JSON text (version 1 only).
    pub fn from_json(text: &str) -> Result<Snapshot> {
        let value = crate::reading::parse_json_within(text, SNAPSHOT_NESTING)?;
        check_header(&value)?;
        read_body(value)
    }
}

/// MessagePack ⇄ JSON values, written out rather than through rmp-serde, whose decoder is generic
/// over every serde visitor (three copies of it for `Value` alone). It reads and writes exactly
/// what rmp-serde did for a `Value`: integers in their smallest form, floats as float 64, strings
/// as UTF-8 `str`, maps keyed by strings (a repeated key: the last value wins, in the first one's
/// place). `bin`, `ext` and non-string keys are refused; a float that is not finite reads as `null`.
/// Inserts a map entry read from a MessagePack snapshot, refusing a key the map already holds: a
/// snapshot is written with each key once, so a second one is damage, never a value to keep
/// silently (issue 15 #3).
fn insert_once(map: &mut serde_json::Map<String, Value>, key: String, value: Value) -> Result<(), String> {
    match map.entry(key) {
        serde_json::map::Entry::Occupied(entry) => Err(format!("the key {:?} appears twice in one map", entry.key())),
        serde_json::map::Entry::Vacant(entry) => {
            entry.insert(value);
            Ok(())
        }
    }
}

mod msgpack {
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
                super::insert_once(&mut map, key, value)?;
            }
            Ok(Value::Object(map))
        }
    }

    /// A float as serde_json holds it: `null` unless finite.
    pub fn float(f: f64) -> Value {
        Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

/// The rmp-serde reference for the codec (shared with the integration tests).
#[cfg(test)]
#[path = "../../tests/fixture_helpers/msgpack.rs"]
mod rmp_reference;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Snapshot {
        let mut options = EngineOptions { max_passes: 3, include_timestamp: true, ..EngineOptions::default() };
        options.limits.max_components = 70_000;
        Snapshot {
            format: SNAPSHOT_FORMAT.into(),
            version: EXPANDED_SNAPSHOT_VERSION,
            revision: 4_000_000_000,
            options,
            definitions: vec![json!({"id": "d", "kind": "edge", "selectors": [{"allow": {"from": [], "to": []}}]})],
            design: json!({
                "id": "x", "version": "0.0.7",
                "components": [{"id": "a", "displayName": "Ä\u{2028}", "configuration": {"n": [0, -1, -200, 1.5, 1e300, 18446744073709551615u64, -9223372036854775808i64, true, null]}}],
                "relationships": [],
                "z": {"nested": {"deeper": [[], {}]}},
            }),
        }
    }

    #[test]
    fn a_key_twice_in_one_map_is_refused_in_either_layout() {
        let snapshot = sample();
        let key = [&[0xab_u8][..], b"displayName"].concat();
        for bytes in [snapshot.to_msgpack_expanded(), snapshot.to_msgpack()] {
            let at = bytes.windows(key.len()).position(|w| w == key).expect("the displayName key");
            let twice = [&bytes[..at], &[0xa2, b'i', b'd'][..], &bytes[at + key.len()..]].concat();
            let error = Snapshot::from_msgpack(&twice).expect_err("a key twice");
            assert_eq!(error.code, crate::error::ErrorCode::InvalidSnapshot);
            assert!(error.message.contains("the key \"id\" appears twice in one map"), "{}", error.message);
        }
    }

    /// The decoder this module had before it decoded into `Value`: the header, then the body,
    /// each through rmp's decoder instantiated for its own type.
    fn typed_from_msgpack(bytes: &[u8]) -> Option<Snapshot> {
        #[derive(Deserialize)]
        struct Header {
            format: Option<String>,
            version: Option<u32>,
        }
        fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Option<T> {
            let mut decoder = rmp_serde::Deserializer::from_read_ref(bytes);
            decoder.set_max_depth(MAX_MSGPACK_DEPTH);
            T::deserialize(&mut decoder).ok()
        }
        let header: Header = decode(bytes)?;
        if header.format.as_deref() != Some(SNAPSHOT_FORMAT) || header.version != Some(EXPANDED_SNAPSHOT_VERSION) {
            return None;
        }
        decode(bytes)
    }

    #[test]
    fn msgpack_bytes_are_those_of_rmp_serde() {
        let mut snapshot = sample();
        let long = |n: usize| Value::String("é".repeat(n));
        let numbers: Vec<Value> = [0i64, 1, 127, 128, 255, 256, 65_535, 65_536, 4_294_967_295, 4_294_967_296, i64::MAX]
            .into_iter()
            .flat_map(|n| [json!(n), json!(-n), json!(-n - 1)])
            .chain([json!(u64::MAX), json!(0.5), json!(-1e300), json!(1.0), json!(-0.0)])
            .collect();
        snapshot.design["numbers"] = Value::Array(numbers);
        snapshot.design["strings"] = json!([long(15), long(16), long(127), long(128), long(32_767), long(32_768), ""]);
        snapshot.design["arrays"] = json!([vec![0; 15], vec![1; 16], vec![2; 65_535], vec![3; 65_536], []]);
        let map = |n: usize| Value::Object((0..n).map(|i| (format!("k{i}"), json!(i))).collect());
        snapshot.design["maps"] = json!([map(15), map(16), map(65_535), map(65_536), {}]);
        snapshot.definitions.push(Value::Null);
        snapshot.definitions.extend((0..20).map(|i| json!({"id": i})));
        let reference = rmp_reference::to_msgpack(&serde_json::to_value(&snapshot).expect("JSON"));
        assert_eq!(snapshot.to_msgpack_expanded(), reference);
        assert_eq!(Snapshot::from_msgpack(&snapshot.to_msgpack_expanded()), Ok(snapshot));
    }

    /// Every byte of a snapshot replaced by each kind of marker, and every truncation: decoded as
    /// rmp-serde decoded a `Value` (with the same depth cap), or refused by both — except a map
    /// naming a key twice, which rmp-serde reads (keeping the last value) and this reader refuses.
    #[test]
    fn msgpack_reads_values_as_rmp_serde_did() {
        let rmp_serde_value = |bytes: &[u8]| {
            let mut decoder = rmp_serde::Deserializer::from_read_ref(bytes);
            decoder.set_max_depth(MAX_MSGPACK_DEPTH);
            Value::deserialize(&mut decoder).ok()
        };
        let mut snapshot = sample();
        snapshot.design["more"] = json!({"f": 0.25, "n": -7, "u": 300, "s": "x".repeat(40), "a": vec![1; 17]});
        let good = snapshot.to_msgpack_expanded();
        let markers = [
            0x00, 0x05, 0x7f, 0x80, 0x81, 0x8f, 0x90, 0x91, 0x9f, 0xa0, 0xa3, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc7,
        ]
        .into_iter()
        .chain(0xca..=0xdf)
        .chain([0xe0, 0xff]);
        let mut inputs: Vec<Vec<u8>> = (0..good.len()).map(|end| good[..end].to_vec()).collect();
        for marker in markers {
            for at in 0..good.len() {
                let mut changed = good.clone();
                changed[at] = marker;
                inputs.push(changed);
            }
        }
        // Trailing bytes, a repeated key, an f32, a NaN, a bin value, a non-string key.
        inputs.push([good.as_slice(), &[0xc1, 0xff]].concat());
        inputs.push(vec![0x82, 0xa1, b'a', 0x01, 0xa1, b'a', 0x02]);
        inputs.push(vec![0x92, 0xca, 0x3f, 0xc0, 0x00, 0x00, 0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0]);
        inputs.push(vec![0xc4, 0x01, 0x00]);
        inputs.push(vec![0x81, 0x01, 0x02]);
        let mut repeated_keys = 0;
        for bytes in &inputs {
            match msgpack::read(bytes) {
                // The one deliberate difference: rmp-serde keeps the last of two equal keys.
                Err(message) if message.contains("appears twice in one map") => {
                    assert!(rmp_serde_value(bytes).is_some(), "{bytes:02x?}");
                    repeated_keys += 1;
                }
                ours => assert_eq!(ours.ok(), rmp_serde_value(bytes), "{bytes:02x?}"),
            }
        }
        assert!(repeated_keys > 0, "the repeated-key input is among them");
    }

    #[test]
    fn body_is_read_as_the_derived_deserialize_read_it() {
        let base = serde_json::to_value(sample()).expect("JSON");
        let with = |pointer: &str, value: Value| {
            let mut out = base.clone();
            let (parent, key) = pointer.rsplit_once('/').unwrap_or_default();
            if let Some(map) = out.pointer_mut(parent).and_then(Value::as_object_mut) {
                map.insert(key.to_owned(), value);
            }
            out
        };
        let without = |key: &str| {
            let mut out = base.clone();
            out.as_object_mut().map(|map| map.shift_remove(key));
            out
        };
        let mut variants = vec![
            base.clone(),
            with("/extra", json!([1])),
            with("/design", Value::Null),
            with("/definitions", json!([])),
        ];
        for key in ["format", "version", "revision", "options", "definitions", "design"] {
            variants.push(without(key));
        }
        for (pointer, value) in [
            ("/revision", json!(-3)),
            ("/revision", json!(3.0)),
            ("/revision", json!("3")),
            ("/revision", json!(u64::MAX)),
            ("/definitions", json!({})),
            ("/definitions", Value::Null),
            ("/options", Value::Null),
            ("/options", json!({})),
            ("/options", json!([])),
            ("/options/bogus", json!(true)),
            ("/options/maxPasses", json!(2.0)),
            ("/options/maxPasses", json!(-1)),
            ("/options/maxPasses", json!(1e300)),
            ("/options/returnDiffOnly", json!(1)),
            ("/options/limits", json!({"maxComponents": 3})),
            ("/options/limits", json!({"maxComponents": 3, "x": 1})),
            ("/options/limits", Value::Null),
            ("/options/limits/maxInputBytes", json!(18446744073709551615u64)),
        ] {
            variants.push(with(pointer, value));
        }
        for value in variants {
            let derived = serde_json::from_value::<Snapshot>(value.clone()).ok();
            assert_eq!(read_body(value.clone()).ok(), derived, "{value}");
        }
    }

    #[test]
    fn numbers_come_back_as_written_from_every_layout() {
        let mut snapshot = sample();
        let text = r#"[123456789012345678901234567890,1e400,1e-400,-0,1.50,1E5,1e+5,7,-3,0.5,-0.0,18446744073709551615,1e300,"#;
        let long_integer = "9".repeat(300);
        let numbers = crate::reading::parse_json_within(&format!("{text}{long_integer}]"), 128).expect("JSON");
        snapshot.design["numbers"] = numbers.clone();
        for bytes in [snapshot.to_msgpack(), snapshot.to_msgpack_expanded(), snapshot.to_json().into_bytes()] {
            let restored =
                Snapshot::from_msgpack(&bytes).or_else(|_| Snapshot::from_json(std::str::from_utf8(&bytes).unwrap()));
            let restored = restored.expect("restores").design["numbers"].clone();
            assert_eq!(serde_json::to_string(&restored).unwrap(), serde_json::to_string(&numbers).unwrap());
        }
    }

    #[test]
    fn a_number_text_that_is_not_a_json_number_is_refused() {
        let mut bytes = vec![0x81, 0xa1, b'n'];
        msgpack::write_number_text(&mut bytes, "1e");
        assert!(msgpack::read(&bytes).unwrap_err().contains("is not a JSON number"));
        let mut bytes = vec![0x91];
        msgpack::write_number_text(&mut bytes, "1E5");
        assert_eq!(serde_json::to_string(&msgpack::read(&bytes).unwrap()).unwrap(), "[1E5]");
    }

    #[test]
    fn msgpack_round_trips() {
        let snapshot = sample();
        assert_eq!(Snapshot::from_msgpack(&snapshot.to_msgpack()), Ok(snapshot.clone()));
        assert_eq!(Snapshot::from_msgpack(&snapshot.to_msgpack_expanded()), Ok(snapshot.clone()));
        assert_eq!(Snapshot::from_json(&snapshot.to_json()), Ok(snapshot));
    }

    #[test]
    fn msgpack_decoding_accepts_and_refuses_what_the_typed_decoder_did() {
        let good = sample().to_msgpack_expanded();
        let mut inputs: Vec<Vec<u8>> = (0..good.len()).map(|end| good[..end].to_vec()).collect();
        for at in 0..good.len() {
            let mut corrupt = good.clone();
            corrupt[at] = 0xc1;
            inputs.push(corrupt);
        }
        for bytes in &inputs {
            assert_eq!(Snapshot::from_msgpack(bytes).ok(), typed_from_msgpack(bytes), "{bytes:02x?}");
        }
        for bytes in &inputs {
            if let Err(error) = Snapshot::from_msgpack(bytes) {
                assert_eq!((error.code, error.path.as_str()), (ErrorCode::InvalidSnapshot, ""));
            }
        }
    }

    #[test]
    fn msgpack_depth_cap_is_unchanged() {
        // {"format", "version", "revision", "options", "definitions", "design": [[…[]…]]}
        let mut head = sample();
        head.design = Value::Null;
        let mut prefix = head.to_msgpack_expanded();
        assert_eq!(prefix.pop(), Some(0xc0), "the design (nil) is the last entry");
        for depth in 120..=132 {
            let mut bytes = prefix.clone();
            bytes.extend(std::iter::repeat_n(0x91, depth - 1));
            bytes.push(0x90);
            let accepted = Snapshot::from_msgpack(&bytes).is_ok();
            assert_eq!(accepted, typed_from_msgpack(&bytes).is_some(), "depth {depth}");
            assert_eq!(accepted, depth < MAX_MSGPACK_DEPTH - 1, "depth {depth}");
        }
    }
}
