//! What an edit batch changed: the facts a full evaluation would report, minus what did not change.

use crate::model::{Action, Component, Design, Relationship};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// The changes between two revisions of the evaluator's design.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Delta {
    /// The revision after the batch.
    pub revision: u64,
    /// The design version after the batch.
    pub version: String,
    pub components_added: Vec<Component>,
    pub components_removed: Vec<String>,
    pub components_updated: Vec<Component>,
    pub relationships_added: Vec<Relationship>,
    pub relationships_removed: Vec<String>,
    /// Relationships whose content changed (most often their status).
    pub relationships_updated: Vec<Relationship>,
    /// The actions of the evaluation that followed the batch.
    pub actions: Vec<Action>,
    /// What the evaluation could not finish, without failing the batch (e.g. a load that could
    /// not settle). Absent from the JSON when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
}

/// A condition worth reporting that did not fail the batch: a `code`, a `message`, the `path`
/// (the option or field concerned, a JSON pointer) and the ids of the components involved (of the
/// relationships, for `DUPLICATE_RELATIONSHIP`).
///
/// Codes: `FLAPPING` (settling found the design cycling), `LIMIT_EXCEEDED` (settling ran out of
/// passes or would create too many relationships), `PATCH_CONFLICT` (relationships patched one
/// field of a component with different values, so none was applied, as in Meshery),
/// `DUPLICATE_RELATIONSHIP` (live relationships of one class between the same components, which
/// Meshery keeps: see `duplicates.rs`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub code: String,
    pub message: String,
    pub path: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
}

impl Diagnostic {
    /// The diagnostic of patches that cancelled each other.
    pub fn patch_conflict(tie: &crate::engine::Tie) -> Diagnostic {
        let values: Vec<String> = tie.values.iter().map(|v| v.to_string()).collect();
        Diagnostic {
            code: "PATCH_CONFLICT".into(),
            message: format!(
                "relationships set {} of component {} to different values ({}); none was applied",
                tie.path.join("."),
                tie.component_id,
                values.join(", ")
            ),
            path: format!(
                "/{}",
                tie.path.iter().map(|s| s.replace('~', "~0").replace('/', "~1")).collect::<Vec<_>>().join("/")
            ),
            ids: vec![tie.component_id.clone()],
        }
    }
}

fn positions<'a, T>(items: &'a [T], id: impl Fn(&'a T) -> &'a str) -> HashMap<&'a str, usize> {
    items.iter().enumerate().map(|(i, item)| (id(item), i)).collect()
}

/// The delta between `before` and `after`, looking only at the given candidate ids (every id an
/// edit or an action touched); reported in the order of `after`, removals in the order of `before`.
pub fn diff(
    before: &Design,
    after: &Design,
    component_ids: &BTreeSet<String>,
    relationship_ids: &BTreeSet<String>,
) -> Delta {
    let mut delta = Delta::default();
    let before_components = positions(&before.components, Component::id);
    let after_components = positions(&after.components, Component::id);
    let (mut added, mut updated, mut removed) = (Vec::new(), Vec::new(), Vec::new());
    for id in component_ids {
        match (before_components.get(id.as_str()), after_components.get(id.as_str())) {
            (None, Some(&a)) => added.push(a),
            (Some(&b), None) => removed.push(b),
            (Some(&b), Some(&a)) if before.components[b] != after.components[a] => updated.push(a),
            _ => {}
        }
    }
    for positions in [&mut added, &mut updated, &mut removed] {
        positions.sort_unstable();
    }
    delta.components_added = added.into_iter().map(|p| after.components[p].clone()).collect();
    delta.components_updated = updated.into_iter().map(|p| after.components[p].clone()).collect();
    delta.components_removed = removed.into_iter().map(|p| before.components[p].id().to_owned()).collect();

    let before_relationships = positions(&before.relationships, Relationship::id);
    let after_relationships = positions(&after.relationships, Relationship::id);
    let (mut added, mut updated, mut removed) = (Vec::new(), Vec::new(), Vec::new());
    for id in relationship_ids {
        match (before_relationships.get(id.as_str()), after_relationships.get(id.as_str())) {
            (None, Some(&a)) => added.push(a),
            (Some(&b), None) => removed.push(b),
            (Some(&b), Some(&a)) if before.relationships[b] != after.relationships[a] => updated.push(a),
            _ => {}
        }
    }
    for positions in [&mut added, &mut updated, &mut removed] {
        positions.sort_unstable();
    }
    delta.relationships_added = added.into_iter().map(|p| after.relationships[p].clone()).collect();
    delta.relationships_updated = updated.into_iter().map(|p| after.relationships[p].clone()).collect();
    delta.relationships_removed = removed.into_iter().map(|p| before.relationships[p].id().to_owned()).collect();
    delta.version = after.version().to_owned();
    delta
}

/// The component and relationship ids an action touches.
pub fn touched_by(action: &Action, components: &mut BTreeSet<String>, relationships: &mut BTreeSet<String>) {
    match action {
        Action::AddRelationship { .. } | Action::UpdateRelationship { .. } | Action::DeleteRelationship { .. } => {
            relationships.insert(action.target_id().to_owned());
        }
        _ => {
            components.insert(action.target_id().to_owned());
        }
    }
}
