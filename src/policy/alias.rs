//! Alias relationships: a field of a component (e.g. a Pod's container) shown as a component of
//! its own, whose configuration reads through its parent (spec §7.3).

use super::pairs::item_for;
use super::{allow_selectors, same_item, Candidate, Policy};
use crate::context::Context;
use crate::ids::{selector_set_seed, static_uuid, uuid_v5};
use crate::matching::feasible_to;
use crate::model::{Action, Component, Relationship, SelectorItem, Status};
use crate::values::{get_nested, is_direct_reference, pop_last, Path};
use serde_json::{json, Map, Value};

/// `alias_relationships_policy`: kind `hierarchical`, type `parent`, subType `alias`.
pub struct AliasPolicy;

impl Policy for AliasPolicy {
    fn id(&self) -> &'static str {
        "alias_relationships_policy"
    }

    fn is_implicated_by(&self, relationship: &Relationship) -> bool {
        relationship.is("hierarchical", "parent", Some("alias"))
    }

    /// Pending is valid; any status but approved is invalid; approved needs both components and
    /// a non-null value at the alias path inside the parent.
    fn is_invalid(&self, relationship: &Relationship, context: &Context) -> bool {
        match relationship.status() {
            Status::PENDING => false,
            Status::APPROVED => !approved_alias_is_valid(relationship, context),
            _ => true,
        }
    }

    fn identify(&self, definition: &Relationship, context: &Context) -> Vec<Candidate> {
        let mut found = Vec::new();
        for component in &context.design.components {
            if feasible_to(component, definition).is_none() {
                continue;
            }
            for set in definition.selectors() {
                for from in set.allow_from() {
                    let Some(reference) = SelectorItem(from).mutator_ref().and_then(|r| r.into_iter().next()) else {
                        continue;
                    };
                    let paths = alias_paths(&reference, component, context);
                    for to in set.allow_to() {
                        for path in &paths {
                            found.push(alias_candidate(from, to, component, path));
                        }
                    }
                }
            }
        }
        found
    }

    /// An alias exists when a non-deleted alias relationship has the same first `to` item.
    fn already_exists(&self, _: &Relationship, candidate: &Candidate, context: &Context) -> bool {
        let Some(new_to) = get_nested(&candidate.selectors, &["0", "allow", "to", "0"]) else { return false };
        let Some(parent) = SelectorItem(new_to).id() else { return false };
        context.index.relationships_of_component(parent).iter().any(|&position| {
            let existing = &context.design.relationships[position];
            existing.status() != Status::DELETED
                && self.is_implicated_by(existing)
                && existing.first_selector().and_then(|s| s.allow_to().first()).is_some_and(|to| same_item(to, new_to))
        })
    }

    /// Identified or pending: add the alias component; deleted: remove it.
    fn side_effects(&self, relationship: &Relationship, context: &Context) -> Vec<Action> {
        let status = relationship.status();
        let mut actions = Vec::new();
        for set in relationship.selectors() {
            for from in set.allow_from().iter().map(SelectorItem) {
                let Some(id) = from.id() else { continue };
                match status {
                    Status::IDENTIFIED | Status::PENDING => {
                        let Some(reference) = from.mutator_ref().and_then(|r| r.into_iter().next()) else {
                            continue;
                        };
                        actions.push(Action::AddComponent { item: alias_component(id, from, &reference) });
                    }
                    Status::DELETED => actions
                        .push(Action::DeleteComponent { id: id.to_owned(), component: context.component(id).cloned() }),
                    _ => {}
                }
            }
        }
        actions
    }

    /// Alias side effects add and delete components; they update none.
    fn may_update(&self, _: &Relationship, _: &str) -> bool {
        false
    }
}

fn approved_alias_is_valid(relationship: &Relationship, context: &Context) -> bool {
    let Some(set) = relationship.first_selector() else { return false };
    let from = set.allow_from().first().map(SelectorItem);
    let to = set.allow_to().first().map(SelectorItem);
    let (Some(from), Some(to)) = (from, to) else { return false };
    let from_exists = from.id().is_some_and(|id| context.index.has_component(id));
    let Some(parent) = to.id().and_then(|id| context.component(id)) else { return false };
    let reference =
        set.allow_from().iter().find_map(|item| SelectorItem(item).mutator_ref().and_then(|r| r.into_iter().next()));
    let Some(reference) = reference else { return false };
    from_exists
        && context
            .config(parent)
            .and_then(|c| get_nested(c, reference.get(1..).unwrap_or(&[])))
            .is_some_and(|v| !v.is_null())
}

/// The concrete paths an alias reference names in a component: the path itself when direct and
/// set, or one path per non-null element of the array a trailing `_` ranges over.
fn alias_paths(reference: &Path, component: &Component, context: &Context) -> Vec<Path> {
    let config = context.config(component);
    let read = |path: &[String]| config.and_then(|c| get_nested(c, path.get(1..).unwrap_or(&[])));
    if is_direct_reference(reference) {
        return match read(reference) {
            Some(v) if !v.is_null() => vec![reference.clone()],
            _ => Vec::new(),
        };
    }
    let base = pop_last(reference);
    let Some(Value::Array(items)) = read(&base) else { return Vec::new() };
    items
        .iter()
        .enumerate()
        .filter(|(_, item)| !item.is_null())
        .map(|(i, _)| {
            let mut path = base.clone();
            path.push(i.to_string());
            path
        })
        .collect()
}

fn alias_candidate(from: &Value, to: &Value, parent: &Component, path: &Path) -> Candidate {
    let alias_id = static_uuid(&json!({ "c": parent.id(), "s": path }));
    let patch = json!({ "mutatorRef": [path], "mutatedRef": [path] });
    let mut from = item_for(from, &alias_id);
    let mut to = item_for(to, parent.id());
    for item in [&mut from, &mut to] {
        if let Value::Object(map) = item {
            map.insert("patch".into(), patch.clone());
        }
    }
    let id = uuid_v5(&selector_set_seed(&[&from], &[&to]));
    Candidate { selectors: allow_selectors(vec![from], vec![to]), id, status: Status::IDENTIFIED }
}

/// The alias component: `{id, displayName: "<p[-2]>.<p[-1]>", component.kind, metadata.isAnnotation,
/// modelReference}`.
fn alias_component(id: &str, item: SelectorItem<'_>, reference: &Path) -> Component {
    let display_name = match reference.len() {
        n if n >= 2 => format!("{}.{}", reference[n - 2], reference[n - 1]),
        _ => String::new(),
    };
    let mut component = Map::new();
    component.insert("id".into(), Value::String(id.to_owned()));
    component.insert("displayName".into(), Value::String(display_name));
    component.insert("component".into(), json!({ "kind": item.kind() }));
    component.insert("metadata".into(), json!({ "isAnnotation": true }));
    if let Some(model) = item.model() {
        component.insert("modelReference".into(), model.clone());
    }
    Component::from_value(Value::Object(component))
}

#[cfg(test)]
mod tests;
