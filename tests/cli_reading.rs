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
    let error = cli::parse_document(r#"{"id":"d","x":1e400}"#, "design", DEEPEST_NESTING).unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidJson, "1e400 must not become the string \"1e400\"");
    assert_eq!(cli::parse_document("\u{feff} {\"a\": 1}", "design", DEEPEST_NESTING).unwrap(), json!({"a": 1}));
    assert_eq!(
        cli::parse_document("id: d\nname: x\n", "design", DEEPEST_NESTING).unwrap(),
        json!({"id": "d", "name": "x"})
    );
}
