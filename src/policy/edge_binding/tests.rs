//! What the edge binding policy must and must not find (spec §7.5): three parties — a from
//! component of exactly a from item's kind, a binding component whose kind contains a binding
//! kind (substring, §6.1), a to component of exactly a to item's kind — where the binding binds
//! both sides (`validBinding`: a pair fails only when both compared values are present and
//! differ), approved at once.
//!
//! The shipped permission definition (`hilyz`) binds a Role or ClusterRole to a ServiceAccount:
//! the role's `component.kind` and `displayName` against the binding's `roleRef.kind` and
//! `roleRef.name`, the ServiceAccount's `displayName` against the binding's
//! `subjects._.name` (`_`: the last subject, §6.4 `resolvePath`). Meshery's real results
//! (`go-engine/go-result-N40-seed11.json`) bind each `appN-reader` Role to `appN-sa` through
//! `appN-reader-binding`.

use crate::policy::test_designs::*;
use serde_json::{json, Value};

fn permission() -> Value {
    kubernetes("edge-binding-permission-hilyz")
}

fn binding(id: &str, kind: &str, role_kind: &str, role: &str, subjects: &[&str]) -> Value {
    let subjects: Vec<Value> = subjects.iter().map(|name| json!({ "kind": "ServiceAccount", "name": name })).collect();
    component(id, kind, json!({ "roleRef": { "kind": role_kind, "name": role }, "subjects": subjects }))
}

fn role(id: &str) -> Value {
    component(id, "Role", json!({ "rules": [] }))
}

fn cluster_role(id: &str) -> Value {
    component(id, "ClusterRole", json!({ "rules": [] }))
}

fn account(id: &str) -> Value {
    component(id, "ServiceAccount", json!({}))
}

policy_table! {
    a_role_binding_binds_its_role_to_its_service_account: {
        uses: [permission()],
        components: [role("reader"), binding("rb", "RoleBinding", "Role", "reader", &["app"]), account("app")],
        finds: ["edge/binding/permission reader -> app via rb approved"],
    }

    /// The ClusterRoleBinding is also a binding for `RoleBinding` (substring), which gives the
    /// same id (seeded by the three parties and the definition, §11): one relationship.
    a_cluster_role_binding_binds_its_cluster_role: {
        uses: [permission()],
        components: [
            cluster_role("admin"),
            binding("crb", "ClusterRoleBinding", "ClusterRole", "admin", &["app"]),
            account("app"),
        ],
        finds: ["edge/binding/permission admin -> app via crb approved"],
    }

    /// A RoleBinding may name a ClusterRole (as in Kubernetes): the role's kind is compared with
    /// `roleRef.kind`, not with the binding's kind.
    a_role_binding_can_bind_a_cluster_role: {
        uses: [permission()],
        components: [
            cluster_role("admin"),
            binding("rb", "RoleBinding", "ClusterRole", "admin", &["app"]),
            account("app"),
        ],
        finds: ["edge/binding/permission admin -> app via rb approved"],
    }

    /// Nor is the from item's own binding kind compared with the binding's kind: a
    /// ClusterRoleBinding naming a Role binds it (Kubernetes would refuse it; Meshery does not).
    a_cluster_role_binding_naming_a_role_binds_it: {
        uses: [permission()],
        components: [role("reader"), binding("crb", "ClusterRoleBinding", "Role", "reader", &["app"]), account("app")],
        finds: ["edge/binding/permission reader -> app via crb approved"],
    }

    /// Only kinds and names are compared: namespaces are not.
    parties_in_different_namespaces_are_bound: {
        uses: [permission()],
        components: [
            with(role("reader"), "configuration", json!({ "metadata": { "namespace": "a" } })),
            with(binding("rb", "RoleBinding", "Role", "reader", &["app"]), "configuration", json!({
                "metadata": { "namespace": "b" },
                "roleRef": { "kind": "Role", "name": "reader" },
                "subjects": [{ "kind": "ServiceAccount", "name": "app", "namespace": "c" }],
            })),
            with(account("app"), "configuration", json!({ "metadata": { "namespace": "c" } })),
        ],
        finds: ["edge/binding/permission reader -> app via rb approved"],
    }

    /// Missing values never block a binding (Go case `TestBindingIdentificationEmptyValues`): a
    /// RoleBinding with no `roleRef` and no `subjects` binds by kinds alone.
    an_empty_role_binding_binds_by_kind_alone: {
        uses: [permission()],
        components: [role("reader"), component("rb", "RoleBinding", json!({})), account("app")],
        finds: ["edge/binding/permission reader -> app via rb approved"],
    }

    /// `subjects._.name` resolves `_` to the last subject (§6.4), so only the last one is bound.
    only_the_last_subject_is_bound: {
        uses: [permission()],
        components: [
            role("reader"),
            binding("rb", "RoleBinding", "Role", "reader", &["first", "last"]),
            account("first"),
            account("last"),
        ],
        finds: ["edge/binding/permission reader -> last via rb approved"],
    }

    a_binding_binds_only_the_role_it_names: {
        uses: [permission()],
        components: [
            role("reader"),
            role("writer"),
            binding("rb", "RoleBinding", "Role", "writer", &["app"]),
            account("app"),
        ],
        finds: ["edge/binding/permission writer -> app via rb approved"],
    }

    a_binding_naming_another_service_account_binds_nothing: {
        uses: [permission()],
        components: [role("reader"), binding("rb", "RoleBinding", "Role", "reader", &["other"]), account("app")],
        finds: [],
    }

    /// The role's kind must be `roleRef.kind`.
    a_role_ref_of_another_kind_binds_nothing: {
        uses: [permission()],
        components: [role("reader"), binding("rb", "RoleBinding", "ClusterRole", "reader", &["app"]), account("app")],
        finds: [],
    }

    /// From and to parties are found by exact kind (unlike the binding party and the pair
    /// policies): a ServiceAccountList only contains the kind's name.
    a_kind_containing_service_account_is_no_service_account: {
        uses: [permission()],
        components: [
            role("reader"),
            binding("rb", "RoleBinding", "Role", "reader", &["app"]),
            component("app", "ServiceAccountList", json!({})),
        ],
        finds: [],
    }

    /// No binding component, no binding.
    a_role_and_a_service_account_alone_are_not_bound: {
        uses: [permission()],
        components: [role("reader"), account("app")],
        finds: [],
    }

    /// "Already exists" (§6.8): the design holds the Role → ServiceAccount declaration.
    an_existing_binding_is_not_found_again: {
        uses: [permission()],
        components: [role("reader"), binding("rb", "RoleBinding", "Role", "reader", &["app"]), account("app")],
        declared: [declared_items(&permission(), (1, "reader"), (1, "app"), "approved")],
        finds: [],
    }

    /// The side effect fills the binding in (`patchBindingMatchFields`, §7.5): the role's kind
    /// and name into `roleRef`, the ServiceAccount's name into the subject `_` resolves to (the
    /// first, as there is none; deviation 15 resolves `_` where Meshery writes it literally).
    an_empty_role_binding_is_filled_in_by_what_it_binds: {
        uses: [permission()],
        components: [role("reader"), component("rb", "RoleBinding", json!({})), account("app")],
        writes: [
            "update_component_configuration rb configuration.roleRef.kind = \"Role\"",
            "update_component_configuration rb configuration.roleRef.name = \"reader\"",
            "update_component_configuration rb configuration.subjects.0.name = \"app\"",
        ],
    }
}

/// A restricted pass finds bindings from the changed components outward
/// (`restricted::triples_around`), or through the full join when that would check more pairs:
/// either way, exactly the candidates of the full identification that name a changed component
/// (as from, binding or to party), in the same order. Every one and every two changed
/// components of a design with roles bound once, twice and not at all, a binding that binds
/// every role and account (nothing to compare: the costly case), and names used twice.
#[test]
fn identification_around_changed_components_equals_the_full_one_restricted_to_them() {
    use crate::context::Context;
    use crate::index::DesignIndex;
    use crate::limits::Limits;
    use crate::model::{parse_definitions, Design};
    use crate::options::EngineOptions;
    use crate::policy::edge_binding::{identify_involving, EdgeBindingPolicy};
    use crate::policy::Policy;
    use std::collections::HashSet;

    let components = vec![
        role("reader"),
        role("writer"),
        cluster_role("admin"),
        binding("rb-reader", "RoleBinding", "Role", "reader", &["app", "web"]),
        binding("rb-writer", "RoleBinding", "Role", "writer", &["web"]),
        binding("crb-admin", "ClusterRoleBinding", "ClusterRole", "admin", &["app"]),
        component("rb-any", "RoleBinding", json!({})),
        account("app"),
        account("web"),
        account("idle"),
        // A second role and binding of the same names.
        with(role("reader-2"), "displayName", json!("reader")),
        binding("rb-reader-2", "RoleBinding", "Role", "reader", &["idle"]),
    ];
    let definitions = parse_definitions(json!([permission()]), &Limits::default()).expect("definitions decode");
    let design = Design::from_value(
        json!({ "id": "6f1c3a52-3d6e-4b8e-9a2c-0000000000ab", "name": "bindings", "schemaVersion": "designs.meshery.io/v1beta1",
                "version": "0.0.1", "components": components }),
        &Limits::default(),
    )
    .expect("design decodes");
    let index = DesignIndex::build(&design);
    let options = EngineOptions::default();
    let context = Context::new(&design, &index, &options);
    let definition = &definitions[0];
    let all = EdgeBindingPolicy.identify(definition, &context);
    assert!(all.len() >= 6, "the design binds: {}", all.len());
    let parties = |candidate: &crate::policy::Candidate| -> [String; 3] {
        let at = |pointer: &str| candidate.selectors.pointer(pointer).and_then(Value::as_str).unwrap_or("").to_owned();
        [at("/0/allow/from/0/id"), at("/0/allow/from/0/match/to/0/id"), at("/0/allow/to/0/id")]
    };
    let count = design.components.len();
    let changed_sets =
        (0..count).map(|a| vec![a]).chain((0..count).flat_map(|a| (a + 1..count).map(move |b| vec![a, b])));
    for changed in changed_sets {
        let ids: HashSet<&str> = changed.iter().map(|&p| design.components[p].id()).collect();
        let expected: Vec<(String, [String; 3])> = all
            .iter()
            .filter(|c| parties(c).iter().any(|id| ids.contains(id.as_str())))
            .map(|c| (c.id.clone(), parties(c)))
            .collect();
        let involving: HashSet<usize> = changed.iter().copied().collect();
        let got: Vec<(String, [String; 3])> =
            identify_involving(definition, &context, &involving).iter().map(|c| (c.id.clone(), parties(c))).collect();
        assert_eq!(got, expected, "changed {changed:?}");
    }
}
