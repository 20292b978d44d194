//! Applying actions to a design (spec §8.2), in Meshery's order: deletions, additions (first
//! wins), relationship statuses (last wins), then component patches and removals.

use crate::model::{Action, Component, Design, Relationship};
use crate::patching::{delete_path, set_path};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// What an apply took out of the design, by id (for the trace).
#[derive(Debug, Default)]
pub struct Removed {
    pub components: HashMap<String, Component>,
    pub relationships: HashMap<String, Relationship>,
}

/// Applies `actions` to `design` in place.
pub fn apply(design: &mut Design, actions: &[Action]) -> Removed {
    let mut removed = Removed::default();
    remove_deleted(design, actions, &mut removed);
    add_new(design, actions);
    set_statuses(design, actions);
    patch_components(design, actions);
    removed
}

fn remove_deleted(design: &mut Design, actions: &[Action], removed: &mut Removed) {
    let mut component_ids: HashSet<&str> = HashSet::new();
    let mut relationship_ids: HashSet<&str> = HashSet::new();
    for action in actions {
        match action {
            Action::DeleteComponent { id, .. } => {
                component_ids.insert(id);
            }
            Action::DeleteRelationship { id, .. } => {
                relationship_ids.insert(id);
            }
            _ => {}
        }
    }
    if !component_ids.is_empty() {
        let components = std::mem::take(&mut design.components);
        for component in components {
            if component_ids.contains(component.id()) {
                removed.components.insert(component.id().to_owned(), component);
            } else {
                design.components.push(component);
            }
        }
    }
    if !relationship_ids.is_empty() {
        let relationships = std::mem::take(&mut design.relationships);
        for relationship in relationships {
            if relationship_ids.contains(relationship.id()) {
                removed.relationships.insert(relationship.id().to_owned(), relationship);
            } else {
                design.relationships.push(relationship);
            }
        }
    }
}

fn add_new(design: &mut Design, actions: &[Action]) {
    let adds_components = actions.iter().any(|a| matches!(a, Action::AddComponent { .. }));
    let adds_relationships = actions.iter().any(|a| matches!(a, Action::AddRelationship { .. }));
    if adds_components {
        let mut present: HashSet<String> = design.components.iter().map(|c| c.id().to_owned()).collect();
        for action in actions {
            if let Action::AddComponent { item } = action {
                if present.insert(item.id().to_owned()) {
                    design.components.push(item.clone());
                }
            }
        }
    }
    if adds_relationships {
        let mut present: HashSet<String> = design.relationships.iter().map(|r| r.id().to_owned()).collect();
        for action in actions {
            if let Action::AddRelationship { item } = action {
                if present.insert(item.id().to_owned()) {
                    design.relationships.push(item.clone());
                }
            }
        }
    }
}

fn set_statuses(design: &mut Design, actions: &[Action]) {
    let mut statuses: HashMap<&str, &Value> = HashMap::new();
    for action in actions {
        if let Action::UpdateRelationship { id, path, value } = action {
            if path == "/status" {
                statuses.insert(id, value);
            }
        }
    }
    if statuses.is_empty() {
        return;
    }
    for relationship in &mut design.relationships {
        if let Some(status) = statuses.get(relationship.id()) {
            relationship.set("status", (*status).clone());
        }
    }
}

/// Per component, in action order: configuration updates write under `configuration`, other
/// updates write the component's own field (our fix: Meshery writes them under configuration
/// too). A patch that cannot be applied discards every patch of that component, as in Meshery;
/// then removals, which are likewise all-or-nothing per component.
fn patch_components(design: &mut Design, actions: &[Action]) {
    let mut patches: HashMap<&str, Vec<&Action>> = HashMap::new();
    for action in actions {
        match action {
            Action::UpdateComponent { id, .. }
            | Action::UpdateComponentConfiguration { id, .. }
            | Action::RemoveComponentConfiguration { id, .. } => patches.entry(id).or_default().push(action),
            _ => {}
        }
    }
    if patches.is_empty() {
        return;
    }
    for component in &mut design.components {
        let Some(list) = patches.get(component.id()) else { continue };
        if let Some(updated) = updated_component(component, list) {
            *component = updated;
        }
        if let Some(updated) = removed_fields(component, list) {
            *component = updated;
        }
    }
}

fn configuration_of(component: &Component) -> Value {
    match component.0.get("configuration") {
        Some(Value::Object(map)) => Value::Object(map.clone()),
        _ => Value::Object(Map::new()),
    }
}

pub(crate) fn updated_component(component: &Component, list: &[&Action]) -> Option<Component> {
    let updates: Vec<&&Action> = list
        .iter()
        .filter(|a| matches!(a, Action::UpdateComponent { .. } | Action::UpdateComponentConfiguration { .. }))
        .collect();
    if updates.is_empty() {
        return None;
    }
    let mut result = component.clone();
    let mut configuration = configuration_of(component);
    let mut configuration_touched = false;
    for action in updates {
        let outcome = match action {
            Action::UpdateComponentConfiguration { path, value, .. } => {
                configuration_touched = true;
                set_path(&mut configuration, &path[1..], value.clone())
            }
            Action::UpdateComponent { path, value, .. } if !path.is_empty() => {
                set_path(result.value_mut(), path, value.clone())
            }
            _ => Ok(()),
        };
        if outcome.is_err() {
            return None;
        }
    }
    if configuration_touched {
        result.object_mut().insert("configuration".into(), configuration);
    }
    Some(result)
}

pub(crate) fn removed_fields(component: &Component, list: &[&Action]) -> Option<Component> {
    let removals: Vec<&[String]> = list
        .iter()
        .filter_map(|a| match a {
            Action::RemoveComponentConfiguration { path, .. } => {
                let inner = path.strip_prefix(&["configuration".to_string()]).unwrap_or(path);
                (!inner.is_empty()).then_some(inner)
            }
            _ => None,
        })
        .collect();
    if removals.is_empty() || component.configuration().is_none() {
        return None;
    }
    let mut configuration = configuration_of(component);
    for path in removals {
        if delete_path(&mut configuration, path).is_err() {
            return None;
        }
    }
    let mut result = component.clone();
    result.object_mut().insert("configuration".into(), configuration);
    Some(result)
}
