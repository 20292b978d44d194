//! The edits a design editor makes, as data: what each one touches (`mod.rs`), how it applies
//! through the store (`apply.rs`, the one applier, failing with a typed error naming the edit and
//! the field), and how a batch is read from JSON (`decode.rs`, through serde's derived
//! `Deserialize` of the same ops, `Shape`).

mod apply;
mod decode;

#[cfg(feature = "internals")]
pub use apply::{apply_all, merge_patch};
pub use decode::edits_from_json;
#[cfg(any(feature = "internals", feature = "boundary-bench"))]
pub use decode::parse_edits;

use crate::error::Result;
use crate::limits::Limits;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Defines `Edit` and `Shape` from the one list of ops below, so the two cannot drift: `Edit` is
/// the edit as the crate holds and writes it (internally tagged by `op`), `Shape` the same ops as
/// serde reads them (externally tagged; `decode.rs` hands it the edit object with `op` first, as
/// the variant, and the fields after it). Serde's derive of an internally tagged enum buffers every
/// field through its `Content` type first, the largest piece of serde code in the WebAssembly
/// module; an externally tagged one reads the fields straight into each op's own visitor. A field's `ts` attribute goes to `Edit`
/// (the TypeScript declaration), its `serde` attribute to `Shape` (how it is read).
macro_rules! edits {
    ($(
        $(#[$doc:meta])*
        $op:ident { $($(#[ts($($ts:tt)*)])? $(#[serde($($serde:tt)*)])? $field:ident: $ty:ty),* $(,)? },
    )*) => {
        /// One edit of a design. JSON form: `{"op": "addComponent", "component": {…}}` and so on: the
        /// variant names are the ops (and the TypeScript `EDIT_OPS`), its fields the edit's fields; any
        /// other field is refused. Only `namespace` may be absent (= `null`).
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
        #[serde(tag = "op", rename_all = "camelCase", rename_all_fields = "camelCase")]
        pub enum Edit {
            $(
                $(#[$doc])*
                $op { $($(#[cfg_attr(feature = "typescript", ts($($ts)*))])? $field: $ty),* },
            )*
        }

        /// `Edit` as serde reads it, externally tagged (see `edits!`).
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", rename_all_fields = "camelCase", deny_unknown_fields)]
        enum Shape {
            $($op { $($(#[serde($($serde)*)])? $field: $ty),* },)*
        }

        impl From<Shape> for Edit {
            fn from(shape: Shape) -> Edit {
                match shape {
                    $(Shape::$op { $($field),* } => Edit::$op { $($field),* },)*
                }
            }
        }
    };
}

edits! {
    /// Adds a component (a v1beta1 component object with a unique `id`).
    AddComponent {
        #[ts(type = "Component")]
        component: Value,
    },
    /// Removes a component; relationships that name it are then invalidated by evaluation.
    RemoveComponent { id: String },
    /// Sets `displayName`.
    RenameComponent { id: String, display_name: String },
    /// Moves a component on the canvas (`styles.position`); evaluation does not read it.
    MoveComponent {
        id: String,
        #[serde(deserialize_with = "decode::finite_number")]
        x: f64,
        #[serde(deserialize_with = "decode::finite_number")]
        y: f64,
    },
    /// Replaces `configuration`.
    SetConfiguration {
        id: String,
        #[ts(type = "JsonObject")]
        configuration: Value,
    },
    /// Merges an RFC 7396 JSON merge patch into `configuration` (`null` deletes a key).
    PatchConfiguration {
        id: String,
        #[ts(type = "JsonObject")]
        patch: Value,
    },
    /// Replaces `configuration.metadata.labels`.
    SetLabels {
        id: String,
        #[ts(type = "JsonObject")]
        #[serde(deserialize_with = "decode::string_labels")]
        labels: Map<String, Value>,
    },
    /// Sets `configuration.metadata.namespace` (`null` removes it; so does an absent `namespace`,
    /// which serde reads as `None`).
    SetNamespace { id: String, namespace: Option<String> },
    /// Adds a relationship declaration (unique `id`).
    AddRelationship {
        #[ts(type = "DesignRelationship")]
        relationship: Value,
    },
    /// Removes a relationship.
    RemoveRelationship { id: String },
    /// Sets a relationship's `status` (e.g. `approved`, `deleted`, `pending`).
    SetRelationshipStatus {
        id: String,
        #[ts(type = "RelationshipStatus | (string & {})")]
        status: String,
    },
    /// Turns a relationship layer (`kind-type-subtype`, e.g. `edge-non-binding-network`) on or off
    /// in `preferences.layers.relationships`.
    SetLayer { layer: String, enabled: bool },
    /// Replaces the design's `preferences`.
    SetPreferences {
        #[ts(type = "{ [key: string]: unknown }")]
        preferences: Value,
    },
}

/// The ops the decoder accepts, in the order of `Edit`: the names serde's derived `Deserialize` of
/// `Shape` reads, the TypeScript `EDIT_OPS` (src/typescript.rs).
#[cfg(feature = "typescript")]
impl Edit {
    pub fn ops() -> &'static [&'static str] {
        crate::typescript::serde_names::<Shape>()
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

    /// The JSON value the edit carries (a component, a relationship, a configuration, a merge
    /// patch, preferences) and its field: the decoder moves it from the input as it is
    /// (`decode.rs`).
    fn payload_mut(&mut self) -> Option<(&'static str, &mut Value)> {
        match self {
            Edit::AddComponent { component } => Some(("component", component)),
            Edit::SetConfiguration { configuration, .. } => Some(("configuration", configuration)),
            Edit::PatchConfiguration { patch, .. } => Some(("patch", patch)),
            Edit::AddRelationship { relationship } => Some(("relationship", relationship)),
            Edit::SetPreferences { preferences } => Some(("preferences", preferences)),
            _ => None,
        }
    }

    /// True for edits that change which definitions apply (layers, preferences).
    pub fn changes_scope(&self) -> bool {
        matches!(self, Edit::SetLayer { .. } | Edit::SetPreferences { .. })
    }
}
