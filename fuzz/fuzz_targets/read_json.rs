//! Every reader of untrusted text, on arbitrary bytes, with the default limits and with small
//! ones: the raw JSON reading (`reading.rs`), designs, definitions, options, edit batches and
//! snapshots, and the native CLI's YAML reading (`examples/yaml/`, compiled in here).
//!
//! Checks: no reader panics; every error has a code, a message and a JSON-pointer path (`""` or
//! `/…` with `~` escaped); whatever reads with the small limits reads with the defaults, and what
//! the small limits add is `LIMIT_EXCEEDED` naming a limit; an accepted value written back as JSON
//! reads again to the same value and the same bytes (designs, definitions, options, edits, raw
//! values); the raw reader agrees with serde_json (same value, or an error where serde_json has
//! one, duplicate keys aside); an accepted YAML document gives JSON that the JSON readers accept
//! as the same value and the same design.

#![no_main]

use libfuzzer_sys::fuzz_target;
use relationship_evaluator::evaluator::{edits_from_json, Edit, Snapshot};
use relationship_evaluator::limits::DEEPEST_NESTING;
use relationship_evaluator::model::{definitions_from_json, Design, Relationship};
use relationship_evaluator::reading::{check_json, check_raw_depth, parse_json, parse_json_within};
use relationship_evaluator::{EngineOptions, Error, ErrorCode, Limits, Result};
use serde_json::Value;

#[allow(dead_code)]
#[path = "../../examples/yaml/mod.rs"]
mod yaml;

/// Limits small enough for fuzzer-sized inputs to reach every one of them.
fn small_limits() -> Limits {
    Limits {
        max_components: 3,
        max_relationships: 3,
        max_definitions: 3,
        max_input_bytes: 2048,
        max_depth: 6,
        max_string_bytes: 24,
        max_patch_bytes: 256,
    }
}

/// A `LIMIT_EXCEEDED` message starts with the limit's name (`maxDepth: …`, `maxNameBytes: …`).
fn names_a_limit(message: &str) -> bool {
    message.split_once(": ").is_some_and(|(name, _)| {
        name.starts_with(|c: char| c.is_ascii_lowercase()) && name.chars().all(|c| c.is_ascii_alphabetic())
    })
}

/// A JSON pointer (RFC 6901): empty, or `/`-separated segments where `~` is always `~0` or `~1`.
fn is_pointer(path: &str) -> bool {
    if path.is_empty() {
        return true;
    }
    path.starts_with('/') && {
        let mut chars = path.chars().peekable();
        let mut ok = true;
        while let Some(c) = chars.next() {
            if c == '~' && !matches!(chars.next(), Some('0' | '1')) {
                ok = false;
                break;
            }
        }
        ok
    }
}

fn check_error(error: &Error, reader: &str) {
    assert!(!error.code.as_str().is_empty(), "{reader}: an error without a code: {error:?}");
    assert!(!error.message.is_empty(), "{reader}: an error without a message: {error:?}");
    assert!(is_pointer(&error.path), "{reader}: the path is not a JSON pointer: {error:?}");
    assert_ne!(error.code, ErrorCode::Internal, "{reader}: internal error: {error}");
    if error.code == ErrorCode::LimitExceeded {
        assert!(names_a_limit(&error.message), "{reader}: a limit error that names no limit: {error:?}");
    }
    // The wire form is JSON with the three fields.
    let wire: Value = serde_json::from_str(&error.to_json()).expect("an error's JSON reads back");
    assert_eq!(wire["code"], error.code.as_str(), "{reader}: the wire code differs");
}

fn check_result<T>(result: &Result<T>, reader: &str) {
    if let Err(error) = result {
        check_error(error, reader);
    }
}

/// The same text with the default and the small limits: small accepts ⇒ default accepts (the
/// same value); default accepts and small refuses ⇒ `LIMIT_EXCEEDED`; both refuse ⇒ the small
/// limits fail with the same code or a limit.
fn compare_limits<T: PartialEq + std::fmt::Debug>(default: &Result<T>, small: &Result<T>, reader: &str) {
    match (default, small) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{reader}: the small limits read a different value"),
        (Err(error), Ok(_)) => panic!("{reader}: refused with the default limits only: {error:?}"),
        (Ok(_), Err(error)) => assert_eq!(
            error.code,
            ErrorCode::LimitExceeded,
            "{reader}: the small limits refused with another code than LIMIT_EXCEEDED: {error:?}"
        ),
        (Err(a), Err(b)) => assert!(
            a.code == b.code || b.code == ErrorCode::LimitExceeded,
            "{reader}: the small limits failed differently: {a:?} vs {b:?}"
        ),
    }
}

/// The raw reader: agrees with serde_json and is a fixpoint through its own output.
fn raw_reading(text: &str) -> Option<Value> {
    let ours = parse_json_within(text, DEEPEST_NESTING);
    check_result(&ours, "parse_json_within");
    assert_eq!(check_json(text, DEEPEST_NESTING).is_ok(), ours.is_ok(), "check_json and parse_json_within disagree");
    let depth_ok = check_raw_depth(text.as_bytes(), DEEPEST_NESTING);
    check_result(&depth_ok, "check_raw_depth");
    if let Err(error) = &depth_ok {
        assert_eq!(error.code, ErrorCode::LimitExceeded);
        assert_eq!(ours.as_ref().err(), Some(error), "the raw depth error is the reader's");
        return None;
    }
    for limits in [Limits::default(), small_limits()] {
        let limited = parse_json(text, &limits, DEEPEST_NESTING);
        check_result(&limited, "parse_json");
        if text.len() <= limits.max_input_bytes {
            assert_eq!(limited, ours, "parse_json and parse_json_within disagree within the size limit");
        } else {
            assert_eq!(limited.map_err(|e| e.code), Err(ErrorCode::LimitExceeded));
        }
    }
    // serde_json (this build has no recursion limit: the depth was checked above).
    let reference = serde_json::from_str::<Value>(text);
    match (&ours, &reference) {
        // The reader keeps an exponent as written (`1E5`, where serde_json writes `1e+5`): the
        // values agree once serde_json has read the reader's output too.
        (Ok(value), Ok(expected)) => {
            let respelled: Value = serde_json::from_str(&value.to_string()).expect("the reader writes JSON");
            assert_eq!(&respelled, expected, "the reader and serde_json read different values");
        }
        (Ok(value), Err(error)) => panic!("serde_json refuses what the reader accepts ({error}): {value}"),
        (Err(error), Ok(_)) => assert_eq!(
            error.code,
            ErrorCode::DuplicateKey,
            "the reader refuses what serde_json accepts, other than for a duplicate key: {error:?}"
        ),
        (Err(_), Err(_)) => {}
    }
    let value = ours.ok()?;
    let written = value.to_string();
    let again = parse_json_within(&written, DEEPEST_NESTING).expect("the reader's own output reads back");
    assert_eq!(again, value, "a value changed through a JSON round trip");
    assert_eq!(again.to_string(), written, "the bytes changed through a JSON round trip");
    Some(value)
}

fn design(text: &str) {
    let default = Design::from_json(text, &Limits::default());
    let small = Design::from_json(text, &small_limits());
    check_result(&default, "Design::from_json");
    check_result(&small, "Design::from_json (small limits)");
    compare_limits(&default, &small, "Design::from_json");
    let Ok(design) = default else { return };
    let written = design.to_value().to_string();
    // Read back with the limits that accepted it (a design without `components` gains `[]`, so
    // the text may grow by a few bytes: the size limit is the default's).
    let readers = [
        (Limits::default(), true),
        (Limits { max_input_bytes: Limits::default().max_input_bytes, ..small_limits() }, small.is_ok()),
    ];
    for (limits, accepted) in readers {
        if !accepted {
            continue;
        }
        let again = Design::from_json(&written, &limits).expect("a design's own JSON reads back");
        // Equal as read: numbers keep their spelling too (`Design::to_value` once respelled
        // `1e5` as `1e+5`; this check found it).
        assert_eq!(again, design, "a design changed through a JSON round trip");
        assert_eq!(again.to_value().to_string(), written, "a design's bytes changed through a JSON round trip");
    }
}

fn definitions(text: &str) {
    let default = definitions_from_json(text, &Limits::default());
    let small = definitions_from_json(text, &small_limits());
    check_result(&default, "definitions_from_json");
    check_result(&small, "definitions_from_json (small limits)");
    compare_limits(&default, &small, "definitions_from_json");
    let Ok(definitions) = default else { return };
    let written = serde_json::to_string(&definitions).expect("definitions serialize");
    let again: Vec<Relationship> =
        definitions_from_json(&written, &Limits::default()).expect("definitions' own JSON reads back");
    assert_eq!(again, definitions, "definitions changed through a JSON round trip");
    assert_eq!(serde_json::to_string(&again).expect("definitions serialize"), written);
}

fn options(text: &str) {
    let options = EngineOptions::from_json(text);
    check_result(&options, "EngineOptions::from_json");
    let Ok(options) = options else { return };
    let written = serde_json::to_string(&options).expect("options serialize");
    let again = EngineOptions::from_json(&written).expect("options' own JSON reads back");
    assert_eq!(again, options, "options changed through a JSON round trip");
}

fn edits(text: &str) {
    let default = edits_from_json(text, &Limits::default());
    let small = edits_from_json(text, &small_limits());
    check_result(&default, "edits_from_json");
    check_result(&small, "edits_from_json (small limits)");
    compare_limits(&default, &small, "edits_from_json");
    let Ok(edits) = default else { return };
    for (i, edit) in edits.iter().enumerate() {
        let path = format!("/{i}");
        for limits in [Limits::default(), small_limits()] {
            let checked = edit.check_limits(&limits, &path);
            check_result(&checked, "Edit::check_limits");
            if let Err(error) = checked {
                assert_eq!(error.code, ErrorCode::LimitExceeded, "Edit::check_limits: {error:?}");
                assert!(error.path.starts_with(&path), "Edit::check_limits names another edit: {error:?}");
            }
        }
    }
    let written = serde_json::to_string(&edits).expect("edits serialize");
    let again: Vec<Edit> = edits_from_json(&written, &Limits::default()).expect("edits' own JSON reads back");
    assert_eq!(again, edits, "edits changed through a JSON round trip");
    assert_eq!(serde_json::to_string(&again).expect("edits serialize"), written);
}

fn snapshot(text: &str) {
    // Restoring and its round trips are the `snapshot_restore` target's; here, the reading only.
    check_result(&Snapshot::from_json(text), "Snapshot::from_json");
}

/// The CLI's reading of a text that does not start like JSON: YAML, its nesting checked on the
/// raw bytes first (`examples/evaluate.rs`, `parse_document`).
fn yaml_reading(text: &str) {
    if check_raw_depth(text.as_bytes(), DEEPEST_NESTING).is_err() {
        return;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let read = yaml::read_yaml(text, DEEPEST_NESTING);
    check_result(&read, "read_yaml");
    let Ok(value) = read else { return };
    let json = value.to_string();
    let again = parse_json_within(&json, DEEPEST_NESTING)
        .unwrap_or_else(|e| panic!("the JSON of an accepted YAML document is refused: {e}\n{json}"));
    assert_eq!(again, value, "the JSON of a YAML document reads as another value");
    assert_eq!(again.to_string(), json, "the JSON of a YAML document reads back to other bytes");
    let from_value = Design::from_value(value, &Limits::default()).map_err(|e| (e.code, e.path));
    let from_json = Design::from_json(&json, &Limits::default()).map_err(|e| (e.code, e.path));
    assert_eq!(from_value, from_json, "a YAML design and its JSON decode differently");
}

fuzz_target!(|data: &[u8]| {
    // Lossy, as the other targets: a mutation that breaks UTF-8 still yields text worth reading.
    let text = String::from_utf8_lossy(data);
    raw_reading(&text);
    design(&text);
    definitions(&text);
    options(&text);
    edits(&text);
    snapshot(&text);
    yaml_reading(&text);
});
