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
//!
//! Writing is `write.rs` (count the strings, then pack), reading `read.rs` (unpack into the
//! expanded layout, which version 1 readers then check).

mod read;
mod write;

pub use read::{is_compact, read, Part};
pub use write::write;

/// The version of the compact layout.
pub const COMPACT_VERSION: u32 = 2;

/// The top-level keys, in the order they are written and must be read.
const KEYS: [&str; 8] =
    ["format", "version", "revision", "options", "strings", "definitions", "design", "relationships"];

const RELATIONSHIPS: &str = "relationships";
/// The `ext` types of integers packed as `fixext 8`.
const EXT_I64: i8 = 0;
const EXT_U64: i8 = 1;

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
