//! Edge binding relationships: a third component binds two others, e.g. a RoleBinding binds a
//! Role to a ServiceAccount (spec §7.5).

use super::pairs::item_for;
use super::patch_mutators::{cleanup, may_mutate, patch_mutators};
use super::{allow_selectors, from_or_to_missing, pair_already_exists, Candidate, Policy};
use crate::context::Context;
use crate::ids::{static_uuid, ZERO_UUID};
use crate::matching::is_denied;
use crate::model::{paths_of, Action, Component, MatchSide, Relationship, SelectorItem, SelectorSet, Status};
use crate::values::{equality_key, json_equal, sort_strs, sorted_order, Path};
use serde_json::{json, Value};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};

mod restricted;

/// `edge_binding`: kind `edge`, type `binding`.
pub struct EdgeBindingPolicy;

impl Policy for EdgeBindingPolicy {
    fn id(&self) -> &'static str {
        "edge_binding"
    }

    fn is_implicated_by(&self, relationship: &Relationship) -> bool {
        relationship.is("edge", "binding", None)
    }

    fn is_invalid(&self, relationship: &Relationship, context: &Context) -> bool {
        from_or_to_missing(relationship, context)
    }

    fn identify(&self, definition: &Relationship, context: &Context) -> Vec<Candidate> {
        let mut found = Vec::new();
        for set in definition.selectors() {
            identify_in_set(definition, set, context, None, &mut found);
        }
        found
    }

    /// Value patches first; when there are none, the binding's own match fields.
    fn side_effects(&self, relationship: &Relationship, context: &Context) -> Vec<Action> {
        let actions = patch_mutators(relationship, context);
        if !actions.is_empty() {
            return actions;
        }
        patch_binding_match_fields(relationship, context)
    }

    fn may_update(&self, relationship: &Relationship, id: &str) -> bool {
        may_mutate(relationship, id) || may_patch_match_field(relationship, id)
    }
}

fn non_empty_refs(item: Option<&Value>, key: &str) -> Option<Vec<Path>> {
    paths_of(item?.get(key)).filter(|r| !r.is_empty())
}

/// Which component of a `valid_binding(c1, c2, item)` call a match path reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    First,
    Second,
}

/// The mutator and mutated paths of a binding item's `match`, and the side each reads.
struct BindingMatch {
    mutator: (Side, Vec<Path>),
    mutated: (Side, Vec<Path>),
}

impl BindingMatch {
    fn of(item: SelectorItem<'_>) -> Option<BindingMatch> {
        item.matcher()?;
        let from = item.match_items(MatchSide::From).first();
        let to = item.match_items(MatchSide::To).first();
        let mutator = non_empty_refs(from, "mutatorRef")
            .map(|r| (Side::First, r))
            .or_else(|| non_empty_refs(to, "mutatorRef").map(|r| (Side::Second, r)))?;
        let mutated = non_empty_refs(from, "mutatedRef")
            .map(|r| (Side::First, r))
            .or_else(|| non_empty_refs(to, "mutatedRef").map(|r| (Side::Second, r)))?;
        Some(BindingMatch { mutator, mutated })
    }

    fn valid(&self, context: &Context, first: &Component, second: &Component) -> bool {
        let pick = |side: Side| if side == Side::First { first } else { second };
        let (mutator, mutated) = (pick(self.mutator.0), pick(self.mutated.0));
        let n = self.mutator.1.len().min(self.mutated.1.len());
        (0..n).all(|i| {
            let a = context.resolved_value(&self.mutator.1[i], mutator);
            let b = context.resolved_value(&self.mutated.1[i], mutated);
            match (a, b) {
                (Some(a), Some(b)) => json_equal(a, b),
                _ => true, // a missing value never blocks a binding
            }
        })
    }

    /// The compared path pairs (first component's path, second component's path), when the two
    /// sides read different components.
    fn join_paths(&self) -> Vec<(&Path, &Path)> {
        let pairs = self.mutator.1.iter().zip(&self.mutated.1);
        match (self.mutator.0, self.mutated.0) {
            (Side::First, Side::Second) => pairs.collect(),
            (Side::Second, Side::First) => pairs.map(|(mutator, mutated)| (mutated, mutator)).collect(),
            _ => Vec::new(),
        }
    }
}

/// `isValidBinding(c1, c2, item)`: the pair fails only when both compared values are present and
/// differ.
#[cfg(feature = "internals")]
pub fn valid_binding(context: &Context, first: &Component, second: &Component, item: SelectorItem<'_>) -> bool {
    BindingMatch::of(item).is_some_and(|m| m.valid(context, first, second))
}

/// The components a given first component can validly bind with, found through one hash per
/// compared path (a null on either side matches anything, so nulls are kept aside): a query
/// probes the most selective compared value, then checks the few candidates left.
struct BindingJoin<'m> {
    matcher: &'m BindingMatch,
    candidates: Vec<usize>,
    columns: Vec<JoinColumn<'m>>,
}

/// One compared path of a binding join: the first component's path, the second side's values
/// (equality keys) → positions, and the positions whose value is null.
type JoinColumn<'m> = (&'m Path, HashMap<String, Vec<usize>>, Vec<usize>);

impl<'m> BindingJoin<'m> {
    fn new(context: &Context, matcher: &'m BindingMatch, candidates: Vec<usize>) -> Self {
        let mut columns = Vec::new();
        for (first_path, second_path) in matcher.join_paths() {
            let mut by_value: HashMap<String, Vec<usize>> = HashMap::new();
            let mut nulls = Vec::new();
            for &position in &candidates {
                match context.resolved_value(second_path, context.component_at(position)) {
                    None => nulls.push(position),
                    Some(v) => by_value.entry(equality_key(Some(v))).or_default().push(position),
                }
            }
            columns.push((first_path, by_value, nulls));
        }
        BindingJoin { matcher, candidates, columns }
    }

    /// Candidates that bind validly with `first`, in design order.
    fn valid_for(&self, context: &Context, first: &Component) -> Vec<usize> {
        let mut best: Option<(&[usize], &[usize])> = None;
        for (first_path, by_value, nulls) in &self.columns {
            let Some(value) = context.resolved_value(first_path, first) else { continue };
            let equal = by_value.get(&equality_key(Some(value))).map(Vec::as_slice).unwrap_or(&[]);
            if best.is_none_or(|(e, n)| equal.len() + nulls.len() < e.len() + n.len()) {
                best = Some((equal, nulls.as_slice()));
            }
        }
        let pool: Cow<[usize]> = match best {
            None => Cow::Borrowed(&self.candidates),
            Some((equal, nulls)) => Cow::Owned(merge_sorted(equal, nulls)),
        };
        let valid: Vec<usize> =
            pool.iter().copied().filter(|&p| self.matcher.valid(context, first, context.component_at(p))).collect();
        context.count_pairs(pool.len(), valid.len());
        valid
    }
}

fn merge_sorted(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] <= b[j] {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

fn is_self_or_empty(kind: &str) -> bool {
    kind.is_empty() || kind.eq_ignore_ascii_case("self")
}

fn positions_of_kinds<'a>(context: &Context, kinds: impl Iterator<Item = &'a str>) -> Vec<usize> {
    let mut kinds: Vec<&str> = kinds.collect();
    sort_strs(&mut kinds);
    kinds.dedup();
    if kinds.contains(&"*") {
        return (0..context.design.components.len()).collect();
    }
    let mut positions: Vec<usize> =
        kinds.iter().flat_map(|k| context.index.components_of_exact_kind(k).iter().copied()).collect();
    positions.sort_unstable();
    positions
}

/// The candidates of `identify` that name one of the `involving` components (positions) as
/// from, binding or to party, in the same order, for a pass restricted to what changed: triples
/// of unchanged components are neither checked against the deny list nor looked up as existing.
pub fn identify_involving(definition: &Relationship, context: &Context, involving: &HashSet<usize>) -> Vec<Candidate> {
    let mut found = Vec::new();
    for set in definition.selectors() {
        identify_in_set(definition, set, context, Some(involving), &mut found);
    }
    found
}

/// Three-party identification for one selector set: for each binding kind (sorted), each from
/// component, each binding component that binds with it, each to component the binding binds.
/// With `involving`, only the triples naming one of those components.
fn identify_in_set(
    definition: &Relationship,
    set: SelectorSet<'_>,
    context: &Context,
    involving: Option<&HashSet<usize>>,
    found: &mut Vec<Candidate>,
) {
    let mut from_by_kind: HashMap<&str, &Value> = HashMap::new();
    let mut binding_kinds: BTreeSet<&str> = BTreeSet::new();
    for item in set.allow_from() {
        let item_view = SelectorItem(item);
        from_by_kind.insert(item_view.kind(), item);
        for side in [MatchSide::From, MatchSide::To] {
            for m in item_view.match_items(side) {
                let kind = SelectorItem(m).kind();
                if !is_self_or_empty(kind) {
                    binding_kinds.insert(kind);
                }
            }
        }
    }
    let mut to_by_pair: HashMap<(&str, &str), &Value> = HashMap::new();
    for item in set.allow_to() {
        let item_view = SelectorItem(item);
        for side in [MatchSide::From, MatchSide::To] {
            for m in item_view.match_items(side) {
                let kind = SelectorItem(m).kind();
                if !is_self_or_empty(kind) {
                    to_by_pair.insert((item_view.kind(), kind), item);
                }
            }
        }
    }
    let mut from_components = positions_of_kinds(context, from_by_kind.keys().copied());
    let to_components = positions_of_kinds(context, set.allow_to().iter().map(|i| SelectorItem(i).kind()));
    if let Some(involving) = involving {
        // Unless a binding or to party changed, only the changed from parties can start a triple.
        let bindings_or_tos_changed = to_components.iter().any(|p| involving.contains(p))
            || binding_kinds
                .iter()
                .any(|k| context.index.components_matching_kind(k).iter().any(|p| involving.contains(p)));
        if !bindings_or_tos_changed {
            from_components.retain(|p| involving.contains(p));
        }
    }
    let definition_id = Some(definition.id()).filter(|id| !id.is_empty()).unwrap_or(ZERO_UUID);

    let from_matchers: HashMap<&str, Option<BindingMatch>> =
        from_by_kind.iter().map(|(k, item)| (*k, BindingMatch::of(SelectorItem(item)))).collect();

    for binding_kind in binding_kinds {
        let bindings = context.index.components_matching_kind(binding_kind);
        let parties = Parties {
            froms: &from_components,
            from_matchers: &from_matchers,
            bindings: &bindings,
            // (to item, its matcher, its to components), per to kind.
            to_groups: group_by_to_item(context, &to_components, &to_by_pair, binding_kind),
        };
        let triples = involving
            .and_then(|changed| restricted::triples_around(&parties, context, changed))
            .unwrap_or_else(|| parties.joined_triples(context, involving));
        for Triple { from: from_position, binding: binding_position, to: to_position, to_item } in triples {
            let (from_component, to_component) =
                (context.component_at(from_position), context.component_at(to_position));
            let Some(from_item) = from_by_kind.get(from_component.kind()) else { continue };
            if is_denied(from_component, to_component, set)
                || pair_already_exists(definition, from_item, to_item, from_component.id(), to_component.id(), context)
            {
                continue;
            }
            found.push(binding_candidate(
                definition_id,
                from_item,
                to_item,
                from_component.id(),
                context.component_at(binding_position).id(),
                to_component.id(),
            ));
        }
    }
}

/// One (from, binding, to) of a binding kind: positions, and the to item that applies.
struct Triple<'d> {
    from: usize,
    binding: usize,
    to: usize,
    to_item: &'d Value,
}

/// The parties of one binding kind in one selector set: from components (design order) with the
/// matcher of each from kind (no entry for a kind the set does not allow), the binding
/// components, and the to components grouped by the to item that applies to them.
struct Parties<'p, 'd> {
    froms: &'p [usize],
    from_matchers: &'p HashMap<&'d str, Option<BindingMatch>>,
    bindings: &'p [usize],
    to_groups: Vec<(&'d Value, BindingMatch, Vec<usize>)>,
}

impl<'d> Parties<'_, 'd> {
    /// Every triple, in the order identification emits them (from, then binding, then to, each
    /// in design order), through hash joins over all bindings and all to components; with
    /// `involving`, only those naming one of those components.
    fn joined_triples(&self, context: &Context, involving: Option<&HashSet<usize>>) -> Vec<Triple<'d>> {
        // (binding → valid to components), per to kind, computed once per binding.
        let to_joins: Vec<(&Value, BindingJoin)> = self
            .to_groups
            .iter()
            .map(|(item, matcher, candidates)| (*item, BindingJoin::new(context, matcher, candidates.clone())))
            .collect();
        let mut valid_tos: HashMap<usize, Vec<(usize, &Value)>> = HashMap::new();
        let binding_joins: HashMap<&str, BindingJoin> = self
            .from_matchers
            .iter()
            .filter_map(|(kind, m)| m.as_ref().map(|m| (*kind, BindingJoin::new(context, m, self.bindings.to_vec()))))
            .collect();
        let mut triples = Vec::new();
        for &from_position in self.froms {
            let from_component = context.component_at(from_position);
            let Some(join) = binding_joins.get(from_component.kind()) else { continue };
            for binding_position in join.valid_for(context, from_component) {
                let binding = context.component_at(binding_position);
                if binding.id() == from_component.id() {
                    continue;
                }
                let tos = valid_tos.entry(binding_position).or_insert_with(|| {
                    let tos: Vec<(usize, &Value)> = to_joins
                        .iter()
                        .flat_map(|(item, join)| join.valid_for(context, binding).into_iter().map(move |p| (p, *item)))
                        .filter(|(p, _)| context.component_at(*p).id() != binding.id())
                        .collect();
                    // In design order (each to component is in one join only).
                    let order = sorted_order(tos.len(), &|a, b| tos[a].0.cmp(&tos[b].0));
                    order.into_iter().map(|i| tos[i]).collect::<Vec<_>>()
                });
                for &(to_position, to_item) in tos.iter() {
                    if involving.is_some_and(|changed| {
                        ![from_position, binding_position, to_position].iter().any(|p| changed.contains(p))
                    }) {
                        continue;
                    }
                    triples.push(Triple { from: from_position, binding: binding_position, to: to_position, to_item });
                }
            }
        }
        triples
    }
}

/// The to components grouped by the to item that applies to them for this binding kind.
fn group_by_to_item<'d>(
    context: &Context,
    to_components: &[usize],
    to_by_pair: &HashMap<(&str, &str), &'d Value>,
    binding_kind: &str,
) -> Vec<(&'d Value, BindingMatch, Vec<usize>)> {
    let mut groups: Vec<(&'d Value, BindingMatch, Vec<usize>)> = Vec::new();
    let mut group_of_kind: HashMap<&str, Option<usize>> = HashMap::new();
    for &position in to_components {
        let kind = context.component_at(position).kind();
        let group = *group_of_kind.entry(kind).or_insert_with(|| {
            let item = *to_by_pair.get(&(kind, binding_kind))?;
            let matcher = BindingMatch::of(SelectorItem(item))?;
            if let Some(existing) = groups.iter().position(|(i, _, _)| std::ptr::eq(*i, item)) {
                return Some(existing);
            }
            groups.push((item, matcher, Vec::new()));
            Some(groups.len() - 1)
        });
        if let Some(group) = group {
            groups[group].2.push(position);
        }
    }
    groups
}

/// The declaration of one (from, binding, to) triple: each item names its component, and its
/// match items name the binding pair — per triple, never shared between declarations.
fn binding_candidate(
    definition_id: &str,
    from_item: &Value,
    to_item: &Value,
    from_id: &str,
    binding_id: &str,
    to_id: &str,
) -> Candidate {
    let mut from = item_for(from_item, from_id);
    set_match_ids(&mut from, from_id, binding_id);
    let mut to = item_for(to_item, to_id);
    set_match_ids(&mut to, binding_id, to_id);
    let id = static_uuid(&json!({ "binding": binding_id, "from": from_id, "relId": definition_id, "to": to_id }));
    Candidate { selectors: allow_selectors(vec![from], vec![to]), id, status: Status::APPROVED }
}

fn set_match_ids(item: &mut Value, from_id: &str, to_id: &str) {
    for (side, id) in [("from", from_id), ("to", to_id)] {
        if let Some(first) = item.pointer_mut(&format!("/match/{side}/0")).and_then(Value::as_object_mut) {
            first.insert("id".into(), Value::String(id.to_owned()));
        }
    }
}

/// Whether `patch_binding_match_fields` can patch `id`: a match item naming it has a
/// `mutatedRef`, and the item on the other side of the same `match` a `mutatorRef`.
fn may_patch_match_field(relationship: &Relationship, id: &str) -> bool {
    let has_refs = |item: &Value, key: &str| non_empty_refs(Some(item), key).is_some();
    relationship.selectors().any(|set| {
        [set.allow_from().first(), set.allow_to().first()].into_iter().flatten().any(|item| {
            let item = SelectorItem(item);
            let from = item.match_items(MatchSide::From).first();
            let to = item.match_items(MatchSide::To).first();
            [(from, to), (to, from)].into_iter().any(|(source, target)| match (source, target) {
                (Some(source), Some(target)) => {
                    SelectorItem(target).id() == Some(id)
                        && has_refs(target, "mutatedRef")
                        && has_refs(source, "mutatorRef")
                }
                _ => false,
            })
        })
    })
}

/// Patches between a binding's match items, in both orientations, for the first from and the
/// first to item of each selector set (spec §7.5 `patchBindingMatchFields`).
fn patch_binding_match_fields(relationship: &Relationship, context: &Context) -> Vec<Action> {
    let deleted = relationship.status() == Status::DELETED;
    let mut actions = Vec::new();
    for set in relationship.selectors() {
        for item in [set.allow_from().first(), set.allow_to().first()].into_iter().flatten() {
            let item = SelectorItem(item);
            if item.matcher().is_none() || !item.id().is_some_and(|id| context.index.has_component(id)) {
                continue;
            }
            let from = item.match_items(MatchSide::From).first();
            let to = item.match_items(MatchSide::To).first();
            for (source, target) in [(from, to), (to, from)] {
                let (Some(source), Some(target)) = (source, target) else { continue };
                let (Some(mutator_refs), Some(mutated_refs)) =
                    (non_empty_refs(Some(source), "mutatorRef"), non_empty_refs(Some(target), "mutatedRef"))
                else {
                    continue;
                };
                let (Some(mutator), Some(mutated)) = (
                    SelectorItem(source).id().and_then(|id| context.component(id)),
                    SelectorItem(target).id().and_then(|id| context.component(id)),
                ) else {
                    continue;
                };
                for (mutator_path, mutated_path) in mutator_refs.iter().zip(&mutated_refs) {
                    let value = context.resolved_value(mutator_path, mutator);
                    let Some(value) = value else { continue };
                    let (path, old) = context.resolved_value_at(mutated_path, mutated);
                    let same = json_equal(value, old.unwrap_or(&Value::Null));
                    if !deleted && !same {
                        actions.push(Action::update_component_at(mutated.id(), path, value.clone()));
                    } else if deleted && same {
                        actions.push(cleanup(mutated, path));
                    }
                }
            }
        }
    }
    actions
}

#[cfg(test)]
mod tests;
