//! The malformed-input corpus of issue #6, as data: every case names an entry point, its inputs,
//! and the expected result, so the same corpus runs through the native core
//! (`tests/malformed_inputs.rs`), the WebAssembly package and the JavaScript engine
//! (`tests/js/node/malformed-corpus.test.mjs`) and the Go module (`go/malformed_test.go`).
//!
//! Included with `#[path]` by the Rust test and by `examples/malformed-corpus.rs`, which prints the
//! corpus as JSON for the Node tests (`cargo run --example malformed-corpus`; nothing generated is
//! committed). The exported document:
//!
//! ```text
//! { "format": "meshery-relationship-evaluator/malformed-corpus", "version": 1,
//!   "blobs": { name: text, … },              // texts shared by many cases (fixtures, base designs)
//!   "cases": [ {
//!     "category", "name",
//!     "entry": { "entry": "evaluate", "design": IN, "definitions": IN, "options": IN }
//!            | { "entry": "decodeDesign", "design": IN }
//!            | { "entry": "newEvaluator", "definitions": IN, "options": IN }
//!            | { "entry": "loadDesign", "start": START, "design": IN }
//!            | { "entry": "applyEdits", "start": START, "edits": IN }
//!            | { "entry": "restoreMsgpack", "bytes": IN }
//!            | { "entry": "restoreJson", "text": IN }
//!            | { "entry": "moveNonFinite", … } | { "entry": "utf8", … }      (Rust-only)
//!     "expect": { "error": { "code", "path", "match": "exact" | "prefix" } } | { "valid": reason },
//!     "checks": [ { "check": …, … } ],           // optional extra checks (see `Check`)
//!     "rustOnly": reason,                        // optional: the case cannot cross the JS boundary
//!     "isolate": true,                           // optional: the Rust runner uses a child process
//!     "reduced": ENTRY,                          // optional: the same case smaller, for slow engines
//!     "digest": "1a2b3c4d"                       // FNV-1a of the inputs' bytes (entry, then reduced)
//!   } ] }
//!
//! START = { "definitions": IN, "options": IN, "design": IN }: an evaluator built from definitions
//! and options texts with the design loaded (all must succeed).
//! IN (an input, always bytes; text entries decode it as UTF-8, keeping a BOM):
//!   "text"                              the UTF-8 bytes of the string
//!   { "hex": "00ff…" }                  bytes
//!   { "blob": name }                    a text of `blobs`
//!   { "concat": [IN, …] }               concatenation
//!   { "repeat": [IN, count] }           IN, count times
//!   { "slice": [IN, start, end] }       bytes start..end
//!   { "splice": [IN, start, end, IN] }  bytes start..end replaced
//!   { "numbered": [before, after, count, separator] }
//!                                       before + i + after for i in 0..count, joined by separator
//! Big inputs (megabyte strings, 500,000-level nesting, 200,001 components) are generators, so
//! the export stays small (about 1.5 MB, most of it case names and small literal inputs).

#![allow(dead_code)] // the example uses the data, the test uses the rest

use crate::fixture_helpers::*;
use relationship_evaluator::{EngineOptions, ErrorCode, Evaluator, Limits};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const FORMAT: &str = "meshery-relationship-evaluator/malformed-corpus";
pub const MB: usize = 1 << 20;

// ---------------------------------------------------------------------------------------------
// The data model.

/// An input: bytes, described by a small expression (see the module documentation).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Input {
    Text(String),
    Gen(Gen),
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Gen {
    Hex(String),
    Blob(String),
    Concat(Vec<Input>),
    Repeat(Box<Input>, usize),
    Slice(Box<Input>, usize, usize),
    Splice(Box<Input>, usize, usize, Box<Input>),
    Numbered(String, String, usize, String),
}

impl From<&str> for Input {
    fn from(text: &str) -> Self {
        Input::Text(text.to_owned())
    }
}

impl From<String> for Input {
    fn from(text: String) -> Self {
        Input::Text(text)
    }
}

impl Input {
    pub fn blob(name: &str) -> Input {
        Input::Gen(Gen::Blob(name.to_owned()))
    }
    pub fn hex(bytes: &[u8]) -> Input {
        Input::Gen(Gen::Hex(bytes.iter().map(|b| format!("{b:02x}")).collect()))
    }
    pub fn concat(parts: Vec<Input>) -> Input {
        Input::Gen(Gen::Concat(parts))
    }
    pub fn repeat(part: impl Into<Input>, count: usize) -> Input {
        Input::Gen(Gen::Repeat(Box::new(part.into()), count))
    }
    pub fn slice(of: Input, start: usize, end: usize) -> Input {
        Input::Gen(Gen::Slice(Box::new(of), start, end))
    }
    pub fn splice(of: Input, start: usize, end: usize, with: impl Into<Input>) -> Input {
        Input::Gen(Gen::Splice(Box::new(of), start, end, Box::new(with.into())))
    }
    pub fn numbered(before: &str, after: &str, count: usize, separator: &str) -> Input {
        Input::Gen(Gen::Numbered(before.into(), after.into(), count, separator.into()))
    }

    /// The bytes this input stands for.
    pub fn bytes(&self, blobs: &BTreeMap<String, String>) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(blobs, &mut out);
        out
    }

    fn write(&self, blobs: &BTreeMap<String, String>, out: &mut Vec<u8>) {
        match self {
            Input::Text(text) => out.extend_from_slice(text.as_bytes()),
            Input::Gen(Gen::Hex(hex)) => {
                out.extend((0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex")))
            }
            Input::Gen(Gen::Blob(name)) => {
                out.extend_from_slice(blobs.get(name).unwrap_or_else(|| panic!("no blob {name}")).as_bytes())
            }
            Input::Gen(Gen::Concat(parts)) => parts.iter().for_each(|p| p.write(blobs, out)),
            Input::Gen(Gen::Repeat(part, count)) => {
                let once = part.bytes(blobs);
                out.reserve(once.len() * count);
                (0..*count).for_each(|_| out.extend_from_slice(&once));
            }
            Input::Gen(Gen::Slice(of, start, end)) => out.extend_from_slice(&of.bytes(blobs)[*start..*end]),
            Input::Gen(Gen::Splice(of, start, end, with)) => {
                let whole = of.bytes(blobs);
                out.extend_from_slice(&whole[..*start]);
                with.write(blobs, out);
                out.extend_from_slice(&whole[*end..]);
            }
            Input::Gen(Gen::Numbered(before, after, count, separator)) => {
                for i in 0..*count {
                    if i > 0 {
                        out.extend_from_slice(separator.as_bytes());
                    }
                    out.extend_from_slice(before.as_bytes());
                    out.extend_from_slice(i.to_string().as_bytes());
                    out.extend_from_slice(after.as_bytes());
                }
            }
        }
    }

    /// The input as text (every text input of the corpus is UTF-8).
    pub fn text(&self, blobs: &BTreeMap<String, String>) -> String {
        String::from_utf8(self.bytes(blobs)).expect("a text input is UTF-8")
    }
}

/// An evaluator to start from: definitions and options texts, then a design loaded.
#[derive(Debug, Clone, Serialize)]
pub struct Start {
    pub definitions: Input,
    pub options: Input,
    pub design: Input,
}

impl Entry {
    /// Every input of the entry, in field order (a START's definitions, options, design).
    pub fn inputs(&self) -> Vec<&Input> {
        fn start(s: &Start) -> [&Input; 3] {
            [&s.definitions, &s.options, &s.design]
        }
        match self {
            Entry::Evaluate { design, definitions, options } => vec![design, definitions, options],
            Entry::DecodeDesign { design } => vec![design],
            Entry::NewEvaluator { definitions, options } => vec![definitions, options],
            Entry::LoadDesign { start: s, design } => start(s).into_iter().chain([design]).collect(),
            Entry::ApplyEdits { start: s, edits } => start(s).into_iter().chain([edits]).collect(),
            Entry::RestoreMsgpack { bytes } | Entry::Utf8 { bytes } => vec![bytes],
            Entry::RestoreJson { text } => vec![text],
            Entry::MoveNonFinite { start: s, .. } => start(s).into(),
        }
    }
}

/// The entry point a case goes through. In JavaScript (the wasm-bindgen `Evaluator` class of the
/// WebAssembly package and of the JavaScript engine, and Meshery's contract object):
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "entry", rename_all = "camelCase")]
pub enum Entry {
    /// `evaluate_json(design, definitions, options)`. JS: `new Evaluator(definitions, options)
    /// .evaluateDesign(design)`; with default options also the contract's `init(definitions)` then
    /// `evaluate(design, "")`.
    Evaluate { design: Input, definitions: Input, options: Input },
    /// `Design::from_json(design, default limits)`. JS: `new Evaluator("[]").evaluateDesign(design)`
    /// and the contract with `init("[]")`.
    DecodeDesign { design: Input },
    /// `Evaluator::from_json(definitions, options)`. JS: `new Evaluator(definitions, options)`; with
    /// default options also the contract's `init(definitions)`.
    NewEvaluator { definitions: Input, options: Input },
    /// `load_design` on the start evaluator; a failure leaves its design and revision unchanged.
    LoadDesign { start: Start, design: Input },
    /// `apply_edits(parse_edits(edits))` on the start evaluator (JS: `applyEdits(edits)`); a failure
    /// leaves its design and revision unchanged.
    ApplyEdits { start: Start, edits: Input },
    /// `Evaluator::restore(Snapshot::from_msgpack(bytes))`. JS: `Evaluator.restore(bytes)`.
    RestoreMsgpack { bytes: Input },
    /// `Evaluator::restore(Snapshot::from_json(text))`. JS: `Evaluator.importJson(text)`.
    RestoreJson { text: Input },
    /// Rust-only: a `MoveComponent` edit built in Rust with a non-finite coordinate ("NaN", "inf",
    /// "-inf" or a number), which JSON text cannot carry.
    MoveNonFinite { start: Start, id: String, x: String, y: String },
    /// Rust-only: the bytes must be refused by `std::str::from_utf8` (the caller's boundary in
    /// front of every `&str` entry point).
    Utf8 { bytes: Input },
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PathMatch {
    Exact,
    Prefix,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Expect {
    Error {
        code: ErrorCode,
        path: String,
        #[serde(rename = "match")]
        rule: PathMatch,
    },
    /// The input is legitimately valid; the reason says why (one line, shown in failures).
    Valid(&'static str),
}

/// Extra checks of a case. `MessageContains` applies to an error; the others to a success.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "check", rename_all = "camelCase")]
pub enum Check {
    /// The error message names this (e.g. the limit that was exceeded).
    MessageContains { text: String },
    /// Every relationship of the input design is in the response's design or named by an action.
    NoSilentDrop,
    /// Evaluating the same design with these definitions gives the same design.
    SameDesignWithDefinitions { definitions: Input },
    /// The response's design still holds the relationship with this id.
    KeepsRelationship { id: String },
    /// The values at these pointers of the input design are unchanged in the response's design.
    PreservesPointers { pointers: Vec<String> },
    /// The string at this pointer of the response's design has this many UTF-8 bytes.
    ResponseStringBytes { pointer: String, bytes: usize },
    /// After the edits, the component `id` of the evaluator's design holds `value` at `pointer`.
    ComponentPointerEquals { id: String, pointer: String, value: Value },
    /// Rust-only: the design decodes and re-encodes to the same JSON value.
    DesignRoundTrip,
    /// Rust-only: the (single) definition decodes and re-encodes to the same JSON value.
    DefinitionRoundTrip,
}

impl Check {
    /// Checks of the Rust data model that JavaScript cannot observe.
    pub fn rust_only(&self) -> bool {
        matches!(self, Check::DesignRoundTrip | Check::DefinitionRoundTrip)
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Case {
    pub category: &'static str,
    pub name: String,
    pub entry: Entry,
    pub expect: Expect,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rust_only: Option<&'static str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub isolate: bool,
    /// The same case at a reduced size, still over the limit it tests, for the JavaScript engine
    /// (wasm2js grows its memory by copying all of it, so multi-megabyte inputs are slow there).
    /// Every runner that runs the full case also runs this one (the Rust runner checks both).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reduced: Option<Entry>,
    /// Set by `Corpus::fill_digests` for the export: FNV-1a (32-bit, hex) of the bytes of every
    /// input of `entry` then `reduced`, in field order, so a JavaScript runner can prove it
    /// materialises the same bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

impl Case {
    pub fn check(&mut self, check: Check) -> &mut Self {
        self.checks.push(check);
        self
    }
    pub fn rust_only(&mut self, reason: &'static str) -> &mut Self {
        self.rust_only = Some(reason);
        self
    }
    pub fn isolate(&mut self) -> &mut Self {
        self.isolate = true;
        self
    }
    pub fn reduced(&mut self, entry: Entry) -> &mut Self {
        self.reduced = Some(entry);
        self
    }
}

#[derive(Debug, Default, Serialize)]
pub struct Corpus {
    pub format: &'static str,
    pub version: u32,
    pub blobs: BTreeMap<String, String>,
    pub cases: Vec<Case>,
}

impl Corpus {
    fn add(&mut self, category: &'static str, name: impl Into<String>, expect: Expect, entry: Entry) -> &mut Case {
        self.cases.push(Case {
            category,
            name: name.into(),
            entry,
            expect,
            checks: Vec::new(),
            rust_only: None,
            isolate: false,
            reduced: None,
            digest: None,
        });
        self.cases.last_mut().expect("just pushed")
    }
    fn err(
        &mut self,
        category: &'static str,
        name: impl Into<String>,
        code: ErrorCode,
        path: &str,
        entry: Entry,
    ) -> &mut Case {
        self.add(category, name, Expect::Error { code, path: path.to_owned(), rule: PathMatch::Exact }, entry)
    }
    fn err_under(
        &mut self,
        category: &'static str,
        name: impl Into<String>,
        code: ErrorCode,
        prefix: &str,
        entry: Entry,
    ) -> &mut Case {
        self.add(category, name, Expect::Error { code, path: prefix.to_owned(), rule: PathMatch::Prefix }, entry)
    }
    fn valid(
        &mut self,
        category: &'static str,
        name: impl Into<String>,
        reason: &'static str,
        entry: Entry,
    ) -> &mut Case {
        self.add(category, name, Expect::Valid(reason), entry)
    }
    /// Registers a shared text and returns the input naming it.
    fn blob(&mut self, name: &str, text: String) -> Input {
        if let Some(existing) = self.blobs.get(name) {
            assert_eq!(existing, &text, "blob {name} registered twice with different texts");
        }
        self.blobs.insert(name.to_owned(), text);
        Input::blob(name)
    }
    /// The materialised bytes of an input.
    pub fn bytes(&self, input: &Input) -> Vec<u8> {
        input.bytes(&self.blobs)
    }
    /// The materialised text of an input.
    pub fn text(&self, input: &Input) -> String {
        input.text(&self.blobs)
    }
    /// Fills every case's `digest` (the export does; it materialises every input once).
    pub fn fill_digests(&mut self) {
        let blobs = &self.blobs;
        for case in &mut self.cases {
            let mut hash: u32 = 0x811c_9dc5;
            for input in case.entry.inputs().into_iter().chain(case.reduced.iter().flat_map(Entry::inputs)) {
                for byte in input.bytes(blobs) {
                    hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
                }
            }
            case.digest = Some(format!("{hash:08x}"));
        }
    }

    /// The corpus as the JSON document the Node tests read.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("the corpus serialises")
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs shared by the cases.

pub fn uuid(n: u32) -> String {
    format!("6f1c3a52-3d6e-4b8e-9a2c-{n:012x}")
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
        component(
            &uuid(1),
            "Service",
            "web",
            json!({"metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}}}),
        ),
        component(&uuid(2), "Pod", "pod", json!({"metadata": {"name": "pod", "labels": {"app": "web"}}})),
        component(&uuid(3), "Namespace", "ns", json!({"metadata": {"name": "ns"}})),
    ]);
    design["relationships"] = json!([{
        "id": uuid(0x10), "kind": "edge", "type": "non-binding", "subType": "annotation", "status": "approved",
        "selectors": [{"allow": {"from": [{"id": uuid(1), "kind": "Service"}], "to": [{"id": uuid(2), "kind": "Pod"}]}}]
    }]);
    design
}

const K8S: &str = "kubernetesDefinitions";
const BASE_DESIGN: &str = "baseDesign";
const BASE_SNAPSHOT_JSON: &str = "baseSnapshotJson";

fn k8s() -> Input {
    Input::blob(K8S)
}

fn base_design_input() -> Input {
    Input::blob(BASE_DESIGN)
}

/// The kubernetes definitions, default options, the base design.
fn base_start() -> Start {
    Start { definitions: k8s(), options: "".into(), design: base_design_input() }
}

/// Evaluates design text with the real kubernetes definitions and default options.
fn evaluate(design: impl Into<Input>) -> Entry {
    Entry::Evaluate { design: design.into(), definitions: k8s(), options: "".into() }
}

fn evaluate_with(design: impl Into<Input>, definitions: impl Into<Input>, options: impl Into<Input>) -> Entry {
    Entry::Evaluate { design: design.into(), definitions: definitions.into(), options: options.into() }
}

fn new_evaluator(definitions: impl Into<Input>, options: impl Into<Input>) -> Entry {
    Entry::NewEvaluator { definitions: definitions.into(), options: options.into() }
}

fn edits_on(start: Start, edits: impl Into<Input>) -> Entry {
    Entry::ApplyEdits { start, edits: edits.into() }
}

fn base_edits(edits: impl Into<Input>) -> Entry {
    edits_on(base_start(), edits)
}

/// `text` with its one occurrence of `marker` replaced by `with`, as an input.
fn with_marker(text: &str, marker: &str, with: Input) -> Input {
    let at = text.find(marker).unwrap_or_else(|| panic!("marker {marker} not in {text}"));
    assert!(text[at + marker.len()..].find(marker).is_none(), "marker {marker} twice");
    Input::concat(vec![text[..at].into(), with, text[at + marker.len()..].into()])
}

const MARKER: &str = "\u{e000}malformed-corpus-marker\u{e000}";

/// `original` (registered as blob `name`) with the value at `path` replaced: a splice of the blob
/// text, so the exported case stays small. The text is the one `modified.to_string()` gives.
fn splice_value(corpus: &Corpus, name: &str, original: &Value, path: &[Seg], replacement: &Value) -> Input {
    let blob = &corpus.blobs[name];
    let mut marked = original.clone();
    set_at(&mut marked, path, Value::String(MARKER.into()));
    let marked = marked.to_string();
    let marker_json = Value::String(MARKER.into()).to_string();
    let start = marked.find(&marker_json).expect("marker in the text");
    let end = blob.len() - (marked.len() - start - marker_json.len());
    Input::splice(Input::blob(name), start, end, replacement.to_string())
}

fn nested(depth: usize, leaf: &str) -> Input {
    Input::concat(vec![Input::repeat("[", depth), leaf.into(), Input::repeat("]", depth)])
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
// The corpus.

pub fn build() -> Corpus {
    let mut corpus = essentials();
    invalid_json(&mut corpus);
    wrong_types(&mut corpus);
    ids(&mut corpus);
    alias_cycles(&mut corpus);
    unknown_kinds(&mut corpus);
    proto_keys(&mut corpus);
    enormous_strings(&mut corpus);
    deep_nesting(&mut corpus);
    limits(&mut corpus);
    bytes(&mut corpus);
    bad_edits(&mut corpus);
    json_quirks(&mut corpus);
    hostile(&mut corpus);
    duplicate_keys_and_value_paths(&mut corpus);
    corpus
}

/// A corpus without cases, holding the blobs of the base evaluator (kubernetes definitions, base
/// design): what a runner needs to build the base evaluator without building every case.
pub fn essentials() -> Corpus {
    let mut corpus = Corpus { format: FORMAT, version: 1, ..Corpus::default() };
    corpus.blob(K8S, Value::Array(raw_kubernetes_definitions()).to_string());
    corpus.blob(BASE_DESIGN, base_design().to_string());
    corpus
}

/// The JSON snapshot of the base evaluator (kubernetes definitions, base design).
fn base_snapshot_json() -> String {
    let mut evaluator =
        Evaluator::from_json(&Value::Array(raw_kubernetes_definitions()).to_string(), "").expect("definitions");
    evaluator.load_design(design(base_design())).expect("base design loads");
    evaluator.snapshot().to_json()
}

// ---------------------------------------------------------------------------------------------
// 1. Invalid JSON.

fn invalid_json(corpus: &mut Corpus) {
    let design_text = real_design().to_string();
    let real = corpus.blob("realDesign", design_text.clone());
    for offset in offsets(design_text.len(), 60) {
        let offset = floor_char_boundary(&design_text, offset);
        corpus.err(
            "invalid JSON",
            format!("design truncated at byte {offset}"),
            ErrorCode::InvalidJson,
            "",
            evaluate(Input::slice(real.clone(), 0, offset)),
        );
    }
    let pretty = serde_json::to_string_pretty(&rich_design()).expect("json");
    let pretty_input = corpus.blob("richDesignPretty", pretty.clone());
    for offset in offsets(pretty.len(), 20) {
        corpus.err(
            "invalid JSON",
            format!("pretty design truncated at byte {offset}"),
            ErrorCode::InvalidJson,
            "",
            Entry::DecodeDesign { design: Input::slice(pretty_input.clone(), 0, offset) },
        );
    }
    let definitions_text = corpus.blobs[K8S].clone();
    for offset in offsets(definitions_text.len(), 30) {
        let end = floor_char_boundary(&definitions_text, offset);
        corpus.err(
            "invalid JSON",
            format!("definitions truncated at byte {offset}"),
            ErrorCode::InvalidJson,
            "",
            new_evaluator(Input::slice(k8s(), 0, end), ""),
        );
    }
    let snapshot_text = base_snapshot_json();
    let snapshot = corpus.blob(BASE_SNAPSHOT_JSON, snapshot_text.clone());
    for offset in offsets(snapshot_text.len(), 20) {
        let end = floor_char_boundary(&snapshot_text, offset);
        corpus.err(
            "invalid JSON",
            format!("JSON snapshot truncated at byte {offset}"),
            ErrorCode::InvalidJson,
            "",
            Entry::RestoreJson { text: Input::slice(snapshot.clone(), 0, end) },
        );
    }
    let edits_text = json!([{"op": "renameComponent", "id": uuid(1), "displayName": "x"},
                            {"op": "moveComponent", "id": uuid(2), "x": 1.0, "y": 2.0}])
    .to_string();
    for offset in offsets(edits_text.len(), 10) {
        corpus.err(
            "invalid JSON",
            format!("edits truncated at byte {offset}"),
            ErrorCode::InvalidJson,
            "",
            base_edits(&edits_text[..offset]),
        );
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
        // Issue 15 #21: a value that cannot be read is reported at its path; a syntax error at "".
        let path = match *name {
            "bad escape" | "lone surrogate escape" | "raw control character in string" => "/id",
            _ => "",
        };
        corpus.err("invalid JSON", format!("design: {name}"), ErrorCode::InvalidJson, path, evaluate(*text));
    }
    for (name, text) in &hand_written[..8] {
        corpus.err(
            "invalid JSON",
            format!("definitions: {name}"),
            ErrorCode::InvalidJson,
            "",
            evaluate_with(r#"{"id":"d"}"#, *text, ""),
        );
    }
    for (name, text) in [
        ("truncated options", "{\"maxPasses\":"),
        ("options not JSON", "fast"),
        ("options trailing comma", "{\"maxPasses\":2,}"),
    ] {
        corpus.err(
            "invalid JSON",
            format!("options: {name}"),
            ErrorCode::InvalidOption,
            "",
            evaluate_with(r#"{"id":"d"}"#, "[]", text),
        );
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
pub enum Seg {
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
    matches!(
        (ty, value),
        (Ty::Object, Value::Object(_)) | (Ty::Array, Value::Array(_)) | (Ty::String, Value::String(_))
    )
}

/// The expected result of putting `replacement` at a field whose rule is `rule`.
fn predict(rule: Rule, replacement: &Value, pointer: &str) -> Expect {
    let error = |code| Expect::Error { code, path: pointer.to_owned(), rule: PathMatch::Exact };
    match rule {
        None => Expect::Valid("a field the engine does not read: not checked, round-trips untouched"),
        Some((_, NullMeans::Absent)) if replacement.is_null() => {
            Expect::Valid("null at an optional read field means absent")
        }
        Some((_, NullMeans::Missing)) if replacement.is_null() => error(ErrorCode::MissingField),
        Some((ty, _)) if fits(ty, replacement) => Expect::Valid("the replacement has the expected type"),
        Some(_) => error(ErrorCode::InvalidType),
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

fn wrong_types_design(corpus: &mut Corpus, label: &'static str, blob: &str, original: Value, read_fields_only: bool) {
    corpus.blob(blob, original.to_string());
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
            let name = format!(
                "{label}: {} at {}",
                type_of(&replacement),
                if pointer.is_empty() { "(root)" } else { &pointer }
            );
            let input = splice_value(corpus, blob, &original, &path, &replacement);
            debug_assert_eq!(corpus.text(&input), {
                let mut modified = original.clone();
                set_at(&mut modified, &path, replacement.clone());
                modified.to_string()
            });
            let case = corpus.add("wrong types (design)", name, expect, evaluate(input));
            if rule.is_none() {
                case.check(Check::DesignRoundTrip);
            }
        }
    }
}

fn wrong_types_definition(corpus: &mut Corpus, label: &'static str, blob: &str, original: Value) {
    corpus.blob(blob, original.to_string());
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
            let name = format!("{label}: {} at {pointer}", type_of(&replacement));
            let definition = splice_value(corpus, blob, &original, &path, &replacement);
            let definitions = Input::concat(vec!["[".into(), definition, "]".into()]);
            debug_assert_eq!(corpus.text(&definitions), {
                let mut modified = original.clone();
                set_at(&mut modified, &path, replacement.clone());
                Value::Array(vec![modified]).to_string()
            });
            let case = corpus.add(
                "wrong types (definition)",
                name,
                expect,
                evaluate_with(base_design_input(), definitions, ""),
            );
            if rule.is_none() && v1beta2 {
                case.check(Check::DefinitionRoundTrip);
            }
        }
    }
}

fn wrong_types(corpus: &mut Corpus) {
    wrong_types_design(corpus, "rich design", "richDesign", rich_design(), false);
    wrong_types_design(corpus, "valid_design.yaml", "realDesign", real_design(), true);
    wrong_types_definition(corpus, "rich definition", "richDefinition", rich_definition());
    wrong_types_definition(
        corpus,
        "edge-binding-reference-ektiy",
        "edge-binding-reference-ektiy",
        raw_kubernetes_definition("edge-binding-reference-ektiy"),
    );
    wrong_types_definition(
        corpus,
        "edge-non-binding-network-rldel (v1alpha3)",
        "edge-non-binding-network-rldel",
        raw_kubernetes_definition("edge-non-binding-network-rldel"),
    );
    // Top-level shapes.
    for (name, text) in [
        ("design is an array", "[]"),
        ("design is a string", "\"d\""),
        ("design is null", "null"),
        ("design is a number", "7"),
    ] {
        corpus.err("wrong types (design)", name, ErrorCode::InvalidType, "", evaluate(text));
    }
    for (name, text) in
        [("definitions are an object", "{}"), ("definitions are null", "null"), ("definitions are a string", "\"x\"")]
    {
        corpus.err("wrong types (definition)", name, ErrorCode::InvalidType, "", new_evaluator(text, ""));
    }
    for (name, text, path) in [
        ("definition is a string", r#"[{}, "nope"]"#, "/1"),
        ("definition is null", "[null]", "/0"),
        ("definition is an array", "[[]]", "/0"),
    ] {
        corpus.err("wrong types (definition)", name, ErrorCode::InvalidType, path, new_evaluator(text, ""));
    }
    corpus.valid(
        "wrong types (options)",
        "limits is an empty array",
        "serde accepts a struct's positional (array) form; [] means default limits",
        evaluate_with(r#"{"id":"d"}"#, "[]", r#"{"limits":[]}"#),
    );
    corpus.err(
        "wrong types (options)",
        "limits as positional array [1] caps components at 1",
        ErrorCode::LimitExceeded,
        "/components",
        evaluate_with(r#"{"id":"d","components":[{"id":"a"},{"id":"b"}]}"#, "[]", r#"{"limits":[1]}"#),
    );
    for (name, text, path) in [
        ("unknown option", r#"{"fast":true}"#, ""),
        ("maxPasses is a string", r#"{"maxPasses":"5"}"#, ""),
        ("unknown limit", r#"{"limits":{"maxWidgets":1}}"#, ""),
        ("negative limit", r#"{"limits":{"maxComponents":-1}}"#, ""),
        ("maxApprovalsPerPolicy is zero", r#"{"maxApprovalsPerPolicy":0}"#, "/maxApprovalsPerPolicy"),
    ] {
        corpus.err(
            "wrong types (options)",
            name,
            ErrorCode::InvalidOption,
            path,
            evaluate_with(r#"{"id":"d"}"#, "[]", text),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Ids: missing, duplicate, dangling, self.

fn ids(corpus: &mut Corpus) {
    let cases: Vec<(&str, Value, ErrorCode, &str)> = vec![
        (
            "component without id",
            json!({"components": [{"displayName": "a"}]}),
            ErrorCode::MissingField,
            "/components/0/id",
        ),
        (
            "component with null id",
            json!({"components": [{"id": "a"}, {"id": null}]}),
            ErrorCode::MissingField,
            "/components/1/id",
        ),
        ("component with empty id", json!({"components": [{"id": ""}]}), ErrorCode::MissingField, "/components/0/id"),
        (
            "relationship without id",
            json!({"relationships": [{"kind": "edge"}]}),
            ErrorCode::MissingField,
            "/relationships/0/id",
        ),
        (
            "relationship with empty id",
            json!({"relationships": [{"id": "r"}, {"id": ""}]}),
            ErrorCode::MissingField,
            "/relationships/1/id",
        ),
        (
            "relationship with null id",
            json!({"relationships": [{"id": null}]}),
            ErrorCode::MissingField,
            "/relationships/0/id",
        ),
        (
            "duplicate component ids",
            json!({"components": [{"id": "a"}, {"id": "b"}, {"id": "a"}]}),
            ErrorCode::DuplicateId,
            "/components/2/id",
        ),
        (
            "duplicate component ids, adjacent",
            json!({"components": [{"id": "a"}, {"id": "a"}]}),
            ErrorCode::DuplicateId,
            "/components/1/id",
        ),
        (
            "duplicate relationship ids",
            json!({"relationships": [{"id": "r"}, {"id": "r"}]}),
            ErrorCode::DuplicateId,
            "/relationships/1/id",
        ),
        (
            "duplicate relationship ids, full relationships",
            json!({"components": [{"id": "a"}, {"id": "b"}],
                   "relationships": [rich_relationship("r".into(), "a", "b"), rich_relationship("r".into(), "b", "a")]}),
            ErrorCode::DuplicateId,
            "/relationships/1/id",
        ),
        (
            "id with slash and tilde in path",
            json!({"components": [{"id": "a/b~c"}, {"id": "a/b~c"}]}),
            ErrorCode::DuplicateId,
            "/components/1/id",
        ),
    ];
    for (name, mut value, code, path) in cases {
        value["id"] = json!("d");
        corpus.err("ids", name, code, path, evaluate(value.to_string()));
    }
    // Ids that differ only in case or Unicode normalisation are different ids.
    corpus.valid(
        "ids",
        "ids differing in case",
        "ids are compared byte for byte",
        evaluate(json!({"id": "d", "components": [{"id": "a"}, {"id": "A"}]}).to_string()),
    );
    corpus.valid(
        "ids",
        "ids differing in Unicode normalisation",
        "ids are compared byte for byte (é vs e+◌́)",
        evaluate(json!({"id": "d", "components": [{"id": "\u{e9}"}, {"id": "e\u{301}"}]}).to_string()),
    );
    corpus.valid(
        "ids",
        "component and relationship share an id",
        "components and relationships have separate id spaces",
        evaluate(json!({"id": "d", "components": [{"id": "x"}], "relationships": [{"id": "x"}]}).to_string()),
    );
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
            d["relationships"] =
                json!([{"id": "r", "kind": "edge", "type": "non-binding", "subType": "network", "selectors": []}]);
            d
        }),
        ("relationship with no selectors", {
            let mut d = base_design();
            d["relationships"] = json!([{"id": "r", "kind": "hierarchical", "type": "parent", "subType": "alias"}]);
            d
        }),
    ];
    for (name, design) in cases {
        corpus
            .valid(
                "dangling and self relationships",
                name,
                "an unmatched declaration is the engine's business (kept or marked deleted), not a decoding error",
                evaluate(design.to_string()),
            )
            .check(Check::NoSilentDrop);
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
        (
            "two-component alias loop",
            vec!["a", "b"],
            vec![alias("r1", "a", "b", "x"), alias("r2", "b", "a", "y")],
            "/relationships/0",
        ),
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
        corpus.err("alias cycles", format!("evaluate: {name}"), ErrorCode::Cycle, path, evaluate(looped.to_string()));
        corpus.err(
            "alias cycles",
            format!("loadDesign: {name}"),
            ErrorCode::Cycle,
            path,
            Entry::LoadDesign { start: base_start(), design: looped.to_string().into() },
        );
        // The loop built by edits, one relationship per edit, on a design holding the components:
        // the last edit closes it, and the error points there (#22), not at a design position.
        let mut plain = design_with(containers(&ids));
        plain["relationships"] = json!([]);
        let edits: Vec<Value> =
            relationships.iter().map(|r| json!({"op": "addRelationship", "relationship": r})).collect();
        let start = Start { definitions: "[]".into(), options: "".into(), design: plain.to_string().into() };
        corpus.err(
            "alias cycles",
            format!("applyEdits: {name}"),
            ErrorCode::Cycle,
            &format!("/{}/relationship", edits.len() - 1),
            edits_on(start, Value::Array(edits).to_string()),
        );
    }
    // #22: the edit that closes the loop, not the batch's last edit nor a design position.
    let mut holding_a_b = design_with(containers(&["a", "b", "c"]));
    holding_a_b["relationships"] = json!([alias("r1", "a", "b", "x")]);
    let start = || Start { definitions: "[]".into(), options: "".into(), design: holding_a_b.to_string().into() };
    let closed_mid_batch = json!([
        {"op": "renameComponent", "id": "c", "displayName": "before"},
        {"op": "addRelationship", "relationship": alias("r2", "b", "a", "y")},
        {"op": "renameComponent", "id": "c", "displayName": "after"},
        {"op": "addRelationship", "relationship": alias("r3", "c", "a", "z")}
    ]);
    corpus.err(
        "alias cycles",
        "#22 applyEdits: the loop closed by edit 1 of 4",
        ErrorCode::Cycle,
        "/1/relationship",
        edits_on(start(), closed_mid_batch.to_string()),
    );
    // An alias to a component the design lacks ends its chain; adding the component closes the loop.
    let mut only_a = design_with(containers(&["a"]));
    only_a["relationships"] = json!([]);
    let closed_by_component = json!([
        {"op": "addRelationship", "relationship": alias("r1", "a", "b", "x")},
        {"op": "addRelationship", "relationship": alias("r2", "b", "a", "x")},
        {"op": "addComponent", "component": containers(&["b"])[0]}
    ]);
    corpus.err(
        "alias cycles",
        "#22 applyEdits: the loop closed by adding its last component",
        ErrorCode::Cycle,
        "/2/component",
        edits_on(
            Start { definitions: "[]".into(), options: "".into(), design: only_a.to_string().into() },
            closed_by_component.to_string(),
        ),
    );
    let mut chain = design_with(containers(&["a", "b", "c"]));
    chain["relationships"] = json!([alias("r1", "a", "b", "x"), alias("r2", "b", "c", "x")]);
    corpus.valid(
        "alias cycles",
        "alias chain without a loop",
        "a chain ending at a real parent resolves",
        evaluate(chain.to_string()),
    );
    let mut long_chain_ids: Vec<String> = (0..200).map(|i| format!("c{i}")).collect();
    long_chain_ids.push("root".into());
    let refs: Vec<&str> = long_chain_ids.iter().map(String::as_str).collect();
    let mut long_chain = design_with(containers(&refs));
    long_chain["relationships"] =
        Value::Array((0..60).map(|i| alias(&format!("r{i}"), refs[i], refs[i + 1], "x")).collect());
    corpus.valid(
        "alias cycles",
        "alias chain of 60 links",
        "long chains resolve iteratively, no recursion",
        evaluate(long_chain.to_string()),
    );
    let mut long_loop = design_with(containers(&refs[..200]));
    long_loop["relationships"] =
        Value::Array((0..60).map(|i| alias(&format!("r{i}"), refs[i], refs[(i + 1) % 60], "x")).collect());
    corpus.err(
        "alias cycles",
        "alias loop of 60 links",
        ErrorCode::Cycle,
        "/relationships/0",
        evaluate(long_loop.to_string()),
    );
}

// ---------------------------------------------------------------------------------------------
// 5. Unknown kinds and types; __proto__ keys; enormous strings.

fn unknown_kinds(corpus: &mut Corpus) {
    let unknowns = [
        ("wormhole", "quantum", "tunnel"),
        ("edge", "telepathic", "network"),
        ("hierarchical", "parent", "adoption"),
        ("", "", ""),
    ];
    for (kind, rel_type, sub_type) in unknowns {
        let mut definition = rich_definition();
        definition["kind"] = json!(kind);
        definition["type"] = json!(rel_type);
        definition["subType"] = json!(sub_type);
        corpus
            .valid(
                "unknown kinds",
                format!("definition {kind:?}/{rel_type:?}/{sub_type:?}"),
                "a definition no policy handles is ignored",
                evaluate_with(base_design_input(), Value::Array(vec![definition]).to_string(), ""),
            )
            .check(Check::SameDesignWithDefinitions { definitions: "[]".into() });
        let mut design = base_design();
        design["relationships"][0]["kind"] = json!(kind);
        design["relationships"][0]["type"] = json!(rel_type);
        design["relationships"][0]["subType"] = json!(sub_type);
        corpus
            .valid(
                "unknown kinds",
                format!("declared relationship {kind:?}/{rel_type:?}/{sub_type:?}"),
                "a declaration no policy handles is kept",
                evaluate(design.to_string()),
            )
            .check(Check::KeepsRelationship { id: uuid(0x10) });
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
        let pointers = vec![
            format!("/{key}"),
            format!("/components/0/{key}"),
            format!("/components/0/configuration/{key}"),
            format!("/components/1/configuration/metadata/labels/{key}"),
            format!("/metadata/{key}"),
        ];
        corpus
            .valid(
                "__proto__ keys",
                format!("{key} keys in a design"),
                "ordinary JSON keys: kept and round-tripped untouched",
                evaluate(design.to_string()),
            )
            .check(Check::PreservesPointers { pointers });
        let id_design =
            json!({"id": key, "components": [{"id": key, "displayName": key}], "relationships": [{"id": key}]});
        corpus.valid(
            "__proto__ keys",
            format!("{key} as ids"),
            "ordinary strings as ids",
            evaluate(id_design.to_string()),
        );
        let mut definition = rich_definition();
        definition[key] = json!({"x": 1});
        definition["selectors"][0]["allow"]["from"][0][key] = json!([1]);
        corpus
            .valid(
                "__proto__ keys",
                format!("{key} keys in a definition"),
                "unread keys round-trip untouched",
                evaluate_with(base_design_input(), Value::Array(vec![definition]).to_string(), ""),
            )
            .check(Check::DefinitionRoundTrip);
        let edits = json!([
            {"op": "setLabels", "id": uuid(2), "labels": {key: "v"}},
            {"op": "patchConfiguration", "id": uuid(1), "patch": {key: {"deep": true}}},
        ])
        .to_string();
        corpus
            .valid(
                "__proto__ keys",
                format!("{key} keys in edits"),
                "labels and merge patches with these keys apply as ordinary keys",
                base_edits(edits),
            )
            .check(Check::ComponentPointerEquals {
                id: uuid(2),
                pointer: format!("/configuration/metadata/labels/{key}"),
                value: json!("v"),
            })
            .check(Check::ComponentPointerEquals {
                id: uuid(1),
                pointer: format!("/configuration/{key}/deep"),
                value: json!(true),
            });
    }
}

fn enormous_strings(corpus: &mut Corpus) {
    let big = || Input::repeat("x", MB);
    let places: Vec<(&str, &str)> = vec![
        ("design name", "/name"),
        ("component displayName", "/components/0/displayName"),
        ("configuration value", "/components/1/configuration/metadata/annotations/big"),
        ("label value", "/components/1/configuration/metadata/labels/app"),
        ("design metadata value", "/metadata/big"),
    ];
    for (name, pointer) in places {
        let mut design = base_design();
        let (parent, key) = pointer.rsplit_once('/').expect("pointer");
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
        here[key] = json!(MARKER);
        corpus
            .valid(
                "enormous strings",
                format!("1 MB {name}"),
                "no string-size limit: kept whole",
                evaluate(with_marker(&design.to_string(), MARKER, big())),
            )
            .check(Check::ResponseStringBytes { pointer: pointer.to_owned(), bytes: MB });
    }
    corpus.valid(
        "enormous strings",
        "1 MB component id",
        "ids have no size limit",
        evaluate(with_marker(&json!({"id": "d", "components": [{"id": MARKER}]}).to_string(), MARKER, big())),
    );
    let mut design = base_design();
    design["components"][0]["configuration"][MARKER] = json!(1);
    corpus.valid(
        "enormous strings",
        "1 MB key",
        "keys have no size limit",
        evaluate(with_marker(&design.to_string(), MARKER, big())),
    );
    corpus.valid(
        "enormous strings",
        "1 MB of multi-byte characters",
        "UTF-8 text of any length is kept",
        evaluate(with_marker(&json!({"id": "d", "name": MARKER}).to_string(), MARKER, Input::repeat("é🦀", MB / 6))),
    );
    let mut definition = rich_definition();
    definition["metadata"] = json!({"description": MARKER});
    corpus.valid(
        "enormous strings",
        "1 MB string in a definition",
        "unread definition fields have no size limit",
        evaluate_with(base_design_input(), with_marker(&json!([definition]).to_string(), MARKER, big()), ""),
    );
    let edits = json!([{"op": "renameComponent", "id": uuid(1), "displayName": MARKER}]).to_string();
    corpus.valid(
        "enormous strings",
        "1 MB display name by edit",
        "edits carry strings of any length",
        base_edits(with_marker(&edits, MARKER, big())),
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Deep nesting and limits.

fn deep_nesting(corpus: &mut Corpus) {
    // `{"id":"d","x": [[…]]}`: the object is one level, so `depth` arrays make depth + 1 levels.
    // maxDepth (128 by default) is inclusive in every reader: a raw scan refuses the 129th level
    // before any parser runs (issue 15 #23: serde_json's own limit refused the 128th).
    let in_design = |inner: Input| Input::concat(vec!["{\"id\":\"d\",\"x\":".into(), inner, "}".into()]);
    for depth in [100, 125, 126, 127] {
        corpus.valid(
            "deep nesting",
            format!("design nested {} levels", depth + 1),
            "within the 128-level maxDepth, which is inclusive",
            evaluate(in_design(nested(depth, "1"))),
        );
    }
    for depth in [128, 200, 10_000, 500_000] {
        corpus
            .err(
                "deep nesting",
                format!("design nested {} levels", depth + 1),
                ErrorCode::LimitExceeded,
                "",
                evaluate(in_design(nested(depth, "1"))),
            )
            .check(Check::MessageContains { text: "maxDepth".into() });
    }
    let objects =
        |depth: usize| Input::concat(vec![Input::repeat("{\"a\":", depth), "1".into(), Input::repeat("}", depth)]);
    for depth in [129, 5_000] {
        let text = Input::concat(vec![
            "{\"id\":\"d\",\"components\":[{\"id\":\"a\",\"configuration\":".into(),
            objects(depth),
            "}]}".into(),
        ]);
        corpus.err(
            "deep nesting",
            format!("configuration of {depth} nested objects"),
            ErrorCode::LimitExceeded,
            "",
            evaluate(text),
        );
    }
    for depth in [200, 100_000] {
        let text = Input::concat(vec!["[{\"id\":\"x\",\"metadata\":".into(), nested(depth, "0"), "}]".into()]);
        corpus.err(
            "deep nesting",
            format!("definitions nested {depth} levels"),
            ErrorCode::LimitExceeded,
            "",
            new_evaluator(text, ""),
        );
        let text = Input::concat(vec![
            "[{\"op\":\"setPreferences\",\"preferences\":{\"a\":".into(),
            nested(depth, "0"),
            "}}]".into(),
        ]);
        corpus.err(
            "deep nesting",
            format!("edits nested {depth} levels"),
            ErrorCode::LimitExceeded,
            "",
            base_edits(text),
        );
        let text = Input::concat(vec![
            "{\"format\":\"meshery-relationship-evaluator/snapshot\",\"version\":1,\"x\":".into(),
            nested(depth, "0"),
            "}".into(),
        ]);
        corpus.err(
            "deep nesting",
            format!("JSON snapshot nested {depth} levels"),
            ErrorCode::LimitExceeded,
            "",
            Entry::RestoreJson { text },
        );
    }
    // Unclosed brackets only (bounded: 1 MB).
    corpus.err(
        "deep nesting",
        "1 MB of unclosed brackets",
        ErrorCode::LimitExceeded,
        "",
        evaluate(Input::repeat("[", MB)),
    );
}

/// `{"id":"d","components":[{"id":"c0"},…]}` with `count` components.
fn components_design(count: usize) -> Input {
    Input::concat(vec![
        r#"{"id":"d","components":["#.into(),
        Input::numbered(r#"{"id":"c"#, r#""}"#, count, ","),
        "]}".into(),
    ])
}

fn limits(corpus: &mut Corpus) {
    let small = |components: usize, relationships: usize, definitions: usize| {
        json!({"limits": {"maxComponents": components, "maxRelationships": relationships, "maxDefinitions": definitions}}).to_string()
    };
    for (max, count) in [(0, 1), (1, 2), (3, 4), (10, 11), (10, 1000), (100, 101)] {
        corpus
            .err(
                "limits",
                format!("{count} components over maxComponents {max}"),
                ErrorCode::LimitExceeded,
                "/components",
                evaluate_with(components_design(count), "[]", small(max, 10, 10)),
            )
            .check(Check::MessageContains { text: "maxComponents".into() });
    }
    // The default limit, with the default options (so through Meshery's contract too): 200,001
    // components of 17 bytes each (3.4 MB). The JavaScript engine runs it at a tenth of the size
    // under a tenth of the limit.
    let default_max = Limits::default().max_components;
    let tenth = default_max / 10;
    corpus
        .err(
            "limits",
            format!("{} components over the default maxComponents {default_max}", default_max + 1),
            ErrorCode::LimitExceeded,
            "/components",
            evaluate(components_design(default_max + 1)),
        )
        .check(Check::MessageContains { text: "maxComponents".into() })
        .reduced(evaluate_with(
            components_design(tenth + 1),
            "[]",
            json!({"limits": {"maxComponents": tenth}}).to_string(),
        ));
    for (max, count) in [(3, 3), (0, 0)] {
        corpus.valid(
            "limits",
            format!("{count} components at maxComponents {max}"),
            "a limit is inclusive",
            evaluate_with(components_design(count), "[]", small(max, 10, 10)),
        );
    }
    for (max, count) in [(0, 1), (2, 3), (5, 50)] {
        let relationships: Vec<Value> = (0..count).map(|i| json!({"id": format!("r{i}")})).collect();
        let text = json!({"id": "d", "relationships": relationships}).to_string();
        corpus.err(
            "limits",
            format!("{count} relationships over maxRelationships {max}"),
            ErrorCode::LimitExceeded,
            "/relationships",
            evaluate_with(text, "[]", small(10, max, 10)),
        );
    }
    for max in [0, 5, 37] {
        corpus.err(
            "limits",
            format!("38 definitions over maxDefinitions {max}"),
            ErrorCode::LimitExceeded,
            "",
            new_evaluator(k8s(), small(10, 10, max)),
        );
    }
    for max in [0, 10, 100] {
        let options = json!({"limits": {"maxInputBytes": max}}).to_string();
        corpus.err(
            "limits",
            format!("design over maxInputBytes {max}"),
            ErrorCode::LimitExceeded,
            "",
            evaluate_with(base_design_input(), "[]", options.clone()),
        );
        corpus.err(
            "limits",
            format!("definitions over maxInputBytes {max}"),
            ErrorCode::LimitExceeded,
            "",
            new_evaluator(k8s(), options),
        );
    }
    // Nesting depth and string size, configured small; the first place past the limit is named.
    let nested =
        json!({"id": "d", "components": [{"id": "a", "configuration": {"spec": {"replicas": 1}}}]}).to_string();
    for (max, path) in [(1, "/components"), (3, "/components/0/configuration"), (4, "/components/0/configuration/spec")]
    {
        let options = json!({"limits": {"maxDepth": max}}).to_string();
        corpus
            .err(
                "limits",
                format!("design nested deeper than maxDepth {max}"),
                ErrorCode::LimitExceeded,
                path,
                evaluate_with(nested.clone(), "[]", options),
            )
            .check(Check::MessageContains { text: "maxDepth".into() });
    }
    corpus.valid(
        "limits",
        "design exactly maxDepth 5 deep",
        "a limit is inclusive",
        evaluate_with(nested, "[]", json!({"limits": {"maxDepth": 5}}).to_string()),
    );
    for (name, text, path) in [
        ("string value", json!({"id": "d", "name": "a name longer than sixteen bytes"}), "/name"),
        ("object key", json!({"id": "d", "metadata": {"a key longer than sixteen bytes": 1}}), "/metadata"),
        (
            "component label",
            json!({"id": "d", "components": [{"id": "a", "metadata": {"labels": {"app": "a label value over sixteen bytes"}}}]}),
            "/components/0/metadata/labels/app",
        ),
    ] {
        let options = json!({"limits": {"maxStringBytes": 16}}).to_string();
        corpus
            .err(
                "limits",
                format!("{name} over maxStringBytes 16"),
                ErrorCode::LimitExceeded,
                path,
                evaluate_with(text.to_string(), "[]", options),
            )
            .check(Check::MessageContains { text: "maxStringBytes".into() });
    }
    // A definition counts from level 3, where the relationships it creates sit in a design.
    for (max, path) in
        [(4, "/0/metadata/styles"), (6, "/0/selectors/0/allow/from"), (8, "/0/selectors/0/allow/from/0/match")]
    {
        let options = json!({"limits": {"maxDepth": max}}).to_string();
        corpus
            .err(
                "limits",
                format!("definitions nested deeper than maxDepth {max}"),
                ErrorCode::LimitExceeded,
                path,
                new_evaluator(k8s(), options),
            )
            .check(Check::MessageContains { text: "maxDepth".into() });
    }
    // Edits growing the design over the limit: the batch fails as a whole.
    for (name, leading) in
        [("incremental", vec![]), ("full", vec![json!({"op": "setLayer", "layer": "x", "enabled": true})])]
    {
        let mut edits = leading.clone();
        edits.push(json!({"op": "addComponent", "component": {"id": "extra-1"}}));
        let start = Start {
            definitions: k8s(),
            options: r#"{"limits":{"maxComponents":3}}"#.into(),
            design: base_design_input(),
        };
        corpus.err(
            "limits",
            format!("addComponent over maxComponents 3 ({name} path)"),
            ErrorCode::LimitExceeded,
            "/components",
            edits_on(start, Value::Array(edits).to_string()),
        );
        let mut edits = leading;
        edits.push(json!({"op": "addRelationship", "relationship": {"id": "extra-r"}}));
        let start = Start {
            definitions: "[]".into(),
            options: r#"{"limits":{"maxRelationships":1}}"#.into(),
            design: base_design_input(),
        };
        corpus.err(
            "limits",
            format!("addRelationship over maxRelationships ({name} path)"),
            ErrorCode::LimitExceeded,
            "/relationships",
            edits_on(start, Value::Array(edits).to_string()),
        );
    }
    // A snapshot whose design exceeds its own limits (the base evaluator's JSON snapshot, one
    // limit lowered).
    let snapshot: Value = serde_json::from_str(&corpus.blobs[BASE_SNAPSHOT_JSON]).expect("snapshot JSON");
    assert_eq!(snapshot.to_string(), corpus.blobs[BASE_SNAPSHOT_JSON], "the snapshot JSON re-serialises identically");
    for (name, limit, path) in
        [("maxComponents", "maxComponents", "/design/components"), ("maxDefinitions", "maxDefinitions", "/definitions")]
    {
        let what = if limit == "maxComponents" { "design" } else { "definitions" };
        let at = [Seg::Key("options".into()), Seg::Key("limits".into()), Seg::Key(limit.into())];
        let text = splice_value(corpus, BASE_SNAPSHOT_JSON, &snapshot, &at, &json!(1));
        corpus.err(
            "limits",
            format!("restore: {what} over the snapshot's {name}"),
            ErrorCode::LimitExceeded,
            path,
            Entry::RestoreJson { text },
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 7. Bytes: non-UTF-8 text at the boundary, and MessagePack snapshots.

/// A snapshot whose every number is a positive fixint and every string but the format tag is
/// at most 31 bytes (a fixstr), so that replacing any one byte with 0xc1 — never a MessagePack
/// marker, never a UTF-8 byte — cannot yield another well-formed snapshot.
fn small_snapshot() -> relationship_evaluator::evaluator::Snapshot {
    let limits = Limits {
        max_components: 100,
        max_relationships: 100,
        max_definitions: 100,
        max_input_bytes: 100,
        max_depth: 100,
        max_string_bytes: 100,
        max_patch_bytes: 100,
    };
    let options = EngineOptions { limits, max_settle_passes: 100, ..EngineOptions::default() };
    let mut evaluator = Evaluator::new(Vec::new(), options);
    evaluator
        .load_design(design(
            json!({"id": "d", "version": "0.0.1", "components": [{"id": "a", "displayName": "A"}, {"id": "b"}],
                                   "relationships": [{"id": "r", "kind": "edge"}]}),
        ))
        .expect("small design loads");
    evaluator.snapshot()
}

fn restore(bytes: &[u8]) -> Entry {
    Entry::RestoreMsgpack { bytes: Input::hex(bytes) }
}

const SNAPSHOT_TAG: &str = relationship_evaluator::evaluator::SNAPSHOT_FORMAT;

fn bytes(corpus: &mut Corpus) {
    // Non-UTF-8 text never reaches the core: every text entry point takes `&str`, so the caller's
    // `std::str::from_utf8` is the boundary. These cases pin that the bytes are refused there.
    const NOT_UTF8: &str = "JavaScript hands the engine strings, never bytes: there is no non-UTF-8 text to pass";
    for (name, position, byte) in
        [("0xff", 10usize, 0xffu8), ("0xc0", 40, 0xc0), ("lone continuation 0x80", 100, 0x80), ("0xfe", 7, 0xfe)]
    {
        corpus
            .valid(
                "non-UTF-8",
                format!("design text with {name} at byte {position}"),
                "refused by std::str::from_utf8 before the &str API",
                Entry::Utf8 {
                    bytes: Input::splice(Input::blob("realDesign"), position, position + 1, Input::hex(&[byte])),
                },
            )
            .rust_only(NOT_UTF8);
    }
    let lossy = String::from_utf8_lossy(&[b'{', b'"', b'i', b'd', b'"', b':', b'"', 0xff, b'"', b'}']).into_owned();
    corpus.valid(
        "non-UTF-8",
        "design text decoded lossily (U+FFFD id)",
        "a replacement character is an ordinary character",
        evaluate(lossy),
    );

    let snapshot = small_snapshot();
    let good = snapshot.to_msgpack();
    corpus.valid(
        "snapshots",
        "small snapshot restores",
        "the uncorrupted baseline of the corruption cases",
        restore(&good),
    );
    // `good` is the compact layout (version 2); the expanded one (version 1, earlier builds'
    // snapshots in users' storage) must still restore, and damage to either is refused.
    let expanded = snapshot.to_msgpack_expanded();
    corpus.valid(
        "snapshots",
        "small version 1 (expanded) snapshot restores",
        "snapshots written before version 2 still restore",
        restore(&expanded),
    );
    for offset in offsets(expanded.len(), 10) {
        corpus.err(
            "snapshots",
            format!("version 1 MessagePack snapshot truncated at byte {offset}"),
            ErrorCode::InvalidSnapshot,
            "",
            restore(&expanded[..offset]),
        );
    }
    // A map naming one key twice (issue 15 #3): component `a`'s `displayName` key rewritten as a
    // second `id`, in either layout; never a silently kept last value.
    let display_name_key = [&[0xab_u8][..], b"displayName"].concat();
    let second_id_key = [&[0xa2_u8][..], b"id"].concat();
    for (layout, bytes) in [("version 1", &expanded), ("version 2", &good)] {
        let position =
            bytes.windows(display_name_key.len()).position(|w| w == display_name_key).expect("the displayName key");
        let duplicated = [&bytes[..position], &second_id_key[..], &bytes[position + display_name_key.len()..]].concat();
        corpus.err(
            "snapshots",
            format!("#3 {layout} MessagePack snapshot with a key twice in one map"),
            ErrorCode::InvalidSnapshot,
            "",
            restore(&duplicated),
        );
    }
    corpus.err(
        "snapshots",
        "version 2 MessagePack snapshot with a trailing byte",
        ErrorCode::InvalidSnapshot,
        "",
        restore(&[good.as_slice(), &[0xc0]].concat()),
    );
    for offset in offsets(good.len(), 40) {
        corpus.err(
            "snapshots",
            format!("MessagePack snapshot truncated at byte {offset}"),
            ErrorCode::InvalidSnapshot,
            "",
            restore(&good[..offset]),
        );
    }
    for offset in offsets(good.len(), 80) {
        let mut corrupt = good.clone();
        corrupt[offset] = 0xc1;
        corpus.err(
            "snapshots",
            format!("MessagePack snapshot with 0xc1 at byte {offset}"),
            ErrorCode::InvalidSnapshot,
            "",
            restore(&corrupt),
        );
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for i in 0..40 {
        let len = (rng.next() % 96) as usize;
        let noise = rng.bytes(len);
        corpus.err(
            "snapshots",
            format!("random bytes #{i} ({len} bytes)"),
            ErrorCode::InvalidSnapshot,
            "",
            restore(&noise),
        );
    }
    // Non-UTF-8 inside a MessagePack string: "A" (0xa1 0x41) → 0xa1 0xff.
    let position = good.windows(2).position(|w| w == [0xa1, b'A']).expect("displayName A in the snapshot");
    let mut non_utf8 = good.clone();
    non_utf8[position + 1] = 0xff;
    corpus.err(
        "non-UTF-8",
        "MessagePack design string with byte 0xff",
        ErrorCode::InvalidSnapshot,
        "",
        restore(&non_utf8),
    );
    let tag = SNAPSHOT_TAG.as_bytes();
    let position = good.windows(tag.len()).position(|w| w == tag).expect("format tag");
    let mut non_utf8_tag = good.clone();
    non_utf8_tag[position] = 0x80;
    corpus.err(
        "non-UTF-8",
        "MessagePack format tag with byte 0x80",
        ErrorCode::InvalidSnapshot,
        "",
        restore(&non_utf8_tag),
    );

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
        (
            "design with a duplicate component",
            with(&base, "/design/components/1/id", json!("a")),
            ErrorCode::DuplicateId,
            "/design/components/1/id",
        ),
        (
            "design component without id",
            without_at(&base, "/design/components/0", "id"),
            ErrorCode::MissingField,
            "/design/components/0/id",
        ),
        (
            "design relationship with numeric kind",
            with(&base, "/design/relationships/0/kind", json!(5)),
            ErrorCode::InvalidType,
            "/design/relationships/0/kind",
        ),
        (
            "definition of wrong type",
            with(&base, "/definitions", json!(["x"])),
            ErrorCode::InvalidType,
            "/definitions/0",
        ),
        (
            "definition with numeric kind",
            with(&base, "/definitions", json!([{"kind": 1}])),
            ErrorCode::InvalidType,
            "/definitions/0/kind",
        ),
        (
            "options with zero approvals",
            with(&base, "/options/maxApprovalsPerPolicy", json!(0)),
            ErrorCode::InvalidOption,
            "/maxApprovalsPerPolicy",
        ),
    ];
    for (name, value, code, path) in variants {
        let bytes = crate::fixture_helpers::msgpack::to_msgpack(&value);
        corpus.err("snapshots", format!("MessagePack snapshot: {name}"), code, path, restore(&bytes));
        corpus.err(
            "snapshots",
            format!("JSON snapshot: {name}"),
            code,
            path,
            Entry::RestoreJson { text: value.to_string().into() },
        );
    }
    // rmp's compact (array) encoding has no field names: refused by the header check.
    corpus.err(
        "snapshots",
        "MessagePack snapshot: array form of the struct",
        ErrorCode::InvalidSnapshot,
        "",
        restore(&rmp_serde::to_vec(&small_snapshot()).expect("msgpack")),
    );
    corpus.err(
        "snapshots",
        "MessagePack snapshot: JSON bytes",
        ErrorCode::InvalidSnapshot,
        "",
        restore(small_snapshot().to_json().as_bytes()),
    );
    let mut array_design = deep_msgpack_prefix();
    let at = array_design.len() - 3;
    array_design.truncate(at);
    array_design.extend([0x91, 0x80]); // design: [{}]
    corpus.err(
        "snapshots",
        "MessagePack design that is an array",
        ErrorCode::InvalidType,
        "/design",
        restore(&array_design),
    );
    // Deep nesting inside MessagePack: the Rust runner decodes these in a child process (a stack
    // overflow aborts the process and cannot be caught); JavaScript runs them like the others.
    for depth in ISOLATED_DEPTHS {
        let name = format!("MessagePack design nested {depth} levels (child process)");
        let entry = Entry::RestoreMsgpack { bytes: deep_msgpack(depth) };
        if depth <= 100 {
            corpus.valid("snapshots", name, "within the 128-level MessagePack cap of snapshots", entry).isolate();
        } else {
            corpus.err("snapshots", name, ErrorCode::InvalidSnapshot, "", entry).isolate();
        }
    }
}

/// The small snapshot up to its design (its last entry), then `{"x": ` (the value follows).
fn deep_msgpack_prefix() -> Vec<u8> {
    let mut snapshot = small_snapshot();
    snapshot.design = json!({});
    let mut bytes = snapshot.to_msgpack_expanded();
    assert_eq!(bytes.pop(), Some(0x80), "the design, an empty map, is the snapshot's last entry");
    bytes.extend([0x81, 0xa1, b'x']); // {"x": …}
    bytes
}

/// A snapshot whose design is `{"x": …}` with `depth` levels in all, the innermost an empty map.
fn deep_msgpack(depth: usize) -> Input {
    Input::concat(vec![
        Input::hex(&deep_msgpack_prefix()),
        Input::repeat(Input::hex(&[0x91]), depth.saturating_sub(2)), // one-element fixarrays
        Input::hex(&[0x80]),                                         // empty fixmap
    ])
}

/// Nesting depths of MessagePack snapshots, each decoded in a child process by the Rust runner.
/// rmp_serde refuses more than 1024 levels; whether the levels below that fit the stack is what
/// these pin.
const ISOLATED_DEPTHS: [usize; 5] = [100, 300, 1000, 1025, 100_000];

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
        (
            "snake_case field",
            json!([{"op": "renameComponent", "id": c1, "display_name": "x"}]),
            ErrorCode::InvalidType,
            "/0",
        ),
        ("id is a number", json!([{"op": "removeComponent", "id": 1}]), ErrorCode::InvalidType, "/0"),
        ("id is null", json!([{"op": "removeComponent", "id": null}]), ErrorCode::InvalidType, "/0"),
        ("id missing", json!([{"op": "removeComponent"}]), ErrorCode::InvalidType, "/0"),
        (
            "displayName is an object",
            json!([{"op": "renameComponent", "id": c1, "displayName": {}}]),
            ErrorCode::InvalidType,
            "/0",
        ),
        ("x is a string", json!([{"op": "moveComponent", "id": c1, "x": "1", "y": 2}]), ErrorCode::InvalidType, "/0"),
        ("y missing", json!([{"op": "moveComponent", "id": c1, "x": 1}]), ErrorCode::InvalidType, "/0"),
        ("labels is an array", json!([{"op": "setLabels", "id": c1, "labels": []}]), ErrorCode::InvalidType, "/0"),
        (
            "namespace is a number",
            json!([{"op": "setNamespace", "id": c1, "namespace": 5}]),
            ErrorCode::InvalidType,
            "/0",
        ),
        (
            "enabled is a string",
            json!([{"op": "setLayer", "layer": "x", "enabled": "yes"}]),
            ErrorCode::InvalidType,
            "/0",
        ),
        (
            "status is a boolean",
            json!([{"op": "setRelationshipStatus", "id": r1, "status": true}]),
            ErrorCode::InvalidType,
            "/0",
        ),
        (
            "bad edit after a good one",
            json!([{"op": "renameComponent", "id": c1, "displayName": "x"}, {"op": "nope"}]),
            ErrorCode::InvalidType,
            "/1",
        ),
        (
            "removeComponent of an unknown id",
            json!([{"op": "removeComponent", "id": "ghost"}]),
            ErrorCode::UnknownId,
            "/0/id",
        ),
        (
            "renameComponent of an unknown id",
            json!([{"op": "renameComponent", "id": "ghost", "displayName": "x"}]),
            ErrorCode::UnknownId,
            "/0/id",
        ),
        (
            "moveComponent of an unknown id",
            json!([{"op": "moveComponent", "id": "ghost", "x": 1, "y": 1}]),
            ErrorCode::UnknownId,
            "/0/id",
        ),
        (
            "setConfiguration of an unknown id",
            json!([{"op": "setConfiguration", "id": "ghost", "configuration": {}}]),
            ErrorCode::UnknownId,
            "/0/id",
        ),
        (
            "patchConfiguration of an unknown id",
            json!([{"op": "patchConfiguration", "id": "ghost", "patch": {}}]),
            ErrorCode::UnknownId,
            "/0/id",
        ),
        (
            "setLabels of an unknown id",
            json!([{"op": "setLabels", "id": "ghost", "labels": {}}]),
            ErrorCode::UnknownId,
            "/0/id",
        ),
        (
            "setNamespace of an unknown id",
            json!([{"op": "setNamespace", "id": "ghost", "namespace": "n"}]),
            ErrorCode::UnknownId,
            "/0/id",
        ),
        (
            "removeRelationship of an unknown id",
            json!([{"op": "removeRelationship", "id": "ghost"}]),
            ErrorCode::UnknownId,
            "/0/id",
        ),
        (
            "setRelationshipStatus of an unknown id",
            json!([{"op": "setRelationshipStatus", "id": "ghost", "status": "deleted"}]),
            ErrorCode::UnknownId,
            "/0/id",
        ),
        (
            "component id used as a relationship id",
            json!([{"op": "removeRelationship", "id": c1}]),
            ErrorCode::UnknownId,
            "/0/id",
        ),
        (
            "relationship id used as a component id",
            json!([{"op": "removeComponent", "id": r1}]),
            ErrorCode::UnknownId,
            "/0/id",
        ),
        ("empty id", json!([{"op": "removeComponent", "id": ""}]), ErrorCode::UnknownId, "/0/id"),
        (
            "unknown id after good edits",
            json!([{"op": "renameComponent", "id": c1, "displayName": "x"},
                                                {"op": "setLabels", "id": c2, "labels": {"a": "b"}},
                                                {"op": "removeComponent", "id": "ghost"}]),
            ErrorCode::UnknownId,
            "/2/id",
        ),
        (
            "edit of a component removed earlier in the batch",
            json!([{"op": "removeComponent", "id": c1},
                                                                    {"op": "renameComponent", "id": c1, "displayName": "x"}]),
            ErrorCode::UnknownId,
            "/1/id",
        ),
        (
            "relationship removed twice",
            json!([{"op": "removeRelationship", "id": r1}, {"op": "removeRelationship", "id": r1}]),
            ErrorCode::UnknownId,
            "/1/id",
        ),
        (
            "setConfiguration with a number",
            json!([{"op": "setConfiguration", "id": c1, "configuration": 5}]),
            ErrorCode::InvalidType,
            "/0/configuration",
        ),
        (
            "setConfiguration with null",
            json!([{"op": "setConfiguration", "id": c1, "configuration": null}]),
            ErrorCode::InvalidType,
            "/0/configuration",
        ),
        (
            "patchConfiguration with an array",
            json!([{"op": "patchConfiguration", "id": c1, "patch": []}]),
            ErrorCode::InvalidType,
            "/0/patch",
        ),
        (
            "setPreferences with a number",
            json!([{"op": "setPreferences", "preferences": 3}]),
            ErrorCode::InvalidType,
            "/0/preferences",
        ),
        (
            "addComponent with a number",
            json!([{"op": "addComponent", "component": 5}]),
            ErrorCode::InvalidType,
            "/0/component",
        ),
        (
            "addComponent without id",
            json!([{"op": "addComponent", "component": {"displayName": "x"}}]),
            ErrorCode::MissingField,
            "/0/component/id",
        ),
        (
            "addComponent with empty id",
            json!([{"op": "addComponent", "component": {"id": ""}}]),
            ErrorCode::MissingField,
            "/0/component/id",
        ),
        (
            "addComponent with numeric id",
            json!([{"op": "addComponent", "component": {"id": 7}}]),
            ErrorCode::InvalidType,
            "/0/component/id",
        ),
        (
            "addComponent with numeric displayName",
            json!([{"op": "addComponent", "component": {"id": "n", "displayName": 7}}]),
            ErrorCode::InvalidType,
            "/0/component/displayName",
        ),
        (
            "addComponent with string model",
            json!([{"op": "addComponent", "component": {"id": "n", "model": "k8s"}}]),
            ErrorCode::InvalidType,
            "/0/component/model",
        ),
        (
            "addComponent with numeric kind",
            json!([{"op": "addComponent", "component": {"id": "n", "component": {"kind": 1}}}]),
            ErrorCode::InvalidType,
            "/0/component/component/kind",
        ),
        (
            "addComponent of an existing id",
            json!([{"op": "addComponent", "component": {"id": c1}}]),
            ErrorCode::DuplicateId,
            "/0/component/id",
        ),
        (
            "addComponent twice in a batch",
            json!([{"op": "addComponent", "component": {"id": "n"}}, {"op": "addComponent", "component": {"id": "n"}}]),
            ErrorCode::DuplicateId,
            "/1/component/id",
        ),
        (
            "addRelationship without id",
            json!([{"op": "addRelationship", "relationship": {"kind": "edge"}}]),
            ErrorCode::MissingField,
            "/0/relationship/id",
        ),
        (
            "addRelationship with a string",
            json!([{"op": "addRelationship", "relationship": "r"}]),
            ErrorCode::InvalidType,
            "/0/relationship",
        ),
        (
            "addRelationship with numeric kind",
            json!([{"op": "addRelationship", "relationship": {"id": "n", "kind": 1}}]),
            ErrorCode::InvalidType,
            "/0/relationship/kind",
        ),
        (
            "addRelationship with object selectors",
            json!([{"op": "addRelationship", "relationship": {"id": "n", "selectors": {}}}]),
            ErrorCode::InvalidType,
            "/0/relationship/selectors",
        ),
        (
            "addRelationship with a bad selector item",
            json!([{"op": "addRelationship", "relationship": {"id": "n", "selectors": [{"allow": {"from": [5]}}]}}]),
            ErrorCode::InvalidType,
            "/0/relationship/selectors/0/allow/from/0",
        ),
        (
            "addRelationship with a bad mutatorRef",
            json!([{"op": "addRelationship", "relationship": {"id": "n", "selectors": [{"allow": {"to": [{"patch": {"mutatorRef": [[1]]}}]}}]}}]),
            ErrorCode::InvalidType,
            "/0/relationship/selectors/0/allow/to/0/patch/mutatorRef/0/0",
        ),
        (
            "addRelationship of an existing id",
            json!([{"op": "addRelationship", "relationship": {"id": r1}}]),
            ErrorCode::DuplicateId,
            "/0/relationship/id",
        ),
        (
            "addRelationship twice in a batch",
            json!([{"op": "addRelationship", "relationship": {"id": "n"}}, {"op": "addRelationship", "relationship": {"id": "n"}}]),
            ErrorCode::DuplicateId,
            "/1/relationship/id",
        ),
    ];
    for (name, edits, code, path) in cases {
        for full in [false, true] {
            let mut batch = edits.as_array().expect("batch").clone();
            if full {
                batch.insert(0, json!({"op": "setLayer", "layer": "edge-non-binding-network", "enabled": true}));
            }
            let path = shift(path, usize::from(full));
            let label = if full { "full path" } else { "alone" };
            corpus.err(
                "bad edits",
                format!("{name} ({label})"),
                code,
                &path,
                base_edits(Value::Array(batch).to_string()),
            );
        }
    }
    for (name, text) in [
        ("edits are an object", r#"{"op":"removeComponent","id":"x"}"#),
        ("edits are null", "null"),
        ("edits are a string", "\"[]\""),
    ] {
        corpus.err("bad edits", name, ErrorCode::InvalidType, "", base_edits(text));
    }
    for (name, x, y) in [("NaN x", "NaN", "0"), ("infinite y", "0", "inf"), ("negative infinite x", "-inf", "1")] {
        corpus
            .err(
                "bad edits",
                format!("moveComponent with {name}"),
                ErrorCode::InvalidType,
                "/0/x",
                Entry::MoveNonFinite { start: base_start(), id: c1.clone(), x: x.into(), y: y.into() },
            )
            .rust_only("JSON text cannot carry NaN or infinities (JSON.stringify writes null); the JSON analogue is \"moveComponent with 1e400\"");
    }
    corpus.err(
        "bad edits",
        "moveComponent with 1e400",
        ErrorCode::InvalidType,
        "/0",
        base_edits(format!(r#"[{{"op":"moveComponent","id":"{c1}","x":1e400,"y":0}}]"#)),
    );
    let mut batch: Vec<Value> = (0..500)
        .map(|i| json!({"op": "renameComponent", "id": uuid(1 + (i % 3)), "displayName": format!("n{i}")}))
        .collect();
    batch.push(json!({"op": "removeComponent", "id": "ghost"}));
    corpus.err(
        "bad edits",
        "unknown id after 500 good edits",
        ErrorCode::UnknownId,
        "/500/id",
        base_edits(Value::Array(batch).to_string()),
    );
    corpus.valid("bad edits", "empty batch", "an empty batch is a valid no-op transaction", base_edits("[]"));
    corpus.valid(
        "bad edits",
        "setLayer of an unknown layer",
        "layers are free-form keys",
        base_edits(json!([{"op": "setLayer", "layer": "no-such-layer", "enabled": false}]).to_string()),
    );
    corpus.valid(
        "bad edits",
        "setNamespace null on a component without one",
        "removing an absent namespace is a no-op",
        base_edits(json!([{"op": "setNamespace", "id": c2, "namespace": null}]).to_string()),
    );
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
    let quirks: &[(&str, &str, &str)] = &[
        (
            "negative zero and exponents",
            "ordinary JSON numbers",
            r#"{"id":"d","x":-0.0,"y":1E-300,"z":-9223372036854775808}"#,
        ),
        (
            "escaped NUL and surrogate pairs in ids",
            "valid JSON strings",
            r#"{"id":"d","components":[{"id":"a\u0000b"},{"id":"\ud83e\udd80"}]}"#,
        ),
        (
            "null lists",
            "null components and relationships mean empty lists",
            r#"{"id":"d","components":null,"relationships":null}"#,
        ),
        ("empty object design", "every top-level field is optional", "{}"),
        ("whitespace around the document", "JSON allows surrounding whitespace", " \n{\"id\":\"d\"}\n\t "),
    ];
    for (name, reason, text) in quirks {
        corpus.valid("JSON quirks", *name, reason, evaluate(*text));
    }
    corpus.valid("JSON quirks", "empty definitions and null options", "defaults", evaluate_with("{}", "[]", "null"));
    // Issue 15 #2: numbers the engine does not compute with come back as written.
    let numbers = r#"{"a":184467440737095516150,"b":123456789012345678901234567890.5,"c":1e400,"d":-1E-400,"e":-0,"f":1.50,"g":1E5,"h":2e+3}"#;
    let pointers: Vec<String> =
        ["a", "b", "c", "d", "e", "f", "g", "h"].iter().map(|k| format!("/components/0/configuration/{k}")).collect();
    corpus
        .valid(
            "JSON quirks",
            "numbers past 64 bits or f64's range, -0, trailing zeros and exponents are kept as written",
            "numbers are kept as their JSON text (docs/deviations.md)",
            evaluate(format!(r#"{{"id":"d","x":1e400,"components":[{{"id":"a","configuration":{numbers}}}]}}"#)),
        )
        .check(Check::PreservesPointers { pointers });
}

// ---------------------------------------------------------------------------------------------
// 10. Issue #15: an independent attack on the package. Each case names its finding.

/// A definition whose `to` item patches `mutated` from the `from` item's `displayName`.
fn patching_definition(mutated: Value) -> Value {
    json!({
        "id": uuid(0x40), "kind": "edge", "type": "non-binding", "subType": "network",
        "schemaVersion": "relationships.meshery.io/v1beta2", "model": {"name": "kubernetes"},
        "selectors": [{"allow": {
            "from": [{"kind": "Service", "patch": {"mutatorRef": [["displayName"]]}}],
            "to": [{"kind": "Pod", "patch": {"mutatedRef": [mutated]}}]
        }}]
    })
}

/// A relationship copying `from`'s whole configuration into `to`'s `configuration.<key>`.
fn copying_relationship(n: u32, from: &str, to: &str, key: &str) -> Value {
    json!({"id": uuid(n), "kind": "edge", "type": "non-binding", "subType": "network", "status": "approved",
           "selectors": [{"allow": {
               "from": [{"id": from, "kind": "Service", "patch": {"mutatorRef": [["configuration"]]}}],
               "to": [{"id": to, "kind": "Pod", "patch": {"mutatedRef": [["configuration", key]]}}]}}]})
}

/// Issue 15, patch bytes: relationships that copy a component's configuration into another's,
/// both ways, multiply the design every pass (each pass copies what the last one wrote), within
/// `maxDepth` (a copy nests one level deeper). `maxPatchBytes` bounds what one pass writes.
fn self_copying_patches(corpus: &mut Corpus) {
    const CATEGORY: &str = "hostile (issue 15)";
    let (s, p) = (uuid(1), uuid(2));
    let design = |seed: Input, copies: u32| {
        let mut relationships = Vec::new();
        for i in 0..copies {
            relationships.push(copying_relationship(0x100 + 2 * i, &s, &p, &format!("fromService{i}")));
            relationships.push(copying_relationship(0x101 + 2 * i, &p, &s, &format!("fromPod{i}")));
        }
        let mut design = design_with(vec![
            component(&s, "Service", "web", json!({"seed": "SEED"})),
            component(&p, "Pod", "pod", json!({"seed": "pod"})),
        ]);
        design["relationships"] = Value::Array(relationships);
        with_marker(&design.to_string(), "SEED", seed)
    };
    // Six copies each way from 64 KiB: about 0.4, 2.3, 14 and 84 MB written by passes 1 to 4,
    // and 500 MB by pass 5 before the bound (then more with every batch).
    corpus
        .err_under(
            CATEGORY,
            "patch bytes: six self-copying patch pairs from 64 KiB (the default maxPatchBytes)",
            ErrorCode::LimitExceeded,
            "/relationships/",
            evaluate_with(design(Input::repeat("x", 64 * 1024), 6), "[]", ""),
        )
        .check(Check::MessageContains { text: "maxPatchBytes".into() });
    corpus
        .err(
            CATEGORY,
            "patch bytes: one self-copying pair over maxPatchBytes 1000",
            ErrorCode::LimitExceeded,
            "/relationships/1",
            evaluate_with(design(Input::repeat("x", 300), 1), "[]", r#"{"limits":{"maxPatchBytes":1000}}"#),
        )
        .check(Check::MessageContains { text: "maxPatchBytes".into() });
    corpus.valid(
        CATEGORY,
        "patch bytes: one self-copying pair within the default maxPatchBytes",
        "five passes from 300 bytes write a few kilobytes",
        evaluate_with(design(Input::repeat("x", 300), 1), "[]", ""),
    );
}

/// Issue 15 #3 and #21: an object naming a key twice is `DUPLICATE_KEY` at the key, on every
/// reading path (RFC 8259 leaves it open; serde_json kept the last value silently); a value that
/// cannot be read is `INVALID_JSON` at the value's path, not at `""`.
fn duplicate_keys_and_value_paths(corpus: &mut Corpus) {
    const CATEGORY: &str = "hostile (issue 15)";
    let c1 = uuid(1);
    let designs = [
        ("in a design", r#"{"id":"d","components":[{"id":"a"}],"components":[{"id":"b"}]}"#, "/components"),
        ("in a component", r#"{"id":"d","components":[{"id":"a","id":"b"},{"id":"a"}]}"#, "/components/0/id"),
        (
            "deep in a configuration",
            r#"{"id":"d","components":[{"id":"a","configuration":{"spec":{"x":1,"y":[{"k":1,"k":1}]}}}]}"#,
            "/components/0/configuration/spec/y/0/k",
        ),
        ("spelled with an escape", r#"{"id":"d","i\u0064":"e"}"#, "/id"),
        ("with a slash and a tilde", r#"{"id":"d","labels":{"a/b~":"1","a/b~":"2"}}"#, "/labels/a~1b~0"),
    ];
    for (name, text, path) in designs {
        corpus.err(CATEGORY, format!("#3 duplicate key {name}"), ErrorCode::DuplicateKey, path, evaluate(text));
    }
    corpus.valid(
        CATEGORY,
        "#3 keys differing in case are not duplicates",
        "keys compare by their decoded text, exactly",
        evaluate(r#"{"id":"d","Id":"e","components":[{"id":"a","ID":"b"}]}"#),
    );
    corpus.err(
        CATEGORY,
        "#3 duplicate key in a definition",
        ErrorCode::DuplicateKey,
        "/0/kind",
        evaluate_with(r#"{"id":"d"}"#, r#"[{"id":"x","kind":"edge","kind":"hierarchical"}]"#, ""),
    );
    for (options, path) in [
        (r#"{"maxPasses":2,"maxPasses":3}"#, "/maxPasses"),
        (r#"{"limits":{"maxDepth":9,"maxDepth":99}}"#, "/limits/maxDepth"),
    ] {
        corpus.err(
            CATEGORY,
            format!("#3 duplicate key in options {options}"),
            ErrorCode::DuplicateKey,
            path,
            evaluate_with(r#"{"id":"d"}"#, "[]", options),
        );
    }
    corpus.err(
        CATEGORY,
        "#3 duplicate key in an edit",
        ErrorCode::DuplicateKey,
        "/0/displayName",
        base_edits(format!(r#"[{{"op":"renameComponent","id":"{c1}","displayName":"a","displayName":"b"}}]"#)),
    );
    let snapshot = base_snapshot_json();
    assert!(snapshot.starts_with('{') && snapshot.contains(r#""revision":"#));
    corpus.err(
        CATEGORY,
        "#3 duplicate key in a JSON snapshot",
        ErrorCode::DuplicateKey,
        "/revision",
        Entry::RestoreJson { text: format!(r#"{{"revision":0,{}"#, &snapshot[1..]).into() },
    );
    // #21: the path of the value that cannot be read.
    let values = [
        ("a lone trailing surrogate", r#"{"id":"d","components":[{"id":"\udc00"}]}"#, "/components/0/id"),
        ("a lone leading surrogate before another escape", r#"{"id":"d","displayName":"\ud800\n"}"#, "/displayName"),
    ];
    for (name, text, path) in values {
        corpus.err(CATEGORY, format!("#21 {name}"), ErrorCode::InvalidJson, path, evaluate(text));
    }
    corpus.valid(
        CATEGORY,
        "#2 1e400 in a definition is kept as written",
        "numbers are kept as their JSON text",
        evaluate_with(r#"{"id":"d"}"#, r#"[{"id":"x","metadata":{"n":1e400}}]"#, ""),
    );
    let marker = r#""design":{"#;
    assert_eq!(snapshot.matches(marker).count(), 1, "one design in the snapshot");
    corpus.valid(
        CATEGORY,
        "#2 1e400 in a JSON snapshot's design is kept as written",
        "numbers are kept as their JSON text",
        Entry::RestoreJson { text: snapshot.replacen(marker, r#""design":{"x":1e400,"#, 1).into() },
    );
}

fn hostile(corpus: &mut Corpus) {
    const CATEGORY: &str = "hostile (issue 15)";
    let mutated_at = "/0/selectors/0/allow/to/0/patch/mutatedRef/0";
    // #4: a numeric patch-path segment past the cap (u64::MAX wrapped `position + 1` and panicked;
    // u32::MAX did in wasm) is refused when the definition is decoded, naming the segment.
    for segment in ["18446744073709551615", "4294967295", "100000000", "10001", "99999999999999999999999"] {
        let definitions = json!([patching_definition(json!(["configuration", "list", segment]))]).to_string();
        corpus
            .err(
                CATEGORY,
                format!("#4 #5 patch index {segment} in a definition"),
                ErrorCode::LimitExceeded,
                &format!("{mutated_at}/2"),
                evaluate_with(base_design_input(), definitions, ""),
            )
            .check(Check::MessageContains { text: "maxPatchIndex".into() });
    }
    let definitions = json!([patching_definition(json!(["configuration", "list", "10000"]))]).to_string();
    corpus.valid(
        CATEGORY,
        "#5 patch index 10000 in a definition",
        "the cap is inclusive",
        evaluate_with(base_design_input(), definitions, ""),
    );
    let mut declared = base_design();
    declared["relationships"][0]["selectors"][0]["allow"]["to"][0]["patch"] =
        json!({"mutatedRef": [["configuration", "18446744073709551615"]]});
    corpus.err(
        CATEGORY,
        "#4 patch index u64::MAX in a declared relationship",
        ErrorCode::LimitExceeded,
        "/relationships/0/selectors/0/allow/to/0/patch/mutatedRef/0/1",
        evaluate(declared.to_string()),
    );
    // #14: patches may not write what the index keys components by.
    for (name, mutated) in
        [("id", json!(["id"])), ("component.kind", json!(["component", "kind"])), ("component", json!(["component"]))]
    {
        let definitions = json!([patching_definition(mutated.clone())]).to_string();
        corpus.err(
            CATEGORY,
            format!("#14 a definition patching {name}"),
            ErrorCode::InvalidType,
            mutated_at,
            evaluate_with(base_design_input(), definitions, ""),
        );
        let mut declared = base_design();
        declared["relationships"][0]["selectors"][0]["allow"]["to"][0]["patch"] = json!({"mutatedRef": [mutated]});
        corpus.err(
            CATEGORY,
            format!("#14 a declared relationship patching {name}"),
            ErrorCode::InvalidType,
            "/relationships/0/selectors/0/allow/to/0/patch/mutatedRef/0",
            evaluate(declared.to_string()),
        );
    }
    let definitions = json!([patching_definition(json!(["component", "version"]))]).to_string();
    corpus.valid(
        CATEGORY,
        "#14 a definition patching component.version",
        "only id and kind are keys",
        evaluate_with(base_design_input(), definitions, ""),
    );
    self_copying_patches(corpus);
    acknowledged_states_restore(corpus);
    // #17: options are an object (or null/empty for the defaults); maxPasses is 1 to 5.
    for (name, options, path) in [
        ("options []", "[]", ""),
        ("options 5", "5", ""),
        ("options \"{}\"", "\"{}\"", ""),
        ("maxPasses 0", r#"{"maxPasses":0}"#, "/maxPasses"),
        ("maxPasses 6", r#"{"maxPasses":6}"#, "/maxPasses"),
    ] {
        corpus.err(CATEGORY, format!("#17 {name}"), ErrorCode::InvalidOption, path, evaluate_with("{}", "[]", options));
    }
    corpus.valid(CATEGORY, "#17 maxPasses 1", "1 to 5 passes", evaluate_with("{}", "[]", r#"{"maxPasses":1}"#));
    // #7: the kind pattern `Service` also matches `ServiceAccount`; components without the
    // `not_null` data (null equals null) used to share one join bucket, every pair checked:
    // quadratic (2 x 16,000 took 425 s). Now they take no part in the join.
    let join = |count: usize| {
        let kinds = |prefix: &str, kind: &str| {
            Input::numbered(
                &format!(r#"{{"id":"{prefix}"#),
                &format!(r#"","component":{{"kind":"{kind}"}},"model":{{"name":"kubernetes"}}}}"#),
                count,
                ",",
            )
        };
        evaluate(Input::concat(vec![
            r#"{"id":"d","components":["#.into(),
            kinds("sa", "ServiceAccount"),
            ",".into(),
            kinds("dp", "Deployment"),
            "]}".into(),
        ]))
    };
    corpus
        .valid(
            CATEGORY,
            "#7 20,000 ServiceAccounts and 20,000 Deployments without port data",
            "no pair can match: a linear join",
            join(20_000),
        )
        .reduced(join(2_000));
    // #9: kinds are regex-matched; names and compiled patterns are bounded (a 1 MB kind against
    // `x{0,5000}y` took 71 s).
    for (name, bytes) in [("257-byte", 257), ("1 MB", MB)] {
        let design = Input::concat(vec![
            r#"{"id":"d","components":[{"id":"a","component":{"kind":""#.into(),
            Input::repeat("x", bytes),
            r#""}}]}"#.into(),
        ]);
        corpus.err(
            CATEGORY,
            format!("#9 a {name} component kind"),
            ErrorCode::LimitExceeded,
            "/components/0/component/kind",
            evaluate(design),
        );
    }
    let long_model = json!({"id": "d", "components": [{"id": "a", "model": {"name": "m".repeat(257)}}]}).to_string();
    corpus.err(
        CATEGORY,
        "#9 a 257-byte model name",
        ErrorCode::LimitExceeded,
        "/components/0/model/name",
        evaluate(long_model),
    );
    corpus.valid(
        CATEGORY,
        "#9 a 256-byte kind",
        "the bound is inclusive",
        evaluate(json!({"id": "d", "components": [{"id": "a", "component": {"kind": "k".repeat(256)}}]}).to_string()),
    );
    let mut costly = patching_definition(json!(["displayName"]));
    costly["selectors"][0]["allow"]["from"][0]["kind"] = json!("x{0,5000}y");
    corpus
        .err(
            CATEGORY,
            "#9 a definition kind pattern compiling past 16 KiB",
            ErrorCode::LimitExceeded,
            "/0/selectors/0/allow/from/0/kind",
            new_evaluator(json!([costly]).to_string(), ""),
        )
        .check(Check::MessageContains { text: "maxPatternBytes".into() });
    // #5: K Services x K Deployments sharing one selector make K^2 relationships (K = 300: 90,000
    // relationships, 1.2 GB of output). One definition may create 10 per component in a pass
    // (at least 10,000): past that, LIMIT_EXCEEDED naming the definition, before the memory goes.
    let k_by_k = |k: usize| {
        let services = Input::numbered(
            r#"{"id":"s"#,
            r#"","component":{"kind":"Service"},"model":{"name":"kubernetes"},"configuration":{"spec":{"selector":{"app":"x"},"ports":[{"targetPort":80,"protocol":"TCP"}]}}}"#,
            k,
            ",",
        );
        let deployments = Input::numbered(
            r#"{"id":"d"#,
            r#"","component":{"kind":"Deployment"},"model":{"name":"kubernetes"},"configuration":{"spec":{"selector":{"matchLabels":{"app":"x"}},"template":{"spec":{"containers":[{"ports":[{"containerPort":80,"protocol":"TCP"}]}]}}}}}"#,
            k,
            ",",
        );
        evaluate(Input::concat(vec![
            r#"{"id":"k","components":["#.into(),
            services,
            ",".into(),
            deployments,
            "]}".into(),
        ]))
    };
    let reduced = match k_by_k(30) {
        Entry::Evaluate { design, definitions, .. } => {
            Entry::Evaluate { design, definitions, options: r#"{"limits":{"maxRelationships":500}}"#.into() }
        }
        other => other,
    };
    corpus
        .err(
            CATEGORY,
            "#5 150 Services x 150 Deployments sharing one selector",
            ErrorCode::LimitExceeded,
            "",
            k_by_k(150),
        )
        .check(Check::MessageContains { text: "relationships created: definition".into() })
        .reduced(reduced);
    // #8: alias chains were cubic (4,000 aliases: 585 s and 144 MB of output); at most 64 links.
    let chain = |links: usize| {
        let ids: Vec<String> = (0..=links).map(|i| format!("a{i}")).collect();
        let mut design = design_with(containers(&ids.iter().map(String::as_str).collect::<Vec<_>>()));
        design["relationships"] =
            Value::Array((0..links).map(|i| alias(&format!("r{i}"), &ids[i], &ids[i + 1], "x")).collect());
        design.to_string()
    };
    corpus
        .err(
            CATEGORY,
            "#8 an alias chain of 65 links",
            ErrorCode::LimitExceeded,
            "/relationships/0",
            evaluate(chain(65)),
        )
        .check(Check::MessageContains { text: "maxAliasChain".into() });
    corpus.valid(CATEGORY, "#8 an alias chain of 64 links", "the bound is inclusive", evaluate(chain(64)));
    corpus.err(
        CATEGORY,
        "#8 an alias chain of 500 links",
        ErrorCode::LimitExceeded,
        "/relationships/0",
        evaluate(chain(500)),
    );
    // #18: revisions stay exact in every runtime (at most 2^53 - 1, a JavaScript number's range).
    let snapshot: Value = serde_json::from_str(&corpus.blobs[BASE_SNAPSHOT_JSON]).expect("snapshot JSON");
    for (revision, valid) in [(json!(u64::MAX), false), (json!(1u64 << 53), false), (json!((1u64 << 53) - 1), true)] {
        let text = splice_value(corpus, BASE_SNAPSHOT_JSON, &snapshot, &[Seg::Key("revision".into())], &revision);
        let name = format!("#18 snapshot at revision {revision}");
        if valid {
            corpus.valid(
                CATEGORY,
                name,
                "the largest revision every runtime holds exactly",
                Entry::RestoreJson { text },
            );
        } else {
            corpus.err(CATEGORY, name, ErrorCode::InvalidSnapshot, "/revision", Entry::RestoreJson { text });
        }
    }
}

/// #1, #23: every state the engine acknowledges can be restored. A design at the default maxDepth
/// (128 levels, inclusive everywhere) restores from both snapshot forms; edits are checked where
/// their values will sit; what patches produce is checked too.
fn acknowledged_states_restore(corpus: &mut Corpus) {
    const CATEGORY: &str = "hostile (issue 15)";
    let c1 = uuid(1);
    // A design 128 levels deep: `{"id","components":[{"id","configuration":{"x": [[…]]}}]}` puts
    // the configuration at level 4 and its `x` array at level 5.
    let deepest = |levels: usize| {
        let inner = "[".repeat(levels - 4) + &"]".repeat(levels - 4);
        format!(r#"{{"id":"d","components":[{{"id":"a","configuration":{{"x":{inner}}}}}]}}"#)
    };
    let mut evaluator = Evaluator::from_json("[]", "").expect("evaluator");
    evaluator
        .load_design(
            relationship_evaluator::Design::from_json(&deepest(128), &Limits::default()).expect("128 levels load"),
        )
        .expect("evaluates");
    let snapshot = evaluator.snapshot();
    corpus.valid(
        CATEGORY,
        "#1 #23 JSON snapshot of a design 128 levels deep",
        "an accepted state restores",
        Entry::RestoreJson { text: snapshot.to_json().into() },
    );
    corpus.valid(
        CATEGORY,
        "#1 #23 MessagePack snapshot of a design 128 levels deep",
        "an accepted state restores",
        Entry::RestoreMsgpack { bytes: Input::hex(&snapshot.to_msgpack()) },
    );
    corpus.valid(CATEGORY, "#23 design 128 levels deep", "maxDepth 128 is inclusive", evaluate(deepest(128)));
    corpus.err(CATEGORY, "#23 design 129 levels deep", ErrorCode::LimitExceeded, "", evaluate(deepest(129)));
    // Edits: each payload is checked at the level it will be stored at.
    let deep = |levels: usize| -> Value {
        serde_json::from_str(&("[".repeat(levels) + &"]".repeat(levels))).expect("nested arrays")
    };
    let edit_cases: Vec<(&str, Value, &str)> = vec![
        (
            "#1 setConfiguration reaching 129 levels",
            json!([{"op": "setConfiguration", "id": c1, "configuration": {"x": deep(125)}}]),
            "/0/configuration/x",
        ),
        (
            "#1 patchConfiguration reaching 129 levels",
            json!([{"op": "patchConfiguration", "id": c1, "patch": {"x": deep(125)}}]),
            "/0/patch/x",
        ),
        (
            "#1 addComponent reaching 129 levels",
            json!([{"op": "addComponent", "component": {"id": "n", "x": deep(126)}}]),
            "/0/component/x",
        ),
        (
            "#1 addRelationship reaching 129 levels",
            json!([{"op": "addRelationship", "relationship": {"id": "n", "x": deep(126)}}]),
            "/0/relationship/x",
        ),
        (
            "#1 setPreferences reaching 129 levels",
            json!([{"op": "setPreferences", "preferences": {"x": deep(127)}}]),
            "/0/preferences/x",
        ),
    ];
    for (name, edits, path) in edit_cases {
        corpus
            .err_under(CATEGORY, name, ErrorCode::LimitExceeded, path, base_edits(edits.to_string()))
            .check(Check::MessageContains { text: "maxDepth".into() });
    }
    corpus.valid(
        CATEGORY,
        "#1 setConfiguration reaching 128 levels",
        "maxDepth is inclusive",
        base_edits(json!([{"op": "setConfiguration", "id": c1, "configuration": {"x": deep(124)}}]).to_string()),
    );
    let small_strings = Start {
        definitions: "[]".into(),
        options: r#"{"limits":{"maxStringBytes":40}}"#.into(),
        design: base_design_input(),
    };
    for (name, edit, path) in [
        (
            "renameComponent",
            json!({"op": "renameComponent", "id": c1, "displayName": "a name over forty bytes, which is the limit here"}),
            "/0/displayName",
        ),
        (
            "setNamespace",
            json!({"op": "setNamespace", "id": c1, "namespace": "a namespace over forty bytes, which is the limit here"}),
            "/0/namespace",
        ),
        (
            "setLabels value",
            json!({"op": "setLabels", "id": c1, "labels": {"app": "a label over forty bytes, which is the limit here"}}),
            "/0/labels/app",
        ),
        (
            "setLabels key",
            json!({"op": "setLabels", "id": c1, "labels": {"a label key over forty bytes, which is the limit here": "x"}}),
            "/0/labels",
        ),
        (
            "setRelationshipStatus",
            json!({"op": "setRelationshipStatus", "id": uuid(0x10), "status": "a status over forty bytes, which is the limit here"}),
            "/0/status",
        ),
    ] {
        corpus
            .err(
                CATEGORY,
                format!("#1 {name} over maxStringBytes 40"),
                ErrorCode::LimitExceeded,
                path,
                edits_on(small_strings.clone(), json!([edit]).to_string()),
            )
            .check(Check::MessageContains { text: "maxStringBytes".into() });
    }
    for (name, value) in [("an object", json!({"a": {"b": 1}})), ("a number", json!(1)), ("null", Value::Null)] {
        corpus.err(
            CATEGORY,
            format!("#23 setLabels with {name} as a label value"),
            ErrorCode::InvalidType,
            "/0",
            base_edits(json!([{"op": "setLabels", "id": c1, "labels": {"app": value}}]).to_string()),
        );
    }
    // What a patch produces: a declared relationship copies a value deeper than it was read.
    let mut patched = base_design();
    patched["components"][0]["configuration"]["deep"] = json!({"x": {"y": 1}});
    patched["relationships"][0]["selectors"][0]["allow"] = json!({
        "from": [{"id": c1, "kind": "Service", "patch": {"mutatorRef": [["configuration", "deep"]]}}],
        "to": [{"id": uuid(2), "kind": "Pod", "patch": {"mutatedRef": [["configuration", "a", "b", "c", "d", "e", "f", "g", "h"]]}}]
    });
    let options = json!({"limits": {"maxDepth": 12}}).to_string();
    corpus
        .err_under(
            CATEGORY,
            "#1 a patch writing past maxDepth",
            ErrorCode::LimitExceeded,
            "/components/1/configuration/a/b/c/d/e/f/g/h/x",
            evaluate_with(patched.to_string(), "[]", options.clone()),
        )
        .check(Check::MessageContains { text: "what evaluation produced".into() });
    let options_13 = json!({"limits": {"maxDepth": 13}}).to_string();
    corpus.valid(
        CATEGORY,
        "#1 the same patch within maxDepth 13",
        "the patched value's innermost object sits at level 13",
        evaluate_with(patched.to_string(), "[]", options_13),
    );
}
