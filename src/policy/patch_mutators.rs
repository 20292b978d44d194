//! `patchMutators` (spec §8.3): a relationship copies values from its mutator component into its
//! mutated component; a deleted relationship undoes that (schema default, else removal).

use super::pairs::Direction;
use crate::context::Context;
use crate::model::{Action, Component, Relationship, SelectorItem, Status};
use crate::patching::schema_default;
use crate::values::{json_equal, Path};
use serde_json::Value;

/// The forward (or, for a `deleted` relationship, reverse) patches of every index pair
/// `(from[p], to[p])` of every selector set.
pub fn patch_mutators(relationship: &Relationship, context: &Context) -> Vec<Action> {
    let deleted = relationship.status() == Status::DELETED;
    let mut actions = Vec::new();
    for set in relationship.selectors() {
        for (from, to) in set.allow_from().iter().zip(set.allow_to()) {
            let (from, to) = (SelectorItem(from), SelectorItem(to));
            if from.patch().is_none() || to.patch().is_none() {
                continue;
            }
            let (Some(from_component), Some(to_component)) = (
                from.id().and_then(|id| context.component(id)),
                to.id().and_then(|id| context.component(id)),
            ) else {
                continue;
            };
            let Some(direction) = Direction::of(from, to) else { continue };
            let (mutator, mutated) = if direction.mutator_is_from {
                (from_component, to_component)
            } else {
                (to_component, from_component)
            };
            for i in 0..direction.len() {
                let (_, value) = context.resolved_value_at(&direction.mutator_refs[i], mutator);
                let Some(value) = value else { continue };
                let (path, old) = context.resolved_value_at(&direction.mutated_refs[i], mutated);
                let same = json_equal(value, old.unwrap_or(&Value::Null));
                if !deleted && !same {
                    actions.push(Action::update_component_at(mutated.id(), path, value.clone()));
                } else if deleted && same {
                    actions.push(cleanup(mutated, path));
                }
            }
        }
    }
    actions
}

/// Undoes a patch at `path`: back to the schema's `default` when it declares one, else removed.
pub fn cleanup(mutated: &Component, path: Path) -> Action {
    let schema_path = path.strip_prefix(&["configuration".to_string()]).unwrap_or(&path);
    match schema_default(mutated.schema_text(), schema_path) {
        Some(default) => Action::update_component_at(mutated.id(), path, default),
        None => Action::RemoveComponentConfiguration { id: mutated.id().to_owned(), path },
    }
}
