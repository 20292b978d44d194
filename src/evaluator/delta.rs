//! What an edit batch changed: the facts a full evaluation would report, minus what did not change.

use crate::incremental::FirstSeen;
use crate::model::{Action, Component, Design, Relationship};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// The changes between two revisions of the evaluator's design.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
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
    #[cfg_attr(feature = "typescript", ts(as = "Option<_>", optional))]
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
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Diagnostic {
    #[cfg_attr(
        feature = "typescript",
        ts(type = "'PATCH_CONFLICT' | 'FLAPPING' | 'LIMIT_EXCEEDED' | 'DUPLICATE_RELATIONSHIP' | (string & {})")
    )]
    pub code: String,
    pub message: String,
    pub path: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<_>", optional))]
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

/// What a change did to one kind of item: positions added and updated (each in the order of the
/// design after it) and ids removed (in the order given by their `FirstSeen::order`).
pub(super) struct Classified {
    pub added: Vec<usize>,
    pub updated: Vec<usize>,
    pub removed: Vec<String>,
}

/// Classifies the items a change touched, each with what it was before (`None`: it did not exist)
/// against `items` after the change. The one classification behind every delta: a batch's (from
/// the store's journal) and a full evaluation's (`diff`).
pub(super) fn classify<T: PartialEq>(
    touched: &HashMap<String, FirstSeen<T>>,
    position_of: impl Fn(&str) -> Option<usize>,
    items: &[T],
) -> Classified {
    let (mut added, mut updated, mut removed) = (Vec::new(), Vec::new(), Vec::new());
    for (id, seen) in touched {
        match (&seen.before, position_of(id)) {
            (None, Some(position)) => added.push(position),
            (Some(_), None) => removed.push((seen.order, id.as_str())),
            (Some(before), Some(position)) if before != &items[position] => updated.push(position),
            _ => {}
        }
    }
    added.sort_unstable();
    updated.sort_unstable();
    let order = crate::values::sorted_order(removed.len(), &|a, b| removed[a].0.cmp(&removed[b].0));
    Classified { added, updated, removed: order.into_iter().map(|i| removed[i].1.to_owned()).collect() }
}

impl Delta {
    /// The delta of classified components and relationships of the design `after`.
    pub(super) fn of(after: &Design, components: Classified, relationships: Classified) -> Delta {
        fn pick<T: Clone>(items: &[T], positions: &[usize]) -> Vec<T> {
            positions.iter().map(|&p| items[p].clone()).collect()
        }
        Delta {
            version: after.version().to_owned(),
            components_added: pick(&after.components, &components.added),
            components_updated: pick(&after.components, &components.updated),
            components_removed: components.removed,
            relationships_added: pick(&after.relationships, &relationships.added),
            relationships_updated: pick(&after.relationships, &relationships.updated),
            relationships_removed: relationships.removed,
            ..Delta::default()
        }
    }
}

/// Each candidate id with what it was in `before` (ordered by its position there, for removals).
fn first_seen<T: Clone>(
    items: &[T],
    id_of: impl Fn(&T) -> &str,
    ids: &BTreeSet<String>,
) -> HashMap<String, FirstSeen<T>> {
    let positions: HashMap<&str, usize> = items.iter().enumerate().map(|(i, item)| (id_of(item), i)).collect();
    ids.iter()
        .map(|id| {
            let position = positions.get(id.as_str()).copied();
            (
                id.clone(),
                FirstSeen { before: position.map(|p| items[p].clone()), order: position.unwrap_or(usize::MAX) },
            )
        })
        .collect()
}

/// The delta between `before` and `after`, looking only at the given candidate ids (every id an
/// edit or an action touched); reported in the order of `after`, removals in the order of `before`.
pub fn diff(
    before: &Design,
    after: &Design,
    component_ids: &BTreeSet<String>,
    relationship_ids: &BTreeSet<String>,
) -> Delta {
    let after_components: HashMap<&str, usize> =
        after.components.iter().enumerate().map(|(i, c)| (c.id(), i)).collect();
    let after_relationships: HashMap<&str, usize> =
        after.relationships.iter().enumerate().map(|(i, r)| (r.id(), i)).collect();
    let components = classify(
        &first_seen(&before.components, Component::id, component_ids),
        |id| after_components.get(id).copied(),
        &after.components,
    );
    let relationships = classify(
        &first_seen(&before.relationships, Relationship::id, relationship_ids),
        |id| after_relationships.get(id).copied(),
        &after.relationships,
    );
    Delta::of(after, components, relationships)
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
