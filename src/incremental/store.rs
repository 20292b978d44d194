//! The design and its index, changed only through primitive operations that keep the index in
//! step and record an undo journal, so a failed batch rolls back exactly and a delta can be
//! computed from what was touched instead of diffing the whole design.

use super::join_index::JoinIndex;
use super::parent_keys::CountedParentKeys;
use super::writers::Writers;
use crate::index::DesignIndex;
use crate::model::{Component, Design, Relationship};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// One undoable change.
enum Change {
    ComponentSet { position: usize, before: Component },
    ComponentPushed,
    ComponentRemoved { position: usize, before: Component },
    RelationshipSet { position: usize, before: Relationship },
    RelationshipStatusSet { position: usize, before: Option<Value> },
    RelationshipPushed,
    RelationshipRemoved { position: usize, before: Relationship },
    FieldSet { key: String, before: Option<Value> },
}

/// The first-seen state of an item touched during a batch (`None`: it did not exist).
#[derive(Debug, Clone)]
pub struct FirstSeen<T> {
    pub before: Option<T>,
    /// Order of first touch, for deterministic reporting.
    pub order: usize,
}

/// A design with its index, mutated through logged operations.
pub struct Store {
    pub design: Design,
    pub index: DesignIndex,
    /// Inventory parent keys, kept in step with the design by restricted passes.
    pub parent_keys: CountedParentKeys,
    /// Join buckets of the pair definitions, kept in step lazily (see `join_index`).
    pub joins: JoinIndex,
    /// The relationships that update each component, kept in step by restricted passes.
    pub writers: Writers,
    journal: Vec<Change>,
    pub components_touched: HashMap<String, FirstSeen<Component>>,
    pub relationships_touched: HashMap<String, FirstSeen<Relationship>>,
    touches: usize,
}

impl Store {
    /// Takes ownership of a design and indexes it.
    pub fn new(design: Design) -> Store {
        let index = DesignIndex::build(&design);
        Store {
            design,
            index,
            parent_keys: CountedParentKeys::default(),
            joins: JoinIndex::default(),
            writers: Writers::default(),
            journal: Vec::new(),
            components_touched: HashMap::new(),
            relationships_touched: HashMap::new(),
            touches: 0,
        }
    }

    /// Builds the join buckets now rather than on the first edit (no-op when they are built).
    pub fn prepare_joins(&mut self, definitions: &[Relationship], options: &crate::options::EngineOptions) {
        let context = crate::context::Context::new(&self.design, &self.index, options);
        self.joins.refresh(&context, definitions, std::iter::empty());
    }

    /// Starts a batch: forgets the previous batch's journal and touched items.
    pub fn begin(&mut self) {
        self.journal.clear();
        self.components_touched.clear();
        self.relationships_touched.clear();
        self.touches = 0;
    }

    /// A mark to roll back to.
    pub fn mark(&self) -> usize {
        self.journal.len()
    }

    fn touch_component(&mut self, id: &str, before: Option<&Component>) {
        touch(&mut self.components_touched, &mut self.touches, id, before);
    }

    fn touch_relationship(&mut self, id: &str, before: Option<&Relationship>) {
        touch(&mut self.relationships_touched, &mut self.touches, id, before);
    }

    /// Replaces the component at `position`.
    pub fn set_component(&mut self, position: usize, component: Component) {
        let before = std::mem::replace(&mut self.design.components[position], component);
        self.touch_component(before.id(), Some(&before));
        self.touch_component(self.design.components[position].id().to_owned().as_str(), None);
        self.joins.mark_stale(before.id());
        self.joins.mark_stale(self.design.components[position].id());
        self.index.replace_component(position, &before, &self.design.components[position]);
        self.journal.push(Change::ComponentSet { position, before });
    }

    /// Appends a component (its id must be new).
    pub fn push_component(&mut self, component: Component) {
        self.touch_component(component.id(), None);
        self.joins.mark_stale(component.id());
        let position = self.design.components.len();
        self.index.push_component(position, &component);
        self.design.components.push(component);
        self.journal.push(Change::ComponentPushed);
    }

    /// Removes the component at `position`.
    pub fn remove_component(&mut self, position: usize) {
        let component = &self.design.components[position];
        touch(&mut self.components_touched, &mut self.touches, component.id(), Some(component));
        self.joins.mark_stale(component.id());
        self.index.remove_component(position, component);
        let before = self.design.components.remove(position);
        self.journal.push(Change::ComponentRemoved { position, before });
    }

    /// Replaces the relationship at `position`.
    pub fn set_relationship(&mut self, position: usize, relationship: Relationship) {
        let before = std::mem::replace(&mut self.design.relationships[position], relationship);
        self.touch_relationship(before.id(), Some(&before));
        self.index.replace_relationship(position, &before, &self.design.relationships[position]);
        self.journal.push(Change::RelationshipSet { position, before });
    }

    /// Sets the `status` of the relationship at `position` — an approval or a deletion mark, the
    /// most frequent change — without copying or re-indexing the rest of it.
    pub fn set_relationship_status(&mut self, position: usize, status: Value) {
        let relationship = &self.design.relationships[position];
        touch(&mut self.relationships_touched, &mut self.touches, relationship.id(), Some(relationship));
        let old_status = self.design.relationships[position].status().to_owned();
        let Value::Object(fields) = self.design.relationships[position].value_mut() else { return };
        let before = fields.insert("status".to_owned(), status);
        self.index.restatus_relationship(position, &self.design.relationships[position], &old_status);
        self.journal.push(Change::RelationshipStatusSet { position, before });
    }

    /// Appends a relationship (its id must be new).
    pub fn push_relationship(&mut self, relationship: Relationship) {
        self.touch_relationship(relationship.id(), None);
        let position = self.design.relationships.len();
        self.index.push_relationship(position, &relationship);
        self.design.relationships.push(relationship);
        self.journal.push(Change::RelationshipPushed);
    }

    /// Removes the relationship at `position`.
    pub fn remove_relationship(&mut self, position: usize) {
        let relationship = &self.design.relationships[position];
        touch(&mut self.relationships_touched, &mut self.touches, relationship.id(), Some(relationship));
        self.index.remove_relationship(position, relationship);
        let before = self.design.relationships.remove(position);
        self.journal.push(Change::RelationshipRemoved { position, before });
    }

    /// Removes the relationships at `positions` (ascending, distinct). Each removal shifts the
    /// positions the index holds, so past a few removals (a deleted hub takes thousands of
    /// relationships with it) one pass over the list and a rebuilt index cost less.
    pub fn remove_relationships(&mut self, positions: &[usize]) {
        const REBUILD_PAST: usize = 16;
        if positions.len() <= REBUILD_PAST {
            for &position in positions.iter().rev() {
                self.remove_relationship(position);
            }
            return;
        }
        let mut removed = vec![false; self.design.relationships.len()];
        // Logged from the last, as single removals would be: a rollback restores the first last.
        for &position in positions.iter().rev() {
            let relationship = &self.design.relationships[position];
            touch(&mut self.relationships_touched, &mut self.touches, relationship.id(), Some(relationship));
            self.journal.push(Change::RelationshipRemoved { position, before: relationship.clone() });
            removed[position] = true;
        }
        let mut position = 0;
        self.design.relationships.retain(|_| {
            position += 1;
            !removed[position - 1]
        });
        self.index = DesignIndex::build(&self.design);
    }

    /// Sets a top-level design field (not the component or relationship lists).
    pub fn set_field(&mut self, key: &str, value: Value) {
        let before = self.design.fields.insert(key.to_owned(), value);
        self.journal.push(Change::FieldSet { key: key.to_owned(), before });
        if key == "metadata" {
            self.index.reindex_aliases(&self.design);
        }
    }

    /// Undoes every change after `mark`, newest first.
    pub fn rollback(&mut self, mark: usize) {
        self.parent_keys.clear(); // rebuilt on next use
        self.joins.clear(); // likewise
        self.writers.clear(); // likewise
        while self.journal.len() > mark {
            let Some(change) = self.journal.pop() else { break };
            match change {
                Change::ComponentSet { position, before } => {
                    let after = std::mem::replace(&mut self.design.components[position], before);
                    self.index.replace_component(position, &after, &self.design.components[position]);
                }
                Change::ComponentPushed => {
                    if let Some(after) = self.design.components.pop() {
                        let position = self.design.components.len();
                        self.index.remove_component(position, &after);
                    }
                }
                Change::ComponentRemoved { position, before } => {
                    self.design.components.insert(position, before);
                    self.index = DesignIndex::build(&self.design);
                }
                Change::RelationshipSet { position, before } => {
                    let after = std::mem::replace(&mut self.design.relationships[position], before);
                    self.index.replace_relationship(position, &after, &self.design.relationships[position]);
                }
                Change::RelationshipStatusSet { position, before } => {
                    let status_after = self.design.relationships[position].status().to_owned();
                    if let Value::Object(fields) = self.design.relationships[position].value_mut() {
                        match before {
                            Some(status) => {
                                fields.insert("status".to_owned(), status);
                            }
                            None => {
                                fields.shift_remove("status");
                            }
                        }
                    }
                    self.index.restatus_relationship(position, &self.design.relationships[position], &status_after);
                }
                Change::RelationshipPushed => {
                    if let Some(after) = self.design.relationships.pop() {
                        let position = self.design.relationships.len();
                        self.index.remove_relationship(position, &after);
                    }
                }
                Change::RelationshipRemoved { position, before } => {
                    self.design.relationships.insert(position, before);
                    self.index = DesignIndex::build(&self.design);
                }
                Change::FieldSet { key, before } => {
                    match before {
                        Some(value) => {
                            self.design.fields.insert(key.clone(), value);
                        }
                        None => {
                            self.design.fields.shift_remove(&key);
                        }
                    }
                    if key == "metadata" {
                        self.index.reindex_aliases(&self.design);
                    }
                }
            }
        }
    }
}

/// Records the first-seen state of an item (copied only on its first touch in the batch).
fn touch<T: Clone>(touched: &mut HashMap<String, FirstSeen<T>>, touches: &mut usize, id: &str, before: Option<&T>) {
    if !touched.contains_key(id) {
        *touches += 1;
        touched.insert(id.to_owned(), FirstSeen { before: before.cloned(), order: *touches });
    }
}

impl crate::engine::orchestration::PassTarget for Store {
    fn design(&self) -> &Design {
        &self.design
    }
    fn set_version(&mut self, version: String) {
        self.set_field("version", Value::String(version));
    }
    fn set_resolved_aliases(&mut self, aliases: Map<String, Value>) {
        let mut metadata = self.design.fields.get("metadata").and_then(Value::as_object).cloned().unwrap_or_default();
        metadata.insert("resolvedAliases".into(), Value::Object(aliases));
        self.set_field("metadata", Value::Object(metadata));
    }
    fn may_have_aliases(&self) -> bool {
        self.index.has_alias_relationships()
    }
}

#[cfg(test)]
mod tests;
