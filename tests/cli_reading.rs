//! The native CLI's reading of design and definition files (`examples/evaluate.rs`), issue 15
//! #10 and part of #2: the nesting is checked on the raw bytes before the JSON or YAML parser
//! runs, and text that starts like JSON is never re-read as YAML.

#[allow(dead_code)]
#[path = "../examples/evaluate.rs"]
mod cli;

use relationship_evaluator::limits::DEEPEST_NESTING;
use relationship_evaluator::ErrorCode;
use serde_json::json;

fn nested(open: &str, leaf: &str, close: &str, depth: usize) -> String {
    format!("{}{leaf}{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn a_million_levels_are_refused_by_the_scan_in_json_and_yaml() {
    for text in [
        format!("{{\"id\":\"d\",\"x\":{}}}", nested("[", "", "]", 1_000_000)),
        format!("{{\"id\":\"d\",\"x\":{}}}", nested("{\"a\":", "1", "}", 1_000_000)),
        format!("x: {}\n", nested("{a: ", "1", "}", 100_000)),
        format!("x: {}\n", nested("[", "", "]", 100_000)),
    ] {
        let error = cli::parse_document(&text, "design", DEEPEST_NESTING).unwrap_err();
        assert_eq!((error.code, error.path.as_str()), (ErrorCode::LimitExceeded, ""), "{}", error.message);
        assert!(error.message.starts_with("maxDepth:"), "{}", error.message);
    }
}

#[test]
fn the_depth_limit_is_inclusive() {
    let at_limit = format!("{{\"x\":{}}}", nested("[", "", "]", DEEPEST_NESTING - 1));
    assert!(cli::parse_document(&at_limit, "design", DEEPEST_NESTING).is_ok());
    let past = format!("{{\"x\":{}}}", nested("[", "", "]", DEEPEST_NESTING));
    assert_eq!(cli::parse_document(&past, "design", DEEPEST_NESTING).unwrap_err().code, ErrorCode::LimitExceeded);
}

#[test]
fn json_that_fails_is_not_read_again_as_yaml() {
    let error = cli::parse_document(r#"{"id":"d","x":.inf}"#, "design", DEEPEST_NESTING).unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidJson, "YAML's .inf is not JSON");
    let past_f64 = cli::parse_document(r#"{"id":"d","x":1e400}"#, "design", DEEPEST_NESTING).unwrap();
    assert_eq!(serde_json::to_string(&past_f64).unwrap(), r#"{"id":"d","x":1e400}"#, "1e400 is kept as written");
    assert_eq!(cli::parse_document("\u{feff} {\"a\": 1}", "design", DEEPEST_NESTING).unwrap(), json!({"a": 1}));
    assert_eq!(
        cli::parse_document("id: d\nname: x\n", "design", DEEPEST_NESTING).unwrap(),
        json!({"id": "d", "name": "x"})
    );
}

// Issue 15 #3: a YAML mapping naming one key twice is refused at the key's path, as JSON is, never
// read with the last value.
#[test]
fn a_key_twice_in_a_yaml_mapping_is_duplicate_key_at_its_path() {
    for (text, path) in [
        ("id: d\nname: x\nname: y\n", "/name"),
        ("id: d\ncomponents:\n  - id: a\n    displayName: A\n    displayName: B\n", "/components/0/displayName"),
        ("id: d\nx: {a: 1, a: 2}\n", "/x/a"),
    ] {
        let error = cli::parse_document(text, "design", DEEPEST_NESTING).unwrap_err();
        assert_eq!((error.code, error.path.as_str()), (ErrorCode::DuplicateKey, path), "{}", error.message);
        assert!(error.message.starts_with("design: the key at"), "{}", error.message);
    }
    let json = cli::parse_document(r#"{"id":"d","name":"x","name":"y"}"#, "design", DEEPEST_NESTING).unwrap_err();
    assert_eq!((json.code, json.path.as_str()), (ErrorCode::DuplicateKey, "/name"), "the same answer as JSON");
}
