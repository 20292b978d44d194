//! What the alias policy must and must not find (spec §7.3): for each component feasible for the
//! definition's `to` item, one alias per concrete path its from item's `mutatorRef[0]` names in
//! the component (the path when set; for a trailing `_`, one per non-null array element), its
//! alias component added by the side effect (`displayName` the path's last two segments).
//!
//! The Kubernetes definitions in the fixtures hold no alias definition. The rows use the alias
//! Meshery declared for a Deployment's first container in a design its engine evaluated
//! (`go-engine/design-N40-seed11.json`, relationship 5) as a definition: ids removed, and for
//! `every_container()` the index `0` replaced by `_`.

use crate::policy::test_designs::*;
use serde_json::{json, Value};

/// The container alias of a Deployment, at container `index` (`"0"`, or `"_"` for every one).
fn container_alias(index: &str) -> Value {
    let mut definition = fixture("go-engine/design-N40-seed11.json", "/relationships/5");
    assert_eq!(definition["subType"], "alias", "relationship 5 of the N40 design is Meshery's container alias");
    let path = json!(["configuration", "spec", "template", "spec", "containers", index]);
    for side in ["from", "to"] {
        let item = &mut definition["selectors"][0]["allow"][side][0];
        item.as_object_mut().expect("a selector item").remove("id");
        item["patch"]["mutatorRef"] = json!([path]);
        item["patch"]["mutatedRef"] = json!([path]);
    }
    definition["status"] = json!("enabled");
    definition
}

fn first_container() -> Value {
    container_alias("0")
}

fn every_container() -> Value {
    container_alias("_")
}

fn deployment(id: &str, containers: Value) -> Value {
    component(id, "Deployment", json!({ "spec": { "template": { "spec": { "containers": containers } } } }))
}

/// An alias relationship as the policy declares it: from the alias component to its parent,
/// both items patched at the concrete `path`.
fn alias(alias_id: &str, parent: &str, index: &str, status: &str) -> Value {
    let path = json!(["configuration", "spec", "template", "spec", "containers", index]);
    let mut declaration = declared(&first_container(), alias_id, parent, status);
    for side in ["from", "to"] {
        declaration["selectors"][0]["allow"][side][0]["patch"] = json!({ "mutatorRef": [path], "mutatedRef": [path] });
    }
    declaration
}

fn without_from_id(mut declaration: Value) -> Value {
    declaration["selectors"][0]["allow"]["from"][0].as_object_mut().expect("a selector item").remove("id");
    declaration
}

policy_table! {
    /// The alias relationship is identified and its Container component added in the same pass.
    a_deployments_container_is_shown_as_a_container: {
        uses: [first_container()],
        components: [deployment("web", json!([{ "name": "web", "image": "nginx" }]))],
        finds: ["hierarchical/parent/alias Container:containers.0 -> web identified"],
    }

    /// A trailing `_`: one alias per element.
    every_container_is_shown_with_the_wildcard: {
        uses: [every_container()],
        components: [deployment("web", json!([{ "name": "web" }, { "name": "sidecar" }]))],
        finds: [
            "hierarchical/parent/alias Container:containers.0 -> web identified",
            "hierarchical/parent/alias Container:containers.1 -> web identified",
        ],
    }

    /// …per non-null element.
    a_null_container_has_no_alias: {
        uses: [every_container()],
        components: [deployment("web", json!([null, { "name": "sidecar" }]))],
        finds: ["hierarchical/parent/alias Container:containers.1 -> web identified"],
    }

    /// A direct path names nothing when it is not set.
    a_deployment_without_containers_has_no_alias: {
        uses: [first_container()],
        components: [component("web", "Deployment", json!({ "spec": {} }))],
        finds: [],
    }

    an_empty_container_list_has_no_alias: {
        uses: [every_container()],
        components: [deployment("web", json!([]))],
        finds: [],
    }

    /// Only components feasible for the `to` item (a Deployment) get aliases.
    a_component_of_another_kind_has_no_alias: {
        uses: [first_container()],
        components: [
            component(
                "db",
                "StatefulSet",
                json!({ "spec": { "template": { "spec": { "containers": [{ "name": "db" }] } } } }),
            ),
        ],
        finds: [],
    }

    /// The alias "already exists" check: a live alias with the same first `to` item.
    an_existing_alias_is_not_found_again: {
        uses: [first_container()],
        components: [deployment("web", json!([{ "name": "web" }])), component("c0", "Container", json!({}))],
        declared: [alias("c0", "web", "0", "approved")],
        finds: [],
    }

    /// Side effects: an identified (or pending) alias adds its component…
    an_identified_alias_adds_its_component: {
        uses: [],
        components: [deployment("web", json!([{ "name": "web" }]))],
        declared: [alias("c0", "web", "0", "identified")],
        side_effects: ["add_component Container:containers.0"],
    }

    a_pending_alias_adds_its_component: {
        uses: [],
        components: [deployment("web", json!([{ "name": "web" }]))],
        declared: [alias("c0", "web", "0", "pending")],
        side_effects: ["add_component Container:containers.0"],
    }

    /// …an approved one does nothing…
    an_approved_alias_has_no_side_effect: {
        uses: [],
        components: [deployment("web", json!([{ "name": "web" }])), component("c0", "Container", json!({}))],
        declared: [alias("c0", "web", "0", "approved")],
        side_effects: [],
    }

    /// An identified or pending alias whose from item names no component adds nothing. Meshery's
    /// engine dereferences the missing id and panics, failing the whole evaluation (deviation 50).
    an_alias_naming_no_component_adds_nothing: {
        uses: [],
        components: [deployment("web", json!([{ "name": "web" }]))],
        declared: [without_from_id(alias("c0", "web", "0", "identified")), without_from_id(alias("c1", "web", "0", "pending"))],
        side_effects: [],
    }

    /// …and a deleted one removes its component.
    a_deleted_alias_removes_its_component: {
        uses: [],
        components: [deployment("web", json!([{ "name": "web" }])), component("c0", "Container", json!({}))],
        declared: [alias("c0", "web", "0", "deleted")],
        side_effects: ["delete_component c0"],
    }
}
