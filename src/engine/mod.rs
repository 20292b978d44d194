//! The engine: the orchestration loop over passes (spec §5) and the public entry points.

mod aliases;
pub(crate) mod apply;
pub(crate) mod orchestration;
mod pass;
mod safety;
mod trace;
mod version;

pub use aliases::resolve_aliases;
pub use pass::{definitions_in_scope, identify_with, run_pass};
pub use safety::{resolve_ties, FlapHistory, ItemFlaps, Tie};
pub use trace::merge_trace_unique;
// Meshery's helpers one by one, for the tests that check them (`internals`, src/lib.rs).
#[cfg(feature = "internals")]
pub use {
    apply::{apply, Removed},
    pass::{generate, identify, validate, PassOutcome},
    safety::{actions_fingerprint, FLAPPING_CODE},
    trace::build_trace,
    version::bump_version,
};

use crate::context::JoinWork;
use crate::error::{Error, Result};
use crate::model::{Action, Design, EvaluationResponse, Relationship, Trace, RESPONSE_SCHEMA_VERSION};
use crate::options::EngineOptions;
use crate::policy::{registered_policies, Policy};
use crate::time::now_rfc3339;
use crate::values::go_json;
use safety::hex;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::sync::OnceLock;

/// What the last pass of an evaluation did: enough for the stateful evaluator to know which part
/// of the design a further pass could still act on, without running one over everything.
#[derive(Debug, Clone, Default)]
pub struct LastPass {
    pub actions: Vec<Action>,
    /// Alias components whose resolution that pass changed (their configuration reads through
    /// another component now, or no longer).
    pub changed_aliases: Vec<String>,
    pub ties: Vec<Tie>,
}

/// An engine with registered definitions. It keeps Meshery's flap history across evaluations
/// (as Meshery's in-browser engine does) and the ties of its last pass.
pub struct Engine {
    definitions: Vec<Relationship>,
    /// SHA-256 of the definitions, for `evaluationHash`: computed on the first hashed evaluation,
    /// so an engine that never hashes (the stateful evaluator's) never pays for it.
    definitions_digest: OnceLock<[u8; 32]>,
    policies: Vec<Box<dyn Policy>>,
    options: EngineOptions,
    flaps: FlapHistory,
    last_ties: Vec<Tie>,
    last_pass: LastPass,
    join_work: Vec<JoinWork>,
}

impl Engine {
    /// An engine over these definitions (already decoded, see `parse_definitions`).
    pub fn new(definitions: Vec<Relationship>, options: EngineOptions) -> Engine {
        Engine {
            definitions,
            definitions_digest: OnceLock::new(),
            policies: registered_policies(),
            options,
            flaps: FlapHistory::default(),
            last_ties: Vec::new(),
            last_pass: LastPass::default(),
            join_work: Vec::new(),
        }
    }

    /// The registered definitions.
    pub fn definitions(&self) -> &[Relationship] {
        &self.definitions
    }

    /// The engine options.
    pub fn options(&self) -> &EngineOptions {
        &self.options
    }

    /// Replaces the options (the flap history is kept).
    pub fn set_options(&mut self, options: EngineOptions) {
        self.options = options;
    }

    /// The registered policies, in Meshery's order.
    pub fn policies(&self) -> &[Box<dyn Policy>] {
        &self.policies
    }

    /// The flap history (to seed it in tests or carry it over).
    pub fn flap_history_mut(&mut self) -> &mut FlapHistory {
        &mut self.flaps
    }

    /// The ties of the most recent pass.
    pub fn last_ties(&self) -> &[Tie] {
        &self.last_ties
    }

    /// One pass (Meshery's `EvaluateDesign`) followed by the flap check.
    pub fn evaluate_pass(&mut self, design: &mut Design) -> Result<pass::PassOutcome> {
        let outcome = self.one_pass(design)?;
        orchestration::check_flapping(design, &outcome.actions, &mut self.flaps)?;
        self.last_ties = outcome.ties.clone();
        Ok(outcome)
    }

    /// One pass over the whole design, failing with the bound it hit, if any.
    fn one_pass(&self, design: &mut Design) -> Result<pass::PassOutcome> {
        let mut outcome = run_pass(design, &self.definitions, &self.policies, &self.options);
        match outcome.error.take() {
            Some(error) => Err(error),
            None => Ok(outcome),
        }
    }

    /// The full evaluation (Meshery's `EvaluateDesignOrchestrated`): up to five passes while a
    /// pass adds or deletes components or changes configurations. The flap history carries over
    /// to later calls, as in Meshery's in-browser engine.
    pub fn evaluate(&mut self, design: Design) -> Result<EvaluationResponse> {
        self.evaluate_hashed(design, Hashed::Yes)
    }

    /// `evaluate` for the stateful evaluator, which keeps the evaluated design and the actions
    /// and drops the rest of the response: `evaluationHash`, the SHA-256 of the whole input and
    /// about a fifth of a full evaluation's instructions, is left empty.
    pub(crate) fn evaluate_without_hash(&mut self, design: Design) -> Result<EvaluationResponse> {
        self.evaluate_hashed(design, Hashed::No)
    }

    fn evaluate_hashed(&mut self, design: Design, hashed: Hashed) -> Result<EvaluationResponse> {
        let mut flaps = std::mem::take(&mut self.flaps);
        let mut last = LastPass::default();
        let mut work = Vec::new();
        let result = self.orchestrate(design, hashed, &mut flaps, &mut last, &mut work);
        self.flaps = flaps;
        self.join_work = work;
        self.last_ties = last.ties.clone();
        self.last_pass = last;
        result
    }

    /// The pairs each (policy, definition) examined in each pass of the most recent `evaluate`
    /// (see `JoinWork`); a benchmark's view of how much work the joins did.
    pub fn join_work(&self) -> &[JoinWork] {
        &self.join_work
    }

    /// The last pass of the most recent `evaluate`.
    pub fn last_pass(&self) -> &LastPass {
        &self.last_pass
    }

    /// The same evaluation with a flap history of its own: nothing of the engine changes, so
    /// it can serve one-off evaluations next to a stateful use.
    pub fn evaluate_detached(&self, design: Design) -> Result<EvaluationResponse> {
        self.orchestrate(design, Hashed::Yes, &mut FlapHistory::default(), &mut LastPass::default(), &mut Vec::new())
    }

    fn orchestrate(
        &self,
        design: Design,
        hashed: Hashed,
        flaps: &mut FlapHistory,
        last: &mut LastPass,
        work: &mut Vec<JoinWork>,
    ) -> Result<EvaluationResponse> {
        // An alias loop in the input is reported against the input's own positions.
        resolve_aliases(&design)?;
        let evaluation_hash = match hashed {
            Hashed::Yes => self.evaluation_hash(&design),
            Hashed::No => String::new(),
        };
        let mut passes = FullPasses { engine: self, design, actions: Vec::new(), trace: Trace::default(), last, work };
        orchestration::orchestrate(&mut passes, self.options.max_passes, flaps)?;
        let FullPasses { mut design, actions, trace, .. } = passes;
        check_produced(
            &design,
            trace.components_added.iter().chain(&trace.components_updated).map(|c| c.id()),
            &self.options.limits,
        )?;
        if self.options.return_diff_only {
            design.components = trace.components_added.iter().chain(&trace.components_updated).cloned().collect();
            design.relationships = trace
                .relationships_added
                .iter()
                .chain(&trace.relationships_removed)
                .chain(&trace.relationships_updated)
                .cloned()
                .collect();
        }
        Ok(EvaluationResponse {
            schema_version: RESPONSE_SCHEMA_VERSION.into(),
            design,
            actions: deduplicate_actions(actions),
            trace,
            evaluation_hash,
            timestamp: if self.options.include_timestamp { now_rfc3339() } else { None },
        })
    }

    /// SHA-256 of the design, the definitions and the options.
    fn evaluation_hash(&self, design: &Design) -> String {
        let mut digest = Sha256::new();
        let _ = serde_json::to_writer(HashWriter(&mut digest), design);
        digest.update(b"\n");
        digest.update(self.definitions_digest.get_or_init(|| {
            let mut digest = Sha256::new();
            for definition in &self.definitions {
                let _ = serde_json::to_writer(HashWriter(&mut digest), definition);
            }
            digest.finalize().into()
        }));
        // Options of the stateful evaluator alone do not change what one evaluation computes.
        let evaluated_with = EngineOptions {
            settle_on_load: false,
            max_settle_passes: crate::options::DEFAULT_MAX_SETTLE_PASSES,
            rematch_on_edit: false,
            ..self.options.clone()
        };
        let _ = serde_json::to_writer(HashWriter(&mut digest), &evaluated_with);
        hex(&digest.finalize())
    }
}

/// Whether a response carries its `evaluationHash`.
#[derive(Clone, Copy)]
enum Hashed {
    Yes,
    No,
}

/// The passes of a full evaluation: each over the whole design, collecting the actions, the
/// trace, what the last pass did and the joins' work.
struct FullPasses<'e, 'l> {
    engine: &'e Engine,
    design: Design,
    actions: Vec<Action>,
    trace: Trace,
    last: &'l mut LastPass,
    work: &'l mut Vec<JoinWork>,
}

impl orchestration::Passes for FullPasses<'_, '_> {
    type Target = Design;

    fn target(&mut self) -> &mut Design {
        &mut self.design
    }

    fn run(&mut self, number: usize) -> Result<Option<Vec<Action>>> {
        let mut outcome = self.engine.one_pass(&mut self.design)?;
        self.work.extend(outcome.join_work.drain(..).map(|w| JoinWork { pass: number, ..w }));
        self.last.ties = outcome.ties;
        merge_trace_unique(&mut self.trace, outcome.trace);
        Ok(Some(outcome.actions))
    }

    fn record(&mut self, actions: Vec<Action>, changed_aliases: Vec<String>) {
        self.last.changed_aliases = changed_aliases;
        self.last.actions = actions.clone();
        self.actions.extend(actions);
    }
}

/// Checks what an evaluation produced against the limits the input was held to, so that every
/// state an evaluation leaves can be read back: the counts (evaluation adds relationships and
/// components) and, for the components it added or patched (`changed`), depth and string sizes.
pub fn check_produced<'a>(
    design: &Design,
    changed: impl Iterator<Item = &'a str>,
    limits: &crate::limits::Limits,
) -> Result<()> {
    let changed: HashSet<&str> = changed.collect();
    let positions = design.components.iter().enumerate().filter(|(_, c)| changed.contains(c.id())).map(|(p, _)| p);
    check_produced_at(design, positions, limits)
}

/// `check_produced` for the components at these positions (ascending), when the caller knows
/// them: no scan of the design.
pub fn check_produced_at(
    design: &Design,
    positions: impl Iterator<Item = usize>,
    limits: &crate::limits::Limits,
) -> Result<()> {
    let produced = |error: Error| {
        Error::new(
            error.code,
            error.path,
            format!("{} (in what evaluation produced: a patch or a created item)", error.message),
        )
    };
    design.limits_check(limits).map_err(produced)?;
    for position in positions {
        limits
            .check_value_at(
                &design.components[position].0,
                &format!("/components/{position}"),
                crate::limits::COMPONENT_LEVEL,
            )
            .map_err(produced)?;
    }
    Ok(())
}

/// Feeds serde_json output straight into a hash, without building the text.
struct HashWriter<'a>(&'a mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Drops exact repeats of an action across passes, keeping the first; unlike Meshery (one
/// action per (op, id)), two different patches of one component are both kept.
pub fn deduplicate_actions(actions: Vec<Action>) -> Vec<Action> {
    let mut seen: HashSet<(&'static str, String, String)> = HashSet::new();
    actions
        .into_iter()
        .filter(|action| {
            let detail = match action {
                Action::UpdateComponent { path, value, .. }
                | Action::UpdateComponentConfiguration { path, value, .. } => {
                    format!("{}\0{}", path.join("\0"), go_json(value))
                }
                Action::RemoveComponentConfiguration { path, .. } => path.join("\0"),
                Action::UpdateRelationship { path, value, .. } => format!("{path}\0{}", go_json(value)),
                _ => String::new(),
            };
            seen.insert((action.op().as_str(), action.target_id().to_owned(), detail))
        })
        .collect()
}

/// Evaluates a design against definitions with a fresh engine.
pub fn evaluate(design: Design, definitions: Vec<Relationship>, options: EngineOptions) -> Result<EvaluationResponse> {
    Engine::new(definitions, options).evaluate(design)
}
