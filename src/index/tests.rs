//! The index answers every lookup a policy makes as a scan of the design would: by id, kind
//! pattern (`matchName`: `*`, substring, regex, spec §6.1), exact kind, model, relationship
//! endpoints and named components, alias parents and unsettled relationships — and stays equal
//! to a rebuild when the stateful evaluator changes the design under it.

use super::DesignIndex;
use crate::limits::Limits;
use crate::model::{Design, Relationship};
use crate::policy::test_designs::{component, in_model};
use serde_json::{json, Value};

/// Positions 0–5: Pod `pod`, PodTemplate `tmpl`, Service `svc`, ClusterRole `cr`, Role `role`,
/// and `ext`, a Pod of model `acme`.
fn components() -> Vec<Value> {
    vec![
        component("pod", "Pod", json!({})),
        component("tmpl", "PodTemplate", json!({})),
        component("svc", "Service", json!({})),
        component("cr", "ClusterRole", json!({})),
        component("role", "Role", json!({})),
        in_model(component("ext", "Pod", json!({})), "acme"),
    ]
}

/// A relationship with one selector set per `(from ids, to ids)` pair.
fn relationship(
    id: &str,
    kind: &str,
    rel_type: &str,
    sub_type: &str,
    status: &str,
    sets: &[(&[&str], &[&str])],
) -> Value {
    let items = |ids: &[&str]| ids.iter().map(|id| json!({ "id": id, "kind": "Pod" })).collect::<Vec<_>>();
    let selectors: Vec<Value> =
        sets.iter().map(|(from, to)| json!({ "allow": { "from": items(from), "to": items(to) } })).collect();
    json!({ "id": id, "kind": kind, "type": rel_type, "subType": sub_type, "status": status, "selectors": selectors })
}

fn edge(id: &str, status: &str, from: &str, to: &str) -> Value {
    relationship(id, "edge", "non-binding", "network", status, &[(&[from], &[to])])
}

fn design(components: Vec<Value>, relationships: Vec<Value>) -> Design {
    Design::from_value(
        json!({ "id": "d", "components": components, "relationships": relationships }),
        &Limits::default(),
    )
    .expect("design decodes")
}

/// Ids at `positions` of the design, for readable assertions.
fn ids(design: &Design, positions: &[usize]) -> Vec<String> {
    positions.iter().map(|&p| design.components[p].id().to_owned()).collect()
}

fn relationship_ids(design: &Design, positions: &[usize]) -> Vec<String> {
    positions.iter().map(|&p| design.relationships[p].id().to_owned()).collect()
}

#[test]
fn components_and_relationships_are_found_by_id() {
    let design = design(components(), vec![edge("r1", "approved", "svc", "pod")]);
    let index = DesignIndex::build(&design);
    assert_eq!(index.component("svc"), Some(2));
    assert!(index.has_component("ext"));
    assert_eq!(index.component("missing"), None);
    assert!(!index.has_component("missing"));
    assert_eq!(index.relationship("r1"), Some(0));
    assert_eq!(index.relationship("missing"), None);
    assert_eq!(index.component_count(), 6);
}

/// `components_matching_kind(pattern)`: the components whose kind `matchName` accepts, in design
/// order, whatever the order of the kinds' buckets.
#[test]
fn kind_patterns_match_as_match_name_does() {
    let design = design(components(), vec![]);
    let index = DesignIndex::build(&design);
    let table: &[(&str, &[&str])] = &[
        ("Pod", &["pod", "tmpl", "ext"]), // substring: PodTemplate contains Pod
        ("Template", &["tmpl"]),          // anywhere in the name
        ("Role", &["cr", "role"]),        // ClusterRole contains Role
        ("ClusterRole", &["cr"]),         // not the reverse
        ("*", &["pod", "tmpl", "svc", "cr", "role", "ext"]), // the wildcard
        ("", &["pod", "tmpl", "svc", "cr", "role", "ext"]), // the empty pattern is a substring of all
        ("^Pod$", &["pod", "ext"]),       // a regex (it has metacharacters), anchored here
        ("Pod|Service", &["pod", "tmpl", "svc", "ext"]), // unanchored alternation
        ("^(Cluster)?Role$", &["cr", "role"]),
        ("Pod(", &[]), // an invalid regex matches nothing
        ("Deployment", &[]),
        ("pod", &[]), // case-sensitive
    ];
    for (pattern, expected) in table {
        assert_eq!(ids(&design, &index.components_matching_kind(pattern)), *expected, "pattern {pattern:?}");
        // The memoised answer is the same.
        assert_eq!(ids(&design, &index.components_matching_kind(pattern)), *expected, "pattern {pattern:?} again");
    }
}

#[test]
fn exact_kinds_and_models_are_looked_up_as_written() {
    let design = design(components(), vec![]);
    let index = DesignIndex::build(&design);
    assert_eq!(ids(&design, index.components_of_exact_kind("Pod")), ["pod", "ext"]);
    assert_eq!(ids(&design, index.components_of_exact_kind("Role")), ["role"]);
    assert!(index.components_of_exact_kind("Po").is_empty());
    assert_eq!(ids(&design, index.components_of_model("kubernetes")), ["pod", "tmpl", "svc", "cr", "role"]);
    assert_eq!(ids(&design, index.components_of_model("acme")), ["ext"]);
}

/// The model a component matches on is `modelReference.name`, else `model.name` (spec §2.2);
/// the design's models are listed in first-seen order, without empty names.
#[test]
fn models_are_listed_in_first_seen_order() {
    let only_model = json!({ "id": "m", "component": { "kind": "Pod" }, "model": { "name": "istio" } });
    let no_model = json!({ "id": "n", "component": { "kind": "Pod" } });
    let design = design(
        vec![
            in_model(component("a", "Pod", json!({})), "acme"),
            no_model,
            only_model,
            component("k", "Pod", json!({})),
        ],
        vec![],
    );
    let index = DesignIndex::build(&design);
    assert_eq!(index.models_in_design(), ["acme", "istio", "kubernetes"]);
    assert_eq!(ids(&design, index.components_of_model("istio")), ["m"]);
}

/// "Already exists" asks for the relationships whose selector sets' first from and to items
/// name two components: each set counts, other items do not.
#[test]
fn relationships_are_found_by_their_first_from_and_to_items() {
    let two_sets = relationship(
        "two-sets",
        "edge",
        "non-binding",
        "network",
        "approved",
        &[(&["svc"], &["pod"]), (&["svc"], &["tmpl"])],
    );
    let group = relationship("group", "edge", "sibling", "", "approved", &[(&["pod", "ext"], &["pod", "ext"])]);
    let no_ids = json!({ "id": "no-ids", "kind": "edge", "type": "non-binding",
        "selectors": [{ "allow": { "from": [{ "kind": "Pod" }], "to": [{ "kind": "Pod" }] } }] });
    let design = design(
        components(),
        vec![edge("r1", "approved", "svc", "pod"), two_sets, group, edge("r2", "deleted", "svc", "pod"), no_ids],
    );
    let index = DesignIndex::build(&design);
    assert_eq!(relationship_ids(&design, index.relationships_between("svc", "pod")), ["r1", "two-sets", "r2"]);
    assert_eq!(relationship_ids(&design, index.relationships_between("svc", "tmpl")), ["two-sets"]);
    assert_eq!(relationship_ids(&design, index.relationships_between("pod", "pod")), ["group"]);
    assert!(index.relationships_between("pod", "svc").is_empty(), "direction matters");
    assert!(index.relationships_between("ext", "ext").is_empty(), "only first items");
}

/// A component's relationships: every allow item and every `match` item naming it (a binding's
/// binding component appears only in `match`).
#[test]
fn relationships_are_found_by_every_component_they_name() {
    let role_side =
        json!({ "from": [{ "kind": "self", "id": "role" }], "to": [{ "kind": "RoleBinding", "id": "svc" }] });
    let account_side =
        json!({ "from": [{ "kind": "RoleBinding", "id": "svc" }], "to": [{ "kind": "self", "id": "pod" }] });
    let binding = json!({
        "id": "binding", "kind": "edge", "type": "binding", "subType": "permission", "status": "approved",
        "selectors": [{ "allow": {
            "from": [{ "id": "role", "kind": "Role", "match": role_side }],
            "to": [{ "id": "pod", "kind": "Pod", "match": account_side }],
        } }] });
    let group = relationship("group", "edge", "sibling", "", "approved", &[(&["pod", "ext"], &["pod", "ext"])]);
    let design = design(components(), vec![binding, group]);
    let index = DesignIndex::build(&design);
    assert_eq!(relationship_ids(&design, index.relationships_of_component("svc")), ["binding"]);
    assert_eq!(relationship_ids(&design, index.relationships_of_component("pod")), ["binding", "group"]);
    assert_eq!(relationship_ids(&design, index.relationships_of_component("ext")), ["group"]);
    assert!(index.relationships_of_component("tmpl").is_empty());
}

/// An alias component reads its configuration through the parent `metadata.resolvedAliases`
/// names, when that parent is in the design (spec §6.4).
#[test]
fn alias_parents_come_from_resolved_aliases() {
    let mut value = json!({ "id": "d", "components": components(), "relationships": [] });
    value["metadata"] = json!({ "resolvedAliases": {
        "tmpl": {
            "resolved_parent_id": "pod",
            "resolved_ref_field_path": ["configuration", "spec", "containers", "0"],
        },
        "svc": { "resolved_parent_id": "gone", "resolved_ref_field_path": ["configuration"] },
    } });
    let design = Design::from_value(value, &Limits::default()).expect("design decodes");
    let index = DesignIndex::build(&design);
    let path: Vec<String> = ["configuration", "spec", "containers", "0"].map(String::from).to_vec();
    assert_eq!(index.alias_parent("tmpl"), Some(&(0, path)));
    assert_eq!(index.alias_parent("svc"), None, "a parent missing from the design resolves nothing");
    assert_eq!(index.alias_parent("pod"), None);
    assert_eq!(index.aliases_reading_through(0), ["tmpl"]);
}

/// The work a pass left: the first `approvable` identified relationships and every deleted one,
/// of the classes a policy implicates, in design order.
#[test]
fn unsettled_relationships_are_listed_by_class() {
    let design = design(
        components(),
        vec![
            edge("n1", "identified", "svc", "pod"),
            relationship("w1", "hierarchical", "parent", "wallet", "identified", &[(&["tmpl"], &["pod"])]),
            edge("n2", "approved", "svc", "tmpl"),
            edge("n3", "deleted", "svc", "ext"),
            edge("n4", "identified", "svc", "ext"),
            edge("n5", "identified", "pod", "ext"),
        ],
    );
    let index = DesignIndex::build(&design);
    let network = |r: &Relationship| r.is("edge", "non-binding", None);
    let (identified, deleted) = index.unsettled_of(network, 2);
    assert_eq!(relationship_ids(&design, &identified), ["n1", "n4"]);
    assert_eq!(relationship_ids(&design, &deleted), ["n3"]);
    let (identified, _) = index.unsettled_of(|r: &Relationship| r.is("hierarchical", "parent", Some("wallet")), 100);
    assert_eq!(relationship_ids(&design, &identified), ["w1"]);
}

/// Every answer of `index` equals the one a fresh index of `design` gives.
fn assert_same_as_rebuilt(index: &DesignIndex, design: &Design, step: &str) {
    let fresh = DesignIndex::build(design);
    for c in &design.components {
        assert_eq!(index.component(c.id()), fresh.component(c.id()), "{step}: component {}", c.id());
    }
    assert_eq!(index.component_count(), fresh.component_count(), "{step}: count");
    for pattern in ["Pod", "Role", "*", "^Pod$", "Service", "Deployment"] {
        assert_eq!(
            *index.components_matching_kind(pattern),
            *fresh.components_matching_kind(pattern),
            "{step}: {pattern}"
        );
    }
    for kind in ["Pod", "Service", "Deployment"] {
        assert_eq!(index.components_of_exact_kind(kind), fresh.components_of_exact_kind(kind), "{step}: kind {kind}");
    }
    for model in ["kubernetes", "acme"] {
        assert_eq!(index.components_of_model(model), fresh.components_of_model(model), "{step}: model {model}");
    }
    for r in &design.relationships {
        assert_eq!(index.relationship(r.id()), fresh.relationship(r.id()), "{step}: relationship {}", r.id());
    }
    for (from, to) in [("svc", "pod"), ("svc", "tmpl"), ("pod", "svc")] {
        assert_eq!(
            index.relationships_between(from, to),
            fresh.relationships_between(from, to),
            "{step}: {from}->{to}"
        );
    }
    for c in ["pod", "svc", "tmpl", "web"] {
        assert_eq!(index.relationships_of_component(c), fresh.relationships_of_component(c), "{step}: of {c}");
    }
    let all = |_: &Relationship| true;
    assert_eq!(index.unsettled_of(all, 100), fresh.unsettled_of(all, 100), "{step}: unsettled");
}

/// The stateful evaluator keeps one index and changes it with each edit; after every change it
/// must answer as a rebuilt one.
#[test]
fn incremental_changes_leave_the_index_equal_to_a_rebuild() {
    let mut design =
        design(components(), vec![edge("r1", "identified", "svc", "pod"), edge("r2", "approved", "svc", "tmpl")]);
    let mut index = DesignIndex::build(&design);
    index.components_matching_kind("Pod"); // memoised before the changes

    let added = crate::model::Component::from_value(component("web", "Deployment", json!({})));
    design.components.push(added.clone());
    index.push_component(design.components.len() - 1, &added);
    assert_same_as_rebuilt(&index, &design, "push a Deployment");

    let old = design.components[1].clone();
    let new = crate::model::Component::from_value(in_model(component("tmpl", "Service", json!({})), "acme"));
    design.components[1] = new.clone();
    index.replace_component(1, &old, &new);
    assert_same_as_rebuilt(&index, &design, "PodTemplate becomes a Service of model acme");

    let removed = design.components.remove(0);
    index.remove_component(0, &removed);
    assert_same_as_rebuilt(&index, &design, "remove the first component");

    let pushed = Relationship::from_value(edge("r3", "deleted", "svc", "web"));
    design.relationships.push(pushed.clone());
    index.push_relationship(design.relationships.len() - 1, &pushed);
    assert_same_as_rebuilt(&index, &design, "push a deleted relationship");

    let old = design.relationships[1].clone();
    let new = Relationship::from_value(edge("r2", "approved", "pod", "svc"));
    design.relationships[1] = new.clone();
    index.replace_relationship(1, &old, &new);
    assert_same_as_rebuilt(&index, &design, "move a relationship's endpoints");

    let mut restatused = design.relationships[0].clone();
    restatused.set("status", json!("approved"));
    design.relationships[0] = restatused.clone();
    index.restatus_relationship(0, &restatused, "identified");
    assert_same_as_rebuilt(&index, &design, "approve a relationship");

    let removed = design.relationships.remove(0);
    index.remove_relationship(0, &removed);
    assert_same_as_rebuilt(&index, &design, "remove the first relationship");
}
