//! Scale measurements of the core on generated Kubernetes designs (see `synthetic`): time per
//! full evaluation, what it found, and peak memory, one child process per size so that each
//! size's peak RSS (`VmHWM`) is its own.
//!
//! ```text
//! cargo run --release --example scale -- [--definitions DIR] [--runs K] [--phases] 100 1000 10000
//! ```
//! `--phases` also times the steps of the first pass (and identify per policy and definition),
//! replaying `engine::run_pass` through the public API, to locate any step that grows faster
//! than the design. Phase times are the best wall time of the runs; whole evaluations are also
//! reported in this thread's CPU time, which a busy shared machine disturbs less.
//!
//! `--child [--memory [--again]] SIZE` is what the parent runs per size; run it directly under
//! a profiler, e.g. callgrind with `--toggle-collect='relationship_evaluator::engine::Engine::evaluate*'`
//! on `--child --memory` to count the instructions of exactly one evaluation (`--again` adds a
//! re-evaluation of the evaluated design).

use relationship_evaluator::context::Context;
use relationship_evaluator::engine::{
    actions_fingerprint, apply, build_trace, deduplicate_actions, definitions_in_scope, generate, identify,
    merge_trace_unique, resolve_aliases, resolve_ties, validate,
};
use relationship_evaluator::index::DesignIndex;
use relationship_evaluator::model::{Design, Relationship, Trace};
use relationship_evaluator::policy::inventory::inventory_additions;
use relationship_evaluator::policy::registered_policies;
use relationship_evaluator::synthetic::{self, DEFAULT_SEED};
use relationship_evaluator::{Engine, EngineOptions, Limits};
use std::collections::HashSet;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

const DEFAULT_DEFINITIONS: &str = "../shared/fixtures/meshery/relationships/kubernetes";

struct Arguments {
    definitions: PathBuf,
    runs: usize,
    phases: bool,
    child: bool,
    memory: bool,
    again: bool,
    sizes: Vec<usize>,
}

fn parse_arguments() -> Arguments {
    let mut arguments = Arguments {
        definitions: DEFAULT_DEFINITIONS.into(),
        runs: 5,
        phases: false,
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
            "--phases" => arguments.phases = true,
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
    for _ in 0..arguments.runs.max(1) {
        let design = Design::from_value(value.clone(), &limits).expect("design");
        let mut engine = Engine::new(definitions.clone(), EngineOptions::default());
        let (start, cpu_start) = (Instant::now(), cpu_time());
        let result = engine.evaluate(design).expect("evaluation");
        times.push(start.elapsed());
        if let (Some(a), Some(b)) = (cpu_start, cpu_time()) {
            cpu_times.push(b - a);
        }
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
    for (label, count) in join_work(&value) {
        println!("work.{label}={count}");
    }
    if arguments.phases {
        let mut best: std::collections::BTreeMap<String, Duration> = std::collections::BTreeMap::new();
        for _ in 0..arguments.runs.max(1) {
            for (label, elapsed) in phases(&value, &definitions) {
                let entry = best.entry(label).or_insert(elapsed);
                *entry = (*entry).min(elapsed);
            }
        }
        for (label, elapsed) in best {
            println!("{label}_ms={:.3}", ms(elapsed));
        }
    }
}

/// Pair checks the two joins that hash on a coarse key must make on this design (counted from the
/// data, mirroring the engine's join keys), next to the pairs that actually match:
/// - `pairs.rs` `for_each_matching_pair`, Service→Deployment (network definition, selector sets 0
///   and 1): the hash key is only (target port as text, protocol), the rows with `equal` /
///   `equal_as_strings`; the selector row (`to_contains_from`) is checked per pair;
/// - `edge_binding.rs` `BindingJoin`, Role→RoleBinding (permission definition): the hash is on the
///   first compared pair only, `component.kind` ↔ `roleRef.kind`, which is `Role` everywhere.
fn join_work(value: &serde_json::Value) -> Vec<(String, usize)> {
    use serde_json::Value;
    use std::collections::HashMap;
    let components = value["components"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    fn of_kind<'a>(components: &'a [serde_json::Value], kind: &'a str) -> impl Iterator<Item = &'a serde_json::Value> {
        components
            .iter()
            .filter(move |c| c.pointer("/component/kind").and_then(serde_json::Value::as_str) == Some(kind))
    }
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => "<nil>".into(),
    };
    let port = "/configuration/spec/template/spec/containers/0/ports/0";
    let mut checks = [0usize; 2];
    let mut matches = [0usize; 2];
    for (set, field) in ["containerPort", "name"].into_iter().enumerate() {
        let mut buckets: HashMap<(String, String), Vec<&Value>> = HashMap::new();
        for deployment in of_kind(components, "Deployment") {
            let key = (
                text(deployment.pointer(&format!("{port}/{field}"))),
                text(deployment.pointer(&format!("{port}/protocol"))),
            );
            buckets.entry(key).or_default().push(deployment);
        }
        for service in of_kind(components, "Service") {
            let key = (
                text(service.pointer("/configuration/spec/ports/0/targetPort")),
                text(service.pointer("/configuration/spec/ports/0/protocol")),
            );
            let bucket = buckets.get(&key).map(Vec::as_slice).unwrap_or(&[]);
            checks[set] += bucket.len();
            let selector = service.pointer("/configuration/spec/selector");
            matches[set] +=
                bucket.iter().filter(|d| d.pointer("/configuration/spec/selector/matchLabels") == selector).count();
        }
    }
    let roles = of_kind(components, "Role").count();
    let bindings: Vec<&Value> = of_kind(components, "RoleBinding").collect();
    let role_names: std::collections::HashSet<String> =
        of_kind(components, "Role").map(|r| text(r.get("displayName"))).collect();
    let bound =
        bindings.iter().filter(|b| role_names.contains(&text(b.pointer("/configuration/roleRef/name")))).count();
    vec![
        ("service_deployment_port_checks".into(), checks[0]),
        ("service_deployment_port_matches".into(), matches[0]),
        ("service_deployment_named_port_checks".into(), checks[1]),
        ("service_deployment_named_port_matches".into(), matches[1]),
        ("role_rolebinding_checks".into(), roles * bindings.len()),
        ("role_rolebinding_matches".into(), bound),
    ]
}

fn timed<T>(times: &mut Vec<(String, Duration)>, label: &str, f: impl FnOnce() -> T) -> T {
    let watch = Instant::now();
    let out = f();
    times.push((format!("phase.{label}"), watch.elapsed()));
    out
}

/// The first pass of `engine::run_pass`, step by step, with a timer on each step.
fn phases(value: &serde_json::Value, definitions: &[Relationship]) -> Vec<(String, Duration)> {
    let mut times = Vec::new();
    let options = EngineOptions::default();
    let policies = registered_policies();
    let mut design = Design::from_value(value.clone(), &Limits::default()).expect("design");
    for component in &mut design.components {
        component.normalise_model_name();
    }
    let mut index = timed(&mut times, "index_build", || DesignIndex::build(&design));
    let in_scope = definitions_in_scope(&design, &index, definitions);
    let validated = timed(&mut times, "validate", || validate(&policies, &Context::new(&design, &index, &options)));
    apply(&mut design, &validated);

    let identified =
        timed(&mut times, "identify", || identify(&policies, &in_scope, &Context::new(&design, &index, &options)));
    // The breakdown: each (policy, definition)'s candidate search alone, run again on its own.
    {
        let context = Context::new(&design, &index, &options);
        for policy in &policies {
            for definition in in_scope.iter().filter(|d| policy.is_implicated_by(d)) {
                let watch = Instant::now();
                let found = policy.identify(definition, &context).len();
                let elapsed = watch.elapsed();
                let endpoints = definition
                    .first_selector()
                    .map(|s| {
                        let kind = |items: &[serde_json::Value]| {
                            items.first().and_then(|i| i.get("kind")).and_then(|k| k.as_str()).unwrap_or("").to_owned()
                        };
                        format!("{}→{}", kind(s.allow_from()), kind(s.allow_to()))
                    })
                    .unwrap_or_default();
                if elapsed > Duration::from_micros(200) {
                    let label = format!(
                        "{} {}/{}/{}",
                        policy.id(),
                        definition.kind(),
                        definition.rel_type(),
                        definition.sub_type()
                    );
                    times.push((format!("identify.{label} {endpoints} (found {found})"), elapsed));
                }
            }
        }
    }
    timed(&mut times, "apply_identified", || apply(&mut design, &identified));
    timed(&mut times, "index_extend", || index.extend_relationships(&design));
    let additions = timed(&mut times, "inventory_additions", || {
        inventory_additions(&in_scope, &Context::new(&design, &index, &options))
    });
    if !additions.is_empty() {
        apply(&mut design, &additions);
        index = DesignIndex::build(&design);
    }
    let generated = timed(&mut times, "generate", || generate(&policies, &Context::new(&design, &index, &options)));
    let (generated, _ties) = timed(&mut times, "resolve_ties", || resolve_ties(generated));
    drop(index);
    let removed = timed(&mut times, "apply_generated", || apply(&mut design, &generated));
    let added: HashSet<String> = additions.iter().map(|a| a.target_id().to_owned()).collect();
    let mut actions = validated;
    actions.extend(identified);
    actions.extend(additions);
    actions.extend(generated);
    let trace = timed(&mut times, "build_trace", || build_trace(&actions, &design, &removed, &added));
    // What `Engine::evaluate` does around the pass.
    timed(&mut times, "flap_fingerprint", || actions_fingerprint(&actions));
    timed(&mut times, "resolve_aliases", || resolve_aliases(&design).expect("aliases"));
    let merged = timed(&mut times, "merge_trace", || {
        let mut merged = Trace::default();
        merge_trace_unique(&mut merged, trace);
        merged // dropped outside the timer: the engine keeps it in the response
    });
    drop(merged);
    timed(&mut times, "deduplicate_actions", || deduplicate_actions(actions));
    timed(&mut times, "serialize_design (hash input)", || {
        serde_json::to_writer(std::io::sink(), &design).expect("serialize")
    });
    times
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
        let timing = child(if arguments.phases { &["--phases"] } else { &[] });
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
