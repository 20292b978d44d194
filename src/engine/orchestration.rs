//! The orchestration loop of spec §5, written once for both ways of running a pass: the full
//! evaluation (`Engine::orchestrate`: each pass over the whole design) and the stateful
//! evaluator's restricted passes (`Evaluator::run_incremental`: each pass over what changed).
//! Every pass is followed by the same steps, here and nowhere else: the flap check, the version
//! bump and the alias resolution; another pass follows while a pass changed what identification
//! reads, up to `maxPasses`.

use super::aliases::resolve_aliases;
use super::safety::{actions_fingerprint, FlapHistory, FLAPPING_CODE};
use super::version::bump_version;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{Action, Design};
use serde_json::{Map, Value};

/// The design a pass works on, and how its top-level fields are written (a `Store` journals
/// them for rollback and keeps its alias index current).
pub trait PassTarget {
    fn design(&self) -> &Design;
    fn set_version(&mut self, version: String);
    fn set_resolved_aliases(&mut self, aliases: Map<String, Value>);
    /// False when the design certainly holds no alias relationship: resolution is skipped.
    fn may_have_aliases(&self) -> bool {
        true
    }
}

impl PassTarget for Design {
    fn design(&self) -> &Design {
        self
    }
    fn set_version(&mut self, version: String) {
        self.set_field("version", Value::String(version));
    }
    fn set_resolved_aliases(&mut self, aliases: Map<String, Value>) {
        self.metadata_mut().insert("resolvedAliases".into(), Value::Object(aliases));
    }
}

/// One way of running the passes of an evaluation.
pub trait Passes {
    type Target: PassTarget;
    fn target(&mut self) -> &mut Self::Target;
    /// Runs pass `number` (from 0) and applies its actions, which it returns; `None` hands the
    /// evaluation over to another path (the incremental one cannot finish it).
    fn run(&mut self, number: usize) -> Result<Option<Vec<Action>>>;
    /// Takes a finished pass's actions, and the alias components whose resolution it changed.
    fn record(&mut self, actions: Vec<Action>, changed_aliases: Vec<String>);
}

/// How an orchestration ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Orchestrated {
    /// No pass asked for another, or `maxPasses` ran.
    Completed,
    /// `Passes::run` handed the evaluation over.
    HandedOver,
}

/// Runs passes while the last one changed what identification reads (Meshery's
/// `EvaluateDesignOrchestrated`), each followed by `check_flapping` and `finish_pass`.
pub fn orchestrate<P: Passes>(passes: &mut P, max_passes: usize, flaps: &mut FlapHistory) -> Result<Orchestrated> {
    for number in 0..max_passes.max(1) {
        let Some(actions) = passes.run(number)? else {
            return Ok(Orchestrated::HandedOver);
        };
        check_flapping(passes.target().design(), &actions, flaps)?;
        let changed_aliases = finish_pass(passes.target())?;
        let again = actions.iter().any(Action::triggers_reevaluation);
        passes.record(actions, changed_aliases);
        if !again {
            break;
        }
    }
    Ok(Orchestrated::Completed)
}

/// Meshery's flap check after a pass: `FLAPPING` when the last four passes' actions read A,B,A,B.
/// (An alternation of one item that other changes hide is seen while settling, where it stops
/// settling with a diagnostic rather than failing an evaluation Meshery would complete.)
pub fn check_flapping(design: &Design, actions: &[Action], flaps: &mut FlapHistory) -> Result<()> {
    if flaps.record_and_check(design.id(), actions_fingerprint(actions)) {
        return Err(Error::new(
            ErrorCode::Flapping,
            "",
            format!("{FLAPPING_CODE}: flapping detected: design {} alternates between two action sets", design.id()),
        ));
    }
    Ok(())
}

/// What follows every pass: the design's version is bumped and its aliases resolved again into
/// `metadata.resolvedAliases`. Returns the alias components whose resolution changed (their
/// configuration reads through another component now, or no longer).
pub fn finish_pass(target: &mut impl PassTarget) -> Result<Vec<String>> {
    let version = bump_version(target.design().version());
    target.set_version(version);
    let aliases = if target.may_have_aliases() { resolve_aliases(target.design())? } else { Map::new() };
    let changed = {
        let previous = target.design().resolved_aliases();
        let was = |id: &str| previous.and_then(|p| p.get(id));
        let gone = previous.into_iter().flat_map(|p| p.keys()).filter(|id| !aliases.contains_key(*id));
        aliases
            .iter()
            .filter(|(id, entry)| was(id) != Some(*entry))
            .map(|(id, _)| id.clone())
            .chain(gone.cloned())
            .collect()
    };
    target.set_resolved_aliases(aliases);
    Ok(changed)
}
