//! A pass restricted to what changed. When the design was quiescent (a full pass on it produced
//! no action) before a set of components and relationships changed, every action a full pass
//! produces involves one of them; this pass computes exactly those actions, in the order a full
//! pass emits them, without visiting the rest of the design.

use super::join_index::{JoinIndex, Side};
use super::store::Store;
use crate::context::Context;
use crate::engine::apply::{removed_fields, updated_component};
use crate::engine::{definitions_in_scope, identify_with, resolve_ties, Tie};
use crate::index::named_components;
use crate::matching::{feasible_between, is_denied};
use crate::model::{Action, Relationship, SelectorItem, Status};
use crate::options::EngineOptions;
use crate::policy::inventory::inventory_additions_with;
use crate::policy::pairs::{pair_matches, strategies, Direction, PairTemplate};
use crate::policy::{from_or_to_missing, pair_already_exists, Candidate, Policy};
use crate::values::get_nested;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Ids of what changed since the design was last quiescent.
#[derive(Debug, Default, Clone)]
pub struct Dirty {
    pub components: BTreeSet<String>,
    pub relationships: BTreeSet<String>,
    /// Set when the pass hit a bound (`Context::creation_budget`): the caller evaluates in full,
    /// which reports it.
    pub overflow: bool,
}

impl Dirty {
    /// Adds every id of `other` (its overflow too).
    pub fn extend(&mut self, other: Dirty) {
        self.components.extend(other.components);
        self.relationships.extend(other.relationships);
        self.overflow |= other.overflow;
    }

    /// Records every id an action touches; a deleted relationship also makes its endpoints
    /// dirty (Meshery identifies it again if its components still match).
    pub fn add_action(&mut self, action: &Action) {
        match action {
            Action::DeleteRelationship { relationship: Some(relationship), .. } => {
                self.relationships.insert(action.target_id().to_owned());
                self.add_endpoints(relationship);
            }
            Action::AddRelationship { .. } | Action::UpdateRelationship { .. } | Action::DeleteRelationship { .. } => {
                self.relationships.insert(action.target_id().to_owned());
            }
            _ => {
                self.components.insert(action.target_id().to_owned());
            }
        }
    }

    /// Marks every component a relationship names (allow and match items) as dirty.
    pub fn add_endpoints(&mut self, relationship: &Relationship) {
        self.components.extend(named_components(relationship));
    }
}

/// Component positions in design order for a set of ids (ids no longer present are skipped).
fn component_positions(store: &Store, ids: &BTreeSet<String>) -> Vec<usize> {
    let mut positions: Vec<usize> = ids.iter().filter_map(|id| store.index.component(id)).collect();
    positions.sort_unstable();
    positions
}

/// Relationship positions: the dirty relationships and every relationship naming a dirty
/// component (present or removed).
fn affected_relationships(store: &Store, dirty: &Dirty) -> Vec<usize> {
    let mut positions: BTreeSet<usize> =
        dirty.relationships.iter().filter_map(|id| store.index.relationship(id)).collect();
    for id in &dirty.components {
        positions.extend(store.index.relationships_of_component(id).iter().copied());
    }
    positions.into_iter().collect()
}

/// Adds to the dirty components every alias component whose configuration reads through a dirty
/// component. (A relationship's own change does not make its endpoints dirty: its side effects
/// are recomputed because it is dirty itself, and the engine's approvals change nothing that
/// identification reads. Edits and deletions that do affect identification mark the endpoints
/// explicitly, see `Dirty::add_endpoints`.)
fn close_over(store: &Store, dirty: &mut Dirty) {
    let mut frontier: Vec<String> = dirty.components.iter().cloned().collect();
    while let Some(id) = frontier.pop() {
        let Some(position) = store.index.component(&id) else { continue };
        for alias in store.index.aliases_reading_through(position) {
            if dirty.components.insert(alias.to_owned()) {
                frontier.push(alias.to_owned());
            }
        }
    }
}

/// Candidates of `definition` under `policy` that involve a dirty component (position list in
/// design order), in the order the full identification emits them.
fn candidates_involving(
    policy: &dyn Policy,
    definition: &Relationship,
    definition_index: usize,
    context: &Context,
    joins: &JoinIndex,
    dirty: &[usize],
) -> Vec<Candidate> {
    let status = match policy.id() {
        "edge-non-binding" | "hierarchical_wallet" => Status::IDENTIFIED,
        "hierarchical_parent_child" => Status::APPROVED,
        "alias_relationships_policy" => return alias_candidates_involving(policy, definition, context, dirty),
        // Three-party bindings: only when a changed component can take part, and only the
        // triples that name one.
        "edge_binding" => {
            if !dirty.iter().any(|&p| binding_kind_relevant(definition, context.component_at(p).kind())) {
                return Vec::new();
            }
            let involving: HashSet<usize> = dirty.iter().copied().collect();
            return crate::policy::edge_binding::identify_involving(definition, context, &involving);
        }
        // Group and three-party policies: identification is global; recompute it.
        _ => return policy.identify(definition, context),
    };
    let dirty_set: HashSet<usize> = dirty.iter().copied().collect();
    if dirty.len() > SCAN_LIMIT {
        // Many changes: the hash join over everything is cheaper than probing per change.
        let dirty_ids: HashSet<&str> = dirty.iter().map(|&p| context.component_at(p).id()).collect();
        return policy
            .identify(definition, context)
            .into_iter()
            .filter(|c| names_any(&c.selectors, &dirty_ids))
            .collect();
    }
    let parent_child = policy.id() == "hierarchical_parent_child";
    // Sorted by (selector set, from item, to item, from position, to position): the order in
    // which the full identification emits them.
    let mut found: Vec<(EmissionOrder, Candidate)> = Vec::new();
    for (set_index, set) in definition.selectors().enumerate() {
        for (from_index, from) in set.allow_from().iter().enumerate() {
            for (to_index, to) in set.allow_to().iter().enumerate() {
                let (from_item, to_item) = (SelectorItem(from), SelectorItem(to));
                let Some(direction) = Direction::of(from_item, to_item) else { continue };
                let rows: Vec<_> = (0..direction.len()).map(|i| strategies(from_item, i)).collect();
                let froms = context.index.components_matching_kind(from_item.kind());
                let tos = context.index.components_matching_kind(to_item.kind());
                let mut pairs: Vec<(usize, usize)> = Vec::new();
                let slot = joins.slot((definition_index, set_index, from_index, to_index));
                for &d in dirty {
                    let component = context.component_at(d);
                    if froms.binary_search(&d).is_ok() {
                        match slot {
                            // Only the components in the same bucket can match.
                            Some(slot) => pairs.extend(
                                joins
                                    .partners(context, slot, Side::From, component)
                                    .into_iter()
                                    .filter_map(|id| context.index.component(id))
                                    .map(|t| (d, t)),
                            ),
                            None => pairs.extend(tos.iter().map(|&t| (d, t))),
                        }
                    }
                    if tos.binary_search(&d).is_ok() {
                        match slot {
                            Some(slot) => pairs.extend(
                                joins
                                    .partners(context, slot, Side::To, component)
                                    .into_iter()
                                    .filter_map(|id| context.index.component(id))
                                    .filter(|f| !dirty_set.contains(f))
                                    .map(|f| (f, d)),
                            ),
                            None => pairs.extend(froms.iter().filter(|f| !dirty_set.contains(f)).map(|&f| (f, d))),
                        }
                    }
                }
                pairs.sort_unstable();
                pairs.dedup();
                let mut template: Option<PairTemplate> = None;
                for (pf, pt) in pairs {
                    let (cf, ct) = (context.component_at(pf), context.component_at(pt));
                    // Cheapest test first: most pairs do not match at all.
                    if cf.id() == ct.id()
                        || !pair_matches(context, &direction, &rows, cf, ct)
                        || pair_already_exists(definition, from, to, cf.id(), ct.id(), context)
                    {
                        continue;
                    }
                    if parent_child
                        && (feasible_between(cf, ct, definition).is_none()
                            || definition.selectors().any(|s| is_denied(cf, ct, s)))
                    {
                        continue;
                    }
                    let key = (set_index, from_index, to_index, pf, pt);
                    let template = template.get_or_insert_with(|| PairTemplate::new(from, to));
                    found.push((key, template.build(cf.id(), ct.id(), status)));
                }
            }
        }
    }
    found.sort_by_key(|(order, _)| *order);
    found.into_iter().map(|(_, c)| c).collect()
}

/// Whether a component of `kind` can be the from, binding or to party of a binding definition.
fn binding_kind_relevant(definition: &Relationship, kind: &str) -> bool {
    definition.selectors().any(|set| {
        set.allow_from().iter().chain(set.allow_to()).any(|item| {
            let item = SelectorItem(item);
            item.kind() == kind
                || item.kind() == "*"
                || [crate::model::MatchSide::From, crate::model::MatchSide::To].iter().any(|side| {
                    item.match_items(*side).iter().any(|m| {
                        let pattern = SelectorItem(m).kind();
                        !pattern.is_empty()
                            && !pattern.eq_ignore_ascii_case("self")
                            && crate::matching::match_name(kind, pattern)
                    })
                })
        })
    })
}

/// Where a candidate comes in the full identification's output.
type EmissionOrder = (usize, usize, usize, usize, usize);

/// Above this many changed components, identification joins everything instead of probing.
const SCAN_LIMIT: usize = 64;

/// True when some allow item of the selector sets names one of `ids`.
fn names_any(selectors: &serde_json::Value, ids: &HashSet<&str>) -> bool {
    selectors.as_array().into_iter().flatten().any(|set| {
        ["from", "to"].iter().any(|side| {
            get_nested(set, &["allow", side])
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
                .any(|item| item.get("id").and_then(|v| v.as_str()).is_some_and(|id| ids.contains(id)))
        })
    })
}

/// Alias identification is per parent component: only dirty parents can yield new aliases.
fn alias_candidates_involving(
    policy: &dyn Policy,
    definition: &Relationship,
    context: &Context,
    dirty: &[usize],
) -> Vec<Candidate> {
    let all = policy.identify(definition, context);
    let dirty_ids: HashSet<&str> = dirty.iter().map(|&p| context.component_at(p).id()).collect();
    all.into_iter()
        .filter(|c| {
            get_nested(&c.selectors, &["0", "allow", "to", "0", "id"])
                .and_then(|v| v.as_str())
                .is_some_and(|id| dirty_ids.contains(id))
        })
        .collect()
}

/// Applies actions through the store, in Meshery's order (see `engine::apply`).
pub fn apply_logged(store: &mut Store, actions: &[Action]) {
    let mut delete_components: Vec<usize> = Vec::new();
    let mut delete_relationships: Vec<usize> = Vec::new();
    for action in actions {
        match action {
            Action::DeleteComponent { id, .. } => delete_components.extend(store.index.component(id)),
            Action::DeleteRelationship { id, .. } => delete_relationships.extend(store.index.relationship(id)),
            _ => {}
        }
    }
    delete_components.sort_unstable();
    delete_components.dedup();
    for position in delete_components.into_iter().rev() {
        store.remove_component(position);
    }
    delete_relationships.sort_unstable();
    delete_relationships.dedup();
    store.remove_relationships(&delete_relationships);
    for action in actions {
        if let Action::AddComponent { item } = action {
            if !store.index.has_component(item.id()) {
                store.push_component(item.clone());
            }
        }
    }
    for action in actions {
        if let Action::AddRelationship { item } = action {
            if store.index.relationship(item.id()).is_none() {
                store.push_relationship(item.clone());
            }
        }
    }
    let mut statuses: Vec<(&str, &serde_json::Value)> = Vec::new();
    for action in actions {
        if let Action::UpdateRelationship { id, path, value } = action {
            if path == "/status" {
                statuses.retain(|(i, _)| i != id);
                statuses.push((id, value));
            }
        }
    }
    for (id, status) in statuses {
        if let Some(position) = store.index.relationship(id) {
            let current = &store.design.relationships[position].0;
            if current.is_object() && current.get("status") != Some(status) {
                store.set_relationship_status(position, status.clone());
            }
        }
    }
    let mut patches: HashMap<&str, Vec<&Action>> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    for action in actions {
        if let Action::UpdateComponent { id, .. }
        | Action::UpdateComponentConfiguration { id, .. }
        | Action::RemoveComponentConfiguration { id, .. } = action
        {
            patches.entry(id).or_insert_with(|| {
                order.push(id);
                Vec::new()
            });
            if let Some(list) = patches.get_mut(id.as_str()) {
                list.push(action);
            }
        }
    }
    for id in order {
        let Some(position) = store.index.component(id) else { continue };
        let list = &patches[id];
        let mut component = store.design.components[position].clone();
        if let Some(updated) = updated_component(&component, list) {
            component = updated;
        }
        if let Some(updated) = removed_fields(&component, list) {
            component = updated;
        }
        if component != store.design.components[position] {
            store.set_component(position, component);
        }
    }
}

fn is_approval(action: &Action) -> bool {
    matches!(action, Action::UpdateRelationship { path, value, .. } if path == "/status" && value == Status::APPROVED)
}

/// Whether a restricted pass applies its actions or only looks for any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassMode {
    /// Compute, apply, and report the actions.
    Apply,
    /// Stop at the first phase with an action and change nothing (a check that the design is
    /// settled: a full pass would only approve relationships left `identified` by the approval
    /// cap). A design whose changed components still need their model name normalised counts as
    /// not settled.
    Check,
}

/// What one restricted pass did.
pub struct PassOutput {
    pub actions: Vec<Action>,
    /// What the next pass must look at.
    pub next: Dirty,
    /// Patches that cancelled each other (different values for one field).
    pub ties: Vec<Tie>,
}

/// The actions of one restricted pass, applied through the store. `dirty` is widened to its
/// closure; returns the actions and the dirty set for the next pass.
pub fn scoped_pass(
    store: &mut Store,
    definitions: &[Relationship],
    policies: &[Box<dyn Policy>],
    options: &EngineOptions,
    dirty: Dirty,
    mode: PassMode,
) -> PassOutput {
    let mut ties = Vec::new();
    let (actions, next) = restricted(store, definitions, policies, options, dirty, mode, &mut ties);
    PassOutput { actions, next, ties }
}

fn restricted(
    store: &mut Store,
    definitions: &[Relationship],
    policies: &[Box<dyn Policy>],
    options: &EngineOptions,
    mut dirty: Dirty,
    mode: PassMode,
    ties: &mut Vec<Tie>,
) -> (Vec<Action>, Dirty) {
    let apply = mode == PassMode::Apply;
    for id in dirty.components.clone() {
        if let Some(position) = store.index.component(&id) {
            let mut component = store.design.components[position].clone();
            component.normalise_model_name();
            if component != store.design.components[position] {
                if !apply {
                    return (
                        vec![Action::UpdateComponent {
                            id,
                            path: vec!["modelReference".into()],
                            value: serde_json::Value::Null,
                        }],
                        dirty,
                    );
                }
                store.set_component(position, component);
            }
        }
    }
    close_over(store, &mut dirty);

    // Phase 1: validate the relationships that involve a change.
    let affected = affected_relationships(store, &dirty);
    let validated = {
        let context = Context::new(&store.design, &store.index, options);
        let mut actions = Vec::new();
        for policy in policies {
            for &position in &affected {
                let relationship = &store.design.relationships[position];
                if policy.is_implicated_by(relationship)
                    && from_or_to_missing(relationship, &context)
                    && policy.is_invalid(relationship, &context)
                {
                    actions.push(Action::set_status(relationship.id(), Status::DELETED));
                }
            }
        }
        actions
    };
    if !apply && !validated.is_empty() {
        return (validated, dirty);
    }
    apply_logged(store, &validated);

    // Phase 2: identify relationships that involve a changed component.
    let identified = {
        let dirty_positions = component_positions(store, &dirty.components);
        let context = Context::new(&store.design, &store.index, options);
        if dirty_positions.len() > SCAN_LIMIT {
            store.joins.clear(); // a scan is cheaper than probing; rebuilt when probing again
        } else {
            store.joins.refresh(&context, definitions, &dirty.components);
        }
        let joins = &store.joins;
        let in_scope = definitions_in_scope(&store.design, &store.index, definitions);
        let identified = identify_with(policies, &in_scope, &context, |policy, definition| {
            let definition_index = definitions.iter().position(|d| std::ptr::eq(d, definition)).unwrap_or(usize::MAX);
            candidates_involving(policy, definition, definition_index, &context, joins, &dirty_positions)
        });
        if context.take_overflow().is_some() {
            dirty.overflow = true;
            return (Vec::new(), dirty);
        }
        identified
    };
    if !apply && !identified.is_empty() {
        return (identified, dirty);
    }
    apply_logged(store, &identified);

    // Phase 2.5: parents the changed children need.
    let additions = {
        let context = Context::new(&store.design, &store.index, options);
        let in_scope = definitions_in_scope(&store.design, &store.index, definitions);
        // Only children that changed, or whose parent key gained or lost a holder, can need one.
        let changed_keys = store.parent_keys.update(&context, &dirty.components);
        let dirty_positions: HashSet<usize> = component_positions(store, &dirty.components).into_iter().collect();
        inventory_additions_with(&in_scope, &context, &mut store.parent_keys, |position, key| {
            dirty_positions.contains(&position) || changed_keys.contains(key)
        })
    };
    if !apply && !additions.is_empty() {
        return (additions, dirty);
    }
    apply_logged(store, &additions);

    // Phase 3: the relationships that changed, plus every relationship that can patch a
    // component they patch (so that ties resolve as in a full pass).
    let generated = {
        let mut involved = dirty.clone();
        for action in identified.iter().chain(&validated).chain(&additions) {
            involved.add_action(action);
            // A relationship that lost its validity may have won a tie for a field another
            // relationship also patches: every relationship of its endpoints is recomputed.
            if let Action::UpdateRelationship { id, .. } = action {
                if let Some(position) = store.index.relationship(id) {
                    involved.add_endpoints(&store.design.relationships[position]);
                }
            }
        }
        // Positions, not ids: nothing is applied until the phase ends.
        let mut included: HashSet<usize> = affected_relationships(store, &involved).into_iter().collect();
        let context = Context::new(&store.design, &store.index, options);
        // Only a relationship that can write to a component takes part in its ties.
        let may_update = |relationship: &Relationship, id: &str| {
            policies.iter().any(|p| p.is_implicated_by(relationship) && p.may_update(relationship, id))
        };
        let mut targets_done: HashSet<String> = HashSet::new();
        // A relationship naming a changed component may patch nothing now where it patched
        // before (its value became a no-op): another relationship's patch of the same field that
        // tied with the old value may apply. Every component such a relationship can write to is
        // a target. (Approvals need no seeding: a newly approved relationship's patches show up
        // as actions, and one that patches nothing changes no tie.)
        let mut new_targets: Vec<String> = Vec::new();
        for id in &dirty.components {
            for &position in store.index.relationships_of_component(id) {
                let relationship = &store.design.relationships[position];
                for component in named_components(relationship) {
                    if may_update(relationship, &component) && targets_done.insert(component.clone()) {
                        new_targets.push(component);
                    }
                }
            }
        }
        // Each relationship's side effects, per implicated policy, computed once: they are the
        // same during the search and in the actions (at 10,000 components, a relationship named
        // by a hub was computed twice and classified twelve times).
        let mut effects: HashMap<usize, Vec<(usize, Vec<Action>)>> = HashMap::new();
        // Targets whose writers are not recorded yet: all of them are computed, then recorded.
        let mut unrecorded: Vec<String> = Vec::new();
        let mut frontier: Vec<usize> = included.iter().copied().collect();
        loop {
            for position in frontier.drain(..) {
                let relationship = &store.design.relationships[position];
                let mut by_policy = Vec::new();
                for (index, policy) in policies.iter().enumerate().filter(|(_, p)| p.is_implicated_by(relationship)) {
                    let actions = policy.side_effects(relationship, &context);
                    for action in &actions {
                        if let Action::UpdateComponent { id, .. } | Action::UpdateComponentConfiguration { id, .. } =
                            action
                        {
                            if targets_done.insert(id.clone()) {
                                new_targets.push(id.clone());
                            }
                        }
                    }
                    by_policy.push((index, actions));
                }
                effects.insert(position, by_policy);
            }
            if new_targets.is_empty() {
                break;
            }
            for target in new_targets.drain(..) {
                // The recorded writers that are not computed already updated the same before
                // this pass (see `writers.rs`); without a record, every relationship that can.
                let Some(writers) = store.writers.of(&target) else {
                    for &position in store.index.relationships_of_component(&target) {
                        if may_update(&store.design.relationships[position], &target) && included.insert(position) {
                            frontier.push(position);
                        }
                    }
                    unrecorded.push(target);
                    continue;
                };
                for position in writers.iter().filter_map(|id| store.index.relationship(id)) {
                    if included.insert(position) {
                        frontier.push(position);
                    }
                }
            }
        }
        // Past maxPatchBytes (counted in the target search's order: every patch is made there),
        // the full path decides and reports it, naming the relationship.
        if context.take_overflow().is_some() {
            dirty.overflow = true;
            return (Vec::new(), dirty);
        }
        // Computed on the state as it is (a check pass too), so true for what they name.
        for target in &unrecorded {
            store.writers.start(target);
        }
        for (position, by_policy) in &effects {
            let relationship = &store.design.relationships[*position];
            let deleted = relationship.status() == Status::DELETED;
            let updates: HashSet<&str> = by_policy
                .iter()
                .flat_map(|(_, actions)| actions)
                .filter_map(|action| match action {
                    Action::UpdateComponent { id, .. } | Action::UpdateComponentConfiguration { id, .. } => {
                        Some(id.as_str())
                    }
                    _ => None,
                })
                .collect();
            let named = named_components(relationship);
            store
                .writers
                .refresh(relationship.id(), named.iter().map(String::as_str), |c| deleted || updates.contains(c));
        }
        let mut positions: Vec<usize> = included.into_iter().collect();
        positions.sort_unstable();
        // Approvals and clean-ups are decided over the whole design: relationships left
        // `identified` by the approval cap are pending work a full pass would pick up. A scan of
        // statuses is cheap; their side effects are not recomputed (a settled design has none).
        let mut actions = Vec::new();
        for (index, policy) in policies.iter().enumerate() {
            let (identified, deleted) =
                store.index.unsettled_of(|r| policy.is_implicated_by(r), options.max_approvals_per_policy);
            actions.extend(
                identified.iter().map(|&p| Action::set_status(store.design.relationships[p].id(), Status::APPROVED)),
            );
            actions.extend(deleted.iter().map(|&p| {
                let r = &store.design.relationships[p];
                Action::DeleteRelationship { id: r.id().to_owned(), relationship: Some(r.clone()) }
            }));
            for position in &positions {
                let mut by_policy = effects.get_mut(position).into_iter().flatten();
                if let Some((_, found)) = by_policy.find(|(i, _)| *i == index) {
                    actions.append(found);
                }
            }
        }
        let (kept, pass_ties) = resolve_ties(actions);
        *ties = pass_ties;
        if !apply {
            // Pending approvals alone do not make a design unsettled.

            return (kept.into_iter().filter(|a| !is_approval(a)).collect(), dirty);
        }
        kept
    };
    if !apply {
        return (generated, dirty);
    }
    apply_logged(store, &generated);

    let mut actions = validated;
    actions.extend(identified);
    actions.extend(additions);
    actions.extend(generated);
    let mut next = Dirty::default();
    for action in &actions {
        next.add_action(action);
    }
    (actions, next)
}
