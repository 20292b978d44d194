//! The trace of a pass (spec §4.3) and its merge across passes (`MergeTraceUnique`, §5).

use super::apply::Removed;
use crate::index::DesignIndex;
use crate::model::{Action, Design, Trace};
use std::collections::HashSet;

/// Builds the trace of one pass from its actions, the final design, what the final apply
/// removed, and the ids of the components added during the pass (absent from its input).
pub fn build_trace(
    actions: &[Action],
    final_design: &Design,
    removed: &Removed,
    added_in_pass: &HashSet<String>,
) -> Trace {
    let index = DesignIndex::build_ids_only(final_design);
    let mut trace = Trace::default();
    let mut updated_components: HashSet<&str> = HashSet::new();
    let mut updated_relationships: HashSet<&str> = HashSet::new();
    for action in actions {
        match action {
            Action::AddComponent { item } => trace.components_added.push(item.clone()),
            Action::DeleteComponent { id, .. } => {
                if !added_in_pass.contains(id) {
                    if let Some(component) = removed.components.get(id) {
                        trace.components_removed.push(component.clone());
                    }
                }
            }
            Action::UpdateComponent { id, .. } | Action::UpdateComponentConfiguration { id, .. } => {
                if !id.is_empty() && updated_components.insert(id) {
                    if let Some(position) = index.component(id) {
                        trace.components_updated.push(final_design.components[position].clone());
                    }
                }
            }
            Action::AddRelationship { item } => trace.relationships_added.push(item.clone()),
            Action::DeleteRelationship { id, relationship } => {
                if let Some(relationship) = relationship.clone().or_else(|| removed.relationships.get(id).cloned()) {
                    trace.relationships_removed.push(relationship);
                }
            }
            Action::UpdateRelationship { id, .. } => {
                if updated_relationships.insert(id) {
                    if let Some(position) = index.relationship(id) {
                        trace.relationships_updated.push(final_design.relationships[position].clone());
                    }
                }
            }
            Action::RemoveComponentConfiguration { .. } => {}
        }
    }
    trace
}

/// Appends `source` to `target`, skipping any component or relationship whose id `target`
/// already reports in any category; an id is reported once, in the first category it reached.
pub fn merge_trace_unique(target: &mut Trace, source: Trace) {
    let mut components: HashSet<String> = target
        .components_added
        .iter()
        .chain(&target.components_removed)
        .chain(&target.components_updated)
        .map(|c| c.id().to_owned())
        .collect();
    let mut relationships: HashSet<String> = target
        .relationships_added
        .iter()
        .chain(&target.relationships_removed)
        .chain(&target.relationships_updated)
        .map(|r| r.id().to_owned())
        .collect();
    for (list, into) in [
        (source.components_added, &mut target.components_added),
        (source.components_removed, &mut target.components_removed),
        (source.components_updated, &mut target.components_updated),
    ] {
        into.extend(list.into_iter().filter(|c| components.insert(c.id().to_owned())));
    }
    for (list, into) in [
        (source.relationships_added, &mut target.relationships_added),
        (source.relationships_removed, &mut target.relationships_removed),
        (source.relationships_updated, &mut target.relationships_updated),
    ] {
        into.extend(list.into_iter().filter(|r| relationships.insert(r.id().to_owned())));
    }
}
