//! Restoring an evaluator from arbitrary bytes, read both as a MessagePack snapshot and as a JSON
//! snapshot: never a panic (a refused snapshot is fine), and whatever restores survives a round
//! trip: snapshot it again, restore that in either encoding, and the state is identical.

#![no_main]

use libfuzzer_sys::fuzz_target;
use relationship_evaluator::evaluator::Snapshot;
use relationship_evaluator::Evaluator;
use relationship_evaluator_fuzz::assert_not_internal;

fn check_round_trips(snapshot: Snapshot) {
    let restored = Evaluator::restore(snapshot);
    assert_not_internal(&restored);
    let Ok(evaluator) = restored else { return };
    let state = evaluator.snapshot();

    let from_msgpack = Snapshot::from_msgpack(&state.to_msgpack()).expect("our own MessagePack snapshot reads back");
    let again = Evaluator::restore(from_msgpack).expect("our own MessagePack snapshot restores");
    assert_eq!(again.snapshot(), state, "state changed through a MessagePack round trip");

    let from_json = Snapshot::from_json(&state.to_json()).expect("our own JSON snapshot reads back");
    let again = Evaluator::restore(from_json).expect("our own JSON snapshot restores");
    assert_eq!(again.snapshot(), state, "state changed through a JSON round trip");
}

fuzz_target!(|data: &[u8]| {
    let from_msgpack = Snapshot::from_msgpack(data);
    assert_not_internal(&from_msgpack);
    if let Ok(snapshot) = from_msgpack {
        check_round_trips(snapshot);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let from_json = Snapshot::from_json(text);
        assert_not_internal(&from_json);
        if let Ok(snapshot) = from_json {
            check_round_trips(snapshot);
        }
    }
});
