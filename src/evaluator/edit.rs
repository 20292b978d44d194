//! The edits a design editor makes, as data: each one applies to a design in place or fails with
//! a typed error naming the edit and the field.

use crate::error::{Error, ErrorCode, Result};
use crate::model::validate;
use crate::model::{Component, Design, Relationship};
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

    /// Applies the edit; `path` is where the edit sits in its batch (e.g. `/edits/2`), used in
    /// error paths.
    pub fn apply(&self, design: &mut Design, path: &str) -> Result<()> {
        match self {
            Edit::AddComponent { component } => {
                let here = format!("{path}/component");
                validate::component(component, &here)?;
                let id = component["id"].as_str().unwrap_or_default();
                if design.components.iter().any(|c| c.id() == id) {
                    return Err(Error::new(ErrorCode::DuplicateId, format!("{here}/id"), format!("component id {id} already exists")));
                }
                design.components.push(Component(component.clone()));
            }
            Edit::RemoveComponent { id } => {
                let position = component_position(design, id, path)?;
                design.components.remove(position);
            }
            Edit::RenameComponent { id, display_name } => {
                let position = component_position(design, id, path)?;
                set_component_field(&mut design.components[position], &["displayName"], Value::String(display_name.clone()));
            }
            Edit::MoveComponent { id, x, y } => {
                let position = component_position(design, id, path)?;
                if !x.is_finite() || !y.is_finite() {
                    return Err(Error::new(ErrorCode::InvalidType, format!("{path}/x"), "coordinates must be finite numbers"));
                }
                set_component_field(&mut design.components[position], &["styles", "position"], serde_json::json!({"x": x, "y": y}));
            }
            Edit::SetConfiguration { id, configuration } => {
                object(configuration, &format!("{path}/configuration"))?;
                let position = component_position(design, id, path)?;
                set_component_field(&mut design.components[position], &["configuration"], configuration.clone());
            }
            Edit::PatchConfiguration { id, patch } => {
                object(patch, &format!("{path}/patch"))?;
                let position = component_position(design, id, path)?;
                let component = design.components[position].object_mut();
                let configuration = component.entry("configuration").or_insert_with(|| Value::Object(Map::new()));
                merge_patch(configuration, patch);
            }
            Edit::SetLabels { id, labels } => {
                let position = component_position(design, id, path)?;
                set_component_field(
                    &mut design.components[position],
                    &["configuration", "metadata", "labels"],
                    Value::Object(labels.clone()),
                );
            }
            Edit::SetNamespace { id, namespace } => {
                let position = component_position(design, id, path)?;
                let component = &mut design.components[position];
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
            }
            Edit::AddRelationship { relationship } => {
                let here = format!("{path}/relationship");
                validate::relationship(relationship, &here)?;
                validate::required_id(relationship, "id", &here)?;
                let id = relationship["id"].as_str().unwrap_or_default();
                if design.relationships.iter().any(|r| r.id() == id) {
                    return Err(Error::new(ErrorCode::DuplicateId, format!("{here}/id"), format!("relationship id {id} already exists")));
                }
                design.relationships.push(Relationship(relationship.clone()));
            }
            Edit::RemoveRelationship { id } => {
                let position = relationship_position(design, id, path)?;
                design.relationships.remove(position);
            }
            Edit::SetRelationshipStatus { id, status } => {
                let position = relationship_position(design, id, path)?;
                design.relationships[position].set("status", Value::String(status.clone()));
            }
            Edit::SetLayer { layer, enabled } => {
                let preferences = design.fields.entry("preferences").or_insert_with(|| Value::Object(Map::new()));
                let _ = set_path(
                    preferences,
                    &["layers".to_string(), "relationships".to_string(), layer.clone()],
                    Value::Bool(*enabled),
                );
            }
            Edit::SetPreferences { preferences } => {
                object(preferences, &format!("{path}/preferences"))?;
                design.set_field("preferences", preferences.clone());
            }
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
