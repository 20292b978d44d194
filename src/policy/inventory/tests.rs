//! Which parents Phase 2.5 adds (spec §7.8): for each child (a component matching an item with a
//! `mutatedRef`) whose values are all set, and each mutator item no component of whose kind holds
//! those values, a parent of the mutator item's kind and model carrying the values — if the
//! definition admits the child on the from side and the parent on the to side
//! (`feasibleBetween`, deny first). One parent per distinct missing parent, its id derived from
//! its content (docs/deviations.md rows 1 and 2; Meshery adds one random-id parent per child).
//!
//! The rows call the phase as Meshery's Go tests call `identifyInventoryAdditions` (on the
//! design, with every definition given). Most use the Namespace definition of Meshery's Go test
//! `TestInventoryNamespaceIdentification`, whose child carries the `mutatedRef`: the shipped
//! definitions make the child the mutator instead, so they never add a parent (last rows).

use crate::policy::test_designs::*;
use serde_json::{json, Value};

/// Child (`*`, mutated `configuration.metadata.namespace`) → Namespace (mutator `displayName`),
/// Namespace → Namespace denied.
fn namespaces() -> Value {
    go_case("patching/TestInventoryNamespaceIdentification.json", "/input/relationships/0")
}

policy_table! {
    /// Go case `TestIdentifyInventoryAdditions_PodImpliesNamespace`.
    a_pod_in_a_missing_namespace_adds_the_namespace: {
        uses: [namespaces()],
        components: [namespaced("pod", "Pod", "default")],
        adds: ["Namespace:default model kubernetes"],
    }

    /// One parent per distinct missing parent (deviation 2).
    children_in_two_missing_namespaces_add_two: {
        uses: [namespaces()],
        components: [
            namespaced("a", "Pod", "shop"),
            namespaced("b", "Deployment", "shop"),
            namespaced("c", "Pod", "blog"),
        ],
        adds: ["Namespace:shop model kubernetes", "Namespace:blog model kubernetes"],
    }

    /// Go case `TestIdentifyInventoryAdditions_SkipsWhenParentAlreadyPresent`.
    an_existing_namespace_is_not_added_again: {
        uses: [namespaces()],
        components: [namespaced("pod", "Pod", "default"), component("default", "Namespace", json!({}))],
        adds: [],
    }

    /// Existing parents are looked up by kind only, not model: a Namespace of another model with
    /// that name is enough to add none.
    a_namespace_of_another_model_with_that_name_prevents_the_addition: {
        uses: [namespaces()],
        components: [
            namespaced("pod", "Pod", "default"),
            in_model(component("default", "Namespace", json!({})), "acme"),
        ],
        adds: [],
    }

    /// A child whose values are not all set names no parent.
    a_child_without_a_namespace_adds_nothing: {
        uses: [namespaces()],
        components: [component("pod", "Pod", json!({ "metadata": { "name": "pod" } }))],
        adds: [],
    }

    /// Only a string value becomes the parent's `displayName`: a number names a parent with none.
    a_value_that_is_no_string_gives_no_display_name: {
        uses: [namespaces()],
        components: [component("pod", "Pod", json!({ "metadata": { "namespace": 42 } }))],
        adds: ["Namespace: model kubernetes"],
    }

    /// The deny clause (Namespace → Namespace) holds for the candidate too.
    a_namespace_naming_a_missing_namespace_adds_nothing: {
        uses: [namespaces()],
        components: [namespaced("child", "Namespace", "elsewhere")],
        adds: [],
    }

    /// Go case `TestIdentifyInventoryAdditions_PreservesToSideModelForCrossModelRelationships`:
    /// the parent takes the mutator item's kind and model.
    the_parent_takes_the_mutator_items_model: {
        uses: [go_case(
            "policy_inventory/TestIdentifyInventoryAdditions_PreservesToSideModelForCrossModelRelationships.json",
            "/input/relationships/0",
        )],
        components: [in_model(
            component(
                "sub",
                "EventSubscription",
                json!({ "spec": { "destination": { "storageAccount": "saproduction" } } }),
            ),
            "azure-event-grid",
        )],
        adds: ["StorageAccount:saproduction model azure-storage"],
    }

    /// Go case `TestIdentifyInventoryAdditions_IgnoresNonInventoryRelationships`: only
    /// hierarchical/parent/inventory definitions add parents.
    an_alias_definition_adds_nothing: {
        uses: [
            go_case(
                "policy_inventory/TestIdentifyInventoryAdditions_IgnoresNonInventoryRelationships.json",
                "/input/relationships/0",
            ),
        ],
        components: [namespaced("pod", "Pod", "default")],
        adds: [],
    }

    /// The definition of Go case `TestHierarchicalIdentifyRelationship` has the parent (a
    /// Namespace, mutator) on the from side: `feasibleBetween` puts the child on the from side,
    /// so no candidate is admitted.
    a_parent_on_the_from_side_is_never_added: {
        uses: [go_case("engine/TestHierarchicalIdentifyRelationship.json", "/input/relationships/0")],
        components: [component("web", "Deployment", json!({ "namespace": "shop" }))],
        adds: [],
    }

    /// The shipped Namespace definition (`kmjea`) makes the child the mutator, so the parent
    /// side is the mutated one: nothing to add. Meshery's real result agrees: Deployment `app6`
    /// in `missing-ns-1` gets no Namespace (`go-engine/go-result-N40-seed11.json`).
    the_shipped_namespace_definition_adds_no_namespace: {
        uses: [kubernetes("hierarchical-parent-inventory-kmjea")],
        components: [namespaced("web", "Deployment", "shop")],
        adds: [],
    }

    /// Likewise the shipped Node definition (`dyowc`).
    the_shipped_node_definition_adds_no_node: {
        uses: [kubernetes("hierarchical-parent-inventory-dyowc")],
        components: [component("pod", "Pod", json!({ "spec": { "nodeName": "node-1" } }))],
        adds: [],
    }
}
