//! Generic pair identification (spec §6.6–§6.7): a definition's from item and to item hold
//! between two components when the values at the mutator paths match the values at the mutated
//! paths. Pairs are found with a hash join on those values, not by testing every pair.

use super::{allow_selectors, pair_already_exists, Candidate};
use crate::context::Context;
use crate::ids::{selector_set_seed, uuid_v5, PairSeed};
use crate::model::{Component, Relationship, SelectorItem};
use crate::values::{equality_key, field, go_format, match_values, MatchStrategy, Path};
use serde_json::Value;
use std::collections::HashMap;

/// Which side of a from/to item pair mutates the other, and with which paths.
pub struct Direction {
    pub mutator_is_from: bool,
    pub mutator_refs: Vec<Path>,
    pub mutated_refs: Vec<Path>,
}

impl Direction {
    /// `from.mutatorRef` + `to.mutatedRef` → the from component mutates; else `to.mutatorRef` +
    /// `from.mutatedRef` → the to component mutates; else none. An empty list counts as set.
    pub fn of(from: SelectorItem<'_>, to: SelectorItem<'_>) -> Option<Direction> {
        let mutator_is_from = Direction::mutator_is_from(from, to)?;
        let (mutator, mutated) = if mutator_is_from { (from, to) } else { (to, from) };
        Some(Direction { mutator_is_from, mutator_refs: mutator.mutator_ref()?, mutated_refs: mutated.mutated_ref()? })
    }

    /// `of`'s choice of side without decoding the paths: `Some(true)` when the from component
    /// mutates, `Some(false)` when the to component does, `None` when neither.
    pub fn mutator_is_from(from: SelectorItem<'_>, to: SelectorItem<'_>) -> Option<bool> {
        let has_refs = |item: SelectorItem<'_>, key: &str| {
            item.patch().and_then(|patch| field(patch, key)).is_some_and(Value::is_array)
        };
        if has_refs(from, "mutatorRef") && has_refs(to, "mutatedRef") {
            Some(true)
        } else if has_refs(to, "mutatorRef") && has_refs(from, "mutatedRef") {
            Some(false)
        } else {
            None
        }
    }

    /// Number of path pairs compared.
    pub fn len(&self) -> usize {
        self.mutator_refs.len().min(self.mutated_refs.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn refs_of_from_side(&self) -> &[Path] {
        if self.mutator_is_from {
            &self.mutator_refs
        } else {
            &self.mutated_refs
        }
    }

    pub fn refs_of_to_side(&self) -> &[Path] {
        if self.mutator_is_from {
            &self.mutated_refs
        } else {
            &self.mutator_refs
        }
    }
}

/// The strategies of row `i` of the from item's matrix: absent or null → `[equal]`.
pub fn strategies(from: SelectorItem<'_>, i: usize) -> Vec<MatchStrategy> {
    match from.strategy_row(i) {
        None => vec![MatchStrategy::Equal],
        Some(row) => row.into_iter().map(MatchStrategy::parse).collect(),
    }
}

/// `matchingMutators`: every strategy of every compared row accepts (mutator value, mutated
/// value), with `_` resolved against each component's own JSON.
#[cfg(feature = "internals")]
pub fn matching_mutators(
    context: &Context,
    from_component: &Component,
    to_component: &Component,
    from: SelectorItem<'_>,
    to: SelectorItem<'_>,
) -> bool {
    let Some(direction) = Direction::of(from, to) else { return false };
    let rows: Vec<Vec<MatchStrategy>> = (0..direction.len()).map(|i| strategies(from, i)).collect();
    pair_matches(context, &direction, &rows, from_component, to_component)
}

pub fn pair_matches(
    context: &Context,
    direction: &Direction,
    rows: &[Vec<MatchStrategy>],
    from_component: &Component,
    to_component: &Component,
) -> bool {
    if direction.is_empty() {
        return false;
    }
    let (mutator, mutated) =
        if direction.mutator_is_from { (from_component, to_component) } else { (to_component, from_component) };
    rows.iter().enumerate().all(|(i, row)| {
        let a = context.resolved_value(&direction.mutator_refs[i], mutator);
        let b = context.resolved_value(&direction.mutated_refs[i], mutated);
        row.iter().all(|strategy| match_values(a, b, *strategy))
    })
}

/// How one compared index contributes to the join key, if it can: a row containing `equal`
/// keys on canonical JSON, one containing `equal_as_strings` on Go's `%v` text. Rows of only
/// `not_null` / `to_contains_from` (or empty rows) cannot be hashed and are checked per pair.
pub fn join_key_kind(row: &[MatchStrategy]) -> Option<MatchStrategy> {
    if row.contains(&MatchStrategy::Equal) {
        Some(MatchStrategy::Equal)
    } else if row.contains(&MatchStrategy::EqualAsStrings) {
        Some(MatchStrategy::EqualAsStrings)
    } else {
        None
    }
}

pub fn join_key(context: &Context, component: &Component, refs: &[Path], keyed: &[(usize, MatchStrategy)]) -> String {
    let mut key = String::new();
    for (i, strategy) in keyed {
        let value = context.resolved_value(&refs[*i], component);
        match strategy {
            MatchStrategy::EqualAsStrings => key.push_str(&go_format(value.unwrap_or(&Value::Null))),
            _ => key.push_str(&equality_key(value)),
        }
        key.push('\u{1}');
    }
    key
}

/// Calls `emit(from_position, to_position)` for every pair of components (from outer, to inner,
/// both in design order, distinct ids) whose kinds match the items and whose values match.
pub fn for_each_matching_pair(
    context: &Context,
    from: SelectorItem<'_>,
    to: SelectorItem<'_>,
    mut emit: impl FnMut(usize, usize) -> std::ops::ControlFlow<()>,
) {
    let Some(direction) = Direction::of(from, to) else { return };
    if direction.is_empty() {
        return;
    }
    let froms = context.index.components_matching_kind(from.kind());
    let tos = context.index.components_matching_kind(to.kind());
    if froms.is_empty() || tos.is_empty() {
        return;
    }
    let rows: Vec<Vec<MatchStrategy>> = (0..direction.len()).map(|i| strategies(from, i)).collect();
    let keyed: Vec<(usize, MatchStrategy)> =
        rows.iter().enumerate().filter_map(|(i, row)| join_key_kind(row).map(|k| (i, k))).collect();
    let mut check = |pf: usize, pt: usize| {
        let (cf, ct) = (context.component_at(pf), context.component_at(pt));
        let matched = cf.id() != ct.id() && pair_matches(context, &direction, &rows, cf, ct);
        context.count_pairs(1, usize::from(matched));
        if matched {
            return emit(pf, pt);
        }
        std::ops::ControlFlow::Continue(())
    };
    // A row with `not_null` rejects every pair where either side's value is null or missing, so
    // such components take no part: without this, components lacking the data (null equals null)
    // shared one bucket and every pair of them was checked (issue 15 #7).
    let not_null_rows: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].contains(&MatchStrategy::NotNull)).collect();
    let has_values = |component: &Component, refs: &[Path]| {
        not_null_rows.iter().all(|&i| context.resolved_value(&refs[i], component).is_some_and(|v| !v.is_null()))
    };
    let tos: Vec<usize> = if not_null_rows.is_empty() {
        tos.to_vec()
    } else {
        tos.iter().copied().filter(|&pt| has_values(context.component_at(pt), direction.refs_of_to_side())).collect()
    };
    // Every equality row together gives one hash key (an exact bucket); each `to_contains_from`
    // row whose contained value comes from the from side gives posting lists of the to side's
    // (key, value) pairs. A to component can match only if it is in the bucket and in the list
    // of every scalar pair the from side's object holds, so each from component intersects
    // those lists, smallest first, and checks in full only the pairs left (issue 11).
    let mut buckets: HashMap<String, Vec<usize>> = HashMap::new();
    if !keyed.is_empty() {
        for &pt in tos.iter() {
            let key = join_key(context, context.component_at(pt), direction.refs_of_to_side(), &keyed);
            buckets.entry(key).or_default().push(pt);
        }
    }
    let contains_rows: Vec<usize> = if direction.mutator_is_from {
        (0..rows.len()).filter(|&i| rows[i].contains(&MatchStrategy::ToContainsFrom)).collect()
    } else {
        Vec::new()
    };
    let postings: Vec<HashMap<String, Vec<usize>>> = contains_rows
        .iter()
        .map(|&i| {
            let mut lists: HashMap<String, Vec<usize>> = HashMap::new();
            for &pt in tos.iter() {
                if let Some(Value::Object(entries)) =
                    context.resolved_value(&direction.mutated_refs[i], context.component_at(pt))
                {
                    for (key, value) in entries {
                        lists.entry(posting_key(key, value)).or_default().push(pt);
                    }
                }
            }
            lists
        })
        .collect();
    let empty: Vec<usize> = Vec::new();
    let mut lists: Vec<&[usize]> = Vec::new();
    for &pf in froms.iter() {
        let from_component = context.component_at(pf);
        if !has_values(from_component, direction.refs_of_from_side()) {
            continue;
        }
        lists.clear();
        if !keyed.is_empty() {
            let key = join_key(context, from_component, direction.refs_of_from_side(), &keyed);
            lists.push(buckets.get(&key).unwrap_or(&empty));
        }
        for (column, &i) in contains_rows.iter().enumerate() {
            // A contained object of scalars narrows to the to components holding each pair.
            let Some(Value::Object(wanted)) = context.resolved_value(&direction.mutator_refs[i], from_component) else {
                continue;
            };
            for (key, value) in wanted.iter().filter(|(_, v)| !v.is_object()) {
                lists.push(postings[column].get(&posting_key(key, value)).unwrap_or(&empty));
            }
        }
        let pool = intersect_smallest_first(&mut lists, &tos);
        for &pt in pool.iter() {
            if check(pf, pt).is_break() {
                return;
            }
        }
    }
}

/// The positions in every one of `lists` (each ascending), ascending; `all` when there is no
/// list. Walks the smallest list and looks each position up in the others, so the cost is the
/// smallest list's length, never a larger bucket's.
fn intersect_smallest_first<'l>(lists: &mut [&'l [usize]], all: &'l [usize]) -> std::borrow::Cow<'l, [usize]> {
    use std::borrow::Cow;
    lists.sort_by_key(|list| list.len());
    match lists {
        [] => Cow::Borrowed(all),
        [only] => Cow::Borrowed(only),
        [smallest, rest @ ..] => Cow::Owned(
            smallest.iter().copied().filter(|p| rest.iter().all(|list| list.binary_search(p).is_ok())).collect(),
        ),
    }
}

fn posting_key(key: &str, value: &Value) -> String {
    format!("{key}\u{1}{}", equality_key(Some(value)))
}

/// A copy of a selector item naming a component.
pub fn item_for(item: &Value, component_id: &str) -> Value {
    let mut copy = item.clone();
    if let Value::Object(map) = &mut copy {
        map.insert("id".into(), Value::String(component_id.to_owned()));
    }
    copy
}

/// `buildIdentified` for one (from item, to item) of a definition: each candidate is one selector
/// set `{allow: {from: [F'], to: [T']}}` with the items naming the two components; its id is
/// UUIDv5 of that set, whose Go JSON differs between pairs only in the two ids.
pub struct PairTemplate<'d> {
    from: &'d Value,
    to: &'d Value,
    /// None when an item is not an object (`item_for` then names no component in it).
    seed: Option<PairSeed>,
}

impl<'d> PairTemplate<'d> {
    pub fn new(from: &'d Value, to: &'d Value) -> Self {
        let seed = (from.is_object() && to.is_object()).then(|| PairSeed::new(from, to));
        PairTemplate { from, to, seed }
    }

    pub fn build(&self, from_id: &str, to_id: &str, status: &'static str) -> Candidate {
        let from = item_for(self.from, from_id);
        let to = item_for(self.to, to_id);
        let seed = match &self.seed {
            Some(seed) => seed.seed(from_id, to_id),
            None => selector_set_seed(&[&from], &[&to]),
        };
        Candidate { selectors: allow_selectors(vec![from], vec![to]), id: uuid_v5(&seed), status }
    }
}

/// `identifyByMutatorFields`: every matching pair of every (from, to) item of every selector set
/// that `accept` lets through.
pub fn identify_by_mutator_fields(
    definition: &Relationship,
    context: &Context,
    status: &'static str,
    accept: impl Fn(&Component, &Component) -> bool,
) -> Vec<Candidate> {
    // Pairs first, candidates after: past the budget nothing is built (building a candidate
    // copies and hashes its selector items, the costly part).
    let mut templates: Vec<PairTemplate> = Vec::new();
    let mut found: Vec<(usize, &str, &str)> = Vec::new();
    let budget = context.creation_budget();
    let mut overflowed = false;
    for set in definition.selectors() {
        for from in set.allow_from() {
            for to in set.allow_to() {
                let template = templates.len();
                let mut used = false;
                for_each_matching_pair(context, SelectorItem(from), SelectorItem(to), |pf, pt| {
                    let (cf, ct) = (context.component_at(pf), context.component_at(pt));
                    // Existing relationships are skipped by the engine anyway: don't build them.
                    if !pair_already_exists(definition, from, to, cf.id(), ct.id(), context) && accept(cf, ct) {
                        if found.len() == budget {
                            context.report_overflow(definition);
                            overflowed = true;
                            return std::ops::ControlFlow::Break(());
                        }
                        used = true;
                        found.push((template, cf.id(), ct.id()));
                    }
                    std::ops::ControlFlow::Continue(())
                });
                if overflowed {
                    return Vec::new();
                }
                if used {
                    templates.push(PairTemplate::new(from, to));
                }
            }
        }
    }
    found.into_iter().map(|(template, from_id, to_id)| templates[template].build(from_id, to_id, status)).collect()
}
