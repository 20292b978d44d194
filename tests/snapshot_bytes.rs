//! The bytes of MessagePack snapshots, pinned: snapshots persisted by earlier builds (IndexedDB,
//! worker restarts, Go sessions) are compared and restored byte for byte, so a change of codec must
//! not change them. The hashes were taken from the build before rmp-serde replaced the hand-written
//! codec (issue 14).

use relationship_evaluator::evaluator::Snapshot;
use relationship_evaluator::EngineOptions;
use sha2::{Digest, Sha256};

/// A snapshot with every kind of value either layout writes: integers at each width boundary,
/// floats, numbers kept as text (of 2, 4, 8 and 16 bytes too, the lengths of `fixext`), strings
/// and containers of each length class, and relationships derived from their definitions.
fn sample() -> Snapshot {
    let options = serde_json::to_string(&EngineOptions::default()).expect("options");
    let integers: Vec<String> =
        [0i64, 1, 31, 32, 127, 128, 255, 256, 65_535, 65_536, 4_294_967_295, 4_294_967_296, i64::MAX]
            .iter()
            .flat_map(|n| [n.to_string(), (-n).to_string(), (-n - 1).to_string()])
            .collect();
    let texts =
        ["-0", "1.50", "1E5", "1e400", "12345678.0000000", "1.00000000000000", "123456789012345678901234567890"];
    let long = |n: usize| format!("\"{}\"", "é".repeat(n));
    let strings: Vec<String> = [0, 15, 16, 127, 128, 40_000].iter().map(|n| long(*n)).collect();
    let array = |n: usize| format!("[{}]", vec!["7"; n].join(","));
    let arrays: Vec<String> = [0, 15, 16, 70_000].iter().map(|n| array(*n)).collect();
    let map = |n: usize| format!("{{{}}}", (0..n).map(|i| format!("\"k{i}\":{i}")).collect::<Vec<_>>().join(","));
    let maps: Vec<String> = [0, 15, 16, 70_000].iter().map(|n| map(*n)).collect();
    let definition = |id: &str| {
        format!(
            r#"{{"id":"{id}","kind":"edge","type":"non-binding","subType":"network","status":"enabled","model":{{"name":"kubernetes"}},"selectors":[{{"allow":{{"from":[{{"kind":"Service"}}],"to":[{{"kind":"Pod"}}]}}}}]}}"#
        )
    };
    let relationship = |id: &str| {
        format!(
            r#"{{"id":"{id}","kind":"edge","type":"non-binding","subType":"network","status":"approved","model":{{"name":"kubernetes"}},"selectors":[{{"allow":{{"from":[{{"id":"a","kind":"Service"}}],"to":[{{"id":"b","kind":"Pod"}}]}}}}],"extra":1.25}}"#
        )
    };
    let text = format!(
        r#"{{"format":"meshery-relationship-evaluator/snapshot","version":1,"revision":4000000000,"options":{options},
            "definitions":[{},{},null],
            "design":{{"id":"d","components":[{{"id":"a","displayName":"Ä\u2028","n":[{},{},0.5,-1e300,1.0,-0.0,true,false,null]}}],
                       "strings":[{}],"arrays":[{}],"maps":[{}],"relationships":[{},{},{{"id":"plain"}}]}}}}"#,
        definition("def-0"),
        definition("def-1"),
        integers.join(","),
        texts.join(","),
        strings.join(","),
        arrays.join(","),
        maps.join(","),
        relationship("r1"),
        relationship("r2"),
    );
    Snapshot::from_json(&text).expect("a JSON snapshot")
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn snapshot_bytes_are_those_of_earlier_builds() {
    let snapshot = sample();
    let (compact, expanded) = (snapshot.to_msgpack(), snapshot.to_msgpack_expanded());
    assert_eq!(
        (compact.len(), sha256(&compact), expanded.len(), sha256(&expanded)),
        (
            915_137,
            "3832e4a06c8fb9e88a9dbfa703b1ff8688bcc6fcb65906292e46e6273feacf57".into(),
            849_596,
            "7f2126bff632b67bfea96371b29896d73104dc9c0acbb04be2c0f4c2b3d6f64a".into()
        )
    );
    for bytes in [compact, expanded] {
        assert_eq!(Snapshot::from_msgpack(&bytes).map(|s| s.to_json()), Ok(snapshot.to_json()));
    }
}
