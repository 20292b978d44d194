//! Snapshots of an evaluator: MessagePack (compact, for persistence and worker restarts) and JSON
//! (readable, for export), both versioned so an old snapshot is read or refused, never misread.
//!
//! Two layouts exist. Version 1, the expanded layout, is `Snapshot` itself: the definitions and
//! the design as JSON values. JSON exports are version 1, and so were the MessagePack snapshots of
//! earlier builds, which still restore. Version 2, the compact layout (`compact/`), is what
//! `to_msgpack` writes: a string table and relationships stored as changes to their definitions.
//! Both decode to the same `Snapshot`, labelled version 1.

mod compact;
pub(crate) mod msgpack;

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
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "SnapshotJson"))]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    #[cfg_attr(feature = "typescript", ts(type = "\"meshery-relationship-evaluator/snapshot\""))]
    pub format: String,
    pub version: u32,
    pub revision: u64,
    pub options: EngineOptions,
    #[cfg_attr(feature = "typescript", ts(type = "Array<RelationshipDefinition>"))]
    pub definitions: Vec<Value>,
    #[cfg_attr(feature = "typescript", ts(type = "Design"))]
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
        msgpack::write_map_len(&mut out, 6);
        msgpack::write_str(&mut out, "format");
        msgpack::write_str(&mut out, &self.format);
        msgpack::write_str(&mut out, "version");
        msgpack::write_uint(&mut out, self.version.into());
        msgpack::write_str(&mut out, "revision");
        msgpack::write_uint(&mut out, self.revision);
        msgpack::write_str(&mut out, "options");
        msgpack::write(&mut out, &options);
        msgpack::write_str(&mut out, "definitions");
        msgpack::write_array_len(&mut out, self.definitions.len());
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
        let value = serde_json::to_value(&snapshot).expect("JSON");
        let reference = rmp_serde::to_vec_named(&crate::values::NativeNumbers(&value)).expect("rmp-serde encodes");
        assert_eq!(snapshot.to_msgpack_expanded(), reference);
        assert_eq!(Snapshot::from_msgpack(&snapshot.to_msgpack_expanded()), Ok(snapshot));
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
