//! The stateful evaluator: keeps an evaluated design indexed in memory, takes batches of edits,
//! and answers each with a delta. A batch is a transaction: when any edit or the evaluation
//! fails, the state is exactly as before and the error names the edit and field.
//!
//! A batch is evaluated incrementally (only what it can affect, see `crate::incremental`) unless
//! it changes which definitions apply; then the whole design is evaluated. Both give the same
//! result. Work a previous evaluation left for later (its pass bound ran out) is remembered as
//! `pending` and joins the next batch's restricted pass, so an unsettled design never costs a
//! full pass per edit. With `settleOnLoad`, a load keeps evaluating until nothing is pending.

mod connectable;
mod cycle;
mod delta;
mod duplicates;
mod edit;
mod explain;
mod settle;
mod snapshot;

use crate::engine::Tie;
pub use connectable::{connectable_definitions, ConnectableDefinition};
use delta::classify;
pub use delta::{diff, touched_by, Delta, Diagnostic};
#[cfg(any(feature = "internals", feature = "boundary-bench"))]
pub use edit::parse_edits;
#[cfg(feature = "internals")]
pub use edit::{apply_all, merge_patch};
pub use edit::{edits_from_json, Edit};
#[cfg(feature = "internals")]
pub use explain::Comparison;
pub use explain::{explain, Explanation};
/// The snapshots' MessagePack ⇄ JSON codec, for the boundary benchmark's MessagePack calls.
#[cfg(feature = "boundary-bench")]
pub(crate) use snapshot::msgpack;
#[cfg(feature = "internals")]
pub use snapshot::SNAPSHOT_VERSION;
pub use snapshot::{Snapshot, EXPANDED_SNAPSHOT_VERSION, SNAPSHOT_FORMAT};

use crate::engine::orchestration::{orchestrate, Orchestrated};
use crate::engine::{check_produced_at, deduplicate_actions, definitions_in_scope, Engine, FlapHistory};
use crate::error::{Error, ErrorCode, Result};
use crate::incremental::{scoped_pass, Dirty, PassMode, PassOutput, Store};
use crate::model::{parse_definitions, Action, Design, EvaluationResponse, Relationship};
use crate::options::EngineOptions;
use serde_json::Value;
use std::collections::BTreeSet;

/// How the last batch was evaluated (for diagnostics and benchmarks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum EvaluationPath {
    Incremental,
    Full,
}

/// The largest revision: 2^53 - 1, the largest integer every runtime holds exactly (a JavaScript
/// number, which the wasm `revision` getter returns). Reaching it takes 285 years at a million
/// batches a second; a snapshot claiming more is refused, and a batch past it fails.
pub const MAX_REVISION: u64 = (1 << 53) - 1;

/// A design kept evaluated in memory.
pub struct Evaluator {
    engine: Engine,
    store: Store,
    revision: u64,
    /// What a full pass over the current design would act on besides approvals the cap left
    /// (`None`: nothing, the design is settled). Joins the next batch's restricted pass.
    pending: Option<Dirty>,
    last_path: EvaluationPath,
}

impl Evaluator {
    /// An evaluator over these definitions, holding the empty design at revision 0, evaluated
    /// like any design it will hold (a version, `metadata.resolvedAliases`), so that `design()`
    /// always answers an evaluated design.
    pub fn new(definitions: Vec<Relationship>, options: EngineOptions) -> Evaluator {
        let engine = Engine::new(definitions, options);
        // An empty design has nothing to relate, so no limit or definition can fail it; should
        // that ever change, it stays unevaluated rather than failing construction.
        let empty = engine.evaluate_detached(Design::default()).map(|r| r.design).unwrap_or_default();
        Evaluator { engine, store: Store::new(empty), revision: 0, pending: None, last_path: EvaluationPath::Full }
    }

    /// Like `new`, from definitions JSON (an array) and options JSON (`""` for defaults).
    pub fn from_json(definitions_json: &str, options_json: &str) -> Result<Evaluator> {
        let options = EngineOptions::from_json(options_json)?;
        let definitions = crate::model::definitions_from_json(definitions_json, &options.limits)?;
        Ok(Evaluator::new(definitions, options))
    }

    /// The current (evaluated) design.
    pub fn design(&self) -> &Design {
        &self.store.design
    }

    /// The revision the next successful load or batch gets; past `MAX_REVISION` a typed error
    /// (the state then stays as it is: revisions never wrap).
    fn next_revision(&self) -> Result<u64> {
        self.revision.checked_add(1).filter(|&r| r <= MAX_REVISION).ok_or_else(|| {
            Error::new(
                ErrorCode::LimitExceeded,
                "",
                format!(
                    "revision: the evaluator is at revision {}, the largest there is ({MAX_REVISION})",
                    self.revision
                ),
            )
        })
    }

    /// The number of successful loads and batches so far.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The registered definitions.
    pub fn definitions(&self) -> &[Relationship] {
        self.engine.definitions()
    }

    /// The options.
    pub fn options(&self) -> &EngineOptions {
        self.engine.options()
    }

    /// How the last load or batch was evaluated.
    pub fn last_path(&self) -> EvaluationPath {
        self.last_path
    }

    /// True when a full pass over the current design would produce no action other than
    /// approvals the per-pass cap left for later.
    pub fn is_settled(&self) -> bool {
        self.pending.is_none()
    }

    /// Replaces the design and evaluates it (with `settleOnLoad`, until nothing is pending).
    pub fn load_design(&mut self, design: Design) -> Result<Delta> {
        let mut touched = everything(&self.store.design);
        touched.extend(everything(&design));
        self.commit_full(design, touched, self.engine.options().settle_on_load)
    }

    /// Applies a batch of edits, then evaluates. On error nothing changes; the error path starts
    /// with `/<index of the edit>`. (Never inlined, so profilers can count one batch exactly.)
    #[inline(never)]
    pub fn apply_edits(&mut self, edits: &[Edit]) -> Result<Delta> {
        let limits = &self.engine.options().limits;
        for (i, edit) in edits.iter().enumerate() {
            edit.check_limits(limits, &format!("/{i}"))?;
        }
        let rematched = self.rematched_relationships(edits);
        self.apply_checked_edits(edits, &rematched)
            .map_err(|error| cycle::locate_cycle(&self.store.design, edits, &rematched, error))
    }

    fn apply_checked_edits(&mut self, edits: &[Edit], rematched: &[Vec<String>]) -> Result<Delta> {
        if !edits.iter().any(Edit::changes_scope) {
            if let Some(result) = self.apply_incrementally(edits, rematched) {
                return result;
            }
        }
        // The edits go through a store of their own over a copy: the same applier as the
        // incremental path, with the state untouched until the evaluation succeeds.
        let mut working = Store::new(self.store.design.clone());
        let mut touched = Dirty::default();
        for (i, edit) in edits.iter().enumerate() {
            touched
                .relationships
                .extend(rematched[i].iter().filter(|id| working.index.relationship(id).is_some()).cloned());
            cycle::apply_batch_edit(&mut working, i, edit, &rematched[i])?;
            touched.components.extend(edit.component_ids().into_iter().map(str::to_owned));
            touched.relationships.extend(edit.relationship_ids().into_iter().map(str::to_owned));
        }
        let working = working.design;
        working.limits_check(&self.engine.options().limits)?;
        self.commit_full(working, touched, false)
    }

    /// Replaces the definitions and re-evaluates the design with them.
    pub fn replace_definitions(&mut self, definitions: Vec<Relationship>) -> Result<Delta> {
        let options = self.engine.options().clone();
        let previous = std::mem::replace(&mut self.engine, Engine::new(definitions, options));
        let touched = everything(&self.store.design);
        let design = self.store.design.clone();
        let settle = self.engine.options().settle_on_load;
        self.commit_full(design, touched, settle).inspect_err(|_| self.engine = previous)
    }

    /// A full evaluation of the current design, without changing the state.
    pub fn evaluate(&self) -> Result<EvaluationResponse> {
        self.engine.evaluate_detached(self.store.design.clone())
    }

    /// A full evaluation of another design with this evaluator's definitions and options,
    /// without changing the state (one-off evaluations: previews, a React hook, a CLI).
    pub fn evaluate_design(&self, design: Design) -> Result<EvaluationResponse> {
        self.engine.evaluate_detached(design)
    }

    /// Evaluates `design` fully (and with `settle`, on until nothing is pending); on success it
    /// becomes the state and the delta against the old state is returned.
    fn commit_full(&mut self, design: Design, mut touched: Dirty, settle: bool) -> Result<Delta> {
        let revision = self.next_revision()?;
        // Flap history is per evaluation: alternating edits by a person are not flapping.
        *self.engine.flap_history_mut() = FlapHistory::default();
        let response = self.engine.evaluate_without_hash(design)?;
        let previous = std::mem::replace(&mut self.store, Store::new(response.design));
        let previous_pending = self.pending.take();
        let mut actions = response.actions;
        let mut ties: Vec<Tie> = self.engine.last_ties().to_vec();
        let mut diagnostics = Vec::new();
        self.pending = self.pending_after_evaluation();
        if settle {
            self.store.begin();
            match self.settle() {
                Ok(mut settled) => {
                    if !settled.actions.is_empty() {
                        actions.extend(std::mem::take(&mut settled.actions));
                        actions = deduplicate_actions(actions);
                    }
                    diagnostics.extend(settled.diagnostic);
                    // The conflicts of the settled design (its last pass), not of the first.
                    ties = settled.ties;
                }
                Err(error) => {
                    self.store = previous;
                    self.pending = previous_pending;
                    return Err(error);
                }
            }
        }
        self.store.prepare_joins(self.engine.definitions(), self.engine.options());
        for action in &actions {
            touched_by(action, &mut touched.components, &mut touched.relationships);
        }
        let mut delta = diff(&previous.design, &self.store.design, &touched.components, &touched.relationships);
        delta.actions = actions;
        delta.diagnostics = ties.iter().map(Diagnostic::patch_conflict).chain(diagnostics).collect();
        delta.diagnostics.extend(duplicates::duplicate_diagnostics(&self.store.design, &self.store.index, &delta));
        self.last_path = EvaluationPath::Full;
        self.revision = revision;
        delta.revision = self.revision;
        Ok(delta)
    }

    /// After `engine.evaluate`: what its last pass touched is all a further pass could act on
    /// (every pass acts on all the work of the design it starts from, but for approvals past the
    /// cap, which restricted passes find through the index), as between restricted passes.
    fn pending_after_evaluation(&mut self) -> Option<Dirty> {
        let last = self.engine.last_pass();
        let mut next = Dirty::default();
        for action in &last.actions {
            next.add_action(action);
        }
        next.components.extend(last.changed_aliases.iter().cloned());
        if self.check_quiescent(next.clone()) {
            None
        } else {
            Some(next)
        }
    }

    /// After a restore: nothing pending, or (not knowing what the last pass left unfinished)
    /// everything.
    fn pending_after_full_pass(&mut self) -> Option<Dirty> {
        let all = everything(&self.store.design);
        if self.check_quiescent(all.clone()) {
            None
        } else {
            Some(all)
        }
    }

    /// True when a pass over the design, restricted to `dirty`, finds nothing to do.
    fn check_quiescent(&mut self, dirty: Dirty) -> bool {
        let output = scoped_pass(
            &mut self.store,
            self.engine.definitions(),
            self.engine.policies(),
            self.engine.options(),
            dirty,
            PassMode::Check,
        );
        output.actions.is_empty() && !output.next.overflow
    }

    /// With `rematchOnEdit`, per edit, the ids of the relationships it drops first: those naming
    /// the component it edits (as the batch starts); empty lists otherwise.
    fn rematched_relationships(&self, edits: &[Edit]) -> Vec<Vec<String>> {
        let rematch = self.engine.options().rematch_on_edit;
        edits
            .iter()
            .map(|edit| match edit.rematched_component().filter(|_| rematch) {
                Some(id) => self
                    .store
                    .index
                    .relationships_of_component(id)
                    .iter()
                    .map(|&p| self.store.design.relationships[p].id().to_owned())
                    .collect(),
                None => Vec::new(),
            })
            .collect()
    }

    /// The incremental path; `None` when the batch turns out to need a full evaluation (the set
    /// of applicable definitions changed), after rolling back.
    fn apply_incrementally(&mut self, edits: &[Edit], rematched: &[Vec<String>]) -> Option<Result<Delta>> {
        self.store.begin();
        let result = self.run_incremental(edits, rematched);
        match result {
            Ok(Some(delta)) => Some(Ok(delta)),
            Ok(None) => {
                self.store.rollback(0);
                None
            }
            Err(error) => {
                self.store.rollback(0);
                Some(Err(error))
            }
        }
    }

    fn run_incremental(&mut self, edits: &[Edit], rematched: &[Vec<String>]) -> Result<Option<Delta>> {
        let scope_before = self.scope();
        // Work an earlier evaluation left for later is part of this one, as in a full pass.
        let mut dirty = self.pending.clone().unwrap_or_default();
        for (i, edit) in edits.iter().enumerate() {
            for id in &rematched[i] {
                if let Some(position) = self.store.index.relationship(id) {
                    dirty.add_endpoints(&self.store.design.relationships[position].clone());
                    self.store.remove_relationship(position);
                    dirty.relationships.insert(id.clone());
                }
            }
            // A relationship an edit adds, removes or changes can change what identification
            // skips as existing: its components are dirty before and after the edit.
            let relationships = edit.relationship_ids();
            for id in &relationships {
                if let Some(position) = self.store.index.relationship(id) {
                    dirty.add_endpoints(&self.store.design.relationships[position].clone());
                }
            }
            edit.apply(&mut self.store, &format!("/{i}"))?;
            for id in &relationships {
                if let Some(position) = self.store.index.relationship(id) {
                    dirty.add_endpoints(&self.store.design.relationships[position].clone());
                }
            }
            dirty.components.extend(edit.component_ids().into_iter().map(str::to_owned));
            dirty.relationships.extend(relationships.into_iter().map(str::to_owned));
        }
        self.store.design.limits_check(&self.engine.options().limits)?;

        let max_passes = self.engine.options().max_passes;
        let mut passes =
            RestrictedPasses { evaluator: self, scope_before, dirty, actions: Vec::new(), ties: Vec::new() };
        let orchestrated = orchestrate(&mut passes, max_passes, &mut FlapHistory::default())?;
        let RestrictedPasses { scope_before, dirty, actions, ties, .. } = passes;
        if orchestrated == Orchestrated::HandedOver {
            return Ok(None);
        }
        if !scope_before.is_superset(&self.scope()) {
            return Ok(None);
        }
        {
            let store = &self.store;
            let changed = classify(&store.components_touched, |id| store.index.component(id), &store.design.components);
            let mut positions: Vec<usize> = changed.added.iter().chain(&changed.updated).copied().collect();
            positions.sort_unstable();
            check_produced_at(&store.design, positions.into_iter(), &self.engine.options().limits)?;
        }
        let revision = self.next_revision()?;
        self.pending = if self.check_quiescent(dirty.clone()) { None } else { Some(dirty) };
        self.last_path = EvaluationPath::Incremental;
        self.revision = revision;
        let mut delta = self.delta_of_batch();
        delta.actions = deduplicate_actions(actions);
        delta.diagnostics = ties.iter().map(Diagnostic::patch_conflict).collect();
        delta.diagnostics.extend(duplicates::duplicate_diagnostics(&self.store.design, &self.store.index, &delta));
        delta.revision = self.revision;
        Ok(Some(delta))
    }

    /// One restricted pass from `dirty` over the store, with this evaluator's definitions,
    /// policies and options, applied: its actions, what the next pass must look at and its
    /// conflicting patches.
    fn restricted_pass(&mut self, dirty: Dirty) -> PassOutput {
        let engine = &self.engine;
        scoped_pass(&mut self.store, engine.definitions(), engine.policies(), engine.options(), dirty, PassMode::Apply)
    }

    /// Indices of the definitions that apply to the current design.
    fn scope(&self) -> BTreeSet<usize> {
        let definitions = self.engine.definitions();
        definitions_in_scope(&self.store.design, &self.store.index, definitions)
            .into_iter()
            .map(|d| definitions.iter().position(|x| std::ptr::eq(x, d)).unwrap_or(usize::MAX))
            .collect()
    }

    /// The delta of the batch, from what the store saw touched.
    fn delta_of_batch(&self) -> Delta {
        let store = &self.store;
        let components = classify(&store.components_touched, |id| store.index.component(id), &store.design.components);
        let relationships =
            classify(&store.relationships_touched, |id| store.index.relationship(id), &store.design.relationships);
        Delta::of(&store.design, components, relationships)
    }

    /// The whole state as a snapshot.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            format: SNAPSHOT_FORMAT.into(),
            version: EXPANDED_SNAPSHOT_VERSION,
            revision: self.revision,
            options: self.engine.options().clone(),
            definitions: self.engine.definitions().iter().map(|d| (*d.0).clone()).collect(),
            design: self.store.design.to_value(),
        }
    }

    /// An evaluator identical to the one the snapshot was taken of.
    pub fn restore(snapshot: Snapshot) -> Result<Evaluator> {
        if snapshot.revision > MAX_REVISION {
            return Err(Error::new(
                ErrorCode::InvalidSnapshot,
                "/revision",
                format!("the revision {} is past the largest there is ({MAX_REVISION})", snapshot.revision),
            ));
        }
        let options = snapshot.options.checked()?;
        let definitions = parse_definitions(Value::Array(snapshot.definitions), &options.limits)
            .map_err(|e| e.under("/definitions"))?;
        let design = Design::from_value(snapshot.design, &options.limits).map_err(|e| e.under("/design"))?;
        let mut evaluator = Evaluator {
            engine: Engine::new(definitions, options),
            store: Store::new(design),
            revision: snapshot.revision,
            pending: None,
            last_path: EvaluationPath::Full,
        };
        evaluator.pending = evaluator.pending_after_full_pass();
        Ok(evaluator)
    }

    /// Why a relationship of the current design holds.
    pub fn explain(&self, relationship_id: &str) -> Result<Explanation> {
        explain(&self.store.design, &self.store.index, self.engine.definitions(), relationship_id)
    }

    /// The definitions in scope (their model is in the design and their layer enabled) that
    /// would relate component `from_id` (from side) to `to_id` (to side), in registration order.
    pub fn connectable_definitions(&self, from_id: &str, to_id: &str) -> Result<Vec<ConnectableDefinition>> {
        let definitions = self.engine.definitions();
        let in_scope = self.scope().into_iter().filter_map(|i| definitions.get(i).map(|d| (i, d)));
        connectable_definitions(&self.store.design, &self.store.index, in_scope, from_id, to_id)
    }
}

/// The passes of a batch evaluated incrementally: each restricted to what the previous one
/// changed (the first: what the edits touched and what was pending). They hand over to a full
/// evaluation when a definition comes into scope (it can match anywhere) or a bound is hit (the
/// full path reports it, naming the definition).
struct RestrictedPasses<'e> {
    evaluator: &'e mut Evaluator,
    scope_before: BTreeSet<usize>,
    dirty: Dirty,
    actions: Vec<Action>,
    /// The conflicts of the last pass, as a full evaluation reports them.
    ties: Vec<Tie>,
}

impl crate::engine::orchestration::Passes for RestrictedPasses<'_> {
    type Target = Store;

    fn target(&mut self) -> &mut Store {
        &mut self.evaluator.store
    }

    fn run(&mut self, _number: usize) -> Result<Option<Vec<Action>>> {
        if !self.scope_before.is_superset(&self.evaluator.scope()) {
            return Ok(None);
        }
        let PassOutput { actions, next, ties } = self.evaluator.restricted_pass(std::mem::take(&mut self.dirty));
        if next.overflow {
            return Ok(None);
        }
        self.dirty = next;
        self.ties = ties;
        Ok(Some(actions))
    }

    fn record(&mut self, actions: Vec<Action>, changed_aliases: Vec<String>) {
        self.dirty.components.extend(changed_aliases);
        self.actions.extend(actions);
    }
}

/// Every component and relationship id of a design: what a full evaluation may have changed (the
/// candidates a delta compares), or all a pass must look at when nothing is known.
fn everything(design: &Design) -> Dirty {
    Dirty {
        components: design.components.iter().map(|c| c.id().to_owned()).collect(),
        relationships: design.relationships.iter().map(|r| r.id().to_owned()).collect(),
        overflow: false,
    }
}

impl Design {
    /// Checks the component and relationship counts against the limits (edits can grow a design).
    pub fn limits_check(&self, limits: &crate::limits::Limits) -> Result<()> {
        limits.check_count("maxComponents", "/components", self.components.len(), limits.max_components)?;
        limits.check_count("maxRelationships", "/relationships", self.relationships.len(), limits.max_relationships)
    }
}
