//! Settling a loaded design: Meshery's evaluation stops after five passes and approves at most
//! 100 relationships per policy per pass, so a large design is left with work for later, which
//! every later edit would then carry. With `settleOnLoad` the evaluator keeps running restricted
//! passes until one finds nothing to do, so later edits carry only their own consequences.

use super::{Diagnostic, Evaluator};
use crate::engine::orchestration::finish_pass;
use crate::engine::{ItemFlaps, Tie};
use crate::error::{ErrorCode, Result};
use crate::incremental::PassOutput;
use crate::model::Action;
use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

/// What settling did: its actions, and why it stopped early if it did.
#[derive(Default)]
pub(super) struct Settled {
    pub actions: Vec<Action>,
    pub diagnostic: Option<Diagnostic>,
    /// Conflicting patches of the last pass that changed something.
    pub ties: Vec<Tie>,
}

impl Evaluator {
    /// Runs restricted passes from what is pending until a pass finds nothing to do, a pass
    /// repeats an earlier pass's actions or some item's changes alternate A,B,A,B (the design
    /// cycles through states: it never settles), or `maxSettlePasses` passes ran. The last two leave the rest pending and say so in a
    /// diagnostic; the state is a valid evaluated design either way.
    pub(super) fn settle(&mut self) -> Result<Settled> {
        let max_passes = self.engine.options().max_settle_passes;
        let mut dirty = self.pending.take().unwrap_or_default();
        let mut seen: HashSet<u64> = HashSet::new();
        // Per item, as in a full evaluation's flap check: other items changing cannot hide it.
        let mut items = ItemFlaps::default();
        let mut settled = Settled::default();
        for _ in 0..max_passes {
            let mark = self.store.mark();
            let PassOutput { actions, mut next, ties } = self.restricted_pass(dirty.clone());
            settled.ties = ties;
            if next.overflow {
                self.store.rollback(mark);
                self.pending = Some(dirty);
                settled.diagnostic = Some(diagnostic(
                    ErrorCode::LimitExceeded,
                    "/limits",
                    "settling stopped: a pass would create more relationships than the limits allow".into(),
                ));
                return Ok(settled);
            }
            if actions.is_empty() {
                // Nothing to do: the design is settled (and its version stays).
                self.store.rollback(mark);
                return Ok(settled);
            }
            next.components.extend(finish_pass(&mut self.store)?);
            let repeated = !seen.insert(fingerprint(&actions));
            let flapping = items.record_items_and_check(&actions);
            settled.actions.extend(actions);
            dirty = next;
            if !flapping.is_empty() {
                self.pending = Some(dirty);
                let mut stopped = diagnostic(
                    ErrorCode::Flapping,
                    "",
                    format!(
                        "settling stopped: {} item{} of the design alternate{} between two sets of changes \
                         (the relationships patching {} undo each other every other pass)",
                        flapping.len(),
                        if flapping.len() == 1 { "" } else { "s" },
                        if flapping.len() == 1 { "s" } else { "" },
                        if flapping.len() == 1 { "it" } else { "them" },
                    ),
                );
                stopped.ids = flapping;
                settled.diagnostic = Some(stopped);
                return Ok(settled);
            }
            if repeated {
                self.pending = Some(dirty);
                settled.diagnostic = Some(diagnostic(
                    ErrorCode::Flapping,
                    "",
                    format!(
                        "settling stopped: the design cycles through the same changes (pass {} repeats an earlier one); \
                         the relationships involved keep patching each other",
                        seen.len() + 1
                    ),
                ));
                return Ok(settled);
            }
        }
        self.pending = Some(dirty);
        settled.diagnostic = Some(diagnostic(
            ErrorCode::LimitExceeded,
            "/maxSettlePasses",
            format!("settling stopped after {max_passes} passes with work left; edits will carry it"),
        ));
        Ok(settled)
    }
}

fn diagnostic(code: ErrorCode, path: &str, message: String) -> Diagnostic {
    Diagnostic { code: code.as_str().to_owned(), message, path: path.to_owned(), ids: Vec::new() }
}

/// A deterministic hash of a pass's actions (their order included: a pass emits in a fixed
/// order, so the same actions come out the same way).
fn fingerprint(actions: &[Action]) -> u64 {
    let mut hasher = DefaultHasher::new();
    for action in actions {
        serde_json::to_string(action).unwrap_or_default().hash(&mut hasher);
    }
    hasher.finish()
}
