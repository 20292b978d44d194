//! The actions an evaluation produces (spec §8.1), in Meshery's wire format `{op, value}`.

use super::{Component, Relationship};
use crate::error::{Error, ErrorCode, Result};
use crate::values::Path;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;

/// One action. Component updates carry a path relative to the component's JSON document; an
/// update whose path starts with `configuration` is an `update_component_configuration`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(tag = "op", content = "value", rename_all = "snake_case"))]
pub enum Action {
    AddComponent {
        item: Component,
    },
    UpdateComponent {
        id: String,
        path: Path,
        #[cfg_attr(feature = "typescript", ts(type = "unknown"))]
        value: Value,
    },
    UpdateComponentConfiguration {
        id: String,
        path: Path,
        #[cfg_attr(feature = "typescript", ts(type = "unknown"))]
        value: Value,
    },
    DeleteComponent {
        id: String,
        #[cfg_attr(feature = "typescript", ts(optional))]
        component: Option<Component>,
    },
    RemoveComponentConfiguration {
        id: String,
        path: Path,
    },
    AddRelationship {
        item: Relationship,
    },
    UpdateRelationship {
        id: String,
        path: String,
        #[cfg_attr(feature = "typescript", ts(type = "unknown"))]
        value: Value,
    },
    DeleteRelationship {
        id: String,
        #[cfg_attr(feature = "typescript", ts(optional))]
        relationship: Option<Relationship>,
    },
}

/// The `op` names of the wire format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum ActionOp {
    AddComponent,
    UpdateComponent,
    UpdateComponentConfiguration,
    DeleteComponent,
    RemoveComponentConfiguration,
    AddRelationship,
    UpdateRelationship,
    DeleteRelationship,
}

impl ActionOp {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionOp::AddComponent => "add_component",
            ActionOp::UpdateComponent => "update_component",
            ActionOp::UpdateComponentConfiguration => "update_component_configuration",
            ActionOp::DeleteComponent => "delete_component",
            ActionOp::RemoveComponentConfiguration => "remove_component_configuration",
            ActionOp::AddRelationship => "add_relationship",
            ActionOp::UpdateRelationship => "update_relationship",
            ActionOp::DeleteRelationship => "delete_relationship",
        }
    }

    pub fn parse(op: &str) -> Option<Self> {
        Some(match op {
            "add_component" => ActionOp::AddComponent,
            "update_component" => ActionOp::UpdateComponent,
            "update_component_configuration" => ActionOp::UpdateComponentConfiguration,
            "delete_component" => ActionOp::DeleteComponent,
            "remove_component_configuration" => ActionOp::RemoveComponentConfiguration,
            "add_relationship" => ActionOp::AddRelationship,
            "update_relationship" => ActionOp::UpdateRelationship,
            "delete_relationship" => ActionOp::DeleteRelationship,
            _ => return None,
        })
    }
}

impl Action {
    /// A component update at `path`: `update_component_configuration` when the path starts with
    /// `configuration`, else `update_component` (spec §8.1).
    pub fn update_component_at(id: &str, path: Path, value: Value) -> Action {
        if path.first().map(String::as_str) == Some("configuration") {
            Action::UpdateComponentConfiguration { id: id.to_owned(), path, value }
        } else {
            Action::UpdateComponent { id: id.to_owned(), path, value }
        }
    }

    /// `update_relationship` of `/status`.
    pub fn set_status(id: &str, status: &str) -> Action {
        Action::UpdateRelationship { id: id.to_owned(), path: "/status".into(), value: Value::String(status.into()) }
    }

    pub fn op(&self) -> ActionOp {
        match self {
            Action::AddComponent { .. } => ActionOp::AddComponent,
            Action::UpdateComponent { .. } => ActionOp::UpdateComponent,
            Action::UpdateComponentConfiguration { .. } => ActionOp::UpdateComponentConfiguration,
            Action::DeleteComponent { .. } => ActionOp::DeleteComponent,
            Action::RemoveComponentConfiguration { .. } => ActionOp::RemoveComponentConfiguration,
            Action::AddRelationship { .. } => ActionOp::AddRelationship,
            Action::UpdateRelationship { .. } => ActionOp::UpdateRelationship,
            Action::DeleteRelationship { .. } => ActionOp::DeleteRelationship,
        }
    }

    /// The id the action is about: `value.id`, or `value.item.id` for additions.
    pub fn target_id(&self) -> &str {
        match self {
            Action::AddComponent { item } => item.id(),
            Action::AddRelationship { item } => item.id(),
            Action::UpdateComponent { id, .. }
            | Action::UpdateComponentConfiguration { id, .. }
            | Action::DeleteComponent { id, .. }
            | Action::RemoveComponentConfiguration { id, .. }
            | Action::UpdateRelationship { id, .. }
            | Action::DeleteRelationship { id, .. } => id,
        }
    }

    /// True for the ops that make the orchestration evaluate again (spec §5).
    pub fn triggers_reevaluation(&self) -> bool {
        matches!(
            self,
            Action::AddComponent { .. } | Action::DeleteComponent { .. } | Action::UpdateComponentConfiguration { .. }
        )
    }

    /// The wire `value` object.
    pub fn wire_value(&self) -> Value {
        serde_json::to_value(WireValue(self)).unwrap_or(Value::Null)
    }

    /// Decodes a wire action `{op, value}`; `path` names the action in error messages.
    pub fn from_wire(action: &Value, path: &str) -> Result<Action> {
        let op = action.get("op").and_then(Value::as_str).unwrap_or_default();
        let op = ActionOp::parse(op)
            .ok_or_else(|| Error::new(ErrorCode::InvalidType, format!("{path}/op"), format!("unknown op {op:?}")))?;
        let value = action.get("value").cloned().unwrap_or(Value::Null);
        let text = |key: &str| -> Result<String> {
            value.get(key).and_then(Value::as_str).map(str::to_owned).ok_or_else(|| {
                Error::new(ErrorCode::MissingField, format!("{path}/value/{key}"), "a string is required")
            })
        };
        let segments = |key: &str| -> Result<Path> {
            let list = value.get(key).and_then(Value::as_array).ok_or_else(|| {
                Error::new(ErrorCode::MissingField, format!("{path}/value/{key}"), "a path array is required")
            })?;
            Ok(list.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        };
        let item = || -> Result<Value> {
            value.get("item").filter(|v| v.is_object()).cloned().ok_or_else(|| {
                Error::new(ErrorCode::MissingField, format!("{path}/value/item"), "an object is required")
            })
        };
        let payload = || value.get("value").cloned().unwrap_or(Value::Null);
        Ok(match op {
            ActionOp::AddComponent => Action::AddComponent { item: Component::from_value(item()?) },
            ActionOp::AddRelationship => Action::AddRelationship { item: Relationship::from_value(item()?) },
            ActionOp::UpdateComponent => {
                Action::UpdateComponent { id: text("id")?, path: segments("path")?, value: payload() }
            }
            ActionOp::UpdateComponentConfiguration => {
                Action::UpdateComponentConfiguration { id: text("id")?, path: segments("path")?, value: payload() }
            }
            ActionOp::RemoveComponentConfiguration => {
                Action::RemoveComponentConfiguration { id: text("id")?, path: segments("path")? }
            }
            ActionOp::DeleteComponent => Action::DeleteComponent {
                id: text("id")?,
                component: value.get("component").filter(|v| v.is_object()).cloned().map(Component::from_value),
            },
            ActionOp::DeleteRelationship => Action::DeleteRelationship {
                id: text("id")?,
                relationship: value
                    .get("relationship")
                    .filter(|v| v.is_object())
                    .cloned()
                    .map(Relationship::from_value),
            },
            ActionOp::UpdateRelationship => Action::UpdateRelationship {
                id: text("id")?,
                path: value.get("path").and_then(Value::as_str).unwrap_or("/status").to_owned(),
                value: payload(),
            },
        })
    }
}

impl Serialize for Action {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("op", self.op().as_str())?;
        map.serialize_entry("value", &WireValue(self))?;
        map.end()
    }
}

/// The wire `value` object of an action, written straight from the action (building it as a
/// `Value` first would copy every added component and relationship once more).
struct WireValue<'a>(&'a Action);

impl Serialize for WireValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match self.0 {
            Action::AddComponent { item } => map.serialize_entry("item", item)?,
            Action::AddRelationship { item } => map.serialize_entry("item", item)?,
            Action::UpdateComponent { id, path, value } | Action::UpdateComponentConfiguration { id, path, value } => {
                map.serialize_entry("id", id)?;
                map.serialize_entry("path", path)?;
                map.serialize_entry("value", value)?;
            }
            Action::RemoveComponentConfiguration { id, path } => {
                map.serialize_entry("id", id)?;
                map.serialize_entry("path", path)?;
            }
            Action::UpdateRelationship { id, path, value } => {
                map.serialize_entry("id", id)?;
                map.serialize_entry("path", path)?;
                map.serialize_entry("value", value)?;
            }
            Action::DeleteComponent { id, component } => {
                map.serialize_entry("id", id)?;
                if let Some(component) = component {
                    map.serialize_entry("component", component)?;
                }
            }
            Action::DeleteRelationship { id, relationship } => {
                map.serialize_entry("id", id)?;
                if let Some(relationship) = relationship {
                    map.serialize_entry("relationship", relationship)?;
                }
            }
        }
        map.end()
    }
}
