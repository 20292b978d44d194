//! Times one-edit batches on the stateful evaluator against a full evaluation of the same
//! design, with and without `settleOnLoad`, on generated Kubernetes designs (see `synthetic`) or
//! a design file, in one run (ratios, not absolutes, are what these shared machines can report).
//!
//! ```text
//! cargo run --release --example incremental -- [--definitions DIR] [--design-file F] [--settled-only] 1000 10000
//! ```

mod synthetic;

use relationship_evaluator::evaluator::{EvaluationPath, Evaluator};
use relationship_evaluator::model::Design;
use relationship_evaluator::{Edit, Engine, EngineOptions};
use serde_json::Value;
use std::path::PathBuf;
use std::time::Instant;
use synthetic::DEFAULT_SEED;

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn percentile(mut samples: Vec<f64>, p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

/// A rename, a move and a configuration patch of existing components, round-robin.
fn edits_for(design: &Design, count: usize) -> Vec<Edit> {
    let step = (design.components.len() / count).max(1);
    design
        .components
        .iter()
        .step_by(step)
        .take(count)
        .enumerate()
        .map(|(i, c)| {
            let id = c.id().to_owned();
            match i % 3 {
                0 => Edit::RenameComponent { id, display_name: format!("renamed-{i}") },
                1 => Edit::MoveComponent { id, x: i as f64, y: 1.0 },
                _ => Edit::PatchConfiguration {
                    id,
                    patch: serde_json::json!({"metadata": {"annotations": {"edited": i}}}),
                },
            }
        })
        .collect()
}

/// One-edit batches on an evaluator: (median ms, p95 ms, batches on the incremental path, mean
/// actions per batch).
fn time_edits(evaluator: &mut Evaluator, edits: &[Edit]) -> (f64, f64, usize, f64) {
    let mut samples = Vec::new();
    let (mut incremental, mut actions) = (0, 0);
    for edit in edits {
        let started = Instant::now();
        let delta = evaluator.apply_edits(std::slice::from_ref(edit)).expect("edit");
        samples.push(started.elapsed().as_secs_f64() * 1e3);
        actions += delta.actions.len();
        if evaluator.last_path() == EvaluationPath::Incremental {
            incremental += 1;
        }
    }
    (median(samples.clone()), percentile(samples, 0.95), incremental, actions as f64 / edits.len() as f64)
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut definitions = PathBuf::from("../shared/fixtures/meshery/relationships/kubernetes");
    if let Some(at) = args.iter().position(|a| a == "--definitions") {
        definitions = PathBuf::from(args.remove(at + 1));
        args.remove(at);
    }
    // `--design-file F` times edits on that design (e.g. `adversarial --design realistic-teams N`)
    // instead of the synthetic ones.
    let mut design_file: Option<PathBuf> = None;
    if let Some(at) = args.iter().position(|a| a == "--design-file") {
        design_file = Some(PathBuf::from(args.remove(at + 1)));
        args.remove(at);
    }
    // `--settled-only` skips the unsettled load (for profilers: `valgrind --tool=callgrind
    // --toggle-collect='*Evaluator::apply_edits*'` counts the edits alone).
    let settled_only = args.iter().any(|a| a == "--settled-only");
    args.retain(|a| a != "--settled-only");
    let sizes: Vec<usize> =
        if args.is_empty() { vec![1_000, 10_000] } else { args.iter().filter_map(|a| a.parse().ok()).collect() };
    let definitions = synthetic::load_definitions(&definitions).expect("definitions");
    let designs: Vec<(String, Value)> = match &design_file {
        Some(path) => {
            let text = std::fs::read_to_string(path).expect("design file");
            vec![(path.display().to_string(), serde_json::from_str(&text).expect("design JSON"))]
        }
        None => sizes.iter().map(|&n| (format!("synthetic {n}"), synthetic::design(n, DEFAULT_SEED))).collect(),
    };
    println!("Loading the design as given (not pre-evaluated), then 60 one-edit batches:");
    println!();
    println!("| design | settleOnLoad | load (ms) | settled after load | edit median (ms) | edit p95 (ms) | full / edit median | incremental | actions per edit |");
    println!("|---|---|---:|---|---:|---:|---:|---:|---:|");
    for (name, value) in designs {
        let design = Design::from_value(value, &Default::default()).expect("design");
        let started = Instant::now();
        Engine::new(definitions.clone(), EngineOptions::default()).evaluate(design.clone()).expect("evaluation");
        let full_ms = started.elapsed().as_secs_f64() * 1e3;
        let modes: &[bool] = if settled_only { &[true] } else { &[false, true] };
        for &settle_on_load in modes {
            let options = EngineOptions { settle_on_load, ..EngineOptions::default() };
            let mut evaluator = Evaluator::new(definitions.clone(), options);
            let started = Instant::now();
            let delta = evaluator.load_design(design.clone()).expect("load");
            let load_ms = started.elapsed().as_secs_f64() * 1e3;
            let settled = if evaluator.is_settled() { "yes".to_owned() } else { "no".to_owned() };
            let settled = match delta.diagnostics.first() {
                Some(d) => format!("{settled} ({})", d.code.as_str()),
                None => settled,
            };
            let edits = edits_for(evaluator.design(), 60);
            let (median_ms, p95_ms, incremental, actions) = time_edits(&mut evaluator, &edits);
            println!(
                "| {name} | {settle_on_load} | {load_ms:.1} | {settled} | {median_ms:.3} | {p95_ms:.3} | {:.0}x | {incremental}/{} | {actions:.1} |",
                full_ms / median_ms,
                edits.len()
            );
        }
    }
}
