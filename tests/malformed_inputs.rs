//! A corpus of malformed inputs (issue #6), generated and hand-written, run through the native
//! core. Every case must end in a typed error with the expected code and JSON-pointer path, or in
//! a documented valid result (with a one-line reason) — never in a panic, never in a hang (every
//! input is bounded), and, for edit batches and snapshot restores, with the evaluator's state
//! (`design()` JSON and `revision()`) exactly as before.
//!
//! The cases are data (`tests/malformed/corpus.rs`: entry point, inputs, expectation), so the same
//! corpus also runs through the WebAssembly package and the JavaScript engine
//! (`tests/js/node/malformed-corpus.test.mjs`, one runner for both) and through the Go module
//! (`go/malformed_test.go`), which read it from `cargo run --example malformed-corpus`. Cases marked `rust_only` cannot cross the JavaScript
//! boundary (the reason is in the case); this runner runs every case.
//!
//! Each case runs under `std::panic::catch_unwind`. Cases that currently misbehave in the core are
//! listed in `KNOWN_FAILURES` (with the reason); such a case is expected to fail, so the test
//! fails as soon as it starts passing, keeping the list honest.

#[path = "malformed/corpus.rs"]
mod corpus;
mod fixture_helpers;

use corpus::{Case, Check, Corpus, Entry, Expect, Input, PathMatch, Start};
use relationship_evaluator::evaluator::{edits_from_json, Snapshot};
use relationship_evaluator::model::{parse_definitions, Design};
use relationship_evaluator::{evaluate_json, Edit, Error, Evaluator, Limits};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

// ---------------------------------------------------------------------------------------------
// Known failures: cases that currently do not behave as expected. Each entry: the case name and
// why. A listed case that passes makes the test fail (remove it from the list then).

const KNOWN_FAILURES: &[(&str, &str)] = &[];

// ---------------------------------------------------------------------------------------------
// The native runner: each entry point of the corpus, called as the WebAssembly layer calls it.

/// What a case run produced: the core's result, its output (the response JSON of an evaluation,
/// the design JSON after edits), plus any failed extra check (state changed, value not
/// round-tripped, …).
struct Outcome {
    result: Result<(), Error>,
    output: Option<String>,
    problems: Vec<String>,
}

impl From<Result<(), Error>> for Outcome {
    fn from(result: Result<(), Error>) -> Self {
        Outcome { result, output: None, problems: Vec::new() }
    }
}

impl From<Result<String, Error>> for Outcome {
    fn from(result: Result<String, Error>) -> Self {
        match result {
            Ok(output) => Outcome { result: Ok(()), output: Some(output), problems: Vec::new() },
            Err(e) => Err::<(), Error>(e).into(),
        }
    }
}

fn start_evaluator(corpus: &Corpus, start: &Start) -> Evaluator {
    let mut evaluator = Evaluator::from_json(&corpus.text(&start.definitions), &corpus.text(&start.options))
        .expect("start definitions and options");
    let limits = evaluator.options().limits.clone();
    evaluator
        .load_design(Design::from_json(&corpus.text(&start.design), &limits).expect("start design decodes"))
        .expect("start design loads");
    evaluator
}

fn base_evaluator(corpus: &Corpus) -> Evaluator {
    let start = Start {
        definitions: Input::blob("kubernetesDefinitions"),
        options: "".into(),
        design: Input::blob("baseDesign"),
    };
    start_evaluator(corpus, &start)
}

fn state(evaluator: &Evaluator) -> (String, u64) {
    (evaluator.design().to_value().to_string(), evaluator.revision())
}

/// Runs `f` on the evaluator and reports a problem if the state changed while `f` failed.
fn unchanged_on_error(evaluator: &mut Evaluator, f: impl FnOnce(&mut Evaluator) -> Result<(), Error>) -> Outcome {
    let before = state(evaluator);
    let result = f(evaluator);
    let after = state(evaluator);
    let mut problems = Vec::new();
    if result.is_err() && before != after {
        problems.push(format!(
            "state changed by a failed call (revision {} → {}, design equal: {})",
            before.1,
            after.1,
            before.0 == after.0
        ));
    }
    Outcome { result, output: None, problems }
}

/// The edits JSON boundary, as the WebAssembly layer does it.
fn edits_from_text(text: &str, limits: &Limits) -> Result<Vec<Edit>, Error> {
    edits_from_json(text, limits)
}

fn restore_bytes(corpus: &Corpus, bytes: &[u8]) -> Outcome {
    // The restore path of the WebAssembly layer; an existing evaluator must not be affected.
    let mut existing = base_evaluator(corpus);
    unchanged_on_error(&mut existing, |_| Snapshot::from_msgpack(bytes).and_then(Evaluator::restore).map(|_| ()))
}

fn coordinate(text: &str) -> f64 {
    match text {
        "NaN" => f64::NAN,
        "inf" => f64::INFINITY,
        "-inf" => f64::NEG_INFINITY,
        number => number.parse().expect("a coordinate"),
    }
}

fn run(corpus: &Corpus, case: &Case) -> Outcome {
    let text = |input: &Input| corpus.text(input);
    let mut outcome = match &case.entry {
        Entry::Evaluate { design, definitions, options } => {
            evaluate_json(&text(design), &text(definitions), &text(options)).into()
        }
        Entry::DecodeDesign { design } => Design::from_json(&text(design), &Limits::default()).map(|_| ()).into(),
        Entry::NewEvaluator { definitions, options } => {
            Evaluator::from_json(&text(definitions), &text(options)).map(|_| ()).into()
        }
        Entry::LoadDesign { start, design } => {
            let mut evaluator = start_evaluator(corpus, start);
            let design = text(design);
            unchanged_on_error(&mut evaluator, |e| {
                let limits = e.options().limits.clone();
                e.load_design(Design::from_json(&design, &limits)?).map(|_| ())
            })
        }
        Entry::ApplyEdits { start, edits } => {
            let mut evaluator = start_evaluator(corpus, start);
            let edits = text(edits);
            let mut outcome = unchanged_on_error(&mut evaluator, |e| {
                e.apply_edits(&edits_from_text(&edits, &e.options().limits.clone())?).map(|_| ())
            });
            if outcome.result.is_ok() {
                outcome.output = Some(evaluator.design().to_value().to_string());
            }
            outcome
        }
        Entry::RestoreMsgpack { bytes } => restore_bytes(corpus, &corpus.bytes(bytes)),
        Entry::RestoreJson { text: snapshot } => {
            let snapshot = text(snapshot);
            let mut existing = base_evaluator(corpus);
            unchanged_on_error(&mut existing, |_| {
                Snapshot::from_json(&snapshot).and_then(Evaluator::restore).map(|_| ())
            })
        }
        Entry::MoveNonFinite { start, id, x, y } => {
            let mut evaluator = start_evaluator(corpus, start);
            let edits = vec![Edit::MoveComponent { id: id.clone(), x: coordinate(x), y: coordinate(y) }];
            unchanged_on_error(&mut evaluator, |e| e.apply_edits(&edits).map(|_| ()))
        }
        Entry::Utf8 { bytes } => match std::str::from_utf8(&corpus.bytes(bytes)) {
            Ok(_) => {
                Outcome { result: Ok(()), output: None, problems: vec!["from_utf8 accepted invalid bytes".into()] }
            }
            Err(_) => Ok(()).into(),
        },
    };
    for check in &case.checks {
        if let Some(problem) = run_check(corpus, case, check, &outcome) {
            outcome.problems.push(problem);
        }
    }
    outcome
}

// ---------------------------------------------------------------------------------------------
// Extra checks (`Check`): `MessageContains` on an error, the others on a success.

fn design_input(case: &Case) -> &Input {
    match &case.entry {
        Entry::Evaluate { design, .. } | Entry::DecodeDesign { design } => design,
        _ => panic!("{}: the check needs an evaluation", case.name),
    }
}

/// Reads as the engine reads, so numbers compare as written (serde_json's own reader respells
/// exponents: `1E5` would equal `1e5`).
fn parse(text: &str) -> Value {
    relationship_evaluator::reading::parse_json_within(text, 256).expect("JSON")
}

fn run_check(corpus: &Corpus, case: &Case, check: &Check, outcome: &Outcome) -> Option<String> {
    if let Check::MessageContains { text } = check {
        return match &outcome.result {
            Err(e) if !e.message.contains(text.as_str()) => {
                Some(format!("the message does not name {text}: {}", e.message))
            }
            _ => None,
        };
    }
    outcome.result.as_ref().ok()?;
    let output = outcome.output.as_deref().map(parse).unwrap_or(Value::Null);
    let response_design = &output["design"];
    match check {
        Check::MessageContains { .. } => None,
        Check::NoSilentDrop => {
            let input = parse(&corpus.text(design_input(case)));
            let ids_in = input["relationships"].as_array().map(|r| r.len()).unwrap_or(0);
            let ids_out = response_design["relationships"].as_array().map(|r| r.len()).unwrap_or(0);
            // Dropping a declaration is fine when an action says so.
            let actions = output["actions"].to_string();
            let kept = response_design["relationships"].to_string();
            let announced = input["relationships"].as_array().into_iter().flatten().all(|r| {
                kept.contains(r["id"].as_str().unwrap_or("")) || actions.contains(r["id"].as_str().unwrap_or(""))
            });
            (ids_out < ids_in && !announced).then(|| {
                format!("{ids_in} relationships in, {ids_out} out, no action names the dropped one: silently dropped")
            })
        }
        Check::SameDesignWithDefinitions { definitions } => {
            let Entry::Evaluate { design, options, .. } = &case.entry else {
                panic!("{}: needs an evaluation", case.name)
            };
            match evaluate_json(&corpus.text(design), &corpus.text(definitions), &corpus.text(options)) {
                Ok(other) if parse(&other)["design"] == *response_design => None,
                Ok(_) => Some("the definitions changed the result".into()),
                Err(e) => Some(format!("the evaluation with other definitions failed: {e}")),
            }
        }
        Check::KeepsRelationship { id } => {
            let kept =
                response_design["relationships"].as_array().is_some_and(|r| r.iter().any(|r| r["id"] == json!(id)));
            (!kept).then(|| "declaration dropped".into())
        }
        Check::PreservesPointers { pointers } => {
            let input = parse(&corpus.text(design_input(case)));
            let changed: Vec<String> = pointers
                .iter()
                .filter(|p| response_design.pointer(p) != input.pointer(p))
                .map(|p| format!("{p} changed: {:?} → {:?}", input.pointer(p), response_design.pointer(p)))
                .collect();
            (!changed.is_empty()).then(|| changed.join("; "))
        }
        Check::ResponseStringBytes { pointer, bytes } => {
            let len = response_design.pointer(pointer).and_then(Value::as_str).map(str::len);
            (len != Some(*bytes)).then(|| format!("string length now {len:?}"))
        }
        Check::ComponentPointerEquals { id, pointer, value } => {
            // The output of an edit batch is the design itself.
            let component = output["components"].as_array().and_then(|c| c.iter().find(|c| c["id"] == json!(id)));
            let found = component.and_then(|c| c.pointer(pointer));
            (found != Some(value)).then(|| format!("component {id} has {found:?} at {pointer}, expected {value}"))
        }
        Check::DesignRoundTrip => {
            let input = parse(&corpus.text(design_input(case)));
            match Design::from_value(input.clone(), &Limits::default()) {
                Ok(decoded) if decoded.to_value() == input => None,
                Ok(_) => Some("decoded design does not round-trip".into()),
                Err(e) => Some(format!("decode failed after evaluation succeeded: {e}")),
            }
        }
        Check::DefinitionRoundTrip => {
            let Entry::Evaluate { definitions, .. } = &case.entry else { panic!("{}: needs an evaluation", case.name) };
            let definitions = parse(&corpus.text(definitions));
            match parse_definitions(definitions.clone(), &Limits::default()) {
                Ok(decoded) if *decoded[0].0 == definitions[0] => None,
                Ok(_) => Some("decoded definition does not round-trip".into()),
                Err(e) => Some(format!("decode failed after evaluation succeeded: {e}")),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Judging.

/// Checks one outcome against its expectation; `Err` holds what went wrong.
fn judge(expect: &Expect, outcome: &Outcome) -> Result<(), String> {
    if !outcome.problems.is_empty() {
        return Err(outcome.problems.join("; "));
    }
    match (expect, &outcome.result) {
        (Expect::Valid(_), Ok(())) => Ok(()),
        (Expect::Valid(reason), Err(e)) => Err(format!("expected a valid result ({reason}), got {e}")),
        (Expect::Error { code, .. }, Ok(())) => Err(format!("expected {}, got a valid result", code.as_str())),
        (Expect::Error { code, path, rule }, Err(e)) => {
            if e.code != *code {
                return Err(format!("expected {}, got {e}", code.as_str()));
            }
            if e.message.is_empty() {
                return Err(format!("{} has an empty message", code.as_str()));
            }
            let path_ok = match rule {
                PathMatch::Exact => e.path == *path,
                PathMatch::Prefix => e.path.starts_with(path.as_str()),
            };
            if !path_ok {
                return Err(format!("expected path {rule:?} {path:?}, got {e}"));
            }
            if !(e.path.is_empty() || e.path.starts_with('/')) {
                return Err(format!("path {:?} is not a JSON pointer", e.path));
            }
            Ok(())
        }
    }
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic payload".into())
}

// ---------------------------------------------------------------------------------------------
// Cases in a child process: deep MessagePack nesting, where a stack overflow would abort the
// process and cannot be caught.

const CHILD_ENV: &str = "MALFORMED_CHILD_MSGPACK";

/// Restores the case's MessagePack bytes in a child process (this test binary, running
/// `isolated_child` only, the bytes in a temporary file) on a default 2 MiB test thread. An abort
/// (stack overflow) becomes an `Outcome` problem instead of killing the corpus.
fn isolated(corpus: &Corpus, case: &Case) -> Outcome {
    let Entry::RestoreMsgpack { bytes } = &case.entry else {
        panic!("{}: only MessagePack restores run isolated", case.name)
    };
    let file = std::env::temp_dir().join(format!("malformed-child-{}.msgpack", std::process::id()));
    std::fs::write(&file, corpus.bytes(bytes)).expect("temporary file");
    let output = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "isolated_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, &file)
        .env_remove("MALFORMED_TRACE")
        .output()
        .expect("child process runs");
    let _ = std::fs::remove_file(&file);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let problem = |why: String| Outcome { result: Ok(()), output: None, problems: vec![why] };
    let Some(line) = stdout.lines().find_map(|l| l.split_once("CHILD-OUTCOME ").map(|(_, rest)| rest)) else {
        let why = if stderr.contains("overflowed its stack") { "stack overflow" } else { "no outcome" };
        return problem(format!("child process aborted ({why}, status {})", output.status));
    };
    if let Some(problems) = line.strip_prefix("problems ") {
        return problem(problems.to_owned());
    }
    if line == "ok" {
        return Ok(()).into();
    }
    match serde_json::from_str::<Error>(line) {
        Ok(error) => Err::<(), Error>(error).into(),
        Err(e) => problem(format!("unreadable child outcome {line:?}: {e}")),
    }
}

/// The child side of `isolated`; does nothing in a normal run.
#[test]
fn isolated_child() {
    let Some(file) = std::env::var_os(CHILD_ENV) else { return };
    let bytes = std::fs::read(file).expect("the bytes of the case");
    let outcome = restore_bytes(&corpus::essentials(), &bytes);
    match outcome.result {
        _ if !outcome.problems.is_empty() => println!("CHILD-OUTCOME problems {}", outcome.problems.join("; ")),
        Ok(()) => println!("CHILD-OUTCOME ok"),
        Err(e) => println!("CHILD-OUTCOME {}", e.to_json()),
    }
}

// ---------------------------------------------------------------------------------------------
// The test.

/// Progress on stderr when `MALFORMED_TRACE` is set (to find a case that aborts the process).
fn trace(what: &str) {
    if std::env::var_os("MALFORMED_TRACE").is_some() {
        eprintln!("{what}");
    }
}

#[test]
fn malformed_inputs_give_typed_errors_without_panics() {
    trace("building the corpus");
    let corpus = corpus::build();

    let mut names = std::collections::HashSet::new();
    for case in &corpus.cases {
        assert!(names.insert(case.name.clone()), "duplicate case name {:?}", case.name);
    }
    for (name, _) in KNOWN_FAILURES {
        assert!(names.contains(*name), "KNOWN_FAILURES names a case that does not exist: {name:?}");
    }
    // The export read by the Node tests stays small: big inputs are generators, not text.
    let exported = corpus.to_json().len();
    assert!(exported < 4 << 20, "the exported corpus is {exported} bytes; describe big inputs with generators");

    let total = corpus.cases.len();
    let (mut typed, mut valid, mut panics) = (0usize, 0usize, 0usize);
    let mut by_category: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut failures: Vec<String> = Vec::new();
    let mut known_seen: Vec<String> = Vec::new();
    let rust_only: Vec<String> = corpus
        .cases
        .iter()
        .filter_map(|c| c.rust_only.map(|why| format!("[{}] {}: {why}", c.category, c.name)))
        .collect();

    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for case in &corpus.cases {
        trace(&format!("case: [{}] {}", case.category, case.name));
        let ran = if case.isolate {
            Ok(isolated(&corpus, case))
        } else {
            catch_unwind(AssertUnwindSafe(|| run(&corpus, case)))
        };
        let mut verdict = match ran {
            Ok(outcome) => judge(&case.expect, &outcome).map(|()| outcome.result.is_ok()),
            Err(payload) => {
                panics += 1;
                Err(format!("PANIC: {}", payload_text(payload.as_ref())))
            }
        };
        // The reduced form the JavaScript engine runs must meet the same expectation.
        if let (Ok(_), Some(reduced)) = (&verdict, &case.reduced) {
            let smaller = Case { entry: reduced.clone(), reduced: None, ..case.clone() };
            let reduced_verdict = match catch_unwind(AssertUnwindSafe(|| run(&corpus, &smaller))) {
                Ok(outcome) => judge(&case.expect, &outcome).map(|()| outcome.result.is_ok()),
                Err(payload) => {
                    panics += 1;
                    Err(format!("PANIC: {}", payload_text(payload.as_ref())))
                }
            };
            if let Err(why) = reduced_verdict {
                verdict = Err(format!("(reduced form) {why}"));
            }
        }
        let entry = by_category.entry(case.category).or_default();
        entry.0 += 1;
        let known = KNOWN_FAILURES.iter().any(|(n, _)| *n == case.name);
        let category = case.category;
        let name = &case.name;
        match (verdict, known) {
            (Ok(true), false) => {
                valid += 1;
                entry.2 += 1;
            }
            (Ok(false), false) => {
                typed += 1;
                entry.1 += 1;
            }
            (Ok(_), true) => {
                failures.push(format!("[{category}] {name}: listed in KNOWN_FAILURES but now passes; remove it"))
            }
            (Err(why), true) => known_seen.push(format!("[{category}] {name}: {why}")),
            (Err(why), false) => failures.push(format!("[{category}] {name}: {why}")),
        }
    }
    std::panic::set_hook(quiet);

    for (category, (n, t, v)) in &by_category {
        println!("  {category:<32} {n:>4} cases: {t:>4} typed errors, {v:>4} documented valid");
    }
    for known in &known_seen {
        println!("  known failure: {known}");
    }
    for case in &rust_only {
        println!("  Rust-only: {case}");
    }
    println!(
        "malformed corpus: {total} cases, {typed} typed errors, {valid} documented valid, {} known failures, {panics} panics; \
         {} Rust-only, {} also run through JavaScript (export: {exported} bytes)",
        known_seen.len(),
        rust_only.len(),
        total - rust_only.len()
    );
    assert!(
        total >= 2690,
        "the corpus must hold at least 2,690 cases (2,689 of the closure-based corpus + 1), has {total}"
    );
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n"));
}
