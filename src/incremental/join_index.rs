//! The hash-join buckets of the pair definitions, kept from one restricted pass to the next, so
//! that finding the partners of a changed component is a lookup, not a scan of every component
//! of the other kind.
//!
//! Every (definition, selector set, from item, to item) whose items compare values with `equal`
//! or `equal_as_strings` gets a slot; a slot maps the join key (`pairs::join_key`, the same key
//! the full identification hashes on) to the ids of the components on each side. Pairs found
//! through a slot are still checked in full (`pair_matches`), so a slot only has to hold every
//! component that can match, never only those.
//!
//! Kept current lazily: the store marks a component stale when it changes, a pass refreshes the
//! stale and the dirty components (an alias's key changes with its parent's configuration, and
//! such aliases are dirty) before probing, and a rollback drops everything (rebuilt on next use).

use crate::context::Context;
use crate::matching::match_name;
use crate::model::{Component, Relationship, SelectorItem};
use crate::policy::pairs::{join_key, join_key_kind, strategies, Direction};
use crate::values::MatchStrategy;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Where a slot sits in the definitions: (definition, selector set, from item, to item).
pub type SlotAddress = (usize, usize, usize, usize);

struct Slot {
    from_kind: String,
    to_kind: String,
    direction: Direction,
    keyed: Vec<(usize, MatchStrategy)>,
    froms: HashMap<String, BTreeSet<String>>,
    tos: HashMap<String, BTreeSet<String>>,
}

/// Which side of a slot a component is indexed on.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Side {
    From,
    To,
}

#[derive(Default)]
pub struct JoinIndex {
    built: bool,
    slots: Vec<Slot>,
    slot_at: HashMap<SlotAddress, usize>,
    /// Each component's entries (slot, side, key), to take it out again.
    entries: HashMap<String, Vec<(usize, Side, String)>>,
    stale: HashSet<String>,
    /// The (slot, side)s whose kind pattern a component kind matches, per kind met: a design
    /// has few kinds, and matching each component against every slot's pattern was a third of
    /// building the index.
    sides_of_kind: HashMap<String, Vec<(usize, Side)>>,
}

impl JoinIndex {
    /// Forgets everything; the next refresh rebuilds.
    pub fn clear(&mut self) {
        *self = JoinIndex::default();
    }

    /// The component with this id changed, appeared or went away.
    pub fn mark_stale(&mut self, id: &str) {
        if self.built {
            self.stale.insert(id.to_owned());
        }
    }

    /// Brings the buckets in step with the design for the stale components and `dirty` (or
    /// builds them all on first use).
    pub fn refresh<'a>(
        &mut self,
        context: &Context,
        definitions: &[Relationship],
        dirty: impl IntoIterator<Item = &'a String>,
    ) {
        if !self.built {
            self.build(context, definitions);
            return;
        }
        let mut ids = std::mem::take(&mut self.stale);
        ids.extend(dirty.into_iter().cloned());
        for id in ids {
            self.unindex(&id);
            if let Some(position) = context.index.component(&id) {
                self.index(context, context.component_at(position));
            }
        }
    }

    fn build(&mut self, context: &Context, definitions: &[Relationship]) {
        self.clear();
        for (d, definition) in definitions.iter().enumerate() {
            for (s, set) in definition.selectors().enumerate() {
                for (f, from) in set.allow_from().iter().enumerate() {
                    for (t, to) in set.allow_to().iter().enumerate() {
                        let (from, to) = (SelectorItem(from), SelectorItem(to));
                        let Some(direction) = Direction::of(from, to) else { continue };
                        let keyed: Vec<(usize, MatchStrategy)> = (0..direction.len())
                            .filter_map(|i| join_key_kind(&strategies(from, i)).map(|k| (i, k)))
                            .collect();
                        if keyed.is_empty() {
                            continue;
                        }
                        self.slot_at.insert((d, s, f, t), self.slots.len());
                        self.slots.push(Slot {
                            from_kind: from.kind().to_owned(),
                            to_kind: to.kind().to_owned(),
                            direction,
                            keyed,
                            froms: HashMap::new(),
                            tos: HashMap::new(),
                        });
                    }
                }
            }
        }
        for component in &context.design.components {
            self.index(context, component);
        }
        self.built = true;
    }

    fn index(&mut self, context: &Context, component: &Component) {
        let kind = component.kind();
        if !self.sides_of_kind.contains_key(kind) {
            let sides = self
                .slots
                .iter()
                .enumerate()
                .flat_map(|(at, slot)| [(at, Side::From, &slot.from_kind), (at, Side::To, &slot.to_kind)])
                .filter(|(_, _, pattern)| match_name(kind, pattern))
                .map(|(at, side, _)| (at, side))
                .collect();
            self.sides_of_kind.insert(kind.to_owned(), sides);
        }
        let mut entries = Vec::new();
        for &(at, side) in &self.sides_of_kind[kind] {
            let slot = &mut self.slots[at];
            let (refs, buckets) = match side {
                Side::From => (slot.direction.refs_of_from_side(), &mut slot.froms),
                Side::To => (slot.direction.refs_of_to_side(), &mut slot.tos),
            };
            let key = join_key(context, component, refs, &slot.keyed);
            buckets.entry(key.clone()).or_default().insert(component.id().to_owned());
            entries.push((at, side, key));
        }
        if !entries.is_empty() {
            self.entries.insert(component.id().to_owned(), entries);
        }
    }

    fn unindex(&mut self, id: &str) {
        for (at, side, key) in self.entries.remove(id).unwrap_or_default() {
            let slot = &mut self.slots[at];
            let buckets = if side == Side::From { &mut slot.froms } else { &mut slot.tos };
            if let Some(bucket) = buckets.get_mut(&key) {
                bucket.remove(id);
                if bucket.is_empty() {
                    buckets.remove(&key);
                }
            }
        }
    }

    /// The slot of a (definition, set, from item, to item), if its items can be hashed on.
    pub fn slot(&self, address: SlotAddress) -> Option<usize> {
        if self.built {
            self.slot_at.get(&address).copied()
        } else {
            None
        }
    }

    /// Ids of the components on the other side of `slot` whose key equals the key of `component`
    /// on `side`: the only components it can pair with there.
    pub fn partners(&self, context: &Context, slot: usize, side: Side, component: &Component) -> Vec<&str> {
        let slot = &self.slots[slot];
        let (refs, other) = match side {
            Side::From => (slot.direction.refs_of_from_side(), &slot.tos),
            Side::To => (slot.direction.refs_of_to_side(), &slot.froms),
        };
        let key = join_key(context, component, refs, &slot.keyed);
        other.get(&key).map(|ids| ids.iter().map(String::as_str).collect()).unwrap_or_default()
    }
}
