//! Equivalent relationships: live relationships of one class (kind, type and subType) between the
//! same components. Meshery keeps every one of them — a design saved with an older definition
//! declares an inventory relationship naming its fields with `mutatedRef`, and the current
//! definition identifies the same relationship again with `mutatorRef` — so the design shows
//! "duplicates" with no hint why. A `DUPLICATE_RELATIONSHIP` diagnostic names them.
//!
//! Reported for the groups a delta's added or updated relationships belong to: a load reports every
//! group, an edit batch the groups it formed or changed, the same on the incremental and the full
//! path (both derive it from the delta). Candidates come from the endpoint index, so the cost
//! follows the relationships the delta touched, not the design.

use super::{Delta, Diagnostic};
use crate::index::DesignIndex;
use crate::model::{Design, Relationship, SelectorItem, Status};
use crate::policy::content_identity;
use std::collections::{HashMap, HashSet};

/// What makes relationships equivalent here: the class and, per selector set, the ids of the
/// components on each side (not the items' patch or kind descriptions, which is how they differ).
fn equivalence_key(relationship: &Relationship) -> Option<String> {
    if relationship.status().eq_ignore_ascii_case(Status::DELETED) {
        return None;
    }
    let mut key =
        format!("{}|{}|{}", relationship.kind(), relationship.rel_type(), relationship.sub_type()).to_lowercase();
    for set in relationship.selectors() {
        for (marker, side) in [("|F", set.allow_from()), ("|T", set.allow_to())] {
            key.push_str(marker);
            for item in side {
                key.push('\u{1}');
                key.push_str(SelectorItem(item).id()?);
            }
        }
    }
    Some(key)
}

/// The first (from, to) component ids of a relationship's first selector set: its endpoint bucket.
fn bucket(relationship: &Relationship) -> Option<(&str, &str)> {
    let set = relationship.first_selector()?;
    let from = set.allow_from().first().and_then(|item| SelectorItem(item).id())?;
    let to = set.allow_to().first().and_then(|item| SelectorItem(item).id())?;
    Some((from, to))
}

/// The `DUPLICATE_RELATIONSHIP` diagnostics of the groups the delta's added or updated
/// relationships belong to, in design order of each group's first member.
pub(super) fn duplicate_diagnostics(design: &Design, index: &DesignIndex, delta: &Delta) -> Vec<Diagnostic> {
    let changed: HashSet<&str> =
        delta.relationships_added.iter().chain(&delta.relationships_updated).map(Relationship::id).collect();
    // Groups by their first member; each endpoint bucket is read once. (Sorting only positions
    // keeps the wasm from carrying another instance of the sort code.)
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut visited: HashSet<(&str, &str)> = HashSet::new();
    for position in changed.iter().filter_map(|id| index.relationship(id)) {
        let Some((from, to)) = bucket(&design.relationships[position]) else { continue };
        if !visited.insert((from, to)) {
            continue;
        }
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for &member in index.relationships_between(from, to) {
            let relationship = &design.relationships[member];
            // A relationship is in one bucket only: that of its first selector set.
            if bucket(relationship) != Some((from, to)) {
                continue;
            }
            if let Some(key) = equivalence_key(relationship) {
                by_key.entry(key).or_default().push(member);
            }
        }
        for mut members in by_key.into_values() {
            members.sort_unstable();
            members.dedup();
            if members.len() > 1 && members.iter().any(|&p| changed.contains(design.relationships[p].id())) {
                groups.insert(members[0], members);
            }
        }
    }
    let mut firsts: Vec<usize> = groups.keys().copied().collect();
    firsts.sort_unstable();
    firsts.iter().map(|first| diagnostic(design, &groups[first])).collect()
}

fn diagnostic(design: &Design, members: &[usize]) -> Diagnostic {
    let relationships: Vec<&Relationship> = members.iter().map(|&p| &design.relationships[p]).collect();
    let first = relationships[0];
    let ids: Vec<String> = relationships.iter().map(|r| r.id().to_owned()).collect();
    let identities: HashSet<String> = relationships
        .iter()
        .map(|r| content_identity(r, r.0.get("selectors").unwrap_or(&serde_json::Value::Null)))
        .collect();
    let how = if identities.len() == 1 {
        "they are the same relationship under different ids"
    } else {
        "they differ only in how their selector items describe the patch or the kinds (e.g. one declared with an older version of the definition)"
    };
    let (from, to) = bucket(first).unwrap_or(("", ""));
    Diagnostic {
        code: "DUPLICATE_RELATIONSHIP".into(),
        message: format!(
            "{} relationships {}/{}/{} relate component {from} to component {to} ({}): {how}; Meshery keeps each of them, delete all but one",
            ids.len(),
            first.kind(),
            first.rel_type(),
            first.sub_type(),
            ids.join(", "),
        ),
        path: format!("/relationships/{}", members[1]),
        ids,
    }
}
