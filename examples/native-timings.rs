//! The native side of `benches/js/wasm-boundary.mjs`: the same calls the benchmark times on the
//! WebAssembly `Evaluator`, on the same inputs, timed the same way (strings in, strings out), so
//! the two can be divided. Prints one JSON object on stdout.
//!
//! ```text
//! cargo run --release --example native-timings -- DESIGN.json EDITS.json DEFINITIONS.json [--runs K]
//! ```
//! `EDITS.json` is an array of edit batches (each an array of edits); they are applied in order,
//! one `apply_edits` call each, after the design is loaded.

use relationship_evaluator::evaluator::{parse_edits, Evaluator};
use relationship_evaluator::model::Design;
use std::time::Instant;

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1e3
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 3;
    if let Some(at) = args.iter().position(|a| a == "--runs") {
        runs = args[at + 1].parse().expect("--runs K");
        args.drain(at..at + 2);
    }
    let [design_path, edits_path, definitions_path] = &args[..] else {
        panic!("usage: native-timings DESIGN.json EDITS.json DEFINITIONS.json [--runs K]");
    };
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{p}: {e}"));
    let (design_json, edits_json, definitions_json) = (read(design_path), read(edits_path), read(definitions_path));
    let batches: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(&edits_json)
        .expect("an array of batches")
        .iter()
        .map(|b| b.to_string())
        .collect();

    let (mut load, mut evaluate, mut edit) = (Vec::new(), Vec::new(), Vec::new());
    let mut bytes = 0;
    for _ in 0..runs.max(1) {
        let mut evaluator = Evaluator::from_json(&definitions_json, "").expect("definitions");
        // loadDesign: decode the text, evaluate, encode the delta.
        let started = Instant::now();
        let design = Design::from_json(&design_json, &evaluator.options().limits).expect("design");
        let delta = serde_json::to_string(&evaluator.load_design(design).expect("load")).expect("delta");
        load.push(ms(started));
        bytes = delta.len();
        // evaluate(): a full evaluation of the current design, response encoded as JSON.
        let started = Instant::now();
        let response = evaluator.evaluate().expect("evaluate").to_json();
        evaluate.push(ms(started));
        assert!(!response.is_empty());
        // applyEdits: one call per batch.
        for batch in &batches {
            let started = Instant::now();
            let edits = parse_edits(serde_json::from_str(batch).expect("batch")).expect("edits");
            let delta = serde_json::to_string(&evaluator.apply_edits(&edits).expect("apply")).expect("delta");
            edit.push(ms(started));
            assert!(!delta.is_empty());
        }
    }
    println!(
        "{{\"runs\":{runs},\"loadDesignMs\":{:.3},\"evaluateMs\":{:.3},\"applyEditsMs\":{:.4},\"loadDeltaBytes\":{bytes}}}",
        median(load),
        median(evaluate),
        median(edit)
    );
}
