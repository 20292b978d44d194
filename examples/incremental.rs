//! Times a one-edit batch on the stateful evaluator against a full evaluation of the same
//! design, on generated Kubernetes designs (see `synthetic`), in one run (ratios, not absolutes,
//! are what these shared machines can report).
//!
//! ```text
//! cargo run --release --example incremental -- [--definitions DIR] 1000 10000
//! ```

use relationship_evaluator::evaluator::{EvaluationPath, Evaluator};
use relationship_evaluator::model::Design;
use relationship_evaluator::synthetic::{self, DEFAULT_SEED};
use relationship_evaluator::{Edit, Engine, EngineOptions};
use serde_json::Value;
use std::path::PathBuf;
use std::time::Instant;

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut definitions = PathBuf::from("../shared/fixtures/meshery/relationships/kubernetes");
    if let Some(at) = args.iter().position(|a| a == "--definitions") {
        definitions = PathBuf::from(args.remove(at + 1));
        args.remove(at);
    }
    let sizes: Vec<usize> =
        if args.is_empty() { vec![1_000, 10_000] } else { args.iter().filter_map(|a| a.parse().ok()).collect() };
    let definitions = synthetic::load_definitions(&definitions).expect("definitions");
    println!("| components | full evaluation (ms) | one-edit batch, median (ms) | full / edit | edits on the incremental path |");
    println!("|---|---|---|---|---|");
    for size in sizes {
        let design = Design::from_value(synthetic::design(size, DEFAULT_SEED), &Default::default()).expect("design");
        let started = Instant::now();
        let response = Engine::new(definitions.clone(), EngineOptions::default()).evaluate(design).expect("evaluation");
        let full_ms = started.elapsed().as_secs_f64() * 1e3;
        let mut evaluator = Evaluator::new(definitions.clone(), EngineOptions::default());
        evaluator.load_design(response.design.clone()).expect("load");
        // A rename, a label change and a namespace move of existing components, round-robin.
        let ids: Vec<(String, String)> = response
            .design
            .components
            .iter()
            .step_by((size / 50).max(1))
            .map(|c| (c.id().to_owned(), c.kind().to_owned()))
            .collect();
        let mut samples = Vec::new();
        let mut incremental = 0;
        for (i, (id, _kind)) in ids.iter().enumerate() {
            let edit = match i % 3 {
                0 => Edit::RenameComponent { id: id.clone(), display_name: format!("renamed-{i}") },
                1 => Edit::MoveComponent { id: id.clone(), x: i as f64, y: 1.0 },
                _ => Edit::PatchConfiguration {
                    id: id.clone(),
                    patch: serde_json::json!({"metadata": {"annotations": {"edited": i}}}),
                },
            };
            let started = Instant::now();
            evaluator.apply_edits(&[edit]).expect("edit");
            samples.push(started.elapsed().as_secs_f64() * 1e3);
            if evaluator.last_path() == EvaluationPath::Incremental {
                incremental += 1;
            }
        }
        let edit_ms = median(samples);
        println!("| {size} | {full_ms:.1} | {edit_ms:.3} | {:.0}x | {incremental}/{} |", full_ms / edit_ms, ids.len());
        let _ = Value::Null;
    }
}
