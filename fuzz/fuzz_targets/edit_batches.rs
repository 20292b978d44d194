//! Random edit batches against an evaluator over the real Kubernetes definitions. After every
//! batch: a failed batch left the state (design and revision) exactly as it was, and the state
//! equals a fresh full evaluation of the previous design with the same edits — the comparison
//! of the project's property test (`tests/incremental.rs`), so the incremental path, the full
//! path and their choice between each other are checked against each other on fuzzer-chosen
//! edit sequences.
//!
//! The input is structured (`arbitrary`): edits pick from small pools of kinds, names, labels,
//! namespaces and reference fields, so components keep meeting each other's selectors and the
//! fuzzer reaches deep, relationship-rich states instead of spending its time on parse errors
//! (the `evaluate_design` target covers those).

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use relationship_evaluator::evaluator::{apply_all, Evaluator};
use relationship_evaluator::model::{Design, Relationship};
use relationship_evaluator::policy::pairs::PairTemplate;
use relationship_evaluator::{Edit, EngineOptions, Error};
use relationship_evaluator_fuzz::{assert_not_internal, kubernetes_definitions};
use serde_json::{json, Map, Value};

/// Caps that keep one input's evaluations in the milliseconds.
const MAX_INITIAL_COMPONENTS: usize = 16;
const MAX_BATCHES: usize = 8;
const MAX_EDITS_PER_BATCH: usize = 6;

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Kind {
    Namespace,
    Deployment,
    Service,
    Pod,
    ConfigMap,
    Role,
    RoleBinding,
    ServiceAccount,
    PriorityClass,
    Node,
    StatefulSet,
    HorizontalPodAutoscaler,
    Event,
    EndpointSlice,
    PodTemplate,
}

/// Names double as namespaces, so a component's namespace can name a Namespace component.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Name {
    Shop,
    Web,
    Api,
    Db,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Label {
    Web,
    Api,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
struct ComponentSpec {
    kind: Kind,
    name: Name,
    namespace: Option<Name>,
    label: Label,
}

/// A component or relationship of the design the edit applies to, by position (modulo the count).
#[derive(Arbitrary, Debug, Clone, Copy)]
struct Pick(u8);

/// Configuration fields the Kubernetes definitions match on, so a patch can create or break a
/// relationship.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Reference {
    ServiceSelector,
    DeploymentMatchLabels,
    TemplateLabels,
    ContainerPort,
    RoleRef,
    Subject,
    PriorityClassName,
    TemplatePriorityClassName,
    NodeName,
    ScaleTarget,
    InvolvedObject,
    MetadataName,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Status {
    Approved,
    Deleted,
    Pending,
    Identified,
    Enabled,
    Empty,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Preferences {
    Empty,
    AllLayersOff,
    LayersNotAnObject,
    NotAnObject,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum EditSpec {
    Add(ComponentSpec),
    AddWithExistingId(Pick, ComponentSpec),
    Remove(Pick),
    Rename(Pick, Name),
    Move(Pick, f64, f64),
    SetConfiguration(Pick, ComponentSpec),
    /// `None` deletes the field (a merge patch with `null`).
    PatchConfiguration(Pick, Reference, Option<Name>),
    SetLabels(Pick, Option<Label>),
    SetNamespace(Pick, Option<Name>),
    /// A declaration built from definition `definition` (modulo the count) between two components.
    DeclareRelationship {
        definition: u8,
        from: Pick,
        to: Pick,
        status: Status,
    },
    RemoveRelationship(Pick),
    SetRelationshipStatus(Pick, Status),
    /// Layer of definition `definition` (modulo the count).
    SetLayer {
        definition: u8,
        enabled: bool,
    },
    SetPreferences(Preferences),
    RenameUnknownComponent,
}

/// Meshery's cap of 100 approvals per policy and pass never binds on designs this small; 1 and 2
/// leave relationships `identified` across batches, the state a large design is in (as in
/// `tests/incremental.rs`).
#[derive(Arbitrary, Debug, Clone, Copy)]
enum ApprovalCap {
    One,
    Two,
    Meshery,
}

#[derive(Arbitrary, Debug)]
struct Input {
    approval_cap: ApprovalCap,
    initial: Vec<ComponentSpec>,
    batches: Vec<Vec<EditSpec>>,
}

fn options(cap: ApprovalCap) -> EngineOptions {
    let max_approvals_per_policy = match cap {
        ApprovalCap::One => 1,
        ApprovalCap::Two => 2,
        ApprovalCap::Meshery => EngineOptions::default().max_approvals_per_policy,
    };
    EngineOptions { max_approvals_per_policy, ..EngineOptions::default() }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Namespace => "Namespace",
        Kind::Deployment => "Deployment",
        Kind::Service => "Service",
        Kind::Pod => "Pod",
        Kind::ConfigMap => "ConfigMap",
        Kind::Role => "Role",
        Kind::RoleBinding => "RoleBinding",
        Kind::ServiceAccount => "ServiceAccount",
        Kind::PriorityClass => "PriorityClass",
        Kind::Node => "Node",
        Kind::StatefulSet => "StatefulSet",
        Kind::HorizontalPodAutoscaler => "HorizontalPodAutoscaler",
        Kind::Event => "Event",
        Kind::EndpointSlice => "EndpointSlice",
        Kind::PodTemplate => "PodTemplate",
    }
}

fn name(name: Name) -> &'static str {
    match name {
        Name::Shop => "shop",
        Name::Web => "web",
        Name::Api => "api",
        Name::Db => "db",
    }
}

fn label(label: Label) -> &'static str {
    match label {
        Label::Web => "web",
        Label::Api => "api",
    }
}

fn status(status: Status) -> &'static str {
    match status {
        Status::Approved => "approved",
        Status::Deleted => "deleted",
        Status::Pending => "pending",
        Status::Identified => "identified",
        Status::Enabled => "enabled",
        Status::Empty => "",
    }
}

/// The configuration of a component like `tests/incremental.rs` builds, plus what makes the
/// reference definitions of the larger kind pool match.
fn configuration(spec: ComponentSpec) -> Value {
    let (own_name, app) = (name(spec.name), label(spec.label));
    let mut configuration = json!({"metadata": {"name": own_name, "labels": {"app": app}}});
    if let Some(namespace) = spec.namespace {
        configuration["metadata"]["namespace"] = json!(name(namespace));
    }
    match spec.kind {
        Kind::Service => configuration["spec"] = json!({"selector": {"app": app}}),
        Kind::Deployment => {
            configuration["spec"] = json!({"selector": {"matchLabels": {"app": app}},
                "template": {"metadata": {"labels": {"app": app}}}})
        }
        Kind::RoleBinding => {
            configuration["roleRef"] = json!({"kind": "Role", "name": own_name});
            configuration["subjects"] = json!([{"kind": "ServiceAccount", "name": own_name}]);
        }
        Kind::Pod => configuration["spec"] = json!({"priorityClassName": own_name, "nodeName": own_name}),
        Kind::HorizontalPodAutoscaler => configuration["spec"] = json!({"scaleTargetRef": {"name": own_name}}),
        Kind::Event => configuration["involvedObject"] = json!({"name": own_name}),
        Kind::PodTemplate => configuration["template"] = json!({"metadata": {"labels": {"app": app}}}),
        _ => {}
    }
    configuration
}

fn component(id: &str, spec: ComponentSpec) -> Value {
    json!({
        "id": id,
        "component": {"kind": kind_name(spec.kind)}, "displayName": name(spec.name),
        "modelReference": {"name": "kubernetes"}, "configuration": configuration(spec),
        "metadata": {"labels": {"app": label(spec.label)}}
    })
}

fn component_id(index: usize) -> String {
    format!("00000000-0000-0000-0000-{index:012}")
}

/// A merge patch setting (or, for `None`, deleting) one reference field.
fn reference_patch(reference: Reference, value: Option<Name>) -> Value {
    let value = value.map_or(Value::Null, |value| json!(name(value)));
    match reference {
        Reference::ServiceSelector => json!({"spec": {"selector": {"app": value}}}),
        Reference::DeploymentMatchLabels => json!({"spec": {"selector": {"matchLabels": {"app": value}}}}),
        Reference::TemplateLabels => json!({"spec": {"template": {"metadata": {"labels": {"app": value}}}}}),
        Reference::ContainerPort => json!({"spec": {"containers": [{"ports": [{"containerPort": value}]}]}}),
        Reference::RoleRef => json!({"roleRef": {"kind": "Role", "name": value}}),
        Reference::Subject => json!({"subjects": [{"kind": "ServiceAccount", "name": value}]}),
        Reference::PriorityClassName => json!({"spec": {"priorityClassName": value}}),
        Reference::TemplatePriorityClassName => json!({"spec": {"template": {"spec": {"priorityClassName": value}}}}),
        Reference::NodeName => json!({"spec": {"nodeName": value}}),
        Reference::ScaleTarget => json!({"spec": {"scaleTargetRef": {"name": value}}}),
        Reference::InvolvedObject => json!({"involvedObject": {"name": value}}),
        Reference::MetadataName => json!({"metadata": {"name": value}}),
    }
}

fn preferences(preferences: Preferences) -> Value {
    match preferences {
        Preferences::Empty => json!({}),
        Preferences::AllLayersOff => {
            let layers: Map<String, Value> =
                kubernetes_definitions().iter().map(|definition| (definition.layer_key(), json!(false))).collect();
            json!({"layers": {"relationships": layers}})
        }
        Preferences::LayersNotAnObject => json!({"layers": 7}),
        Preferences::NotAnObject => json!([]),
    }
}

fn pick<T>(items: &[T], pick: Pick, id: impl Fn(&T) -> &str) -> String {
    if items.is_empty() {
        return "missing".into();
    }
    id(&items[pick.0 as usize % items.len()]).to_owned()
}

fn definition(index: u8) -> &'static Relationship {
    let definitions = kubernetes_definitions();
    &definitions[index as usize % definitions.len()]
}

/// A declaration of `definition` between two components, as an editor declares one by hand:
/// the definition's first selector items naming the two components, with the content-derived id
/// the engine itself would give it.
fn declaration(definition: &Relationship, from: &str, to: &str, status: &'static str) -> Value {
    let selector = definition.first_selector();
    let empty = json!({});
    let from_item = selector.and_then(|s| s.allow_from().first()).unwrap_or(&empty);
    let to_item = selector.and_then(|s| s.allow_to().first()).unwrap_or(&empty);
    PairTemplate::new(from_item, to_item).build(from, to, status).declare(definition).into_value()
}

/// The concrete edit `spec` describes against `design`.
fn resolve(spec: EditSpec, design: &Design, next_id: &mut usize) -> Edit {
    let component_at = |p: Pick| pick(&design.components, p, |c| c.id());
    let relationship_at = |p: Pick| pick(&design.relationships, p, |r| r.id());
    match spec {
        EditSpec::Add(spec) => {
            *next_id += 1;
            Edit::AddComponent { component: component(&component_id(*next_id), spec) }
        }
        EditSpec::AddWithExistingId(p, spec) => Edit::AddComponent { component: component(&component_at(p), spec) },
        EditSpec::Remove(p) => Edit::RemoveComponent { id: component_at(p) },
        EditSpec::Rename(p, n) => Edit::RenameComponent { id: component_at(p), display_name: name(n).into() },
        EditSpec::Move(p, x, y) => Edit::MoveComponent { id: component_at(p), x, y },
        EditSpec::SetConfiguration(p, spec) => {
            Edit::SetConfiguration { id: component_at(p), configuration: configuration(spec) }
        }
        EditSpec::PatchConfiguration(p, reference, value) => {
            Edit::PatchConfiguration { id: component_at(p), patch: reference_patch(reference, value) }
        }
        EditSpec::SetLabels(p, l) => {
            let labels: Map<String, Value> = l.map(|l| ("app".to_owned(), json!(label(l)))).into_iter().collect();
            Edit::SetLabels { id: component_at(p), labels }
        }
        EditSpec::SetNamespace(p, n) => {
            Edit::SetNamespace { id: component_at(p), namespace: n.map(|n| name(n).into()) }
        }
        EditSpec::DeclareRelationship { definition: d, from, to, status: s } => Edit::AddRelationship {
            relationship: declaration(definition(d), &component_at(from), &component_at(to), status(s)),
        },
        EditSpec::RemoveRelationship(p) => Edit::RemoveRelationship { id: relationship_at(p) },
        EditSpec::SetRelationshipStatus(p, s) => {
            Edit::SetRelationshipStatus { id: relationship_at(p), status: status(s).into() }
        }
        EditSpec::SetLayer { definition: d, enabled } => Edit::SetLayer { layer: definition(d).layer_key(), enabled },
        EditSpec::SetPreferences(p) => Edit::SetPreferences { preferences: preferences(p) },
        EditSpec::RenameUnknownComponent => {
            Edit::RenameComponent { id: "no-such-component".into(), display_name: "x".into() }
        }
    }
}

fn initial_design(specs: &[ComponentSpec]) -> Design {
    let components: Vec<Value> =
        specs.iter().enumerate().map(|(index, spec)| component(&component_id(index), *spec)).collect();
    Design::from_value(
        json!({"id": "00000000-0000-0000-0000-00000000d0d0", "name": "fuzzed", "version": "0.0.1",
               "components": components, "relationships": []}),
        &Default::default(),
    )
    .expect("generated designs are valid")
}

/// Errors compare by code and path, as in `tests/incremental.rs` (messages may word the same
/// failure differently on the two paths).
fn code_and_path(error: Error) -> String {
    format!("{}:{}", error.code.as_str(), error.path)
}

/// What a fresh full evaluation makes of `design` with `edits` applied — the oracle of
/// `tests/incremental.rs` (`apply_all` on a copy, then a whole-design evaluation with the
/// evaluator's definitions and options, here `Evaluator::evaluate_design`, which leaves the state
/// alone).
fn full_evaluation(evaluator: &Evaluator, design: &Design, edits: &[Edit]) -> Result<String, String> {
    let working = apply_all(design, edits).map_err(code_and_path)?;
    let response = evaluator.evaluate_design(working);
    assert_not_internal(&response);
    response.map(|r| r.design.to_value().to_string()).map_err(code_and_path)
}

fuzz_target!(|input: Input| {
    let initial: Vec<ComponentSpec> = input.initial.into_iter().take(MAX_INITIAL_COMPONENTS).collect();
    let mut evaluator = Evaluator::new(kubernetes_definitions().to_vec(), options(input.approval_cap));
    evaluator.load_design(initial_design(&initial)).expect("a generated design evaluates");
    let mut next_id = 1000;
    for batch in input.batches.iter().take(MAX_BATCHES) {
        // `before` is a copy, so its bytes can be written after the batch, and only when needed.
        let before = evaluator.design().clone();
        let revision = evaluator.revision();
        let edits: Vec<Edit> =
            batch.iter().take(MAX_EDITS_PER_BATCH).map(|spec| resolve(*spec, &before, &mut next_id)).collect();

        let expected = full_evaluation(&evaluator, &before, &edits);
        let outcome = evaluator.apply_edits(&edits);
        assert_not_internal(&outcome);
        let actual = outcome.map(|_| evaluator.design().to_value().to_string()).map_err(code_and_path);
        if actual.is_err() {
            assert_eq!(revision, evaluator.revision(), "a failed batch changed the revision: {edits:#?}");
            assert!(
                before.to_value().to_string() == evaluator.design().to_value().to_string(),
                "a failed batch changed the design: {edits:#?}"
            );
        }
        match (&expected, &actual) {
            (Ok(expected), Ok(actual)) => assert!(
                expected == actual,
                "incremental state differs from a full evaluation after {edits:#?} (path {:?})\nfull:        {expected}\nincremental: {actual}",
                evaluator.last_path()
            ),
            (Err(expected), Err(actual)) => {
                assert_eq!(expected, actual, "the batch failed differently than a full evaluation: {edits:#?}")
            }
            _ => panic!("full evaluation {expected:?} vs incremental {actual:?} for {edits:#?}"),
        }
    }
});
