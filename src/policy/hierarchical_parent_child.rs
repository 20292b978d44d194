//! Hierarchical parent-child (inventory) relationships: a Namespace holds a Deployment, a Node
//! holds a Pod (spec §7.6). Missing parents are added by `inventory.rs` (Phase 2.5).

use super::pairs::identify_by_mutator_fields;
use super::patch_mutators::{may_mutate, patch_mutators};
use super::{from_or_to_missing, Candidate, Policy};
use crate::context::Context;
use crate::matching::{feasible_between, is_denied};
use crate::model::{Action, Relationship, Status};

/// `hierarchical_parent_child`: kind `hierarchical`, type `parent`, subType `inventory`.
pub struct HierarchicalParentChildPolicy;

impl Policy for HierarchicalParentChildPolicy {
    fn id(&self) -> &'static str {
        "hierarchical_parent_child"
    }

    fn is_implicated_by(&self, relationship: &Relationship) -> bool {
        relationship.is("hierarchical", "parent", Some("inventory"))
    }

    fn is_invalid(&self, relationship: &Relationship, context: &Context) -> bool {
        from_or_to_missing(relationship, context)
    }

    /// Matching pairs that are feasible (kind and model, deny first) and not denied by any
    /// selector set; approved at once.
    fn identify(&self, definition: &Relationship, context: &Context) -> Vec<Candidate> {
        identify_by_mutator_fields(definition, context, Status::APPROVED, |from, to| {
            feasible_between(from, to, definition).is_some()
                && !definition.selectors().any(|set| is_denied(from, to, set))
        })
    }

    fn side_effects(&self, relationship: &Relationship, context: &Context) -> Vec<Action> {
        patch_mutators(relationship, context)
    }

    fn may_update(&self, relationship: &Relationship, id: &str) -> bool {
        may_mutate(relationship, id)
    }
}

#[cfg(test)]
mod tests;
