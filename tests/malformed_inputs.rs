//! A corpus of malformed inputs (issue #6), generated and hand-written, run through the native
//! core. Every case must end in a typed error with the expected code and JSON-pointer path, or in
//! a documented valid result (with a one-line reason) — never in a panic, never in a hang (every
//! input is bounded), and, for edit batches and snapshot restores, with the evaluator's state
//! (`design()` JSON and `revision()`) exactly as before.
//!
//! Each case runs under `std::panic::catch_unwind`. Cases that currently misbehave in the core are
//! listed in `KNOWN_FAILURES` (with the reason); such a case is expected to fail, so the test
//! fails as soon as it starts passing, keeping the list honest.

mod fixture_helpers;

use fixture_helpers::*;
use relationship_evaluator::error::json_error;
use relationship_evaluator::evaluator::{parse_edits, Snapshot};
use relationship_evaluator::model::{parse_definitions, Design};
use relationship_evaluator::{evaluate_json, Edit, EngineOptions, Error, ErrorCode, Evaluator, Limits};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

// ---------------------------------------------------------------------------------------------
// Known failures: cases that currently do not behave as expected. Each entry: the case name and
// why. A listed case that passes makes the test fail (remove it from the list then).

const KNOWN_FAILURES: &[(&str, &str)] = &[
];

// ---------------------------------------------------------------------------------------------
// The harness.

/// How a JSON-pointer path of an error is checked.
#[derive(Debug, Clone)]
enum PathRule {
    Exact(String),
    Prefix(String),
}

#[derive(Debug, Clone)]
enum Expect {
    Error(ErrorCode, PathRule),
    /// The input is legitimately valid; the reason says why (one line, shown in failures).
    Valid(&'static str),
}

/// What a case run produced: the core's result, plus any failed extra check (state changed,
/// value not round-tripped, …).
struct Outcome {
    result: Result<(), Error>,
    problems: Vec<String>,
}

impl From<Result<(), Error>> for Outcome {
    fn from(result: Result<(), Error>) -> Self {
        Outcome { result, problems: Vec::new() }
    }
}

type Run = Box<dyn FnOnce() -> Outcome>;

struct Case {
    category: &'static str,
    name: String,
    expect: Expect,
    run: Run,
}

#[derive(Default)]
struct Corpus {
    cases: Vec<Case>,
}

impl Corpus {
    fn add(&mut self, category: &'static str, name: impl Into<String>, expect: Expect, run: impl FnOnce() -> Outcome + 'static) {
        self.cases.push(Case { category, name: name.into(), expect, run: Box::new(run) });
    }
    fn err(&mut self, category: &'static str, name: impl Into<String>, code: ErrorCode, path: &str, run: impl FnOnce() -> Outcome + 'static) {
        self.add(category, name, Expect::Error(code, PathRule::Exact(path.to_owned())), run);
    }
    fn err_under(&mut self, category: &'static str, name: impl Into<String>, code: ErrorCode, prefix: &str, run: impl FnOnce() -> Outcome + 'static) {
        self.add(category, name, Expect::Error(code, PathRule::Prefix(prefix.to_owned())), run);
    }
    fn valid(&mut self, category: &'static str, name: impl Into<String>, reason: &'static str, run: impl FnOnce() -> Outcome + 'static) {
        self.add(category, name, Expect::Valid(reason), run);
    }
}

/// Checks one outcome against its expectation; `Err` holds what went wrong.
fn judge(expect: &Expect, outcome: &Outcome) -> Result<(), String> {
    if !outcome.problems.is_empty() {
        return Err(outcome.problems.join("; "));
    }
    match (expect, &outcome.result) {
        (Expect::Valid(_), Ok(())) => Ok(()),
        (Expect::Valid(reason), Err(e)) => Err(format!("expected a valid result ({reason}), got {e}")),
        (Expect::Error(code, _), Ok(())) => Err(format!("expected {}, got a valid result", code.as_str())),
        (Expect::Error(code, rule), Err(e)) => {
            if e.code != *code {
                return Err(format!("expected {}, got {e}", code.as_str()));
            }
            if e.message.is_empty() {
                return Err(format!("{} has an empty message", code.as_str()));
            }
            let path_ok = match rule {
                PathRule::Exact(p) => &e.path == p,
                PathRule::Prefix(p) => e.path.starts_with(p.as_str()),
            };
            if !path_ok {
                return Err(format!("expected path {rule:?}, got {e}"));
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
// Inputs shared by the cases.

fn uuid(n: u32) -> String {
    format!("6f1c3a52-3d6e-4b8e-9a2c-{n:012x}")
}

fn kubernetes_definitions_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| Value::Array(raw_kubernetes_definitions()).to_string())
}

/// A real design (the shared `valid_design.yaml`), as JSON.
fn real_design() -> Value {
    read_yaml("designs/valid_design.yaml")
}

/// A small design touching every field the engine reads.
fn rich_design() -> Value {
    json!({
        "id": uuid(0xd0),
        "name": "rich",
        "schemaVersion": "designs.meshery.io/v1beta1",
        "version": "0.0.1",
        "metadata": {"resolvedAliases": {}, "note": "kept"},
        "preferences": {"layers": {"relationships": {"edge-non-binding-network": true}}},
        "components": [
            {"id": uuid(1), "displayName": "web", "component": {"kind": "Service", "schema": "{}", "version": "v1"},
             "model": {"name": "kubernetes", "version": "v1.25.2"}, "modelReference": {"name": "kubernetes"},
             "configuration": {"metadata": {"name": "web", "labels": {"app": "web"}},
                               "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]}},
             "styles": {"position": {"x": 1.5, "y": 2}}},
            {"id": uuid(2), "displayName": "pod", "component": {"kind": "Pod"}, "model": {"name": "kubernetes"},
             "configuration": {"metadata": {"name": "pod", "labels": {"app": "web"}},
                               "spec": {"containers": [{"name": "web", "ports": [{"containerPort": 8080}]}]}}},
        ],
        "relationships": [rich_relationship(uuid(0x10), &uuid(1), &uuid(2))],
    })
}

fn rich_relationship(id: String, from: &str, to: &str) -> Value {
    json!({
        "id": id, "kind": "edge", "type": "non-binding", "subType": "network", "status": "approved",
        "schemaVersion": "relationships.meshery.io/v1beta2", "model": {"name": "kubernetes"},
        "selectors": [{
            "allow": {
                "from": [{"id": from, "kind": "Service", "model": {"name": "kubernetes"},
                          "patch": {"patchStrategy": "replace", "mutatorRef": [["configuration", "spec", "selector"]]},
                          "match": {"refs": [["configuration", "metadata", "name"]],
                                    "from": [{"id": from, "kind": "Service", "mutatorRef": [["configuration", "spec"]]}],
                                    "to": [{"id": to, "kind": "Pod", "mutatedRef": [["configuration", "metadata"]]}]},
                          "matchStrategyMatrix": [["equal"], null]}],
                "to": [{"id": to, "kind": "Pod", "model": {"name": "kubernetes"},
                        "patch": {"mutatedRef": [["configuration", "metadata", "labels"]]}}]
            },
            "deny": {"from": [], "to": [{"kind": "Namespace", "match_strategy_matrix": [["not_equal"]]}]}
        }]
    })
}

/// A definition touching every field the engine reads (v1beta2).
fn rich_definition() -> Value {
    let mut definition = rich_relationship(uuid(0x20), "", "");
    definition["status"] = json!("enabled");
    for side in ["from", "to"] {
        if let Some(item) = definition.pointer_mut(&format!("/selectors/0/allow/{side}/0")) {
            item.as_object_mut().expect("item").shift_remove("id");
        }
    }
    definition
}

/// A small kubernetes design for the stateful cases.
fn base_design() -> Value {
    let mut design = design_with(vec![
        component(&uuid(1), "Service", "web", json!({"metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}}})),
        component(&uuid(2), "Pod", "pod", json!({"metadata": {"name": "pod", "labels": {"app": "web"}}})),
        component(&uuid(3), "Namespace", "ns", json!({"metadata": {"name": "ns"}})),
    ]);
    design["relationships"] = json!([{
        "id": uuid(0x10), "kind": "edge", "type": "non-binding", "subType": "annotation", "status": "approved",
        "selectors": [{"allow": {"from": [{"id": uuid(1), "kind": "Service"}], "to": [{"id": uuid(2), "kind": "Pod"}]}}]
    }]);
    design
}

fn evaluator_with(options: EngineOptions) -> Evaluator {
    let mut evaluator = Evaluator::new(kubernetes_definitions(), options);
    evaluator.load_design(design(base_design())).expect("base design loads");
    evaluator
}

fn base_evaluator() -> Evaluator {
    evaluator_with(EngineOptions::default())
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
    Outcome { result, problems }
}

/// The edits JSON boundary, as the WebAssembly layer does it.
fn edits_from_text(text: &str) -> Result<Vec<Edit>, Error> {
    parse_edits(serde_json::from_str(text).map_err(json_error)?)
}

/// Evaluates design text with the real kubernetes definitions and default options.
fn evaluate_design_text(text: &str) -> Result<String, Error> {
    evaluate_json(text, kubernetes_definitions_text(), "")
}

fn evaluate_design_value(value: &Value) -> Outcome {
    evaluate_design_text(&value.to_string()).map(|_| ()).into()
}

/// The design of an `EvaluationResponse` JSON.
fn response_design(response: &str) -> Value {
    let mut value: Value = serde_json::from_str(response).expect("response is JSON");
    value["design"].take()
}

fn nested(depth: usize, leaf: &str) -> String {
    let mut text = String::with_capacity(depth * 2 + leaf.len());
    text.push_str(&"[".repeat(depth));
    text.push_str(leaf);
    text.push_str(&"]".repeat(depth));
    text
}

/// Deterministic pseudo-random bytes (xorshift64).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// Up to `count` offsets spread over `0..len`, always including 0 and `len - 1`.
fn offsets(len: usize, count: usize) -> Vec<usize> {
    let mut out: Vec<usize> = (0..count).map(|i| i * len / count).collect();
    out.push(len.saturating_sub(1));
    out.sort_unstable();
    out.dedup();
    out
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

// ---------------------------------------------------------------------------------------------
// 1. Invalid JSON.

fn invalid_json(corpus: &mut Corpus) {
    let design_text = real_design().to_string();
    for offset in offsets(design_text.len(), 60) {
        let offset = floor_char_boundary(&design_text, offset);
        let text = design_text[..offset].to_owned();
        corpus.err("invalid JSON", format!("design truncated at byte {offset}"), ErrorCode::InvalidJson, "", move || {
            evaluate_design_text(&text).map(|_| ()).into()
        });
    }
    let pretty = serde_json::to_string_pretty(&rich_design()).expect("json");
    for offset in offsets(pretty.len(), 20) {
        let text = pretty[..offset].to_owned();
        corpus.err("invalid JSON", format!("pretty design truncated at byte {offset}"), ErrorCode::InvalidJson, "", move || {
            let limits = Limits::default();
            Design::from_json(&text, &limits).map(|_| ()).into()
        });
    }
    let definitions_text = kubernetes_definitions_text();
    for offset in offsets(definitions_text.len(), 30) {
        let text = definitions_text[..floor_char_boundary(definitions_text, offset)].to_owned();
        corpus.err("invalid JSON", format!("definitions truncated at byte {offset}"), ErrorCode::InvalidJson, "", move || {
            Evaluator::from_json(&text, "").map(|_| ()).into()
        });
    }
    let snapshot_text = base_evaluator().snapshot().to_json();
    for offset in offsets(snapshot_text.len(), 20) {
        let text = snapshot_text[..floor_char_boundary(&snapshot_text, offset)].to_owned();
        corpus.err("invalid JSON", format!("JSON snapshot truncated at byte {offset}"), ErrorCode::InvalidJson, "", move || {
            Snapshot::from_json(&text).map(|_| ()).into()
        });
    }
    let edits_text = json!([{"op": "renameComponent", "id": uuid(1), "displayName": "x"},
                            {"op": "moveComponent", "id": uuid(2), "x": 1.0, "y": 2.0}])
    .to_string();
    for offset in offsets(edits_text.len(), 10) {
        let text = edits_text[..offset].to_owned();
        corpus.err("invalid JSON", format!("edits truncated at byte {offset}"), ErrorCode::InvalidJson, "", move || {
            let mut evaluator = base_evaluator();
            unchanged_on_error(&mut evaluator, |e| e.apply_edits(&edits_from_text(&text)?).map(|_| ()))
        });
    }
    let hand_written: &[(&str, &str)] = &[
        ("empty input", ""),
        ("only whitespace", " \n\t "),
        ("trailing comma in object", r#"{"id":"d","components":[],}"#),
        ("trailing comma in array", r#"{"id":"d","components":[{"id":"a"},]}"#),
        ("single quotes", "{'id':'d'}"),
        ("unquoted key", r#"{id:"d"}"#),
        ("NaN literal", r#"{"id":"d","x":NaN}"#),
        ("Infinity literal", r#"{"id":"d","x":Infinity}"#),
        ("number out of range", r#"{"id":"d","x":1e400}"#),
        ("line comment", "// c\n{\"id\":\"d\"}"),
        ("block comment", "{/* c */\"id\":\"d\"}"),
        ("two documents", r#"{"id":"d"}{"id":"e"}"#),
        ("trailing garbage", r#"{"id":"d"} x"#),
        ("unterminated string", r#"{"id":"d"#),
        ("bad escape", r#"{"id":"\q"}"#),
        ("lone surrogate escape", r#"{"id":"\ud800"}"#),
        ("raw control character in string", "{\"id\":\"a\u{1}b\"}"),
        ("leading zero number", r#"{"id":"d","x":012}"#),
        ("hex number", r#"{"id":"d","x":0x10}"#),
        ("bare word", "design"),
        ("missing colon", r#"{"id" "d"}"#),
        ("missing value", r#"{"id":}"#),
        ("mismatched brackets", r#"{"components":[}"#),
        ("YAML instead of JSON", "id: d\ncomponents: []\n"),
        ("UTF-8 BOM", "\u{feff}{\"id\":\"d\"}"),
    ];
    for (name, text) in hand_written {
        let text = (*text).to_owned();
        corpus.err("invalid JSON", format!("design: {name}"), ErrorCode::InvalidJson, "", move || {
            evaluate_design_text(&text).map(|_| ()).into()
        });
    }
    for (name, text) in &hand_written[..8] {
        let text = (*text).to_owned();
        corpus.err("invalid JSON", format!("definitions: {name}"), ErrorCode::InvalidJson, "", move || {
            evaluate_json(r#"{"id":"d"}"#, &text, "").map(|_| ()).into()
        });
    }
    for (name, text) in [("truncated options", "{\"maxPasses\":"), ("options not JSON", "fast"), ("options trailing comma", "{\"maxPasses\":2,}")] {
        corpus.err("invalid JSON", format!("options: {name}"), ErrorCode::InvalidOption, "", move || {
            evaluate_json(r#"{"id":"d"}"#, "[]", text).map(|_| ()).into()
        });
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Wrong types, generated: walk a valid input, replace each value with a value of every other
//    JSON type, and predict the result from the fields the engine reads (model/validate.rs).

#[derive(Debug, Clone, Copy, PartialEq)]
enum Ty {
    Object,
    Array,
    String,
}

/// What a null at a read field means.
#[derive(Debug, Clone, Copy, PartialEq)]
enum NullMeans {
    Absent,
    Missing,
    WrongType,
}

type Rule = Option<(Ty, NullMeans)>;

const OPT_OBJ: Rule = Some((Ty::Object, NullMeans::Absent));
const OPT_ARR: Rule = Some((Ty::Array, NullMeans::Absent));
const OPT_STR: Rule = Some((Ty::String, NullMeans::Absent));
const ITEM_OBJ: Rule = Some((Ty::Object, NullMeans::WrongType));
const ITEM_ARR: Rule = Some((Ty::Array, NullMeans::WrongType));
const ITEM_STR: Rule = Some((Ty::String, NullMeans::WrongType));

fn paths_rule(rest: &[&str]) -> Rule {
    match rest {
        [] => OPT_ARR,
        ["#"] => ITEM_ARR,
        ["#", "#"] => ITEM_STR,
        _ => None,
    }
}

fn match_item_rule(rest: &[&str]) -> Rule {
    match rest {
        [] => ITEM_OBJ,
        ["id" | "kind"] => OPT_STR,
        ["mutatorRef" | "mutatedRef", more @ ..] => paths_rule(more),
        _ => None,
    }
}

fn selector_item_rule(rest: &[&str]) -> Rule {
    match rest {
        [] => ITEM_OBJ,
        ["id" | "kind"] => OPT_STR,
        ["model"] | ["patch"] | ["match"] => OPT_OBJ,
        ["model", "name"] => OPT_STR,
        ["patch", "mutatorRef" | "mutatedRef", more @ ..] => paths_rule(more),
        ["match", "refs", more @ ..] => paths_rule(more),
        ["match", "from" | "to"] => OPT_ARR,
        ["match", "from" | "to", "#", more @ ..] => match_item_rule(more),
        ["matchStrategyMatrix" | "match_strategy_matrix"] => OPT_ARR,
        ["matchStrategyMatrix" | "match_strategy_matrix", "#"] => Some((Ty::Array, NullMeans::Absent)),
        ["matchStrategyMatrix" | "match_strategy_matrix", "#", "#"] => ITEM_STR,
        _ => None,
    }
}

fn relationship_rule(rest: &[&str], in_design: bool) -> Rule {
    match rest {
        [] => ITEM_OBJ,
        ["id"] if in_design => Some((Ty::String, NullMeans::Missing)),
        ["id" | "kind" | "type" | "subType" | "status" | "schemaVersion"] => OPT_STR,
        ["model"] => OPT_OBJ,
        ["selectors"] => OPT_ARR,
        ["selectors", "#"] => ITEM_OBJ,
        ["selectors", "#", "allow" | "deny"] => OPT_OBJ,
        ["selectors", "#", "allow" | "deny", "from" | "to"] => OPT_ARR,
        ["selectors", "#", "allow" | "deny", "from" | "to", "#", more @ ..] => selector_item_rule(more),
        _ => None,
    }
}

fn design_rule(path: &[&str]) -> Rule {
    match path {
        [] => ITEM_OBJ,
        ["components"] | ["relationships"] => OPT_ARR,
        ["metadata"] | ["preferences"] => OPT_OBJ,
        ["components", "#"] => ITEM_OBJ,
        ["components", "#", "id"] => Some((Ty::String, NullMeans::Missing)),
        ["components", "#", "displayName"] => OPT_STR,
        ["components", "#", "component" | "configuration" | "modelReference" | "model"] => OPT_OBJ,
        ["components", "#", "component", "kind" | "schema"] => OPT_STR,
        ["components", "#", "modelReference" | "model", "name"] => OPT_STR,
        ["relationships", "#", more @ ..] => relationship_rule(more, true),
        _ => None,
    }
}

fn definition_rule(path: &[&str]) -> Rule {
    relationship_rule(path, false)
}

#[derive(Clone)]
enum Seg {
    Key(String),
    Index(usize),
}

fn walk(value: &Value, path: &mut Vec<Seg>, out: &mut Vec<(Vec<Seg>, Value)>) {
    out.push((path.clone(), value.clone()));
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                path.push(Seg::Key(k.clone()));
                walk(v, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                walk(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn pointer_of(path: &[Seg]) -> String {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => format!("/{}", k.replace('~', "~0").replace('/', "~1")),
            Seg::Index(i) => format!("/{i}"),
        })
        .collect()
}

fn pattern_of(path: &[Seg]) -> Vec<&str> {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => k.as_str(),
            Seg::Index(_) => "#",
        })
        .collect()
}

fn type_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn samples() -> Vec<Value> {
    vec![Value::Null, json!(true), json!(42), json!("text"), json!([]), json!({"k": "v"})]
}

fn fits(ty: Ty, value: &Value) -> bool {
    matches!((ty, value), (Ty::Object, Value::Object(_)) | (Ty::Array, Value::Array(_)) | (Ty::String, Value::String(_)))
}

/// The expected result of putting `replacement` at a field whose rule is `rule`.
fn predict(rule: Rule, replacement: &Value, pointer: &str) -> Expect {
    match rule {
        None => Expect::Valid("a field the engine does not read: not checked, round-trips untouched"),
        Some((_, NullMeans::Absent)) if replacement.is_null() => Expect::Valid("null at an optional read field means absent"),
        Some((_, NullMeans::Missing)) if replacement.is_null() => {
            Expect::Error(ErrorCode::MissingField, PathRule::Exact(pointer.to_owned()))
        }
        Some((ty, _)) if fits(ty, replacement) => Expect::Valid("the replacement has the expected type"),
        Some(_) => Expect::Error(ErrorCode::InvalidType, PathRule::Exact(pointer.to_owned())),
    }
}

fn set_at(root: &mut Value, path: &[Seg], replacement: Value) {
    let mut here = root;
    for seg in path {
        here = match seg {
            Seg::Key(k) => here.get_mut(k.as_str()).expect("walked key"),
            Seg::Index(i) => here.get_mut(*i).expect("walked index"),
        };
    }
    *here = replacement;
}

fn wrong_types_design(corpus: &mut Corpus, label: &'static str, original: Value, read_fields_only: bool) {
    let mut nodes = Vec::new();
    walk(&original, &mut Vec::new(), &mut nodes);
    for (path, value) in nodes {
        let pattern = pattern_of(&path);
        let rule = design_rule(&pattern);
        if read_fields_only && rule.is_none() {
            continue;
        }
        let pointer = pointer_of(&path);
        for replacement in samples() {
            if type_of(&replacement) == type_of(&value) {
                continue;
            }
            let expect = predict(rule, &replacement, &pointer);
            let round_trip = rule.is_none();
            let name = format!("{label}: {} at {}", type_of(&replacement), if pointer.is_empty() { "(root)" } else { &pointer });
            let mut input = original.clone();
            set_at(&mut input, &path, replacement);
            corpus.add("wrong types (design)", name, expect, move || {
                let mut outcome = evaluate_design_value(&input);
                if round_trip && outcome.result.is_ok() {
                    match Design::from_value(input.clone(), &Limits::default()) {
                        Ok(decoded) if decoded.to_value() == input => {}
                        Ok(_) => outcome.problems.push("decoded design does not round-trip".into()),
                        Err(e) => outcome.problems.push(format!("decode failed after evaluation succeeded: {e}")),
                    }
                }
                outcome
            });
        }
    }
}

fn wrong_types_definition(corpus: &mut Corpus, label: &'static str, original: Value) {
    let v1beta2 = original["schemaVersion"] != json!("relationships.meshery.io/v1alpha3");
    let mut nodes = Vec::new();
    walk(&original, &mut Vec::new(), &mut nodes);
    for (path, value) in nodes {
        let rule = definition_rule(&pattern_of(&path));
        let pointer = format!("/0{}", pointer_of(&path));
        for replacement in samples() {
            if type_of(&replacement) == type_of(&value) {
                continue;
            }
            let expect = predict(rule, &replacement, &pointer);
            let round_trip = rule.is_none() && v1beta2;
            let name = format!("{label}: {} at {pointer}", type_of(&replacement));
            let mut definition = original.clone();
            set_at(&mut definition, &path, replacement);
            corpus.add("wrong types (definition)", name, expect, move || {
                let definitions = Value::Array(vec![definition.clone()]);
                let mut outcome: Outcome = evaluate_json(&base_design().to_string(), &definitions.to_string(), "").map(|_| ()).into();
                if round_trip && outcome.result.is_ok() {
                    match parse_definitions(definitions, &Limits::default()) {
                        Ok(decoded) if decoded[0].0 == definition => {}
                        Ok(_) => outcome.problems.push("decoded definition does not round-trip".into()),
                        Err(e) => outcome.problems.push(format!("decode failed after evaluation succeeded: {e}")),
                    }
                }
                outcome
            });
        }
    }
}

fn wrong_types(corpus: &mut Corpus) {
    wrong_types_design(corpus, "rich design", rich_design(), false);
    wrong_types_design(corpus, "valid_design.yaml", real_design(), true);
    wrong_types_definition(corpus, "rich definition", rich_definition());
    wrong_types_definition(corpus, "edge-binding-reference-ektiy", raw_kubernetes_definition("edge-binding-reference-ektiy"));
    wrong_types_definition(corpus, "edge-non-binding-network-rldel (v1alpha3)", raw_kubernetes_definition("edge-non-binding-network-rldel"));
    // Top-level shapes.
    for (name, text) in [("design is an array", "[]"), ("design is a string", "\"d\""), ("design is null", "null"), ("design is a number", "7")] {
        corpus.err("wrong types (design)", name, ErrorCode::InvalidType, "", move || evaluate_design_text(text).map(|_| ()).into());
    }
    for (name, text) in [("definitions are an object", "{}"), ("definitions are null", "null"), ("definitions are a string", "\"x\"")] {
        corpus.err("wrong types (definition)", name, ErrorCode::InvalidType, "", move || Evaluator::from_json(text, "").map(|_| ()).into());
    }
    for (name, text, path) in [
        ("definition is a string", r#"[{}, "nope"]"#, "/1"),
        ("definition is null", "[null]", "/0"),
        ("definition is an array", "[[]]", "/0"),
    ] {
        corpus.err("wrong types (definition)", name, ErrorCode::InvalidType, path, move || Evaluator::from_json(text, "").map(|_| ()).into());
    }
    corpus.valid("wrong types (options)", "limits is an empty array", "serde accepts a struct's positional (array) form; [] means default limits", || {
        evaluate_json(r#"{"id":"d"}"#, "[]", r#"{"limits":[]}"#).map(|_| ()).into()
    });
    corpus.err("wrong types (options)", "limits as positional array [1] caps components at 1", ErrorCode::LimitExceeded, "/components", || {
        evaluate_json(r#"{"id":"d","components":[{"id":"a"},{"id":"b"}]}"#, "[]", r#"{"limits":[1]}"#).map(|_| ()).into()
    });
    for (name, text, path) in [
        ("unknown option", r#"{"fast":true}"#, ""),
        ("maxPasses is a string", r#"{"maxPasses":"5"}"#, ""),
        ("unknown limit", r#"{"limits":{"maxWidgets":1}}"#, ""),
        ("negative limit", r#"{"limits":{"maxComponents":-1}}"#, ""),
        ("maxApprovalsPerPolicy is zero", r#"{"maxApprovalsPerPolicy":0}"#, "/maxApprovalsPerPolicy"),
    ] {
        corpus.err("wrong types (options)", name, ErrorCode::InvalidOption, path, move || evaluate_json(r#"{"id":"d"}"#, "[]", text).map(|_| ()).into());
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Ids: missing, duplicate, dangling, self.

fn ids(corpus: &mut Corpus) {
    let cases: Vec<(&str, Value, ErrorCode, &str)> = vec![
        ("component without id", json!({"components": [{"displayName": "a"}]}), ErrorCode::MissingField, "/components/0/id"),
        ("component with null id", json!({"components": [{"id": "a"}, {"id": null}]}), ErrorCode::MissingField, "/components/1/id"),
        ("component with empty id", json!({"components": [{"id": ""}]}), ErrorCode::MissingField, "/components/0/id"),
        ("relationship without id", json!({"relationships": [{"kind": "edge"}]}), ErrorCode::MissingField, "/relationships/0/id"),
        ("relationship with empty id", json!({"relationships": [{"id": "r"}, {"id": ""}]}), ErrorCode::MissingField, "/relationships/1/id"),
        ("relationship with null id", json!({"relationships": [{"id": null}]}), ErrorCode::MissingField, "/relationships/0/id"),
        ("duplicate component ids", json!({"components": [{"id": "a"}, {"id": "b"}, {"id": "a"}]}), ErrorCode::DuplicateId, "/components/2/id"),
        ("duplicate component ids, adjacent", json!({"components": [{"id": "a"}, {"id": "a"}]}), ErrorCode::DuplicateId, "/components/1/id"),
        ("duplicate relationship ids", json!({"relationships": [{"id": "r"}, {"id": "r"}]}), ErrorCode::DuplicateId, "/relationships/1/id"),
        (
            "duplicate relationship ids, full relationships",
            json!({"components": [{"id": "a"}, {"id": "b"}],
                   "relationships": [rich_relationship("r".into(), "a", "b"), rich_relationship("r".into(), "b", "a")]}),
            ErrorCode::DuplicateId,
            "/relationships/1/id",
        ),
        ("id with slash and tilde in path", json!({"components": [{"id": "a/b~c"}, {"id": "a/b~c"}]}), ErrorCode::DuplicateId, "/components/1/id"),
    ];
    for (name, mut value, code, path) in cases {
        value["id"] = json!("d");
        corpus.err("ids", name, code, path, move || evaluate_design_value(&value));
    }
    // Ids that differ only in case or Unicode normalisation are different ids.
    corpus.valid("ids", "ids differing in case", "ids are compared byte for byte", || {
        evaluate_design_value(&json!({"id": "d", "components": [{"id": "a"}, {"id": "A"}]}))
    });
    corpus.valid("ids", "ids differing in Unicode normalisation", "ids are compared byte for byte (é vs e+◌́)", || {
        evaluate_design_value(&json!({"id": "d", "components": [{"id": "\u{e9}"}, {"id": "e\u{301}"}]}))
    });
    corpus.valid("ids", "component and relationship share an id", "components and relationships have separate id spaces", || {
        evaluate_design_value(&json!({"id": "d", "components": [{"id": "x"}], "relationships": [{"id": "x"}]}))
    });
    let dangling = |from: &str, to: &str| {
        let mut design = base_design();
        design["relationships"] = json!([rich_relationship(uuid(0x99), from, to)]);
        design
    };
    let cases: Vec<(&str, Value)> = vec![
        ("relationship from a missing component", dangling("ghost", &uuid(2))),
        ("relationship to a missing component", dangling(&uuid(1), "ghost")),
        ("relationship between two missing components", dangling("ghost-1", "ghost-2")),
        ("self-relationship", dangling(&uuid(1), &uuid(1))),
        ("self-relationship of a missing component", dangling("ghost", "ghost")),
        ("relationship with empty selectors", {
            let mut d = base_design();
            d["relationships"] = json!([{"id": "r", "kind": "edge", "type": "non-binding", "subType": "network", "selectors": []}]);
            d
        }),
        ("relationship with no selectors", {
            let mut d = base_design();
            d["relationships"] = json!([{"id": "r", "kind": "hierarchical", "type": "parent", "subType": "alias"}]);
            d
        }),
    ];
    for (name, design) in cases {
        corpus.valid(
            "dangling and self relationships",
            name,
            "an unmatched declaration is the engine's business (kept or marked deleted), not a decoding error",
            move || {
                let mut outcome = evaluate_design_value(&design);
                if outcome.result.is_ok() {
                    let response = evaluate_design_text(&design.to_string()).expect("evaluated once already");
                    let out = response_design(&response);
                    let ids_in = design["relationships"].as_array().map(|r| r.len()).unwrap_or(0);
                    let ids_out = out["relationships"].as_array().map(|r| r.len()).unwrap_or(0);
                    // Dropping a declaration is fine when an action says so.
                    let actions = serde_json::from_str::<Value>(&response).expect("response")["actions"].to_string();
                    let announced = design["relationships"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .all(|r| out["relationships"].to_string().contains(r["id"].as_str().unwrap_or("")) || actions.contains(r["id"].as_str().unwrap_or("")));
                    if ids_out < ids_in && !announced {
                        outcome.problems.push(format!("{ids_in} relationships in, {ids_out} out, no action names the dropped one: silently dropped"));
                    }
                }
                outcome
            },
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Alias cycles.

fn alias(id: &str, alias_component: &str, parent: &str, field: &str) -> Value {
    json!({"id": id, "kind": "hierarchical", "type": "parent", "subType": "alias", "status": "approved",
           "selectors": [{"allow": {
               "from": [{"id": alias_component, "kind": "Container",
                         "patch": {"mutatorRef": [["configuration", field]], "mutatedRef": [["configuration", field]]}}],
               "to": [{"id": parent, "kind": "Container"}]}}]})
}

fn containers(ids: &[&str]) -> Vec<Value> {
    ids.iter().map(|id| component(id, "Container", id, json!({"x": 1, "y": 2}))).collect()
}

fn alias_cycles(corpus: &mut Corpus) {
    let cycles: Vec<(&str, Vec<&str>, Vec<Value>, &str)> = vec![
        ("two-component alias loop", vec!["a", "b"], vec![alias("r1", "a", "b", "x"), alias("r2", "b", "a", "y")], "/relationships/0"),
        ("self alias", vec!["a"], vec![alias("r1", "a", "a", "x")], "/relationships/0"),
        (
            "three-component alias loop",
            vec!["a", "b", "c"],
            vec![alias("r1", "a", "b", "x"), alias("r2", "b", "c", "x"), alias("r3", "c", "a", "x")],
            "/relationships/0",
        ),
        (
            "chain entering a loop",
            vec!["t", "a", "b"],
            vec![alias("r0", "t", "a", "x"), alias("r1", "a", "b", "x"), alias("r2", "b", "a", "x")],
            "/relationships/0",
        ),
        (
            "loop after unrelated relationships",
            vec!["a", "b", "c"],
            vec![alias("r0", "c", "zz-missing", "x"), alias("r1", "a", "b", "x"), alias("r2", "b", "a", "x")],
            "/relationships/1",
        ),
    ];
    for (name, ids, relationships, path) in cycles {
        let mut looped = design_with(containers(&ids));
        looped["relationships"] = Value::Array(relationships.clone());
        let design_for_eval = looped.clone();
        corpus.err("alias cycles", format!("evaluate: {name}"), ErrorCode::Cycle, path, move || evaluate_design_value(&design_for_eval));
        let design_for_load = looped.clone();
        corpus.err("alias cycles", format!("loadDesign: {name}"), ErrorCode::Cycle, path, move || {
            let mut evaluator = base_evaluator();
            unchanged_on_error(&mut evaluator, |e| e.load_design(design(design_for_load)).map(|_| ()))
        });
        // The loop built by edits, one relationship per edit, on a design holding the components.
        let mut plain = design_with(containers(&ids));
        plain["relationships"] = json!([]);
        let edits: Vec<Value> = relationships.iter().map(|r| json!({"op": "addRelationship", "relationship": r})).collect();
        let text = Value::Array(edits).to_string();
        corpus.err_under("alias cycles", format!("applyEdits: {name}"), ErrorCode::Cycle, "/relationships/", move || {
            let mut evaluator = Evaluator::new(Vec::new(), EngineOptions::default());
            evaluator.load_design(design(plain)).expect("plain design loads");
            unchanged_on_error(&mut evaluator, |e| e.apply_edits(&edits_from_text(&text)?).map(|_| ()))
        });
    }
    let mut chain = design_with(containers(&["a", "b", "c"]));
    chain["relationships"] = json!([alias("r1", "a", "b", "x"), alias("r2", "b", "c", "x")]);
    corpus.valid("alias cycles", "alias chain without a loop", "a chain ending at a real parent resolves", move || evaluate_design_value(&chain));
    let mut long_chain_ids: Vec<String> = (0..200).map(|i| format!("c{i}")).collect();
    long_chain_ids.push("root".into());
    let refs: Vec<&str> = long_chain_ids.iter().map(String::as_str).collect();
    let mut long_chain = design_with(containers(&refs));
    long_chain["relationships"] =
        Value::Array((0..200).map(|i| alias(&format!("r{i}"), refs[i], refs[i + 1], "x")).collect());
    corpus.valid("alias cycles", "alias chain of 200 links", "long chains resolve iteratively, no recursion", move || {
        evaluate_design_value(&long_chain)
    });
    let mut long_loop = design_with(containers(&refs[..200]));
    long_loop["relationships"] =
        Value::Array((0..200).map(|i| alias(&format!("r{i}"), refs[i], refs[(i + 1) % 200], "x")).collect());
    corpus.err("alias cycles", "alias loop of 200 links", ErrorCode::Cycle, "/relationships/0", move || evaluate_design_value(&long_loop));
}

// ---------------------------------------------------------------------------------------------
// 5. Unknown kinds and types; __proto__ keys; enormous strings.

fn unknown_kinds(corpus: &mut Corpus) {
    let unknowns = [("wormhole", "quantum", "tunnel"), ("edge", "telepathic", "network"), ("hierarchical", "parent", "adoption"), ("", "", "")];
    for (kind, rel_type, sub_type) in unknowns {
        let mut definition = rich_definition();
        definition["kind"] = json!(kind);
        definition["type"] = json!(rel_type);
        definition["subType"] = json!(sub_type);
        corpus.valid("unknown kinds", format!("definition {kind:?}/{rel_type:?}/{sub_type:?}"), "a definition no policy handles is ignored", move || {
            let base = base_design();
            let definitions = Value::Array(vec![definition]).to_string();
            let result = evaluate_json(&base.to_string(), &definitions, "").and_then(|with| {
                let without = evaluate_json(&base.to_string(), "[]", "")?;
                Ok((response_design(&with), response_design(&without)))
            });
            match result {
                Ok((with, without)) if with == without => Ok(()).into(),
                Ok(_) => Outcome { result: Ok(()), problems: vec!["the unknown definition changed the result".into()] },
                Err(e) => Err(e).into(),
            }
        });
        let mut design = base_design();
        design["relationships"][0]["kind"] = json!(kind);
        design["relationships"][0]["type"] = json!(rel_type);
        design["relationships"][0]["subType"] = json!(sub_type);
        corpus.valid("unknown kinds", format!("declared relationship {kind:?}/{rel_type:?}/{sub_type:?}"), "a declaration no policy handles is kept", move || {
            match evaluate_design_text(&design.to_string()) {
                Ok(response) => {
                    let out = response_design(&response);
                    let kept = out["relationships"].as_array().is_some_and(|r| r.iter().any(|r| r["id"] == json!(uuid(0x10))));
                    Outcome { result: Ok(()), problems: if kept { vec![] } else { vec!["declaration dropped".into()] } }
                }
                Err(e) => Err(e).into(),
            }
        });
    }
}

fn proto_keys(corpus: &mut Corpus) {
    for key in ["__proto__", "constructor", "prototype", "hasOwnProperty", "toString"] {
        let mut design = base_design();
        design[key] = json!({"polluted": true});
        design["components"][0][key] = json!({"polluted": 1});
        design["components"][0]["configuration"][key] = json!({"polluted": "yes"});
        design["components"][1]["configuration"]["metadata"]["labels"][key] = json!("x");
        design["metadata"] = json!({key: {"a": 1}});
        let pointers = [
            format!("/{key}"),
            format!("/components/0/{key}"),
            format!("/components/0/configuration/{key}"),
            format!("/components/1/configuration/metadata/labels/{key}"),
            format!("/metadata/{key}"),
        ];
        corpus.valid("__proto__ keys", format!("{key} keys in a design"), "ordinary JSON keys: kept and round-tripped untouched", move || {
            match evaluate_design_text(&design.to_string()) {
                Ok(response) => {
                    let out = response_design(&response);
                    let problems = pointers
                        .iter()
                        .filter(|p| out.pointer(p) != design.pointer(p))
                        .map(|p| format!("{p} changed: {:?} → {:?}", design.pointer(p), out.pointer(p)))
                        .collect();
                    Outcome { result: Ok(()), problems }
                }
                Err(e) => Err(e).into(),
            }
        });
        let id_design = json!({"id": key, "components": [{"id": key, "displayName": key}], "relationships": [{"id": key}]});
        corpus.valid("__proto__ keys", format!("{key} as ids"), "ordinary strings as ids", move || evaluate_design_value(&id_design));
        let mut definition = rich_definition();
        definition[key] = json!({"x": 1});
        definition["selectors"][0]["allow"]["from"][0][key] = json!([1]);
        corpus.valid("__proto__ keys", format!("{key} keys in a definition"), "unread keys round-trip untouched", move || {
            let definitions = Value::Array(vec![definition.clone()]);
            match parse_definitions(definitions.clone(), &Limits::default()) {
                Ok(decoded) if decoded[0].0 == definition => evaluate_json(&base_design().to_string(), &definitions.to_string(), "").map(|_| ()).into(),
                Ok(_) => Outcome { result: Ok(()), problems: vec!["definition changed by decoding".into()] },
                Err(e) => Err(e).into(),
            }
        });
        let edits = json!([
            {"op": "setLabels", "id": uuid(2), "labels": {key: "v"}},
            {"op": "patchConfiguration", "id": uuid(1), "patch": {key: {"deep": true}}},
        ])
        .to_string();
        corpus.valid("__proto__ keys", format!("{key} keys in edits"), "labels and merge patches with these keys apply as ordinary keys", move || {
            let mut evaluator = base_evaluator();
            let result = edits_from_text(&edits).and_then(|edits| evaluator.apply_edits(&edits).map(|_| ()));
            let design = evaluator.design().to_value();
            let mut problems = Vec::new();
            if result.is_ok() {
                let pod = design["components"].as_array().and_then(|c| c.iter().find(|c| c["id"] == json!(uuid(2)))).cloned().unwrap_or_default();
                let service = design["components"].as_array().and_then(|c| c.iter().find(|c| c["id"] == json!(uuid(1)))).cloned().unwrap_or_default();
                if pod.pointer(&format!("/configuration/metadata/labels/{key}")) != Some(&json!("v")) {
                    problems.push("label not set".into());
                }
                if service.pointer(&format!("/configuration/{key}/deep")) != Some(&json!(true)) {
                    problems.push("patch not merged".into());
                }
            }
            Outcome { result, problems }
        });
    }
}

fn enormous_strings(corpus: &mut Corpus) {
    const MB: usize = 1 << 20;
    let big = || "x".repeat(MB);
    let places: Vec<(&str, &str)> = vec![
        ("design name", "/name"),
        ("component displayName", "/components/0/displayName"),
        ("configuration value", "/components/1/configuration/metadata/annotations/big"),
        ("label value", "/components/1/configuration/metadata/labels/app"),
        ("component kind", "/components/0/component/kind"),
        ("design metadata value", "/metadata/big"),
    ];
    for (name, pointer) in places {
        corpus.valid("enormous strings", format!("1 MB {name}"), "no string-size limit: kept whole", move || {
            let mut design = base_design();
            let parent = pointer.rsplit_once('/').expect("pointer").0;
            let key = pointer.rsplit_once('/').expect("pointer").1;
            let mut here = &mut design;
            for segment in parent.split('/').skip(1) {
                here = match segment.parse::<usize>() {
                    Ok(i) => &mut here[i],
                    Err(_) => {
                        if here.get(segment).is_none() {
                            here[segment] = json!({});
                        }
                        &mut here[segment]
                    }
                };
            }
            here[key] = json!(big());
            match evaluate_design_text(&design.to_string()) {
                Ok(response) => {
                    let out = response_design(&response);
                    let len = out.pointer(pointer).and_then(Value::as_str).map(str::len);
                    Outcome { result: Ok(()), problems: if len == Some(MB) { vec![] } else { vec![format!("string length now {len:?}")] } }
                }
                Err(e) => Err(e).into(),
            }
        });
    }
    corpus.valid("enormous strings", "1 MB component id", "ids have no size limit", move || {
        evaluate_design_value(&json!({"id": "d", "components": [{"id": big()}]}))
    });
    corpus.valid("enormous strings", "1 MB key", "keys have no size limit", move || {
        let mut design = base_design();
        design["components"][0]["configuration"][big()] = json!(1);
        evaluate_design_value(&design)
    });
    corpus.valid("enormous strings", "1 MB of multi-byte characters", "UTF-8 text of any length is kept", move || {
        evaluate_design_value(&json!({"id": "d", "name": "é🦀".repeat(MB / 6)}))
    });
    corpus.valid("enormous strings", "1 MB string in a definition", "unread definition fields have no size limit", move || {
        let mut definition = rich_definition();
        definition["metadata"] = json!({"description": big()});
        evaluate_json(&base_design().to_string(), &json!([definition]).to_string(), "").map(|_| ()).into()
    });
    corpus.valid("enormous strings", "1 MB display name by edit", "edits carry strings of any length", move || {
        let mut evaluator = base_evaluator();
        let edits = vec![Edit::RenameComponent { id: uuid(1), display_name: big() }];
        evaluator.apply_edits(&edits).map(|_| ()).into()
    });
}

// ---------------------------------------------------------------------------------------------
// 6. Deep nesting and limits.

fn deep_nesting(corpus: &mut Corpus) {
    // `{"id":"d","x": [[…]]}`: the object is one level, so `depth` arrays make depth + 1 levels.
    // serde_json accepts 127 nested levels and refuses the 128th.
    for depth in [100, 125, 126] {
        let text = format!("{{\"id\":\"d\",\"x\":{}}}", nested(depth, "1"));
        corpus.valid("deep nesting", format!("design nested {} levels", depth + 1), "within serde_json's 128-level limit", move || {
            evaluate_design_text(&text).map(|_| ()).into()
        });
    }
    for depth in [127, 128, 200, 10_000, 500_000] {
        let text = format!("{{\"id\":\"d\",\"x\":{}}}", nested(depth, "1"));
        corpus.err("deep nesting", format!("design nested {} levels", depth + 1), ErrorCode::LimitExceeded, "", move || {
            let result = evaluate_design_text(&text).map(|_| ());
            let mut outcome: Outcome = result.into();
            if let Err(e) = &outcome.result {
                if !e.message.contains("maxDepth") {
                    outcome.problems.push(format!("the message does not name maxDepth: {}", e.message));
                }
            }
            outcome
        });
    }
    let objects = |depth: usize| "{\"a\":".repeat(depth) + "1" + &"}".repeat(depth);
    for depth in [129, 5_000] {
        let text = format!("{{\"id\":\"d\",\"components\":[{{\"id\":\"a\",\"configuration\":{}}}]}}", objects(depth));
        corpus.err("deep nesting", format!("configuration of {depth} nested objects"), ErrorCode::LimitExceeded, "", move || {
            evaluate_design_text(&text).map(|_| ()).into()
        });
    }
    for depth in [200, 100_000] {
        let text = format!("[{{\"id\":\"x\",\"metadata\":{}}}]", nested(depth, "0"));
        corpus.err("deep nesting", format!("definitions nested {depth} levels"), ErrorCode::LimitExceeded, "", move || {
            Evaluator::from_json(&text, "").map(|_| ()).into()
        });
        let text = format!("[{{\"op\":\"setPreferences\",\"preferences\":{{\"a\":{}}}}}]", nested(depth, "0"));
        corpus.err("deep nesting", format!("edits nested {depth} levels"), ErrorCode::LimitExceeded, "", move || {
            let mut evaluator = base_evaluator();
            unchanged_on_error(&mut evaluator, |e| e.apply_edits(&edits_from_text(&text)?).map(|_| ()))
        });
        let text = format!("{{\"format\":\"meshery-relationship-evaluator/snapshot\",\"version\":1,\"x\":{}}}", nested(depth, "0"));
        corpus.err("deep nesting", format!("JSON snapshot nested {depth} levels"), ErrorCode::LimitExceeded, "", move || {
            Snapshot::from_json(&text).map(|_| ()).into()
        });
    }
    // Unclosed brackets only (bounded: 1 MB).
    let text = "[".repeat(1 << 20);
    corpus.err("deep nesting", "1 MB of unclosed brackets", ErrorCode::LimitExceeded, "", move || {
        evaluate_design_text(&text).map(|_| ()).into()
    });
}

fn options_with(limits: Limits) -> EngineOptions {
    EngineOptions { limits, ..EngineOptions::default() }
}

fn limits(corpus: &mut Corpus) {
    let small = |components: usize, relationships: usize, definitions: usize| {
        json!({"limits": {"maxComponents": components, "maxRelationships": relationships, "maxDefinitions": definitions}}).to_string()
    };
    for (max, count) in [(0, 1), (1, 2), (3, 4), (10, 11), (10, 1000), (100, 101)] {
        let components: Vec<Value> = (0..count).map(|i| json!({"id": format!("c{i}")})).collect();
        let text = json!({"id": "d", "components": components}).to_string();
        let options = small(max, 10, 10);
        corpus.err("limits", format!("{count} components over maxComponents {max}"), ErrorCode::LimitExceeded, "/components", move || {
            let mut outcome: Outcome = evaluate_json(&text, "[]", &options).map(|_| ()).into();
            if let Err(e) = &outcome.result {
                if !e.message.contains("maxComponents") {
                    outcome.problems.push(format!("the message does not name maxComponents: {}", e.message));
                }
            }
            outcome
        });
    }
    for (max, count) in [(3, 3), (0, 0)] {
        let components: Vec<Value> = (0..count).map(|i| json!({"id": format!("c{i}")})).collect();
        let text = json!({"id": "d", "components": components}).to_string();
        let options = small(max, 10, 10);
        corpus.valid("limits", format!("{count} components at maxComponents {max}"), "a limit is inclusive", move || {
            evaluate_json(&text, "[]", &options).map(|_| ()).into()
        });
    }
    for (max, count) in [(0, 1), (2, 3), (5, 50)] {
        let relationships: Vec<Value> = (0..count).map(|i| json!({"id": format!("r{i}")})).collect();
        let text = json!({"id": "d", "relationships": relationships}).to_string();
        let options = small(10, max, 10);
        corpus.err("limits", format!("{count} relationships over maxRelationships {max}"), ErrorCode::LimitExceeded, "/relationships", move || {
            evaluate_json(&text, "[]", &options).map(|_| ()).into()
        });
    }
    for max in [0, 5, 37] {
        let options = small(10, 10, max);
        corpus.err("limits", format!("38 definitions over maxDefinitions {max}"), ErrorCode::LimitExceeded, "", move || {
            Evaluator::from_json(kubernetes_definitions_text(), &options).map(|_| ()).into()
        });
    }
    for max in [0, 10, 100] {
        let options = json!({"limits": {"maxInputBytes": max}}).to_string();
        let text = base_design().to_string();
        corpus.err("limits", format!("design over maxInputBytes {max}"), ErrorCode::LimitExceeded, "", move || {
            evaluate_json(&text, "[]", &options).map(|_| ()).into()
        });
        let options = json!({"limits": {"maxInputBytes": max}}).to_string();
        corpus.err("limits", format!("definitions over maxInputBytes {max}"), ErrorCode::LimitExceeded, "", move || {
            Evaluator::from_json(kubernetes_definitions_text(), &options).map(|_| ()).into()
        });
    }
    // Edits growing the design over the limit: the batch fails as a whole.
    for (name, leading) in [("incremental", vec![]), ("full", vec![Edit::SetLayer { layer: "x".into(), enabled: true }])] {
        let mut edits = leading.clone();
        edits.push(Edit::AddComponent { component: json!({"id": "extra-1"}) });
        corpus.err("limits", format!("addComponent over maxComponents 3 ({name} path)"), ErrorCode::LimitExceeded, "/components", move || {
            let mut evaluator = evaluator_with(options_with(Limits { max_components: 3, ..Limits::default() }));
            unchanged_on_error(&mut evaluator, |e| e.apply_edits(&edits).map(|_| ()))
        });
        let mut edits = leading;
        edits.push(Edit::AddRelationship { relationship: json!({"id": "extra-r"}) });
        corpus.err("limits", format!("addRelationship over maxRelationships ({name} path)"), ErrorCode::LimitExceeded, "/relationships", move || {
            let mut evaluator = Evaluator::new(Vec::new(), options_with(Limits { max_relationships: 1, ..Limits::default() }));
            evaluator.load_design(design(base_design())).expect("loads");
            unchanged_on_error(&mut evaluator, |e| e.apply_edits(&edits).map(|_| ()))
        });
    }
    // A snapshot whose design exceeds its own limits.
    corpus.err("limits", "restore: design over the snapshot's maxComponents", ErrorCode::LimitExceeded, "/design/components", move || {
        let mut snapshot = base_evaluator().snapshot();
        snapshot.options.limits.max_components = 1;
        Evaluator::restore(snapshot).map(|_| ()).into()
    });
    corpus.err("limits", "restore: definitions over the snapshot's maxDefinitions", ErrorCode::LimitExceeded, "/definitions", move || {
        let mut snapshot = base_evaluator().snapshot();
        snapshot.options.limits.max_definitions = 1;
        Evaluator::restore(snapshot).map(|_| ()).into()
    });
}

// ---------------------------------------------------------------------------------------------
// 7. Bytes: non-UTF-8 text at the boundary, and MessagePack snapshots.

/// A snapshot whose every number is a positive fixint and every string but the format tag is
/// at most 31 bytes (a fixstr), so that replacing any one byte with 0xc1 — never a MessagePack
/// marker, never a UTF-8 byte — cannot yield another well-formed snapshot.
fn small_snapshot() -> Snapshot {
    let limits = Limits { max_components: 100, max_relationships: 100, max_definitions: 100, max_input_bytes: 100 };
    let mut evaluator = Evaluator::new(Vec::new(), options_with(limits));
    evaluator
        .load_design(design(json!({"id": "d", "version": "0.0.1", "components": [{"id": "a", "displayName": "A"}, {"id": "b"}],
                                   "relationships": [{"id": "r", "kind": "edge"}]})))
        .expect("small design loads");
    evaluator.snapshot()
}

fn restore_bytes(bytes: &[u8]) -> Outcome {
    // The restore path of the WebAssembly layer; an existing evaluator must not be affected.
    let mut existing = base_evaluator();
    unchanged_on_error(&mut existing, |_| Snapshot::from_msgpack(bytes).and_then(Evaluator::restore).map(|_| ()))
}

fn bytes(corpus: &mut Corpus) {
    // Non-UTF-8 text never reaches the core: every text entry point takes `&str`, so the caller's
    // `std::str::from_utf8` is the boundary. These cases pin that the bytes are refused there.
    let design_bytes = real_design().to_string().into_bytes();
    for (name, position, byte) in [("0xff", 10usize, 0xffu8), ("0xc0", 40, 0xc0), ("lone continuation 0x80", 100, 0x80), ("0xfe", 7, 0xfe)] {
        let mut raw = design_bytes.clone();
        raw[position] = byte;
        corpus.valid("non-UTF-8", format!("design text with {name} at byte {position}"), "refused by std::str::from_utf8 before the &str API", move || {
            match std::str::from_utf8(&raw) {
                Ok(_) => Outcome { result: Ok(()), problems: vec!["from_utf8 accepted invalid bytes".into()] },
                Err(_) => Ok(()).into(),
            }
        });
    }
    let lossy = String::from_utf8_lossy(&[b'{', b'"', b'i', b'd', b'"', b':', b'"', 0xff, b'"', b'}']).into_owned();
    corpus.valid("non-UTF-8", "design text decoded lossily (U+FFFD id)", "a replacement character is an ordinary character", move || {
        evaluate_design_text(&lossy).map(|_| ()).into()
    });

    let snapshot = small_snapshot();
    let good = snapshot.to_msgpack();
    corpus.valid("snapshots", "small snapshot restores", "the uncorrupted baseline of the corruption cases", {
        let good = good.clone();
        move || restore_bytes(&good)
    });
    for offset in offsets(good.len(), 40) {
        let truncated = good[..offset].to_vec();
        corpus.err("snapshots", format!("MessagePack snapshot truncated at byte {offset}"), ErrorCode::InvalidSnapshot, "", move || restore_bytes(&truncated));
    }
    for offset in offsets(good.len(), 80) {
        let mut corrupt = good.clone();
        corrupt[offset] = 0xc1;
        corpus.err("snapshots", format!("MessagePack snapshot with 0xc1 at byte {offset}"), ErrorCode::InvalidSnapshot, "", move || restore_bytes(&corrupt));
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for i in 0..40 {
        let len = (rng.next() % 96) as usize;
        let noise = rng.bytes(len);
        corpus.err("snapshots", format!("random bytes #{i} ({len} bytes)"), ErrorCode::InvalidSnapshot, "", move || restore_bytes(&noise));
    }
    // Non-UTF-8 inside a MessagePack string: "A" (0xa1 0x41) → 0xa1 0xff.
    let position = good.windows(2).position(|w| w == [0xa1, b'A']).expect("displayName A in the snapshot");
    let mut non_utf8 = good.clone();
    non_utf8[position + 1] = 0xff;
    corpus.err("non-UTF-8", "MessagePack design string with byte 0xff", ErrorCode::InvalidSnapshot, "", move || restore_bytes(&non_utf8));
    let tag = SNAPSHOT_TAG.as_bytes();
    let position = good.windows(tag.len()).position(|w| w == tag).expect("format tag");
    let mut non_utf8_tag = good.clone();
    non_utf8_tag[position] = 0x80;
    corpus.err("non-UTF-8", "MessagePack format tag with byte 0x80", ErrorCode::InvalidSnapshot, "", move || restore_bytes(&non_utf8_tag));

    // Structured but wrong snapshots, in both encodings.
    let base = serde_json::to_value(&snapshot).expect("snapshot as JSON");
    let variants: Vec<(&str, Value, ErrorCode, &str)> = vec![
        ("wrong format tag", with(&base, "/format", json!("something/else")), ErrorCode::InvalidSnapshot, ""),
        ("format tag of wrong type", with(&base, "/format", json!(1)), ErrorCode::InvalidSnapshot, ""),
        ("no format tag", without(&base, "format"), ErrorCode::InvalidSnapshot, ""),
        ("future version", with(&base, "/version", json!(2)), ErrorCode::InvalidSnapshot, ""),
        ("version zero", with(&base, "/version", json!(0)), ErrorCode::InvalidSnapshot, ""),
        ("negative version", with(&base, "/version", json!(-1)), ErrorCode::InvalidSnapshot, ""),
        ("version as string", with(&base, "/version", json!("1")), ErrorCode::InvalidSnapshot, ""),
        ("no version", without(&base, "version"), ErrorCode::InvalidSnapshot, ""),
        ("no design", without(&base, "design"), ErrorCode::InvalidSnapshot, ""),
        ("no definitions", without(&base, "definitions"), ErrorCode::InvalidSnapshot, ""),
        ("no options", without(&base, "options"), ErrorCode::InvalidSnapshot, ""),
        ("no revision", without(&base, "revision"), ErrorCode::InvalidSnapshot, ""),
        ("revision negative", with(&base, "/revision", json!(-3)), ErrorCode::InvalidSnapshot, ""),
        ("revision as string", with(&base, "/revision", json!("3")), ErrorCode::InvalidSnapshot, ""),
        ("definitions not an array", with(&base, "/definitions", json!({})), ErrorCode::InvalidSnapshot, ""),
        ("options with unknown key", with(&base, "/options/bogus", json!(true)), ErrorCode::InvalidSnapshot, ""),
        ("snapshot is an array", json!([]), ErrorCode::InvalidSnapshot, ""),
        ("snapshot is a string", json!(SNAPSHOT_TAG), ErrorCode::InvalidSnapshot, ""),
        ("snapshot is null", Value::Null, ErrorCode::InvalidSnapshot, ""),
        ("design is not an object", with(&base, "/design", json!([])), ErrorCode::InvalidType, "/design"),
        ("design with a duplicate component", with(&base, "/design/components/1/id", json!("a")), ErrorCode::DuplicateId, "/design/components/1/id"),
        ("design component without id", without_at(&base, "/design/components/0", "id"), ErrorCode::MissingField, "/design/components/0/id"),
        ("design relationship with numeric kind", with(&base, "/design/relationships/0/kind", json!(5)), ErrorCode::InvalidType, "/design/relationships/0/kind"),
        ("definition of wrong type", with(&base, "/definitions", json!(["x"])), ErrorCode::InvalidType, "/definitions/0"),
        ("definition with numeric kind", with(&base, "/definitions", json!([{"kind": 1}])), ErrorCode::InvalidType, "/definitions/0/kind"),
        ("options with zero approvals", with(&base, "/options/maxApprovalsPerPolicy", json!(0)), ErrorCode::InvalidOption, "/maxApprovalsPerPolicy"),
    ];
    for (name, value, code, path) in variants {
        let bytes = rmp_serde::to_vec_named(&value).expect("msgpack");
        corpus.err("snapshots", format!("MessagePack snapshot: {name}"), code, path, move || restore_bytes(&bytes));
        let text = value.to_string();
        corpus.err("snapshots", format!("JSON snapshot: {name}"), code, path, move || {
            let mut existing = base_evaluator();
            unchanged_on_error(&mut existing, |_| Snapshot::from_json(&text).and_then(Evaluator::restore).map(|_| ()))
        });
    }
    corpus.err("snapshots", "MessagePack snapshot: array form of the struct", ErrorCode::InvalidSnapshot, "", move || {
        // rmp's compact (array) encoding has no field names: refused by the header check.
        restore_bytes(&rmp_serde::to_vec(&small_snapshot()).expect("msgpack"))
    });
    corpus.err("snapshots", "MessagePack snapshot: JSON bytes", ErrorCode::InvalidSnapshot, "", move || {
        restore_bytes(small_snapshot().to_json().as_bytes())
    });
    // Deep nesting inside MessagePack runs in a child process (see `isolated`): a stack
    // overflow aborts the process and cannot be caught.
    corpus.err("snapshots", "MessagePack design that is an array", ErrorCode::InvalidType, "/design", {
        let mut bytes = deep_msgpack(2);
        let at = bytes.len() - 4;
        bytes.truncate(at);
        bytes.extend([0x91, 0x80]); // design: [{}]
        move || restore_bytes(&bytes)
    });
    for depth in ISOLATED_DEPTHS {
        let name = format!("MessagePack design nested {depth} levels (child process)");
        if depth <= 100 {
            corpus.valid("snapshots", name, "within the 128-level MessagePack cap of snapshots", move || isolated(depth));
        } else {
            corpus.err("snapshots", name, ErrorCode::InvalidSnapshot, "", move || isolated(depth));
        }
    }
}

/// A snapshot whose design is `{"x": …}` with `depth` levels in all, the innermost an empty map.
fn deep_msgpack(depth: usize) -> Vec<u8> {
    let mut bytes = rmp_serde::to_vec_named(&without(&serde_json::to_value(small_snapshot()).expect("json"), "design")).expect("msgpack");
    // Append a "design" entry: bump the map length (fixmap 0x85 → 0x86), then key and value.
    assert_eq!(bytes[0], 0x85, "the snapshot is a fixmap of five entries without its design");
    bytes[0] = 0x86;
    bytes.extend(rmp_serde::to_vec(&"design").expect("key"));
    bytes.extend([0x81, 0xa1, b'x']); // {"x": …}
    bytes.extend(std::iter::repeat_n(0x91, depth.saturating_sub(2))); // one-element fixarrays
    bytes.push(0x80); // empty fixmap
    bytes
}

/// Nesting depths of MessagePack snapshots, each decoded in a child process. rmp_serde refuses
/// more than 1024 levels; whether the levels below that fit the stack is what these pin.
const ISOLATED_DEPTHS: [usize; 5] = [100, 300, 1000, 1025, 100_000];
const CHILD_ENV: &str = "MALFORMED_CHILD_MSGPACK_DEPTH";

/// Restores a `depth`-deep MessagePack snapshot in a child process (this test binary, running
/// `isolated_child` only) on a default 2 MiB test thread. An abort (stack overflow) becomes an
/// `Outcome` problem instead of killing the corpus.
fn isolated(depth: usize) -> Outcome {
    let output = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "isolated_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, depth.to_string())
        .env_remove("MALFORMED_TRACE")
        .output()
        .expect("child process runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let Some(line) = stdout.lines().find_map(|l| l.split_once("CHILD-OUTCOME ").map(|(_, rest)| rest)) else {
        let why = if stderr.contains("overflowed its stack") { "stack overflow" } else { "no outcome" };
        return Outcome {
            result: Ok(()),
            problems: vec![format!("child process aborted ({why}, status {})", output.status)],
        };
    };
    if line == "ok" {
        return Ok(()).into();
    }
    match serde_json::from_str::<Error>(line) {
        Ok(error) => Err(error).into(),
        Err(e) => Outcome { result: Ok(()), problems: vec![format!("unreadable child outcome {line:?}: {e}")] },
    }
}

/// The child side of `isolated`; does nothing in a normal run.
#[test]
fn isolated_child() {
    let Some(depth) = std::env::var_os(CHILD_ENV) else { return };
    let depth: usize = depth.to_str().and_then(|d| d.parse().ok()).expect("depth");
    let bytes = deep_msgpack(depth);
    let outcome = restore_bytes(&bytes);
    match outcome.result {
        Ok(()) => println!("CHILD-OUTCOME ok"),
        Err(e) => println!("CHILD-OUTCOME {}", e.to_json()),
    }
}

const SNAPSHOT_TAG: &str = relationship_evaluator::evaluator::SNAPSHOT_FORMAT;

fn with(base: &Value, pointer: &str, value: Value) -> Value {
    let mut out = base.clone();
    let (parent, key) = pointer.rsplit_once('/').expect("pointer");
    let target = if parent.is_empty() { &mut out } else { out.pointer_mut(parent).expect("parent exists") };
    match target {
        Value::Array(items) => items[key.parse::<usize>().expect("index")] = value,
        Value::Object(map) => {
            map.insert(key.to_owned(), value);
        }
        _ => panic!("cannot set {pointer}"),
    }
    out
}

fn without(base: &Value, key: &str) -> Value {
    let mut out = base.clone();
    out.as_object_mut().expect("object").shift_remove(key);
    out
}

fn without_at(base: &Value, pointer: &str, key: &str) -> Value {
    let mut out = base.clone();
    out.pointer_mut(pointer).and_then(Value::as_object_mut).expect("object").shift_remove(key);
    out
}

// ---------------------------------------------------------------------------------------------
// 8. Bad edits: each batch on a fresh evaluator, alone (the incremental path when the design is
//    quiescent) and behind a `setLayer` edit (always the full path), state unchanged.

fn bad_edits(corpus: &mut Corpus) {
    let c1 = uuid(1);
    let c2 = uuid(2);
    let r1 = uuid(0x10);
    // (name, edits, code, path relative to the first edit of the batch: "/{i}..." is shifted).
    let cases: Vec<(&str, Value, ErrorCode, &str)> = vec![
        ("unknown op", json!([{"op": "explode", "id": c1}]), ErrorCode::InvalidType, "/0"),
        ("op in the wrong case", json!([{"op": "RemoveComponent", "id": c1}]), ErrorCode::InvalidType, "/0"),
        ("missing op", json!([{"id": c1}]), ErrorCode::InvalidType, "/0"),
        ("op is a number", json!([{"op": 3, "id": c1}]), ErrorCode::InvalidType, "/0"),
        ("edit is a string", json!(["removeComponent"]), ErrorCode::InvalidType, "/0"),
        ("edit is null", json!([null]), ErrorCode::InvalidType, "/0"),
        ("unknown field", json!([{"op": "removeComponent", "id": c1, "force": true}]), ErrorCode::InvalidType, "/0"),
        ("snake_case field", json!([{"op": "renameComponent", "id": c1, "display_name": "x"}]), ErrorCode::InvalidType, "/0"),
        ("id is a number", json!([{"op": "removeComponent", "id": 1}]), ErrorCode::InvalidType, "/0"),
        ("id is null", json!([{"op": "removeComponent", "id": null}]), ErrorCode::InvalidType, "/0"),
        ("id missing", json!([{"op": "removeComponent"}]), ErrorCode::InvalidType, "/0"),
        ("displayName is an object", json!([{"op": "renameComponent", "id": c1, "displayName": {}}]), ErrorCode::InvalidType, "/0"),
        ("x is a string", json!([{"op": "moveComponent", "id": c1, "x": "1", "y": 2}]), ErrorCode::InvalidType, "/0"),
        ("y missing", json!([{"op": "moveComponent", "id": c1, "x": 1}]), ErrorCode::InvalidType, "/0"),
        ("labels is an array", json!([{"op": "setLabels", "id": c1, "labels": []}]), ErrorCode::InvalidType, "/0"),
        ("namespace is a number", json!([{"op": "setNamespace", "id": c1, "namespace": 5}]), ErrorCode::InvalidType, "/0"),
        ("enabled is a string", json!([{"op": "setLayer", "layer": "x", "enabled": "yes"}]), ErrorCode::InvalidType, "/0"),
        ("status is a boolean", json!([{"op": "setRelationshipStatus", "id": r1, "status": true}]), ErrorCode::InvalidType, "/0"),
        ("bad edit after a good one", json!([{"op": "renameComponent", "id": c1, "displayName": "x"}, {"op": "nope"}]), ErrorCode::InvalidType, "/1"),
        ("removeComponent of an unknown id", json!([{"op": "removeComponent", "id": "ghost"}]), ErrorCode::UnknownId, "/0/id"),
        ("renameComponent of an unknown id", json!([{"op": "renameComponent", "id": "ghost", "displayName": "x"}]), ErrorCode::UnknownId, "/0/id"),
        ("moveComponent of an unknown id", json!([{"op": "moveComponent", "id": "ghost", "x": 1, "y": 1}]), ErrorCode::UnknownId, "/0/id"),
        ("setConfiguration of an unknown id", json!([{"op": "setConfiguration", "id": "ghost", "configuration": {}}]), ErrorCode::UnknownId, "/0/id"),
        ("patchConfiguration of an unknown id", json!([{"op": "patchConfiguration", "id": "ghost", "patch": {}}]), ErrorCode::UnknownId, "/0/id"),
        ("setLabels of an unknown id", json!([{"op": "setLabels", "id": "ghost", "labels": {}}]), ErrorCode::UnknownId, "/0/id"),
        ("setNamespace of an unknown id", json!([{"op": "setNamespace", "id": "ghost", "namespace": "n"}]), ErrorCode::UnknownId, "/0/id"),
        ("removeRelationship of an unknown id", json!([{"op": "removeRelationship", "id": "ghost"}]), ErrorCode::UnknownId, "/0/id"),
        ("setRelationshipStatus of an unknown id", json!([{"op": "setRelationshipStatus", "id": "ghost", "status": "deleted"}]), ErrorCode::UnknownId, "/0/id"),
        ("component id used as a relationship id", json!([{"op": "removeRelationship", "id": c1}]), ErrorCode::UnknownId, "/0/id"),
        ("relationship id used as a component id", json!([{"op": "removeComponent", "id": r1}]), ErrorCode::UnknownId, "/0/id"),
        ("empty id", json!([{"op": "removeComponent", "id": ""}]), ErrorCode::UnknownId, "/0/id"),
        ("unknown id after good edits", json!([{"op": "renameComponent", "id": c1, "displayName": "x"},
                                                {"op": "setLabels", "id": c2, "labels": {"a": "b"}},
                                                {"op": "removeComponent", "id": "ghost"}]), ErrorCode::UnknownId, "/2/id"),
        ("edit of a component removed earlier in the batch", json!([{"op": "removeComponent", "id": c1},
                                                                    {"op": "renameComponent", "id": c1, "displayName": "x"}]), ErrorCode::UnknownId, "/1/id"),
        ("relationship removed twice", json!([{"op": "removeRelationship", "id": r1}, {"op": "removeRelationship", "id": r1}]), ErrorCode::UnknownId, "/1/id"),
        ("setConfiguration with a number", json!([{"op": "setConfiguration", "id": c1, "configuration": 5}]), ErrorCode::InvalidType, "/0/configuration"),
        ("setConfiguration with null", json!([{"op": "setConfiguration", "id": c1, "configuration": null}]), ErrorCode::InvalidType, "/0/configuration"),
        ("patchConfiguration with an array", json!([{"op": "patchConfiguration", "id": c1, "patch": []}]), ErrorCode::InvalidType, "/0/patch"),
        ("setPreferences with a number", json!([{"op": "setPreferences", "preferences": 3}]), ErrorCode::InvalidType, "/0/preferences"),
        ("addComponent with a number", json!([{"op": "addComponent", "component": 5}]), ErrorCode::InvalidType, "/0/component"),
        ("addComponent without id", json!([{"op": "addComponent", "component": {"displayName": "x"}}]), ErrorCode::MissingField, "/0/component/id"),
        ("addComponent with empty id", json!([{"op": "addComponent", "component": {"id": ""}}]), ErrorCode::MissingField, "/0/component/id"),
        ("addComponent with numeric id", json!([{"op": "addComponent", "component": {"id": 7}}]), ErrorCode::InvalidType, "/0/component/id"),
        ("addComponent with numeric displayName", json!([{"op": "addComponent", "component": {"id": "n", "displayName": 7}}]), ErrorCode::InvalidType, "/0/component/displayName"),
        ("addComponent with string model", json!([{"op": "addComponent", "component": {"id": "n", "model": "k8s"}}]), ErrorCode::InvalidType, "/0/component/model"),
        ("addComponent with numeric kind", json!([{"op": "addComponent", "component": {"id": "n", "component": {"kind": 1}}}]), ErrorCode::InvalidType, "/0/component/component/kind"),
        ("addComponent of an existing id", json!([{"op": "addComponent", "component": {"id": c1}}]), ErrorCode::DuplicateId, "/0/component/id"),
        ("addComponent twice in a batch", json!([{"op": "addComponent", "component": {"id": "n"}}, {"op": "addComponent", "component": {"id": "n"}}]), ErrorCode::DuplicateId, "/1/component/id"),
        ("addRelationship without id", json!([{"op": "addRelationship", "relationship": {"kind": "edge"}}]), ErrorCode::MissingField, "/0/relationship/id"),
        ("addRelationship with a string", json!([{"op": "addRelationship", "relationship": "r"}]), ErrorCode::InvalidType, "/0/relationship"),
        ("addRelationship with numeric kind", json!([{"op": "addRelationship", "relationship": {"id": "n", "kind": 1}}]), ErrorCode::InvalidType, "/0/relationship/kind"),
        ("addRelationship with object selectors", json!([{"op": "addRelationship", "relationship": {"id": "n", "selectors": {}}}]), ErrorCode::InvalidType, "/0/relationship/selectors"),
        ("addRelationship with a bad selector item", json!([{"op": "addRelationship", "relationship": {"id": "n", "selectors": [{"allow": {"from": [5]}}]}}]), ErrorCode::InvalidType, "/0/relationship/selectors/0/allow/from/0"),
        ("addRelationship with a bad mutatorRef", json!([{"op": "addRelationship", "relationship": {"id": "n", "selectors": [{"allow": {"to": [{"patch": {"mutatorRef": [[1]]}}]}}]}}]), ErrorCode::InvalidType, "/0/relationship/selectors/0/allow/to/0/patch/mutatorRef/0/0"),
        ("addRelationship of an existing id", json!([{"op": "addRelationship", "relationship": {"id": r1}}]), ErrorCode::DuplicateId, "/0/relationship/id"),
        ("addRelationship twice in a batch", json!([{"op": "addRelationship", "relationship": {"id": "n"}}, {"op": "addRelationship", "relationship": {"id": "n"}}]), ErrorCode::DuplicateId, "/1/relationship/id"),
    ];
    for (name, edits, code, path) in cases {
        for full in [false, true] {
            let mut batch = edits.as_array().expect("batch").clone();
            if full {
                batch.insert(0, json!({"op": "setLayer", "layer": "edge-non-binding-network", "enabled": true}));
            }
            let path = shift(path, usize::from(full));
            let text = Value::Array(batch).to_string();
            let label = if full { "full path" } else { "alone" };
            corpus.err("bad edits", format!("{name} ({label})"), code, &path, move || {
                let mut evaluator = base_evaluator();
                unchanged_on_error(&mut evaluator, |e| e.apply_edits(&edits_from_text(&text)?).map(|_| ()))
            });
        }
    }
    for (name, text) in [("edits are an object", r#"{"op":"removeComponent","id":"x"}"#), ("edits are null", "null"), ("edits are a string", "\"[]\"")] {
        corpus.err("bad edits", name, ErrorCode::InvalidType, "", move || {
            let mut evaluator = base_evaluator();
            unchanged_on_error(&mut evaluator, |e| e.apply_edits(&edits_from_text(text)?).map(|_| ()))
        });
    }
    for (name, x, y) in [("NaN x", f64::NAN, 0.0), ("infinite y", 0.0, f64::INFINITY), ("negative infinite x", f64::NEG_INFINITY, 1.0)] {
        let c1 = c1.clone();
        corpus.err("bad edits", format!("moveComponent with {name}"), ErrorCode::InvalidType, "/0/x", move || {
            let mut evaluator = base_evaluator();
            let edits = vec![Edit::MoveComponent { id: c1, x, y }];
            unchanged_on_error(&mut evaluator, |e| e.apply_edits(&edits).map(|_| ()))
        });
    }
    corpus.err("bad edits", "moveComponent with 1e400", ErrorCode::InvalidJson, "", {
        let text = format!(r#"[{{"op":"moveComponent","id":"{c1}","x":1e400,"y":0}}]"#);
        move || {
            let mut evaluator = base_evaluator();
            unchanged_on_error(&mut evaluator, |e| e.apply_edits(&edits_from_text(&text)?).map(|_| ()))
        }
    });
    corpus.err("bad edits", "unknown id after 500 good edits", ErrorCode::UnknownId, "/500/id", {
        let mut batch: Vec<Edit> =
            (0..500).map(|i| Edit::RenameComponent { id: uuid(1 + (i % 3)), display_name: format!("n{i}") }).collect();
        batch.push(Edit::RemoveComponent { id: "ghost".into() });
        move || {
            let mut evaluator = base_evaluator();
            unchanged_on_error(&mut evaluator, |e| e.apply_edits(&batch).map(|_| ()))
        }
    });
    corpus.valid("bad edits", "empty batch", "an empty batch is a valid no-op transaction", || {
        let mut evaluator = base_evaluator();
        evaluator.apply_edits(&[]).map(|_| ()).into()
    });
    corpus.valid("bad edits", "setLayer of an unknown layer", "layers are free-form keys", {
        let text = json!([{"op": "setLayer", "layer": "no-such-layer", "enabled": false}]).to_string();
        move || {
            let mut evaluator = base_evaluator();
            edits_from_text(&text).and_then(|edits| evaluator.apply_edits(&edits)).map(|_| ()).into()
        }
    });
    corpus.valid("bad edits", "setNamespace null on a component without one", "removing an absent namespace is a no-op", {
        let text = json!([{"op": "setNamespace", "id": c2, "namespace": null}]).to_string();
        move || {
            let mut evaluator = base_evaluator();
            edits_from_text(&text).and_then(|edits| evaluator.apply_edits(&edits)).map(|_| ()).into()
        }
    });
}

/// Shifts the leading edit index of an error path by `by`.
fn shift(path: &str, by: usize) -> String {
    let mut parts = path.splitn(3, '/');
    let (_, index, rest) = (parts.next(), parts.next(), parts.next());
    match index.and_then(|i| i.parse::<usize>().ok()) {
        Some(i) => match rest {
            Some(rest) => format!("/{}/{rest}", i + by),
            None => format!("/{}", i + by),
        },
        None => path.to_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// 9. Other quirks of JSON.

fn json_quirks(corpus: &mut Corpus) {
    corpus.valid("JSON quirks", "duplicate keys in a design", "RFC 8259 leaves duplicate names undefined; serde_json keeps the last", || {
        evaluate_design_text(r#"{"id":"d","components":[{"id":"a"}],"components":[{"id":"b"}]}"#).map(|_| ()).into()
    });
    corpus.valid("JSON quirks", "duplicate id keys in a component", "the last one wins; ids stay unique", || {
        evaluate_design_text(r#"{"id":"d","components":[{"id":"a","id":"b"},{"id":"a"}]}"#).map(|_| ()).into()
    });
    corpus.valid("JSON quirks", "integer beyond u64", "numbers beyond u64 become f64, as in Go and JavaScript", || {
        evaluate_design_text(r#"{"id":"d","x":184467440737095516150}"#).map(|_| ()).into()
    });
    corpus.valid("JSON quirks", "negative zero and exponents", "ordinary JSON numbers", || {
        evaluate_design_text(r#"{"id":"d","x":-0.0,"y":1E-300,"z":-9223372036854775808}"#).map(|_| ()).into()
    });
    corpus.valid("JSON quirks", "escaped NUL and surrogate pairs in ids", "valid JSON strings", || {
        evaluate_design_text(r#"{"id":"d","components":[{"id":"a\u0000b"},{"id":"\ud83e\udd80"}]}"#).map(|_| ()).into()
    });
    corpus.valid("JSON quirks", "null lists", "null components and relationships mean empty lists", || {
        evaluate_design_text(r#"{"id":"d","components":null,"relationships":null}"#).map(|_| ()).into()
    });
    corpus.valid("JSON quirks", "empty object design", "every top-level field is optional", || evaluate_design_text("{}").map(|_| ()).into());
    corpus.valid("JSON quirks", "whitespace around the document", "JSON allows surrounding whitespace", || {
        evaluate_design_text(" \n{\"id\":\"d\"}\n\t ").map(|_| ()).into()
    });
    corpus.valid("JSON quirks", "empty definitions and null options", "defaults", || evaluate_json("{}", "[]", "null").map(|_| ()).into());
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
    let mut corpus = Corpus::default();
    trace("building invalid_json");
    invalid_json(&mut corpus);
    trace("building wrong_types");
    wrong_types(&mut corpus);
    trace("building ids");
    ids(&mut corpus);
    trace("building alias_cycles");
    alias_cycles(&mut corpus);
    trace("building unknown_kinds");
    unknown_kinds(&mut corpus);
    trace("building proto_keys");
    proto_keys(&mut corpus);
    trace("building enormous_strings");
    enormous_strings(&mut corpus);
    trace("building deep_nesting");
    deep_nesting(&mut corpus);
    trace("building limits");
    limits(&mut corpus);
    trace("building bytes");
    bytes(&mut corpus);
    trace("building bad_edits");
    bad_edits(&mut corpus);
    trace("building json_quirks");
    json_quirks(&mut corpus);

    let mut names = std::collections::HashSet::new();
    for case in &corpus.cases {
        assert!(names.insert(case.name.clone()), "duplicate case name {:?}", case.name);
    }
    for (name, _) in KNOWN_FAILURES {
        assert!(names.contains(*name), "KNOWN_FAILURES names a case that does not exist: {name:?}");
    }

    let total = corpus.cases.len();
    let (mut typed, mut valid, mut panics) = (0usize, 0usize, 0usize);
    let mut by_category: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut failures: Vec<String> = Vec::new();
    let mut known_seen: Vec<String> = Vec::new();

    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for case in corpus.cases {
        let Case { category, name, expect, run } = case;
        trace(&format!("case: [{category}] {name}"));
        let verdict = match catch_unwind(AssertUnwindSafe(run)) {
            Ok(outcome) => judge(&expect, &outcome).map(|()| outcome.result.is_ok()),
            Err(payload) => {
                panics += 1;
                Err(format!("PANIC: {}", payload_text(payload.as_ref())))
            }
        };
        let entry = by_category.entry(category).or_default();
        entry.0 += 1;
        let known = KNOWN_FAILURES.iter().any(|(n, _)| *n == name);
        match (verdict, known) {
            (Ok(true), false) => {
                valid += 1;
                entry.2 += 1;
            }
            (Ok(false), false) => {
                typed += 1;
                entry.1 += 1;
            }
            (Ok(_), true) => failures.push(format!("[{category}] {name}: listed in KNOWN_FAILURES but now passes; remove it")),
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
    println!(
        "malformed corpus: {total} cases, {typed} typed errors, {valid} documented valid, {} known failures, {panics} panics",
        known_seen.len()
    );
    assert!(total >= 300, "the corpus must hold at least 300 cases, has {total}");
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n"));
}
