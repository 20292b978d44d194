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

// One YAML reading (issue 15): the corpus the npm package and the Go loader read too gives the same
// JSON text, or the same error code and path, here.
#[test]
fn the_shared_yaml_corpus_reads_as_in_every_runtime() {
    let corpus: serde_json::Value =
        serde_json::from_str(include_str!("yaml/cases.json")).expect("tests/yaml/cases.json is JSON");
    let max_depth = corpus["maxDepth"].as_u64().expect("maxDepth") as usize;
    let cases = corpus["cases"].as_array().expect("cases");
    assert!(cases.len() >= 50, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let (name, yaml) = (&case["name"], case["yaml"].as_str().expect("yaml"));
        let read = cli::parse_document(yaml, "corpus", max_depth);
        let wanted = case.get("json").map(|json| json.as_str().expect("json text"));
        match (read, wanted, &case["error"]) {
            (Ok(value), Some(json), _) if serde_json::to_string(&value).unwrap() == json => {}
            (Err(error), None, expected)
                if error.code.as_str() == expected["code"] && error.path == expected["path"] => {}
            (Ok(value), ..) => failures.push(format!("{name}: {value}, want {case}")),
            (Err(error), ..) => failures.push(format!(
                "{name}: {} at {:?} ({}), want {case}",
                error.code.as_str(),
                error.path,
                error.message
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The definition-path rule the npm CLI and the Go module follow too (`tests/js/node/cli.test.mjs`,
/// `go/loader`): a directory's JSON and YAML files in name order, and a path that yields no
/// definition is bad usage, never an evaluation that deletes every relationship.
#[test]
fn a_relationships_path_that_yields_no_definitions_is_bad_usage() {
    use cli::Failure;
    use relationship_evaluator::EngineOptions;
    use std::path::PathBuf;
    let dir = std::env::temp_dir().join(format!("cli-defs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let usage = |paths: &[PathBuf]| match cli::load_definitions(paths, &EngineOptions::default()) {
        Err(Failure::Usage(message)) => message,
        other => panic!("expected a usage error, got {other:?}"),
    };
    let shown = dir.display();
    assert_eq!(
        usage(std::slice::from_ref(&dir)),
        format!(
            "--relationships {shown}: no *.json, *.yaml or *.yml files in the directory {shown}; evaluating without \
             definitions would delete every relationship of the design"
        )
    );
    // The parent of the definitions directory: the files are one level down.
    let parent = usage(&[PathBuf::from("../shared/fixtures/meshery/relationships")]);
    assert!(parent.contains("(directories are not searched recursively; it has kubernetes/)"), "{parent}");
    std::fs::write(dir.join("none.json"), "[]").unwrap();
    std::fs::create_dir(dir.join("sub")).unwrap();
    assert!(usage(&[dir.join("none.json")]).contains("none.json holds no definitions"));
    // One good path does not excuse an empty one.
    let kubernetes = PathBuf::from("../shared/fixtures/meshery/relationships/kubernetes");
    assert!(usage(&[kubernetes.clone(), dir.clone()]).contains(&format!("{shown} holds no definitions")));
    // YAML files count, in name order with the JSON ones.
    std::fs::write(dir.join("a.yaml"), "- kind: edge\n  type: non-binding\n  subType: network\n").unwrap();
    let found = cli::load_definitions(std::slice::from_ref(&dir), &EngineOptions::default()).unwrap();
    assert_eq!(found, vec![json!({"kind": "edge", "type": "non-binding", "subType": "network"})]);
    let all = cli::load_definitions(&[kubernetes], &EngineOptions::default()).unwrap();
    assert_eq!(all.len(), 38);
    std::fs::remove_dir_all(&dir).unwrap();
}
