//! Edge non-binding relationships (network, reference, mount, …): a Service reaches the Pods its
//! selector matches, a Deployment references a ConfigMap (spec §7.4).

use super::pairs::identify_by_mutator_fields;
use super::patch_mutators::{may_mutate, patch_mutators};
use super::{from_or_to_missing, Candidate, Policy};
use crate::context::Context;
use crate::model::{Action, Relationship, Status};

/// `edge-non-binding`: kind `edge`, type `non-binding`, any subType.
pub struct EdgeNonBindingPolicy;

impl Policy for EdgeNonBindingPolicy {
    fn id(&self) -> &'static str {
        "edge-non-binding"
    }

    fn is_implicated_by(&self, relationship: &Relationship) -> bool {
        relationship.is("edge", "non-binding", None)
    }

    fn is_invalid(&self, relationship: &Relationship, context: &Context) -> bool {
        from_or_to_missing(relationship, context)
    }

    /// Every matching pair, with no model or deny check (as in Meshery).
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
