//! The edits a design editor makes, as data: each one applies to a design in place or fails with
//! a typed error naming the edit and the field.

use crate::error::{Error, ErrorCode, Result};
use crate::incremental::Store;
use crate::limits::Limits;
use crate::model::validate;
use crate::model::{Component, Design, Relationship};
use crate::patching::set_path;
use serde::Serialize;
use serde_json::{Map, Value};

/// One edit of a design. JSON form: `{"op": "addComponent", "component": {…}}` and so on, read by
/// `Edit::from_value` (written by hand rather than derived: serde's internally tagged enums buffer
/// through its `Content` type, the largest piece of serde code in the WebAssembly module).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "camelCase", rename_all_fields = "camelCase")]
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
    design
        .relationships
        .iter()
        .position(|r| r.id() == id)
        .ok_or_else(|| unknown("relationship", id, &format!("{path}/id")))
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
            Edit::AddRelationship { relationship } => {
                relationship.get("id").and_then(Value::as_str).into_iter().collect()
            }
            Edit::RemoveRelationship { id } | Edit::SetRelationshipStatus { id, .. } => vec![id],
            _ => Vec::new(),
        }
    }

    /// The field of the edit that names what it adds or changes (`component`, `relationship`,
    /// `id`, …): where an error the edit caused as a whole, such as a loop it closes, points.
    pub fn subject_field(&self) -> &'static str {
        match self {
            Edit::AddComponent { .. } => "component",
            Edit::AddRelationship { .. } => "relationship",
            Edit::SetRelationshipStatus { .. } => "status",
            Edit::SetLayer { .. } => "layer",
            Edit::SetPreferences { .. } => "preferences",
            _ => "id",
        }
    }

    /// The component whose relationships `rematchOnEdit` drops before this edit: edits of what
    /// relationships are matched on (namespace, labels, configuration).
    pub fn rematched_component(&self) -> Option<&str> {
        match self {
            Edit::SetConfiguration { id, .. }
            | Edit::PatchConfiguration { id, .. }
            | Edit::SetLabels { id, .. }
            | Edit::SetNamespace { id, .. } => Some(id),
            _ => None,
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

    /// Checks what the edit would store against `maxDepth` and `maxStringBytes`, counting levels
    /// where the value will sit in the design, so every state a batch produces can be snapshotted
    /// and restored. `path` is where the edit sits in its batch.
    pub fn check_limits(&self, limits: &Limits, path: &str) -> Result<()> {
        use crate::limits::COMPONENT_LEVEL;
        let at = |field: &str| format!("{path}/{field}");
        match self {
            Edit::AddComponent { component } => limits.check_value_at(component, &at("component"), COMPONENT_LEVEL),
            Edit::RenameComponent { display_name, .. } => limits.check_string(display_name, &at("displayName")),
            Edit::SetConfiguration { configuration, .. } => {
                limits.check_value_at(configuration, &at("configuration"), COMPONENT_LEVEL + 1)
            }
            // A merge patch mirrors the configuration it merges into: the result nests no deeper.
            Edit::PatchConfiguration { patch, .. } => limits.check_value_at(patch, &at("patch"), COMPONENT_LEVEL + 1),
            Edit::SetLabels { labels, .. } => {
                limits.check_value_at(&Value::Object(labels.clone()), &at("labels"), COMPONENT_LEVEL + 3)
            }
            Edit::SetNamespace { namespace: Some(namespace), .. } => limits.check_string(namespace, &at("namespace")),
            Edit::AddRelationship { relationship } => {
                limits.check_value_at(relationship, &at("relationship"), COMPONENT_LEVEL)
            }
            Edit::SetRelationshipStatus { status, .. } => limits.check_string(status, &at("status")),
            Edit::SetLayer { layer, .. } => limits.check_string(layer, &at("layer")),
            Edit::SetPreferences { preferences } => limits.check_value_at(preferences, &at("preferences"), 2),
            _ => Ok(()),
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
                let component =
                    Edit::new_component(component, path, |id| design.components.iter().any(|c| c.id() == id))?;
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

/// Reads edits JSON text, the raw nesting checked before parsing (two levels more than a design:
/// the batch array and the edit object hold preferences one level deeper than a design does; each
/// payload is then checked where it will be stored, `Edit::check_limits`, naming the place).
pub fn edits_from_json(text: &str, limits: &crate::limits::Limits) -> Result<Vec<Edit>> {
    parse_edits(crate::reading::parse_json(text, limits, crate::limits::DEEPEST_NESTING + 2)?)
}

/// Decodes a batch of edits from JSON (an array of edit objects).
pub fn parse_edits(value: Value) -> Result<Vec<Edit>> {
    let Value::Array(items) = value else {
        return Err(Error::new(ErrorCode::InvalidType, "", "edits must be a JSON array"));
    };
    items.into_iter().enumerate().map(|(i, item)| Edit::from_value(item, &format!("/{i}"))).collect()
}

/// Every op and its fields, in the order of `Edit` (the order the error messages list them in).
const OPS: [(&str, &[&str]); 13] = [
    ("addComponent", &["component"]),
    ("removeComponent", &["id"]),
    ("renameComponent", &["id", "displayName"]),
    ("moveComponent", &["id", "x", "y"]),
    ("setConfiguration", &["id", "configuration"]),
    ("patchConfiguration", &["id", "patch"]),
    ("setLabels", &["id", "labels"]),
    ("setNamespace", &["id", "namespace"]),
    ("addRelationship", &["relationship"]),
    ("removeRelationship", &["id"]),
    ("setRelationshipStatus", &["id", "status"]),
    ("setLayer", &["layer", "enabled"]),
    ("setPreferences", &["preferences"]),
];

impl Edit {
    /// Decodes one edit object; `path` is where the edit sits in its batch (e.g. `/2`). Every
    /// decoding error is `INVALID_TYPE` at `path`: a value that is not an object, a missing or
    /// unknown `op`, a field the op does not have, a missing field or one of the wrong type.
    /// Only `namespace` may be absent (= `null`).
    pub fn from_value(value: Value, path: &str) -> Result<Edit> {
        let bad = |message: String| Error::new(ErrorCode::InvalidType, path, format!("bad edit: {message}"));
        let Value::Object(mut map) = value else {
            return Err(bad(format!("invalid type: {}, expected an edit object", unexpected(&value))));
        };
        let op = match map.shift_remove("op") {
            Some(Value::String(op)) => op,
            Some(other) => {
                return Err(bad(format!("invalid type for `op`: {}, expected a string", unexpected(&other))))
            }
            None => return Err(bad("missing field `op`".into())),
        };
        let Some(&(_, names)) = OPS.iter().find(|(name, _)| *name == op) else {
            let ops: Vec<&str> = OPS.iter().map(|(name, _)| *name).collect();
            return Err(bad(format!("unknown variant `{op}`, expected {}", one_of(&ops))));
        };
        if let Some(key) = map.keys().find(|key| !names.contains(&key.as_str())) {
            return Err(bad(format!("unknown field `{key}`, expected {}", one_of(names))));
        }
        let mut fields = Fields { map, bad: &bad };
        Ok(match op.as_str() {
            "addComponent" => Edit::AddComponent { component: fields.value("component")? },
            "removeComponent" => Edit::RemoveComponent { id: fields.string("id")? },
            "renameComponent" => {
                Edit::RenameComponent { id: fields.string("id")?, display_name: fields.string("displayName")? }
            }
            "moveComponent" => {
                Edit::MoveComponent { id: fields.string("id")?, x: fields.number("x")?, y: fields.number("y")? }
            }
            "setConfiguration" => {
                Edit::SetConfiguration { id: fields.string("id")?, configuration: fields.value("configuration")? }
            }
            "patchConfiguration" => {
                Edit::PatchConfiguration { id: fields.string("id")?, patch: fields.value("patch")? }
            }
            "setLabels" => {
                let id = fields.string("id")?;
                let labels = fields.object("labels")?;
                // Kubernetes labels map strings to strings; the matchers compare them as strings.
                if let Some((position, value)) = labels.values().enumerate().find(|(_, value)| !value.is_string()) {
                    return Err(bad(format!(
                        "invalid type for label {position} of `labels`: {}, expected a string",
                        unexpected(value)
                    )));
                }
                Edit::SetLabels { id, labels }
            }
            "setNamespace" => {
                Edit::SetNamespace { id: fields.string("id")?, namespace: fields.optional_string("namespace")? }
            }
            "addRelationship" => Edit::AddRelationship { relationship: fields.value("relationship")? },
            "removeRelationship" => Edit::RemoveRelationship { id: fields.string("id")? },
            "setRelationshipStatus" => {
                Edit::SetRelationshipStatus { id: fields.string("id")?, status: fields.string("status")? }
            }
            "setLayer" => Edit::SetLayer { layer: fields.string("layer")?, enabled: fields.boolean("enabled")? },
            // "setPreferences", the last op of `OPS`
            _ => Edit::SetPreferences { preferences: fields.value("preferences")? },
        })
    }
}

/// The fields of one edit object, taken out one by one.
struct Fields<'a> {
    map: Map<String, Value>,
    bad: &'a dyn Fn(String) -> Error,
}

impl Fields<'_> {
    fn value(&mut self, name: &str) -> Result<Value> {
        self.map.shift_remove(name).ok_or_else(|| (self.bad)(format!("missing field `{name}`")))
    }

    fn invalid(&self, name: &str, value: &Value, expected: &str) -> Error {
        (self.bad)(format!("invalid type for `{name}`: {}, expected {expected}", unexpected(value)))
    }

    fn string(&mut self, name: &str) -> Result<String> {
        match self.value(name)? {
            Value::String(s) => Ok(s),
            other => Err(self.invalid(name, &other, "a string")),
        }
    }

    /// A string, or `None` when the field is `null` or absent.
    fn optional_string(&mut self, name: &str) -> Result<Option<String>> {
        match self.map.shift_remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.invalid(name, &other, "a string or null")),
        }
    }

    fn number(&mut self, name: &str) -> Result<f64> {
        let value = self.value(name)?;
        value.as_f64().ok_or_else(|| self.invalid(name, &value, "a number"))
    }

    fn boolean(&mut self, name: &str) -> Result<bool> {
        let value = self.value(name)?;
        value.as_bool().ok_or_else(|| self.invalid(name, &value, "a boolean"))
    }

    fn object(&mut self, name: &str) -> Result<Map<String, Value>> {
        match self.value(name)? {
            Value::Object(map) => Ok(map),
            other => Err(self.invalid(name, &other, "an object")),
        }
    }
}

/// What a value is, as serde words it in its errors (`integer \`5\``, `map`, …).
fn unexpected(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_i64() || n.is_u64() => format!("integer `{n}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("number `{n}` past the range of a 64-bit float"),
        Value::String(_) => format!("string {value}"),
        Value::Array(_) => "sequence".into(),
        Value::Object(_) => "map".into(),
    }
}

/// `` `a` ``, `` `a` or `b` ``, `` one of `a`, `b`, `c` `` (serde's wording, which callers parse).
fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.as_slice() {
        [one] => one.clone(),
        [a, b] => format!("{a} or {b}"),
        _ => format!("one of {}", quoted.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn every_op() -> Vec<Edit> {
        let id = || "c".to_string();
        vec![
            Edit::AddComponent { component: json!({"id": "n"}) },
            Edit::RemoveComponent { id: id() },
            Edit::RenameComponent { id: id(), display_name: "x".into() },
            Edit::MoveComponent { id: id(), x: 1.5, y: -2.0 },
            Edit::SetConfiguration { id: id(), configuration: json!({"a": 1}) },
            Edit::PatchConfiguration { id: id(), patch: json!({"a": null}) },
            Edit::SetLabels { id: id(), labels: json!({"app": "web"}).as_object().cloned().unwrap_or_default() },
            Edit::SetNamespace { id: id(), namespace: Some("ns".into()) },
            Edit::SetNamespace { id: id(), namespace: None },
            Edit::AddRelationship { relationship: json!({"id": "r"}) },
            Edit::RemoveRelationship { id: id() },
            Edit::SetRelationshipStatus { id: id(), status: "deleted".into() },
            Edit::SetLayer { layer: "edge-non-binding-network".into(), enabled: true },
            Edit::SetPreferences { preferences: json!({}) },
        ]
    }

    #[test]
    fn every_op_reads_back_what_serde_writes() {
        let edits = every_op();
        let ops: Vec<&str> = OPS.iter().map(|(op, _)| *op).collect();
        for edit in &edits {
            let value = serde_json::to_value(edit).expect("serializes");
            let op = value["op"].as_str().unwrap_or_default();
            let fields: Vec<&str> =
                value.as_object().into_iter().flatten().map(|(k, _)| k.as_str()).filter(|k| *k != "op").collect();
            assert_eq!(Some(&fields.as_slice()), OPS.iter().find(|(o, _)| *o == op).map(|(_, f)| f), "{op}");
            assert_eq!(Edit::from_value(value, "/0").as_ref(), Ok(edit));
        }
        let written: Vec<String> =
            edits.iter().map(|e| serde_json::to_value(e).unwrap()["op"].as_str().unwrap().to_owned()).collect();
        let mut distinct = written.clone();
        distinct.dedup();
        assert_eq!(distinct, ops, "OPS lists the ops in the order of the enum");
    }

    fn error(value: Value) -> Error {
        match parse_edits(json!([{"op": "removeComponent", "id": "c"}, value])) {
            Err(e) => e,
            Ok(edits) => panic!("accepted: {edits:?}"),
        }
    }

    #[test]
    fn malformed_edits_are_invalid_type_at_the_edit() {
        for value in [
            json!(null),
            json!("removeComponent"),
            json!(["removeComponent", "c"]),
            json!({}),
            json!({"op": 3}),
            json!({"op": "RemoveComponent", "id": "c"}),
            json!({"op": "removeComponent", "id": "c", "force": true}),
            json!({"op": "renameComponent", "id": "c", "display_name": "x"}),
            json!({"op": "removeComponent"}),
            json!({"op": "removeComponent", "id": null}),
            json!({"op": "moveComponent", "id": "c", "x": "1", "y": 2}),
            json!({"op": "moveComponent", "id": "c", "x": 1}),
            json!({"op": "setLabels", "id": "c", "labels": []}),
            json!({"op": "setNamespace", "id": "c", "namespace": 5}),
            json!({"op": "setLayer", "layer": "x", "enabled": "yes"}),
            json!({"op": "addComponent"}),
        ] {
            let e = error(value.clone());
            assert_eq!((e.code, e.path.as_str()), (ErrorCode::InvalidType, "/1"), "{value}");
            assert!(e.message.starts_with("bad edit: "), "{}", e.message);
        }
    }

    #[test]
    fn messages_name_the_op_list_and_the_fields() {
        let ops = OPS.iter().map(|(op, _)| format!("`{op}`")).collect::<Vec<_>>().join(", ");
        assert_eq!(
            error(json!({"op": "explode"})).message,
            format!("bad edit: unknown variant `explode`, expected one of {ops}")
        );
        assert_eq!(
            error(json!({"op": "removeComponent", "id": "c", "force": 1})).message,
            "bad edit: unknown field `force`, expected `id`"
        );
        assert_eq!(
            error(json!({"op": "renameComponent", "id": "c", "name": "x"})).message,
            "bad edit: unknown field `name`, expected `id` or `displayName`"
        );
        assert_eq!(
            error(json!({"op": "moveComponent", "id": "c", "x": 1, "y": 2, "z": 3})).message,
            "bad edit: unknown field `z`, expected one of `id`, `x`, `y`"
        );
        assert_eq!(error(json!({"op": "moveComponent", "id": "c", "x": 1})).message, "bad edit: missing field `y`");
        assert_eq!(
            error(json!({"op": "renameComponent", "id": "c", "displayName": 7})).message,
            "bad edit: invalid type for `displayName`: integer `7`, expected a string"
        );
    }

    #[test]
    fn namespace_may_be_absent_and_numbers_may_be_integers() {
        let edits = parse_edits(json!([
            {"op": "setNamespace", "id": "c"},
            {"op": "setNamespace", "id": "c", "namespace": null},
            {"op": "moveComponent", "y": 18446744073709551615u64, "x": -3, "id": "c"},
            {"op": "addComponent", "component": null},
        ]));
        assert_eq!(
            edits,
            Ok(vec![
                Edit::SetNamespace { id: "c".into(), namespace: None },
                Edit::SetNamespace { id: "c".into(), namespace: None },
                Edit::MoveComponent { id: "c".into(), x: -3.0, y: 18446744073709551615u64 as f64 },
                Edit::AddComponent { component: Value::Null },
            ])
        );
    }
}
