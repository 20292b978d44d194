//! The indexed design: every lookup a policy makes (by id, kind pattern, model, namespace, label,
//! relationship endpoint) is a hash lookup instead of a scan over the components.

use crate::matching::match_name;
use crate::model::{Design, Relationship, SelectorItem};
use crate::values::Path;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Positions (indices into `design.components` / `design.relationships`) keyed by what policies
/// ask for. Rebuilt in O(n) whenever the component or relationship lists change.
#[derive(Debug, Default)]
pub struct DesignIndex {
    component_by_id: HashMap<String, usize>,
    components_by_kind: HashMap<String, Vec<usize>>,
    components_by_model: HashMap<String, Vec<usize>>,
    relationship_by_id: HashMap<String, usize>,
    /// (first from id, first to id) of selector sets → relationships, for "already exists".
    relationships_by_endpoints: HashMap<(String, String), Vec<usize>>,
    /// Component id → relationships that name it in any selector item.
    relationships_by_component: HashMap<String, Vec<usize>>,
    /// Alias component id → (parent position, reference path into the parent), from
    /// `metadata.resolvedAliases`.
    alias_parents: HashMap<String, (usize, Path)>,
    /// Kind pattern → matching component positions in design order (memoised per pattern).
    pattern_cache: RefCell<HashMap<String, Rc<Vec<usize>>>>,
}

impl DesignIndex {
    /// Indexes `design` in one pass over its components and relationships.
    pub fn build(design: &Design) -> DesignIndex {
        let mut index = DesignIndex::default();
        index.component_by_id.reserve(design.components.len());
        for (position, component) in design.components.iter().enumerate() {
            index.component_by_id.insert(component.id().to_owned(), position);
            index.components_by_kind.entry(component.kind().to_owned()).or_default().push(position);
            index
                .components_by_model
                .entry(component.model_name().to_owned())
                .or_default()
                .push(position);
        }
        for (position, relationship) in design.relationships.iter().enumerate() {
            index.add_relationship(position, relationship);
        }
        if let Some(aliases) = design.resolved_aliases() {
            for (alias_id, alias) in aliases {
                let parent = alias.get("resolved_parent_id").and_then(Value::as_str);
                let Some(&parent) = parent.and_then(|p| index.component_by_id.get(p)) else {
                    continue;
                };
                let path = alias
                    .get("resolved_ref_field_path")
                    .and_then(Value::as_array)
                    .map(|p| p.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                    .unwrap_or_default();
                index.alias_parents.insert(alias_id.clone(), (parent, path));
            }
        }
        index
    }

    /// Only the id lookups (for code that needs nothing else).
    pub fn build_ids_only(design: &Design) -> DesignIndex {
        let mut index = DesignIndex::default();
        for (position, component) in design.components.iter().enumerate() {
            index.component_by_id.insert(component.id().to_owned(), position);
        }
        for (position, relationship) in design.relationships.iter().enumerate() {
            index.relationship_by_id.insert(relationship.id().to_owned(), position);
        }
        index
    }

    /// Indexes relationships appended to the design since the index was built.
    pub fn extend_relationships(&mut self, design: &Design) {
        let start = self.relationship_by_id.len();
        for (position, relationship) in design.relationships.iter().enumerate().skip(start) {
            self.add_relationship(position, relationship);
        }
    }

    fn add_relationship(&mut self, position: usize, relationship: &Relationship) {
        self.relationship_by_id.insert(relationship.id().to_owned(), position);
        let mut named: Vec<&str> = Vec::new();
        for set in relationship.selectors() {
            let from = set.allow_from().first().and_then(|i| SelectorItem(i).id());
            let to = set.allow_to().first().and_then(|i| SelectorItem(i).id());
            if let (Some(from), Some(to)) = (from, to) {
                self.relationships_by_endpoints
                    .entry((from.to_owned(), to.to_owned()))
                    .or_default()
                    .push(position);
            }
            for item in set.allow_from().iter().chain(set.allow_to()) {
                if let Some(id) = SelectorItem(item).id() {
                    named.push(id);
                }
            }
        }
        named.sort_unstable();
        named.dedup();
        for id in named {
            self.relationships_by_component.entry(id.to_owned()).or_default().push(position);
        }
    }

    /// Position of the component with this id.
    pub fn component(&self, id: &str) -> Option<usize> {
        self.component_by_id.get(id).copied()
    }

    /// True when a component has this id.
    pub fn has_component(&self, id: &str) -> bool {
        self.component_by_id.contains_key(id)
    }

    /// Position of the relationship with this id.
    pub fn relationship(&self, id: &str) -> Option<usize> {
        self.relationship_by_id.get(id).copied()
    }

    /// Components whose kind matches `pattern` under `matchName`, in design order.
    pub fn components_matching_kind(&self, pattern: &str) -> Rc<Vec<usize>> {
        if let Some(hit) = self.pattern_cache.borrow().get(pattern) {
            return Rc::clone(hit);
        }
        let mut positions: Vec<usize> = Vec::new();
        let mut buckets = 0;
        for (kind, bucket) in &self.components_by_kind {
            if match_name(kind, pattern) {
                positions.extend_from_slice(bucket);
                buckets += 1;
            }
        }
        if buckets > 1 {
            positions.sort_unstable();
        }
        let positions = Rc::new(positions);
        self.pattern_cache.borrow_mut().insert(pattern.to_owned(), Rc::clone(&positions));
        positions
    }

    /// Components whose kind is exactly `kind`, in design order.
    pub fn components_of_exact_kind(&self, kind: &str) -> &[usize] {
        self.components_by_kind.get(kind).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Components of a model (by `modelReference.name`), in design order.
    pub fn components_of_model(&self, model: &str) -> &[usize] {
        self.components_by_model.get(model).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The distinct model names of the design, in first-seen order.
    pub fn models_in_design(&self) -> Vec<String> {
        let mut seen: Vec<(usize, &str)> = self
            .components_by_model
            .iter()
            .filter(|(name, _)| !name.is_empty())
            .map(|(name, positions)| (positions[0], name.as_str()))
            .collect();
        seen.sort_unstable();
        seen.into_iter().map(|(_, name)| name.to_owned()).collect()
    }

    /// Relationships whose first selector set's first from and to items name these components.
    pub fn relationships_between(&self, from: &str, to: &str) -> &[usize] {
        self.relationships_by_endpoints
            .get(&(from.to_owned(), to.to_owned()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Relationships that name this component in any allow item.
    pub fn relationships_of_component(&self, id: &str) -> &[usize] {
        self.relationships_by_component.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The parent and reference path an alias component reads its configuration through.
    pub fn alias_parent(&self, alias_id: &str) -> Option<&(usize, Path)> {
        self.alias_parents.get(alias_id)
    }
}
