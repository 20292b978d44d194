//! The project's design generator (`examples/synthetic/`, used by the benchmarks and examples):
//! deterministic, exact in size, and relating every type of relationship it is meant to.

#[path = "../examples/synthetic/mod.rs"]
mod synthetic;

use relationship_evaluator::{Design, Engine, EngineOptions, Limits, Relationship};
use std::path::Path;
use synthetic::{design, load_definitions, relationship_counts, DEFAULT_SEED};

fn kubernetes_definitions() -> Vec<Relationship> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/meshery/relationships/kubernetes");
    load_definitions(&folder).expect("the kubernetes fixture definitions load")
}

#[test]
fn the_generator_is_deterministic_and_exact_in_size() {
    for n in [1, 7, 200, 1234] {
        let a = design(n, DEFAULT_SEED);
        assert_eq!(a, design(n, DEFAULT_SEED));
        assert_eq!(a["components"].as_array().unwrap().len(), n);
    }
    assert_ne!(design(200, 1), design(200, 2));
    let large = design(2000, 3);
    let ids: std::collections::HashSet<&str> =
        large["components"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 2000, "component ids are unique");
}

#[test]
fn a_200_component_design_relates_every_expected_type() {
    let value = design(200, DEFAULT_SEED);
    let invalid: Vec<String> =
        value["relationships"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect();
    let design = Design::from_value(value, &Limits::default()).unwrap();
    let mut engine = Engine::new(kubernetes_definitions(), EngineOptions::default());
    let response = engine.evaluate(design).unwrap();
    let by_pair = relationship_counts(&response.design);
    let count = |key: &str| by_pair.get(key).copied().unwrap_or(0);
    let at_least = |key: &str, minimum: usize| {
        assert!(count(key) >= minimum, "{key}: {} < {minimum}; all: {by_pair:#?}", count(key));
    };
    // Every namespaced component sits in a declared namespace.
    let namespaced = response.design.components.iter().filter(|c| c.kind() != "Namespace").count();
    let inventory: usize =
        by_pair.iter().filter(|(k, _)| k.starts_with("hierarchical/parent/inventory")).map(|(_, v)| v).sum();
    assert_eq!(inventory, namespaced, "{by_pair:#?}");
    at_least("edge/non-binding/network Service→Pod", 10);
    at_least("edge/non-binding/network Service→Deployment", 5);
    at_least("edge/non-binding/network Ingress→Service", 1);
    at_least("edge/non-binding/reference Deployment→Pod", 10);
    at_least("edge/binding/permission Role→ServiceAccount", 5);
    assert!(
        count("edge/non-binding/reference ReplicationController→ConfigMap")
            + count("edge/non-binding/reference ReplicationController→Secret")
            >= 1,
        "{by_pair:#?}"
    );
    // Filled fields: nothing relates unrelated apps, so the total stays linear.
    let total: usize = by_pair.values().sum();
    assert!(total < 3 * response.design.components.len(), "{total} relationships: {by_pair:#?}");
    // The pre-existing relationships to missing components are gone.
    assert!(!invalid.is_empty());
    for id in &invalid {
        assert!(response.design.relationships.iter().all(|r| r.id() != id), "{id} survived");
    }
}
