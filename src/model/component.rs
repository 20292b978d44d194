//! A component of a design (v1beta1 `ComponentDefinition`), kept as its JSON object.

use crate::values::{field, get_nested};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::sync::Arc;

/// One component of a design. The wrapped value is always a JSON object with a string `id`
/// (checked when the design is decoded), shared like a `Relationship`'s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Component(pub Arc<Value>);

impl Component {
    /// Wraps a JSON object. Callers that build components by hand must give it a string `id`.
    pub fn from_value(value: Value) -> Self {
        Component(Arc::new(value))
    }

    /// The JSON object, to change: copied first if anything else shares it.
    pub fn value_mut(&mut self) -> &mut Value {
        Arc::make_mut(&mut self.0)
    }

    /// The JSON object, copied only if something else shares it.
    pub fn into_value(self) -> Value {
        Arc::unwrap_or_clone(self.0)
    }

    /// The component id.
    pub fn id(&self) -> &str {
        field(&self.0, "id").and_then(Value::as_str).unwrap_or("")
    }

    /// `component.kind` (`""` when absent, Go's zero value).
    pub fn kind(&self) -> &str {
        get_nested(&self.0, &["component", "kind"]).and_then(Value::as_str).unwrap_or("")
    }

    /// The model name the engine matches on: `modelReference.name`, else `model.name`.
    pub fn model_name(&self) -> &str {
        let reference = get_nested(&self.0, &["modelReference", "name"]).and_then(Value::as_str).unwrap_or("");
        if !reference.is_empty() {
            return reference;
        }
        get_nested(&self.0, &["model", "name"]).and_then(Value::as_str).unwrap_or("")
    }

    /// `displayName` (`""` when absent).
    pub fn display_name(&self) -> &str {
        field(&self.0, "displayName").and_then(Value::as_str).unwrap_or("")
    }

    /// The free-form `configuration` object, if any.
    pub fn configuration(&self) -> Option<&Value> {
        field(&self.0, "configuration").filter(|v| !v.is_null())
    }

    /// `component.schema`: the component's JSON schema, stored as a JSON string.
    pub fn schema_text(&self) -> Option<&str> {
        get_nested(&self.0, &["component", "schema"]).and_then(Value::as_str)
    }

    /// The value at `path` of the component's JSON document (keys `id`, `component`,
    /// `displayName`, `configuration`, …). `displayName` reads as `""` when absent, as the Go
    /// struct would.
    pub fn field(&self, path: &[String]) -> Option<&Value> {
        static EMPTY: Value = Value::String(String::new());
        match get_nested(&self.0, path) {
            Some(v) => Some(v),
            None if path.len() == 1 && path[0] == "displayName" => Some(&EMPTY),
            None => None,
        }
    }

    /// The component's JSON object, mutable.
    pub fn object_mut(&mut self) -> &mut Map<String, Value> {
        let value = self.value_mut();
        if !value.is_object() {
            *value = Value::Object(Map::new());
        }
        match value {
            Value::Object(map) => map,
            _ => unreachable!("just made an object"),
        }
    }

    /// Copies `model.name` into `modelReference.name` when the latter is empty (spec §2.2).
    pub fn normalise_model_name(&mut self) {
        let reference = get_nested(&self.0, &["modelReference", "name"]).and_then(Value::as_str).unwrap_or("");
        if !reference.is_empty() {
            return;
        }
        let Some(name) = get_nested(&self.0, &["model", "name"]).and_then(Value::as_str) else { return };
        if name.is_empty() {
            return;
        }
        let name = Value::String(name.to_owned());
        let object = self.object_mut();
        let reference = object.entry("modelReference").or_insert_with(|| Value::Object(Map::new()));
        if !reference.is_object() {
            *reference = Value::Object(Map::new());
        }
        if let Value::Object(map) = reference {
            map.insert("name".into(), name);
        }
    }
}
