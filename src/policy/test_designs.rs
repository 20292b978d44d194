//! Small designs for the policy tables (`src/policy/<policy>/tests.rs`, `src/index/tests.rs`).
//!
//! A table row is a name, the definitions it uses (real Meshery definitions, read by file name
//! from `../shared/fixtures/meshery/`, never copied into the project), a design of a few
//! components (and the relationships it already declares), and what must come out. Rows are
//! written with `policy_table!`, one `#[test]` each, so a row can carry a doc comment (why it
//! holds: the spec section or the Go case it comes from) and `#[ignore = "…"]`:
//!
//! ```text
//! policy_table! {
//!     /// Spec §7.6: a child names its Namespace in `metadata.namespace`.
//!     a_deployment_sits_in_the_namespace_it_names: {
//!         uses: [kubernetes("hierarchical-parent-inventory-kmjea")],
//!         components: [component("shop", "Namespace", json!({})), namespaced("web", "Deployment", "shop")],
//!         finds: ["hierarchical/parent/inventory web -> shop approved"],
//!     }
//! }
//! ```
//!
//! The last key names the check (a function of this module) and what it must report, exactly
//! (in any order): `finds` (relationships a full evaluation adds), `adds` (parents Phase 2.5
//! adds), `patches` (`patch_mutators` of each declared relationship), `side_effects` (the
//! implicated policy's side effects of each declared relationship), `writes` (component updates
//! a full evaluation makes). A row that must find nothing says `finds: []`.

use crate::context::Context;
use crate::index::DesignIndex;
use crate::limits::Limits;
use crate::model::{parse_definitions, Action, Component, Design, EvaluationResponse, Relationship};
use crate::options::EngineOptions;
use crate::policy::inventory::inventory_additions;
use crate::policy::patch_mutators::patch_mutators;
use crate::policy::registered_policies;
use crate::Engine;
use serde_json::{json, Value};

/// The shared Meshery fixtures (`../shared`, beside the project).
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/meshery");

fn read_json(relative: &str) -> Value {
    let path = format!("{FIXTURES}/{relative}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

/// A real Kubernetes relationship definition, by file stem
/// (`relationships/kubernetes/<stem>.json`, e.g. `edge-binding-permission-hilyz`).
pub fn kubernetes(stem: &str) -> Value {
    read_json(&format!("relationships/kubernetes/{stem}.json"))
}

/// The value at a JSON pointer of a fixture file (`relative` to the fixtures directory), e.g. a
/// relationship Meshery declared in one of the designs its engine evaluated:
/// `fixture("go-engine/design-N40-seed11.json", "/relationships/5")`.
pub fn fixture(relative: &str, pointer: &str) -> Value {
    let value = read_json(relative);
    value.pointer(pointer).cloned().unwrap_or_else(|| panic!("{relative} has nothing at {pointer}"))
}

/// A value of one of Meshery's Go test cases (`go-scenarios/<case>`) at a JSON pointer, e.g. the
/// definition a Go test registers: `go_case("engine/TestX.json", "/input/relationships/0")`.
pub fn go_case(case: &str, pointer: &str) -> Value {
    fixture(&format!("go-scenarios/{case}"), pointer)
}

/// A definition given the model `name`: the engine evaluates a definition only when its model is
/// one of the design's (spec §4.1); some of Meshery's Go tests call a policy directly with
/// definitions that name none.
pub fn with_model(mut definition: Value, name: &str) -> Value {
    definition["model"] = json!({ "name": name });
    definition
}

/// A Kubernetes component: `{id, displayName: id, component: {kind}, model and modelReference:
/// kubernetes, configuration}`. The display name is the id, so rows read with one name per
/// component.
pub fn component(id: &str, kind: &str, configuration: Value) -> Value {
    json!({
        "id": id,
        "displayName": id,
        "component": { "kind": kind },
        "model": { "name": "kubernetes" },
        "modelReference": { "name": "kubernetes" },
        "configuration": configuration,
    })
}

/// A Kubernetes component in a namespace (`configuration.metadata.namespace`).
pub fn namespaced(id: &str, kind: &str, namespace: &str) -> Value {
    component(id, kind, json!({ "metadata": { "name": id, "namespace": namespace } }))
}

/// The component with one of its top-level fields removed (`"displayName"`, …).
pub fn without(mut component: Value, field: &str) -> Value {
    if let Some(fields) = component.as_object_mut() {
        fields.remove(field);
    }
    component
}

/// The component with a top-level field set (`"metadata"`, `"displayName"`, …).
pub fn with(mut component: Value, field: &str, value: Value) -> Value {
    component[field] = value;
    component
}

/// The component in another model (`model` and `modelReference`).
pub fn in_model(mut component: Value, model: &str) -> Value {
    component["model"] = json!({ "name": model });
    component["modelReference"] = json!({ "name": model });
    component
}

/// A relationship the design already declares between `from` and `to`, as the engine would have
/// built it from `definition` (spec §6.7 `buildIdentified`): a copy of the definition whose one
/// selector set holds copies of its first selector set's first from and to items naming the two
/// components, with this status.
pub fn declared(definition: &Value, from: &str, to: &str, status: &str) -> Value {
    declared_items(definition, (0, from), (0, to), status)
}

/// `declared` with the from and to items taken at other positions of the first selector set:
/// `(item index, component id)` on each side.
pub fn declared_items(definition: &Value, from: (usize, &str), to: (usize, &str), status: &str) -> Value {
    let item = |side: &str, (index, id): (usize, &str)| {
        let mut item = definition["selectors"][0]["allow"][side][index].clone();
        assert!(item.is_object(), "the definition has no allow.{side}[{index}]");
        item["id"] = json!(id);
        item
    };
    let mut declaration = definition.clone();
    declaration["id"] = json!(format!("declared {} {} -> {}", status, from.1, to.1));
    declaration["status"] = json!(status);
    declaration["selectors"] = json!([{ "allow": { "from": [item("from", from)], "to": [item("to", to)] } }]);
    declaration
}

/// What one row evaluates: definitions, components and the relationships already declared.
pub struct Case {
    pub definitions: Vec<Value>,
    pub components: Vec<Value>,
    pub declared: Vec<Value>,
}

impl Case {
    fn definitions(&self) -> Vec<Relationship> {
        parse_definitions(Value::Array(self.definitions.clone()), &Limits::default()).expect("definitions decode")
    }

    fn design(&self) -> Design {
        let design = json!({
            "id": "6f1c3a52-3d6e-4b8e-9a2c-0000000000aa",
            "name": "policy table row",
            "schemaVersion": "designs.meshery.io/v1beta1",
            "version": "0.0.1",
            "components": self.components,
            "relationships": self.declared,
        });
        Design::from_value(design, &Limits::default()).expect("design decodes")
    }

    /// A full evaluation with default options (Meshery's orchestration: up to five passes).
    fn evaluate(&self) -> EvaluationResponse {
        Engine::new(self.definitions(), EngineOptions::default()).evaluate(self.design()).expect("evaluation succeeds")
    }
}

/// Compares what a check reported with what the row expects, in any order.
fn assert_same(row: &str, what: &str, mut got: Vec<String>, expected: &[&str]) {
    let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    got.sort();
    expected.sort();
    assert_eq!(got, expected, "row `{row}`: the {what} differ (left: got, right: expected)");
}

/// How a row names a component: its id, or for a component the evaluation added (an alias, a
/// parent), `Kind:displayName`.
fn component_name(id: &str, input: &[Value], added: &[Component]) -> String {
    if input.iter().any(|c| c["id"] == id) {
        return id.to_owned();
    }
    match added.iter().find(|c| c.id() == id) {
        Some(c) => format!("{}:{}", c.kind(), c.display_name()),
        None => id.to_owned(),
    }
}

/// `kind/type/subType from -> to [via binding] [on label] status`: several components on a side
/// are joined by `,`; a binding names its binding component (`match.to[0]` of its from item); a
/// sibling group names the label it shares (its items' `patch.mutatorRef[0][0]`).
fn describe(relationship: &Relationship, name: &dyn Fn(&str) -> String) -> String {
    let set = relationship.first_selector().expect("a declaration has a selector set");
    let ids = |items: &[Value]| {
        items.iter().map(|i| name(i["id"].as_str().unwrap_or("<no id>"))).collect::<Vec<_>>().join(",")
    };
    let mut text = format!(
        "{}/{}/{} {} -> {}",
        relationship.kind(),
        relationship.rel_type(),
        relationship.sub_type(),
        ids(set.allow_from()),
        ids(set.allow_to())
    );
    if relationship.rel_type() == "binding" {
        let binding = set.allow_from().first().and_then(|i| i.pointer("/match/to/0/id")).and_then(Value::as_str);
        text.push_str(&format!(" via {}", name(binding.unwrap_or("<no binding>"))));
    }
    if relationship.rel_type() == "sibling" {
        let label = set.allow_from().first().and_then(|i| i.pointer("/patch/mutatorRef/0/0")).and_then(Value::as_str);
        text.push_str(&format!(" on {}", label.unwrap_or("<no label>")));
    }
    text.push(' ');
    text.push_str(relationship.status());
    text
}

/// One line per component change: `op id path = value` (`path` dotted).
fn describe_action(action: &Action) -> Option<String> {
    let value = |v: &Value| serde_json::to_string(v).unwrap_or_default();
    Some(match action {
        Action::UpdateComponent { id, path, value: v } => {
            format!("update_component {id} {} = {}", path.join("."), value(v))
        }
        Action::UpdateComponentConfiguration { id, path, value: v } => {
            format!("update_component_configuration {id} {} = {}", path.join("."), value(v))
        }
        Action::RemoveComponentConfiguration { id, path } => {
            format!("remove_component_configuration {id} {}", path.join("."))
        }
        Action::AddComponent { item } => format!("add_component {}:{}", item.kind(), item.display_name()),
        Action::DeleteComponent { id, .. } => format!("delete_component {id}"),
        _ => return None,
    })
}

/// The relationships a full evaluation adds (the trace's `relationshipsAdded`, over every pass),
/// each with the status it was identified with (spec §4.2: `identified`, or `approved` for
/// bindings and inventory).
pub fn finds(row: &str, case: Case, expected: &[&str]) {
    let response = case.evaluate();
    let added = &response.trace.components_added;
    let name = |id: &str| component_name(id, &case.components, added);
    let found = response.trace.relationships_added.iter().map(|r| describe(r, &name)).collect();
    assert_same(row, "relationships found", found, expected);
}

/// The component updates of a full evaluation's actions (`writes`: patches and their undoing).
pub fn writes(row: &str, case: Case, expected: &[&str]) {
    let response = case.evaluate();
    let written = response
        .actions
        .iter()
        .filter(|a| !matches!(a, Action::AddComponent { .. } | Action::DeleteComponent { .. }))
        .filter_map(describe_action)
        .collect();
    assert_same(row, "component updates", written, expected);
}

/// The parents Phase 2.5 adds (`inventory_additions`, spec §7.8), called as Meshery's Go tests
/// call `identifyInventoryAdditions`: on the design as it is, with every definition given.
/// Each parent reads `Kind:displayName model <name>` and, when it has one, its configuration.
pub fn adds(row: &str, case: Case, expected: &[&str]) {
    let definitions = case.definitions();
    let design = case.design();
    let index = DesignIndex::build(&design);
    let options = EngineOptions::default();
    let context = Context::new(&design, &index, &options);
    let in_order: Vec<&Relationship> = definitions.iter().collect();
    let added = inventory_additions(&in_order, &context)
        .into_iter()
        .map(|action| match action {
            Action::AddComponent { item } => {
                let mut text = format!("{}:{} model {}", item.kind(), item.display_name(), item.model_name());
                if let Some(configuration) = item.configuration() {
                    text.push_str(&format!(" {}", serde_json::to_string(configuration).unwrap_or_default()));
                }
                text
            }
            other => panic!("inventory additions only add components, not {other:?}"),
        })
        .collect();
    assert_same(row, "parents added", added, expected);
}

fn each_declared(case: &Case, actions_of: impl Fn(&Relationship, &Context) -> Vec<Action>) -> Vec<String> {
    let design = case.design();
    let index = DesignIndex::build(&design);
    let options = EngineOptions::default();
    let context = Context::new(&design, &index, &options);
    design.relationships.iter().flat_map(|r| actions_of(r, &context)).filter_map(|a| describe_action(&a)).collect()
}

/// `patch_mutators` (spec §8.3) of every relationship the design declares, in design order.
pub fn patches(row: &str, case: Case, expected: &[&str]) {
    let patched = each_declared(&case, patch_mutators);
    assert_same(row, "patches", patched, expected);
}

/// The side effects of every relationship the design declares, each from the registered policy
/// it implicates (spec §4.2 Phase 3, step 3).
pub fn side_effects(row: &str, case: Case, expected: &[&str]) {
    let policies = registered_policies();
    let effects = each_declared(&case, |relationship, context| {
        policies
            .iter()
            .filter(|p| p.is_implicated_by(relationship))
            .flat_map(|p| p.side_effects(relationship, context))
            .collect()
    });
    assert_same(row, "side effects", effects, expected);
}

/// One `#[test]` per row of a policy table: see the module documentation. (Rows are taken one
/// at a time, so that `declared` can be left out.)
macro_rules! policy_table {
    () => {};
    (
        $(#[$attribute:meta])*
        $row:ident: {
            uses: [$($definition:expr),* $(,)?],
            components: [$($component:expr),* $(,)?],
            declared: [$($declared:expr),* $(,)?],
            $check:ident: [$($expected:expr),* $(,)?] $(,)?
        }
        $($rest:tt)*
    ) => {
        $(#[$attribute])*
        #[test]
        fn $row() {
            $crate::policy::test_designs::$check(
                stringify!($row),
                $crate::policy::test_designs::Case {
                    definitions: vec![$($definition),*],
                    components: vec![$($component),*],
                    declared: vec![$($declared),*],
                },
                &[$($expected),*],
            );
        }
        $crate::policy::test_designs::policy_table!($($rest)*);
    };
    (
        $(#[$attribute:meta])*
        $row:ident: {
            uses: [$($definition:expr),* $(,)?],
            components: [$($component:expr),* $(,)?],
            $check:ident: [$($expected:expr),* $(,)?] $(,)?
        }
        $($rest:tt)*
    ) => {
        $crate::policy::test_designs::policy_table! {
            $(#[$attribute])*
            $row: {
                uses: [$($definition),*],
                components: [$($component),*],
                declared: [],
                $check: [$($expected),*],
            }
            $($rest)*
        }
    };
}
pub(crate) use policy_table;
