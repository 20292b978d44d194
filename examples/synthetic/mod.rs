//! Deterministic, realistic Kubernetes designs of any size, for benchmarks and scale tests.
//!
//! `design(n, seed)` returns a v1beta1 design (`serde_json::Value`) of exactly `n` components
//! (every component has `id`, `component.kind`, `displayName`, `modelReference.name =
//! "kubernetes"` and a `configuration`). The same `(n, seed)` always gives the same bytes; no
//! randomness crate is used (a SplitMix64 generator drives the choices).
//!
//! # Shape
//!
//! Components are emitted namespace by namespace; a namespace holds six applications. Each
//! application `<tier>-<i>` (a globally unique name, so labels never collide across apps) has:
//!
//! | component | when | fields the kubernetes definitions compare |
//! |---|---|---|
//! | `Namespace` | one per six apps | `displayName` = namespace name |
//! | `Deployment` | 7 apps in 8 | `metadata.namespace`, `metadata.labels`, `spec.selector.matchLabels`, container port `{name: http, containerPort, protocol: TCP}`; mounts the app's ConfigMap (and Secret) and runs as its ServiceAccount |
//! | `ReplicationController` | 1 app in 8 (legacy) | same pod template; its last volume is the ConfigMap or the Secret |
//! | `Pod` | 1–3 per app (the replicas) | top-level `metadata.labels` and `configuration.metadata.labels` = the app's labels, container port as above |
//! | `Service` | 7 apps in 8 | `spec.selector` = the app's labels, `ports[0]` = `{port, targetPort, protocol}`; about one in four uses the named target port `http` |
//! | `Ingress` | 1 in 3 HTTP services | `extensions/v1beta1` backend `{serviceName, servicePort}` |
//! | `ConfigMap` | every app | `metadata.name` |
//! | `Secret` | 2 apps in 3 | `metadata.name` |
//! | `ServiceAccount`, `Role`, `RoleBinding` | 3 apps in 5 | Role `displayName`; RoleBinding `roleRef {kind: Role, name}` and `subjects[0].name`; ServiceAccount `displayName` |
//!
//! Container ports come from a realistic, small set per tier (8080, 80, 3000, 5432, 6379, …), so
//! many unrelated Deployments share a port; labels, names and selectors are unique per app.
//! Every compared field is filled on every component of the kinds involved: Meshery counts
//! missing == missing as a match, which would relate every such pair and make the output
//! quadratic.
//!
//! Against the real kubernetes definitions this yields (spec §7): hierarchical/parent/inventory
//! (every namespaced component → its Namespace), edge/non-binding/network (Service → Pod,
//! Service → Deployment, Ingress → Service), edge/non-binding/reference (Deployment → Pod with
//! equal labels, ReplicationController → ConfigMap / Secret through its volumes) and
//! edge/binding/permission (Role → ServiceAccount through a RoleBinding). The fixture set has no
//! Deployment → ConfigMap/Secret definition, which is why the legacy ReplicationController apps
//! exist: they exercise the volume references.
//!
//! After the components, about one relationship per fifty components is an existing declaration
//! (status `approved`) naming a component that is not in the design — a network edge to a gone
//! Pod, an inventory edge to a gone Namespace, a permission binding to a gone ServiceAccount — so
//! the validation phase has work to do.
//!
//! Sizes: about 7.5 components per app, so 10,000 components are about 1,300 apps in 220
//! namespaces. When `n` falls inside an app, the design stops there (a Deployment may then lack
//! its Pods), which the engine handles like any other design.

#![allow(dead_code)] // each user (example, bench, test) calls a part of it

use relationship_evaluator::{parse_definitions, Design, Error, ErrorCode, Limits, Relationship, Result};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The seed the benchmarks use.
pub const DEFAULT_SEED: u64 = 0x006d_6573_6865_7279;

/// Apps per namespace.
const APPS_PER_NAMESPACE: usize = 6;

/// `(tier, container port, service port)`: a small set of common values, as in real clusters.
const TIERS: &[(&str, u16, u16)] = &[
    ("web", 8080, 80),
    ("api", 8080, 80),
    ("frontend", 3000, 80),
    ("auth", 9000, 80),
    ("orders", 8080, 8080),
    ("search", 9200, 9200),
    ("metrics", 9090, 9090),
    ("grpc", 50051, 50051),
    ("postgres", 5432, 5432),
    ("redis", 6379, 6379),
    ("rabbitmq", 5672, 5672),
];

/// SplitMix64: tiny, fast and good enough for picking shapes deterministically.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant here.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True with probability `numerator / denominator`.
    fn chance(&mut self, numerator: u64, denominator: u64) -> bool {
        self.below(denominator) < numerator
    }

    /// A UUID-shaped id (version 4 / variant bits set, so it looks like Meshery's ids).
    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        let a = (a & !0xf000) | 0x4000;
        let b = (b & !(0xc000 << 48)) | (0x8000 << 48);
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }

    fn hex(&mut self, digits: usize) -> String {
        let text = format!("{:016x}", self.next());
        text[..digits.min(16)].to_owned()
    }
}

/// The model block every component carries (trimmed: real designs also hold styles and the
/// component's JSON schema, which the evaluator does not read for these relationships).
fn model() -> Value {
    json!({
        "name": "kubernetes",
        "displayName": "Kubernetes",
        "version": "v1.35.0-alpha.1",
        "category": {"name": "Orchestration & Management"},
        "registrant": {"kind": "github"},
        "model": {"version": "v1.35.0-alpha.1"}
    })
}

fn model_reference() -> Value {
    json!({"name": "kubernetes", "version": "v1.35.0-alpha.1", "displayName": "Kubernetes", "registrant": {"kind": "github"}})
}

/// A component in Meshery's v1beta1 shape.
fn component(
    id: String,
    kind: &str,
    api_version: &str,
    display_name: &str,
    namespaced: bool,
    configuration: Value,
) -> Value {
    json!({
        "id": id,
        "schemaVersion": "components.meshery.io/v1beta1",
        "version": "v1.0.0",
        "displayName": display_name,
        "description": "",
        "format": "JSON",
        "component": {"kind": kind, "version": api_version, "schema": ""},
        "model": model(),
        "modelReference": model_reference(),
        "metadata": {"isNamespaced": namespaced, "published": true, "genealogy": ""},
        "configuration": configuration,
    })
}

/// Everything one application needs to render its components.
struct App {
    name: String,
    namespace: String,
    tier: &'static str,
    container_port: u16,
    service_port: u16,
    labels: Value,
    config_map: String,
    secret: Option<String>,
    service_account: Option<String>,
}

impl App {
    fn container(&self, rng: &mut Rng) -> Value {
        json!({
            "name": self.name,
            "image": format!("registry.example.com/{}:1.{}.{}", self.tier, rng.below(20), rng.below(10)),
            "ports": [{"name": "http", "containerPort": self.container_port, "protocol": "TCP"}],
            "envFrom": [{"configMapRef": {"name": self.config_map}}],
            "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "512Mi"}},
        })
    }

    fn service_account_name(&self) -> &str {
        self.service_account.as_deref().unwrap_or("default")
    }
}

/// Builds the design. Components are pushed until `n` is reached.
struct Builder {
    rng: Rng,
    components: Vec<Value>,
    limit: usize,
}

impl Builder {
    fn full(&self) -> bool {
        self.components.len() >= self.limit
    }

    fn push(
        &mut self,
        kind: &str,
        api_version: &str,
        display_name: &str,
        namespaced: bool,
        configuration: Value,
    ) -> Option<String> {
        if self.full() {
            return None;
        }
        let id = self.rng.uuid();
        self.components.push(component(id.clone(), kind, api_version, display_name, namespaced, configuration));
        Some(id)
    }

    fn namespace(&mut self, name: &str) {
        self.push(
            "Namespace",
            "v1",
            name,
            false,
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": {"kubernetes.io/metadata.name": name}}}),
        );
    }

    /// One application; records the ids an invalid relationship may later start from.
    fn app(&mut self, index: usize, namespace: &str, anchors: &mut Anchors) {
        let (tier, container_port, service_port) = TIERS[self.rng.below(TIERS.len() as u64) as usize];
        let name = format!("{tier}-{index}");
        let labels = json!({"app": name, "tier": tier});
        let app = App {
            config_map: format!("{name}-config"),
            secret: self.rng.chance(2, 3).then(|| format!("{name}-credentials")),
            service_account: self.rng.chance(3, 5).then(|| format!("{name}-sa")),
            namespace: namespace.to_owned(),
            labels,
            name,
            tier,
            container_port,
            service_port,
        };
        let replicas = 1 + self.rng.below(3);
        let legacy = index % 8 == 5;
        // ConfigMap and Secret first, as manifests are usually ordered.
        self.config_map(&app);
        if let Some(secret) = &app.secret {
            self.secret(&app, secret);
        }
        if let Some(service_account) = &app.service_account {
            self.rbac(&app, service_account, anchors);
        }
        let workload =
            if legacy { self.replication_controller(&app, replicas) } else { self.deployment(&app, replicas) };
        if let Some(id) = workload {
            anchors.workloads.push(id);
        }
        for replica in 0..replicas {
            self.pod(&app, replica);
        }
        if index % 8 != 2 {
            let named_target = self.rng.chance(1, 4);
            if let Some(id) = self.service(&app, named_target) {
                anchors.services.push(id);
            }
            if service_port == 80 && self.rng.chance(1, 3) {
                self.ingress(&app);
            }
        }
    }

    fn metadata(app: &App, name: &str) -> Value {
        json!({"name": name, "namespace": app.namespace, "labels": app.labels})
    }

    fn config_map(&mut self, app: &App) {
        let configuration = json!({
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": app.config_map, "namespace": app.namespace},
            "data": {"LOG_LEVEL": "info", "PORT": app.container_port.to_string(), "TIER": app.tier},
        });
        self.push("ConfigMap", "v1", &app.config_map, true, configuration);
    }

    fn secret(&mut self, app: &App, secret: &str) {
        let configuration = json!({
            "apiVersion": "v1",
            "kind": "Secret",
            "type": "Opaque",
            "metadata": {"name": secret, "namespace": app.namespace},
            "data": {"username": "YXBw", "password": self.rng.hex(16)},
        });
        self.push("Secret", "v1", secret, true, configuration);
    }

    fn rbac(&mut self, app: &App, service_account: &str, anchors: &mut Anchors) {
        let role = format!("{}-reader", app.name);
        let binding = format!("{}-reader-binding", app.name);
        let sa = json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": service_account, "namespace": app.namespace}});
        self.push("ServiceAccount", "v1", service_account, true, sa);
        let mut resource_names = vec![Value::String(app.config_map.clone())];
        resource_names.extend(app.secret.iter().map(|s| Value::String(s.clone())));
        let rules = json!([{"apiGroups": [""], "resources": ["configmaps", "secrets"], "verbs": ["get", "list", "watch"], "resourceNames": resource_names}]);
        let role_configuration = json!({
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": {"name": role, "namespace": app.namespace},
            "rules": rules,
        });
        if let Some(id) = self.push("Role", "rbac.authorization.k8s.io/v1", &role, true, role_configuration) {
            anchors.roles.push(id);
        }
        let binding_configuration = json!({
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": {"name": binding, "namespace": app.namespace},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": role},
            "subjects": [{"kind": "ServiceAccount", "name": service_account, "namespace": app.namespace}],
        });
        self.push("RoleBinding", "rbac.authorization.k8s.io/v1", &binding, true, binding_configuration);
    }

    fn volumes(app: &App, secret_last: bool) -> Vec<Value> {
        let config = json!({"name": "config", "configMap": {"name": app.config_map}});
        let Some(secret) = &app.secret else { return vec![config] };
        let secret = json!({"name": "credentials", "secret": {"secretName": secret}});
        if secret_last {
            vec![config, secret]
        } else {
            vec![secret, config]
        }
    }

    fn pod_spec(&mut self, app: &App, secret_last: bool) -> Value {
        json!({
            "serviceAccountName": app.service_account_name(),
            "containers": [self.container_with_mounts(app)],
            "volumes": Self::volumes(app, secret_last),
        })
    }

    fn container_with_mounts(&mut self, app: &App) -> Value {
        let mut container = app.container(&mut self.rng);
        let mut mounts = vec![json!({"name": "config", "mountPath": "/etc/app"})];
        if app.secret.is_some() {
            mounts.push(json!({"name": "credentials", "mountPath": "/var/run/secrets/app", "readOnly": true}));
        }
        container["volumeMounts"] = Value::Array(mounts);
        container
    }

    fn deployment(&mut self, app: &App, replicas: u64) -> Option<String> {
        let spec = self.pod_spec(app, true);
        let configuration = json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": Self::metadata(app, &app.name),
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": app.labels},
                "strategy": {"type": "RollingUpdate"},
                "template": {"metadata": {"labels": app.labels}, "spec": spec},
            },
        });
        self.push("Deployment", "apps/v1", &app.name, true, configuration)
    }

    /// The legacy workload. The definitions read the *last* volume (`volumes._`), so whether it
    /// references the ConfigMap or the Secret depends on the volume order, which alternates.
    fn replication_controller(&mut self, app: &App, replicas: u64) -> Option<String> {
        let secret_last = self.rng.chance(1, 2);
        let spec = self.pod_spec(app, secret_last);
        let configuration = json!({
            "apiVersion": "v1",
            "kind": "ReplicationController",
            "metadata": Self::metadata(app, &app.name),
            "spec": {"replicas": replicas, "selector": app.labels, "template": {"metadata": {"labels": app.labels}, "spec": spec}},
        });
        self.push("ReplicationController", "v1", &app.name, true, configuration)
    }

    fn pod(&mut self, app: &App, replica: u64) {
        let name = format!("{}-{}-{}", app.name, self.rng.hex(10), replica);
        let configuration = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": Self::metadata(app, &name),
            "spec": {
                "serviceAccountName": app.service_account_name(),
                "containers": [self.container_with_mounts(app)],
                "volumes": Self::volumes(app, true),
                "restartPolicy": "Always",
            },
        });
        if self.full() {
            return;
        }
        let id = self.rng.uuid();
        let mut pod = component(id, "Pod", "v1", &name, true, configuration);
        // The Service→Pod network definition compares the selector with the component's
        // top-level `metadata.labels`, so the Pod carries its labels there too.
        pod["metadata"]["labels"] = app.labels.clone();
        self.components.push(pod);
    }

    fn service(&mut self, app: &App, named_target: bool) -> Option<String> {
        let target: Value = if named_target { json!("http") } else { json!(app.container_port) };
        let configuration = json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": app.name, "namespace": app.namespace, "labels": {"app": app.name}},
            "spec": {
                "type": "ClusterIP",
                "selector": app.labels,
                "ports": [{"name": "http", "port": app.service_port, "targetPort": target, "protocol": "TCP"}],
            },
        });
        self.push("Service", "v1", &app.name, true, configuration)
    }

    fn ingress(&mut self, app: &App) {
        let name = format!("{}-ingress", app.name);
        let configuration = json!({
            "apiVersion": "extensions/v1beta1",
            "kind": "Ingress",
            "metadata": {"name": name, "namespace": app.namespace},
            "spec": {"rules": [{
                "host": format!("{}.{}.example.com", app.name, app.namespace),
                "http": {"paths": [{"path": "/", "backend": {"serviceName": app.name, "servicePort": app.service_port}}]},
            }]},
        });
        self.push("Ingress", "extensions/v1beta1", &name, true, configuration);
    }
}

/// Components an invalid relationship can start from.
#[derive(Default)]
struct Anchors {
    services: Vec<String>,
    workloads: Vec<String>,
    roles: Vec<String>,
}

fn item(id: &str, kind: &str, patch: Value) -> Value {
    json!({"id": id, "kind": kind, "model": {"name": "kubernetes", "registrant": {"kind": "github"}}, "patch": patch})
}

fn declaration(id: String, kind: &str, rel_type: &str, sub_type: &str, from: Value, to: Value) -> Value {
    json!({
        "id": id,
        "schemaVersion": "relationships.meshery.io/v1beta2",
        "version": "v1.0.0",
        "kind": kind,
        "type": rel_type,
        "subType": sub_type,
        "status": "approved",
        "model": {"name": "kubernetes", "version": "v1.35.0-alpha.1"},
        "selectors": [{"allow": {"from": [from], "to": [to]}}],
    })
}

/// One declaration per fifty components (at least one) naming a component not in the design.
fn invalid_relationships(rng: &mut Rng, anchors: &Anchors, components: usize) -> Vec<Value> {
    let count = (components / 50).max(1);
    let mut relationships = Vec::with_capacity(count);
    for i in 0..count {
        let missing = rng.uuid(); // later in the same SplitMix stream than every component id
        let id = rng.uuid();
        let pick = |list: &Vec<String>| (!list.is_empty()).then(|| list[i / 3 % list.len()].clone());
        let relationship = match i % 3 {
            0 => pick(&anchors.services).map(|service| {
                declaration(
                    id,
                    "edge",
                    "non-binding",
                    "network",
                    item(&service, "Service", json!({"mutatorRef": [["configuration", "spec", "selector"]]})),
                    item(&missing, "Pod", json!({"mutatedRef": [["metadata", "labels"]]})),
                )
            }),
            1 => pick(&anchors.workloads).map(|workload| {
                declaration(
                    id,
                    "hierarchical",
                    "parent",
                    "inventory",
                    item(&workload, "Deployment", json!({"mutatorRef": [["configuration", "metadata", "namespace"]]})),
                    item(&missing, "Namespace", json!({"mutatedRef": [["displayName"]]})),
                )
            }),
            _ => pick(&anchors.roles).map(|role| {
                declaration(
                    id,
                    "edge",
                    "binding",
                    "permission",
                    item(&role, "Role", Value::Null),
                    item(&missing, "ServiceAccount", Value::Null),
                )
            }),
        };
        relationships.extend(relationship);
    }
    relationships
}

/// A design of exactly `components` components (see the module documentation for its shape).
/// Deterministic: the same arguments give the same value.
pub fn design(components: usize, seed: u64) -> Value {
    let mut builder = Builder { rng: Rng(seed), components: Vec::with_capacity(components), limit: components };
    let mut anchors = Anchors::default();
    let mut app_index = 0;
    while !builder.full() {
        let namespace = format!("team-{}", app_index / APPS_PER_NAMESPACE);
        builder.namespace(&namespace);
        for _ in 0..APPS_PER_NAMESPACE {
            if builder.full() {
                break;
            }
            builder.app(app_index, &namespace, &mut anchors);
            app_index += 1;
        }
    }
    let relationships = invalid_relationships(&mut builder.rng, &anchors, components);
    let id = Rng(seed ^ 0xd35_16e).uuid();
    json!({
        "id": id,
        "name": format!("synthetic-kubernetes-{components}"),
        "schemaVersion": "designs.meshery.io/v1beta1",
        "version": "0.0.1",
        "metadata": {"resolvedAliases": {}},
        "preferences": {"layers": {}},
        "components": builder.components,
        "relationships": relationships,
    })
}

/// Reads every `*.json` file of `folder` (name order), each one definition or an array of them,
/// and decodes them. The crate never reads files on its own; callers pass the folder (e.g. the
/// fixture `relationships/kubernetes/`).
pub fn load_definitions(folder: &Path) -> Result<Vec<Relationship>> {
    let io = |what: &Path, e: std::io::Error| {
        Error::new(ErrorCode::InvalidJson, "", format!("cannot read {}: {e}", what.display()))
    };
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .map_err(|e| io(folder, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut definitions = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| io(&file, e))?;
        match serde_json::from_str(&text).map_err(relationship_evaluator::error::json_error)? {
            Value::Array(items) => definitions.extend(items),
            single => definitions.push(single),
        }
    }
    parse_definitions(Value::Array(definitions), &Limits::default())
}

/// Components per `component.kind`.
pub fn kind_counts(design: &Value) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for component in design.get("components").and_then(Value::as_array).into_iter().flatten() {
        let kind = component.pointer("/component/kind").and_then(Value::as_str).unwrap_or("");
        *counts.entry(kind.to_owned()).or_insert(0) += 1;
    }
    counts
}

/// Relationships of a design that are not `deleted`, keyed `kind/type/subType FromKind→ToKind`
/// (endpoint kinds from the first selector set, `?` when the component is absent).
pub fn relationship_counts(design: &Design) -> BTreeMap<String, usize> {
    let kinds: HashMap<&str, &str> = design.components.iter().map(|c| (c.id(), c.kind())).collect();
    let kind_of = |items: &[Value]| {
        items
            .first()
            .and_then(|i| i.get("id"))
            .and_then(Value::as_str)
            .and_then(|id| kinds.get(id).copied())
            .unwrap_or("?")
    };
    let mut counts = BTreeMap::new();
    for relationship in design.relationships.iter().filter(|r| r.status() != "deleted") {
        let (from, to) = relationship
            .first_selector()
            .map(|s| (kind_of(s.allow_from()), kind_of(s.allow_to())))
            .unwrap_or(("?", "?"));
        let key =
            format!("{}/{}/{} {from}→{to}", relationship.kind(), relationship.rel_type(), relationship.sub_type());
        *counts.entry(key).or_insert(0) += 1;
    }
    counts
}
