//! Match-labels (sibling) relationships: components that share a label value form a group
//! (spec §7.1, Meshery's single-pass bucketing version).

use super::{allow_selectors, Candidate, Policy};
use crate::context::Context;
use crate::ids::static_uuid;
use crate::matching::{feasible_from, feasible_to};
use crate::model::{Action, Relationship, SelectorItem, Status};
use crate::values::{go_format, sort_strs, sorted_order};
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};

/// `sibling_match_labels_policy`: any relationship of type `sibling`.
pub struct MatchLabelsPolicy;

const POLICY_ID: &str = "sibling_match_labels_policy";

/// Components sharing one (label key, `%v` value) pair.
struct Bucket {
    members: Vec<usize>,
    value: Value,
    has_from: bool,
    has_to: bool,
}

impl Policy for MatchLabelsPolicy {
    fn id(&self) -> &'static str {
        POLICY_ID
    }

    fn is_implicated_by(&self, relationship: &Relationship) -> bool {
        relationship.rel_type().eq_ignore_ascii_case("sibling")
    }

    /// Always invalid, so a group is deleted exactly when one of its members is gone.
    fn is_invalid(&self, _: &Relationship, _: &Context) -> bool {
        true
    }

    fn identify(&self, definition: &Relationship, context: &Context) -> Vec<Candidate> {
        let buckets = bucket_components(definition, context);
        let groups: Vec<(&(String, String), &Bucket)> =
            buckets.iter().filter(|(_, b)| b.members.len() >= 2 && b.has_from && b.has_to).collect();
        let mut order = sorted_order(groups.len(), &|a, b| groups[a].0.cmp(groups[b].0));
        order.truncate(context.options.max_match_label_groups);

        let mut seen = HashSet::new();
        let mut found = Vec::new();
        for ((field, _), bucket) in order.into_iter().map(|i| groups[i]) {
            let mut ids: Vec<&str> = bucket.members.iter().map(|&p| context.component_at(p).id()).collect();
            let items: Vec<Value> = bucket.members.iter().map(|&p| group_item(context, p, field)).collect();
            sort_strs(&mut ids);
            let id = static_uuid(&json!({
                "comps": ids, "field": field, "policy": POLICY_ID, "value": bucket.value,
            }));
            if !seen.insert(id.clone()) {
                continue;
            }
            let selectors = allow_selectors(items.clone(), items);
            found.push(Candidate { selectors, id, status: Status::IDENTIFIED });
        }
        found
    }

    fn side_effects(&self, _: &Relationship, _: &Context) -> Vec<Action> {
        Vec::new()
    }

    /// Sibling groups have no side effects.
    fn may_update(&self, _: &Relationship, _: &str) -> bool {
        false
    }
}

/// One pass over the components: each feasible component, once in the from role and once in
/// the to role, joins the bucket of every (key, value) of the objects at its `match.refs`.
fn bucket_components(definition: &Relationship, context: &Context) -> HashMap<(String, String), Bucket> {
    let mut buckets: HashMap<(String, String), Bucket> = HashMap::new();
    for (position, component) in context.design.components.iter().enumerate() {
        for from_role in [true, false] {
            let item =
                if from_role { feasible_from(component, definition) } else { feasible_to(component, definition) };
            let Some(refs) = item.and_then(|i| SelectorItem(i).match_refs()) else { continue };
            let mut touched: HashSet<(String, String)> = HashSet::new();
            for path in &refs {
                let Some(Value::Object(labels)) = context.value_at(path, component) else { continue };
                for (key, value) in labels {
                    let bucket_key = (key.clone(), go_format(value));
                    if !touched.insert(bucket_key.clone()) {
                        continue;
                    }
                    let bucket = buckets.entry(bucket_key).or_insert_with(|| Bucket {
                        members: Vec::new(),
                        value: value.clone(),
                        has_from: false,
                        has_to: false,
                    });
                    if bucket.members.last() != Some(&position) {
                        bucket.members.push(position);
                    }
                    if from_role {
                        bucket.has_from = true;
                    } else {
                        bucket.has_to = true;
                    }
                }
            }
        }
    }
    buckets
}

/// `{id, kind, model (when named), patch: {mutatorRef: [[field]]}}` for one group member.
fn group_item(context: &Context, position: usize, field: &str) -> Value {
    let component = context.component_at(position);
    let mut item = Map::new();
    item.insert("id".into(), Value::String(component.id().to_owned()));
    item.insert("kind".into(), Value::String(component.kind().to_owned()));
    if let Some(reference) = component.0.get("modelReference") {
        if reference.get("name").and_then(Value::as_str).is_some_and(|n| !n.is_empty()) {
            item.insert("model".into(), reference.clone());
        }
    }
    item.insert("patch".into(), json!({ "mutatorRef": [[field]] }));
    Value::Object(item)
}

#[cfg(test)]
mod tests;
