//! Inventory parents kept counted across batches: per (definition, set, mutator item), how many
//! components hold each value tuple, updated from the changed components only.

use crate::context::Context;
use crate::matching::match_name;
use crate::model::SelectorItem;
use crate::policy::inventory::{values_key, ParentKeys, ParentSlot};
use crate::values::Path;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, HashSet};

#[derive(Default)]
struct Counts {
    counts: HashMap<String, usize>,
    key_of: HashMap<String, String>,
}

/// Counted parent keys; slots are built by one scan on first use, then kept in step with `update`.
#[derive(Default)]
pub struct CountedParentKeys {
    slots: HashMap<ParentSlot, (Counts, String, Vec<Path>)>,
}

fn key_of(context: &Context, kind: &str, refs: &[Path], position: usize) -> Option<String> {
    let component = context.component_at(position);
    if !match_name(component.kind(), kind) {
        return None;
    }
    let values: Option<Vec<&Value>> =
        refs.iter().map(|p| context.value_at(p, component).filter(|v| !v.is_null())).collect();
    values.map(|v| values_key(&v))
}

impl CountedParentKeys {
    /// Forgets everything (after a full evaluation).
    pub fn clear(&mut self) {
        self.slots.clear();
    }

    /// Re-keys the changed components in every built slot; returns every key that gained or lost
    /// a holder (children holding such a key must be looked at again).
    pub fn update(&mut self, context: &Context, changed: &BTreeSet<String>) -> HashSet<String> {
        let mut touched = HashSet::new();
        for (counts, kind, refs) in self.slots.values_mut() {
            for id in changed {
                if let Some(old) = counts.key_of.remove(id) {
                    if let Some(count) = counts.counts.get_mut(&old) {
                        *count -= 1;
                        if *count == 0 {
                            counts.counts.remove(&old);
                        }
                    }
                    touched.insert(old);
                }
                if let Some(new) = context.index.component(id).and_then(|p| key_of(context, kind, refs, p)) {
                    *counts.counts.entry(new.clone()).or_default() += 1;
                    counts.key_of.insert(id.clone(), new.clone());
                    touched.insert(new);
                }
            }
        }
        touched
    }
}

impl ParentKeys for CountedParentKeys {
    fn contains(
        &mut self,
        slot: &ParentSlot,
        item: SelectorItem<'_>,
        refs: &[Path],
        key: &str,
        context: &Context,
    ) -> bool {
        let (counts, _, _) = self.slots.entry(slot.clone()).or_insert_with(|| {
            let mut counts = Counts::default();
            for &position in context.index.components_matching_kind(item.kind()).iter() {
                if let Some(key) = key_of(context, item.kind(), refs, position) {
                    *counts.counts.entry(key.clone()).or_default() += 1;
                    counts.key_of.insert(context.component_at(position).id().to_owned(), key);
                }
            }
            (counts, item.kind().to_owned(), refs.to_vec())
        });
        counts.counts.contains_key(key)
    }
}
