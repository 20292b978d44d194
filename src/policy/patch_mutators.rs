//! `patchMutators` (spec §8.3): a relationship copies values from its mutator component into its
//! mutated component; a deleted relationship undoes that (schema default, else removal) — unless
//! another live relationship still sets the same value there.

use super::pairs::Direction;
use crate::context::Context;
use crate::model::{Action, Component, Relationship, SelectorItem, Status};
use crate::patching::schema_default;
use crate::values::{json_equal, Path};
use serde_json::Value;

/// One value a relationship carries from its mutator into its mutated component.
pub struct PatchPair<'a> {
    pub mutated: &'a Component,
    /// The mutated path, with `_` resolved.
    pub path: Path,
    /// The mutator's value (never null).
    pub value: &'a Value,
    /// The mutated component's current value at `path`.
    pub current: Option<&'a Value>,
}

/// The value pairs of every index pair `(from[p], to[p])` of every selector set whose items both
/// have a patch and name existing components.
pub fn patch_pairs<'a>(relationship: &Relationship, context: &Context<'a>) -> Vec<PatchPair<'a>> {
    let mut pairs = Vec::new();
    for set in relationship.selectors() {
        for (from, to) in set.allow_from().iter().zip(set.allow_to()) {
            let (from, to) = (SelectorItem(from), SelectorItem(to));
            if from.patch().is_none() || to.patch().is_none() {
                continue;
            }
            let (Some(from_component), Some(to_component)) =
                (from.id().and_then(|id| context.component(id)), to.id().and_then(|id| context.component(id)))
            else {
                continue;
            };
            let Some(direction) = Direction::of(from, to) else { continue };
            let (mutator, mutated) =
                if direction.mutator_is_from { (from_component, to_component) } else { (to_component, from_component) };
            for i in 0..direction.len() {
                let value = context.resolved_value(&direction.mutator_refs[i], mutator);
                let Some(value) = value else { continue };
                let (path, current) = context.resolved_value_at(&direction.mutated_refs[i], mutated);
                pairs.push(PatchPair { mutated, path, value, current });
            }
        }
    }
    pairs
}

/// Whether `patch_pairs` can name `id` as a mutated component: `id` is an item of an index pair
/// whose items both have a patch, on the side `Direction` makes mutated.
pub fn may_mutate(relationship: &Relationship, id: &str) -> bool {
    relationship.selectors().any(|set| {
        set.allow_from().iter().zip(set.allow_to()).any(|(from, to)| {
            let (from, to) = (SelectorItem(from), SelectorItem(to));
            match Direction::mutator_is_from(from, to) {
                Some(true) => to.id() == Some(id),
                Some(false) => from.id() == Some(id),
                None => false,
            }
        })
    })
}

/// The forward patches of a relationship (values that differ), or for a `deleted` one the
/// reverse patches of values it had set.
pub fn patch_mutators(relationship: &Relationship, context: &Context) -> Vec<Action> {
    let deleted = relationship.status() == Status::DELETED;
    let mut actions = Vec::new();
    for pair in patch_pairs(relationship, context) {
        let same = json_equal(pair.value, pair.current.unwrap_or(&Value::Null));
        if !deleted && !same {
            if !context.charge_patch(relationship, pair.mutated.id(), pair.value) {
                break; // the pass fails with maxPatchBytes; copy nothing more
            }
            actions.push(Action::update_component_at(pair.mutated.id(), pair.path, pair.value.clone()));
        } else if deleted && same && !live_twin_sets(relationship, &pair, context) {
            actions.push(cleanup(pair.mutated, pair.path));
        }
    }
    actions
}

/// True when another relationship that is not deleted carries the same value to the same path
/// of the same component: undoing the deleted one's patch would strip a value still in force
/// (Meshery strips it and restores it on the next evaluation).
fn live_twin_sets(deleted: &Relationship, pair: &PatchPair, context: &Context) -> bool {
    context.index.relationships_of_component(pair.mutated.id()).iter().any(|&position| {
        let other = &context.design.relationships[position];
        other.id() != deleted.id()
            && other.status() != Status::DELETED
            && patch_pairs(other, context)
                .iter()
                .any(|p| p.mutated.id() == pair.mutated.id() && p.path == pair.path && json_equal(p.value, pair.value))
    })
}

/// Undoes a patch at `path`: back to the schema's `default` when it declares one, else removed.
pub fn cleanup(mutated: &Component, path: Path) -> Action {
    let schema_path = path.strip_prefix(&["configuration".to_string()]).unwrap_or(&path);
    match schema_default(mutated.schema_text(), schema_path) {
        Some(default) => Action::update_component_at(mutated.id(), path, default),
        None => Action::RemoveComponentConfiguration { id: mutated.id().to_owned(), path },
    }
}

#[cfg(test)]
mod tests;
