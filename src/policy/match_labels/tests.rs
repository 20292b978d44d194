//! What the match-labels (sibling) policy must and must not find (spec §7.1, Meshery's
//! single-pass bucketing): components feasible for the definition's items that share one
//! (label key, `%v` value) pair at the items' `match.refs` form a group — at least two members,
//! at most 20 groups per definition — declared with `from` and `to` both listing the members
//! (design order), identified.
//!
//! The Kubernetes definitions in the fixtures hold no sibling definition (the files named
//! `edge-sibling-matchlabels-*` are edge non-binding references), so the rows use the one
//! Meshery's Go test registers (`TestMatchLabelsPolicyIdentificationIsDeterministic`: Pod → Pod
//! on `configuration.metadata.labels`), given the `kubernetes` model so the engine evaluates it.

use crate::policy::test_designs::*;
use serde_json::{json, Value};

fn siblings() -> Value {
    with_model(
        go_case("engine/TestMatchLabelsPolicyIdentificationIsDeterministic.json", "/input/relationships/0"),
        "kubernetes",
    )
}

fn pod(id: &str, labels: Value) -> Value {
    component(id, "Pod", json!({ "metadata": { "labels": labels } }))
}

/// A group the design already declares: the members, on one label, as the policy builds it.
fn group(members: &[&str], label: &str) -> Value {
    let items: Vec<Value> = members
        .iter()
        .map(|id| {
            json!({ "id": id, "kind": "Pod", "model": { "name": "kubernetes" }, "patch": { "mutatorRef": [[label]] } })
        })
        .collect();
    let mut declaration = siblings();
    declaration["id"] = json!(format!("group {} on {label}", members.join(",")));
    declaration["status"] = json!("approved");
    declaration["selectors"] = json!([{ "allow": { "from": items, "to": items } }]);
    declaration
}

/// The same definition between two kinds: `from` Deployments, `to` Services.
fn deployments_with_services() -> Value {
    let mut definition = siblings();
    definition["selectors"][0]["allow"]["from"][0]["kind"] = json!("Deployment");
    definition["selectors"][0]["allow"]["to"][0]["kind"] = json!("Service");
    definition
}

policy_table! {
    pods_sharing_a_label_form_a_group: {
        uses: [siblings()],
        components: [pod("a", json!({ "app": "web" })), pod("b", json!({ "app": "web" }))],
        finds: ["edge/sibling/ a,b -> a,b on app identified"],
    }

    /// The Go case: each shared (key, value) is a group of its own.
    every_shared_label_is_a_group_of_its_own: {
        uses: [siblings()],
        components: [
            pod("a", json!({ "app": "meshery", "tier": "api" })),
            pod("b", json!({ "app": "meshery", "tier": "api" })),
            pod("c", json!({ "app": "meshery", "tier": "api" })),
        ],
        finds: ["edge/sibling/ a,b,c -> a,b,c on app identified", "edge/sibling/ a,b,c -> a,b,c on tier identified"],
    }

    /// Only the pods sharing the value: `c` has another.
    a_group_holds_only_the_components_sharing_the_value: {
        uses: [siblings()],
        components: [
            pod("a", json!({ "app": "web" })),
            pod("b", json!({ "app": "web" })),
            pod("c", json!({ "app": "db" })),
        ],
        finds: ["edge/sibling/ a,b -> a,b on app identified"],
    }

    /// Values group by Go's `%v` text (§7.1 step 2): `80` and `"80"` are one bucket.
    a_number_and_its_text_share_a_group: {
        uses: [siblings()],
        components: [pod("a", json!({ "port": 80 })), pod("b", json!({ "port": "80" }))],
        finds: ["edge/sibling/ a,b -> a,b on port identified"],
    }

    a_label_value_no_other_pod_has_is_no_group: {
        uses: [siblings()],
        components: [pod("a", json!({ "app": "web" })), pod("b", json!({ "app": "db" }))],
        finds: [],
    }

    /// The same value under different keys is no group: buckets are (key, value).
    the_same_value_under_another_key_is_no_group: {
        uses: [siblings()],
        components: [pod("a", json!({ "app": "web" })), pod("b", json!({ "name": "web" }))],
        finds: [],
    }

    /// A component whose `match.refs` value is not an object contributes nothing.
    a_pod_without_labels_joins_no_group: {
        uses: [siblings()],
        components: [pod("a", json!({ "app": "web" })), component("b", "Pod", json!({ "metadata": {} }))],
        finds: [],
    }

    /// Members must be feasible for the items: a Service is no Pod.
    a_component_of_another_kind_joins_no_group: {
        uses: [siblings()],
        components: [
            pod("a", json!({ "app": "web" })),
            component("svc", "Service", json!({ "metadata": { "labels": { "app": "web" } } })),
        ],
        finds: [],
    }

    /// A group needs a member in the from role and one in the to role (§7.1 step 2).
    a_group_needs_a_from_member_and_a_to_member: {
        uses: [deployments_with_services()],
        components: [
            component("web", "Deployment", json!({ "metadata": { "labels": { "app": "web" } } })),
            component("api", "Service", json!({ "metadata": { "labels": { "app": "web" } } })),
        ],
        finds: ["edge/sibling/ web,api -> web,api on app identified"],
    }

    two_members_in_the_from_role_only_are_no_group: {
        uses: [deployments_with_services()],
        components: [
            component("web", "Deployment", json!({ "metadata": { "labels": { "app": "web" } } })),
            component("web2", "Deployment", json!({ "metadata": { "labels": { "app": "web" } } })),
        ],
        finds: [],
    }

    /// "Already exists" (§6.8): the design declares the same group.
    an_existing_group_is_not_found_again: {
        uses: [siblings()],
        components: [pod("a", json!({ "app": "web" })), pod("b", json!({ "app": "web" }))],
        declared: [group(&["a", "b"], "app")],
        finds: [],
    }

    /// Whole member lists are compared (deviation 18; Meshery compares first members only and
    /// would find nothing): a group that gains a member is declared anew.
    a_group_that_gains_a_member_is_declared_anew: {
        uses: [siblings()],
        components: [
            pod("a", json!({ "app": "web" })),
            pod("b", json!({ "app": "web" })),
            pod("c", json!({ "app": "web" })),
        ],
        declared: [group(&["a", "b"], "app")],
        finds: ["edge/sibling/ a,b,c -> a,b,c on app identified"],
    }
}

/// At most 20 groups per definition, the first by (key, value) in byte order (§7.1 step 3): two
/// pods sharing 21 labels `l00`…`l20` group on `l00`…`l19`.
#[test]
fn at_most_twenty_groups_by_label_order() {
    let labels: serde_json::Map<String, Value> = (0..21).map(|i| (format!("l{i:02}"), json!("x"))).collect();
    let rows: Vec<String> = (0..20).map(|i| format!("edge/sibling/ a,b -> a,b on l{i:02} identified")).collect();
    let expected: Vec<&str> = rows.iter().map(String::as_str).collect();
    finds(
        "at_most_twenty_groups_by_label_order",
        Case {
            definitions: vec![siblings()],
            components: vec![pod("a", Value::Object(labels.clone())), pod("b", Value::Object(labels))],
            declared: vec![],
        },
        &expected,
    );
}
