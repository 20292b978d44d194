//! Options of an evaluation: Meshery's request options plus our engine limits.

use crate::error::{Error, ErrorCode, Result};
use crate::limits::Limits;
use serde::{Deserialize, Serialize};

/// Options accepted by `evaluate` (Meshery's `{returnDiffOnly, enableTrace}` and ours).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "ResolvedEngineOptions"))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct EngineOptions {
    /// Return only what changed as the design (Meshery's `returnDiffOnly`).
    pub return_diff_only: bool,
    /// Accepted for compatibility; the trace is always built (as in Meshery).
    pub enable_trace: bool,
    /// Passes of the orchestration loop (1–5; Meshery's re-evaluation depth is 5).
    pub max_passes: usize,
    /// At most this many `identified → approved` transitions per policy per pass (Meshery: 100).
    pub max_approvals_per_policy: usize,
    /// At most this many match-label groups per definition per pass (Meshery: 20).
    pub max_match_label_groups: usize,
    /// Add `timestamp` (RFC 3339, wall clock) to the response. Off by default for determinism.
    pub include_timestamp: bool,
    /// Stateful evaluator only: after a load (or new definitions), keep evaluating until nothing
    /// is pending, so later edits carry only their own consequences. One-shot evaluation keeps
    /// Meshery's single evaluation and ignores it. Off by default (Meshery's behaviour); the npm
    /// package turns it on.
    pub settle_on_load: bool,
    /// The most passes settling may take before it stops with a diagnostic.
    pub max_settle_passes: usize,
    /// Stateful evaluator only: an edit of a component's namespace, labels or configuration first
    /// removes every relationship naming that component, so evaluation keeps only those that
    /// still hold, instead of patching the component (or its parent) back to match them. Off by
    /// default (Meshery's behaviour); the npm package turns it on.
    pub rematch_on_edit: bool,
    /// Input size limits.
    pub limits: Limits,
}

/// Enough for 1,000,000 relationships approved 100 per pass by one policy, with room for the
/// passes their patches take.
pub const DEFAULT_MAX_SETTLE_PASSES: usize = 10_100;

/// Meshery's orchestration depth.
pub const MAX_RE_EVALUATION_DEPTH: usize = 5;

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            return_diff_only: false,
            enable_trace: false,
            max_passes: MAX_RE_EVALUATION_DEPTH,
            max_approvals_per_policy: 100,
            max_match_label_groups: 20,
            include_timestamp: false,
            settle_on_load: false,
            max_settle_passes: DEFAULT_MAX_SETTLE_PASSES,
            rematch_on_edit: false,
            limits: Limits::default(),
        }
    }
}

impl EngineOptions {
    /// Parses options JSON (`""` and `null` mean defaults; anything else must be an object: serde
    /// would read `[]` as a struct of defaults).
    pub fn from_json(text: &str) -> Result<EngineOptions> {
        if text.trim().is_empty() || text.trim() == "null" {
            return Ok(EngineOptions::default());
        }
        // Checked on the text, not through a `Value`: decoding options from a `Value` would add a
        // second copy of their decoder to the WebAssembly module.
        if !text.trim_start().starts_with('{') {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "",
                "bad options: expected a JSON object (or null for the defaults)",
            ));
        }
        // Duplicate keys first: serde would keep the last of two map entries silently. Any other
        // error is the typed decoder's to report, as `INVALID_OPTION`.
        if let Err(error) = crate::reading::check_json(text, crate::limits::DEEPEST_NESTING) {
            if error.code == ErrorCode::DuplicateKey {
                return Err(error);
            }
        }
        serde_json::from_str(text)
            .map_err(|e| Error::new(ErrorCode::InvalidOption, "", format!("bad options: {e}")))
            .and_then(EngineOptions::checked)
    }

    /// Refuses a pass count outside 1–5 (Meshery clamps its own depth argument; an option that
    /// silently meant something else would be worse) and zero caps.
    pub fn checked(self) -> Result<EngineOptions> {
        if self.max_passes == 0 || self.max_passes > MAX_RE_EVALUATION_DEPTH {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "/maxPasses",
                format!(
                    "must be 1 to {MAX_RE_EVALUATION_DEPTH} (Meshery's re-evaluation depth), not {}",
                    self.max_passes
                ),
            ));
        }
        if self.max_settle_passes == 0 {
            return Err(Error::new(ErrorCode::InvalidOption, "/maxSettlePasses", "must be at least 1"));
        }
        if self.max_approvals_per_policy == 0 {
            return Err(Error::new(ErrorCode::InvalidOption, "/maxApprovalsPerPolicy", "must be at least 1"));
        }
        if self.include_timestamp && !crate::time::HAS_CLOCK {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "/includeTimestamp",
                "this build has no clock (the Go module's wasm): the host can stamp the response itself",
            ));
        }
        Ok(self)
    }
}
