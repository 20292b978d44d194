//! The edits a design editor makes, as data: each one applies to a design in place or fails with
//! a typed error naming the edit and the field.

use crate::error::{Error, ErrorCode, Result};
use crate::model::validate;
use crate::model::{Component, Design, Relationship};
use crate::incremental::Store;
use crate::patching::set_path;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One edit of a design. JSON form: `{"op": "addComponent", "component": {…}}` and so on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "camelCase", rename_all_fields = "camelCase", deny_unknown_fields)]
pub enum Edit {
    /// Adds a component (a v1beta1 component object with a unique `id`).
    AddComponent { component: Value },
    /// Removes a component; relationships that name it are then invalidated by evaluation.
    RemoveComponent { id: String },
    /// Sets `displayName`.
    RenameComponent { id: String, display_name: String },
    /// Moves a component on the canvas (`styles.position`); evaluation does not read it.
    MoveComponent { id: String, x: f64, y: f64 },
    /// Replaces `configuration`.
    SetConfiguration { id: String, configuration: Value },
    /// Merges an RFC 7396 JSON merge patch into `configuration` (`null` deletes a key).
    PatchConfiguration { id: String, patch: Value },
    /// Replaces `configuration.metadata.labels`.
    SetLabels { id: String, labels: Map<String, Value> },
    /// Sets `configuration.metadata.namespace` (`null` removes it).
    SetNamespace { id: String, namespace: Option<String> },
    /// Adds a relationship declaration (unique `id`).
    AddRelationship { relationship: Value },
    /// Removes a relationship.
    RemoveRelationship { id: String },
    /// Sets a relationship's `status` (e.g. `approved`, `deleted`, `pending`).
    SetRelationshipStatus { id: String, status: String },
    /// Turns a relationship layer (`kind-type-subtype`, e.g. `edge-non-binding-network`) on or off
    /// in `preferences.layers.relationships`.
    SetLayer { layer: String, enabled: bool },
    /// Replaces the design's `preferences`.
    SetPreferences { preferences: Value },
}

fn unknown(kind: &str, id: &str, path: &str) -> Error {
    Error::new(ErrorCode::UnknownId, path, format!("no {kind} has id {id}"))
}

fn component_position(design: &Design, id: &str, path: &str) -> Result<usize> {
    design.components.iter().position(|c| c.id() == id).ok_or_else(|| unknown("component", id, &format!("{path}/id")))
}

fn relationship_position(design: &Design, id: &str, path: &str) -> Result<usize> {
    design.relationships.iter().position(|r| r.id() == id).ok_or_else(|| unknown("relationship", id, &format!("{path}/id")))
}

fn object(value: &Value, path: &str) -> Result<()> {
    validate::object(value, path)
}

fn set_component_field(component: &mut Component, path: &[&str], value: Value) {
    let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
    // The component is an object and every segment is a key, so this cannot fail.
    let _ = set_path(&mut component.0, &path, value);
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
    /// The ids of components this edit adds, removes or changes.
    pub fn component_ids(&self) -> Vec<&str> {
        match self {
            Edit::AddComponent { component } => component.get("id").and_then(Value::as_str).into_iter().collect(),
            Edit::RemoveComponent { id }
            | Edit::RenameComponent { id, .. }
            | Edit::MoveComponent { id, .. }
            | Edit::SetConfiguration { id, .. }
            | Edit::PatchConfiguration { id, .. }
            | Edit::SetLabels { id, .. }
            | Edit::SetNamespace { id, .. } => vec![id],
            _ => Vec::new(),
        }
    }

    /// The ids of relationships this edit adds, removes or changes.
    pub fn relationship_ids(&self) -> Vec<&str> {
        match self {
            Edit::AddRelationship { relationship } => relationship.get("id").and_then(Value::as_str).into_iter().collect(),
            Edit::RemoveRelationship { id } | Edit::SetRelationshipStatus { id, .. } => vec![id],
            _ => Vec::new(),
        }
    }

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
            Edit::SetConfiguration { configuration, .. } => object(configuration, &format!("{path}/configuration")).map(|_| {
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
                        if let Some(metadata) = component.0.pointer_mut("/configuration/metadata").and_then(Value::as_object_mut) {
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
            return Err(Error::new(ErrorCode::DuplicateId, format!("{here}/id"), format!("component id {id} already exists")));
        }
        Ok(Component(component.clone()))
    }

    /// The checked relationship an `addRelationship` edit adds.
    fn new_relationship(relationship: &Value, path: &str, exists: impl Fn(&str) -> bool) -> Result<Relationship> {
        let here = format!("{path}/relationship");
        validate::relationship(relationship, &here)?;
        validate::required_id(relationship, "id", &here)?;
        let id = relationship["id"].as_str().unwrap_or_default();
        if exists(id) {
            return Err(Error::new(ErrorCode::DuplicateId, format!("{here}/id"), format!("relationship id {id} already exists")));
        }
        Ok(Relationship(relationship.clone()))
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

    /// True for edits that change which definitions apply (layers, preferences).
    pub fn changes_scope(&self) -> bool {
        matches!(self, Edit::SetLayer { .. } | Edit::SetPreferences { .. })
    }

    /// Applies the edit; `path` is where the edit sits in its batch (e.g. `/2`), used in error
    /// paths.
    pub fn apply(&self, design: &mut Design, path: &str) -> Result<()> {
        if let Some(id) = self.component_ids().first().copied().filter(|_| !matches!(self, Edit::AddComponent { .. })) {
            let position = component_position(design, id, path)?;
            if let Some(outcome) = self.edit_component(&mut design.components[position], path) {
                return outcome;
            }
        }
        if let Some(preferences) = self.new_preferences(design.fields.get("preferences"), path) {
            design.set_field("preferences", preferences?);
            return Ok(());
        }
        match self {
            Edit::AddComponent { component } => {
                let component = Edit::new_component(component, path, |id| design.components.iter().any(|c| c.id() == id))?;
                design.components.push(component);
            }
            Edit::RemoveComponent { id } => {
                let position = component_position(design, id, path)?;
                design.components.remove(position);
            }
            Edit::AddRelationship { relationship } => {
                let relationship =
                    Edit::new_relationship(relationship, path, |id| design.relationships.iter().any(|r| r.id() == id))?;
                design.relationships.push(relationship);
            }
            Edit::RemoveRelationship { id } => {
                let position = relationship_position(design, id, path)?;
                design.relationships.remove(position);
            }
            Edit::SetRelationshipStatus { id, status } => {
                let position = relationship_position(design, id, path)?;
                design.relationships[position].set("status", Value::String(status.clone()));
            }
            _ => {}
        }
        Ok(())
    }

    /// The same as `apply`, through an indexed, journaled store (the incremental path).
    pub fn apply_to_store(&self, store: &mut Store, path: &str) -> Result<()> {
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
                let relationship = Edit::new_relationship(relationship, path, |id| store.index.relationship(id).is_some())?;
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

/// Decodes a batch of edits from JSON (an array of edit objects).
pub fn parse_edits(value: Value) -> Result<Vec<Edit>> {
    let Value::Array(items) = value else {
        return Err(Error::new(ErrorCode::InvalidType, "", "edits must be a JSON array"));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            serde_json::from_value(item)
                .map_err(|e| Error::new(ErrorCode::InvalidType, format!("/{i}"), format!("bad edit: {e}")))
        })
        .collect()
}
