//! The indexed design: every lookup a policy makes (by id, kind pattern, model, namespace, label,
//! relationship endpoint) is a hash lookup instead of a scan over the components.

use crate::matching::match_name;
use crate::model::{Component, Design, MatchSide, Relationship, SelectorItem};
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
    relationships_by_endpoints: HashMap<String, HashMap<String, Vec<usize>>>,
    /// Component id → relationships that name it in any selector item or match item.
    relationships_by_component: HashMap<String, Vec<usize>>,
    /// Relationships whose status is `identified` or `deleted` (work a pass has left: approvals
    /// past the cap, removals), by class (kind, type, subType — all a policy reads to decide
    /// whether a relationship is its own), each list in design order.
    /// A list, not a map: designs have a handful of classes, and a map type would add code.
    unsettled: Vec<(RelationshipClass, UnsettledLists)>,
    /// How many relationships have subType `alias` (none: alias resolution has nothing to do).
    alias_relationships: usize,
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
            index.components_by_model.entry(component.model_name().to_owned()).or_default().push(position);
        }
        for (position, relationship) in design.relationships.iter().enumerate() {
            index.add_relationship(position, relationship);
        }
        index.reindex_aliases(design);
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
        if let Some(list) = self.unsettled_list(relationship, relationship.status()) {
            list.push(position);
        }
        self.alias_relationships += usize::from(relationship.sub_type() == "alias");
        self.relationship_by_id.insert(relationship.id().to_owned(), position);
        for set in relationship.selectors() {
            let from = set.allow_from().first().and_then(|i| SelectorItem(i).id());
            let to = set.allow_to().first().and_then(|i| SelectorItem(i).id());
            if let (Some(from), Some(to)) = (from, to) {
                self.relationships_by_endpoints
                    .entry(from.to_owned())
                    .or_default()
                    .entry(to.to_owned())
                    .or_default()
                    .push(position);
            }
        }
        let named = named_components(relationship);
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
        self.relationships_by_endpoints.get(from).and_then(|by_to| by_to.get(to)).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Relationships that name this component in any allow item or match item.
    pub fn relationships_of_component(&self, id: &str) -> &[usize] {
        self.relationships_by_component.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The parent and reference path an alias component reads its configuration through.
    pub fn alias_parent(&self, alias_id: &str) -> Option<&(usize, Path)> {
        self.alias_parents.get(alias_id)
    }

    // ---- incremental maintenance (used by the stateful evaluator; each keeps the index equal
    // ---- to `DesignIndex::build` of the changed design)

    /// Forgets memoised kind-pattern lookups (after any component change).
    pub fn clear_pattern_cache(&mut self) {
        self.pattern_cache.get_mut().clear();
    }

    /// Indexes a component appended at `position` (the last position).
    pub fn push_component(&mut self, position: usize, component: &Component) {
        self.component_by_id.insert(component.id().to_owned(), position);
        self.components_by_kind.entry(component.kind().to_owned()).or_default().push(position);
        self.components_by_model.entry(component.model_name().to_owned()).or_default().push(position);
        self.clear_pattern_cache();
    }

    /// Re-indexes the component at `position` whose kind or model may have changed.
    pub fn replace_component(&mut self, position: usize, old: &Component, new: &Component) {
        if old.kind() != new.kind() {
            remove_position(&mut self.components_by_kind, old.kind(), position);
            insert_sorted(self.components_by_kind.entry(new.kind().to_owned()).or_default(), position);
        }
        if old.model_name() != new.model_name() {
            remove_position(&mut self.components_by_model, old.model_name(), position);
            insert_sorted(self.components_by_model.entry(new.model_name().to_owned()).or_default(), position);
        }
        if old.id() != new.id() {
            self.component_by_id.remove(old.id());
            self.component_by_id.insert(new.id().to_owned(), position);
        }
        if old.kind() != new.kind() {
            self.clear_pattern_cache();
        }
    }

    /// Un-indexes the component at `position` (before it is removed from the design) and shifts
    /// later positions down by one.
    pub fn remove_component(&mut self, position: usize, component: &Component) {
        self.component_by_id.remove(component.id());
        remove_position(&mut self.components_by_kind, component.kind(), position);
        remove_position(&mut self.components_by_model, component.model_name(), position);
        for p in self.component_by_id.values_mut() {
            if *p > position {
                *p -= 1;
            }
        }
        for list in self.components_by_kind.values_mut().chain(self.components_by_model.values_mut()) {
            shift_down(list, position);
        }
        self.alias_parents.retain(|alias, (parent, _)| *parent != position && alias != component.id());
        for (parent, _) in self.alias_parents.values_mut() {
            if *parent > position {
                *parent -= 1;
            }
        }
        self.clear_pattern_cache();
    }

    /// Indexes a relationship appended at `position`.
    pub fn push_relationship(&mut self, position: usize, relationship: &Relationship) {
        self.add_relationship(position, relationship);
    }

    /// Re-indexes the relationship at `position` after its content changed.
    pub fn replace_relationship(&mut self, position: usize, old: &Relationship, new: &Relationship) {
        self.unindex_relationship(position, old);
        self.add_relationship_sorted(position, new);
    }

    /// Un-indexes the relationship at `position` (before it is removed) and shifts later
    /// positions down by one.
    pub fn remove_relationship(&mut self, position: usize, relationship: &Relationship) {
        self.unindex_relationship(position, relationship);
        for p in self.relationship_by_id.values_mut() {
            if *p > position {
                *p -= 1;
            }
        }
        for list in self.relationships_by_endpoints.values_mut().flat_map(|by_to| by_to.values_mut()) {
            shift_down(list, position);
        }
        for list in self.relationships_by_component.values_mut() {
            shift_down(list, position);
        }
        for (_, lists) in self.unsettled.iter_mut() {
            shift_down(&mut lists.identified, position);
            shift_down(&mut lists.deleted, position);
        }
    }

    fn unindex_relationship(&mut self, position: usize, relationship: &Relationship) {
        self.unsettle_remove(position, relationship, relationship.status());
        self.alias_relationships -= usize::from(relationship.sub_type() == "alias");
        if self.relationship_by_id.get(relationship.id()) == Some(&position) {
            self.relationship_by_id.remove(relationship.id());
        }
        for (from, to) in relationship_keys(relationship) {
            if let Some(by_to) = self.relationships_by_endpoints.get_mut(&from) {
                if let Some(list) = by_to.get_mut(&to) {
                    list.retain(|&p| p != position);
                    if list.is_empty() {
                        by_to.remove(&to);
                    }
                }
                if by_to.is_empty() {
                    self.relationships_by_endpoints.remove(&from);
                }
            }
        }
        for id in named_components(relationship) {
            if let Some(list) = self.relationships_by_component.get_mut(&id) {
                list.retain(|&p| p != position);
                if list.is_empty() {
                    self.relationships_by_component.remove(&id);
                }
            }
        }
    }

    fn add_relationship_sorted(&mut self, position: usize, relationship: &Relationship) {
        if let Some(list) = self.unsettled_list(relationship, relationship.status()) {
            insert_sorted(list, position);
        }
        self.alias_relationships += usize::from(relationship.sub_type() == "alias");
        self.relationship_by_id.insert(relationship.id().to_owned(), position);
        for (from, to) in relationship_keys(relationship) {
            insert_sorted(self.relationships_by_endpoints.entry(from).or_default().entry(to).or_default(), position);
        }
        for id in named_components(relationship) {
            insert_sorted(self.relationships_by_component.entry(id).or_default(), position);
        }
    }

    /// The relationship at `position` changed only its status, from `old_status` to its current
    /// one: nothing but the unsettled lists can change.
    pub fn restatus_relationship(&mut self, position: usize, relationship: &Relationship, old_status: &str) {
        self.unsettle_remove(position, relationship, old_status);
        if let Some(list) = self.unsettled_list(relationship, relationship.status()) {
            insert_sorted(list, position);
        }
    }

    /// The unsettled list a relationship with this status belongs to (`None`: settled).
    fn unsettled_list(&mut self, relationship: &Relationship, status: &str) -> Option<&mut Vec<usize>> {
        let lists = match status {
            "identified" | "deleted" => {
                let class = RelationshipClass::of(relationship);
                let at = match self.unsettled.iter().position(|(c, _)| *c == class) {
                    Some(at) => at,
                    None => {
                        self.unsettled.push((class, UnsettledLists::default()));
                        self.unsettled.len() - 1
                    }
                };
                &mut self.unsettled[at].1
            }
            _ => return None,
        };
        Some(if status == "identified" { &mut lists.identified } else { &mut lists.deleted })
    }

    fn unsettle_remove(&mut self, position: usize, relationship: &Relationship, status: &str) {
        if !matches!(status, "identified" | "deleted") {
            return;
        }
        let class = RelationshipClass::of(relationship);
        if let Some(at) = self.unsettled.iter().position(|(c, _)| *c == class) {
            let lists = &mut self.unsettled[at].1;
            let list = if status == "identified" { &mut lists.identified } else { &mut lists.deleted };
            if let Ok(found) = list.binary_search(&position) {
                list.remove(found);
            }
            if lists.identified.is_empty() && lists.deleted.is_empty() {
                self.unsettled.swap_remove(at);
            }
        }
    }

    /// The unsettled relationships of the classes `implicated` accepts (it is asked about one
    /// relationship of each class): the first `approvable` `identified` ones and every `deleted`
    /// one, each in design order.
    pub fn unsettled_of(
        &self,
        implicated: impl Fn(&Relationship) -> bool,
        approvable: usize,
    ) -> (Vec<usize>, Vec<usize>) {
        let (mut identified, mut deleted) = (Vec::new(), Vec::new());
        for (class, lists) in &self.unsettled {
            if implicated(&class.sample()) {
                // The first `approvable` of the union are among the first `approvable` of each list.
                identified.extend(lists.identified.iter().take(approvable));
                deleted.extend(&lists.deleted);
            }
        }
        identified.sort_unstable();
        identified.truncate(approvable);
        deleted.sort_unstable();
        (identified, deleted)
    }

    /// True when some relationship has subType `alias`.
    pub fn has_alias_relationships(&self) -> bool {
        self.alias_relationships > 0
    }

    /// Replaces the alias-parent map (after `metadata.resolvedAliases` changed).
    pub fn reindex_aliases(&mut self, design: &Design) {
        self.alias_parents.clear();
        if let Some(aliases) = design.resolved_aliases() {
            for (alias_id, alias) in aliases {
                let parent = alias.get("resolved_parent_id").and_then(Value::as_str);
                let Some(&parent) = parent.and_then(|p| self.component_by_id.get(p)) else {
                    continue;
                };
                let path = alias
                    .get("resolved_ref_field_path")
                    .and_then(Value::as_array)
                    .map(|p| p.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                    .unwrap_or_default();
                self.alias_parents.insert(alias_id.clone(), (parent, path));
            }
        }
    }

    /// Alias components whose configuration reads through the given parent position.
    pub fn aliases_reading_through(&self, parent: usize) -> Vec<&str> {
        self.alias_parents.iter().filter(|(_, (p, _))| *p == parent).map(|(id, _)| id.as_str()).collect()
    }

    /// All component ids (for code that needs to enumerate them).
    pub fn component_count(&self) -> usize {
        self.component_by_id.len()
    }
}

/// (first from id, first to id) of each selector set that names both.
fn relationship_keys(relationship: &Relationship) -> Vec<(String, String)> {
    relationship
        .selectors()
        .filter_map(|set| {
            let from = set.allow_from().first().and_then(|i| SelectorItem(i).id())?;
            let to = set.allow_to().first().and_then(|i| SelectorItem(i).id())?;
            Some((from.to_owned(), to.to_owned()))
        })
        .collect()
}

/// Distinct component ids a relationship names: in its allow items and in their `match` items
/// (a binding names its binding component only there).
pub fn named_components(relationship: &Relationship) -> Vec<String> {
    let mut named: Vec<String> = Vec::new();
    for set in relationship.selectors() {
        for item in set.allow_from().iter().chain(set.allow_to()) {
            let item = SelectorItem(item);
            named.extend(item.id().map(str::to_owned));
            for side in [MatchSide::From, MatchSide::To] {
                named.extend(item.match_items(side).iter().filter_map(|m| SelectorItem(m).id().map(str::to_owned)));
            }
        }
    }
    named.sort_unstable();
    named.dedup();
    named
}

/// What policies tell relationships apart by: kind, type and subType, ASCII-lower-cased (as
/// `Relationship::is` compares them).
#[derive(Debug, Clone, PartialEq, Eq)]
struct RelationshipClass {
    kind: String,
    rel_type: String,
    sub_type: String,
}

impl RelationshipClass {
    fn of(relationship: &Relationship) -> RelationshipClass {
        RelationshipClass {
            kind: relationship.kind().to_ascii_lowercase(),
            rel_type: relationship.rel_type().to_ascii_lowercase(),
            sub_type: relationship.sub_type().to_ascii_lowercase(),
        }
    }

    /// A relationship of this class, to ask a policy whether the class is its own.
    fn sample(&self) -> Relationship {
        let mut fields = serde_json::Map::new();
        fields.insert("kind".into(), Value::String(self.kind.clone()));
        fields.insert("type".into(), Value::String(self.rel_type.clone()));
        fields.insert("subType".into(), Value::String(self.sub_type.clone()));
        Relationship::from_value(Value::Object(fields))
    }
}

/// The unsettled relationships of one class, by status, in design order.
#[derive(Debug, Default)]
struct UnsettledLists {
    identified: Vec<usize>,
    deleted: Vec<usize>,
}

fn remove_position(map: &mut HashMap<String, Vec<usize>>, key: &str, position: usize) {
    if let Some(list) = map.get_mut(key) {
        list.retain(|&p| p != position);
        if list.is_empty() {
            map.remove(key);
        }
    }
}

fn insert_sorted(list: &mut Vec<usize>, position: usize) {
    if let Err(at) = list.binary_search(&position) {
        list.insert(at, position);
    }
}

fn shift_down(list: &mut [usize], removed: usize) {
    for p in list.iter_mut() {
        if *p > removed {
            *p -= 1;
        }
    }
}

#[cfg(test)]
mod tests;
