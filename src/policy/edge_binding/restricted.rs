//! The triples of a restricted pass found from the changed components outward: a changed from
//! component's bindings, a changed binding's from and to components, a changed to component's
//! bindings and their from components. An edit then checks the parties next to what it changed,
//! not a hash join over every binding and to component of the design (a third of the edits of
//! a 10,000-component design paid for that join, about ten times the others).

use super::{Parties, Triple};
use crate::context::Context;
use crate::model::Component;
use crate::values::sorted_order;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// The triples of `parties` naming one of the `changed` components, in the order of
/// `Parties::joined_triples`; `None` when following the changed components would check more
/// pairs than joining everything touches (a to component every binding binds, say), so that an
/// edit never costs more than the join.
pub(super) fn triples_around<'d>(
    parties: &Parties<'_, 'd>,
    context: &Context,
    changed: &HashSet<usize>,
) -> Option<Vec<Triple<'d>>> {
    let to_count: usize = parties.to_groups.iter().map(|(_, _, tos)| tos.len()).sum();
    let mut around = Around {
        parties,
        context,
        budget: parties.froms.len() + parties.bindings.len() + to_count,
        checked: 0,
        matched: 0,
        tos_of: HashMap::new(),
        froms_of: HashMap::new(),
    };
    let mut changed: Vec<usize> = changed.iter().copied().collect();
    changed.sort_unstable();
    let found = around.triples(&changed);
    // Counted when the budget ran out too: those checks were made.
    context.count_pairs(around.checked, around.matched);
    let triples = found?;
    // The crate's one sort (`sorted_order`): a sort of its own would add its code to the wasm.
    let key = |i: usize| (triples[i].0, triples[i].1, triples[i].2);
    let order = sorted_order(triples.len(), &|a, b| key(a).cmp(&key(b)));
    let mut sorted: Vec<Triple<'d>> = Vec::with_capacity(order.len());
    for (n, &i) in order.iter().enumerate() {
        if n == 0 || key(order[n - 1]) != key(i) {
            let (from, binding, to, to_item) = triples[i];
            sorted.push(Triple { from, binding, to, to_item });
        }
    }
    Some(sorted)
}

/// The pairs checked so far, against a budget, and the checks already made.
struct Around<'a, 'p, 'd> {
    parties: &'a Parties<'p, 'd>,
    context: &'a Context<'a>,
    budget: usize,
    checked: usize,
    matched: usize,
    tos_of: HashMap<usize, Vec<(usize, &'d Value)>>,
    froms_of: HashMap<usize, Vec<usize>>,
}

impl<'d> Around<'_, '_, 'd> {
    /// The triples naming a changed component, unsorted; `None` once the budget is spent.
    fn triples(&mut self, changed: &[usize]) -> Option<Vec<(usize, usize, usize, &'d Value)>> {
        let parties = self.parties;
        let mut triples = Vec::new();
        for &position in changed {
            if parties.froms.binary_search(&position).is_ok() {
                for binding in self.bindings_of(position)? {
                    for (to, item) in self.tos_of(binding)? {
                        triples.push((position, binding, to, item));
                    }
                }
            }
            if parties.bindings.binary_search(&position).is_ok() {
                let tos = self.tos_of(position)?;
                if !tos.is_empty() {
                    for from in self.froms_of(position)? {
                        triples.extend(tos.iter().map(|&(to, item)| (from, position, to, item)));
                    }
                }
            }
            let group = parties.to_groups.iter().find(|(_, _, tos)| tos.binary_search(&position).is_ok());
            if let Some((item, matcher, _)) = group {
                let to_component = self.context.component_at(position);
                let context = self.context;
                let binds = |binding: &Component| matcher.valid(context, binding, to_component);
                for binding in self.bindings_where(to_component, binds)? {
                    for from in self.froms_of(binding)? {
                        triples.push((from, binding, position, *item));
                    }
                }
            }
        }
        Some(triples)
    }

    /// Counts one pair about to be checked and whether it matched; `None` once the budget is
    /// spent.
    fn check(&mut self, valid: bool) -> Option<bool> {
        self.checked += 1;
        self.matched += usize::from(valid);
        (self.checked <= self.budget).then_some(valid)
    }

    /// The bindings a from component binds with (design order), as `BindingJoin::valid_for`.
    fn bindings_of(&mut self, from: usize) -> Option<Vec<usize>> {
        let context = self.context;
        let from_component = context.component_at(from);
        let Some(Some(matcher)) = self.parties.from_matchers.get(from_component.kind()) else {
            return Some(Vec::new());
        };
        self.bindings_where(from_component, |binding| matcher.valid(context, from_component, binding))
    }

    /// The bindings (design order) other than `party` itself for which `binds` holds.
    fn bindings_where(&mut self, party: &Component, binds: impl Fn(&Component) -> bool) -> Option<Vec<usize>> {
        let mut bindings = Vec::new();
        for &binding in self.parties.bindings {
            let binding_component = self.context.component_at(binding);
            if self.check(binds(binding_component))? && binding_component.id() != party.id() {
                bindings.push(binding);
            }
        }
        Some(bindings)
    }

    /// The from components that bind with a binding (design order).
    fn froms_of(&mut self, binding: usize) -> Option<Vec<usize>> {
        if let Some(froms) = self.froms_of.get(&binding) {
            return Some(froms.clone());
        }
        let context = self.context;
        let binding_component = context.component_at(binding);
        let mut froms = Vec::new();
        for &from in self.parties.froms {
            let from_component = context.component_at(from);
            let Some(Some(matcher)) = self.parties.from_matchers.get(from_component.kind()) else { continue };
            if self.check(matcher.valid(context, from_component, binding_component))?
                && binding_component.id() != from_component.id()
            {
                froms.push(from);
            }
        }
        self.froms_of.insert(binding, froms.clone());
        Some(froms)
    }

    /// The to components a binding binds (design order), with the to item of each.
    fn tos_of(&mut self, binding: usize) -> Option<Vec<(usize, &'d Value)>> {
        if let Some(tos) = self.tos_of.get(&binding) {
            return Some(tos.clone());
        }
        let context = self.context;
        let binding_component = context.component_at(binding);
        let mut tos = Vec::new();
        for (item, matcher, candidates) in &self.parties.to_groups {
            for &to in candidates {
                let to_component = context.component_at(to);
                if self.check(matcher.valid(context, binding_component, to_component))?
                    && to_component.id() != binding_component.id()
                {
                    tos.push((to, *item));
                }
            }
        }
        // Each to component is in one group: in design order across the groups.
        let order = sorted_order(tos.len(), &|a, b| tos[a].0.cmp(&tos[b].0));
        let tos: Vec<(usize, &'d Value)> = order.into_iter().map(|i| tos[i]).collect();
        self.tos_of.insert(binding, tos.clone());
        Some(tos)
    }
}
