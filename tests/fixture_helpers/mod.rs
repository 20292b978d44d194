//! Helpers shared by the integration tests: reading the shared Meshery fixtures (never copied into
//! the project), building small components, running an evaluation and looking at its result.
#![allow(dead_code)] // each test file uses its own subset

pub mod msgpack;

use relationship_evaluator::model::{parse_definitions, Component, Design, Relationship, Status};
use relationship_evaluator::{Engine, EngineOptions, EvaluationResponse, Limits};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The shared Meshery fixtures directory.
pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/meshery");

pub fn fixture_path(relative: &str) -> PathBuf {
    Path::new(FIXTURES).join(relative)
}

pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// A YAML fixture as a JSON value.
pub fn read_yaml(relative: &str) -> Value {
    let path = fixture_path(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()))
}

/// File names of the real kubernetes relationship definitions, in name order.
pub fn kubernetes_definition_files() -> Vec<PathBuf> {
    let directory = fixture_path("relationships/kubernetes");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&directory)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", directory.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// One real kubernetes definition, as JSON, by file stem (e.g. `hierarchical-parent-inventory-kmjea`).
pub fn raw_kubernetes_definition(stem: &str) -> Value {
    read_json(&fixture_path(&format!("relationships/kubernetes/{stem}.json")))
}

/// Every real kubernetes definition, as JSON, in file-name order.
pub fn raw_kubernetes_definitions() -> Vec<Value> {
    kubernetes_definition_files().iter().map(|p| read_json(p)).collect()
}

/// Decodes definitions through the public decoder (v1alpha3 ones are bridged).
pub fn definitions(raw: Vec<Value>) -> Vec<Relationship> {
    parse_definitions(Value::Array(raw), &Limits::default()).expect("definitions decode")
}

/// Every real kubernetes definition, decoded.
pub fn kubernetes_definitions() -> Vec<Relationship> {
    definitions(raw_kubernetes_definitions())
}

pub fn design(value: Value) -> Design {
    Design::from_value(value, &Limits::default()).expect("design decodes")
}

/// A full evaluation with default options and a fresh engine.
pub fn evaluate(design_value: Value, definitions: &[Relationship]) -> EvaluationResponse {
    Engine::new(definitions.to_vec(), EngineOptions::default())
        .evaluate(design(design_value))
        .expect("evaluation succeeds")
}

/// The evaluated design of a response, as JSON (to feed back in).
pub fn design_of(response: &EvaluationResponse) -> Value {
    response.design.to_value()
}

/// A kubernetes component: `{id, displayName, component: {kind}, model: {name: kubernetes}, configuration}`.
pub fn component(id: &str, kind: &str, display_name: &str, configuration: Value) -> Value {
    json!({
        "id": id,
        "displayName": display_name,
        "component": { "kind": kind },
        "model": { "name": "kubernetes" },
        "configuration": configuration,
    })
}

/// A design document with these components and no relationships.
pub fn design_with(components: Vec<Value>) -> Value {
    json!({
        "id": "6f1c3a52-3d6e-4b8e-9a2c-000000000001",
        "name": "test design",
        "schemaVersion": "designs.meshery.io/v1beta1",
        "version": "0.0.1",
        "components": components,
        "relationships": [],
    })
}

/// The (from id, to id) of the first selector set of a relationship.
pub fn endpoints(relationship: &Relationship) -> (String, String) {
    let set = relationship.first_selector().expect("a selector set");
    let id = |items: &[Value]| items.first().and_then(|i| i.get("id")).and_then(Value::as_str).unwrap_or("").to_owned();
    (id(set.allow_from()), id(set.allow_to()))
}

/// Relationships of the design that are not `deleted`.
pub fn live(design: &Design) -> Vec<&Relationship> {
    design.relationships.iter().filter(|r| r.status() != Status::DELETED).collect()
}

/// Live relationships of one kind/type/subType.
pub fn live_of<'a>(design: &'a Design, kind: &str, rel_type: &str, sub_type: &str) -> Vec<&'a Relationship> {
    live(design).into_iter().filter(|r| r.is(kind, rel_type, Some(sub_type))).collect()
}

/// The component of the design with this id.
pub fn component_by_id<'a>(design: &'a Design, id: &str) -> Option<&'a Component> {
    design.components.iter().find(|c| c.id() == id)
}

/// The ops of a response's actions, in order.
pub fn ops(response: &EvaluationResponse) -> Vec<&'static str> {
    response.actions.iter().map(|a| a.op().as_str()).collect()
}

/// JSON with every object's keys sorted, recursively (arrays keep their order).
pub fn sort_keys(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(keys.into_iter().map(|k| (k.clone(), sort_keys(&map[k]))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(sort_keys).collect()),
        other => other.clone(),
    }
}
