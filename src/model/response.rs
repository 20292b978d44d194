//! Meshery's `EvaluationResponse` and its trace.

use super::{Action, Component, Design, Relationship};
use serde::Serialize;

/// The `schemaVersion` of every response we produce.
pub const RESPONSE_SCHEMA_VERSION: &str = "evaluation.meshery.io/v1beta1";

/// What changed, by category (spec §4.3). An id appears once, in the first category it reached.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Trace {
    pub components_added: Vec<Component>,
    pub components_removed: Vec<Component>,
    pub components_updated: Vec<Component>,
    pub relationships_added: Vec<Relationship>,
    pub relationships_removed: Vec<Relationship>,
    pub relationships_updated: Vec<Relationship>,
}

/// The result of an evaluation. `timestamp` is present only when the caller asked for it, so
/// that the output is deterministic by default.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct EvaluationResponse {
    pub schema_version: String,
    #[cfg_attr(feature = "typescript", ts(type = "EvaluatedDesign"))]
    pub design: Design,
    pub actions: Vec<Action>,
    pub trace: Trace,
    /// SHA-256 (hex) of the canonical input: design, definitions in scope and options.
    pub evaluation_hash: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub timestamp: Option<String>,
}

impl EvaluationResponse {
    /// The response as compact JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
