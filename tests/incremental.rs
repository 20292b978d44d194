//! Incremental evaluation equals full evaluation: for random designs and random edit batches,
//! the evaluator's state after each batch is byte-for-byte the design a fresh full evaluation of
//! (previous state + the same edits) produces, and a failing batch fails the same way.

use proptest::prelude::*;
use relationship_evaluator::evaluator::{EvaluationPath, Evaluator, Snapshot};
use relationship_evaluator::model::{parse_definitions, Design, Relationship};
use relationship_evaluator::{Edit, Engine, EngineOptions};
use serde_json::{json, Value};
use std::sync::OnceLock;

const DEFINITIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/meshery/relationships/kubernetes");

fn definitions() -> &'static Vec<Relationship> {
    static DEFINITIONS_CELL: OnceLock<Vec<Relationship>> = OnceLock::new();
    DEFINITIONS_CELL.get_or_init(|| {
        let mut files: Vec<_> = std::fs::read_dir(DEFINITIONS).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        let values: Vec<Value> = files
            .iter()
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
            .collect();
        parse_definitions(Value::Array(values), &Default::default()).unwrap()
    })
}

const KINDS: &[&str] =
    &["Namespace", "Deployment", "Service", "Pod", "ConfigMap", "Role", "RoleBinding", "ServiceAccount"];
const NAMES: &[&str] = &["shop", "web", "api", "db"];
const LABELS: &[&str] = &["web", "api"];

fn component(index: usize, kind: usize, name: usize, namespace: Option<usize>, label: usize) -> Value {
    let kind = KINDS[kind % KINDS.len()];
    let name = NAMES[name % NAMES.len()];
    let mut configuration = json!({"metadata": {"name": name, "labels": {"app": LABELS[label % LABELS.len()]}}});
    if let Some(ns) = namespace {
        configuration["metadata"]["namespace"] = json!(NAMES[ns % NAMES.len()]);
    }
    match kind {
        "Service" => configuration["spec"] = json!({"selector": {"app": LABELS[label % LABELS.len()]}}),
        "Deployment" => {
            configuration["spec"] = json!({"selector": {"matchLabels": {"app": LABELS[label % LABELS.len()]}},
                "template": {"metadata": {"labels": {"app": LABELS[label % LABELS.len()]}}}})
        }
        "RoleBinding" => {
            configuration["roleRef"] = json!({"kind": "Role", "name": name});
            configuration["subjects"] = json!([{"kind": "ServiceAccount", "name": name}]);
        }
        _ => {}
    }
    json!({
        "id": format!("00000000-0000-0000-0000-{index:012}"),
        "component": {"kind": kind}, "displayName": name,
        "modelReference": {"name": "kubernetes"}, "configuration": configuration,
        "metadata": {"labels": {"app": LABELS[label % LABELS.len()]}}
    })
}

/// An edit described by indices, resolved against the design it applies to.
#[derive(Debug, Clone)]
enum AbstractEdit {
    Add { kind: usize, name: usize, namespace: Option<usize>, label: usize },
    Remove(usize),
    Rename(usize, usize),
    SetNamespace(usize, Option<usize>),
    SetLabel(usize, usize),
    Move(usize),
    RemoveRelationship(usize),
    SetStatus(usize, usize),
    UnknownComponent,
    SetLayerOff,
}

fn abstract_edit() -> impl Strategy<Value = AbstractEdit> {
    prop_oneof![
        4 => (0..8usize, 0..4usize, proptest::option::of(0..4usize), 0..2usize)
            .prop_map(|(kind, name, namespace, label)| AbstractEdit::Add { kind, name, namespace, label }),
        2 => any::<usize>().prop_map(AbstractEdit::Remove),
        2 => (any::<usize>(), 0..4usize).prop_map(|(c, n)| AbstractEdit::Rename(c, n)),
        3 => (any::<usize>(), proptest::option::of(0..4usize)).prop_map(|(c, n)| AbstractEdit::SetNamespace(c, n)),
        2 => (any::<usize>(), 0..2usize).prop_map(|(c, l)| AbstractEdit::SetLabel(c, l)),
        1 => any::<usize>().prop_map(AbstractEdit::Move),
        2 => any::<usize>().prop_map(AbstractEdit::RemoveRelationship),
        2 => (any::<usize>(), 0..4usize).prop_map(|(r, s)| AbstractEdit::SetStatus(r, s)),
        1 => Just(AbstractEdit::UnknownComponent),
        1 => Just(AbstractEdit::SetLayerOff),
    ]
}

fn resolve(edit: &AbstractEdit, design: &Design, next_id: &mut usize) -> Edit {
    let component_id = |i: usize| -> String {
        if design.components.is_empty() {
            "missing".into()
        } else {
            design.components[i % design.components.len()].id().to_owned()
        }
    };
    let relationship_id = |i: usize| -> String {
        if design.relationships.is_empty() {
            "missing".into()
        } else {
            design.relationships[i % design.relationships.len()].id().to_owned()
        }
    };
    match edit {
        AbstractEdit::Add { kind, name, namespace, label } => {
            *next_id += 1;
            Edit::AddComponent { component: component(*next_id, *kind, *name, *namespace, *label) }
        }
        AbstractEdit::Remove(i) => Edit::RemoveComponent { id: component_id(*i) },
        AbstractEdit::Rename(i, n) => Edit::RenameComponent { id: component_id(*i), display_name: NAMES[*n].into() },
        AbstractEdit::SetNamespace(i, n) => {
            Edit::SetNamespace { id: component_id(*i), namespace: n.map(|n| NAMES[n].to_string()) }
        }
        AbstractEdit::SetLabel(i, l) => {
            let mut labels = serde_json::Map::new();
            labels.insert("app".into(), json!(LABELS[*l]));
            Edit::SetLabels { id: component_id(*i), labels }
        }
        AbstractEdit::Move(i) => Edit::MoveComponent { id: component_id(*i), x: 1.5, y: 2.0 },
        AbstractEdit::RemoveRelationship(i) => Edit::RemoveRelationship { id: relationship_id(*i) },
        AbstractEdit::SetStatus(i, s) => Edit::SetRelationshipStatus {
            id: relationship_id(*i),
            status: ["approved", "deleted", "pending", "identified"][*s].into(),
        },
        AbstractEdit::UnknownComponent => {
            Edit::RenameComponent { id: "no-such-component".into(), display_name: "x".into() }
        }
        AbstractEdit::SetLayerOff => Edit::SetLayer { layer: "edge-non-binding-network".into(), enabled: false },
    }
}

/// Engine options with this approval cap (Meshery's 100 never binds on these small designs;
/// 1 and 2 leave relationships `identified` across batches, the path a large design takes).
fn options(max_approvals_per_policy: usize) -> EngineOptions {
    EngineOptions { max_approvals_per_policy, ..EngineOptions::default() }
}

fn full_evaluation(design: &Design, edits: &[Edit], options: EngineOptions) -> Result<Value, String> {
    let mut working = design.clone();
    for (i, edit) in edits.iter().enumerate() {
        edit.apply(&mut working, &format!("/{i}")).map_err(|e| format!("{}:{}", e.code.as_str(), e.path))?;
    }
    Engine::new(definitions().clone(), options)
        .evaluate(working)
        .map(|r| r.design.to_value())
        .map_err(|e| format!("{}:{}", e.code.as_str(), e.path))
}

fn initial_design(components: &[(usize, usize, Option<usize>, usize)]) -> Design {
    let components: Vec<Value> = components
        .iter()
        .enumerate()
        .map(|(i, (kind, name, namespace, label))| component(i, *kind, *name, *namespace, *label))
        .collect();
    Design::from_value(
        json!({"id": "00000000-0000-0000-0000-00000000d0d0", "name": "random", "version": "0.0.1",
               "components": components, "relationships": []}),
        &Default::default(),
    )
    .unwrap()
}

/// 48 cases per run by default; `PROPTEST_CASES` asks for more (a long local run).
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48)
}

/// Applies each batch to the evaluator and, separately, to a copy evaluated in full; the two
/// designs (or the two errors, with the state unchanged) must be identical.
fn incremental_equals_full(
    components: &[(usize, usize, Option<usize>, usize)],
    batches: &[Vec<AbstractEdit>],
    approval_cap: usize,
) -> Result<(), TestCaseError> {
    let mut evaluator = Evaluator::new(definitions().clone(), options(approval_cap));
    evaluator.load_design(initial_design(components)).unwrap();
    let mut next_id = 1000;
    for batch in batches {
        let before = evaluator.design().clone();
        let edits: Vec<Edit> = batch.iter().map(|e| resolve(e, &before, &mut next_id)).collect();
        let expected = full_evaluation(&before, &edits, options(approval_cap));
        let actual = evaluator
            .apply_edits(&edits)
            .map(|_| evaluator.design().to_value())
            .map_err(|e| format!("{}:{}", e.code.as_str(), e.path));
        match (&expected, &actual) {
            (Ok(expected), Ok(actual)) => {
                prop_assert_eq!(
                    serde_json::to_string(expected).unwrap(),
                    serde_json::to_string(actual).unwrap(),
                    "after edits {:?} (path {:?})",
                    edits,
                    evaluator.last_path()
                );
                restores_identically(&evaluator)?;
            }
            (Err(expected), Err(actual)) => {
                prop_assert_eq!(expected, actual);
                prop_assert_eq!(
                    serde_json::to_string(&before.to_value()).unwrap(),
                    serde_json::to_string(&evaluator.design().to_value()).unwrap()
                );
            }
            _ => prop_assert!(false, "full {:?} vs incremental {:?} for {:?}", expected, actual, edits),
        }
    }
    Ok(())
}

/// Every state the evaluator acknowledged can be snapshotted and restored, in both forms, to the
/// same design and revision (issue 15 #1).
fn restores_identically(evaluator: &Evaluator) -> Result<(), TestCaseError> {
    let snapshot = evaluator.snapshot();
    for (form, restored) in [
        ("MessagePack", Snapshot::from_msgpack(&snapshot.to_msgpack()).and_then(Evaluator::restore)),
        ("JSON", Snapshot::from_json(&snapshot.to_json()).and_then(Evaluator::restore)),
    ] {
        let restored = restored.map_err(|e| TestCaseError::fail(format!("{form} snapshot does not restore: {e}")))?;
        prop_assert_eq!(restored.revision(), evaluator.revision());
        prop_assert_eq!(
            restored.design().to_value().to_string(),
            evaluator.design().to_value().to_string(),
            "{} restore",
            form
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn incremental_state_equals_a_fresh_full_evaluation_after_every_batch(
        components in proptest::collection::vec((0..8usize, 0..4usize, proptest::option::of(0..4usize), 0..2usize), 0..14),
        batches in proptest::collection::vec(proptest::collection::vec(abstract_edit(), 1..4), 1..7),
    ) {
        incremental_equals_full(&components, &batches, 100)?;
    }

    /// With an approval cap that binds (1 or 2 here; Meshery's 100 binds on large designs),
    /// relationships stay `identified` across batches and patches tie and untie as approvals
    /// arrive: the path large designs take.
    #[test]
    fn incremental_equals_full_when_the_approval_cap_binds(
        components in proptest::collection::vec((0..8usize, 0..4usize, proptest::option::of(0..4usize), 0..2usize), 0..14),
        batches in proptest::collection::vec(proptest::collection::vec(abstract_edit(), 1..4), 1..7),
        approval_cap in prop_oneof![Just(1usize), Just(2usize)],
    ) {
        incremental_equals_full(&components, &batches, approval_cap)?;
    }
}

#[test]
fn a_small_edit_on_a_quiescent_design_takes_the_incremental_path() {
    let mut evaluator = Evaluator::new(definitions().clone(), EngineOptions::default());
    evaluator.load_design(initial_design(&[(0, 0, None, 0), (1, 1, Some(0), 0), (2, 2, Some(0), 0)])).unwrap();
    evaluator
        .apply_edits(&[Edit::RenameComponent {
            id: "00000000-0000-0000-0000-000000000001".into(),
            display_name: "api".into(),
        }])
        .unwrap();
    assert_eq!(evaluator.last_path(), EvaluationPath::Incremental);
}
