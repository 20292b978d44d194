//! Sizes and times of evaluator snapshots, compact (version 2, what `snapshot()` writes) against
//! expanded (version 1, what earlier builds wrote), in one run: for each design, loaded with
//! `settleOnLoad` over the Kubernetes definitions, the snapshot bytes over the design's JSON bytes
//! (as loaded and as evaluated), and the write and restore times of version 2 over version 1. It
//! also checks that the restored evaluator exports the same design and re-writes the same bytes.
//!
//! ```text
//! cargo run --release --example snapshot-size -- [--definitions DIR] [--runs K] [--file DESIGN.json]... [SIZE]...
//! ```
//! Sizes are synthetic designs (`examples/synthetic/`; default 1000 and 10000);
//! `--file` adds a design file (e.g. one of `examples/adversarial.rs --design FAMILY SIZE`). With
//! no `--file`, the real designs of `../shared/fixtures/meshery/go-engine/` are measured too.

mod synthetic;

use relationship_evaluator::evaluator::{Evaluator, Snapshot};
use relationship_evaluator::model::Design;
use relationship_evaluator::EngineOptions;
use serde_json::Value;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use synthetic::DEFAULT_SEED;

const DEFINITIONS: &str = "../shared/fixtures/meshery/relationships/kubernetes";
const REAL_DESIGNS: &str = "../shared/fixtures/meshery/go-engine";

/// The best wall time of `runs` calls, and the last result.
fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut time = Duration::MAX;
    let mut result = None;
    for _ in 0..runs {
        let start = Instant::now();
        let value = f();
        time = time.min(start.elapsed());
        result = Some(value);
    }
    (time, result.expect("runs ≥ 1"))
}

fn measure(name: &str, design: Value, definitions: &[relationship_evaluator::model::Relationship], runs: usize) {
    let input_bytes = design.to_string().len();
    let options = EngineOptions { settle_on_load: true, ..EngineOptions::default() };
    let mut evaluator = Evaluator::new(definitions.to_vec(), options.clone());
    let design = Design::from_value(design, &options.limits).expect("design");
    evaluator.load_design(design).expect("load");
    let evaluated = serde_json::to_string(evaluator.design()).expect("design JSON");

    let (write_v1, v1) = best(runs, || evaluator.snapshot().to_msgpack_expanded());
    let (write_v2, v2) = best(runs, || evaluator.snapshot().to_msgpack());
    let (restore_v1, _) = best(runs, || Evaluator::restore(Snapshot::from_msgpack(&v1).expect("v1")).expect("restore"));
    let (restore_v2, restored) =
        best(runs, || Evaluator::restore(Snapshot::from_msgpack(&v2).expect("v2")).expect("restore"));
    assert_eq!(serde_json::to_string(restored.design()).expect("design JSON"), evaluated, "{name}: design");
    assert_eq!(restored.snapshot().to_msgpack(), v2, "{name}: re-written snapshot");
    assert_eq!(restored.revision(), evaluator.revision(), "{name}: revision");

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let ratio = |a: usize, b: usize| a as f64 / b as f64;
    println!(
        "| {name} | {} | {} | {:.1} | {:.1} | {:.2} ({:.2}) | {:.2} ({:.2}) | {:.1} / {:.1} = {:.2} | {:.1} / {:.1} = {:.2} |",
        evaluator.design().components.len(),
        evaluator.design().relationships.len(),
        input_bytes as f64 / 1e6,
        evaluated.len() as f64 / 1e6,
        ratio(v1.len(), evaluated.len()),
        ratio(v1.len(), input_bytes),
        ratio(v2.len(), evaluated.len()),
        ratio(v2.len(), input_bytes),
        ms(write_v2),
        ms(write_v1),
        write_v2.as_secs_f64() / write_v1.as_secs_f64(),
        ms(restore_v2),
        ms(restore_v1),
        restore_v2.as_secs_f64() / restore_v1.as_secs_f64(),
    );
}

fn main() {
    let mut definitions_dir = PathBuf::from(DEFINITIONS);
    let mut runs = 3;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut sizes: Vec<usize> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--definitions" => definitions_dir = args.next().expect("--definitions DIR").into(),
            "--runs" => runs = args.next().and_then(|r| r.parse().ok()).expect("--runs K"),
            "--file" => files.push(args.next().expect("--file DESIGN.json").into()),
            size => sizes.push(size.replace(['_', ','], "").parse().expect("a size")),
        }
    }
    if sizes.is_empty() && files.is_empty() {
        sizes = vec![1_000, 10_000];
    }
    if files.is_empty() {
        let mut real: Vec<PathBuf> = std::fs::read_dir(REAL_DESIGNS)
            .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        real.retain(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("design-")));
        real.sort();
        files = real;
    }
    let definitions = synthetic::load_definitions(&definitions_dir).expect("definitions");
    println!(
        "| design | components | relationships | input JSON MB | evaluated JSON MB | v1 / evaluated JSON (/ input) | v2 / evaluated JSON (/ input) | write ms v2 / v1 | restore ms v2 / v1 |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for size in sizes {
        measure(&format!("synthetic {size}"), synthetic::design(size, DEFAULT_SEED), &definitions, runs);
    }
    for file in files {
        let text = std::fs::read_to_string(&file).expect("design file");
        let design: Value = serde_json::from_str(&text).expect("design JSON");
        let name = file.file_stem().and_then(|n| n.to_str()).unwrap_or("design").to_owned();
        measure(&name, design, &definitions, runs);
    }
}
