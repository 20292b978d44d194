//! Inventory additions (spec §7.8, Phase 2.5): a child that names a parent the design lacks (a
//! Deployment in namespace `shop` with no Namespace `shop`) makes the engine add that parent.
//! Unlike Meshery, the parent's id derives from its content and one parent is added per distinct
//! missing parent, not one per child.

use crate::context::Context;
use crate::ids::static_uuid;
use crate::matching::feasible_between;
use crate::model::{Action, Component, Relationship, SelectorItem};
use crate::patching::set_path;
use crate::values::{equality_key, get_nested, Path};
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};

/// Where a (definition, selector set, mutator item) slot's parents are looked up.
pub type ParentSlot = (String, usize, usize);

/// Answers "does some component that could be the parent already hold these values?".
pub trait ParentKeys {
    /// True when a component matching `item`'s kind holds `key` (see `values_key`) at `refs`.
    fn contains(
        &mut self,
        slot: &ParentSlot,
        item: SelectorItem<'_>,
        refs: &[Path],
        key: &str,
        context: &Context,
    ) -> bool;
}

/// Parent keys found by scanning the design once per slot (the full evaluation).
#[derive(Default)]
pub struct ScannedParentKeys(HashMap<ParentSlot, HashSet<String>>);

impl ParentKeys for ScannedParentKeys {
    fn contains(
        &mut self,
        slot: &ParentSlot,
        item: SelectorItem<'_>,
        refs: &[Path],
        key: &str,
        context: &Context,
    ) -> bool {
        self.0.entry(slot.clone()).or_insert_with(|| existing_parent_keys(context, item, refs)).contains(key)
    }
}

/// The `add_component` actions for missing parents of every in-scope inventory definition.
pub fn inventory_additions(definitions: &[&Relationship], context: &Context) -> Vec<Action> {
    inventory_additions_with(definitions, context, &mut ScannedParentKeys::default(), |_, _| true)
}

/// The inventory mutator items of a definition: (slot, item, refs), in order.
pub fn parent_slots<'d>(definition: &'d Relationship) -> Vec<(ParentSlot, SelectorItem<'d>, Vec<Path>)> {
    let mut slots = Vec::new();
    for (set_index, set) in definition.selectors().enumerate() {
        for (item_index, item) in set.allow_from().iter().chain(set.allow_to()).map(SelectorItem).enumerate() {
            if let Some(refs) = item.mutator_ref().filter(|r| !r.is_empty()) {
                slots.push(((definition.id().to_owned(), set_index, item_index), item, refs));
            }
        }
    }
    slots
}

/// Inventory additions, looking parents up in `parents` and considering only the children
/// `consider(position, key)` accepts (all of them in a full evaluation).
pub fn inventory_additions_with(
    definitions: &[&Relationship],
    context: &Context,
    parents: &mut dyn ParentKeys,
    consider: impl Fn(usize, &str) -> bool,
) -> Vec<Action> {
    let mut added: HashSet<String> = HashSet::new();
    let mut actions = Vec::new();
    for definition in definitions.iter().filter(|d| d.is("hierarchical", "parent", Some("inventory"))) {
        let slots = parent_slots(definition);
        for (set_index, set) in definition.selectors().enumerate() {
            let items: Vec<SelectorItem> = set.allow_from().iter().chain(set.allow_to()).map(SelectorItem).collect();
            let mutated: Vec<(SelectorItem, Vec<Path>)> =
                items.iter().filter_map(|i| i.mutated_ref().filter(|r| !r.is_empty()).map(|r| (*i, r))).collect();
            let mutators: Vec<&(ParentSlot, SelectorItem, Vec<Path>)> =
                slots.iter().filter(|(slot, _, _)| slot.1 == set_index).collect();
            for (child_item, child_refs) in &mutated {
                for &position in context.index.components_matching_kind(child_item.kind()).iter() {
                    let child = context.component_at(position);
                    let values: Option<Vec<&Value>> =
                        child_refs.iter().map(|p| context.value_at(p, child).filter(|v| !v.is_null())).collect();
                    let Some(values) = values else { continue };
                    let key = values_key(&values);
                    if !consider(position, &key) {
                        continue;
                    }
                    for (slot, parent_item, parent_refs) in &mutators {
                        if parent_refs.len() == values.len()
                            && parents.contains(slot, *parent_item, parent_refs, &key, context)
                        {
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

/// The key of a value tuple (equal tuples, equal keys).
pub fn values_key(values: &[&Value]) -> String {
    values.iter().map(|v| equality_key(Some(v))).collect::<Vec<_>>().join("\u{1}")
}

/// Keys of the value tuples that existing components of the parent kind already hold at the
/// mutator paths (components with a null among them hold none).
pub fn existing_parent_keys(context: &Context, item: SelectorItem<'_>, refs: &[Path]) -> HashSet<String> {
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
                "model": { "version": get_nested(model, &["model", "version"]).cloned().unwrap_or(Value::Null) },
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
    Some(Component::from_value(Value::Object(component)))
}

#[cfg(test)]
mod tests;
