//! What the parent-child (inventory) policy must and must not find (spec §7.6): pairs matched on
//! the definition's paths (§6.7), kept only when kind and model are feasible and no deny clause
//! forbids them, approved at once.
//!
//! The shipped definitions put the child on the `from` side as the mutator: the Namespace one
//! (`kmjea`) compares the child's `configuration.metadata.namespace` with the Namespace's
//! `displayName`; the Node one (`dyowc`) a Pod's `configuration.spec.nodeName` with the Node's
//! `displayName`. Meshery's real results (`go-engine/go-result-N40-seed11.json`) relate every
//! Deployment, Service, ConfigMap, … of `team-0` to Namespace `team-0` this way.

use crate::policy::test_designs::*;
use serde_json::json;

fn namespaces() -> serde_json::Value {
    kubernetes("hierarchical-parent-inventory-kmjea")
}

fn nodes() -> serde_json::Value {
    kubernetes("hierarchical-parent-inventory-dyowc")
}

fn namespace(name: &str) -> serde_json::Value {
    component(name, "Namespace", json!({ "metadata": { "name": name } }))
}

policy_table! {
    /// The child names its Namespace; the relationship is approved when identified (§7.6).
    a_deployment_sits_in_the_namespace_it_names: {
        uses: [namespaces()],
        components: [namespace("shop"), namespaced("web", "Deployment", "shop")],
        finds: ["hierarchical/parent/inventory web -> shop approved"],
    }

    /// Any kind is a child (`kind: "*"`, model `*`), each related on its own.
    every_child_in_a_namespace_is_related_to_it: {
        uses: [namespaces()],
        components: [
            namespace("shop"),
            namespaced("web", "Deployment", "shop"),
            namespaced("api", "Service", "shop"),
            namespaced("settings", "ConfigMap", "shop"),
        ],
        finds: [
            "hierarchical/parent/inventory web -> shop approved",
            "hierarchical/parent/inventory api -> shop approved",
            "hierarchical/parent/inventory settings -> shop approved",
        ],
    }

    /// The Node definition: a Pod sits on the Node its spec names.
    a_pod_sits_on_the_node_its_spec_names: {
        uses: [nodes()],
        components: [
            component("node-1", "Node", json!({})),
            component("pod", "Pod", json!({ "spec": { "nodeName": "node-1" } })),
        ],
        finds: ["hierarchical/parent/inventory pod -> node-1 approved"],
    }

    /// Kind patterns match as substrings (§6.1): `Pod` admits a PodTemplate, in the pair join
    /// and in the feasibility check alike.
    a_pod_template_counts_as_a_pod: {
        uses: [nodes()],
        components: [
            component("node-1", "Node", json!({})),
            component("tmpl", "PodTemplate", json!({ "spec": { "nodeName": "node-1" } })),
        ],
        finds: ["hierarchical/parent/inventory tmpl -> node-1 approved"],
    }

    /// The values differ.
    a_deployment_in_another_namespace_is_not_a_child: {
        uses: [namespaces()],
        components: [namespace("shop"), namespaced("web", "Deployment", "blog")],
        finds: [],
    }

    /// One value is missing: under `equal` only null equals null (§6.5). (Meshery's N40 result:
    /// Deployment `app0`, with no namespace, has no parent.)
    a_deployment_without_a_namespace_is_not_a_child: {
        uses: [namespaces()],
        components: [namespace("shop"), component("web", "Deployment", json!({ "metadata": { "name": "web" } }))],
        finds: [],
    }

    /// An absent `displayName` reads as `""`, as Go's typed component has it, so it does not
    /// equal a missing namespace (no null == null match here).
    an_absent_display_name_does_not_equal_a_missing_namespace: {
        uses: [namespaces()],
        components: [without(namespace("shop"), "displayName"), component("web", "Deployment", json!({}))],
        finds: [],
    }

    /// The deny clause (Namespace → Namespace) forbids nesting Namespaces (meshery/meshery#11801).
    a_namespace_is_never_the_child_of_a_namespace: {
        uses: [namespaces()],
        components: [namespace("parent"), namespaced("child", "Namespace", "parent")],
        finds: [],
    }

    /// Feasibility checks the model too (§6.2): the Namespace item names model `kubernetes`.
    a_namespace_of_another_model_is_no_parent: {
        uses: [namespaces()],
        components: [in_model(namespace("shop"), "acme"), namespaced("web", "Deployment", "shop")],
        finds: [],
    }

    /// "Already exists" (§6.8): the design holds the same declaration, approved.
    an_existing_relationship_is_not_found_again: {
        uses: [namespaces()],
        components: [namespace("shop"), namespaced("web", "Deployment", "shop")],
        declared: [declared(&namespaces(), "web", "shop", "approved")],
        finds: [],
    }

    /// A deleted declaration does not count as existing (§4.2 status life cycle): the pair is
    /// identified again while the deleted one is cleaned up.
    a_deleted_relationship_does_not_count_as_existing: {
        uses: [namespaces()],
        components: [namespace("shop"), namespaced("web", "Deployment", "shop")],
        declared: [declared(&namespaces(), "web", "shop", "deleted")],
        finds: ["hierarchical/parent/inventory web -> shop approved"],
    }
}
