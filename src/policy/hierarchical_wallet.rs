//! Hierarchical wallet relationships: a parent that holds its children's values, e.g. a
//! PodTemplate and its Pod (spec §7.7). The parent must already exist.

use super::pairs::identify_by_mutator_fields;
use super::patch_mutators::{may_mutate, patch_mutators};
use super::{from_or_to_missing, Candidate, Policy};
use crate::context::Context;
use crate::model::{Action, Relationship, Status};

/// `hierarchical_wallet`: kind `hierarchical`, type `parent`, subType `wallet`.
pub struct HierarchicalWalletPolicy;

impl Policy for HierarchicalWalletPolicy {
    fn id(&self) -> &'static str {
        "hierarchical_wallet"
    }

    fn is_implicated_by(&self, relationship: &Relationship) -> bool {
        relationship.is("hierarchical", "parent", Some("wallet"))
    }

    fn is_invalid(&self, relationship: &Relationship, context: &Context) -> bool {
        from_or_to_missing(relationship, context)
    }

    /// Every matching pair, with no feasibility or deny filter (unlike inventory).
    fn identify(&self, definition: &Relationship, context: &Context) -> Vec<Candidate> {
        identify_by_mutator_fields(definition, context, Status::IDENTIFIED, |_, _| true)
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
