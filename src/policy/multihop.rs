//! Multi-hop routing validation (spec §7.9). Meshery ships it but does not register it, so the
//! engine does not run it either; it is here (with `internals`) so that Meshery's tests of it
//! have a counterpart.

use super::{Candidate, Policy};
use crate::context::Context;
use crate::model::{Action, Relationship, SelectorItem, Status};

/// `multihop-routing-validation`: an edge/binding to a `TransitGatewayVPCAttachment` is complete
/// only when that attachment is connected both to a TransitGateway and to a VPC.
pub struct MultihopValidationPolicy;

const ATTACHMENT: &str = "TransitGatewayVPCAttachment";

impl MultihopValidationPolicy {
    fn attachments<'a>(relationship: &'a Relationship) -> impl Iterator<Item = SelectorItem<'a>> {
        relationship
            .selectors()
            .flat_map(|s| s.allow_to().iter().map(SelectorItem))
            .filter(|item| item.kind() == ATTACHMENT)
    }

    fn connected_from(kind: &str, attachment_id: &str, context: &Context) -> bool {
        context.design.relationships.iter().any(|r| {
            r.status() != Status::DELETED
                && r.selectors().any(|s| {
                    s.allow_from().iter().any(|f| SelectorItem(f).kind() == kind)
                        && s.allow_to().iter().any(|t| SelectorItem(t).id() == Some(attachment_id))
                })
        })
    }

    /// True when some attachment this relationship points to lacks a TransitGateway or a VPC link.
    pub fn is_incomplete(&self, relationship: &Relationship, context: &Context) -> bool {
        Self::attachments(relationship)
            .filter_map(|item| item.id())
            .any(|id| !Self::connected_from("TransitGateway", id, context) || !Self::connected_from("VPC", id, context))
    }
}

impl Policy for MultihopValidationPolicy {
    fn id(&self) -> &'static str {
        "multihop-routing-validation"
    }

    fn is_implicated_by(&self, relationship: &Relationship) -> bool {
        relationship.is("edge", "binding", None) && Self::attachments(relationship).next().is_some()
    }

    fn is_invalid(&self, relationship: &Relationship, context: &Context) -> bool {
        self.is_incomplete(relationship, context)
    }

    fn identify(&self, _: &Relationship, _: &Context) -> Vec<Candidate> {
        Vec::new()
    }

    fn side_effects(&self, relationship: &Relationship, context: &Context) -> Vec<Action> {
        if relationship.status() == Status::APPROVED && self.is_incomplete(relationship, context) {
            vec![Action::set_status(relationship.id(), Status::DELETED)]
        } else {
            Vec::new()
        }
    }

    /// It only ever deletes the relationship.
    fn may_update(&self, _: &Relationship, _: &str) -> bool {
        false
    }
}
