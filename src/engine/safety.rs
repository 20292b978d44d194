//! Meshery's safety nets (spec §10): conflicting patches in one pass cancel each other (ties),
//! and an evaluation that keeps alternating between two action sets is stopped (flapping).

use crate::ids::ZERO_UUID;
use crate::model::Action;
use crate::values::go_json;
use crate::values::{sort_strs, Path};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};

/// Two or more Phase-3 updates wrote different values to one component path; all were dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tie {
    pub component_id: String,
    /// The contested path, as the segments of the first action of the group (Meshery's `Path`).
    pub path: Path,
    /// The different values proposed, each once, in the order of the actions.
    pub values: Vec<serde_json::Value>,
}

/// Keeps one of several identical updates of a (component, path) and drops every update of a
/// (component, path) that received different values. Other actions keep their order.
pub fn resolve_ties(actions: Vec<Action>) -> (Vec<Action>, Vec<Tie>) {
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, action) in actions.iter().enumerate() {
        if let Some(key) = tie_key(action) {
            groups.entry(key).or_default().push(i);
        }
    }
    let mut drop = vec![false; actions.len()];
    let mut ties = Vec::new();
    let mut keys: Vec<&str> = groups.keys().map(String::as_str).collect();
    sort_strs(&mut keys);
    for key in keys {
        let members = &groups[key];
        if members.len() < 2 {
            continue;
        }
        let first = update_signature(&actions[members[0]]);
        if members.iter().all(|&i| update_signature(&actions[i]) == first) {
            members[1..].iter().for_each(|&i| drop[i] = true);
        } else {
            members.iter().for_each(|&i| drop[i] = true);
            if let Action::UpdateComponent { id, path, .. } | Action::UpdateComponentConfiguration { id, path, .. } =
                &actions[members[0]]
            {
                let mut values: Vec<serde_json::Value> = Vec::new();
                for &i in members {
                    if let Action::UpdateComponent { value, .. } | Action::UpdateComponentConfiguration { value, .. } =
                        &actions[i]
                    {
                        if !values.contains(value) {
                            values.push(value.clone());
                        }
                    }
                }
                ties.push(Tie { component_id: id.clone(), path: path.clone(), values });
            }
        }
    }
    let kept = actions.into_iter().zip(drop).filter(|(_, d)| !d).map(|(a, _)| a).collect();
    (kept, ties)
}

fn tie_key(action: &Action) -> Option<String> {
    match action {
        Action::UpdateComponent { id, path, .. } | Action::UpdateComponentConfiguration { id, path, .. }
            if !id.is_empty() =>
        {
            Some(format!("{id}\0{}", path.join(".")))
        }
        _ => None,
    }
}

fn update_signature(action: &Action) -> (&'static str, String) {
    match action {
        Action::UpdateComponent { value, .. } | Action::UpdateComponentConfiguration { value, .. } => {
            (action.op().as_str(), go_json(value))
        }
        _ => (action.op().as_str(), String::new()),
    }
}

/// SHA-256 (hex) over the sorted lines describing a pass's actions.
pub fn actions_fingerprint(actions: &[Action]) -> String {
    let lines = action_lines(actions);
    let mut sorted: Vec<&str> = lines.iter().map(|(_, line)| line.as_str()).collect();
    sort_strs(&mut sorted);
    hex(&Sha256::digest(sorted.join("\n").as_bytes()))
}

/// Meshery's line for each action of a pass that its fingerprint counts (all but configuration
/// removals), with the id of the component or relationship it acts on.
fn action_lines(actions: &[Action]) -> Vec<(&str, String)> {
    actions
        .iter()
        .filter_map(|action| {
            let op = action.op().as_str();
            let line = match action {
                Action::UpdateComponent { id, path, value }
                | Action::UpdateComponentConfiguration { id, path, value } => {
                    format!("{op}|{id}|{}|{}", path.join("."), go_json(value))
                }
                Action::RemoveComponentConfiguration { .. } => return None,
                other => format!("{op}|{}", other.target_id()),
            };
            Some((action.target_id(), line))
        })
        .collect()
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The last four fingerprints per design id.
#[derive(Debug, Clone, Default)]
pub struct FlapHistory {
    by_design: HashMap<String, VecDeque<String>>,
}

/// The last four fingerprints of the changes to each component or relationship, for settling
/// (ours: an item alternating between two sets of changes while other items keep changing too
/// makes every pass's whole set new, which hides it from Meshery's check; deviation 49).
#[derive(Debug, Clone, Default)]
pub struct ItemFlaps {
    by_item: HashMap<String, VecDeque<u64>>,
}

/// Meshery's error code for flapping.
pub const FLAPPING_CODE: &str = "meshery-server-1378";

impl FlapHistory {
    /// Seeds the history of a design (tests and restored state).
    pub fn preset(&mut self, design_id: &str, fingerprints: Vec<String>) {
        self.by_design.insert(design_id.to_owned(), fingerprints.into());
    }

    /// Records a fingerprint; true when the last four read A,B,A,B with A ≠ B.
    pub fn record_and_check(&mut self, design_id: &str, fingerprint: String) -> bool {
        if design_id.is_empty() || design_id == ZERO_UUID {
            return false;
        }
        let history = self.by_design.entry(design_id.to_owned()).or_default();
        alternates(history, fingerprint)
    }
}

impl ItemFlaps {
    /// Records, for each item a pass acted on, a fingerprint of what it did to that item; returns
    /// the items (sorted) whose last four read A,B,A,B with A ≠ B. Passes that leave an item alone
    /// are not counted for it: only a change and its undoing, again and again, is flapping.
    pub fn record_items_and_check(&mut self, actions: &[Action]) -> Vec<String> {
        let mut lines = action_lines(actions);
        lines.sort_unstable();
        let mut flapping = Vec::new();
        for group in lines.chunk_by(|a, b| a.0 == b.0) {
            // A fixed-key hash: the same changes give the same fingerprint in every run.
            let mut hasher = std::hash::DefaultHasher::new();
            for (_, line) in group {
                std::hash::Hash::hash(line, &mut hasher);
            }
            let id = group[0].0;
            let history = self.by_item.entry(id.to_owned()).or_default();
            if alternates(history, std::hash::Hasher::finish(&hasher)) {
                flapping.push(id.to_owned());
            }
        }
        flapping
    }
}

/// Pushes a fingerprint onto a history of the last four; true when they read A,B,A,B with A ≠ B.
fn alternates<T: PartialEq>(history: &mut VecDeque<T>, fingerprint: T) -> bool {
    history.push_back(fingerprint);
    while history.len() > 4 {
        history.pop_front();
    }
    history.len() == 4 && history[0] == history[2] && history[1] == history[3] && history[0] != history[1]
}
