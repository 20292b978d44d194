//! What the edge non-binding policy (network, reference, …) must and must not find (spec §7.4):
//! every pair whose values match on the definition's paths (§6.6–§6.7), by kind only — no model
//! or deny check — identified (approved later in the pass).
//!
//! The network definition `duixv` relates a Service to a Deployment: its selector contained in
//! the Deployment's `matchLabels` (`to_contains_from`, `not_null`), its `targetPort` equal as text
//! to the first container's first port number (second selector set: port name) and the same
//! protocol. It spells its strategies `match_strategy_matrix`, which Meshery ignores under
//! v1beta2 and we honour (docs/deviations.md row 10); Meshery's real results (`go-engine/`)
//! relate each Service to the Deployment whose labels equal its selector.

use crate::policy::test_designs::*;
use serde_json::{json, Value};

fn network() -> Value {
    kubernetes("edge-non-binding-network-duixv")
}

/// Event → Service: the Event's `involvedObject.name` is the Service's `metadata.name`.
fn event_reference() -> Value {
    kubernetes("edge-non-binding-reference-mzmlr")
}

/// A Service selecting `selector`, its first port targeting `target_port`.
fn service(id: &str, selector: Value, target_port: Value) -> Value {
    let ports = json!([{ "port": 80, "targetPort": target_port }]);
    component(id, "Service", json!({ "spec": { "selector": selector, "ports": ports } }))
}

/// A Deployment with these `matchLabels` and first container port.
fn deployment(id: &str, match_labels: Value, port: Value) -> Value {
    component(
        id,
        "Deployment",
        json!({ "spec": {
            "selector": { "matchLabels": match_labels },
            "template": { "spec": { "containers": [{ "name": id, "ports": [port] }] } },
        } }),
    )
}

/// A container with port 8080, as the Pod and Deployment rows need it.
fn port_8080() -> Value {
    json!({ "ports": [{ "containerPort": 8080 }] })
}

/// A MutatingAdmissionPolicyBinding named `id` naming the policy `policy`.
fn policy_binding(id: &str, policy: &str) -> Value {
    let configuration = json!({ "metadata": { "name": id }, "spec": { "policyName": policy } });
    component(id, "MutatingAdmissionPolicyBinding", configuration)
}

/// An EndpointSlice whose endpoints name these targets.
fn endpoint_slice(id: &str, targets: &[&str]) -> Value {
    let endpoints: Vec<Value> = targets.iter().map(|name| json!({ "targetRef": { "name": name } })).collect();
    component(id, "EndpointSlice", json!({ "endpoints": endpoints }))
}

fn event(id: &str, involved: Value) -> Value {
    component(id, "Event", json!({ "involvedObject": involved }))
}

policy_table! {
    /// Selector and port match: a network edge, `identified` (§6.7).
    a_service_reaches_the_deployment_its_selector_names: {
        uses: [network()],
        components: [
            service("api", json!({ "app": "web" }), json!(8080)),
            deployment("web", json!({ "app": "web" }), json!({ "containerPort": 8080 })),
        ],
        finds: ["edge/non-binding/network api -> web identified"],
    }

    /// `to_contains_from`: the selector needs only be contained in the labels (deviation 10:
    /// Meshery compares with `equal` and finds nothing here).
    a_selector_contained_in_the_match_labels_is_enough: {
        uses: [network()],
        components: [
            service("api", json!({ "app": "web" }), json!(8080)),
            deployment("web", json!({ "app": "web", "tier": "frontend" }), json!({ "containerPort": 8080 })),
        ],
        finds: ["edge/non-binding/network api -> web identified"],
    }

    /// `equal_as_strings` compares Go's `%v` text: `"8080"` equals `8080`.
    a_target_port_written_as_text_equals_the_port_number: {
        uses: [network()],
        components: [
            service("api", json!({ "app": "web" }), json!("8080")),
            deployment("web", json!({ "app": "web" }), json!({ "containerPort": 8080 })),
        ],
        finds: ["edge/non-binding/network api -> web identified"],
    }

    /// The second selector set compares a named `targetPort` with the port's name.
    a_named_target_port_reaches_the_port_of_that_name: {
        uses: [network()],
        components: [
            service("api", json!({ "app": "web" }), json!("http")),
            deployment("web", json!({ "app": "web" }), json!({ "name": "http", "containerPort": 8080 })),
        ],
        finds: ["edge/non-binding/network api -> web identified"],
    }

    /// Only the definition's paths are compared: namespaces are not among them.
    namespaces_are_not_compared: {
        uses: [network()],
        components: [
            with(service("api", json!({ "app": "web" }), json!(8080)), "configuration", json!({
                "metadata": { "namespace": "shop" },
                "spec": { "selector": { "app": "web" }, "ports": [{ "port": 80, "targetPort": 8080 }] },
            })),
            with(deployment("web", json!({ "app": "web" }), json!({ "containerPort": 8080 })), "configuration", json!({
                "metadata": { "namespace": "blog" },
                "spec": {
                    "selector": { "matchLabels": { "app": "web" } },
                    "template": { "spec": { "containers": [{ "ports": [{ "containerPort": 8080 }] }] } },
                },
            })),
        ],
        finds: ["edge/non-binding/network api -> web identified"],
    }

    /// No model check (§7.4): a Deployment of another model is reached all the same.
    the_model_is_not_checked: {
        uses: [network()],
        components: [
            service("api", json!({ "app": "web" }), json!(8080)),
            in_model(deployment("web", json!({ "app": "web" }), json!({ "containerPort": 8080 })), "acme"),
        ],
        finds: ["edge/non-binding/network api -> web identified"],
    }

    a_selector_naming_other_labels_reaches_nothing: {
        uses: [network()],
        components: [
            service("api", json!({ "app": "shop" }), json!(8080)),
            deployment("web", json!({ "app": "web" }), json!({ "containerPort": 8080 })),
        ],
        finds: [],
    }

    /// `to_contains_from` is one-way: the labels must hold every selector entry.
    a_selector_wider_than_the_match_labels_reaches_nothing: {
        uses: [network()],
        components: [
            service("api", json!({ "app": "web", "tier": "frontend" }), json!(8080)),
            deployment("web", json!({ "app": "web" }), json!({ "containerPort": 8080 })),
        ],
        finds: [],
    }

    the_target_port_must_be_the_containers_port: {
        uses: [network()],
        components: [
            service("api", json!({ "app": "web" }), json!(9090)),
            deployment("web", json!({ "app": "web" }), json!({ "containerPort": 8080 })),
        ],
        finds: [],
    }

    /// `not_null`: a Service without a selector and a Deployment without labels do not match,
    /// although null equals null under `equal` (§6.5).
    missing_selector_and_labels_match_nothing_under_not_null: {
        uses: [network()],
        components: [
            component("api", "Service", json!({ "spec": { "ports": [{ "port": 80, "targetPort": 8080 }] } })),
            component(
                "web",
                "Deployment",
                json!({ "spec": { "template": { "spec": { "containers": [port_8080()] } } } }),
            ),
        ],
        finds: [],
    }

    /// The Service → Pod set reads `["metadata", "labels"]` without `configuration`, that is the
    /// component's own metadata (§6.4), so labels in the Pod's configuration are not seen.
    a_pods_configuration_labels_are_not_what_the_pod_set_reads: {
        uses: [network()],
        components: [
            service("api", json!({ "app": "web" }), json!(8080)),
            component(
                "pod",
                "Pod",
                json!({ "metadata": { "labels": { "app": "web" } }, "spec": { "containers": [port_8080()] } }),
            ),
        ],
        finds: [],
    }

    /// …and labels in the component's own metadata are (that set has no strategies: `equal`).
    a_pod_whose_component_metadata_has_the_labels_is_reached: {
        uses: [network()],
        components: [
            service("api", json!({ "app": "web" }), json!(8080)),
            with(
                component("pod", "Pod", json!({ "spec": { "containers": [port_8080()] } })),
                "metadata",
                json!({ "labels": { "app": "web" } }),
            ),
        ],
        finds: ["edge/non-binding/network api -> pod identified"],
    }

    /// The shipped v1alpha3 network definition (`amosp`) holds the same Service → Pod set: the
    /// two candidates differ only in their definitions and are declared once (deviation 26,
    /// meshery/meshery#12274; Meshery adds both).
    two_definitions_describing_one_edge_declare_it_once: {
        uses: [network(), kubernetes("edge-non-binding-network-amosp")],
        components: [
            service("api", json!({ "app": "web" }), json!(8080)),
            with(
                component("pod", "Pod", json!({ "spec": { "containers": [port_8080()] } })),
                "metadata",
                json!({ "labels": { "app": "web" } }),
            ),
        ],
        finds: ["edge/non-binding/network api -> pod identified"],
    }

    /// A reference: the Event names the Service.
    an_event_references_the_service_it_involves: {
        uses: [event_reference()],
        components: [event("ev", json!({ "name": "api" })), namespaced("api", "Service", "shop")],
        finds: ["edge/non-binding/reference ev -> api identified"],
    }

    an_event_involving_another_object_references_nothing: {
        uses: [event_reference()],
        components: [event("ev", json!({ "name": "db" })), namespaced("api", "Service", "shop")],
        finds: [],
    }

    /// Null equals null under `equal` (§6.5 QUIRK, kept for parity: DECISIONS §4): an Event
    /// involving nothing references a Service with no name.
    missing_values_on_both_sides_match: {
        uses: [event_reference()],
        components: [event("ev", json!({})), component("api", "Service", json!({ "spec": {} }))],
        finds: ["edge/non-binding/reference ev -> api identified"],
    }

    /// …but a value on one side only does not.
    a_value_on_one_side_only_matches_nothing: {
        uses: [event_reference()],
        components: [event("ev", json!({ "name": "api" })), component("api", "Service", json!({ "spec": {} }))],
        finds: [],
    }

    /// A `displayName` mutator: the PriorityClass is named by its display name.
    a_pod_references_the_priority_class_it_names: {
        uses: [kubernetes("edge-non-binding-reference-jisdh")],
        components: [
            component("high", "PriorityClass", json!({})),
            component("pod", "Pod", json!({ "spec": { "priorityClassName": "high" } })),
        ],
        finds: ["edge/non-binding/reference high -> pod identified"],
    }

    /// Kind patterns match as substrings (§6.1): the from pattern `MutatingAdmissionPolicy`
    /// admits a MutatingAdmissionPolicyBinding, so a binding naming another binding's name is
    /// related to it.
    a_kind_pattern_admits_every_kind_containing_it: {
        uses: [kubernetes("edge-binding-reference-fdpgx")],
        components: [
            policy_binding("b1", "other"),
            policy_binding("b2", "b1"),
        ],
        finds: ["edge/non-binding/reference b1 -> b2 identified"],
    }

    /// A component is never paired with itself (§6.7), even when it matches both items.
    a_component_is_not_related_to_itself: {
        uses: [kubernetes("edge-binding-reference-fdpgx")],
        components: [
            policy_binding("b", "b"),
        ],
        finds: [],
    }

    /// Both shipped PriorityClass → CronJob items carry a `mutatorRef` and neither a
    /// `mutatedRef`: no direction (§6.6 step 1), so nothing is ever related, equal values or not.
    a_definition_without_a_mutated_side_relates_nothing: {
        uses: [kubernetes("edge-non-binding-reference-cronjob")],
        components: [
            component("high", "PriorityClass", json!({})),
            component(
                "job",
                "CronJob",
                json!({ "spec": { "jobTemplate": { "spec": { "template": { "spec": {
                    "priorityClassName": "high",
                } } } } } }),
            ),
        ],
        finds: [],
    }

    /// `_` in a compared path is the array's last element (deviation 14; Meshery's main line
    /// reads the raw path as null and relates neither Pod): the EndpointSlice reaches the Pod
    /// of its last endpoint only.
    a_wildcard_path_compares_the_last_element: {
        uses: [kubernetes("edge-non-binding-reference-arxod")],
        components: [
            endpoint_slice("slice", &["a", "b"]),
            component("a", "Pod", json!({ "metadata": { "name": "a" } })),
            component("b", "Pod", json!({ "metadata": { "name": "b" } })),
        ],
        finds: ["edge/non-binding/reference slice -> b identified"],
    }

    /// "Already exists" (§6.8).
    an_existing_relationship_is_not_found_again: {
        uses: [event_reference()],
        components: [event("ev", json!({ "name": "api" })), namespaced("api", "Service", "shop")],
        declared: [declared(&event_reference(), "ev", "api", "approved")],
        finds: [],
    }

    /// "Already exists" compares each item's kind, id and patch only (§6.8), not its model.
    an_existing_relationship_naming_another_model_still_exists: {
        uses: [event_reference()],
        components: [event("ev", json!({ "name": "api" })), namespaced("api", "Service", "shop")],
        declared: [{
            let mut declaration = declared(&event_reference(), "ev", "api", "approved");
            declaration["selectors"][0]["allow"]["from"][0]["model"] = json!({ "name": "acme" });
            declaration
        }],
        finds: [],
    }

    /// …so a declaration with other patch paths is another relationship, and the pair is found.
    an_existing_relationship_with_other_paths_is_another_one: {
        uses: [event_reference()],
        components: [event("ev", json!({ "name": "api" })), namespaced("api", "Service", "shop")],
        declared: [{
            let mut declaration = declared(&event_reference(), "ev", "api", "approved");
            let other_path = json!([["configuration", "involvedObject", "uid"]]);
            declaration["selectors"][0]["allow"]["from"][0]["patch"]["mutatorRef"] = other_path;
            declaration
        }],
        finds: ["edge/non-binding/reference ev -> api identified"],
    }

    /// A deleted declaration does not count (§4.2).
    a_deleted_relationship_does_not_count_as_existing: {
        uses: [event_reference()],
        components: [event("ev", json!({ "name": "api" })), namespaced("api", "Service", "shop")],
        declared: [declared(&event_reference(), "ev", "api", "deleted")],
        finds: ["edge/non-binding/reference ev -> api identified"],
    }
}
