//! Applying an edit, through the indexed, journaled store (`Edit::apply`): the one applier of
//! every path (an incremental batch, a full batch, the bisection that finds the edit closing an
//! alias loop, the tests' oracle). It fails with a typed error naming the edit and the field, and
//! then leaves the store as it was.

use super::Edit;
use crate::error::{Error, ErrorCode, Result};
use crate::incremental::Store;
use crate::model::validate;
#[cfg(feature = "internals")]
use crate::model::Design;
use crate::model::{Component, Relationship};
use crate::patching::set_path;
use serde_json::{Map, Value};

fn unknown(kind: &str, id: &str, path: &str) -> Error {
    Error::new(ErrorCode::UnknownId, path, format!("no {kind} has id {id}"))
}

fn object(value: &Value, path: &str) -> Result<()> {
    validate::object(value, path)
}

fn set_component_field(component: &mut Component, path: &[&str], value: Value) {
    let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
    // The component is an object and every segment is a key, so this cannot fail.
    let _ = set_path(component.value_mut(), &path, value);
}

/// RFC 7396 merge: objects merge key by key, `null` deletes, anything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(target) = target {
        for (key, value) in patch {
            if value.is_null() {
                target.shift_remove(key);
            } else {
                merge_patch(target.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

impl Edit {
    /// Applies an edit that changes one component's own content (rename, move, configuration,
    /// labels, namespace); `None` for edits of another shape.
    fn edit_component(&self, component: &mut Component, path: &str) -> Option<Result<()>> {
        let outcome = match self {
            Edit::RenameComponent { display_name, .. } => {
                set_component_field(component, &["displayName"], Value::String(display_name.clone()));
                Ok(())
            }
            Edit::MoveComponent { x, y, .. } => {
                if !x.is_finite() || !y.is_finite() {
                    Err(Error::new(ErrorCode::InvalidType, format!("{path}/x"), "coordinates must be finite numbers"))
                } else {
                    set_component_field(component, &["styles", "position"], serde_json::json!({"x": x, "y": y}));
                    Ok(())
                }
            }
            Edit::SetConfiguration { configuration, .. } => object(configuration, &format!("{path}/configuration"))
                .map(|_| {
                    set_component_field(component, &["configuration"], configuration.clone());
                }),
            Edit::PatchConfiguration { patch, .. } => object(patch, &format!("{path}/patch")).map(|_| {
                let configuration =
                    component.object_mut().entry("configuration").or_insert_with(|| Value::Object(Map::new()));
                merge_patch(configuration, patch);
            }),
            Edit::SetLabels { labels, .. } => {
                set_component_field(component, &["configuration", "metadata", "labels"], Value::Object(labels.clone()));
                Ok(())
            }
            Edit::SetNamespace { namespace, .. } => {
                match namespace {
                    Some(namespace) => set_component_field(
                        component,
                        &["configuration", "metadata", "namespace"],
                        Value::String(namespace.clone()),
                    ),
                    None => {
                        if let Some(metadata) =
                            component.value_mut().pointer_mut("/configuration/metadata").and_then(Value::as_object_mut)
                        {
                            metadata.shift_remove("namespace");
                        }
                    }
                }
                Ok(())
            }
            _ => return None,
        };
        Some(outcome)
    }

    /// The checked component an `addComponent` edit adds.
    fn new_component(component: &Value, path: &str, exists: impl Fn(&str) -> bool) -> Result<Component> {
        let here = format!("{path}/component");
        validate::component(component, &here)?;
        let id = component["id"].as_str().unwrap_or_default();
        if exists(id) {
            return Err(Error::new(
                ErrorCode::DuplicateId,
                format!("{here}/id"),
                format!("component id {id} already exists"),
            ));
        }
        Ok(Component::from_value(component.clone()))
    }

    /// The checked relationship an `addRelationship` edit adds.
    fn new_relationship(relationship: &Value, path: &str, exists: impl Fn(&str) -> bool) -> Result<Relationship> {
        let here = format!("{path}/relationship");
        validate::relationship(relationship, &here)?;
        validate::required_id(relationship, "id", &here)?;
        let id = relationship["id"].as_str().unwrap_or_default();
        if exists(id) {
            return Err(Error::new(
                ErrorCode::DuplicateId,
                format!("{here}/id"),
                format!("relationship id {id} already exists"),
            ));
        }
        Ok(Relationship::from_value(relationship.clone()))
    }

    /// The preferences after a `setLayer` or `setPreferences` edit.
    fn new_preferences(&self, current: Option<&Value>, path: &str) -> Option<Result<Value>> {
        match self {
            Edit::SetLayer { layer, enabled } => {
                let mut preferences = current.cloned().unwrap_or_else(|| Value::Object(Map::new()));
                let _ = set_path(
                    &mut preferences,
                    &["layers".to_string(), "relationships".to_string(), layer.clone()],
                    Value::Bool(*enabled),
                );
                Some(Ok(preferences))
            }
            Edit::SetPreferences { preferences } => {
                Some(object(preferences, &format!("{path}/preferences")).map(|_| preferences.clone()))
            }
            _ => None,
        }
    }

    /// Applies the edit to the store; `path` is where the edit sits in its batch (e.g. `/2`), used
    /// in error paths. On error the store is unchanged.
    pub fn apply(&self, store: &mut Store, path: &str) -> Result<()> {
        let unknown_component = |id: &str| unknown("component", id, &format!("{path}/id"));
        let unknown_relationship = |id: &str| unknown("relationship", id, &format!("{path}/id"));
        if let Some(id) = self.component_ids().first().copied().filter(|_| !matches!(self, Edit::AddComponent { .. })) {
            let position = store.index.component(id).ok_or_else(|| unknown_component(id))?;
            let mut component = store.design.components[position].clone();
            if let Some(outcome) = self.edit_component(&mut component, path) {
                outcome?;
                if component != store.design.components[position] {
                    store.set_component(position, component);
                }
                return Ok(());
            }
        }
        if let Some(preferences) = self.new_preferences(store.design.fields.get("preferences"), path) {
            store.set_field("preferences", preferences?);
            return Ok(());
        }
        match self {
            Edit::AddComponent { component } => {
                let component = Edit::new_component(component, path, |id| store.index.has_component(id))?;
                store.push_component(component);
            }
            Edit::RemoveComponent { id } => {
                let position = store.index.component(id).ok_or_else(|| unknown_component(id))?;
                store.remove_component(position);
            }
            Edit::AddRelationship { relationship } => {
                let relationship =
                    Edit::new_relationship(relationship, path, |id| store.index.relationship(id).is_some())?;
                store.push_relationship(relationship);
            }
            Edit::RemoveRelationship { id } => {
                let position = store.index.relationship(id).ok_or_else(|| unknown_relationship(id))?;
                store.remove_relationship(position);
            }
            Edit::SetRelationshipStatus { id, status } => {
                let position = store.index.relationship(id).ok_or_else(|| unknown_relationship(id))?;
                let mut relationship = store.design.relationships[position].clone();
                relationship.set("status", Value::String(status.clone()));
                store.set_relationship(position, relationship);
            }
            _ => {}
        }
        Ok(())
    }
}

/// `design` with `edits` applied in order, each through the one applier (an oracle for tests and
/// fuzzers: the edited design, which a full evaluation then takes). The error path starts with
/// the edit's index in `edits`.
#[cfg(feature = "internals")]
pub fn apply_all(design: &Design, edits: &[Edit]) -> Result<Design> {
    let mut store = Store::new(design.clone());
    for (index, edit) in edits.iter().enumerate() {
        edit.apply(&mut store, &format!("/{index}"))?;
    }
    Ok(store.design)
}
