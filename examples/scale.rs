//! Scale measurements of the core on generated Kubernetes designs (see `synthetic`): time per
//! full evaluation, what it found, and peak memory, one child process per size so that each
//! size's peak RSS (`VmHWM`) is its own.
//!
//! ```text
//! cargo run --release --example scale -- [--definitions DIR] [--runs K] [--phases] 100 1000 10000
//! ```
//! It prints the pairs each join checked and matched, as the engine counts them
//! (`Engine::join_work`); where the time goes within a pass is for a profiler (callgrind, below,
//! or `perf record`), which needs no second copy of the pass to time it. Times are the best and
//! median wall time of the runs, and this thread's CPU time, which a busy shared machine
//! disturbs less.
//!
//! `--child [--memory [--again]] SIZE` is what the parent runs per size; run it directly under
//! a profiler, e.g. callgrind with `--toggle-collect='relationship_evaluator::engine::Engine::evaluate*'`
//! on `--child --memory` to count the instructions of exactly one evaluation (`--again` adds a
//! re-evaluation of the evaluated design).

mod synthetic;

use relationship_evaluator::model::Design;
use relationship_evaluator::{Engine, EngineOptions, Limits};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};
use synthetic::DEFAULT_SEED;

const DEFAULT_DEFINITIONS: &str = "../shared/fixtures/meshery/relationships/kubernetes";

struct Arguments {
    definitions: PathBuf,
    runs: usize,
    child: bool,
    memory: bool,
    again: bool,
    sizes: Vec<usize>,
}

fn parse_arguments() -> Arguments {
    let mut arguments = Arguments {
        definitions: DEFAULT_DEFINITIONS.into(),
        runs: 5,
        child: false,
        memory: false,
        again: false,
        sizes: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--definitions" => arguments.definitions = args.next().expect("--definitions DIR").into(),
            "--runs" => arguments.runs = args.next().and_then(|r| r.parse().ok()).expect("--runs K"),
            "--child" => arguments.child = true,
            "--memory" => arguments.memory = true,
            "--again" => arguments.again = true,
            size => arguments.sizes.push(size.replace(['_', ','], "").parse().expect("a size")),
        }
    }
    if arguments.sizes.is_empty() {
        arguments.sizes = vec![100, 1_000, 10_000];
    }
    arguments
}

/// A `kB` field of /proc/self/status (Linux only; 0 elsewhere).
fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Time this thread has spent on a CPU (user and kernel), in ns, from the scheduler's own
/// accounting; unlike wall time it leaves out waiting for a CPU, which matters on a shared
/// machine. `None` where /proc/thread-self/schedstat is missing.
fn cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok().map(Duration::from_nanos)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Peak memory of one evaluation, in this process: the design is decoded without keeping the
/// generated value, so the baseline is the design and the definitions, and the peak adds what
/// the evaluation holds at its high point (working state, then the response).
fn measure_memory(size: usize, arguments: &Arguments) {
    let definitions = synthetic::load_definitions(&arguments.definitions).expect("definitions");
    let design = Design::from_value(synthetic::design(size, DEFAULT_SEED), &Limits::default()).expect("design");
    let spare = arguments.again.then(|| definitions.clone());
    let before = status_kb("VmHWM:");
    let response = Engine::new(definitions, EngineOptions::default()).evaluate(design).expect("evaluation");
    let after = status_kb("VmHWM:");
    println!("vmhwm_before_eval_kb={before}");
    println!("vmhwm_kb={after}");
    println!("response_relationships={}", response.design.relationships.len());
    if let Some(definitions) = spare {
        // For instruction counts of a re-evaluation (e.g. under callgrind): a second evaluation of
        // the evaluated design, after the peak above was read.
        let again = Engine::new(definitions, EngineOptions::default())
            .evaluate(response.design.clone())
            .expect("re-evaluation");
        println!("again_actions={}", again.actions.len());
    }
}

/// Times and counts for one size, in this process: one `key=value` line per fact.
fn measure(size: usize, arguments: &Arguments) {
    let definitions = synthetic::load_definitions(&arguments.definitions).expect("definitions");
    let value = synthetic::design(size, DEFAULT_SEED);
    let input_bytes = serde_json::to_vec(&value).map(|v| v.len()).unwrap_or(0);
    let relationships_in = value["relationships"].as_array().map_or(0, Vec::len);
    let limits = Limits::default();

    let mut times = Vec::new();
    let mut cpu_times = Vec::new();
    let mut response = None;
    let mut join_work = Vec::new();
    for _ in 0..arguments.runs.max(1) {
        let design = Design::from_value(value.clone(), &limits).expect("design");
        let mut engine = Engine::new(definitions.clone(), EngineOptions::default());
        let (start, cpu_start) = (Instant::now(), cpu_time());
        let result = engine.evaluate(design).expect("evaluation");
        times.push(start.elapsed());
        if let (Some(a), Some(b)) = (cpu_start, cpu_time()) {
            cpu_times.push(b - a);
        }
        join_work = engine.join_work().to_vec();
        drop(response.replace(result)); // the previous response is freed outside the timer
    }
    let response = response.expect("at least one run");

    let mut again_times = Vec::new();
    let mut again_actions = 0;
    for _ in 0..arguments.runs.max(1) {
        let mut engine = Engine::new(definitions.clone(), EngineOptions::default());
        let design = response.design.clone();
        let start = Instant::now();
        let result = engine.evaluate(design).expect("re-evaluation");
        again_times.push(start.elapsed());
        again_actions = result.actions.len();
    }

    println!("size={size}");
    println!("input_bytes={input_bytes}");
    println!("relationships_in={relationships_in}");
    println!("median_ms={:.3}", ms(median(times.clone())));
    println!("min_ms={:.3}", ms(*times.iter().min().unwrap()));
    if !cpu_times.is_empty() {
        println!("cpu_median_ms={:.3}", ms(median(cpu_times.clone())));
        println!("cpu_min_ms={:.3}", ms(*cpu_times.iter().min().unwrap()));
    }
    println!("reevaluate_median_ms={:.3}", ms(median(again_times.clone())));
    println!("reevaluate_min_ms={:.3}", ms(*again_times.iter().min().unwrap()));
    println!("reevaluate_actions={again_actions}");
    println!("relationships_out={}", response.design.relationships.len());
    println!("components_out={}", response.design.components.len());
    println!("actions={}", response.actions.len());
    let mut ops = std::collections::BTreeMap::new();
    for action in &response.actions {
        *ops.entry(action.op().as_str()).or_insert(0usize) += 1;
    }
    for (op, count) in ops {
        println!("action.{op}={count}");
    }
    for (kind, count) in synthetic::kind_counts(&value) {
        println!("kind.{kind}={count}");
    }
    for (key, count) in synthetic::relationship_counts(&response.design) {
        println!("found.{key}={count}");
    }
    // The engine's own count of the pairs each join checked and matched (`Engine::join_work`).
    for work in &join_work {
        let counts = &work.counts;
        println!(
            "work.pass{}.{}.{}={} examined, {} matched",
            work.pass, work.policy, work.label, counts.examined, counts.matched
        );
    }
}

fn main() {
    let arguments = parse_arguments();
    if arguments.child {
        for &size in &arguments.sizes {
            if arguments.memory {
                measure_memory(size, &arguments);
            } else {
                measure(size, &arguments);
            }
        }
        return;
    }
    let exe = std::env::current_exe().expect("own path");
    let mut medians = Vec::new();
    for &size in &arguments.sizes {
        let child = |extra: &[&str]| {
            let mut command = Command::new(&exe);
            command
                .arg("--child")
                .arg("--runs")
                .arg(arguments.runs.to_string())
                .arg("--definitions")
                .arg(&arguments.definitions);
            command.args(extra).arg(size.to_string());
            let output = command.output().expect("child process");
            eprint!("{}", String::from_utf8_lossy(&output.stderr));
            assert!(output.status.success(), "child for size {size} failed");
            String::from_utf8_lossy(&output.stdout).into_owned()
        };
        // Memory first, in its own process, so that its peak is the evaluation's alone.
        let memory = child(&["--memory"]);
        let timing = child(&[]);
        print!("{timing}{memory}");
        println!();
        let field = |name: &str| {
            timing.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.parse::<f64>().ok()).unwrap_or(f64::NAN)
        };
        medians.push((size, field("median_ms="), field("min_ms="), field("cpu_median_ms="), field("cpu_min_ms=")));
    }
    for pair in medians.windows(2) {
        let ((a, median_a, min_a, cpu_median_a, cpu_min_a), (b, median_b, min_b, cpu_median_b, cpu_min_b)) =
            (pair[0], pair[1]);
        println!(
            "ratio T({b})/T({a}): wall median {:.2}, wall min {:.2}, cpu median {:.2}, cpu min {:.2} (size ratio {:.1})",
            median_b / median_a,
            min_b / min_a,
            cpu_median_b / cpu_median_a,
            cpu_min_b / cpu_min_a,
            b as f64 / a as f64
        );
    }
}
