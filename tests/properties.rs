//! Properties of the core over random small Kubernetes designs.
//!
//! The designs hold Namespaces, Deployments, Services, Pods, ConfigMaps, Roles, RoleBindings and
//! ServiceAccounts whose names, namespaces, labels, ports and references come from small pools,
//! so that relationships really form (inventory, network, reference, binding and match-label
//! ones). They are evaluated against the real kubernetes definitions of the shared fixtures plus
//! three hand-written ones (see `extra_definitions`).
//!
//! Properties: determinism (same bytes twice), independence from the order of components and of
//! definitions, idempotence (an evaluated design evaluates to no new additions or deletions) and
//! lossless decoding (unknown fields at every level survive decode → encode, and evaluation).

mod fixture_helpers;

use fixture_helpers::{definitions, raw_kubernetes_definitions, sort_keys};
use proptest::prelude::*;
use proptest::test_runner::Config;
use relationship_evaluator::model::{Design, Relationship};
use relationship_evaluator::{evaluate_json, Engine, EngineOptions, EvaluationResponse, Limits};
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

const KINDS: [&str; 8] =
    ["Namespace", "Deployment", "Service", "Pod", "ConfigMap", "Role", "RoleBinding", "ServiceAccount"];
const NAMES: [&str; 4] = ["default", "shop", "web", "db"];
const PORTS: [i64; 2] = [80, 8080];
const PROTOCOLS: [&str; 2] = ["TCP", "UDP"];

fn labels(choice: usize) -> Value {
    match choice {
        0 => json!({ "app": "web" }),
        1 => json!({ "app": "db" }),
        _ => json!({ "app": "web", "tier": "front" }),
    }
}

/// What varies in one generated component; every `Option` is a field that may be absent.
#[derive(Debug, Clone)]
struct ComponentSpec {
    kind: usize,
    name: usize,
    namespace: Option<usize>,
    labels: Option<usize>,
    top_level_labels: bool,
    port: Option<usize>,
    protocol: Option<usize>,
    reference: Option<usize>,
    subject: Option<usize>,
}

fn component_spec() -> impl Strategy<Value = ComponentSpec> {
    (
        0..KINDS.len(),
        0..NAMES.len(),
        proptest::option::of(0..NAMES.len()),
        proptest::option::of(0..3usize),
        any::<bool>(),
        proptest::option::of(0..PORTS.len()),
        proptest::option::of(0..PROTOCOLS.len()),
        proptest::option::of(0..NAMES.len()),
        proptest::option::of(0..NAMES.len()),
    )
        .prop_map(|(kind, name, namespace, labels, top_level_labels, port, protocol, reference, subject)| {
            ComponentSpec { kind, name, namespace, labels, top_level_labels, port, protocol, reference, subject }
        })
}

fn insert(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        map.insert(key.to_owned(), value);
    }
}

/// The component JSON of a spec, shaped like the Kubernetes resource of its kind.
fn build_component(index: usize, spec: &ComponentSpec) -> Value {
    let kind = KINDS[spec.kind];
    let name = NAMES[spec.name];
    let mut metadata = Map::new();
    metadata.insert("name".into(), json!(name));
    insert(&mut metadata, "namespace", spec.namespace.map(|n| json!(NAMES[n])));
    let port = || {
        let mut port = Map::new();
        insert(&mut port, "containerPort", spec.port.map(|p| json!(PORTS[p])));
        insert(&mut port, "protocol", spec.protocol.map(|p| json!(PROTOCOLS[p])));
        json!({ "ports": [Value::Object(port)] })
    };
    let configuration = match kind {
        "Deployment" => {
            insert(&mut metadata, "labels", spec.labels.map(labels));
            let mut pod_spec = json!({ "containers": [port()] });
            if let Some(reference) = spec.reference {
                pod_spec["volumes"] = json!([{ "configMap": { "name": NAMES[reference] } }]);
            }
            json!({
                "metadata": metadata,
                "spec": {
                    "selector": { "matchLabels": spec.labels.map(labels) },
                    "template": { "metadata": { "labels": spec.labels.map(labels) }, "spec": pod_spec },
                },
            })
        }
        "Service" => {
            let mut service_port = Map::new();
            insert(&mut service_port, "targetPort", spec.port.map(|p| json!(PORTS[p])));
            insert(&mut service_port, "protocol", spec.protocol.map(|p| json!(PROTOCOLS[p])));
            let mut service_spec = Map::new();
            insert(&mut service_spec, "selector", spec.labels.map(labels));
            service_spec.insert("ports".into(), json!([service_port]));
            json!({ "metadata": metadata, "spec": service_spec })
        }
        "Pod" => {
            insert(&mut metadata, "labels", spec.labels.map(labels));
            json!({ "metadata": metadata, "spec": { "containers": [port()] } })
        }
        "RoleBinding" => {
            let mut binding = json!({ "metadata": metadata });
            if let Some(reference) = spec.reference {
                binding["roleRef"] = json!({ "kind": "Role", "name": NAMES[reference] });
            }
            if let Some(subject) = spec.subject {
                binding["subjects"] = json!([{ "kind": "ServiceAccount", "name": NAMES[subject] }]);
            }
            binding
        }
        _ => json!({ "metadata": metadata }),
    };
    let mut component = json!({
        "id": format!("00000000-0000-4000-8000-{index:012}"),
        "displayName": name,
        "component": { "kind": kind },
        "model": { "name": "kubernetes" },
        "configuration": configuration,
    });
    if spec.top_level_labels {
        component["metadata"] = json!({ "labels": spec.labels.map(labels) });
    }
    component
}

fn build_design(specs: &[ComponentSpec]) -> Value {
    json!({
        "id": "6f1c3a52-3d6e-4b8e-9a2c-0000000000aa",
        "name": "generated",
        "schemaVersion": "designs.meshery.io/v1beta1",
        "version": "0.0.1",
        "components": specs.iter().enumerate().map(|(i, s)| build_component(i, s)).collect::<Vec<_>>(),
        "relationships": [],
    })
}

fn design_strategy() -> impl Strategy<Value = Value> {
    proptest::collection::vec(component_spec(), 1..9).prop_map(|specs| build_design(&specs))
}

/// Three hand-written definitions that make the generated designs exercise what the real
/// kubernetes set does not: the inventory orientation that adds missing Namespaces (the one of
/// Meshery's Rego namespace tests and of the sample design's relationships), match-label groups,
/// and a Deployment → ConfigMap volume reference (the real one is for ReplicationControllers).
fn extra_definitions() -> Vec<Value> {
    let kubernetes = json!({ "name": "kubernetes" });
    vec![
        json!({
            "id": "5e0b7a3c-0000-4000-8000-000000000001",
            "kind": "hierarchical", "type": "parent", "subType": "inventory", "status": "enabled",
            "schemaVersion": "relationships.meshery.io/v1beta2", "model": kubernetes,
            "selectors": [{
                "allow": {
                    "from": [{ "kind": "*", "model": { "name": "*" },
                               "patch": { "mutatedRef": [["configuration", "metadata", "namespace"]] } }],
                    "to": [{ "kind": "Namespace", "model": kubernetes,
                             "patch": { "mutatorRef": [["displayName"]] } }],
                },
                "deny": {
                    "from": [{ "kind": "Namespace", "model": kubernetes }],
                    "to": [{ "kind": "Namespace", "model": kubernetes }],
                },
            }],
        }),
        json!({
            "id": "5e0b7a3c-0000-4000-8000-000000000002",
            "kind": "edge", "type": "sibling", "subType": "matchLabels", "status": "enabled",
            "schemaVersion": "relationships.meshery.io/v1beta2", "model": kubernetes,
            "selectors": [{
                "allow": {
                    "from": [{ "kind": "Pod", "match": { "refs": [["configuration", "metadata", "labels"]] } },
                             { "kind": "Deployment", "match": { "refs": [["configuration", "metadata", "labels"]] } }],
                    "to": [{ "kind": "Pod", "match": { "refs": [["configuration", "metadata", "labels"]] } },
                           { "kind": "Deployment", "match": { "refs": [["configuration", "metadata", "labels"]] } }],
                },
            }],
        }),
        json!({
            "id": "5e0b7a3c-0000-4000-8000-000000000003",
            "kind": "edge", "type": "non-binding", "subType": "reference", "status": "enabled",
            "schemaVersion": "relationships.meshery.io/v1beta2", "model": kubernetes,
            "selectors": [{
                "allow": {
                    "from": [{ "kind": "Deployment", "model": kubernetes,
                               "patch": { "mutatorRef": [["configuration", "spec", "template", "spec", "volumes", "_", "configMap", "name"]] } }],
                    "to": [{ "kind": "ConfigMap", "model": kubernetes,
                             "patch": { "mutatedRef": [["configuration", "metadata", "name"]] } }],
                },
            }],
        }),
    ]
}

fn raw_definitions() -> &'static Vec<Value> {
    static RAW: OnceLock<Vec<Value>> = OnceLock::new();
    RAW.get_or_init(|| raw_kubernetes_definitions().into_iter().chain(extra_definitions()).collect())
}

/// The decoded definitions, in registry (file-name) order, then the hand-written ones.
fn all_definitions() -> Vec<Relationship> {
    static DECODED: OnceLock<Vec<Relationship>> = OnceLock::new();
    DECODED.get_or_init(|| definitions(raw_definitions().clone())).clone()
}

fn evaluate_with(design: &Value, definitions: Vec<Relationship>) -> EvaluationResponse {
    let design = Design::from_value(design.clone(), &Limits::default()).expect("generated design decodes");
    Engine::new(definitions, EngineOptions::default()).evaluate(design).expect("evaluation succeeds")
}

/// How many passes an evaluation ran: the patch number of the version went up once per pass
/// from the generated `0.0.1`.
fn passes(response: &EvaluationResponse) -> u64 {
    let patch = response.design.version().rsplit('.').next().and_then(|p| p.parse::<u64>().ok());
    patch.expect("a numeric patch version") - 1
}

/// JSON with sorted keys, where the selector item lists (`from`/`to`) are also sorted: a
/// match-label group lists its members in design order, which a permutation changes without
/// changing the group.
fn canonical(value: &Value) -> Value {
    fn walk(value: &Value, sort_items: bool) -> Value {
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                Value::Object(keys.into_iter().map(|k| (k.clone(), walk(&map[k], k == "from" || k == "to"))).collect())
            }
            Value::Array(items) => {
                let mut items: Vec<Value> = items.iter().map(|v| walk(v, false)).collect();
                if sort_items {
                    items.sort_by_key(|v| v.to_string());
                }
                Value::Array(items)
            }
            other => other.clone(),
        }
    }
    walk(value, false)
}

fn sorted_texts<T: serde::Serialize>(items: &[T]) -> Vec<String> {
    let mut texts: Vec<String> =
        items.iter().map(|i| canonical(&serde_json::to_value(i).expect("serialisable")).to_string()).collect();
    texts.sort();
    texts
}

/// What a permutation of the inputs must not change: components, relationships (ids and
/// content) and actions, each compared as a sorted list of canonical JSON texts.
fn outcome(response: &EvaluationResponse) -> (Vec<String>, Vec<String>, Vec<String>, Vec<String>) {
    let mut ids: Vec<String> = response.design.relationships.iter().map(|r| r.id().to_owned()).collect();
    ids.sort();
    (
        ids,
        sorted_texts(&response.design.relationships),
        sorted_texts(&response.design.components),
        sorted_texts(&response.actions),
    )
}

fn config() -> Config {
    Config { cases: 64, failure_persistence: None, ..Config::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn evaluating_the_same_input_twice_gives_identical_bytes(design in design_strategy()) {
        let design_text = design.to_string();
        let definitions_text = Value::Array(raw_definitions().clone()).to_string();
        let first = evaluate_json(&design_text, &definitions_text, "").expect("evaluation succeeds");
        let second = evaluate_json(&design_text, &definitions_text, "").expect("evaluation succeeds");
        prop_assert_eq!(first, second);
    }

    #[test]
    fn the_order_of_components_changes_no_relationship_component_or_action(
        (design, order) in design_strategy().prop_flat_map(|design| {
            let count = design["components"].as_array().map_or(0, Vec::len);
            (Just(design), Just((0..count).collect::<Vec<usize>>()).prop_shuffle())
        })
    ) {
        let mut permuted = design.clone();
        let components = design["components"].as_array().expect("components").clone();
        permuted["components"] = Value::Array(order.iter().map(|&i| components[i].clone()).collect());
        let original = evaluate_with(&design, all_definitions());
        let reordered = evaluate_with(&permuted, all_definitions());
        prop_assert_eq!(outcome(&original), outcome(&reordered));
    }

    #[test]
    fn the_order_of_definitions_changes_no_relationship_component_or_action(
        design in design_strategy(),
        order in Just((0..raw_definitions().len()).collect::<Vec<usize>>()).prop_shuffle(),
    ) {
        let definitions_in_order = all_definitions();
        let shuffled: Vec<Relationship> = order.iter().map(|&i| definitions_in_order[i].clone()).collect();
        let original = evaluate_with(&design, definitions_in_order);
        let reordered = evaluate_with(&design, shuffled);
        prop_assert_eq!(outcome(&original), outcome(&reordered));
    }

    #[test]
    fn an_evaluated_design_evaluates_to_no_new_additions_or_deletions(design in design_strategy()) {
        let first = evaluate_with(&design, all_definitions());
        // A design that still changed in the last allowed pass has not settled yet; feeding it
        // back may legitimately continue the work (spec §5: at most five passes per evaluation).
        prop_assume!(passes(&first) < EngineOptions::default().max_passes as u64);
        let second = evaluate_with(&first.design.to_value(), all_definitions());
        let structural: Vec<String> = second
            .actions
            .iter()
            .filter(|a| a.op().as_str().starts_with("add_") || a.op().as_str().starts_with("delete_"))
            .map(|a| serde_json::to_string(a).expect("serialisable"))
            .collect();
        prop_assert!(structural.is_empty(), "re-evaluation added or deleted: {:?}", structural);
        prop_assert_eq!(
            first.design.relationships.iter().map(|r| r.id()).collect::<Vec<_>>(),
            second.design.relationships.iter().map(|r| r.id()).collect::<Vec<_>>()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Unknown fields

/// A small JSON value for an unknown field: scalars, and arrays/objects of them.
fn unknown_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        "[a-z0-9 ]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z]{1,4}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Unknown `(key, value)` pairs; keys start with `x_`, which no Meshery field does.
fn unknown_fields() -> impl Strategy<Value = Vec<(String, Value)>> {
    proptest::collection::vec(("x_[a-z]{1,6}", unknown_value()), 1..3)
}

fn add_fields(target: &mut Value, fields: &[(String, Value)]) {
    if let Value::Object(map) = target {
        for (key, value) in fields {
            map.insert(key.clone(), value.clone());
        }
    }
}

/// An evaluated design (so that it has relationships with selector items) with unknown fields
/// added to the design, every component, every configuration, every relationship, and every
/// selector item of every relationship.
fn design_with_unknown_fields() -> impl Strategy<Value = Value> {
    (design_strategy(), unknown_fields()).prop_map(|(design, fields)| {
        let mut value = evaluate_with(&design, all_definitions()).design.to_value();
        add_fields(&mut value, &fields);
        for component in value["components"].as_array_mut().into_iter().flatten() {
            add_fields(component, &fields);
            add_fields(&mut component["configuration"], &fields);
        }
        for relationship in value["relationships"].as_array_mut().into_iter().flatten() {
            add_fields(relationship, &fields);
            for set in relationship["selectors"].as_array_mut().into_iter().flatten() {
                add_fields(set, &fields);
                for side in ["from", "to"] {
                    for item in set["allow"][side].as_array_mut().into_iter().flatten() {
                        add_fields(item, &fields);
                    }
                }
            }
        }
        value
    })
}

/// Every `(pointer, value)` of the object members whose key starts with `x_`.
fn unknown_members(value: &Value, pointer: &str, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let here = format!("{pointer}/{key}");
                if key.starts_with("x_") {
                    out.push((here, child.clone()));
                } else {
                    unknown_members(child, &here, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                unknown_members(child, &format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn unknown_fields_at_every_level_survive_decoding_and_encoding(design in design_with_unknown_fields()) {
        let text = design.to_string();
        let decoded = Design::from_json(&text, &Limits::default()).expect("design decodes");
        let encoded = serde_json::to_string(&decoded).expect("design encodes");
        let reparsed: Value = serde_json::from_str(&encoded).expect("encoding is JSON");
        prop_assert_eq!(sort_keys(&reparsed).to_string(), sort_keys(&design).to_string());
        // Fields are kept in input order (the crate keeps JSON objects ordered), so the text
        // comes back exactly as it went in.
        prop_assert_eq!(encoded, text);
    }

    #[test]
    fn unknown_fields_survive_an_evaluation(design in design_with_unknown_fields()) {
        let response = evaluate_with(&design, all_definitions());
        let output = response.design.to_value();
        let mut expected = Vec::new();
        unknown_members(&design, "", &mut expected);
        prop_assert!(!expected.is_empty());
        let mut checked = 0;
        for (pointer, value) in expected {
            match relocate(&design, &output, &pointer) {
                Some(pointer) => {
                    prop_assert_eq!(output.pointer(&pointer), Some(&value), "{} was lost or changed", pointer);
                    checked += 1;
                }
                // Only a relationship the evaluation removed may take its fields with it.
                None => prop_assert!(pointer.starts_with("/relationships/"), "{} vanished", pointer),
            }
        }
        prop_assert!(checked > 0);
    }
}

/// The pointer of the same member in `output`: a pointer into `/components/i` or
/// `/relationships/i` follows the element with the same id; `None` when that element is gone.
fn relocate(input: &Value, output: &Value, pointer: &str) -> Option<String> {
    let mut segments = pointer.splitn(4, '/').skip(1);
    let list = segments.next()?;
    if list != "components" && list != "relationships" {
        return Some(pointer.to_owned());
    }
    let index: usize = segments.next()?.parse().ok()?;
    let rest = segments.next().map(|r| format!("/{r}")).unwrap_or_default();
    let id = input[list][index]["id"].as_str()?;
    let position = output[list].as_array()?.iter().position(|e| e["id"].as_str() == Some(id))?;
    Some(format!("/{list}/{position}{rest}"))
}
