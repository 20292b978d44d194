//! Meshery's sample designs (shared fixtures) evaluated against the real kubernetes definitions.

mod fixture_helpers;

use fixture_helpers::*;
use relationship_evaluator::model::{Design, Relationship, Status};
use relationship_evaluator::{evaluate_json, EvaluationResponse, Limits};
use serde_json::Value;
use std::collections::BTreeSet;

const EDGE_FIREWALL: &str = "designs/edge-firewall-relationship.design.yaml";
const VALID_DESIGN: &str = "designs/valid_design.yaml";
const LEGACY_PATTERN: &str = "designs/kubernetes_basic.legacy-pattern.yaml";

// Component ids of the edge-firewall design.
const NAMESPACE_DEFAULT: &str = "6366cd62-f4ed-4c83-97f0-95b25d6d5be6";
const POD_DATABASE: &str = "c024b55d-ca23-45c9-a9aa-b5c754c300fa";
const POD_FRONTEND: &str = "09cf7c20-b5e3-4218-9cfe-025b5253f2f8";
const POLICY_WY: &str = "8f39eefc-9bd3-4cbe-ac27-e90f18d7f82b";
const POLICY_YN: &str = "78ef7c98-840f-4ecc-b693-594122f38aab";
const CONTAINER_KCW: &str = "d8a3806e-488b-4527-b451-47272230bb35";
const CONTAINER_YEE: &str = "00a15419-566b-4a55-be3a-58dc20a83949";
/// A component the design's relationships name but the design does not hold.
const MISSING_COMPONENT: &str = "5caf89b4-7888-43dd-92f7-d806b4de4f93";

/// Every design file of the fixtures that declares itself a v1beta1 design, as JSON.
fn v1beta1_designs() -> Vec<(String, Value)> {
    let directory = fixture_path("designs");
    let mut names: Vec<String> = std::fs::read_dir(&directory)
        .expect("designs directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let value = read_yaml(&format!("designs/{name}"));
            (name, value)
        })
        .filter(|(_, value)| value["schemaVersion"] == "designs.meshery.io/v1beta1")
        .collect()
}

fn relationship_ids(design: &Design) -> BTreeSet<String> {
    design.relationships.iter().map(|r| r.id().to_owned()).collect()
}

fn input_relationships_with_status(input: &Value, status: &str) -> BTreeSet<String> {
    input["relationships"]
        .as_array()
        .expect("relationships")
        .iter()
        .filter(|r| r["status"] == status)
        .map(|r| r["id"].as_str().expect("id").to_owned())
        .collect()
}

#[test]
fn every_v1beta1_sample_design_evaluates_deterministically_and_settles() {
    let designs = v1beta1_designs();
    let names: Vec<&str> = designs.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"edge-firewall-relationship.design.yaml") && names.contains(&"valid_design.yaml"));
    let definitions_text = Value::Array(raw_kubernetes_definitions()).to_string();
    for (name, design) in designs {
        let text = design.to_string();
        let first = evaluate_json(&text, &definitions_text, "").unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let second = evaluate_json(&text, &definitions_text, "").unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(first, second, "{name}: two evaluations differ");

        let response = evaluate(design.clone(), &kubernetes_definitions());
        assert!(
            response.design.relationships.iter().all(|r| r.status() != Status::DELETED),
            "{name}: a deleted relationship is left in the result"
        );
        let again = evaluate(design_of(&response), &kubernetes_definitions());
        let structural: Vec<&str> =
            ops(&again).into_iter().filter(|op| op.starts_with("add_") || op.starts_with("delete_")).collect();
        assert!(structural.is_empty(), "{name}: re-evaluating the result still adds or deletes: {structural:?}");
        assert_eq!(relationship_ids(&again.design), relationship_ids(&response.design), "{name}");
    }
}

fn edge_firewall() -> (Value, EvaluationResponse) {
    let input = read_yaml(EDGE_FIREWALL);
    let response = evaluate(input.clone(), &kubernetes_definitions());
    (input, response)
}

#[test]
fn edge_firewall_pods_and_policies_end_up_inside_the_namespace_they_name() {
    let (input, response) = edge_firewall();
    let components = input["components"].as_array().expect("components");
    let named_namespace = |id: &str| {
        components.iter().find(|c| c["id"] == id).expect("component")["configuration"]["metadata"]["namespace"].clone()
    };
    for child in [POD_DATABASE, POD_FRONTEND, POLICY_WY, POLICY_YN] {
        assert_eq!(named_namespace(child), "default", "the fixture names the Namespace");
    }
    assert_eq!(component_by_id(&response.design, NAMESPACE_DEFAULT).expect("namespace").display_name(), "default");

    let children: BTreeSet<String> = live_of(&response.design, "hierarchical", "parent", "inventory")
        .into_iter()
        .map(endpoints)
        .filter(|(_, parent)| parent == NAMESPACE_DEFAULT)
        .map(|(child, _)| child)
        .collect();
    let expected: BTreeSet<String> =
        [POD_DATABASE, POD_FRONTEND, POLICY_WY, POLICY_YN].iter().map(|s| s.to_string()).collect();
    assert_eq!(children, expected, "exactly the components that name `default` are its children");
}

#[test]
fn edge_firewall_deleted_relationships_are_removed_and_traced() {
    let (input, response) = edge_firewall();
    let deleted = input_relationships_with_status(&input, "deleted");
    assert_eq!(deleted.len(), 3);
    let remaining = relationship_ids(&response.design);
    assert!(deleted.is_disjoint(&remaining), "deleted relationships left: {:?}", deleted.intersection(&remaining));
    let traced: BTreeSet<String> = response.trace.relationships_removed.iter().map(|r| r.id().to_owned()).collect();
    assert_eq!(traced, deleted);
    let delete_actions: BTreeSet<&str> =
        response.actions.iter().filter(|a| a.op().as_str() == "delete_relationship").map(|a| a.target_id()).collect();
    assert_eq!(delete_actions, deleted.iter().map(String::as_str).collect());
}

#[test]
fn edge_firewall_relationships_to_a_missing_component_are_invalidated() {
    // Two of the deleted relationships name a component the design does not hold; validation
    // (spec §4.2 Phase 1) marks them deleted again before the cleanup removes them.
    let (input, response) = edge_firewall();
    let dangling: BTreeSet<String> = input["relationships"]
        .as_array()
        .expect("relationships")
        .iter()
        .filter(|r| r.to_string().contains(MISSING_COMPONENT))
        .map(|r| r["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(dangling.len(), 2);
    let invalidated: BTreeSet<String> = response
        .actions
        .iter()
        .filter_map(|a| {
            let wire = a.wire_value();
            (a.op().as_str() == "update_relationship" && wire["value"] == Status::DELETED)
                .then(|| a.target_id().to_owned())
        })
        .collect();
    assert_eq!(invalidated, dangling);
}

#[test]
fn edge_firewall_keeps_its_approved_relationships_and_components() {
    let (input, response) = edge_firewall();
    let approved = input_relationships_with_status(&input, "approved");
    assert_eq!(approved.len(), 6);
    for id in &approved {
        let kept = response.design.relationships.iter().find(|r| r.id() == id);
        assert_eq!(kept.map(|r| r.status()), Some(Status::APPROVED), "{id}");
    }
    let input_ids: BTreeSet<&str> =
        input["components"].as_array().expect("components").iter().map(|c| c["id"].as_str().expect("id")).collect();
    let output_ids: BTreeSet<&str> = response.design.components.iter().map(|c| c.id()).collect();
    assert_eq!(output_ids, input_ids, "the Namespace exists, so nothing is added; nothing is deleted");
}

#[test]
fn edge_firewall_containers_stay_aliases_of_their_pods() {
    let (_, response) = edge_firewall();
    let aliases = response.design.resolved_aliases().expect("resolvedAliases in the metadata");
    for (container, pod) in [(CONTAINER_KCW, POD_FRONTEND), (CONTAINER_YEE, POD_DATABASE)] {
        let alias = &aliases[container];
        assert_eq!(alias["resolved_parent_id"], pod, "{container}");
        assert_eq!(
            alias["resolved_ref_field_path"],
            serde_json::json!(["configuration", "spec", "containers", "0"]),
            "{container}"
        );
    }
    let inventory_children: BTreeSet<String> =
        live_of(&response.design, "hierarchical", "parent", "inventory").into_iter().map(|r| endpoints(r).0).collect();
    assert!(
        !inventory_children.contains(CONTAINER_KCW) && !inventory_children.contains(CONTAINER_YEE),
        "a Container (which names no namespace) is no inventory child"
    );
}

#[test]
fn removing_a_stale_deleted_relationship_keeps_the_namespace_a_live_one_still_sets() {
    // The input holds two relationships with the same content between the frontend Pod and
    // the Namespace: c7b2a37e… (approved) and 14804163… (deleted). Cleaning up the deleted one
    // runs its reverse patch (§8.3): the Pod's namespace equals the Namespace's name, so
    // `remove_component_configuration` drops `configuration.metadata.namespace`, although the
    // approved relationship still implies it. The next evaluation writes it back
    // (`update_component_configuration`), so the result is not a fixed point.
    let (_, response) = edge_firewall();
    let frontend = component_by_id(&response.design, POD_FRONTEND).expect("frontend Pod");
    assert_eq!(frontend.0["configuration"]["metadata"]["namespace"], "default");
    let again = evaluate(design_of(&response), &kubernetes_definitions());
    assert!(again.actions.is_empty(), "re-evaluation still changes the design: {:?}", ops(&again));
}

#[test]
fn valid_design_configmap_is_inside_the_default_namespace() {
    let input = read_yaml(VALID_DESIGN);
    let response = evaluate(input.clone(), &kubernetes_definitions());
    const CONFIG_MAP: &str = "3a7cbdf2-110b-4334-b3e3-a91ec4319bb7";
    const NAMESPACE: &str = "96821383-4f6c-4016-b4b6-438289274501";
    let pairs: BTreeSet<(String, String)> =
        live_of(&response.design, "hierarchical", "parent", "inventory").into_iter().map(endpoints).collect();
    assert_eq!(pairs, BTreeSet::from([(CONFIG_MAP.to_owned(), NAMESPACE.to_owned())]));
    let existing = input["relationships"][0]["id"].as_str().expect("id");
    assert!(relationship_ids(&response.design).contains(existing), "the approved relationship is kept");
    assert_eq!(response.design.components.len(), 2, "the Namespace exists, so none is added");
}

#[test]
fn the_legacy_pattern_file_evaluates_as_an_empty_design_that_keeps_its_services() {
    // A pre-v1beta1 pattern has `services` instead of `components`. The decoder does not reject
    // it: `components` and `relationships` are absent (read as empty), and `services` is an
    // unknown top-level field, which is carried through untouched (DECISIONS §5). So the
    // documented result is an empty evaluation, not an error and not a panic.
    let input = read_yaml(LEGACY_PATTERN);
    assert!(input.get("components").is_none() && input["services"].is_object());
    let design = Design::from_value(input.clone(), &Limits::default()).expect("decodes as a design");
    assert!(design.components.is_empty() && design.relationships.is_empty());
    let response = evaluate(input.clone(), &kubernetes_definitions());
    assert!(response.actions.is_empty());
    assert!(response.design.components.is_empty() && response.design.relationships.is_empty());
    assert_eq!(response.design.to_value()["services"], input["services"]);

    let text = evaluate_json(&input.to_string(), &Value::Array(raw_kubernetes_definitions()).to_string(), "")
        .expect("evaluates through the JSON entry point too");
    assert!(text.contains("\"services\""));
}

#[test]
fn a_legacy_pattern_with_a_malformed_services_entry_where_components_belong_is_a_typed_error() {
    // The typed-error side of the same input family: a legacy `services` map put where the
    // v1beta1 component list belongs is reported, with the path of the bad field.
    let mut input = read_yaml(LEGACY_PATTERN);
    input["components"] = input["services"].clone();
    let error = Design::from_value(input, &Limits::default()).expect_err("components must be an array");
    assert_eq!(error.code, relationship_evaluator::ErrorCode::InvalidType);
    assert_eq!(error.path, "/components");
}

#[test]
fn a_deleted_relationship_does_not_strip_a_field_its_live_twin_still_sets() {
    // The smallest form of the previous test: no definitions at all, a Pod in Namespace `shop`,
    // and two relationships with the same selectors (the Namespace's name patches the Pod's
    // namespace), one approved and one deleted.
    let relationship = |id: &str, status: &str| {
        serde_json::json!({
            "id": id, "kind": "hierarchical", "type": "parent", "subType": "inventory", "status": status,
            "selectors": [{ "allow": {
                "from": [{ "id": "pod", "kind": "Pod",
                           "patch": { "mutatedRef": [["configuration", "metadata", "namespace"]] } }],
                "to": [{ "id": "ns", "kind": "Namespace", "patch": { "mutatorRef": [["displayName"]] } }],
            } }],
        })
    };
    let mut design = design_with(vec![
        component("ns", "Namespace", "shop", serde_json::json!({})),
        component("pod", "Pod", "pod", serde_json::json!({ "metadata": { "namespace": "shop" } })),
    ]);
    design["relationships"] = serde_json::json!([relationship("live", "approved"), relationship("stale", "deleted")]);
    let response = evaluate(design, &[]);
    assert_eq!(relationship_ids(&response.design), BTreeSet::from(["live".to_owned()]));
    let pod = component_by_id(&response.design, "pod").expect("pod");
    assert_eq!(pod.0["configuration"]["metadata"]["namespace"], "shop", "actions: {:?}", ops(&response));
}

/// The edge-firewall design, loaded into a stateful evaluator over the real definitions.
fn loaded_edge_firewall() -> (relationship_evaluator::Evaluator, relationship_evaluator::Delta) {
    let mut evaluator = relationship_evaluator::Evaluator::new(
        kubernetes_definitions(),
        relationship_evaluator::EngineOptions::default(),
    );
    let delta = evaluator.load_design(design(read_yaml(EDGE_FIREWALL))).expect("loads");
    (evaluator, delta)
}

fn duplicate_groups(delta: &relationship_evaluator::Delta) -> Vec<&relationship_evaluator::evaluator::Diagnostic> {
    delta.diagnostics.iter().filter(|d| d.code == "DUPLICATE_RELATIONSHIP").collect()
}

// Issue 13: the design declares each inventory relationship with `mutatedRef` (an older
// definition); the current one identifies it again with `mutatorRef`. Meshery keeps both, and
// the load says so, once per pair, with both ids.
#[test]
fn edge_firewall_equivalent_inventory_relationships_are_reported_once_per_pair() {
    let (evaluator, delta) = loaded_edge_firewall();
    let groups = duplicate_groups(&delta);
    let design = evaluator.design();
    let mut children: Vec<String> = groups
        .iter()
        .map(|group| {
            assert_eq!(group.ids.len(), 2, "{group:?}");
            let members: Vec<&Relationship> = group
                .ids
                .iter()
                .map(|id| design.relationships.iter().find(|r| r.id() == id).expect("member"))
                .collect();
            for member in &members {
                assert_eq!(
                    (member.kind(), member.rel_type(), member.sub_type()),
                    ("hierarchical", "parent", "inventory")
                );
            }
            let (from, to) = endpoints(members[0]);
            assert_eq!(endpoints(members[1]), (from.clone(), to.clone()));
            assert_eq!(to, NAMESPACE_DEFAULT);
            assert!(group.message.contains("older version of the definition"), "{}", group.message);
            let second = design.relationships.iter().position(|r| r.id() == group.ids[1]).expect("position");
            assert_eq!(group.path, format!("/relationships/{second}"));
            from
        })
        .collect();
    children.sort();
    let mut expected = vec![POD_DATABASE, POD_FRONTEND, POLICY_WY, POLICY_YN];
    expected.sort();
    assert_eq!(children, expected);
}

// An edit batch reports the groups it forms, not the ones it left alone; removing a member ends it.
#[test]
fn an_edit_that_declares_an_equivalent_relationship_is_told_so_and_a_removal_ends_the_group() {
    use relationship_evaluator::Edit;
    let (mut evaluator, _) = loaded_edge_firewall();
    let alias = evaluator
        .design()
        .relationships
        .iter()
        .find(|r| r.sub_type() == "alias" && r.status() == Status::APPROVED)
        .expect("an alias relationship")
        .clone();
    let unrelated =
        evaluator.apply_edits(&[Edit::RenameComponent { id: POD_DATABASE.into(), display_name: "db".into() }]);
    assert!(
        duplicate_groups(&unrelated.expect("rename")).is_empty(),
        "groups the batch did not touch are not reported again"
    );
    let mut copy = (*alias.0).clone();
    copy["id"] = Value::String("0b0b0b0b-0000-4000-8000-000000000001".into());
    let added = evaluator.apply_edits(&[Edit::AddRelationship { relationship: copy }]).expect("add");
    let groups = duplicate_groups(&added);
    assert_eq!(groups.len(), 1, "{:?}", added.diagnostics);
    assert!(
        groups[0].ids.contains(&alias.id().to_owned())
            && groups[0].ids.contains(&"0b0b0b0b-0000-4000-8000-000000000001".to_owned())
    );
    assert!(groups[0].message.contains("same relationship under different ids"), "{}", groups[0].message);
    let removed =
        evaluator.apply_edits(&[Edit::RemoveRelationship { id: "0b0b0b0b-0000-4000-8000-000000000001".into() }]);
    assert!(duplicate_groups(&removed.expect("remove")).is_empty());
}
