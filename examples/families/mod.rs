//! Design families built to break joins, not to flatter them: shared by `examples/adversarial.rs`
//! (timings, pairs examined, memory) and `tests/join_work.rs` (pairs examined, counted).
//!
//! Every family has an output linear in its size, so work that grows faster than
//! `components + relationships found` is a join that examines more pairs than it returns.
//!
//! | family | shape | what it stresses |
//! |---|---|---|
//! | `shared-port` | one namespace | every Service and Deployment uses port 80; selectors are unique: a join on the port alone is quadratic |
//! | `shared-label` | one namespace | every workload carries `tier: web` beside its unique `app`; Services select both: the `tier` posting list holds everything |
//! | `overlapping-selectors` | one namespace | Services select subsets of ten team labels plus a unique app label: many partial matches, one full match each |
//! | `same-apps-per-namespace` | namespaces of 11 | every namespace runs the same five apps (`app: web`, `api`, …, plus `team`): the `app` posting lists hold a tenth of the design |
//! | `missing-fields` | flat | ServiceAccounts and Deployments with none of the fields the definitions compare (missing is not a match for `not_null`) |
//! | `one-namespace` | one parent | one Namespace with every other component inside it |
//! | `many-small-namespaces` | many parents | a Namespace per ten components |
//! | `synthetic` | the project's generator | `crate::synthetic` |
//! | `teams` | teams × environments | the "realistic" design: teams own a dev, staging and prod namespace, each running the same six app names on common ports (half by named port `http`), labels `app`/`env`/`team` overlapping across namespaces, a ServiceAccount, Role and RoleBinding per app, every app bound to one shared ClusterRole, and the relationships of an earlier evaluation declared, some stale (their Deployment deleted, or their Service's selector changed since) |
//! | `label-grid` | a grid of labels | app `i` is labelled `app: svc-(i mod k)`, `team: team-(i div k)` with k ≈ √apps, and its Service selects both: every single (key, value) is shared by k apps, only the pair is unique |
//! | `service-accounts` | three-party | per namespace one Role shared by eight RoleBindings, each to its app's ServiceAccount; every app also bound to the one ClusterRole `view` and to its namespace's ClusterRole: bindings join on names repeated many times |
//! | `wildcard-refs` | references through `_` and missing fields | ReplicationControllers whose last volume (`volumes._`) names a ConfigMap or a Secret, ClusterRoles whose `rules._.resourceNames._` name PodSecurityPolicies, Jobs/CronJobs/StatefulSets of which a third name one of three PriorityClasses and the rest none (`not_null`), HorizontalPodAutoscalers of which half lack `scaleTargetRef` |

#![allow(dead_code)] // each user (example, test) calls a part of it

use crate::synthetic::{self, DEFAULT_SEED};
use relationship_evaluator::model::Design;
use relationship_evaluator::{Engine, EngineOptions, Limits};
use serde_json::{json, Value};
use std::path::Path;

/// The real Kubernetes definitions, relative to the crate.
pub const DEFINITIONS: &str = "../shared/fixtures/meshery/relationships/kubernetes";

/// Every family, in report order.
pub const FAMILIES: [&str; 12] = [
    "shared-port",
    "same-apps-per-namespace",
    "shared-label",
    "overlapping-selectors",
    "missing-fields",
    "one-namespace",
    "many-small-namespaces",
    "synthetic",
    "teams",
    "label-grid",
    "service-accounts",
    "wildcard-refs",
];

/// The definitions folder, from the crate root whatever the working directory.
pub fn definitions_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFINITIONS)
}

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

fn rbac_binding(index: usize, kind: &str, name: &str, namespace: &str, role: (&str, &str), subject: &str) -> Value {
    component(
        index,
        kind,
        name,
        json!({
            "metadata": {"name": name, "namespace": namespace},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role.0, "name": role.1},
            "subjects": [{"kind": "ServiceAccount", "name": subject, "namespace": namespace}],
        }),
    )
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
pub fn family_design(family: &str, size: usize) -> Value {
    if family == "synthetic" {
        return synthetic::design(size, DEFAULT_SEED);
    }
    let mut components = Components { items: Vec::with_capacity(size), size };
    let mut relationships = Vec::new();
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
        "teams" => {
            teams(&mut components);
            relationships = earlier_relationships(&mut components.items);
        }
        "label-grid" => label_grid(&mut components),
        "service-accounts" => service_accounts(&mut components),
        "wildcard-refs" => wildcard_refs(&mut components),
        other => panic!("unknown family {other}; one of {FAMILIES:?}"),
    }
    json!({
        "id": "00000000-0000-4000-8000-000000000ad0",
        "name": format!("{family}-{size}"),
        "schemaVersion": "designs.meshery.io/v1beta1",
        "version": "0.0.1",
        "components": components.items,
        "relationships": relationships,
    })
}

/// The apps every team runs: name, container port, port name.
const TEAM_APPS: [(&str, u16, &str); 6] = [
    ("web", 80, "http"),
    ("api", 8080, "http"),
    ("auth", 8080, "http"),
    ("worker", 8080, "metrics"),
    ("db", 5432, "postgres"),
    ("cache", 6379, "redis"),
];

/// Teams of three namespaces (dev, staging, prod), each running the same six apps.
fn teams(components: &mut Components) {
    components.push(|i| component(i, "ClusterRole", "view", json!({"metadata": {"name": "view"}, "rules": []})));
    let mut team = 0;
    while !components.full() {
        for env in ["dev", "staging", "prod"] {
            let team_name = format!("team-{team}");
            let ns = format!("{team_name}-{env}");
            components.push(|i| namespace(i, &ns));
            for (app_index, (app, port, port_name)) in TEAM_APPS.into_iter().enumerate() {
                let labels = json!({
                    "app": app, "env": env, "team": team_name,
                    "app.kubernetes.io/part-of": team_name, "app.kubernetes.io/managed-by": "helm",
                });
                let selector = json!({"app": app, "env": env, "team": team_name});
                let account = format!("{ns}-{app}");
                let container = json!({"name": app, "image": format!("registry/{app}:1"),
                    "ports": [{"name": port_name, "containerPort": port, "protocol": "TCP"}]});
                components.push(|i| {
                    component(
                        i,
                        "Deployment",
                        app,
                        json!({
                            "metadata": {"name": app, "namespace": ns, "labels": labels},
                            "spec": {
                                "selector": {"matchLabels": selector},
                                "template": {"metadata": {"labels": labels},
                                    "spec": {"serviceAccountName": account, "containers": [container]}},
                            },
                        }),
                    )
                });
                for replica in 0..1 + app_index % 2 {
                    let pod = format!("{app}-{replica}");
                    components.push(|i| {
                        let mut pod = component(
                            i,
                            "Pod",
                            &pod,
                            json!({
                                "metadata": {"name": pod, "namespace": ns, "labels": labels},
                                "spec": {"serviceAccountName": account, "containers": [container]},
                            }),
                        );
                        pod["metadata"] = json!({"labels": labels});
                        pod
                    });
                }
                // Half the Services target the named port, as charts often do.
                let target = if team % 2 == 0 { json!(port_name) } else { json!(port) };
                components.push(|i| {
                    component(
                        i,
                        "Service",
                        app,
                        json!({
                            "metadata": {"name": app, "namespace": ns, "labels": labels},
                            "spec": {"selector": selector,
                                "ports": [{"name": port_name, "port": port, "targetPort": target, "protocol": "TCP"}]},
                        }),
                    )
                });
                components.push(|i| {
                    component(i, "ServiceAccount", &account, json!({"metadata": {"name": account, "namespace": ns}}))
                });
                let role = format!("{account}-reader");
                components.push(|i| {
                    component(i, "Role", &role, json!({"metadata": {"name": role, "namespace": ns}, "rules": []}))
                });
                components.push(|i| {
                    rbac_binding(i, "RoleBinding", &format!("{role}-binding"), &ns, ("Role", &role), &account)
                });
                components.push(|i| {
                    rbac_binding(
                        i,
                        "ClusterRoleBinding",
                        &format!("{account}-view"),
                        &ns,
                        ("ClusterRole", "view"),
                        &account,
                    )
                });
                let config = format!("{app}-config");
                components.push(|i| {
                    component(i, "ConfigMap", &config, json!({"metadata": {"name": config, "namespace": ns}}))
                });
            }
        }
        team += 1;
    }
}

/// The relationships an earlier evaluation of these components found, as a design exported from
/// Meshery carries them; then the design moved on: every 20th Deployment was deleted (its
/// relationships are stale, an endpoint is missing) and every 20th Service selects a new
/// version label (its network relationships no longer match, but both endpoints exist).
fn earlier_relationships(components: &mut Vec<Value>) -> Vec<Value> {
    let definitions = synthetic::load_definitions(&definitions_dir()).expect("definitions");
    let earlier = json!({
        "id": "00000000-0000-4000-8000-000000000ad0",
        "name": "earlier",
        "schemaVersion": "designs.meshery.io/v1beta1",
        "version": "0.0.1",
        "components": components,
        "relationships": [],
    });
    let design = Design::from_value(earlier, &Limits::default()).expect("design");
    let response = Engine::new(definitions, EngineOptions::default()).evaluate(design).expect("evaluation");
    let relationships: Vec<Value> =
        response.design.relationships.iter().map(|r| serde_json::to_value(r).expect("relationship")).collect();
    let kind = |c: &Value| c["component"]["kind"].as_str().unwrap_or("").to_owned();
    let mut deployments = 0;
    let mut services = 0;
    components.retain(|c| {
        if kind(c) != "Deployment" {
            return true;
        }
        deployments += 1;
        deployments % 20 != 0
    });
    for service in components.iter_mut().filter(|c| kind(c) == "Service") {
        services += 1;
        if services % 20 == 0 {
            service["configuration"]["spec"]["selector"]["version"] = json!("v2");
        }
    }
    relationships
}

/// App `i` labelled `app: svc-(i mod k)` and `team: team-(i div k)`, k ≈ √apps, in namespace
/// `team-(i div k)`; its Service selects both labels.
fn label_grid(components: &mut Components) {
    let apps = components.size / 2;
    let k = ((apps as f64).sqrt().ceil() as usize).max(1);
    let mut app = 0;
    while !components.full() {
        let (name, team) = (format!("svc-{}", app % k), format!("team-{}", app / k));
        if app % k == 0 {
            components.push(|i| namespace(i, &team));
        }
        let labels = json!({"app": name, "team": team});
        components.push(|i| workload(i, "Deployment", &name, &team, labels.clone(), 8080));
        components.push(|i| service(i, &name, &team, labels.clone(), 8080));
        app += 1;
    }
}

/// Namespaces of eight apps: per app a ServiceAccount, a RoleBinding to the namespace's one
/// Role, a ClusterRoleBinding to the design's one ClusterRole `view`, and one to the namespace's
/// ClusterRole `edit-<ns>`.
fn service_accounts(components: &mut Components) {
    components.push(|i| component(i, "ClusterRole", "view", json!({"metadata": {"name": "view"}, "rules": []})));
    let mut ns = 0;
    while !components.full() {
        let ns_name = format!("ns-{ns}");
        let (role, edit) = (format!("reader-{ns_name}"), format!("edit-{ns_name}"));
        components.push(|i| namespace(i, &ns_name));
        components.push(|i| {
            component(i, "Role", &role, json!({"metadata": {"name": role, "namespace": ns_name}, "rules": []}))
        });
        components.push(|i| component(i, "ClusterRole", &edit, json!({"metadata": {"name": edit}, "rules": []})));
        for app in 0..8 {
            let account = format!("{ns_name}-app-{app}");
            components.push(|i| {
                component(i, "ServiceAccount", &account, json!({"metadata": {"name": account, "namespace": ns_name}}))
            });
            components.push(|i| {
                rbac_binding(i, "RoleBinding", &format!("{account}-read"), &ns_name, ("Role", &role), &account)
            });
            components.push(|i| {
                rbac_binding(
                    i,
                    "ClusterRoleBinding",
                    &format!("{account}-view"),
                    &ns_name,
                    ("ClusterRole", "view"),
                    &account,
                )
            });
            components.push(|i| {
                rbac_binding(
                    i,
                    "ClusterRoleBinding",
                    &format!("{account}-edit"),
                    &ns_name,
                    ("ClusterRole", &edit),
                    &account,
                )
            });
        }
        ns += 1;
    }
}

/// References through `_` paths and optional fields; see the module table.
fn wildcard_refs(components: &mut Components) {
    for class in ["high", "low", "batch"] {
        components.push(|i| component(i, "PriorityClass", class, json!({"metadata": {"name": class}, "value": 1000})));
    }
    let mut n = 0;
    while !components.full() {
        let ns = format!("ns-{}", n / 10);
        if n % 10 == 0 {
            components.push(|i| namespace(i, &ns));
        }
        let (config, secret, psp) = (format!("config-{n}"), format!("secret-{n}"), format!("psp-{n}"));
        components.push(|i| component(i, "ConfigMap", &config, json!({"metadata": {"name": config, "namespace": ns}})));
        components.push(|i| component(i, "Secret", &secret, json!({"metadata": {"name": secret, "namespace": ns}})));
        // The last volume is what `volumes._` reads: a ConfigMap, a Secret, or neither.
        let volumes = match n % 3 {
            0 => json!([{"name": "s", "secret": {"secretName": secret}}, {"name": "c", "configMap": {"name": config}}]),
            1 => json!([{"name": "c", "configMap": {"name": config}}, {"name": "s", "secret": {"secretName": secret}}]),
            _ => json!([{"name": "tmp", "emptyDir": {}}]),
        };
        let rc = format!("rc-{n}");
        components.push(|i| {
            component(
                i,
                "ReplicationController",
                &rc,
                json!({"metadata": {"name": rc, "namespace": ns},
                    "spec": {"template": {"spec": {"volumes": volumes, "containers": [{"name": "c", "image": "busybox"}]}}}}),
            )
        });
        components.push(|i| component(i, "PodSecurityPolicy", &psp, json!({"metadata": {"name": psp}})));
        let cluster_role = format!("use-{psp}");
        components.push(|i| {
            component(
                i,
                "ClusterRole",
                &cluster_role,
                json!({"metadata": {"name": cluster_role},
                    "rules": [{"resources": ["configmaps"]}, {"resources": ["podsecuritypolicies"], "resourceNames": ["unused", psp]}]}),
            )
        });
        let priority = (n % 3 == 0).then(|| ["high", "low", "batch"][n / 3 % 3]);
        let template = |priority: Option<&str>| match priority {
            Some(class) => {
                json!({"spec": {"priorityClassName": class, "containers": [{"name": "c", "image": "busybox"}]}})
            }
            None => json!({"spec": {"containers": [{"name": "c", "image": "busybox"}]}}),
        };
        let (job, cron, set) = (format!("job-{n}"), format!("cron-{n}"), format!("set-{n}"));
        components.push(|i| {
            component(
                i,
                "Job",
                &job,
                json!({"metadata": {"name": job, "namespace": ns}, "spec": {"template": template(priority)}}),
            )
        });
        components.push(|i| {
            component(
                i,
                "CronJob",
                &cron,
                json!({"metadata": {"name": cron, "namespace": ns},
                    "spec": {"jobTemplate": {"spec": {"template": template(priority)}}}}),
            )
        });
        components.push(|i| {
            component(
                i,
                "StatefulSet",
                &set,
                json!({"metadata": {"name": set, "namespace": ns}, "spec": {"template": template(priority)}}),
            )
        });
        let hpa = format!("hpa-{n}");
        let target =
            if n % 2 == 0 { json!({"scaleTargetRef": {"kind": "StatefulSet", "name": set}}) } else { json!({}) };
        components.push(|i| {
            component(
                i,
                "HorizontalPodAutoscaler",
                &hpa,
                json!({"metadata": {"name": hpa, "namespace": ns}, "spec": target}),
            )
        });
        n += 1;
    }
}
