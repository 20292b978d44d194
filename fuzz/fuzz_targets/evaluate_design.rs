//! Whole evaluations of arbitrary input: never a panic (an error value is fine), and the same
//! input evaluated twice gives the same bytes.
//!
//! Input: `design JSON \0 definitions JSON \0 options JSON`. A NUL byte cannot occur in JSON
//! text, so the fuzzer's mutations of each part stay in that part. Without a definitions part
//! the design is evaluated against the real Kubernetes definitions (parsed once), which keeps
//! inputs small and lets the fuzzer spend its time on designs the policies actually match.

#![no_main]

use libfuzzer_sys::fuzz_target;
use relationship_evaluator::model::Design;
use relationship_evaluator::{evaluate_json, Engine, EngineOptions, Result};
use relationship_evaluator_fuzz::{assert_not_internal, kubernetes_definitions};

fn evaluate_against_kubernetes(design_json: &str, options_json: &str) -> Result<String> {
    let options = EngineOptions::from_json(options_json)?;
    let design = Design::from_json(design_json, &options.limits)?;
    Ok(Engine::new(kubernetes_definitions().to_vec(), options).evaluate(design)?.to_json())
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&byte| byte == 0);
    // Lossy, not strict: a mutation that breaks UTF-8 still yields text worth evaluating.
    let design = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let definitions = parts.next().map(String::from_utf8_lossy);
    let options = String::from_utf8_lossy(parts.next().unwrap_or_default());

    let evaluate = || match &definitions {
        Some(definitions) => evaluate_json(&design, definitions, &options),
        None => evaluate_against_kubernetes(&design, &options),
    };
    let first = evaluate();
    assert_not_internal(&first);
    // A requested wall-clock timestamp is the one field allowed to differ between two runs.
    let timestamped = EngineOptions::from_json(&options).is_ok_and(|options| options.include_timestamp);
    if first.is_ok() && !timestamped {
        assert_eq!(first, evaluate(), "two evaluations of the same input differ");
    }
});
