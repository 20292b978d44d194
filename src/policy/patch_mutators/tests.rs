//! What `patchMutators` writes for one declared relationship (spec §8.3): for each compared path
//! pair, the mutator's value when it is set and differs from the mutated component's — with the
//! op `update_component_configuration` for a `configuration` path, `update_component` otherwise —
//! for every status but `deleted`; for `deleted`, where the value is still the one it set, the
//! cleanup: the schema's default, else `remove_component_configuration`.

use crate::policy::test_designs::*;
use serde_json::{json, Value};

/// PodTemplate `template.metadata.labels` → Pod `metadata.labels`.
fn wallet() -> Value {
    kubernetes("hierarchical-parent-wallet-rxuxm")
}

/// Meshery's Go test Namespace definition: the child (`*`) is mutated, the Namespace the mutator.
fn go_test_namespaces() -> Value {
    go_case("patching/TestInventoryNamespaceIdentification.json", "/input/relationships/0")
}

/// A Pod schema (a JSON string, as `component.schema` holds it) whose labels default to
/// `{"app": "none"}`.
const LABELS_DEFAULT_NONE: &str = r#"{"properties":{"metadata":{"properties":{"labels":{"default":{"app":"none"}}}}}}"#;

fn template(id: &str, labels: Value) -> Value {
    component(id, "PodTemplate", json!({ "template": { "metadata": { "labels": labels } } }))
}

fn pod(id: &str, labels: Value) -> Value {
    component(id, "Pod", json!({ "metadata": { "labels": labels } }))
}

policy_table! {
    /// Go case `TestWalletPatching`.
    an_approved_relationship_copies_the_mutator_value: {
        uses: [],
        components: [template("tmpl", json!({ "app": "web" })), pod("pod", json!({ "app": "old" }))],
        declared: [declared(&wallet(), "tmpl", "pod", "approved")],
        patches: ["update_component_configuration pod configuration.metadata.labels = {\"app\":\"web\"}"],
    }

    /// Every status but `deleted` patches forward (§4.2 status life cycle).
    identified_pending_and_ignored_relationships_patch_too: {
        uses: [],
        components: [template("tmpl", json!({ "app": "web" })), pod("pod", json!({ "app": "old" }))],
        declared: [
            declared(&wallet(), "tmpl", "pod", "identified"),
            declared(&wallet(), "tmpl", "pod", "pending"),
            declared(&wallet(), "tmpl", "pod", "ignored"),
        ],
        patches: [
            "update_component_configuration pod configuration.metadata.labels = {\"app\":\"web\"}",
            "update_component_configuration pod configuration.metadata.labels = {\"app\":\"web\"}",
            "update_component_configuration pod configuration.metadata.labels = {\"app\":\"web\"}",
        ],
    }

    equal_values_need_no_patch: {
        uses: [],
        components: [template("tmpl", json!({ "app": "web" })), pod("pod", json!({ "app": "web" }))],
        declared: [declared(&wallet(), "tmpl", "pod", "approved")],
        patches: [],
    }

    /// A null mutator value is skipped.
    a_missing_mutator_value_copies_nothing: {
        uses: [],
        components: [component("tmpl", "PodTemplate", json!({ "template": {} })), pod("pod", json!({ "app": "old" }))],
        declared: [declared(&wallet(), "tmpl", "pod", "approved")],
        patches: [],
    }

    /// An explicit null counts as no value too.
    an_explicit_null_mutator_value_copies_nothing: {
        uses: [],
        components: [template("tmpl", Value::Null), pod("pod", json!({ "app": "old" }))],
        declared: [declared(&wallet(), "tmpl", "pod", "approved")],
        patches: [],
    }

    /// A mutated path outside `configuration` is an `update_component` (§8.1): the shipped
    /// Namespace definition writes the child's namespace into the Namespace's `displayName`.
    a_display_name_is_patched_with_update_component: {
        uses: [],
        components: [component("ns", "Namespace", json!({})), namespaced("web", "Deployment", "shop")],
        declared: [declared(&kubernetes("hierarchical-parent-inventory-kmjea"), "web", "ns", "approved")],
        patches: ["update_component ns displayName = \"shop\""],
    }

    /// The direction comes from the items (§6.6 step 1): in Meshery's Go test definition the
    /// Namespace on the `to` side is the mutator, so the child's namespace is written.
    the_mutator_can_be_the_to_side: {
        uses: [],
        components: [namespaced("web", "Deployment", "old"), component("shop", "Namespace", json!({}))],
        declared: [
            declared(&go_test_namespaces(), "web", "shop", "approved"),
        ],
        patches: ["update_component_configuration web configuration.metadata.namespace = \"shop\""],
    }

    /// Both items carry a `mutatorRef` and neither a `mutatedRef`: no direction, no patch.
    a_definition_without_a_mutated_side_patches_nothing: {
        uses: [],
        components: [component("high", "PriorityClass", json!({})), component("job", "CronJob", json!({}))],
        declared: [declared(&kubernetes("edge-non-binding-reference-cronjob"), "high", "job", "approved")],
        patches: [],
    }

    /// `_` resolves to the last element (deviation 14; Meshery's main line reads the raw path,
    /// which gives null, and patches nothing it can apply).
    a_wildcard_reads_the_last_element: {
        uses: [],
        components: [
            component(
                "slice",
                "EndpointSlice",
                json!({ "endpoints": [{ "targetRef": { "name": "a" } }, { "targetRef": { "name": "b" } }] }),
            ),
            component("pod", "Pod", json!({ "metadata": { "name": "x" } })),
        ],
        declared: [declared(&kubernetes("edge-non-binding-reference-arxod"), "slice", "pod", "approved")],
        patches: ["update_component_configuration pod configuration.metadata.name = \"b\""],
    }

    /// The components must exist.
    a_relationship_naming_a_missing_component_patches_nothing: {
        uses: [],
        components: [template("tmpl", json!({ "app": "web" }))],
        declared: [declared(&wallet(), "tmpl", "gone", "approved")],
        patches: [],
    }

    /// Go case `TestWalletPatchingCleanupOnDelete`: a deleted relationship removes the value it set.
    a_deleted_relationship_removes_the_value_it_set: {
        uses: [],
        components: [template("tmpl", json!({ "app": "web" })), pod("pod", json!({ "app": "web" }))],
        declared: [declared(&wallet(), "tmpl", "pod", "deleted")],
        patches: ["remove_component_configuration pod configuration.metadata.labels"],
    }

    /// Go case `TestWalletPatchingCleanupUsesSchemaDefault`: …or restores the schema's default
    /// (`properties.<segment>…default` of `component.schema`, a JSON string).
    a_deleted_relationship_restores_the_schema_default: {
        uses: [],
        components: [
            template("tmpl", json!({ "app": "web" })),
            with(
                pod("pod", json!({ "app": "web" })),
                "component",
                json!({ "kind": "Pod", "schema": LABELS_DEFAULT_NONE }),
            ),
        ],
        declared: [declared(&wallet(), "tmpl", "pod", "deleted")],
        patches: ["update_component_configuration pod configuration.metadata.labels = {\"app\":\"none\"}"],
    }

    /// Go case `TestWalletPatchingSkipsWhenValueDiverged`: a value changed since is left alone.
    a_deleted_relationship_leaves_a_changed_value_alone: {
        uses: [],
        components: [template("tmpl", json!({ "app": "web" })), pod("pod", json!({ "app": "edited" }))],
        declared: [declared(&wallet(), "tmpl", "pod", "deleted")],
        patches: [],
    }

    /// Deviation 27: another live relationship still sets the same value there, so the deleted
    /// one does not remove it (Meshery removes it and sets it again on the next evaluation; Go
    /// case `TestCleanupConcurrentRelationshipsSameField` pins that).
    a_deleted_relationship_keeps_a_value_a_live_twin_still_sets: {
        uses: [],
        components: [
            template("tmpl", json!({ "app": "web" })),
            template("tmpl2", json!({ "app": "web" })),
            pod("pod", json!({ "app": "web" })),
        ],
        declared: [declared(&wallet(), "tmpl", "pod", "deleted"), declared(&wallet(), "tmpl2", "pod", "approved")],
        patches: [],
    }

    /// The cleanup of a path outside `configuration` is a removal too (no schema default).
    a_deleted_relationship_removes_a_display_name_it_set: {
        uses: [],
        components: [component("shop", "Namespace", json!({})), namespaced("web", "Deployment", "shop")],
        declared: [declared(&kubernetes("hierarchical-parent-inventory-kmjea"), "web", "shop", "deleted")],
        patches: ["remove_component_configuration shop displayName"],
    }

    /// Every index pair `(from[i], to[i])` of a selector set is patched (deviation 17; Meshery
    /// patches `(from[0], to[0])` only).
    every_item_pair_of_a_selector_set_is_patched: {
        uses: [],
        components: [
            template("tmpl", json!({ "app": "web" })),
            template("tmpl2", json!({ "app": "db" })),
            pod("pod", json!({})),
            pod("pod2", json!({})),
        ],
        declared: [{
            let mut declaration = declared(&wallet(), "tmpl", "pod", "approved");
            let second = declared(&wallet(), "tmpl2", "pod2", "approved");
            for side in ["from", "to"] {
                let item = second["selectors"][0]["allow"][side][0].clone();
                declaration["selectors"][0]["allow"][side].as_array_mut().expect("items").push(item);
            }
            declaration
        }],
        patches: [
            "update_component_configuration pod configuration.metadata.labels = {\"app\":\"web\"}",
            "update_component_configuration pod2 configuration.metadata.labels = {\"app\":\"db\"}",
        ],
    }
}
