//! Full evaluations of generated Kubernetes designs (`synthetic::design`) against the real
//! kubernetes relationship definitions of the fixtures, at 100, 1,000 and 10,000 components, and
//! re-evaluations of designs that were already evaluated.
//!
//! ```text
//! cargo bench --bench evaluate
//! ```
//! Sample counts and times are kept small (the whole run takes a few minutes on 2 cores); the
//! scale figures and peak memory in docs/performance.md come from `examples/scale.rs`.

#[path = "../examples/synthetic/mod.rs"]
mod synthetic;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use relationship_evaluator::model::{Design, Relationship};
use relationship_evaluator::{Engine, EngineOptions, Limits};
use std::path::Path;
use std::time::Duration;
use synthetic::DEFAULT_SEED;

const SIZES: [usize; 3] = [100, 1_000, 10_000];

fn definitions() -> Vec<Relationship> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/meshery/relationships/kubernetes");
    synthetic::load_definitions(&folder).expect("the kubernetes fixture definitions load")
}

/// Fewer samples for the large designs, so that one size does not dominate the run.
fn configure(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>, size: usize) {
    let (samples, seconds) = if size >= 10_000 {
        (10, 30)
    } else if size >= 1_000 {
        (10, 5)
    } else {
        (30, 3)
    };
    group.sample_size(samples).measurement_time(Duration::from_secs(seconds)).warm_up_time(Duration::from_secs(1));
    group.throughput(Throughput::Elements(size as u64));
}

fn evaluate(engine_definitions: &[Relationship], design: Design) -> relationship_evaluator::EvaluationResponse {
    Engine::new(engine_definitions.to_vec(), EngineOptions::default()).evaluate(design).expect("evaluation")
}

fn full_evaluation(c: &mut Criterion) {
    let definitions = definitions();
    let mut group = c.benchmark_group("evaluate/full");
    for size in SIZES {
        let value = synthetic::design(size, DEFAULT_SEED);
        let sample = evaluate(&definitions, Design::from_value(value.clone(), &Limits::default()).expect("design"));
        eprintln!(
            "evaluate/full/{size}: {} relationships, {} actions",
            sample.design.relationships.len(),
            sample.actions.len()
        );
        drop(sample);
        configure(&mut group, size);
        // Decoding the design and building the engine are setup, outside the timing.
        group.bench_with_input(BenchmarkId::from_parameter(size), &value, |b, value| {
            b.iter_batched(
                || {
                    let design = Design::from_value(value.clone(), &Limits::default()).expect("design");
                    (Engine::new(definitions.clone(), EngineOptions::default()), design)
                },
                |(mut engine, design)| engine.evaluate(design).expect("evaluation"),
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

fn re_evaluation(c: &mut Criterion) {
    let definitions = definitions();
    let mut group = c.benchmark_group("evaluate/again");
    for size in SIZES {
        let value = synthetic::design(size, DEFAULT_SEED);
        let evaluated = evaluate(&definitions, Design::from_value(value, &Limits::default()).expect("design")).design;
        configure(&mut group, size);
        group.bench_with_input(BenchmarkId::from_parameter(size), &evaluated, |b, evaluated| {
            b.iter_batched(
                || (Engine::new(definitions.clone(), EngineOptions::default()), evaluated.clone()),
                |(mut engine, design)| engine.evaluate(design).expect("re-evaluation"),
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, full_evaluation, re_evaluation);
criterion_main!(benches);
