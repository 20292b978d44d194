//! What a policy sees while it runs: the design, its index and the engine options, plus the
//! value-reading rules of spec §6.4 (configuration read through resolved aliases).

use crate::index::DesignIndex;
use crate::model::{Component, Design, Relationship};
use crate::options::EngineOptions;
use crate::values::{get_nested, resolve_path, Path};
use serde_json::Value;

/// A read-only view of one design state.
pub struct Context<'a> {
    pub design: &'a Design,
    pub index: &'a DesignIndex,
    pub options: &'a EngineOptions,
}

impl<'a> Context<'a> {
    pub fn new(design: &'a Design, index: &'a DesignIndex, options: &'a EngineOptions) -> Self {
        Context { design, index, options }
    }

    /// The component with this id.
    pub fn component(&self, id: &str) -> Option<&'a Component> {
        self.index.component(id).map(|p| &self.design.components[p])
    }

    /// The component at a position of the design.
    pub fn component_at(&self, position: usize) -> &'a Component {
        &self.design.components[position]
    }

    /// The relationship with this id.
    pub fn relationship(&self, id: &str) -> Option<&'a Relationship> {
        self.index.relationship(id).map(|p| &self.design.relationships[p])
    }

    /// A component's configuration; an alias component reads it inside its parent.
    pub fn config(&self, component: &'a Component) -> Option<&'a Value> {
        if let Some((parent, path)) = self.index.alias_parent(component.id()) {
            return get_nested(&self.design.components[*parent].0, path);
        }
        component.configuration()
    }

    /// `valueAt(path, component)`: `configuration…` paths read the (alias-aware) configuration,
    /// other paths the component's JSON document; an empty path reads nothing.
    pub fn value_at(&self, path: &[String], component: &'a Component) -> Option<&'a Value> {
        match path.split_first() {
            None => None,
            Some((first, rest)) if first == "configuration" => {
                self.config(component).and_then(|c| get_nested(c, rest))
            }
            Some(_) => component.field(path),
        }
    }

    /// `path` with its first `_` resolved against the component's own JSON (spec §6.4).
    pub fn resolve(&self, path: &[String], component: &Component) -> Path {
        resolve_path(path, &component.0)
    }

    /// The non-null value at `path` after resolving `_`, without building the resolved path when
    /// there is no `_` (the hot path of matching).
    pub fn resolved_value(&self, path: &[String], component: &'a Component) -> Option<&'a Value> {
        if path.iter().any(|s| s == "_") {
            return self.resolved_value_at(path, component).1;
        }
        self.value_at(path, component).filter(|v| !v.is_null())
    }

    /// `value_at` after resolving `_` (Meshery's fix in flight, meshery/meshery#21623).
    pub fn resolved_value_at(&self, path: &[String], component: &'a Component) -> (Path, Option<&'a Value>) {
        let resolved = self.resolve(path, component);
        let value = self.value_at(&resolved, component).filter(|v| !v.is_null());
        (resolved, value)
    }
}
