//! Growth of a full evaluation on design families built to break joins, not to flatter them.
//!
//! ```text
//! cargo run --release --example adversarial -- [--runs K] [--family NAME]... [SIZE_SMALL SIZE_LARGE]
//! ```
//! For each family it generates designs of two sizes (default 1,000 and 10,000 components),
//! evaluates each `--runs` times (default 3) against the real Kubernetes definitions and prints
//! the best time of each size, the relationships found, the passes, the design's JSON size and
//! the candidate pairs the joins examined (`Engine::join_work`, summed over every policy,
//! definition and pass), and T(large)/T(small). Output that grows linearly with the design,
//! evaluated in time or pairs that grow faster, is a join that examines more pairs than it
//! returns. `--pairs` prints, per family and size, each (policy, definition) whose join examined
//! any pair. `--design NAME SIZE` prints one family's design as JSON instead (for the CLI,
//! `/usr/bin/time -v`, a profiler or the browser benchmark).
//!
//! The families are in `families/mod.rs` (also read by `tests/join_work.rs`); each has an
//! output linear in its size, so a ratio near 10 (for 1k → 10k) is the goal and anything far
//! above is a quadratic step.

mod synthetic;

mod families;

use families::{definitions_dir, family_design, FAMILIES};
use relationship_evaluator::context::JoinWork;
use relationship_evaluator::model::Design;
use relationship_evaluator::{Engine, EngineOptions, Limits};
use serde_json::Value;
use std::time::{Duration, Instant};

/// What one size of one family cost.
struct Measured {
    best: Duration,
    relationships: usize,
    passes: usize,
    bytes: usize,
    work: Vec<JoinWork>,
}

impl Measured {
    fn examined(&self) -> u64 {
        self.work.iter().map(|w| w.counts.examined).sum()
    }
}

/// Best of `runs` full evaluations, and what the last one found and examined.
fn measure(design: &Value, runs: usize) -> Measured {
    let definitions = synthetic::load_definitions(&definitions_dir()).expect("definitions");
    let bytes = serde_json::to_vec(design).map_or(0, |v| v.len());
    let mut measured = Measured { best: Duration::MAX, relationships: 0, passes: 0, bytes, work: Vec::new() };
    for _ in 0..runs {
        let decoded = Design::from_value(design.clone(), &Limits::default()).expect("design");
        let mut engine = Engine::new(definitions.clone(), EngineOptions::default());
        let start = Instant::now();
        let response = engine.evaluate(decoded).expect("evaluation");
        measured.best = measured.best.min(start.elapsed());
        measured.relationships = response.design.relationships.len();
        measured.work = engine.join_work().to_vec();
        measured.passes = measured.work.iter().map(|w| w.pass + 1).max().unwrap_or(1);
    }
    measured
}

/// Each (policy, definition, pass) whose join examined a pair.
fn print_pairs(family: &str, size: usize, measured: &Measured) {
    for w in measured.work.iter().filter(|w| w.counts.examined > 0) {
        println!(
            "  {family} n={size} pass {} {} {}: examined {}, matched {}, candidates {}",
            w.pass, w.policy, w.label, w.counts.examined, w.counts.matched, w.candidates
        );
    }
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--design") {
        let size = args.get(2).and_then(|s| s.parse().ok()).expect("--design FAMILY SIZE");
        println!("{}", family_design(&args[1], size));
        return;
    }
    let mut runs = 3;
    let mut pairs = false;
    let mut families = Vec::new();
    let mut sizes = Vec::new();
    while !args.is_empty() {
        let arg = args.remove(0);
        match arg.as_str() {
            "--runs" => runs = args.remove(0).parse().expect("--runs K"),
            "--family" => families.push(args.remove(0)),
            "--pairs" => pairs = true,
            size => sizes.push(size.replace(['_', ','], "").parse::<usize>().expect("a size")),
        }
    }
    if families.is_empty() {
        families = FAMILIES.iter().map(|f| f.to_string()).collect();
    }
    let (small, large) = match sizes[..] {
        [] => (1_000, 10_000),
        [small, large] => (small, large),
        _ => panic!("give two sizes, or none for 1000 10000"),
    };
    println!(
        "| family | T({small}) ms | T({large}) ms | T({large})/T({small}) | pairs examined at {small} | at {large} | ratio \
         | relationships at {small} | at {large} | passes | JSON at {large} |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for family in &families {
        let m_small = measure(&family_design(family, small), runs);
        let m_large = measure(&family_design(family, large), runs);
        println!(
            "| {family} | {:.1} | {:.1} | {:.1} | {} | {} | {:.1} | {} | {} | {}, {} | {:.1} MB |",
            m_small.best.as_secs_f64() * 1e3,
            m_large.best.as_secs_f64() * 1e3,
            m_large.best.as_secs_f64() / m_small.best.as_secs_f64(),
            m_small.examined(),
            m_large.examined(),
            m_large.examined() as f64 / m_small.examined().max(1) as f64,
            m_small.relationships,
            m_large.relationships,
            m_small.passes,
            m_large.passes,
            m_large.bytes as f64 / 1e6,
        );
        if pairs {
            print_pairs(family, small, &m_small);
            print_pairs(family, large, &m_large);
        }
    }
}
