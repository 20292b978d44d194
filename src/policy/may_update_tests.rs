//! `Policy::may_update` against what side effects really update: an edit recomputes, for a
//! component it may patch, only the relationships that say they can write to it, so a component
//! a side effect updates that its policy did not name would lose a tie in an edit and not in a
//! full evaluation.

use super::registered_policies;
use super::test_designs::fixture;
use crate::context::Context;
use crate::index::DesignIndex;
use crate::limits::Limits;
use crate::model::{Action, Design, Status};
use crate::options::EngineOptions;
use serde_json::{json, Value};

/// The designs Meshery's Go engine evaluated, each as `(input, output)` (`go-engine/`).
const GO_ENGINE_DESIGNS: [&str; 6] = [
    "N40-seed11",
    "N200-seed12",
    "N600-seed13",
    "fx-edge-firewall-relationship",
    "fx-kubernetes_basic",
    "fx-valid_design",
];

/// The input's components with every relationship of the input and of Meshery's output: the
/// relationships the engine identified, against components their patches have not reached yet,
/// so that their side effects update something. `status` overrides every relationship's status
/// (`deleted` turns patches into clean-ups).
fn unpatched_design(name: &str, status: Option<&str>) -> Design {
    let input = fixture(&format!("go-engine/design-{name}.json"), "");
    let output = fixture(&format!("go-engine/go-result-{name}.json"), "/design");
    let mut relationships: Vec<Value> = Vec::new();
    for design in [&input, &output] {
        for relationship in design["relationships"].as_array().into_iter().flatten() {
            let mut relationship = relationship.clone();
            if let Some(status) = status {
                relationship["status"] = json!(status);
            }
            // Output relationships reuse input ids: keep the first of each.
            if !relationships.iter().any(|r| r["id"] == relationship["id"]) {
                relationships.push(relationship);
            }
        }
    }
    let mut design = input.clone();
    design["relationships"] = Value::Array(relationships);
    Design::from_value(design, &Limits::default()).expect("design decodes")
}

#[test]
fn every_component_a_side_effect_updates_is_one_its_policy_may_update() {
    let policies = registered_policies();
    let options = EngineOptions::default();
    let mut updates = 0;
    let mut refused = Vec::new();
    for name in GO_ENGINE_DESIGNS {
        for status in [None, Some(Status::APPROVED), Some(Status::DELETED)] {
            let design = unpatched_design(name, status);
            let index = DesignIndex::build(&design);
            let context = Context::new(&design, &index, &options);
            for relationship in &design.relationships {
                for policy in policies.iter().filter(|p| p.is_implicated_by(relationship)) {
                    for action in policy.side_effects(relationship, &context) {
                        let (Action::UpdateComponent { id, .. }
                        | Action::UpdateComponentConfiguration { id, .. }
                        | Action::RemoveComponentConfiguration { id, .. }) = &action
                        else {
                            continue;
                        };
                        updates += 1;
                        if !policy.may_update(relationship, id) {
                            refused.push(format!("{name} {:?}: {} updates {id}", status, policy.id()));
                        }
                    }
                }
            }
        }
    }
    assert!(refused.is_empty(), "may_update refused components side effects update: {refused:#?}");
    // The designs hold patches and clean-ups of several policies: the check is not vacuous.
    assert!(updates > 100, "only {updates} component updates were checked");
}

#[test]
fn a_patch_is_written_to_the_mutated_side_only() {
    let policies = registered_policies();
    let design = unpatched_design("N200-seed12", None);
    let mut checked = 0;
    for relationship in &design.relationships {
        for policy in policies.iter().filter(|p| p.is_implicated_by(relationship)) {
            let named = crate::index::named_components(relationship);
            let writable: Vec<&String> = named.iter().filter(|id| policy.may_update(relationship, id)).collect();
            // No policy writes to every component it names: the mutator side is read only.
            if named.len() >= 2 {
                checked += 1;
                assert!(
                    writable.len() < named.len(),
                    "{} may update every component of {}",
                    policy.id(),
                    relationship.id()
                );
            }
        }
    }
    assert!(checked > 10, "only {checked} relationships named two components");
}
