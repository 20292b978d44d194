//! Conformance against real outputs of Meshery's production Go engine.
//!
//! `../shared/fixtures/meshery/go-engine/` holds designs (`design-<name>.json`) and what Meshery's Go
//! engine answered for each (`go-result-<name>.json`). For every pair in that folder (files added
//! later are picked up without code changes) this test evaluates the design and requires our
//! response to equal Go's in everything the engines are meant to agree on:
//!
//! - the relationships, as a multiset of (kind, type, subType, status, from ids, to ids);
//! - the components added (by kind and name: Go's ids are random) and removed;
//! - every component's `displayName` and `configuration`;
//! - the actions and the trace, normalised the same way.
//!
//! Any difference must be one of the documented deviations (`docs/deviations.md`, rows 6, 5, 27
//! and 28), and then exactly that one: each has a predicate below that recognises only its own
//! shape. Any other difference fails the test with a readable list. The test also requires every
//! documented deviation to show up somewhere in the material, so each row stays pinned.
//!
//! With `GO_ENGINE_RESPONSES=<dir>` the responses are read from `<dir>/<name>.json` instead of being
//! computed natively: `tests/node/go-engine-responses.mjs` writes them with the shipped wasm
//! package, so the same comparison covers the artifact users install.

mod fixture_helpers;

use fixture_helpers::{design, fixture_path, kubernetes_definitions, read_json};
use relationship_evaluator::{Engine, EngineOptions};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::PathBuf;
use std::sync::OnceLock;

/// A difference from Go's response that `docs/deviations.md` documents and keeps on purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Deviation {
    /// Row 6: Go applies an `update_component` of `displayName` under `configuration.displayName`;
    /// we write the component's own `displayName`.
    DisplayNameTarget,
    /// Row 28: Go's binding patch writes `subjects._.name` literally; the write fails and changes
    /// nothing, yet Go reports the action and the component as updated (and runs more passes).
    /// We resolve `_` (row 15), find the value already there, and emit nothing.
    FailedWildcardWrite,
    /// Row 27: a `deleted` relationship beside a live twin with the same endpoints. Go's reverse
    /// patch removes the value the live twin still sets; we keep it.
    DeletedTwinKeepsValue,
    /// Row 5: Go keeps one action per (op, id), so a second patch of one component disappears
    /// from its action list; we keep both.
    ActionDedup,
}

const EVERY_DEVIATION: [Deviation; 4] = [
    Deviation::DisplayNameTarget,
    Deviation::FailedWildcardWrite,
    Deviation::DeletedTwinKeepsValue,
    Deviation::ActionDedup,
];

/// One difference that no deviation explains.
struct Unexplained(String);

impl fmt::Display for Unexplained {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What comparing one design found.
#[derive(Default)]
struct Report {
    explained: BTreeMap<Deviation, usize>,
    unexplained: Vec<Unexplained>,
    relationships: usize,
    components: usize,
    actions: usize,
}

impl Report {
    fn explain(&mut self, deviation: Option<Deviation>, what: impl FnOnce() -> String) {
        match deviation {
            Some(deviation) => *self.explained.entry(deviation).or_default() += 1,
            None => self.unexplained.push(Unexplained(what())),
        }
    }
}

fn go_engine_dir() -> PathBuf {
    fixture_path("go-engine")
}

/// `(name, design, go result)` for every `design-<name>.json` of the folder, in name order. A
/// design without its result, or a result without its design, fails: the pair is the unit.
fn cases() -> Vec<(String, Value, Value)> {
    let dir = go_engine_dir();
    let mut designs = BTreeSet::new();
    let mut results = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display())) {
        let file = entry.expect("directory entry").file_name().to_string_lossy().into_owned();
        if let Some(name) = file.strip_prefix("design-").and_then(|f| f.strip_suffix(".json")) {
            designs.insert(name.to_string());
        } else if let Some(name) = file.strip_prefix("go-result-").and_then(|f| f.strip_suffix(".json")) {
            results.insert(name.to_string());
        }
    }
    assert_eq!(designs, results, "every design-<name>.json needs its go-result-<name>.json and back");
    assert!(!designs.is_empty(), "no Go engine material in {}", dir.display());
    designs
        .into_iter()
        .map(|name| {
            let input = read_json(&dir.join(format!("design-{name}.json")));
            let go = read_json(&dir.join(format!("go-result-{name}.json")));
            (name, input, go)
        })
        .collect()
}

/// Our response for one design: computed natively, or read from `GO_ENGINE_RESPONSES`.
fn our_response(name: &str, input: &Value) -> Value {
    if let Some(dir) = std::env::var_os("GO_ENGINE_RESPONSES") {
        let path = PathBuf::from(dir).join(format!("{name}.json"));
        return read_json(&path);
    }
    let response = Engine::new(kubernetes_definitions(), EngineOptions::default())
        .evaluate(design(input.clone()))
        .unwrap_or_else(|e| panic!("{name}: evaluation failed: {e:?}"));
    serde_json::from_str(&response.to_json()).expect("the response is JSON")
}

// ---------------------------------------------------------------------------------------------
// Reading the three documents

fn list<'a>(value: &'a Value, pointer: &str) -> &'a [Value] {
    value.pointer(pointer).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

fn text<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

fn components(document: &Value) -> BTreeMap<String, &Value> {
    list(document, "/components").iter().map(|c| (text(c, "/id").to_string(), c)).collect()
}

/// The identity of a relationship both engines agree on (ids of generated relationships derive
/// from content that differs in spelling, e.g. `match_strategy_matrix` kept or dropped).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct RelationshipKey {
    kind: String,
    kind_type: String,
    sub_type: String,
    from: Vec<String>,
    to: Vec<String>,
}

fn relationship_key(relationship: &Value) -> RelationshipKey {
    let ends = |side: &str| {
        let mut ids: Vec<String> = list(relationship, "/selectors")
            .iter()
            .flat_map(|selector| list(selector, &format!("/allow/{side}")))
            .map(|item| text(item, "/id").to_string())
            .collect();
        ids.sort();
        ids
    };
    RelationshipKey {
        kind: text(relationship, "/kind").into(),
        kind_type: text(relationship, "/type").into(),
        sub_type: text(relationship, "/subType").into(),
        from: ends("from"),
        to: ends("to"),
    }
}

fn relationship_multiset(relationships: &[Value]) -> BTreeMap<(RelationshipKey, String), usize> {
    let mut set = BTreeMap::new();
    for relationship in relationships {
        let status = text(relationship, "/status").to_string();
        *set.entry((relationship_key(relationship), status)).or_default() += 1;
    }
    set
}

/// Relationship ids of one side (input, its output and what its actions added) → their key, so
/// actions that name a relationship by id compare across engines.
fn relationship_keys_by_id(input: &Value, response: &Value) -> HashMap<String, RelationshipKey> {
    let added = list(response, "/actions").iter().filter_map(|a| a.pointer("/value/item"));
    list(input, "/relationships")
        .iter()
        .chain(list(response, "/design/relationships"))
        .chain(added)
        .map(|r| (text(r, "/id").to_string(), relationship_key(r)))
        .collect()
}

fn kind_and_name(component: &Value) -> (String, String) {
    (text(component, "/component/kind").into(), text(component, "/displayName").into())
}

// ---------------------------------------------------------------------------------------------
// Configuration differences, leaf by leaf

/// One place where two JSON values differ: the path, and each side's value there (None: absent).
struct LeafDifference {
    path: Vec<String>,
    go: Option<Value>,
    ours: Option<Value>,
}

fn leaf_differences(go: Option<&Value>, ours: Option<&Value>, path: &mut Vec<String>, out: &mut Vec<LeafDifference>) {
    match (go, ours) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                path.push(key.clone());
                leaf_differences(a.get(key), b.get(key), path, out);
                path.pop();
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                path.push(index.to_string());
                leaf_differences(Some(x), Some(y), path, out);
                path.pop();
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(LeafDifference { path: path.clone(), go: a.cloned(), ours: b.cloned() }),
    }
}

fn at<'a>(value: Option<&'a Value>, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(value?, |v, segment| match v {
        Value::Object(map) => map.get(segment),
        Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

/// Everything needed to judge one design's differences.
struct Sides<'a> {
    input: &'a Value,
    go: &'a Value,
    ours: &'a Value,
    input_components: BTreeMap<String, &'a Value>,
    go_keys: HashMap<String, RelationshipKey>,
    ours_keys: HashMap<String, RelationshipKey>,
}

impl Sides<'_> {
    /// Go's actions on one component with one op.
    fn go_actions<'s>(&'s self, op: &'s str, id: &'s str) -> impl Iterator<Item = &'s Value> + 's {
        list(self.go, "/actions").iter().filter(move |a| text(a, "/op") == op && text(a, "/value/id") == id)
    }

    /// Row 6: Go put the new display name into `configuration.displayName` and left the
    /// component's own `displayName` as it came in; we did the opposite.
    fn display_name_target(&self, id: &str, go: &Value, ours: &Value) -> bool {
        let input = self.input_components.get(id).copied();
        let go_written = go.pointer("/configuration/displayName");
        let input_display_name = input.and_then(|c| c.get("displayName"));
        go_written.is_some()
            && go_written == ours.get("displayName")
            && go.get("displayName") == input_display_name
            && ours.pointer("/configuration/displayName") == input.and_then(|c| c.pointer("/configuration/displayName"))
    }

    /// Row 27: Go removed a value that we kept, by the reverse patch of a `deleted` input
    /// relationship on this component while a live relationship with the same kind and endpoints
    /// still holds.
    fn deleted_twin_keeps_value(&self, id: &str, difference: &LeafDifference) -> bool {
        if difference.go.is_some() || difference.ours.is_none() {
            return false;
        }
        let input_value = at(self.input_components.get(id).and_then(|c| c.get("configuration")), &difference.path);
        let mut removal_path = vec!["configuration".to_string()];
        removal_path.extend(difference.path.iter().cloned());
        let go_removed = self.go_actions("remove_component_configuration", id).any(|a| {
            a.pointer("/value/path")
                .and_then(Value::as_array)
                .is_some_and(|p| p.iter().map(|s| s.as_str().unwrap_or("")).eq(removal_path.iter().map(String::as_str)))
        });
        go_removed && input_value == difference.ours.as_ref() && self.deleted_relationship_with_live_twin(id)
    }

    fn deleted_relationship_with_live_twin(&self, id: &str) -> bool {
        let deleted: Vec<RelationshipKey> = list(self.input, "/relationships")
            .iter()
            .filter(|r| text(r, "/status") == "deleted")
            .map(relationship_key)
            .filter(|key| key.from.iter().chain(&key.to).any(|end| end == id))
            .collect();
        list(self.ours, "/design/relationships")
            .iter()
            .filter(|r| text(r, "/status") != "deleted")
            .any(|r| deleted.contains(&relationship_key(r)))
    }

    /// Row 28: a Go action that writes a path through a literal `_`; the write changed nothing on
    /// Go's side, and the value it meant is already where we resolve `_` to (the last element).
    fn failed_wildcard_write(&self, action: &Value) -> bool {
        if text(action, "/op") != "update_component_configuration" {
            return false;
        }
        let Some(path) = action.pointer("/value/path").and_then(Value::as_array) else { return false };
        let path: Vec<String> = path.iter().map(|s| s.as_str().unwrap_or("").to_string()).collect();
        let Some(wildcard) = path.iter().position(|s| s == "_") else { return false };
        let id = text(action, "/value/id");
        let component =
            |document: &Value| list(document, "/design/components").iter().find(|c| text(c, "/id") == id).cloned();
        let (Some(go), Some(ours)) = (component(self.go), component(self.ours)) else { return false };
        let input = self.input_components.get(id).copied();
        let unchanged_in_go =
            go.get("configuration") == input.and_then(|c| c.get("configuration")) || at(Some(&go), &path).is_none();
        let array = at(Some(&ours), &path[..wildcard]).and_then(Value::as_array);
        let resolved = array.map(|items| {
            let mut resolved = path.clone();
            resolved[wildcard] = items.len().saturating_sub(1).to_string();
            resolved
        });
        unchanged_in_go && resolved.is_some_and(|p| at(Some(&ours), &p) == action.pointer("/value/value"))
    }
}

// ---------------------------------------------------------------------------------------------
// The comparison

fn compare(input: &Value, go: &Value, ours: &Value) -> Report {
    let sides = Sides {
        input,
        go,
        ours,
        input_components: components(input),
        go_keys: relationship_keys_by_id(input, go),
        ours_keys: relationship_keys_by_id(input, ours),
    };
    let mut report = Report::default();
    compare_relationships(&sides, &mut report);
    compare_components(&sides, &mut report);
    compare_actions(&sides, &mut report);
    compare_trace(&sides, &mut report);
    report
}

fn compare_relationships(sides: &Sides, report: &mut Report) {
    let go = relationship_multiset(list(sides.go, "/design/relationships"));
    let ours = relationship_multiset(list(sides.ours, "/design/relationships"));
    report.relationships = ours.values().sum();
    for key in go.keys().chain(ours.keys()).collect::<BTreeSet<_>>() {
        let (g, o) = (go.get(key).copied().unwrap_or(0), ours.get(key).copied().unwrap_or(0));
        if g != o {
            report.explain(None, || format!("relationship {key:?} with status {}: Go has {g}, we have {o}", key.1));
        }
    }
}

fn compare_components(sides: &Sides, report: &mut Report) {
    let go = components(&sides.go["design"]);
    let ours = components(&sides.ours["design"]);
    report.components = ours.len();
    let added = |side: &BTreeMap<String, &Value>| -> Vec<(String, String)> {
        let mut added: Vec<_> = side
            .iter()
            .filter(|(id, _)| !sides.input_components.contains_key(*id))
            .map(|(_, c)| kind_and_name(c))
            .collect();
        added.sort();
        added
    };
    if added(&go) != added(&ours) {
        report.explain(None, || format!("components added: Go {:?}, ours {:?}", added(&go), added(&ours)));
    }
    let removed = |side: &BTreeMap<String, &Value>| -> Vec<String> {
        sides.input_components.keys().filter(|id| !side.contains_key(*id)).cloned().collect()
    };
    if removed(&go) != removed(&ours) {
        report.explain(None, || format!("components removed: Go {:?}, ours {:?}", removed(&go), removed(&ours)));
    }
    // Components present on both sides: by id, or for added ones (random ids in Go) by kind and name.
    let mut pairs: Vec<(&str, &Value, &Value)> =
        go.iter().filter_map(|(id, g)| ours.get(id).map(|o| (id.as_str(), *g, *o))).collect();
    let ours_added: HashMap<(String, String), &Value> = ours
        .iter()
        .filter(|(id, _)| !sides.input_components.contains_key(*id) && !go.contains_key(*id))
        .map(|(_, c)| (kind_and_name(c), *c))
        .collect();
    for (id, g) in go.iter().filter(|(id, _)| !ours.contains_key(*id)) {
        if let Some(o) = ours_added.get(&kind_and_name(g)) {
            pairs.push((id.as_str(), *g, *o));
        }
    }
    for (id, g, o) in pairs {
        compare_component(sides, id, g, o, report);
    }
}

fn compare_component(sides: &Sides, id: &str, go: &Value, ours: &Value, report: &mut Report) {
    let display_name_target = sides.display_name_target(id, go, ours);
    if go.get("displayName") != ours.get("displayName") {
        report.explain(display_name_target.then_some(Deviation::DisplayNameTarget), || {
            format!("component {id}: displayName Go {}, ours {}", go["displayName"], ours["displayName"])
        });
    }
    let mut differences = Vec::new();
    leaf_differences(go.get("configuration"), ours.get("configuration"), &mut Vec::new(), &mut differences);
    for difference in differences {
        let deviation = if difference.path == ["displayName"] && display_name_target {
            Some(Deviation::DisplayNameTarget)
        } else if sides.deleted_twin_keeps_value(id, &difference) {
            Some(Deviation::DeletedTwinKeepsValue)
        } else {
            None
        };
        report.explain(deviation, || {
            format!(
                "component {id} ({}): configuration/{}: Go {}, ours {}",
                text(go, "/component/kind"),
                difference.path.join("/"),
                show(difference.go.as_ref()),
                show(difference.ours.as_ref())
            )
        });
    }
}

fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "absent".to_string(), Value::to_string)
}

/// An action in a form both engines share: relationships by key, added components by kind and
/// name, everything else as written.
fn normalised_action(action: &Value, keys: &HashMap<String, RelationshipKey>) -> String {
    let op = text(action, "/op");
    let value = &action["value"];
    let relationship =
        |id: &str| keys.get(id).map_or_else(|| format!("unknown relationship {id}"), |k| format!("{k:?}"));
    match op {
        "add_relationship" => format!("{op} {:?}", relationship_key(&value["item"])),
        "add_component" => format!("{op} {:?}", kind_and_name(&value["item"])),
        "update_relationship" => {
            format!("{op} {} {} = {}", relationship(text(value, "/id")), value["path"], value["value"])
        }
        "delete_relationship" => format!("{op} {}", relationship(text(value, "/id"))),
        "delete_component" => format!("{op} {}", text(value, "/id")),
        _ => format!("{op} {} {} = {}", text(value, "/id"), value["path"], value["value"]),
    }
}

/// Actions grouped by their normalised form.
fn count<'a>(actions: &'a [Value], keys: &HashMap<String, RelationshipKey>) -> BTreeMap<String, Vec<&'a Value>> {
    let mut counted: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for action in actions {
        counted.entry(normalised_action(action, keys)).or_default().push(action);
    }
    counted
}

fn compare_actions(sides: &Sides, report: &mut Report) {
    let go_actions = list(sides.go, "/actions");
    let ours_actions = list(sides.ours, "/actions");
    report.actions = ours_actions.len();
    let go = count(go_actions, &sides.go_keys);
    let ours = count(ours_actions, &sides.ours_keys);
    for key in go.keys().chain(ours.keys()).collect::<BTreeSet<_>>() {
        let (g, o) = (go.get(key).map_or(&[][..], Vec::as_slice), ours.get(key).map_or(&[][..], Vec::as_slice));
        for action in g.iter().skip(o.len()) {
            let deviation = if sides.failed_wildcard_write(action) {
                Some(Deviation::FailedWildcardWrite)
            } else if is_explained_removal(sides, action) {
                Some(Deviation::DeletedTwinKeepsValue)
            } else {
                None
            };
            report.explain(deviation, || format!("action only in Go: {key}"));
        }
        for action in o.iter().skip(g.len()) {
            // Go keeps the first action per (op, id); ours is a later one of the same pair.
            let (op, id) = (text(action, "/op"), text(action, "/value/id"));
            let go_has_pair = !id.is_empty() && sides.go_actions(op, id).next().is_some();
            report.explain(go_has_pair.then_some(Deviation::ActionDedup), || format!("action only in ours: {key}"));
        }
    }
}

/// A Go `remove_component_configuration` that row 27 explains: we kept exactly that value.
fn is_explained_removal(sides: &Sides, action: &Value) -> bool {
    if text(action, "/op") != "remove_component_configuration" {
        return false;
    }
    let id = text(action, "/value/id");
    let Some(path) = action.pointer("/value/path").and_then(Value::as_array) else { return false };
    let path: Vec<String> = path.iter().skip(1).map(|s| s.as_str().unwrap_or("").to_string()).collect();
    let ours = list(sides.ours, "/design/components").iter().find(|c| text(c, "/id") == id);
    let kept = at(ours.and_then(|c| c.get("configuration")), &path).cloned();
    let difference = LeafDifference { path, go: None, ours: kept };
    sides.deleted_twin_keeps_value(id, &difference)
}

fn compare_trace(sides: &Sides, report: &mut Report) {
    for field in ["relationshipsAdded", "relationshipsRemoved", "relationshipsUpdated"] {
        let pointer = format!("/trace/{field}");
        let keys = |document: &Value, by_id: &HashMap<String, RelationshipKey>| {
            let mut keys: Vec<RelationshipKey> = list(document, &pointer)
                .iter()
                .map(|r| by_id.get(text(r, "/id")).cloned().unwrap_or_else(|| relationship_key(r)))
                .collect();
            keys.sort();
            keys
        };
        let (go, ours) = (keys(sides.go, &sides.go_keys), keys(sides.ours, &sides.ours_keys));
        if go != ours {
            report.explain(None, || format!("trace {field}: Go {go:?}, ours {ours:?}"));
        }
    }
    for field in ["componentsAdded", "componentsRemoved"] {
        let pointer = format!("/trace/{field}");
        let names = |document: &Value| {
            let mut names: Vec<(String, String)> = list(document, &pointer).iter().map(kind_and_name).collect();
            names.sort();
            names
        };
        if names(sides.go) != names(sides.ours) {
            report.explain(None, || format!("trace {field}: Go {:?}, ours {:?}", names(sides.go), names(sides.ours)));
        }
    }
    let updated = |document: &Value| -> BTreeSet<String> {
        list(document, "/trace/componentsUpdated").iter().map(|c| text(c, "/id").to_string()).collect()
    };
    let (go, ours) = (updated(sides.go), updated(sides.ours));
    for id in go.difference(&ours) {
        // Go counts a component as updated when its failed `_` write was attempted (row 28).
        let failed_write_only =
            sides.go_actions("update_component_configuration", id).all(|a| sides.failed_wildcard_write(a))
                && sides.go_actions("update_component_configuration", id).next().is_some();
        report.explain(failed_write_only.then_some(Deviation::FailedWildcardWrite), || {
            format!("trace componentsUpdated: {id} only in Go")
        });
    }
    for id in ours.difference(&go) {
        report.explain(None, || format!("trace componentsUpdated: {id} only in ours"));
    }
}

// ---------------------------------------------------------------------------------------------

#[test]
fn every_go_engine_result_is_matched_or_differs_only_as_documented() {
    let source = std::env::var("GO_ENGINE_RESPONSES").map_or("native".to_string(), |d| format!("responses in {d}"));
    let mut seen: BTreeMap<Deviation, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    println!("Go engine conformance ({source}):");
    for (name, input, go, ours) in evaluated_cases() {
        let report = compare(input, go, ours);
        println!(
            "  {name:<34} {:>5} relationships {:>5} components {:>5} actions  identical but for {:?}",
            report.relationships, report.components, report.actions, report.explained
        );
        for (deviation, count) in &report.explained {
            *seen.entry(*deviation).or_default() += count;
        }
        failures.extend(report.unexplained.iter().map(|u| format!("{name}: {u}")));
    }
    assert!(
        failures.is_empty(),
        "{} undocumented differences from Meshery's Go engine:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let unseen: Vec<_> = EVERY_DEVIATION.iter().filter(|d| !seen.contains_key(d)).collect();
    assert!(unseen.is_empty(), "documented deviations no Go result shows any more (stale rows?): {unseen:?}");
}

// The predicates above must recognise only their own shape: each of these alters one Go result
// the way an undocumented difference would, and the comparison must reject it.

/// Every case with our response, evaluated once for all the tests of this file.
fn evaluated_cases() -> &'static [(String, Value, Value, Value)] {
    static CASES: OnceLock<Vec<(String, Value, Value, Value)>> = OnceLock::new();
    CASES.get_or_init(|| {
        cases()
            .into_iter()
            .map(|(name, input, go)| {
                let ours = our_response(&name, &input);
                (name, input, go, ours)
            })
            .collect()
    })
}

/// A copy of the first case whose input and Go result have the wanted shape.
fn first_case_where(mut wanted: impl FnMut(&Value, &Value) -> bool) -> (Value, Value, Value) {
    let (_, input, go, ours) =
        evaluated_cases().iter().find(|(_, input, go, _)| wanted(input, go)).expect("a case of that shape");
    (input.clone(), go.clone(), ours.clone())
}

#[test]
fn a_relationship_with_another_status_is_an_undocumented_difference() {
    let (input, mut go, ours) = first_case_where(|_, go| !list(go, "/design/relationships").is_empty());
    let status = &mut go["design"]["relationships"][0]["status"];
    *status = Value::from(if status == "approved" { "identified" } else { "approved" });
    assert!(!compare(&input, &go, &ours).unexplained.is_empty());
}

#[test]
fn a_configuration_value_go_wrote_elsewhere_is_an_undocumented_difference() {
    let (input, mut go, ours) = first_case_where(|_, go| !list(go, "/design/components").is_empty());
    let configuration = go["design"]["components"][0]["configuration"].as_object_mut().expect("an object");
    configuration.insert("displayName".into(), Value::from("not what we named it"));
    assert!(!compare(&input, &go, &ours).unexplained.is_empty());
}

#[test]
fn a_value_go_removed_without_a_deleted_twin_is_an_undocumented_difference() {
    let (input, mut go, ours) = first_case_where(|input, go| {
        list(input, "/relationships").iter().all(|r| text(r, "/status") != "deleted")
            && list(go, "/design/components").iter().any(|c| c.pointer("/configuration/metadata/namespace").is_some())
    });
    let component = list(&go, "/design/components")
        .iter()
        .position(|c| c.pointer("/configuration/metadata/namespace").is_some())
        .expect("a namespaced component");
    let id = text(&go["design"]["components"][component], "/id").to_string();
    go["design"]["components"][component]["configuration"]["metadata"]
        .as_object_mut()
        .expect("metadata")
        .remove("namespace");
    let removal = serde_json::json!({"op": "remove_component_configuration",
        "value": {"id": id, "path": ["configuration", "metadata", "namespace"]}});
    go["actions"].as_array_mut().expect("actions").push(removal);
    assert!(!compare(&input, &go, &ours).unexplained.is_empty());
}

#[test]
fn an_action_go_never_emitted_at_all_is_an_undocumented_difference() {
    let (input, mut go, ours) = first_case_where(|_, go| !list(go, "/actions").is_empty());
    let actions = go["actions"].as_array_mut().expect("actions");
    let (op, id) = (text(&actions[0], "/op").to_string(), text(&actions[0], "/value/id").to_string());
    actions.retain(|a| !(text(a, "/op") == op && text(a, "/value/id") == id));
    assert!(!compare(&input, &go, &ours).unexplained.is_empty());
}
