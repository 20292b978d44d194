//! Meshery's reported relationship bugs, as tests against the real kubernetes definitions of the
//! shared fixtures (hand-made definitions only where the registry has none for the case).

mod fixture_helpers;

use fixture_helpers::*;
use relationship_evaluator::model::Relationship;
use relationship_evaluator::EvaluationResponse;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// `evaluate`, `times` times in a row, each run fed the previous run's design.
fn evaluate_repeatedly(design: Value, definitions: &[Relationship], times: usize) -> Vec<EvaluationResponse> {
    let mut responses: Vec<EvaluationResponse> = Vec::new();
    let mut input = design;
    for _ in 0..times {
        let response = evaluate(input, definitions);
        input = design_of(&response);
        responses.push(response);
    }
    responses
}

/// Live relationships per (kind/type/subType, from id, to id).
fn edges_per_pair(response: &EvaluationResponse) -> BTreeMap<(String, String, String), Vec<String>> {
    let mut pairs: BTreeMap<(String, String, String), Vec<String>> = BTreeMap::new();
    for relationship in live(&response.design) {
        let (from, to) = endpoints(relationship);
        let kind = format!("{}/{}/{}", relationship.kind(), relationship.rel_type(), relationship.sub_type());
        pairs.entry((kind, from, to)).or_default().push(relationship.id().to_owned());
    }
    pairs
}

fn ids(response: &EvaluationResponse) -> BTreeSet<String> {
    response.design.relationships.iter().map(|r| r.id().to_owned()).collect()
}

// ---------------------------------------------------------------------------------------------
// meshery/meshery#12274 — "Edge: Network - Service and Pod duplicate relationship": with two
// components of the same kind in a design, evaluation intermittently produced duplicate edges.

fn service_and_two_pods() -> Value {
    let pod = |id: &str, name: &str| {
        json!({
            "id": id, "displayName": name,
            "component": { "kind": "Pod" }, "model": { "name": "kubernetes" },
            "metadata": { "labels": { "app": "web" } },
            "configuration": {
                "metadata": { "name": name, "labels": { "app": "web" } },
                "spec": { "containers": [{ "name": "web", "ports": [{ "containerPort": 8080, "protocol": "TCP" }] }] },
            },
        })
    };
    design_with(vec![
        component(
            "svc",
            "Service",
            "web",
            json!({ "spec": { "selector": { "app": "web" },
                              "ports": [{ "port": 80, "targetPort": 8080, "protocol": "TCP" }] } }),
        ),
        pod("pod-a", "web-a"),
        pod("pod-b", "web-b"),
    ])
}

#[test]
fn repeated_evaluation_keeps_exactly_one_network_edge_from_a_service_to_each_matching_pod() {
    // The v1beta2 network definition (its fourth selector set is Service → Pod on selector,
    // target port and protocol).
    let definitions = definitions(vec![raw_kubernetes_definition("edge-non-binding-network-duixv")]);
    let responses = evaluate_repeatedly(service_and_two_pods(), &definitions, 4);
    let first = edges_per_pair(&responses[0]);
    let network = |pairs: &BTreeMap<(String, String, String), Vec<String>>| -> Vec<(String, String, usize)> {
        pairs
            .iter()
            .filter(|((kind, _, _), _)| kind == "edge/non-binding/network")
            .map(|((_, from, to), ids)| (from.clone(), to.clone(), ids.len()))
            .collect()
    };
    assert_eq!(
        network(&first),
        vec![("svc".to_owned(), "pod-a".to_owned(), 1), ("svc".to_owned(), "pod-b".to_owned(), 1)],
        "one edge from the Service to each Pod, none between the two Pods"
    );
    for (run, response) in responses.iter().enumerate().skip(1) {
        assert_eq!(network(&edges_per_pair(response)), network(&first), "run {}", run + 1);
        assert_eq!(ids(response), ids(&responses[0]), "run {} changed relationship ids", run + 1);
        assert!(
            !ops(response).contains(&"add_relationship"),
            "run {} added a relationship the design already holds: {:?}",
            run + 1,
            ops(response)
        );
    }
}

#[test]
fn the_full_kubernetes_registry_gives_one_network_edge_per_service_and_pod() {
    // edge-non-binding-network-amosp (v1alpha3) and the fourth selector set of ...-duixv
    // (v1beta2) describe the same Service → Pod edge: same kind/type/subType, same item kinds,
    // same patch. By the engine's own identity rule (spec §6.8) the second is "already
    // existing" once the first is in the design; but Phase 2 only de-duplicates by id within
    // a pass (§4.2), and their ids differ (amosp's items carry an empty `match: {}`, which the
    // id seed includes, §11), so both are added: two edges between one pair, as in #12274.
    let responses = evaluate_repeatedly(service_and_two_pods(), &kubernetes_definitions(), 3);
    for (run, response) in responses.iter().enumerate() {
        for ((kind, from, to), ids) in edges_per_pair(response) {
            assert_eq!(ids.len(), 1, "run {}: {} {} -> {} has edges {:?}", run + 1, kind, from, to, ids);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// meshery/meshery#12628 — "component validation count incrementing with each evaluation": every
// interaction with a RoleBinding re-evaluated the design and the count went up by one.

fn role_binding_design() -> Value {
    design_with(vec![
        component("ns", "Namespace", "team", json!({ "metadata": { "name": "team" } })),
        component("role", "Role", "reader", json!({ "metadata": { "name": "reader", "namespace": "team" } })),
        component(
            "binding",
            "RoleBinding",
            "read-binding",
            json!({
                "metadata": { "name": "read-binding", "namespace": "team" },
                "roleRef": { "kind": "Role", "name": "reader" },
                "subjects": [{ "kind": "ServiceAccount", "name": "app" }],
            }),
        ),
        component("sa", "ServiceAccount", "app", json!({ "metadata": { "name": "app", "namespace": "team" } })),
        component(
            "other-sa",
            "ServiceAccount",
            "other",
            json!({ "metadata": { "name": "other", "namespace": "team" } }),
        ),
    ])
}

#[test]
fn re_evaluating_an_evaluated_role_binding_design_keeps_its_relationship_count() {
    let responses = evaluate_repeatedly(role_binding_design(), &kubernetes_definitions(), 4);
    let first = &responses[0];
    let permission = live_of(&first.design, "edge", "binding", "permission");
    assert_eq!(
        permission.iter().map(|r| endpoints(r)).collect::<Vec<_>>(),
        vec![("role".to_owned(), "sa".to_owned())],
        "the RoleBinding binds the Role to the ServiceAccount it names, and to no other"
    );
    for (run, response) in responses.iter().enumerate().skip(1) {
        assert_eq!(response.design.relationships.len(), first.design.relationships.len(), "run {}", run + 1);
        assert_eq!(ids(response), ids(first), "run {}", run + 1);
        // Nothing is left to do: existing relationships are neither re-identified (§6.8),
        // re-approved, nor re-patched (their patches are already in the design).
        assert!(response.actions.is_empty(), "run {} produced {:?}", run + 1, ops(response));
    }
}

// ---------------------------------------------------------------------------------------------
// meshery/meshery#11801 — "Namespaces should not contain other namespaces".

fn nested_namespaces() -> Value {
    design_with(vec![
        component("parent", "Namespace", "parent", json!({ "metadata": { "name": "parent" } })),
        component("child", "Namespace", "child", json!({ "metadata": { "name": "child", "namespace": "parent" } })),
        component("app", "Deployment", "app", json!({ "metadata": { "name": "app", "namespace": "parent" } })),
    ])
}

fn inventory_pairs(response: &EvaluationResponse) -> BTreeSet<(String, String)> {
    live_of(&response.design, "hierarchical", "parent", "inventory").into_iter().map(endpoints).collect()
}

const NAMESPACE_INVENTORY: &str = "hierarchical-parent-inventory-kmjea";

#[test]
fn a_namespace_that_names_another_namespace_gets_no_inventory_parent() {
    let response = evaluate(nested_namespaces(), &definitions(vec![raw_kubernetes_definition(NAMESPACE_INVENTORY)]));
    assert_eq!(
        inventory_pairs(&response),
        BTreeSet::from([("app".to_owned(), "parent".to_owned())]),
        "the Deployment sits in the Namespace; the Namespace naming `parent` does not"
    );
}

#[test]
fn the_namespace_inventory_deny_clause_is_what_keeps_namespaces_apart() {
    // The same definition without its deny clause relates the two Namespaces, so the clause —
    // not some other mismatch — is what the previous test relies on.
    let mut definition = raw_kubernetes_definition(NAMESPACE_INVENTORY);
    definition["selectors"][0].as_object_mut().expect("selector set").remove("deny");
    let response = evaluate(nested_namespaces(), &definitions(vec![definition]));
    assert!(
        inventory_pairs(&response).contains(&("child".to_owned(), "parent".to_owned())),
        "got {:?}",
        inventory_pairs(&response)
    );
}

/// Meshery's Rego namespace fixture (the orientation whose child side carries the `mutatedRef`,
/// so that a missing Namespace is added, spec §7.8), taken from the shared scenario data; it has
/// no model, so it is given the kubernetes one to be in scope (spec §4.1).
fn namespace_inventory_that_adds_parents() -> Relationship {
    let scenario = read_json(&fixture_path(
        "scenarios/namespace_integration_test__test_namespace_cannot_have_namespace_as_parent.json",
    ));
    let mut definition = scenario["call"]["args"][1].clone();
    definition["model"] = json!({ "name": "kubernetes" });
    definitions(vec![definition]).remove(0)
}

#[test]
fn a_namespace_naming_a_missing_namespace_does_not_make_the_engine_add_one() {
    let design = design_with(vec![component(
        "child",
        "Namespace",
        "child",
        json!({ "metadata": { "name": "child", "namespace": "elsewhere" } }),
    )]);
    let response = evaluate(design, &[namespace_inventory_that_adds_parents()]);
    assert_eq!(response.design.components.len(), 1, "no parent Namespace was added");
    assert!(!ops(&response).contains(&"add_component"));
}

#[test]
fn a_deployment_naming_a_missing_namespace_makes_the_engine_add_it_and_relate_them() {
    // The counterpart of the previous test: the addition itself works for an allowed child.
    let design = design_with(vec![component(
        "app",
        "Deployment",
        "app",
        json!({ "metadata": { "name": "app", "namespace": "elsewhere" } }),
    )]);
    let response = evaluate(design, &[namespace_inventory_that_adds_parents()]);
    let namespaces: Vec<_> = response.design.components.iter().filter(|c| c.kind() == "Namespace").collect();
    assert_eq!(namespaces.len(), 1);
    assert_eq!(namespaces[0].display_name(), "elsewhere");
    assert_eq!(inventory_pairs(&response), BTreeSet::from([("app".to_owned(), namespaces[0].id().to_owned())]));
}

// ---------------------------------------------------------------------------------------------
// meshery/meshery#9858 — "ConfigMap relationship fails to evaluate properly": a workload got a
// ConfigMap relationship although it referenced no ConfigMap (fixed in Rego by "accounting for
// missing fields").

/// The real ReplicationController → ConfigMap volume reference, and the same definition for
/// Deployments (the registry snapshot has none; the volume path is the same in both kinds).
fn configmap_references() -> Vec<Relationship> {
    let real = raw_kubernetes_definition("edge-non-binding-reference-dxkua");
    let mut for_deployments = real.clone();
    for_deployments["selectors"][0]["allow"]["from"][0]["kind"] = json!("Deployment");
    definitions(vec![real, for_deployments])
}

fn workload(id: &str, kind: &str, pod_spec: Value) -> Value {
    component(id, kind, id, json!({ "spec": { "template": { "spec": pod_spec } } }))
}

fn reference_pairs(response: &EvaluationResponse) -> BTreeSet<(String, String)> {
    live_of(&response.design, "edge", "non-binding", "reference").into_iter().map(endpoints).collect()
}

#[test]
fn a_workload_without_a_configmap_reference_gets_no_relationship_to_a_named_configmap() {
    let design = design_with(vec![
        workload("no-volumes", "Deployment", json!({})),
        workload("empty-volumes", "Deployment", json!({ "volumes": [] })),
        workload("secret-volume", "Deployment", json!({ "volumes": [{ "secret": { "secretName": "settings" } }] })),
        workload("no-spec", "ReplicationController", json!(null)),
        workload("mounts-settings", "Deployment", json!({ "volumes": [{ "configMap": { "name": "settings" } }] })),
        component("settings", "ConfigMap", "settings", json!({ "metadata": { "name": "settings" } })),
    ]);
    let response = evaluate(design, &configmap_references());
    assert_eq!(
        reference_pairs(&response),
        BTreeSet::from([("mounts-settings".to_owned(), "settings".to_owned())]),
        "only the workload that mounts the ConfigMap references it"
    );
}

#[test]
fn missing_equals_missing_relates_a_workload_without_a_reference_to_a_configmap_without_a_name() {
    // Pinned on purpose: under the `equal` strategy an absent value equals an absent value
    // (spec §6.5 QUIRK, kept in DECISIONS §4 for parity with the Go engine). A workload with no
    // ConfigMap volume and a ConfigMap with no name therefore match. Rego's fix for #9858 is not
    // in the Go engine; a definition opts out with `not_null` (next test).
    let design = design_with(vec![
        workload("no-volumes", "Deployment", json!({})),
        component("unnamed", "ConfigMap", "unnamed", json!({ "metadata": {} })),
    ]);
    let response = evaluate(design, &configmap_references());
    assert_eq!(reference_pairs(&response), BTreeSet::from([("no-volumes".to_owned(), "unnamed".to_owned())]));
}

#[test]
fn a_not_null_strategy_keeps_missing_fields_from_matching() {
    let mut definition = raw_kubernetes_definition("edge-non-binding-reference-dxkua");
    definition["selectors"][0]["allow"]["from"][0]["kind"] = json!("Deployment");
    definition["selectors"][0]["allow"]["from"][0]["matchStrategyMatrix"] = json!([["equal", "not_null"]]);
    let design = design_with(vec![
        workload("no-volumes", "Deployment", json!({})),
        workload("mounts-settings", "Deployment", json!({ "volumes": [{ "configMap": { "name": "settings" } }] })),
        component("unnamed", "ConfigMap", "unnamed", json!({ "metadata": {} })),
        component("settings", "ConfigMap", "settings", json!({ "metadata": { "name": "settings" } })),
    ]);
    let response = evaluate(design, &definitions(vec![definition]));
    assert_eq!(reference_pairs(&response), BTreeSet::from([("mounts-settings".to_owned(), "settings".to_owned())]));
}

// Issue 15 #18: a batch at the largest revision fails with a typed error and changes nothing; the
// revision never wraps to 0.
#[test]
fn a_batch_past_the_largest_revision_is_refused_not_wrapped() {
    use relationship_evaluator::evaluator::{Snapshot, MAX_REVISION};
    use relationship_evaluator::model::Design;
    use relationship_evaluator::Limits;
    use relationship_evaluator::{Edit, ErrorCode, Evaluator};
    let mut evaluator = Evaluator::from_json("[]", "").unwrap();
    evaluator
        .load_design(Design::from_value(json!({"id": "d", "components": [{"id": "a"}]}), &Limits::default()).unwrap())
        .unwrap();
    let mut snapshot = evaluator.snapshot();
    snapshot.revision = MAX_REVISION - 1;
    let mut evaluator = Evaluator::restore(Snapshot::from_json(&snapshot.to_json()).unwrap()).unwrap();
    let rename = |name: &str| vec![Edit::RenameComponent { id: "a".into(), display_name: name.into() }];
    assert_eq!(evaluator.apply_edits(&rename("x")).unwrap().revision, MAX_REVISION);
    let before = evaluator.design().to_value();
    let error = evaluator.apply_edits(&rename("y")).unwrap_err();
    assert_eq!(error.code, ErrorCode::LimitExceeded);
    assert_eq!((evaluator.revision(), evaluator.design().to_value()), (MAX_REVISION, before));
    let full = vec![Edit::SetLayer { layer: "x".into(), enabled: true }];
    assert_eq!(evaluator.apply_edits(&full).unwrap_err().code, ErrorCode::LimitExceeded, "the full path too");
    assert_eq!(evaluator.revision(), MAX_REVISION);
}

/// A float written with 17 significant digits is read to the nearest double (serde_json's
/// `float_roundtrip`), so it comes back as written. Without it `-22.381870586134934` came back
/// as `…937`, and the same design gave other bytes as JSON than as YAML (found by the Go module's
/// identity test against the CLI).
#[test]
fn seventeen_digit_floats_come_back_as_written() {
    let text = r#"{"id":"d","version":"0.0.1","components":[
        {"id":"p","displayName":"p","component":{"kind":"Pod"},"model":{"name":"kubernetes"},
         "styles":{"position":{"x":-22.381870586134934,"y":0.30000000000000004}},
         "configuration":{"spec":{"weight":2.2250738585072014e-308}}}],"relationships":[]}"#;
    let design =
        relationship_evaluator::Design::from_json(text, &relationship_evaluator::Limits::default()).expect("design");
    let response =
        relationship_evaluator::Engine::new(Vec::new(), Default::default()).evaluate(design).expect("evaluation");
    let json = response.to_json();
    for written in ["-22.381870586134934", "0.30000000000000004", "2.2250738585072014e-308"] {
        assert!(json.contains(written), "{written} is not in {json}");
    }
}

/// A snapshot of an evaluator keeps every number as written (issue 15 #2). `Design::to_value`
/// went through serde's value serializer, which respelled an exponent that reading had kept
/// (`1e5` → `1e+5`); the read_json fuzz target found it.
#[test]
fn a_snapshot_keeps_numbers_as_written() {
    use relationship_evaluator::{Design, EngineOptions, Evaluator, Limits, Snapshot};
    let text = r#"{"id": "d", "version": "0.0.1", "components": [{"id": "c", "component": {"kind": "ConfigMap"},
        "displayName": "c", "configuration": {"n": [1e5, 1E5, 2.5e-3, 1.50, -0, 123456789012345678901234567890]}}],
        "relationships": []}"#;
    let mut evaluator = Evaluator::new(Vec::new(), EngineOptions::default());
    evaluator.load_design(Design::from_json(text, &Limits::default()).unwrap()).unwrap();
    let written = r#"[1e5,1E5,2.5e-3,1.50,-0,123456789012345678901234567890]"#;
    let numbers = |design: &Design| serde_json::to_string(&design.components[0].0["configuration"]["n"]).unwrap();
    assert_eq!(numbers(evaluator.design()), written);
    let snapshot = evaluator.snapshot();
    for restored in [
        Snapshot::from_msgpack(&snapshot.to_msgpack()).unwrap(),
        Snapshot::from_msgpack(&snapshot.to_msgpack_expanded()).unwrap(),
        Snapshot::from_json(&snapshot.to_json()).unwrap(),
    ] {
        assert_eq!(numbers(Evaluator::restore(restored).unwrap().design()), written);
    }
}
