//! Growth of a full evaluation on design families built to break joins, not to flatter them.
//!
//! ```text
//! cargo run --release --example adversarial -- [--runs K] [--family NAME]... [SIZE_SMALL SIZE_LARGE]
//! ```
//! For each family it generates designs of two sizes (default 1,000 and 10,000 components),
//! evaluates each `--runs` times (default 3) against the real Kubernetes definitions and prints
//! the best time of each size, the relationships found and T(large)/T(small). Output that grows
//! linearly with the design, evaluated in time that grows faster, is a join that examines more
//! pairs than it returns. `--design NAME SIZE` prints one family's design as JSON instead (for
//! the CLI, a profiler or the browser benchmark).
//!
//! Every family has an output linear in its size, so a ratio near 10 (for 1k → 10k) is the goal
//! and anything far above is a quadratic step:
//!
//! | family | what it stresses |
//! |---|---|
//! | `shared-port` | every Service and Deployment uses port 80; selectors are unique: a join on the port alone is quadratic |
//! | `shared-label` | every workload carries `tier: web` beside its unique `app`; Services select both: the `tier` posting list holds everything |
//! | `overlapping-selectors` | Services select subsets of ten team labels plus a unique app label: many partial matches, one full match each |
//! | `same-apps-per-namespace` | every namespace runs the same five apps (`app: web`, `api`, …, plus `team`): the `app` posting lists hold a tenth of the design |
//! | `missing-fields` | ServiceAccounts and Deployments with none of the fields the definitions compare (missing is not a match for `not_null`) |
//! | `one-namespace` | one Namespace with every other component inside it |
//! | `many-small-namespaces` | a Namespace per ten components |
//! | `synthetic` | the project's own generator (`relationship_evaluator::synthetic`) |

use relationship_evaluator::model::Design;
use relationship_evaluator::synthetic::{self, DEFAULT_SEED};
use relationship_evaluator::{Engine, EngineOptions, Limits};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const DEFINITIONS: &str = "../shared/fixtures/meshery/relationships/kubernetes";

const FAMILIES: [&str; 8] = [
    "shared-port",
    "same-apps-per-namespace",
    "shared-label",
    "overlapping-selectors",
    "missing-fields",
    "one-namespace",
    "many-small-namespaces",
    "synthetic",
];

/// A Kubernetes component with a content-independent, size-independent id.
fn component(index: usize, kind: &str, name: &str, configuration: Value) -> Value {
    json!({
        "id": format!("00000000-0000-4000-8000-{index:012}"),
        "schemaVersion": "components.meshery.io/v1beta1",
        "version": "v1.0.0",
        "displayName": name,
        "component": {"kind": kind, "version": "v1", "schema": ""},
        "model": {"name": "kubernetes", "version": "v1.29.0", "displayName": "Kubernetes"},
        "modelReference": {"name": "kubernetes"},
        "configuration": configuration,
    })
}

fn workload(index: usize, kind: &str, name: &str, namespace: &str, labels: Value, port: u16) -> Value {
    component(
        index,
        kind,
        name,
        json!({
            "metadata": {"name": name, "namespace": namespace, "labels": labels},
            "spec": {
                "selector": {"matchLabels": labels},
                "template": {
                    "metadata": {"labels": labels},
                    "spec": {"containers": [{"name": name, "image": "nginx", "ports": [{"containerPort": port, "protocol": "TCP"}]}]},
                },
            },
        }),
    )
}

fn service(index: usize, name: &str, namespace: &str, selector: Value, port: u16) -> Value {
    component(
        index,
        "Service",
        name,
        json!({
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"selector": selector, "ports": [{"port": port, "targetPort": port, "protocol": "TCP"}]},
        }),
    )
}

fn namespace(index: usize, name: &str) -> Value {
    component(index, "Namespace", name, json!({"metadata": {"name": name}}))
}

/// Components pushed until the design has its size.
struct Components {
    items: Vec<Value>,
    size: usize,
}

impl Components {
    fn full(&self) -> bool {
        self.items.len() >= self.size
    }

    /// Adds the component `make` builds from its index, unless the design is full.
    fn push(&mut self, make: impl FnOnce(usize) -> Value) {
        if !self.full() {
            let index = self.items.len();
            self.items.push(make(index));
        }
    }
}

/// `size` components of one family, as a v1beta1 design.
fn family_design(family: &str, size: usize) -> Value {
    if family == "synthetic" {
        return synthetic::design(size, DEFAULT_SEED);
    }
    let mut components = Components { items: Vec::with_capacity(size), size };
    match family {
        "shared-port" | "shared-label" | "overlapping-selectors" => {
            components.push(|i| namespace(i, "apps"));
            let mut app = 0;
            while !components.full() {
                let name = format!("app-{app}");
                let team = format!("team-{}", app % 10);
                let (labels, selector) = match family {
                    "shared-port" => (json!({"app": name}), json!({"app": name})),
                    "shared-label" => (json!({"app": name, "tier": "web"}), json!({"app": name, "tier": "web"})),
                    _ => (json!({"app": name, "team": team, "tier": "web"}), json!({"team": team, "app": name})),
                };
                components.push(|i| workload(i, "Deployment", &name, "apps", labels.clone(), 80));
                components.push(|i| service(i, &name, "apps", selector.clone(), 80));
                app += 1;
            }
        }
        "same-apps-per-namespace" => {
            let mut ns = 0;
            while !components.full() {
                let ns_name = format!("team-{ns}");
                components.push(|i| namespace(i, &ns_name));
                for app in ["web", "api", "db", "cache", "worker"] {
                    // Selecting `app` alone would relate every namespace's `web` to every other's
                    // (Meshery's network definitions do not compare namespaces): quadratic output,
                    // refused by the relationships-created limit. Teams label their apps.
                    let labels = json!({"app": app, "team": ns_name});
                    components.push(|i| workload(i, "Deployment", app, &ns_name, labels.clone(), 8080));
                    components.push(|i| service(i, app, &ns_name, labels.clone(), 8080));
                }
                ns += 1;
            }
        }
        "missing-fields" => {
            let mut n = 0;
            while !components.full() {
                let name = format!("bare-{n}");
                components.push(|i| component(i, "ServiceAccount", &name, json!({})));
                components.push(|i| component(i, "Deployment", &name, json!({})));
                n += 1;
            }
        }
        "one-namespace" | "many-small-namespaces" => {
            let per_namespace = if family == "one-namespace" { usize::MAX } else { 10 };
            let mut ns = 0;
            while !components.full() {
                let ns_name = format!("ns-{ns}");
                components.push(|i| namespace(i, &ns_name));
                let mut child = 0;
                while child + 1 < per_namespace && !components.full() {
                    let name = format!("{ns_name}-w{child}");
                    let kind = ["Deployment", "ConfigMap", "Secret", "Pod"][child % 4];
                    components.push(|i| workload(i, kind, &name, &ns_name, json!({"app": name}), 8080));
                    child += 1;
                }
                ns += 1;
            }
        }
        other => panic!("unknown family {other}; one of {FAMILIES:?}"),
    }
    json!({
        "id": "00000000-0000-4000-8000-000000000ad0",
        "name": format!("{family}-{size}"),
        "schemaVersion": "designs.meshery.io/v1beta1",
        "version": "0.0.1",
        "components": components.items,
        "relationships": [],
    })
}

/// Best of `runs` full evaluations, and the relationships the last one found.
fn time_evaluation(design: &Value, runs: usize) -> (Duration, usize) {
    let definitions = synthetic::load_definitions(DEFINITIONS.as_ref()).expect("definitions");
    let mut best = Duration::MAX;
    let mut relationships = 0;
    for _ in 0..runs {
        let decoded = Design::from_value(design.clone(), &Limits::default()).expect("design");
        let mut engine = Engine::new(definitions.clone(), EngineOptions::default());
        let start = Instant::now();
        let response = engine.evaluate(decoded).expect("evaluation");
        best = best.min(start.elapsed());
        relationships = response.design.relationships.len();
    }
    (best, relationships)
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--design") {
        let size = args.get(2).and_then(|s| s.parse().ok()).expect("--design FAMILY SIZE");
        println!("{}", family_design(&args[1], size));
        return;
    }
    let mut runs = 3;
    let mut families = Vec::new();
    let mut sizes = Vec::new();
    while !args.is_empty() {
        let arg = args.remove(0);
        match arg.as_str() {
            "--runs" => runs = args.remove(0).parse().expect("--runs K"),
            "--family" => families.push(args.remove(0)),
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
        "| family | T({small}) ms | T({large}) ms | T({large})/T({small}) | relationships at {small} | at {large} |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for family in &families {
        let (t_small, r_small) = time_evaluation(&family_design(family, small), runs);
        let (t_large, r_large) = time_evaluation(&family_design(family, large), runs);
        println!(
            "| {family} | {:.1} | {:.1} | {:.1} | {r_small} | {r_large} |",
            t_small.as_secs_f64() * 1e3,
            t_large.as_secs_f64() * 1e3,
            t_large.as_secs_f64() / t_small.as_secs_f64()
        );
    }
}
