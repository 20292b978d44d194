//! Incremental evaluation equals full evaluation: for random designs and random edit batches,
//! the evaluator's state after each batch is byte-for-byte the design a fresh full evaluation of
//! (previous state + the same edits) produces, and a failing batch fails the same way.

use proptest::prelude::*;
use relationship_evaluator::evaluator::apply_all;
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
        // Ports on the services and workloads, so that network relationships (hash-joined on the
        // port, then the selector) come and go with the edits.
        "Service" => {
            configuration["spec"] = json!({"selector": {"app": LABELS[label % LABELS.len()]},
                "ports": [{"port": 80, "targetPort": if name.len() % 2 == 0 { 80 } else { 8080 }, "protocol": "TCP"}]})
        }
        "Deployment" => {
            configuration["spec"] = json!({"selector": {"matchLabels": {"app": LABELS[label % LABELS.len()]}},
                "template": {"metadata": {"labels": {"app": LABELS[label % LABELS.len()]}},
                    "spec": {"containers": [{"name": "main", "ports": [{"containerPort": 80, "protocol": "TCP"}]}]}}})
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

/// How the evaluator under test is set up; the full evaluation it is compared with always uses
/// one evaluation with the same caps (what a batch means, settled or not).
#[derive(Debug, Clone, Copy)]
struct Setup {
    approval_cap: usize,
    /// 1 leaves patches of newly approved relationships for the next evaluation: the design
    /// stays unsettled and every batch carries pending work.
    max_passes: usize,
    settle_on_load: bool,
    rematch_on_edit: bool,
}

impl Setup {
    fn evaluator_options(self) -> EngineOptions {
        EngineOptions {
            max_passes: self.max_passes,
            settle_on_load: self.settle_on_load,
            rematch_on_edit: self.rematch_on_edit,
            ..options(self.approval_cap)
        }
    }

    fn batch_options(self) -> EngineOptions {
        EngineOptions { max_passes: self.max_passes, ..options(self.approval_cap) }
    }
}

const MESHERY: Setup = Setup { approval_cap: 100, max_passes: 5, settle_on_load: false, rematch_on_edit: false };

/// What `rematchOnEdit` means, spelled out as plain edits: before each edit of a component's
/// namespace, labels or configuration, a removal of every relationship naming it (as the batch
/// starts, each once).
fn spelled_out_rematch(design: &Design, edits: &[Edit]) -> Vec<Edit> {
    let mut removed = std::collections::BTreeSet::new();
    let mut spelled = Vec::new();
    for edit in edits {
        if let Some(id) = edit.rematched_component() {
            for relationship in &design.relationships {
                let named = relationship_evaluator::index::named_components(relationship);
                if named.iter().any(|c| c == id) && removed.insert(relationship.id().to_owned()) {
                    spelled.push(Edit::RemoveRelationship { id: relationship.id().to_owned() });
                }
            }
        }
        if let Edit::RemoveRelationship { id } = edit {
            removed.insert(id.clone());
        }
        spelled.push(edit.clone());
    }
    spelled
}

fn full_evaluation(design: &Design, edits: &[Edit], options: EngineOptions) -> Result<Value, String> {
    let working = apply_all(design, edits).map_err(|e| format!("{}:{}", e.code.as_str(), e.path))?;
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
    setup: Setup,
) -> Result<(), TestCaseError> {
    let mut evaluator = Evaluator::new(definitions().clone(), setup.evaluator_options());
    evaluator.load_design(initial_design(components)).unwrap();
    if setup.settle_on_load {
        settled(&evaluator, setup)?;
    }
    let mut next_id = 1000;
    for batch in batches {
        let before = evaluator.design().clone();
        let edits: Vec<Edit> = batch.iter().map(|e| resolve(e, &before, &mut next_id)).collect();
        let expected = if setup.rematch_on_edit {
            // Edit positions differ once spelled out: compare the error codes only.
            full_evaluation(&before, &spelled_out_rematch(&before, &edits), setup.batch_options())
                .map_err(|e| e.split(':').next().unwrap_or_default().to_owned())
        } else {
            full_evaluation(&before, &edits, setup.batch_options())
        };
        let actual = evaluator.apply_edits(&edits).map(|_| evaluator.design().to_value()).map_err(|e| {
            if setup.rematch_on_edit {
                e.code.as_str().to_owned()
            } else {
                format!("{}:{}", e.code.as_str(), e.path)
            }
        });
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

/// A settled design: a full evaluation of it finds nothing to do.
fn settled(evaluator: &Evaluator, setup: Setup) -> Result<(), TestCaseError> {
    prop_assert!(evaluator.is_settled());
    let response = Engine::new(definitions().clone(), setup.batch_options())
        .evaluate(evaluator.design().clone())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(response.actions.len(), 0, "a settled design still has work: {:?}", response.actions);
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
        incremental_equals_full(&components, &batches, MESHERY)?;
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
        incremental_equals_full(&components, &batches, Setup { approval_cap, ..MESHERY })?;
    }

    /// With one pass per evaluation, patches of relationships approved in a pass wait for the
    /// next evaluation: the design is unsettled after most loads and batches, and every batch
    /// carries that pending work along its own (never a full pass because of it).
    #[test]
    fn incremental_equals_full_on_unsettled_designs(
        components in proptest::collection::vec((0..8usize, 0..4usize, proptest::option::of(0..4usize), 0..2usize), 0..14),
        batches in proptest::collection::vec(proptest::collection::vec(abstract_edit(), 1..4), 1..7),
        approval_cap in prop_oneof![Just(1usize), Just(100usize)],
    ) {
        incremental_equals_full(&components, &batches, Setup { approval_cap, max_passes: 1, settle_on_load: false, rematch_on_edit: false })?;
    }

    /// `rematchOnEdit` is exactly the removals it stands for, on the restricted path too.
    #[test]
    fn rematch_on_edit_equals_its_spelled_out_removals(
        components in proptest::collection::vec((0..8usize, 0..4usize, proptest::option::of(0..4usize), 0..2usize), 0..14),
        batches in proptest::collection::vec(proptest::collection::vec(abstract_edit(), 1..4), 1..5),
    ) {
        incremental_equals_full(&components, &batches, Setup { rematch_on_edit: true, settle_on_load: true, ..MESHERY })?;
    }

    /// `settleOnLoad`: after the load nothing is pending (a full evaluation finds nothing to
    /// do), and batches still equal a full evaluation.
    #[test]
    fn a_settled_load_leaves_nothing_pending(
        components in proptest::collection::vec((0..8usize, 0..4usize, proptest::option::of(0..4usize), 0..2usize), 0..14),
        batches in proptest::collection::vec(proptest::collection::vec(abstract_edit(), 1..4), 1..4),
        approval_cap in prop_oneof![Just(1usize), Just(100usize)],
        max_passes in prop_oneof![Just(1usize), Just(5usize)],
    ) {
        incremental_equals_full(&components, &batches, Setup { approval_cap, max_passes, settle_on_load: true, rematch_on_edit: false })?;
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

/// Six apps, each a Service selecting a Deployment on port 80: a network relationship per app,
/// `identified` first, so an approval cap of 1 leaves most of them for later evaluations; the
/// target port is the text "80", equal as strings to the container port 80, so each approved
/// relationship patches its Deployment in the pass after its approval.
fn busy_design() -> Design {
    let mut components = Vec::new();
    for app in 0..6 {
        let labels = json!({"app": format!("app-{app}")});
        components.push(json!({
            "id": format!("00000000-0000-0000-0000-{:012}", 2 * app),
            "component": {"kind": "Deployment"}, "displayName": format!("deploy-{app}"),
            "modelReference": {"name": "kubernetes"},
            "configuration": {"metadata": {"name": format!("deploy-{app}")}, "spec": {
                "selector": {"matchLabels": labels},
                "template": {"metadata": {"labels": labels}, "spec": {"containers": [
                    {"name": "main", "ports": [{"containerPort": 80, "protocol": "TCP"}]}]}}}}
        }));
        components.push(json!({
            "id": format!("00000000-0000-0000-0000-{:012}", 2 * app + 1),
            "component": {"kind": "Service"}, "displayName": format!("svc-{app}"),
            "modelReference": {"name": "kubernetes"},
            "configuration": {"metadata": {"name": format!("svc-{app}")}, "spec": {
                "selector": labels, "ports": [{"port": 80, "targetPort": "80", "protocol": "TCP"}]}}
        }));
    }
    Design::from_value(
        json!({"id": "00000000-0000-0000-0000-00000000b0b0", "name": "busy", "version": "0.0.1",
               "components": components, "relationships": []}),
        &Default::default(),
    )
    .unwrap()
}

/// Namespaces and workloads where a rename makes a Namespace the parent of a Deployment: with one
/// pass per evaluation, that batch leaves the new relationship's patches for later.
fn design_left_unsettled_by_a_rename() -> (Design, Vec<Edit>) {
    let design = initial_design(&[
        (1, 0, Some(3), 0),
        (0, 0, None, 0),
        (0, 0, None, 0),
        (0, 0, None, 0),
        (3, 0, Some(2), 0),
        (0, 0, None, 0),
        (0, 2, None, 0),
    ]);
    let rename = Edit::RenameComponent { id: design.components[6].id().to_owned(), display_name: NAMES[3].into() };
    (design, vec![rename])
}

#[test]
fn an_edit_on_an_unsettled_design_takes_the_incremental_path_and_equals_full() {
    let setup = Setup { approval_cap: 100, max_passes: 1, settle_on_load: false, rematch_on_edit: false };
    let mut evaluator = Evaluator::new(definitions().clone(), setup.evaluator_options());
    let (design, rename) = design_left_unsettled_by_a_rename();
    evaluator.load_design(design).unwrap();
    evaluator.apply_edits(&rename).unwrap();
    assert!(!evaluator.is_settled(), "the design must have pending work for this test to mean anything");
    let before = evaluator.design().clone();
    let edits = vec![Edit::MoveComponent { id: before.components[1].id().to_owned(), x: 3.0, y: 4.0 }];
    let delta = evaluator.apply_edits(&edits).unwrap();
    assert_eq!(evaluator.last_path(), EvaluationPath::Incremental);
    // The pending work rode along with the move, as in a full evaluation.
    assert!(!delta.actions.is_empty());
    let expected = full_evaluation(&before, &edits, setup.batch_options()).unwrap();
    assert_eq!(evaluator.design().to_value().to_string(), expected.to_string());
}

#[test]
fn settling_on_load_leaves_edits_only_their_own_consequences() {
    let setup = Setup { approval_cap: 1, max_passes: 1, settle_on_load: true, rematch_on_edit: false };
    let mut evaluator = Evaluator::new(definitions().clone(), setup.evaluator_options());
    let delta = evaluator.load_design(busy_design()).unwrap();
    assert!(delta.diagnostics.is_empty(), "{:?}", delta.diagnostics);
    assert!(evaluator.is_settled());
    let response =
        Engine::new(definitions().clone(), setup.batch_options()).evaluate(evaluator.design().clone()).unwrap();
    assert!(response.actions.is_empty(), "{:?}", response.actions);
    // Every relationship was approved while settling, none is left `identified`.
    assert!(evaluator.design().relationships.iter().all(|r| r.status() != "identified"));
    let edits = vec![Edit::MoveComponent { id: evaluator.design().components[1].id().to_owned(), x: 3.0, y: 4.0 }];
    let delta = evaluator.apply_edits(&edits).unwrap();
    assert_eq!(evaluator.last_path(), EvaluationPath::Incremental);
    assert_eq!(delta.components_updated.len(), 1);
    assert!(delta.relationships_updated.is_empty() && delta.actions.is_empty(), "{:?}", delta.actions);
}

#[test]
fn settling_stops_at_its_pass_bound_with_a_diagnostic() {
    let options = EngineOptions {
        max_settle_passes: 1,
        ..Setup { approval_cap: 1, max_passes: 1, settle_on_load: true, rematch_on_edit: false }.evaluator_options()
    };
    let mut evaluator = Evaluator::new(definitions().clone(), options);
    let delta = evaluator.load_design(busy_design()).unwrap();
    assert_eq!(delta.diagnostics.len(), 1);
    assert_eq!(delta.diagnostics[0].code, "LIMIT_EXCEEDED");
    assert_eq!(delta.diagnostics[0].path, "/maxSettlePasses");
    assert!(!evaluator.is_settled());
    assert!(serde_json::to_string(&delta).unwrap().contains("\"diagnostics\""));
}

#[test]
fn a_delta_without_diagnostics_has_no_diagnostics_field() {
    let mut evaluator = Evaluator::new(definitions().clone(), EngineOptions::default());
    let delta = evaluator.load_design(busy_design()).unwrap();
    assert!(!serde_json::to_string(&delta).unwrap().contains("diagnostics"));
}

/// `00000000-0000-0000-0000-<n>`: ids for the hand-built designs below.
fn numbered_id(n: u32) -> String {
    format!("00000000-0000-0000-0000-{n:012}")
}

/// Deployment `n` with `configuration.x`.
fn deployment_with_x(n: u32, x: u32) -> Value {
    json!({"id": numbered_id(n), "component": {"kind": "Deployment"}, "displayName": format!("d{n}"),
           "modelReference": {"name": "kubernetes"}, "configuration": {"x": x}})
}

/// An approved wallet relationship `n` copying Deployment `from`'s `x` into Deployment `to`'s.
fn wallet_copying_x(n: u32, from: u32, to: u32) -> Value {
    json!({"id": numbered_id(n), "kind": "hierarchical", "type": "parent", "subType": "wallet", "status": "approved",
           "selectors": [{"allow": {
               "from": [{"id": numbered_id(from), "kind": "Deployment", "patch": {"mutatorRef": [["configuration", "x"]]}}],
               "to": [{"id": numbered_id(to), "kind": "Deployment", "patch": {"mutatedRef": [["configuration", "x"]]}}]}}]})
}

/// Two Deployments whose wallet relationships copy each other's `x`: every evaluation swaps the
/// values. With one pass per evaluation the load itself succeeds; settling sees a pass repeat an
/// earlier one, stops, and says so instead of running to its bound.
#[test]
fn settling_a_design_that_cycles_stops_with_a_flapping_diagnostic() {
    let (id, deployment, wallet) = (numbered_id, deployment_with_x, wallet_copying_x);
    let design = Design::from_value(
        json!({"id": id(0xdc), "components": [deployment(1, 1), deployment(2, 2)],
               "relationships": [wallet(0x10, 1, 2), wallet(0x11, 2, 1)]}),
        &Default::default(),
    )
    .unwrap();
    let options =
        Setup { approval_cap: 100, max_passes: 1, settle_on_load: true, rematch_on_edit: false }.evaluator_options();
    let mut evaluator = Evaluator::new(Vec::new(), options);
    let delta = evaluator.load_design(design).unwrap();
    assert_eq!(delta.diagnostics.len(), 1, "{:?}", delta.diagnostics);
    assert_eq!(delta.diagnostics[0].code, "FLAPPING");
    assert!(!evaluator.is_settled());
}

/// The same two Deployments, while a chain of 40 wallets moves a value one step per pass: no
/// pass repeats an earlier one as a whole until the chain is done, which hid the alternation
/// (issue 15 #13: before, settling ran to `maxSettlePasses`). Each item's changes are
/// fingerprinted too, so settling stops after four passes and names the two Deployments.
#[test]
fn settling_sees_an_alternation_that_other_changes_hide() {
    let (id, deployment, wallet) = (numbered_id, deployment_with_x, wallet_copying_x);
    let chain = 3..=42u32;
    let mut components = vec![deployment(1, 1), deployment(2, 2)];
    components.extend(chain.clone().map(|n| deployment(n, n * 10)));
    let mut relationships = vec![wallet(0x1000, 1, 2), wallet(0x1001, 2, 1)];
    relationships.extend(chain.skip(1).map(|n| wallet(0x2000 + n, n - 1, n)));
    let design = Design::from_value(
        json!({"id": id(0xdd), "components": components, "relationships": relationships}),
        &Default::default(),
    )
    .unwrap();
    let options = EngineOptions {
        max_settle_passes: 30,
        ..Setup { approval_cap: 100, max_passes: 1, settle_on_load: true, rematch_on_edit: false }.evaluator_options()
    };
    let mut evaluator = Evaluator::new(Vec::new(), options);
    let delta = evaluator.load_design(design).unwrap();
    assert_eq!(delta.diagnostics.len(), 1, "{:?}", delta.diagnostics);
    let diagnostic = &delta.diagnostics[0];
    assert_eq!(diagnostic.code, "FLAPPING", "{}", diagnostic.message);
    assert_eq!(diagnostic.ids, vec![id(1), id(2)]);
    assert!(!evaluator.is_settled());
    // Stopped at the fourth alternation of settling: the load's pass and four settling passes,
    // each of which moved the chain's last value one step (the chain needs 40).
    let last_of_chain = delta.actions.iter().filter(|a| a.target_id() == id(42)).count();
    assert_eq!(last_of_chain, 5);
}

/// Meshery's definition files all carry the all-zero id: `explain` names the declaring
/// definition by its position among the registered ones, and gives no id rather than the zero one.
#[test]
fn explain_names_the_declaring_definition_by_position() {
    let mut evaluator = Evaluator::new(definitions().clone(), EngineOptions::default());
    evaluator.load_design(busy_design()).unwrap();
    let relationship = evaluator.design().relationships[0].clone();
    let explanation = evaluator.explain(relationship.id()).unwrap();
    let index = explanation.definition_index.expect("a registered definition declares it");
    let definition = &definitions()[index];
    assert_eq!(
        (definition.kind(), definition.rel_type(), definition.sub_type()),
        (relationship.kind(), relationship.rel_type(), relationship.sub_type())
    );
    assert_eq!(definition.id(), "00000000-0000-0000-0000-000000000000");
    assert_eq!(explanation.definition_id, None);
}

/// `settleOnLoad` and `maxSettlePasses` concern the stateful evaluator only: a one-shot
/// evaluation ignores them, result and `evaluationHash` alike.
#[test]
fn settle_options_do_not_change_a_one_shot_evaluation() {
    let plain = Engine::new(definitions().clone(), EngineOptions::default()).evaluate(busy_design()).unwrap();
    let options = EngineOptions { settle_on_load: true, max_settle_passes: 7, ..EngineOptions::default() };
    let settled = Engine::new(definitions().clone(), options).evaluate(busy_design()).unwrap();
    assert_eq!(serde_json::to_string(&plain).unwrap(), serde_json::to_string(&settled).unwrap());
}

/// Two wallet parents copy different `x` values into one Deployment: the patches cancel (as in
/// Meshery) and the delta says so, with the component, the field and both values, after a load
/// and after the edit that creates the conflict.
#[test]
fn conflicting_patches_are_reported_as_diagnostics() {
    let id = |n: u32| format!("00000000-0000-0000-0000-{n:012}");
    let deployment = |n: u32, x: u32| {
        json!({"id": id(n), "component": {"kind": "Deployment"}, "displayName": format!("d{n}"),
               "modelReference": {"name": "kubernetes"}, "configuration": {"x": x}})
    };
    let wallet = |n: u32, from: u32| {
        json!({"id": id(n), "kind": "hierarchical", "type": "parent", "subType": "wallet", "status": "approved",
               "selectors": [{"allow": {
                   "from": [{"id": id(from), "kind": "Deployment", "patch": {"mutatorRef": [["configuration", "x"]]}}],
                   "to": [{"id": id(3), "kind": "Deployment", "patch": {"mutatedRef": [["configuration", "x"]]}}]}}]})
    };
    let design = |relationships: Vec<Value>| {
        Design::from_value(
            json!({"id": id(0xdd), "components": [deployment(1, 1), deployment(2, 2), deployment(3, 3)],
                   "relationships": relationships}),
            &Default::default(),
        )
        .unwrap()
    };
    let check = |diagnostics: &[relationship_evaluator::evaluator::Diagnostic]| {
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].code, "PATCH_CONFLICT");
        assert_eq!(diagnostics[0].path, "/configuration/x");
        assert_eq!(diagnostics[0].ids, vec![id(3)]);
        assert!(diagnostics[0].message.contains("(1, 2)"), "{}", diagnostics[0].message);
    };
    let mut evaluator = Evaluator::new(Vec::new(), EngineOptions::default());
    check(&evaluator.load_design(design(vec![wallet(0x10, 1), wallet(0x11, 2)])).unwrap().diagnostics);
    assert_eq!(evaluator.design().components[2].0["configuration"]["x"], json!(3));

    let mut evaluator = Evaluator::new(Vec::new(), EngineOptions::default());
    evaluator.load_design(design(Vec::new())).unwrap();
    let delta = evaluator
        .apply_edits(&[
            Edit::AddRelationship { relationship: wallet(0x10, 1) },
            Edit::AddRelationship { relationship: wallet(0x11, 2) },
        ])
        .unwrap();
    assert_eq!(evaluator.last_path(), EvaluationPath::Incremental);
    check(&delta.diagnostics);
}

/// Three wallets copy Deployments 1, 2 and 4's `x` into Deployment 3: a conflict that persists
/// while two values differ (two agreeing against a third is still one). An edit of one source recomputes its own wallet only, and the
/// conflict is decided with what the others were recorded to write (`incremental/writers.rs`):
/// each step must equal a full evaluation, stay incremental, and report the conflict while it
/// holds.
#[test]
fn a_conflict_at_a_component_many_relationships_write_to_is_decided_with_the_unedited_ones() {
    let (id, deployment, wallet) = (numbered_id, deployment_with_x, wallet_copying_x);
    let design = Design::from_value(
        json!({"id": id(0xde),
               "components": [deployment(1, 1), deployment(2, 2), deployment(3, 3), deployment(4, 4)],
               "relationships": [wallet(0x10, 1, 3), wallet(0x11, 2, 3), wallet(0x12, 4, 3)]}),
        &Default::default(),
    )
    .unwrap();
    let mut evaluator = Evaluator::new(Vec::new(), EngineOptions::default());
    evaluator.load_design(design).unwrap();
    let set_x = |n: u32, x: u32| Edit::PatchConfiguration { id: id(n), patch: json!({ "x": x }) };
    // (edit, the x Deployment 3 ends with, whether a conflict is reported)
    let steps = [(set_x(1, 5), 3, true), (set_x(2, 7), 3, true), (set_x(2, 5), 3, true), (set_x(4, 5), 5, false)];
    for (edit, x, conflict) in steps {
        let before = evaluator.design().clone();
        let expected = full_evaluation(&before, std::slice::from_ref(&edit), EngineOptions::default())
            .unwrap_or_else(|e| panic!("{edit:?}: {e}"));
        let delta = evaluator.apply_edits(std::slice::from_ref(&edit)).unwrap();
        assert_eq!(evaluator.last_path(), EvaluationPath::Incremental, "{edit:?}");
        assert_eq!(evaluator.design().to_value(), expected, "{edit:?}");
        assert_eq!(evaluator.design().components[2].0["configuration"]["x"], json!(x), "{edit:?}");
        let conflicts = delta.diagnostics.iter().filter(|d| d.code == "PATCH_CONFLICT").count();
        assert_eq!(conflicts > 0, conflict, "{edit:?}: {:?}", delta.diagnostics);
    }
}
