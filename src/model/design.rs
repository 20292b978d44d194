//! The design file (v1beta1 `PatternFile`): components, relationships and every other field kept
//! as it came in.

use super::validate;
use super::{Component, Relationship};
use crate::error::{Error, ErrorCode, Result};
use crate::limits::Limits;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use std::collections::HashSet;

/// A design. `fields` holds every top-level field in input order; the `components` and
/// `relationships` slots in it are placeholders for the decoded lists.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Design {
    pub fields: Map<String, Value>,
    pub components: Vec<Component>,
    pub relationships: Vec<Relationship>,
}

const COMPONENTS: &str = "components";
const RELATIONSHIPS: &str = "relationships";

impl Design {
    /// Decodes and checks a design: components need unique string ids, relationships need
    /// unique string ids, and every field the evaluator reads must have the right type.
    pub fn from_value(value: Value, limits: &Limits) -> Result<Design> {
        if value.is_object() {
            limits.check_value(&value, "")?;
        }
        let Value::Object(mut fields) = value else {
            return Err(Error::new(ErrorCode::InvalidType, "", "a design must be a JSON object"));
        };
        let components = take_list(&mut fields, COMPONENTS)?;
        let relationships = take_list(&mut fields, RELATIONSHIPS)?;
        limits.check_count("maxComponents", "/components", components.len(), limits.max_components)?;
        limits.check_count("maxRelationships", "/relationships", relationships.len(), limits.max_relationships)?;
        let mut seen = HashSet::with_capacity(components.len());
        for (i, component) in components.iter().enumerate() {
            let path = format!("/components/{i}");
            validate::component(component, &path)?;
            let id = component["id"].as_str().unwrap_or_default();
            if !seen.insert(id) {
                return Err(Error::new(
                    ErrorCode::DuplicateId,
                    format!("{path}/id"),
                    format!("component id {id} appears more than once"),
                ));
            }
        }
        let mut seen = HashSet::with_capacity(relationships.len());
        for (i, relationship) in relationships.iter().enumerate() {
            let path = format!("/relationships/{i}");
            validate::relationship(relationship, &path)?;
            validate::required_id(relationship, "id", &path)?;
            let id = relationship["id"].as_str().unwrap_or_default();
            if !seen.insert(id) {
                return Err(Error::new(
                    ErrorCode::DuplicateId,
                    format!("{path}/id"),
                    format!("relationship id {id} appears more than once"),
                ));
            }
        }
        for key in ["metadata", "preferences"] {
            if let Some(value) = fields.get(key).filter(|v| !v.is_null() && !v.is_object()) {
                return Err(Error::new(
                    ErrorCode::InvalidType,
                    format!("/{key}"),
                    format!("{key} must be an object, found {value}"),
                ));
            }
        }
        Ok(Design {
            fields,
            components: components.into_iter().map(Component::from_value).collect(),
            relationships: relationships.into_iter().map(Relationship::from_value).collect(),
        })
    }

    /// Parses design JSON text.
    pub fn from_json(text: &str, limits: &Limits) -> Result<Design> {
        let value = crate::reading::parse_json(text, limits, crate::limits::DEEPEST_NESTING)?;
        Design::from_value(value, limits)
    }

    /// The design as a JSON value (fields in input order).
    pub fn to_value(&self) -> Value {
        // Built from the values themselves, in `Serialize`'s order, rather than through serde's
        // value serializer, which reads each number's text again and respells an exponent that
        // reading kept (`1e5` → `1e+5`; found by the read_json fuzz target).
        let components = || Value::Array(self.components.iter().map(|c| (*c.0).clone()).collect());
        let relationships = || Value::Array(self.relationships.iter().map(|r| (*r.0).clone()).collect());
        let mut map = Map::with_capacity(self.fields.len() + 2);
        for (key, value) in &self.fields {
            let value = match key.as_str() {
                COMPONENTS => components(),
                RELATIONSHIPS => relationships(),
                _ => value.clone(),
            };
            map.insert(key.clone(), value);
        }
        if !self.fields.contains_key(COMPONENTS) && !self.components.is_empty() {
            map.insert(COMPONENTS.into(), components());
        }
        if !self.fields.contains_key(RELATIONSHIPS) && !self.relationships.is_empty() {
            map.insert(RELATIONSHIPS.into(), relationships());
        }
        Value::Object(map)
    }

    /// The design id (`""` when absent).
    pub fn id(&self) -> &str {
        self.fields.get("id").and_then(Value::as_str).unwrap_or("")
    }

    /// The design version string (`""` when absent).
    pub fn version(&self) -> &str {
        self.fields.get("version").and_then(Value::as_str).unwrap_or("")
    }

    /// Sets a top-level field other than the component and relationship lists.
    pub fn set_field(&mut self, key: &str, value: Value) {
        self.fields.insert(key.to_owned(), value);
    }

    /// The design's `metadata` object, created if absent.
    pub fn metadata_mut(&mut self) -> &mut Map<String, Value> {
        let metadata = self.fields.entry("metadata").or_insert_with(|| Value::Object(Map::new()));
        if !metadata.is_object() {
            *metadata = Value::Object(Map::new());
        }
        match metadata {
            Value::Object(map) => map,
            _ => unreachable!("just made an object"),
        }
    }

    /// `metadata.resolvedAliases`, if any.
    pub fn resolved_aliases(&self) -> Option<&Map<String, Value>> {
        self.fields.get("metadata")?.get("resolvedAliases")?.as_object()
    }

    /// False only when `preferences.layers.relationships[key]` is the boolean `false`.
    pub fn layer_enabled(&self, key: &str) -> bool {
        let preference = self
            .fields
            .get("preferences")
            .and_then(|p| p.get("layers"))
            .and_then(|l| l.get("relationships"))
            .and_then(|r| r.get(key));
        !matches!(preference, Some(Value::Bool(false)))
    }
}

fn take_list(fields: &mut Map<String, Value>, key: &str) -> Result<Vec<Value>> {
    match fields.get_mut(key) {
        None => Ok(Vec::new()),
        Some(slot) => match std::mem::replace(slot, Value::Null) {
            Value::Null => Ok(Vec::new()),
            Value::Array(items) => Ok(items),
            other => {
                *slot = other;
                Err(Error::new(ErrorCode::InvalidType, format!("/{key}"), format!("{key} must be an array")))
            }
        },
    }
}

impl Serialize for Design {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let has_components = self.fields.contains_key(COMPONENTS);
        let has_relationships = self.fields.contains_key(RELATIONSHIPS);
        let extra = usize::from(!has_components && !self.components.is_empty())
            + usize::from(!has_relationships && !self.relationships.is_empty());
        let mut map = serializer.serialize_map(Some(self.fields.len() + extra))?;
        for (key, value) in &self.fields {
            match key.as_str() {
                COMPONENTS => map.serialize_entry(key, &self.components)?,
                RELATIONSHIPS => map.serialize_entry(key, &self.relationships)?,
                _ => map.serialize_entry(key, value)?,
            }
        }
        if !has_components && !self.components.is_empty() {
            map.serialize_entry(COMPONENTS, &self.components)?;
        }
        if !has_relationships && !self.relationships.is_empty() {
            map.serialize_entry(RELATIONSHIPS, &self.relationships)?;
        }
        map.end()
    }
}
