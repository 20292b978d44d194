//! One test per deliberate deviation from Meshery's Go engine (spec/DECISIONS.md §2–§3 and the
//! further differences listed in docs/deviations.md). Each test pins our behaviour where Meshery's
//! differs; the comment above it says what Meshery does.

use relationship_evaluator::engine::{deduplicate_actions, resolve_aliases, Engine};
use relationship_evaluator::model::{parse_definitions, Action, Design, EvaluationResponse, Relationship};
use relationship_evaluator::{EngineOptions, ErrorCode, Limits};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/meshery/go-scenarios");

fn design(value: Value) -> Design {
    Design::from_value(value, &Limits::default()).expect("test design is valid")
}

fn definitions(value: Value) -> Vec<Relationship> {
    parse_definitions(value, &Limits::default()).expect("test definitions are valid")
}

fn evaluate_with(design_value: Value, definitions_value: Value, options: EngineOptions) -> EvaluationResponse {
    Engine::new(definitions(definitions_value), options).evaluate(design(design_value)).expect("evaluation succeeds")
}

fn evaluate(design_value: Value, definitions_value: Value) -> EvaluationResponse {
    evaluate_with(design_value, definitions_value, EngineOptions::default())
}

fn wire(actions: &[Action]) -> Vec<Value> {
    actions.iter().map(|a| serde_json::to_value(a).unwrap()).collect()
}

fn ops<'a>(response: &'a EvaluationResponse, op: &str) -> Vec<&'a Action> {
    response.actions.iter().filter(|a| a.op().as_str() == op).collect()
}

fn component<'a>(response: &'a EvaluationResponse, id: &str) -> &'a Value {
    &response.design.components.iter().find(|c| c.id() == id).expect("component present").0
}

fn uuid(n: u32) -> String {
    format!("00000000-0000-0000-0000-{n:012x}")
}

fn k8s(id: &str, kind: &str, display_name: &str, configuration: Value) -> Value {
    json!({"id": id, "component": {"kind": kind}, "displayName": display_name,
           "modelReference": {"name": "kubernetes"}, "configuration": configuration})
}

/// Meshery's inventory definition shape from its policy_inventory tests: any child names its
/// Namespace parent in `metadata.namespace`.
fn namespace_inventory() -> Value {
    json!([{
        "id": uuid(0x100), "kind": "hierarchical", "type": "parent", "subType": "inventory",
        "schemaVersion": "relationships.meshery.io/v1beta2", "model": {"name": "kubernetes"},
        "selectors": [{"allow": {
            "from": [{"kind": "*", "model": {"name": "*"},
                      "patch": {"mutatedRef": [["configuration", "metadata", "namespace"]]}}],
            "to": [{"kind": "Namespace", "model": {"name": "kubernetes"}, "patch": {"mutatorRef": [["displayName"]]}}]
        }}]
    }])
}

fn pods_in(namespaces: &[&str]) -> Value {
    let pods: Vec<Value> = namespaces
        .iter()
        .enumerate()
        .map(|(i, ns)| k8s(&uuid(i as u32 + 1), "Pod", &format!("pod-{i}"), json!({"metadata": {"namespace": ns}})))
        .collect();
    json!({"id": uuid(0xd0), "version": "0.0.1", "components": pods, "relationships": []})
}

fn added_namespaces(response: &EvaluationResponse) -> Vec<(String, String)> {
    ops(response, "add_component")
        .into_iter()
        .filter_map(|a| match a {
            Action::AddComponent { item } if item.kind() == "Namespace" => {
                Some((item.display_name().to_owned(), item.id().to_owned()))
            }
            _ => None,
        })
        .collect()
}

// Meshery proposes one parent per child (N Pods in a missing namespace → N Namespaces).
#[test]
fn inventory_adds_one_parent_per_distinct_missing_namespace() {
    let response = evaluate(pods_in(&["shop", "shop", "blog"]), namespace_inventory());
    let mut added: Vec<String> = added_namespaces(&response).into_iter().map(|(name, _)| name).collect();
    added.sort();
    assert_eq!(added, ["blog", "shop"]);
    let in_design = response.design.components.iter().filter(|c| c.kind() == "Namespace").count();
    assert_eq!(in_design, 2);
    // The pods then attach to their parents in the next pass.
    assert_eq!(ops(&response, "add_relationship").len(), 3);
}

// Meshery gives auto-added parents random v4 ids.
#[test]
fn inventory_parent_ids_derive_from_content() {
    let one = added_namespaces(&evaluate(pods_in(&["shop"]), namespace_inventory()));
    let many = added_namespaces(&evaluate(pods_in(&["shop", "shop", "blog"]), namespace_inventory()));
    let shop_id = &one[0].1;
    assert_eq!(many.iter().find(|(n, _)| n == "shop").map(|(_, id)| id), Some(shop_id));
    let blog_id = &many.iter().find(|(n, _)| n == "blog").unwrap().1;
    assert_ne!(shop_id, blog_id);
    assert_eq!(shop_id.as_bytes()[14], b'5', "a UUIDv5, not a random v4: {shop_id}");
}

/// A binding definition with two binding kinds. The from item for `BetaBinding` comes first in
/// the definition, so neither definition order nor design order gives `AlphaBinding` first.
fn two_kind_binding() -> Value {
    let from = |role: &str, binding: &str| {
        json!({"kind": role, "model": {"name": "kubernetes"}, "match": {
            "from": [{"kind": "self", "mutatorRef": [["displayName"]]}],
            "to": [{"kind": binding, "mutatedRef": [["configuration", "roleRef", "name"]]}]}})
    };
    let to = |binding: &str| {
        json!({"kind": "Account", "model": {"name": "kubernetes"}, "match": {
            "from": [{"kind": binding, "mutatedRef": [["configuration", "subject"]]}],
            "to": [{"kind": "self", "mutatorRef": [["displayName"]]}]}})
    };
    json!([{
        "id": uuid(0x200), "kind": "edge", "type": "binding", "subType": "permission",
        "schemaVersion": "relationships.meshery.io/v1beta2", "model": {"name": "kubernetes"},
        "selectors": [{"allow": {"from": [from("RoleB", "BetaBinding"), from("RoleA", "AlphaBinding")],
                                 "to": [to("BetaBinding"), to("AlphaBinding")]}}]
    }])
}

fn binding_items(relationship: &Relationship) -> (Value, Value) {
    let set = relationship.0.pointer("/selectors/0/allow").unwrap();
    (set["from"][0].clone(), set["to"][0].clone())
}

// Meshery walks binding kinds in Go map order, so the order of emitted bindings varies per run.
#[test]
fn binding_kinds_are_visited_in_sorted_order() {
    let design_value = json!({"id": uuid(0xd1), "components": [
        k8s(&uuid(1), "BetaBinding", "b1", json!({"roleRef": {"name": "rb"}, "subject": "acc"})),
        k8s(&uuid(2), "RoleB", "rb", json!({})),
        k8s(&uuid(3), "Account", "acc", json!({})),
        k8s(&uuid(4), "AlphaBinding", "a1", json!({"roleRef": {"name": "ra"}, "subject": "acc"})),
        k8s(&uuid(5), "RoleA", "ra", json!({})),
    ], "relationships": []});
    let response = evaluate(design_value, two_kind_binding());
    let bindings: Vec<String> = ops(&response, "add_relationship")
        .into_iter()
        .map(|a| match a {
            Action::AddRelationship { item } => {
                binding_items(item).0["match"]["to"][0]["id"].as_str().unwrap().to_owned()
            }
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(bindings, [uuid(4), uuid(1)], "AlphaBinding's relationship first, then BetaBinding's");
}

// Meshery writes the match ids through a pointer shared by every declaration built from the same
// definition item, so all of them show the last triple's ids (and the definition is changed).
#[test]
fn binding_declarations_keep_their_own_match_ids() {
    let design_value = json!({"id": uuid(0xd2), "components": [
        k8s(&uuid(1), "RoleA", "ra", json!({})),
        k8s(&uuid(2), "AlphaBinding", "a1", json!({"roleRef": {"name": "ra"}, "subject": "acc1"})),
        k8s(&uuid(3), "AlphaBinding", "a2", json!({"roleRef": {"name": "ra"}, "subject": "acc2"})),
        k8s(&uuid(4), "Account", "acc1", json!({})),
        k8s(&uuid(5), "Account", "acc2", json!({})),
    ], "relationships": []});
    let defs = definitions(two_kind_binding());
    let mut engine = Engine::new(defs.clone(), EngineOptions::default());
    let response = engine.evaluate(design(design_value)).unwrap();
    let triples: BTreeSet<(String, String, String, String)> = response
        .design
        .relationships
        .iter()
        .map(|r| {
            let (from, to) = binding_items(r);
            let id = |v: &Value| v.as_str().unwrap_or("").to_owned();
            assert_eq!(from["match"]["to"][0]["id"], to["match"]["from"][0]["id"], "one binding per declaration");
            (id(&from["id"]), id(&from["match"]["to"][0]["id"]), id(&to["match"]["to"][0]["id"]), id(&to["id"]))
        })
        .collect();
    let expected: BTreeSet<_> = [(1, 2, 4, 4), (1, 3, 5, 5)]
        .into_iter()
        .map(|(f, b, t, item)| (uuid(f), uuid(b), uuid(t), uuid(item)))
        .collect();
    assert_eq!(triples, expected);
    assert_eq!(engine.definitions(), defs.as_slice(), "the registered definition is not modified");
}

/// A wallet relationship that copies two fields of a Deployment into its PodTemplate.
fn two_field_wallet(status: &str) -> Value {
    json!({"id": uuid(0xd3), "version": "0.0.1", "components": [
        k8s(&uuid(1), "Deployment", "d", json!({"spec": {"replicas": 3, "template": {"spec": {"serviceAccountName": "sa"}}}})),
        k8s(&uuid(2), "PodTemplate", "p", json!({"spec": {"replicas": 1, "serviceAccountName": "old"}})),
    ], "relationships": [{
        "id": uuid(0x10), "kind": "hierarchical", "type": "parent", "subType": "wallet", "status": status,
        "schemaVersion": "relationships.meshery.io/v1beta2", "model": {"name": "kubernetes"},
        "selectors": [{"allow": {
            "from": [{"id": uuid(1), "kind": "Deployment", "patch": {"mutatorRef": [
                ["configuration", "spec", "template", "spec", "serviceAccountName"], ["configuration", "spec", "replicas"]]}}],
            "to": [{"id": uuid(2), "kind": "PodTemplate", "patch": {"mutatedRef": [
                ["configuration", "spec", "serviceAccountName"], ["configuration", "spec", "replicas"]]}}]
        }}]
    }]})
}

// Meshery de-duplicates the action list by (op, id), so the second patch of a component is lost
// from the list (the design itself is right).
#[test]
fn action_dedup_keeps_two_patches_of_one_component() {
    let response = evaluate(two_field_wallet("approved"), json!([]));
    let paths: Vec<Vec<String>> = ops(&response, "update_component_configuration")
        .into_iter()
        .map(|a| match a {
            Action::UpdateComponentConfiguration { id, path, .. } if id == &uuid(2) => path.clone(),
            _ => Vec::new(),
        })
        .collect();
    assert_eq!(paths.len(), 2, "both patches of the PodTemplate are reported: {paths:?}");
    assert_eq!(
        component(&response, &uuid(2))["configuration"]["spec"],
        json!({"replicas": 3, "serviceAccountName": "sa"})
    );
}

#[test]
fn action_dedup_drops_only_exact_repeats() {
    let set = |id: &str, status: &str| Action::set_status(id, status);
    let patch =
        |path: &str, value: Value| Action::update_component_at("c", vec!["configuration".into(), path.into()], value);
    let actions = vec![
        set("r", "approved"),
        patch("a", json!(1)),
        set("r", "approved"),
        patch("a", json!(1)),
        patch("b", json!(2)),
        set("r", "deleted"),
    ];
    let kept = deduplicate_actions(actions.clone());
    assert_eq!(kept, vec![actions[0].clone(), actions[1].clone(), actions[4].clone(), actions[5].clone()]);
}

// Meshery writes an `update_component` path such as `["displayName"]` under
// `configuration.displayName`; a client applying the same action writes the top-level field.
#[test]
fn update_component_writes_the_components_own_field() {
    let design_value = json!({"id": uuid(0xd4), "components": [
        k8s(&uuid(1), "Namespace", "ns", json!({"name": "prod"})),
        k8s(&uuid(2), "Deployment", "old-name", json!({"replicas": 1})),
    ], "relationships": [{
        "id": uuid(0x10), "kind": "hierarchical", "type": "parent", "subType": "wallet", "status": "approved",
        "model": {"name": "kubernetes"},
        "selectors": [{"allow": {
            "from": [{"id": uuid(1), "kind": "Namespace", "patch": {"mutatorRef": [["configuration", "name"]]}}],
            "to": [{"id": uuid(2), "kind": "Deployment", "patch": {"mutatedRef": [["displayName"]]}}]
        }}]
    }]});
    let response = evaluate(design_value, json!([]));
    assert!(matches!(
        ops(&response, "update_component")[..],
        [Action::UpdateComponent { path, .. }] if path == &["displayName".to_string()]
    ));
    let deployment = component(&response, &uuid(2));
    assert_eq!(deployment["displayName"], "prod");
    assert_eq!(deployment["configuration"], json!({"replicas": 1}));
}

fn alias(id: u32, alias_component: u32, parent: u32, field: &str) -> Value {
    json!({"id": uuid(id), "kind": "hierarchical", "type": "parent", "subType": "alias", "status": "approved",
           "selectors": [{"allow": {
               "from": [{"id": uuid(alias_component), "kind": "Container",
                         "patch": {"mutatorRef": [["configuration", field]], "mutatedRef": [["configuration", field]]}}],
               "to": [{"id": uuid(parent), "kind": "Container"}]}}]})
}

// Meshery's alias resolution recurses without a guard: a loop exhausts the stack (fatal in Go).
#[test]
fn alias_chain_cycle_is_a_typed_cycle_error() {
    let design_value = json!({"id": uuid(0xd5), "components": [
        k8s(&uuid(1), "Container", "a", json!({"x": 1, "y": 2})),
        k8s(&uuid(2), "Container", "b", json!({"x": 1, "y": 2})),
    ], "relationships": [alias(0x10, 1, 2, "x"), alias(0x11, 2, 1, "y")]});
    let error = resolve_aliases(&design(design_value.clone())).unwrap_err();
    assert_eq!(error.code, ErrorCode::Cycle);
    let loop_text = format!("{} → {} → {}", uuid(1), uuid(2), uuid(1));
    assert!(error.message.contains(&loop_text), "the error names the loop: {}", error.message);
    let error = Engine::new(Vec::new(), EngineOptions::default()).evaluate(design(design_value)).unwrap_err();
    assert_eq!(error.code, ErrorCode::Cycle);
}

/// A Service → Pod edge whose port may be a number on one side and a string on the other.
fn port_edge(schema_version: &str, matrix_key: Option<&str>) -> Value {
    let mut from = json!({"kind": "Service", "model": {"name": "kubernetes"},
                          "patch": {"mutatorRef": [["configuration", "spec", "port"]]}});
    if let Some(key) = matrix_key {
        from[key] = json!([["equal_as_strings"]]);
    }
    json!([{
        "id": uuid(0x300), "kind": "edge", "type": "non-binding", "subType": "network",
        "schemaVersion": schema_version, "model": {"name": "kubernetes"},
        "metadata": {"styles": {"source-label": "serves"}},
        "selectors": [{"allow": {"from": [from], "to": [{"kind": "Pod", "model": {"name": "kubernetes"},
                                  "patch": {"mutatedRef": [["configuration", "containerPort"]]}}]}}]
    }])
}

fn port_design() -> Value {
    json!({"id": uuid(0xd6), "components": [
        k8s(&uuid(1), "Service", "svc", json!({"spec": {"port": 8080}})),
        k8s(&uuid(2), "Pod", "pod", json!({"containerPort": "8080"})),
    ], "relationships": []})
}

// Meshery's browser build drops v1alpha3 definitions (its bridge is a stub there).
#[test]
fn v1alpha3_definitions_are_converted_and_used() {
    let converted = definitions(port_edge("relationships.meshery.io/v1alpha3", Some("match_strategy_matrix")));
    assert_eq!(converted[0].0.pointer("/metadata/styles/sourceLabel"), Some(&json!("serves")));
    assert_eq!(
        converted[0].0.pointer("/selectors/0/allow/from/0/matchStrategyMatrix"),
        Some(&json!([["equal_as_strings"]]))
    );
    let response =
        evaluate(port_design(), port_edge("relationships.meshery.io/v1alpha3", Some("match_strategy_matrix")));
    assert_eq!(ops(&response, "add_relationship").len(), 1, "8080 and \"8080\" match as strings");
}

// Meshery reads only `matchStrategyMatrix` from v1beta2 definitions; the snake-case key (which
// every shipped v1beta2 kubernetes definition still carries) is ignored and `equal` applies.
#[test]
fn both_match_strategy_matrix_spellings_are_honoured() {
    let v1beta2 = "relationships.meshery.io/v1beta2";
    for key in ["matchStrategyMatrix", "match_strategy_matrix"] {
        let response = evaluate(port_design(), port_edge(v1beta2, Some(key)));
        assert_eq!(ops(&response, "add_relationship").len(), 1, "{key} is honoured");
    }
    let response = evaluate(port_design(), port_edge(v1beta2, None));
    assert!(ops(&response, "add_relationship").is_empty(), "without a matrix, `equal` keeps 8080 and \"8080\" apart");
}

// Meshery's orchestration never sets schemaVersion or evaluationHash, and always sets a
// wall-clock timestamp.
#[test]
fn responses_always_carry_schema_version_and_evaluation_hash() {
    let response = evaluate(port_design(), json!([]));
    let value = serde_json::to_value(&response).unwrap();
    assert_eq!(value["schemaVersion"], "evaluation.meshery.io/v1beta1");
    let hash = value["evaluationHash"].as_str().unwrap();
    assert!(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()), "{hash}");
    assert_eq!(evaluate(port_design(), json!([])).evaluation_hash, hash, "the hash is a function of the input");
}

#[test]
fn timestamp_is_present_only_when_asked_for() {
    let plain = serde_json::to_value(evaluate(port_design(), json!([]))).unwrap();
    assert!(plain.get("timestamp").is_none());
    let options = EngineOptions { include_timestamp: true, ..EngineOptions::default() };
    let stamped = evaluate_with(port_design(), json!([]), options);
    assert!(stamped.timestamp.as_deref().is_some_and(|t| t.ends_with('Z')));
}

// Meshery replaces the design with the diff after every pass and evaluates that reduced design
// in the next pass, so what the next pass sees depends on the option.
#[test]
fn return_diff_only_projects_once_after_the_last_pass() {
    let full = evaluate(pods_in(&["shop", "shop"]), namespace_inventory());
    let options = EngineOptions { return_diff_only: true, ..EngineOptions::default() };
    let diff = evaluate_with(pods_in(&["shop", "shop"]), namespace_inventory(), options);
    assert_eq!(wire(&diff.actions), wire(&full.actions), "the passes see the whole design either way");
    assert_eq!(diff.trace, full.trace);
    // The relationships of the second pass (pods → the added Namespace) are in the diff.
    assert_eq!(diff.design.relationships.len(), 2);
    let projected: Vec<&str> =
        full.trace.components_added.iter().chain(&full.trace.components_updated).map(|c| c.id()).collect();
    assert_eq!(diff.design.components.iter().map(|c| c.id()).collect::<Vec<_>>(), projected);
}

// Meshery reports flapping as a MeshKit error `meshery-server-1378` with an empty response; we
// return our typed FLAPPING error and keep Meshery's code in its message.
#[test]
fn flapping_is_a_typed_error_carrying_mesherys_code() {
    let design_value = json!({"id": uuid(0xd7), "components": [], "relationships": []});
    let mut engine = Engine::new(Vec::new(), EngineOptions::default());
    let no_actions = relationship_evaluator::engine::actions_fingerprint(&[]);
    engine.flap_history_mut().preset(&uuid(0xd7), vec!["other".into(), no_actions, "other".into()]);
    let error = engine.evaluate(design(design_value)).unwrap_err();
    assert_eq!(error.code, ErrorCode::Flapping);
    assert!(error.message.contains("meshery-server-1378"), "{}", error.message);
}

/// An approved ConfigMap → Pod reference whose mutated path ends in an array wildcard.
fn volume_reference() -> Value {
    json!({"id": uuid(0xd8), "components": [
        k8s(&uuid(1), "ConfigMap", "cfg", json!({"name": "cfg"})),
        k8s(&uuid(2), "Pod", "pod", json!({"volumes": [{"configMap": {"name": "a"}}, {"configMap": {"name": "b"}}]})),
    ], "relationships": [{
        "id": uuid(0x10), "kind": "edge", "type": "non-binding", "subType": "reference", "status": "approved",
        "model": {"name": "kubernetes"},
        "selectors": [{"allow": {
            "from": [{"id": uuid(1), "kind": "ConfigMap", "patch": {"mutatorRef": [["configuration", "name"]]}}],
            "to": [{"id": uuid(2), "kind": "Pod",
                    "patch": {"mutatedRef": [["configuration", "volumes", "_", "configMap", "name"]]}}]
        }}]
    }]})
}

// Meshery's main line patches with the raw `_` path, which sjson cannot write: the update is
// emitted, never applied, and repeated on every pass (meshery/meshery#21415).
#[test]
fn wildcard_patch_paths_resolve_to_the_last_array_element() {
    let response = evaluate(volume_reference(), json!([]));
    let paths: Vec<&Vec<String>> = ops(&response, "update_component_configuration")
        .into_iter()
        .filter_map(|a| match a {
            Action::UpdateComponentConfiguration { path, .. } => Some(path),
            _ => None,
        })
        .collect();
    assert_eq!(paths, [&["configuration", "volumes", "1", "configMap", "name"].map(String::from).to_vec()]);
    assert_eq!(component(&response, &uuid(2))["configuration"]["volumes"][1]["configMap"]["name"], "cfg");
    let again = Engine::new(Vec::new(), EngineOptions::default()).evaluate(response.design.clone()).unwrap();
    assert!(ops(&again, "update_component_configuration").is_empty(), "the evaluation converged");
}

// Meshery's binding match-field patcher does not resolve `_` even in the in-flight fix.
#[test]
fn binding_match_field_patches_resolve_the_array_wildcard() {
    let path = format!("{FIXTURES}/patching/TestBindingIdentificationFullPipeline.json");
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut engine = Engine::new(definitions(fixture["input"]["relationships"].clone()), EngineOptions::default());
    let mut design_value = design(fixture["input"]["design"].clone());
    let outcome = engine.evaluate_pass(&mut design_value).unwrap();
    let subject_patch = outcome.actions.iter().find_map(|a| match a {
        Action::UpdateComponentConfiguration { path, value, .. } if path.contains(&"subjects".to_string()) => {
            Some((path.clone(), value.clone()))
        }
        _ => None,
    });
    assert_eq!(
        subject_patch,
        Some((
            vec!["configuration".into(), "spec".into(), "subjects".into(), "0".into(), "name".into()],
            json!("my-sa")
        ))
    );
    let binding = design_value.components.iter().find(|c| c.kind() == "RoleBinding").unwrap();
    assert_eq!(binding.0["configuration"]["spec"]["subjects"], json!([{"name": "my-sa"}]));
}

// Meshery's ConvertRelationships drops anything it cannot decode, silently.
#[test]
fn malformed_definition_is_a_typed_error_naming_its_index() {
    let error = parse_definitions(json!([{"kind": "edge"}, "not-a-relationship"]), &Limits::default()).unwrap_err();
    assert_eq!((error.code, error.path.as_str()), (ErrorCode::InvalidType, "/1"));
    let error = parse_definitions(json!([{"kind": "edge", "selectors": "nope"}]), &Limits::default()).unwrap_err();
    assert_eq!((error.code, error.path.as_str()), (ErrorCode::InvalidType, "/0/selectors"));
}

// Meshery's typed structs accept any ids (zero values, repeats).
#[test]
fn duplicate_component_ids_are_a_typed_error() {
    let value = json!({"components": [k8s(&uuid(1), "Pod", "a", json!({})), k8s(&uuid(1), "Pod", "b", json!({}))]});
    let error = Design::from_value(value, &Limits::default()).unwrap_err();
    assert_eq!((error.code, error.path.as_str()), (ErrorCode::DuplicateId, "/components/1/id"));
}

// Meshery decodes into typed structs and re-encodes: unknown fields are dropped and absent ones
// come back as zero values (`"styles": null`, …); empty trace lists are `null`.
#[test]
fn output_keeps_the_input_shape() {
    let mut input = port_design();
    input["x-custom"] = json!({"kept": true});
    input["components"][0]["position"] = json!({"x": 1, "y": 2});
    let response = evaluate(input.clone(), json!([]));
    let output = serde_json::to_value(&response).unwrap();
    assert_eq!(output["design"]["x-custom"], input["x-custom"]);
    assert_eq!(output["design"]["components"][0], input["components"][0]);
    assert_eq!(output["design"]["components"][1], input["components"][1]);
    assert_eq!(output["trace"]["componentsAdded"], json!([]));
}

fn sibling_group(members: &[u32]) -> Value {
    let items: Vec<Value> =
        members.iter().map(|m| json!({"id": uuid(*m), "kind": "Pod", "patch": {"mutatorRef": [["app"]]}})).collect();
    json!({"id": uuid(0x10), "kind": "edge", "type": "sibling", "subType": "matchLabels", "status": "approved",
           "selectors": [{"allow": {"from": items, "to": items}}]})
}

// Meshery's main line checks only the first from and first to item, so removing any member but
// the first leaves the group in place (DECISIONS §2 takes the multi-item variant).
#[test]
fn removing_any_member_deletes_a_sibling_group() {
    let pods: Vec<Value> =
        [1, 3].iter().map(|i| k8s(&uuid(*i), "Pod", "p", json!({"labels": {"app": "web"}}))).collect();
    let design_value = json!({"id": uuid(0xd9), "components": pods, "relationships": [sibling_group(&[1, 2, 3])]});
    let response = evaluate(design_value, json!([]));
    assert_eq!(ops(&response, "delete_relationship").len(), 1);
    assert!(response.design.relationships.is_empty());
}

// Meshery's main line patches only `(from[0], to[0])` of a selector set.
#[test]
fn every_from_to_pair_of_a_selector_is_patched() {
    let design_value = json!({"id": uuid(0xda), "components": [
        k8s(&uuid(1), "Deployment", "d1", json!({"sa": "one"})),
        k8s(&uuid(2), "Deployment", "d2", json!({"sa": "two"})),
        k8s(&uuid(3), "PodTemplate", "p1", json!({})),
        k8s(&uuid(4), "PodTemplate", "p2", json!({})),
    ], "relationships": [{
        "id": uuid(0x10), "kind": "hierarchical", "type": "parent", "subType": "wallet", "status": "approved",
        "selectors": [{"allow": {
            "from": [{"id": uuid(1), "kind": "Deployment", "patch": {"mutatorRef": [["configuration", "sa"]]}},
                     {"id": uuid(2), "kind": "Deployment", "patch": {"mutatorRef": [["configuration", "sa"]]}}],
            "to": [{"id": uuid(3), "kind": "PodTemplate", "patch": {"mutatedRef": [["configuration", "sa"]]}},
                   {"id": uuid(4), "kind": "PodTemplate", "patch": {"mutatedRef": [["configuration", "sa"]]}}]
        }}]
    }]});
    let response = evaluate(design_value, json!([]));
    assert_eq!(component(&response, &uuid(3))["configuration"]["sa"], "one");
    assert_eq!(component(&response, &uuid(4))["configuration"]["sa"], "two");
}

// Meshery removes with sjson `Delete` on the dot-joined path, so a label key containing dots
// (`app.kubernetes.io/name`) is split into segments and never removed.
#[test]
fn removing_a_dotted_label_key_removes_exactly_that_key() {
    let labels = json!({"app.kubernetes.io/name": "web", "tier": "api"});
    let design_value = json!({"id": uuid(0xdb), "components": [
        k8s(&uuid(1), "Service", "svc", json!({"selector": {"name": "web"}})),
        k8s(&uuid(2), "Pod", "pod", json!({"metadata": {"labels": labels}})),
    ], "relationships": [{
        "id": uuid(0x10), "kind": "edge", "type": "non-binding", "subType": "network", "status": "deleted",
        "selectors": [{"allow": {
            "from": [{"id": uuid(1), "kind": "Service", "patch": {"mutatorRef": [["configuration", "selector", "name"]]}}],
            "to": [{"id": uuid(2), "kind": "Pod",
                    "patch": {"mutatedRef": [["configuration", "metadata", "labels", "app.kubernetes.io/name"]]}}]
        }}]
    }]});
    let response = evaluate(design_value, json!([]));
    assert_eq!(ops(&response, "remove_component_configuration").len(), 1);
    assert_eq!(component(&response, &uuid(2))["configuration"]["metadata"]["labels"], json!({"tier": "api"}));
}

// Meshery decodes options leniently: unknown keys are ignored, so a misspelt option silently
// does nothing.
#[test]
fn unknown_options_are_rejected() {
    let error = EngineOptions::from_json(r#"{"returnDiffOnly": true, "retrunDiffOnly": true}"#).unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidOption);
    assert!(EngineOptions::from_json(r#"{"returnDiffOnly": true, "enableTrace": true}"#).unwrap().return_diff_only);
}

// Meshery has no limit on design size; we stop oversized input with a typed error naming the
// limit instead of truncating or exhausting memory.
#[test]
fn input_limits_are_typed_errors() {
    let limits = Limits { max_components: 1, ..Limits::default() };
    let error = Design::from_value(pods_in(&["a", "b"]), &limits).unwrap_err();
    assert_eq!(error.code, ErrorCode::LimitExceeded);
    assert!(error.message.contains("maxComponents"), "{}", error.message);
}

// DECISIONS §3 asks that parent chains be cycle-guarded. The engine never follows a parent chain;
// two parents that patch each other's field alternate, and the alternation is bounded by the pass
// limit and stopped by flap detection with a typed error (as in Meshery's newest engine), never a
// hang.
#[test]
fn mutual_parent_patches_end_in_a_typed_error() {
    let wallet = |id: u32, from: u32, to: u32| {
        json!({"id": uuid(id), "kind": "hierarchical", "type": "parent", "subType": "wallet", "status": "approved",
               "selectors": [{"allow": {
                   "from": [{"id": uuid(from), "kind": "Deployment", "patch": {"mutatorRef": [["configuration", "x"]]}}],
                   "to": [{"id": uuid(to), "kind": "Deployment", "patch": {"mutatedRef": [["configuration", "x"]]}}]}}]})
    };
    let design_value = json!({"id": uuid(0xdc), "components": [
        k8s(&uuid(1), "Deployment", "a", json!({"x": 1})),
        k8s(&uuid(2), "Deployment", "b", json!({"x": 2})),
    ], "relationships": [wallet(0x10, 1, 2), wallet(0x11, 2, 1)]});
    let error = Engine::new(Vec::new(), EngineOptions::default()).evaluate(design(design_value)).unwrap_err();
    assert_eq!(error.code, ErrorCode::Flapping);
}

// Meshery's main line decides "already exists" on the first from and first to item only, so a
// sibling group that gains a member (same first member) is never declared (DECISIONS §2 takes
// the multi-item variant, which compares whole item lists).
#[test]
fn a_sibling_group_that_gains_a_member_is_declared_anew() {
    let labels = json!({"labels": {"app": "web"}});
    let mut existing = sibling_group(&[1, 2]);
    existing["subType"] = json!("matchLabels");
    let design_value = json!({"id": uuid(0xdd), "components": [
        k8s(&uuid(1), "Pod", "p1", labels.clone()),
        k8s(&uuid(2), "Pod", "p2", labels.clone()),
        k8s(&uuid(3), "Pod", "p3", labels),
    ], "relationships": [existing]});
    let pod = json!({"kind": "Pod", "match": {"refs": [["configuration", "labels"]]}});
    let definition = json!([{"id": uuid(0x400), "kind": "edge", "type": "sibling", "subType": "matchLabels",
                             "model": {"name": "kubernetes"}, "selectors": [{"allow": {"from": [pod.clone()], "to": [pod]}}]}]);
    let response = evaluate(design_value, definition);
    let added: Vec<usize> = ops(&response, "add_relationship")
        .into_iter()
        .map(|a| match a {
            Action::AddRelationship { item } => {
                item.0.pointer("/selectors/0/allow/from").and_then(Value::as_array).map_or(0, Vec::len)
            }
            _ => 0,
        })
        .collect();
    assert_eq!(added, [3], "the three-member group is declared next to the two-member one");
    assert_eq!(response.design.relationships.len(), 2);
}
