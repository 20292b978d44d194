//! The candidate pairs each join examines stay within a constant times (components +
//! relationships found), on every design family of `examples/families`, at two sizes: a join
//! that examines more pairs than it returns (a quadratic step) fails here by counting, whatever
//! the machine's speed.

#[path = "../examples/synthetic/mod.rs"]
mod synthetic;

#[path = "../examples/families/mod.rs"]
mod families;

use families::{definitions_dir, family_design, FAMILIES};
use relationship_evaluator::model::Design;
use relationship_evaluator::{Engine, EngineOptions, Limits};

/// Pairs a join may examine per component or relationship of the evaluated design.
const PAIRS_PER_ITEM: u64 = 2;

#[test]
fn every_join_examines_pairs_linear_in_components_and_relationships_found() {
    let definitions = synthetic::load_definitions(&definitions_dir()).expect("definitions");
    for family in FAMILIES {
        for size in [300, 1_200] {
            let design = Design::from_value(family_design(family, size), &Limits::default()).expect("design");
            let mut engine = Engine::new(definitions.clone(), EngineOptions::default());
            let response = engine.evaluate(design).expect("evaluation");
            let items = (response.design.components.len() + response.design.relationships.len()) as u64;
            let bound = PAIRS_PER_ITEM * items;
            for work in engine.join_work() {
                assert!(
                    work.counts.examined <= bound,
                    "{family} at {size}: {} {} (pass {}) examined {} pairs for {} matches; bound {bound} \
                     ({PAIRS_PER_ITEM} x {items} components and relationships)",
                    work.policy,
                    work.label,
                    work.pass,
                    work.counts.examined,
                    work.counts.matched,
                );
            }
        }
    }
}
