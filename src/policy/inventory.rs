//! Inventory additions (spec §7.8, Phase 2.5): a child that names a parent the design lacks (a
//! Deployment in namespace `shop` with no Namespace `shop`) makes the engine add that parent.
//! Unlike Meshery, the parent's id derives from its content and one parent is added per distinct
//! missing parent, not one per child.

use crate::context::Context;
use crate::ids::static_uuid;
use crate::matching::feasible_between;
use crate::model::{Action, Component, Relationship, SelectorItem};
use crate::patching::set_path;
use crate::values::{equality_key, Path};
use serde_json::{json, Map, Value};
use std::collections::HashSet;

/// The `add_component` actions for missing parents of every in-scope inventory definition.
pub fn inventory_additions(definitions: &[&Relationship], context: &Context) -> Vec<Action> {
    let mut added: HashSet<String> = HashSet::new();
    let mut actions = Vec::new();
    for definition in definitions.iter().filter(|d| d.is("hierarchical", "parent", Some("inventory"))) {
        for set in definition.selectors() {
            let items: Vec<SelectorItem> = set.allow_from().iter().chain(set.allow_to()).map(SelectorItem).collect();
            let mutated: Vec<(SelectorItem, Vec<Path>)> = items
                .iter()
                .filter_map(|i| i.mutated_ref().filter(|r| !r.is_empty()).map(|r| (*i, r)))
                .collect();
            let mutators: Vec<(SelectorItem, Vec<Path>, HashSet<String>)> = items
                .iter()
                .filter_map(|i| i.mutator_ref().filter(|r| !r.is_empty()).map(|r| (*i, r)))
                .map(|(item, refs)| {
                    let present = existing_parent_keys(context, item, &refs);
                    (item, refs, present)
                })
                .collect();
            for (child_item, child_refs) in &mutated {
                for &position in context.index.components_matching_kind(child_item.kind()).iter() {
                    let child = context.component_at(position);
                    let values: Option<Vec<&Value>> = child_refs
                        .iter()
                        .map(|p| context.value_at(p, child).filter(|v| !v.is_null()))
                        .collect();
                    let Some(values) = values else { continue };
                    for (parent_item, parent_refs, present) in &mutators {
                        if parent_refs.len() == values.len() && present.contains(&values_key(&values)) {
                            continue;
                        }
                        let Some(parent) = candidate_parent(*parent_item, parent_refs, &values) else { continue };
                        if feasible_between(child, &parent, definition).is_none() {
                            continue;
                        }
                        if added.insert(parent.id().to_owned()) {
                            actions.push(Action::AddComponent { item: parent });
                        }
                    }
                }
            }
        }
    }
    actions
}

fn values_key(values: &[&Value]) -> String {
    values.iter().map(|v| equality_key(Some(v))).collect::<Vec<_>>().join("\u{1}")
}

/// Keys of the value tuples that existing components of the parent kind already hold at the
/// mutator paths (components with a null among them hold none).
fn existing_parent_keys(context: &Context, item: SelectorItem<'_>, refs: &[Path]) -> HashSet<String> {
    let mut keys = HashSet::new();
    for &position in context.index.components_matching_kind(item.kind()).iter() {
        let component = context.component_at(position);
        let values: Option<Vec<&Value>> =
            refs.iter().map(|p| context.value_at(p, component).filter(|v| !v.is_null())).collect();
        if let Some(values) = values {
            keys.insert(values_key(&values));
        }
    }
    keys
}

/// The parent a child implies: kind and model of the mutator item, with the child's values
/// written at the mutator paths (`displayName` or `configuration…`). Its id is UUIDv5 of that
/// content, so the same missing parent always gets the same id.
fn candidate_parent(item: SelectorItem<'_>, refs: &[Path], values: &[&Value]) -> Option<Component> {
    let kind = item.kind();
    if kind.is_empty() {
        return None;
    }
    let mut content = Map::new();
    content.insert("component".into(), json!({ "kind": kind }));
    if let Some(model) = item.model() {
        content.insert(
            "model".into(),
            json!({
                "name": model.get("name").cloned().unwrap_or(Value::Null),
                "version": model.get("version").cloned().unwrap_or(Value::Null),
                "displayName": model.get("displayName").cloned().unwrap_or(Value::Null),
                "model": { "version": model.pointer("/model/version").cloned().unwrap_or(Value::Null) },
            }),
        );
        content.insert("modelReference".into(), model.clone());
    }
    let mut configuration = Value::Object(Map::new());
    for (path, value) in refs.iter().zip(values) {
        match path.split_first() {
            Some((first, rest)) if first == "displayName" && rest.is_empty() && value.is_string() => {
                content.insert("displayName".into(), (*value).clone());
            }
            Some((first, rest)) if first == "configuration" => {
                let _ = set_path(&mut configuration, rest, (*value).clone());
            }
            _ => {}
        }
    }
    if configuration.as_object().is_some_and(|c| !c.is_empty()) {
        content.insert("configuration".into(), configuration);
    }
    let id = static_uuid(&json!({ "inventoryParent": Value::Object(content.clone()) }));
    let mut component = Map::new();
    component.insert("id".into(), Value::String(id));
    component.extend(content);
    Some(Component(Value::Object(component)))
}
