//! One evaluation pass (spec §4): validate → identify → inventory additions → approve, clean up
//! and side effects → apply.

use super::apply::apply;
use super::safety::{resolve_ties, Tie};
use super::trace::build_trace;
use crate::context::{Context, JoinCounts, JoinWork};
use crate::index::DesignIndex;
use crate::model::{Action, Design, Relationship, Status, Trace};
use crate::options::EngineOptions;
use crate::policy::inventory::inventory_additions;
use crate::policy::{content_identity, from_or_to_missing, Candidate, Policy};
use std::collections::{HashMap, HashSet};

/// What one pass did.
#[derive(Debug, Default)]
pub struct PassOutcome {
    pub actions: Vec<Action>,
    pub trace: Trace,
    pub ties: Vec<Tie>,
    /// A bound the pass hit (`Context::creation_budget`); the evaluation fails with it.
    pub error: Option<crate::error::Error>,
    /// The pairs each (policy, definition) examined while identifying.
    pub join_work: Vec<JoinWork>,
}

/// The definitions that apply to this design: their model is used by some component and their
/// layer is not switched off in `preferences.layers.relationships`.
pub fn definitions_in_scope<'d>(
    design: &Design,
    index: &DesignIndex,
    definitions: &'d [Relationship],
) -> Vec<&'d Relationship> {
    let models: HashSet<String> = index.models_in_design().into_iter().collect();
    definitions.iter().filter(|d| models.contains(d.model_name()) && design.layer_enabled(&d.layer_key())).collect()
}

/// Phase 1: relationships with a missing endpoint that their policy finds invalid are marked
/// deleted.
pub fn validate(policies: &[Box<dyn Policy>], context: &Context) -> Vec<Action> {
    let mut actions = Vec::new();
    for policy in policies {
        for relationship in &context.design.relationships {
            if policy.is_implicated_by(relationship)
                && from_or_to_missing(relationship, context)
                && policy.is_invalid(relationship, context)
            {
                actions.push(Action::set_status(relationship.id(), Status::DELETED));
            }
        }
    }
    actions
}

/// Phase 2: new relationships, per policy, per in-scope definition; each new relationship once
/// per policy.
pub fn identify(policies: &[Box<dyn Policy>], definitions: &[&Relationship], context: &Context) -> Vec<Action> {
    identify_with(policies, definitions, context, |policy, definition| policy.identify(definition, context))
}

/// Phase 2 with the candidates of each (policy, definition) supplied by `candidates`: skips
/// candidates the design already holds and candidates this policy already emitted in this pass —
/// by id, as Meshery does, and by content, so that two definitions describing the same edge
/// (e.g. two Service→Pod network definitions) do not yield it twice (meshery/meshery#12274).
pub fn identify_with(
    policies: &[Box<dyn Policy>],
    definitions: &[&Relationship],
    context: &Context,
    mut candidates: impl FnMut(&dyn Policy, &Relationship) -> Vec<Candidate>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    for policy in policies {
        let mut emitted_ids: HashSet<String> = HashSet::new();
        // Candidates in emission order, and per content the index of the one kept: the smallest
        // id, so that the choice does not depend on the order of definitions.
        let mut kept: Vec<Option<(Candidate, &Relationship)>> = Vec::new();
        let mut by_content: HashMap<String, usize> = HashMap::new();
        for definition in definitions.iter().filter(|d| policy.is_implicated_by(d)) {
            let before = context.join_counts();
            let found = candidates(policy.as_ref(), definition);
            record_join_work(context, policy.as_ref(), definition, before, found.len());
            for candidate in found {
                if emitted_ids.contains(&candidate.id) || policy.already_exists(definition, &candidate, context) {
                    continue;
                }
                emitted_ids.insert(candidate.id.clone());
                let content = content_identity(definition, &candidate.selectors);
                match by_content.get(&content) {
                    Some(&at) => {
                        if kept[at].as_ref().is_some_and(|(k, _)| candidate.id < k.id) {
                            kept[at] = Some((candidate, definition));
                        }
                    }
                    None => {
                        by_content.insert(content, kept.len());
                        kept.push(Some((candidate, definition)));
                    }
                }
            }
        }
        actions.extend(
            kept.into_iter()
                .flatten()
                .map(|(candidate, definition)| Action::AddRelationship { item: candidate.declare(definition) }),
        );
    }
    actions
}

/// Records what identifying `definition` cost: the pairs its join examined since `before`.
fn record_join_work(
    context: &Context,
    policy: &dyn Policy,
    definition: &Relationship,
    before: JoinCounts,
    candidates: usize,
) {
    let now = context.join_counts();
    let endpoints = definition
        .first_selector()
        .map(|set| {
            let kind = |items: &[serde_json::Value]| {
                items.first().and_then(|i| i.get("kind")).and_then(|k| k.as_str()).unwrap_or("").to_owned()
            };
            format!(" {}→{}", kind(set.allow_from()), kind(set.allow_to()))
        })
        .unwrap_or_default();
    context.record_join_work(JoinWork {
        pass: 0,
        policy: policy.id(),
        definition: definition.id().to_owned(),
        label: format!("{}/{}/{}{endpoints}", definition.kind(), definition.rel_type(), definition.sub_type()),
        components: context.design.components.len(),
        counts: JoinCounts { examined: now.examined - before.examined, matched: now.matched - before.matched },
        candidates,
    });
}

/// Phase 3: approve identified relationships (capped per policy), remove deleted ones, and
/// collect every relationship's side effects (which see the pre-approval statuses).
pub fn generate(policies: &[Box<dyn Policy>], context: &Context) -> Vec<Action> {
    let mut actions = Vec::new();
    for policy in policies {
        let implicated: Vec<&Relationship> =
            context.design.relationships.iter().filter(|r| policy.is_implicated_by(r)).collect();
        actions.extend(
            implicated
                .iter()
                .filter(|r| r.status() == Status::IDENTIFIED)
                .take(context.options.max_approvals_per_policy)
                .map(|r| Action::set_status(r.id(), Status::APPROVED)),
        );
        actions.extend(
            implicated
                .iter()
                .filter(|r| r.status() == Status::DELETED)
                .map(|r| Action::DeleteRelationship { id: r.id().to_owned(), relationship: Some((*r).clone()) }),
        );
        for relationship in &implicated {
            actions.extend(policy.side_effects(relationship, context));
        }
    }
    actions
}

/// Runs one pass over `design` in place and reports its actions and trace.
pub fn run_pass(
    design: &mut Design,
    definitions: &[Relationship],
    policies: &[Box<dyn Policy>],
    options: &EngineOptions,
) -> PassOutcome {
    for component in &mut design.components {
        component.normalise_model_name();
    }
    let mut index = DesignIndex::build(design);
    let in_scope = definitions_in_scope(design, &index, definitions);

    let validated = validate(policies, &Context::new(design, &index, options));
    apply(design, &validated); // statuses only: the index stays valid

    let context = Context::new(design, &index, options);
    let identified = identify(policies, &in_scope, &context);
    if let Some(error) = context.take_overflow() {
        return PassOutcome { error: Some(error), ..PassOutcome::default() };
    }
    let join_work = context.take_join_work();
    apply(design, &identified);
    index.extend_relationships(design);

    let additions = inventory_additions(&in_scope, &Context::new(design, &index, options));
    let added_in_pass: HashSet<String> = additions.iter().map(|a| a.target_id().to_owned()).collect();
    if !additions.is_empty() {
        apply(design, &additions);
        index = DesignIndex::build(design);
    }

    let context = Context::new(design, &index, options);
    let generated = generate(policies, &context);
    if let Some(error) = context.take_overflow() {
        return PassOutcome { error: Some(error), ..PassOutcome::default() };
    }
    drop(context);
    let (generated, ties) = resolve_ties(generated);
    drop(index);
    let removed = apply(design, &generated);

    let mut actions = validated;
    actions.extend(identified);
    actions.extend(additions);
    actions.extend(generated);
    let trace = build_trace(&actions, design, &removed, &added_in_pass);
    PassOutcome { actions, trace, ties, error: None, join_work }
}
