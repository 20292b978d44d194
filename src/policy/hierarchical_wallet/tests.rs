//! What the wallet policy must and must not find (spec §7.7): the pairs of §6.7 as they are —
//! kind patterns and values only, no feasibility (model) or deny filter, unlike inventory —
//! identified (approved later in the pass). The parent must already exist: Phase 2.5 adds none.
//!
//! The shipped definition (`rxuxm`) relates a PodTemplate to the Pod whose
//! `configuration.metadata.labels` equal its `template.metadata.labels`.

use crate::policy::test_designs::*;
use serde_json::{json, Value};

fn wallet() -> Value {
    kubernetes("hierarchical-parent-wallet-rxuxm")
}

fn template(id: &str, labels: Value) -> Value {
    component(id, "PodTemplate", json!({ "template": { "metadata": { "labels": labels } } }))
}

fn pod(id: &str, labels: Value) -> Value {
    component(id, "Pod", json!({ "metadata": { "labels": labels } }))
}

policy_table! {
    a_pod_template_holds_the_pod_with_its_labels: {
        uses: [wallet()],
        components: [template("tmpl", json!({ "app": "web" })), pod("pod", json!({ "app": "web" }))],
        finds: ["hierarchical/parent/wallet tmpl -> pod identified"],
    }

    /// No feasibility check (§7.7): the model is not compared.
    a_pod_of_another_model_is_held_all_the_same: {
        uses: [wallet()],
        components: [template("tmpl", json!({ "app": "web" })), in_model(pod("pod", json!({ "app": "web" })), "acme")],
        finds: ["hierarchical/parent/wallet tmpl -> pod identified"],
    }

    /// Kind patterns match as substrings (§6.1): the to pattern `Pod` admits a PodTemplate.
    a_pod_template_can_hold_a_pod_template: {
        uses: [wallet()],
        components: [
            template("outer", json!({ "app": "web" })),
            with(template("inner", json!({ "app": "db" })), "configuration", json!({
                "metadata": { "labels": { "app": "web" } },
                "template": { "metadata": { "labels": { "app": "db" } } },
            })),
        ],
        finds: ["hierarchical/parent/wallet outer -> inner identified"],
    }

    /// Null equals null under `equal` (§6.5 QUIRK, kept for parity): no labels on either side.
    missing_labels_on_both_sides_match: {
        uses: [wallet()],
        components: [
            component("tmpl", "PodTemplate", json!({ "template": {} })),
            component("pod", "Pod", json!({ "metadata": {} })),
        ],
        finds: ["hierarchical/parent/wallet tmpl -> pod identified"],
    }

    a_pod_with_other_labels_is_not_held: {
        uses: [wallet()],
        components: [template("tmpl", json!({ "app": "web" })), pod("pod", json!({ "app": "db" }))],
        finds: [],
    }

    /// `equal` is deep equality: more labels on the Pod are a difference.
    labels_must_be_equal_not_contained: {
        uses: [wallet()],
        components: [
            template("tmpl", json!({ "app": "web" })),
            pod("pod", json!({ "app": "web", "tier": "frontend" })),
        ],
        finds: [],
    }

    /// The component's kind must contain the pattern, not the reverse: a Pod is no PodTemplate.
    two_pods_with_the_same_labels_are_no_wallet: {
        uses: [wallet()],
        components: [pod("a", json!({ "app": "web" })), pod("b", json!({ "app": "web" }))],
        finds: [],
    }

    /// "Already exists" (§6.8).
    an_existing_wallet_is_not_found_again: {
        uses: [wallet()],
        components: [template("tmpl", json!({ "app": "web" })), pod("pod", json!({ "app": "web" }))],
        declared: [declared(&wallet(), "tmpl", "pod", "approved")],
        finds: [],
    }
}
