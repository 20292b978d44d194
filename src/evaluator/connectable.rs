//! "Which definitions could relate these two components?": for a drawn connection, the
//! definitions whose selectors admit the pair, by the engine's own admission
//! (`matching::admission_between`, Meshery's `feasibleBetween`), so an editor offers exactly what
//! the engine would accept.

use crate::error::{Error, ErrorCode, Result};
use crate::index::DesignIndex;
use crate::matching::admission_between;
use crate::model::{Component, Design, Relationship};
use serde::Serialize;
use serde_json::Value;

/// A definition that admits `from → to`, with what is needed to declare the relationship: copy
/// `definition`, and give it the one selector set `{allow: {from: [from + id], to: [to + id]}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ConnectableDefinition {
    /// The position of the definition among the registered ones.
    pub definition_index: usize,
    /// Its id; `null` when it has none or the all-zero id of Meshery's registry exports.
    pub definition_id: Option<String>,
    pub kind: String,
    #[serde(rename = "type")]
    pub rel_type: String,
    pub sub_type: String,
    /// `model.name` of the definition.
    pub model: String,
    /// The selector set that admits the pair (the first one, as the engine picks it).
    pub selector_index: usize,
    /// The allow.from and allow.to items of that set that admit the two components.
    #[cfg_attr(feature = "typescript", ts(type = "SelectorItem"))]
    pub from: Value,
    #[cfg_attr(feature = "typescript", ts(type = "SelectorItem"))]
    pub to: Value,
    /// The registered definition itself.
    #[cfg_attr(feature = "typescript", ts(type = "RelationshipDefinition"))]
    pub definition: Value,
}

fn component<'a>(design: &'a Design, index: &DesignIndex, id: &str, path: &str) -> Result<&'a Component> {
    index
        .component(id)
        .and_then(|position| design.components.get(position))
        .ok_or_else(|| Error::new(ErrorCode::UnknownId, path, format!("no component has id {id}")))
}

/// The definitions among `definitions` (position, definition; in order) that admit the
/// component `from_id` on the from side and `to_id` on the to side, in the order given. None for
/// a component and itself: the engine never relates a component to itself. An id that names no
/// component is `UNKNOWN_ID` at `/fromId` or `/toId`.
pub fn connectable_definitions<'d>(
    design: &Design,
    index: &DesignIndex,
    definitions: impl IntoIterator<Item = (usize, &'d Relationship)>,
    from_id: &str,
    to_id: &str,
) -> Result<Vec<ConnectableDefinition>> {
    let from = component(design, index, from_id, "/fromId")?;
    let to = component(design, index, to_id, "/toId")?;
    if from_id == to_id {
        return Ok(Vec::new());
    }
    Ok(definitions
        .into_iter()
        .filter_map(|(definition_index, definition)| {
            let admission = admission_between(from, to, definition)?;
            Some(ConnectableDefinition {
                definition_index,
                definition_id: Some(definition.id())
                    .filter(|id| !id.is_empty() && *id != crate::ids::ZERO_UUID)
                    .map(str::to_owned),
                kind: definition.kind().to_owned(),
                rel_type: definition.rel_type().to_owned(),
                sub_type: definition.sub_type().to_owned(),
                model: definition.model_name().to_owned(),
                selector_index: admission.selector_index,
                from: admission.from_item.clone(),
                to: admission.to_item.clone(),
                definition: (*definition.0).clone(),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use crate::error::ErrorCode;
    use crate::evaluator::Evaluator;
    use crate::model::Design;
    use serde_json::json;

    fn item(kind: &str) -> serde_json::Value {
        json!({"kind": kind, "model": {"name": "kubernetes"}})
    }

    /// Four definitions shaped like Meshery's Kubernetes ones: namespace inventory (any kind into
    /// a Namespace, never a Namespace into a Namespace), Service network edges (to a Deployment,
    /// or in a second set to a Pod, which the first set denies), PriorityClass → Job (a pattern
    /// that also admits CronJob), and one of a model the design does not use.
    fn evaluator() -> Evaluator {
        let definitions = json!([
            {"kind": "hierarchical", "type": "parent", "subType": "inventory", "model": {"name": "kubernetes"},
             "selectors": [{"allow": {"from": [{"kind": "*", "model": {"name": "*"}}], "to": [item("Namespace")]},
                            "deny": {"from": [item("Namespace")], "to": [item("Namespace")]}}]},
            {"kind": "edge", "type": "non-binding", "subType": "network", "model": {"name": "kubernetes"},
             "selectors": [{"allow": {"from": [item("Service")], "to": [item("Deployment")]},
                            "deny": {"from": [item("Service")], "to": [item("Service"), item("Pod")]}},
                           {"allow": {"from": [item("Service")], "to": [item("Pod")]}}]},
            {"id": "3f1b2c4d-0000-4000-8000-000000000001", "kind": "edge", "type": "non-binding", "subType": "reference",
             "model": {"name": "kubernetes"},
             "selectors": [{"allow": {"from": [item("PriorityClass")], "to": [item("Job")]}}]},
            {"kind": "edge", "type": "non-binding", "subType": "network", "model": {"name": "istio"},
             "selectors": [{"allow": {"from": [{"kind": "Service"}], "to": [{"kind": "Deployment"}]}}]},
        ]);
        let component = |id: &str, kind: &str| json!({"id": id, "component": {"kind": kind}, "displayName": id, "modelReference": {"name": "kubernetes"}});
        let design = json!({"id": "d", "name": "connect", "version": "0.0.1", "components": [
            component("shop", "Namespace"), component("other", "Namespace"), component("web", "Deployment"),
            component("svc", "Service"), component("pod", "Pod"), component("urgent", "PriorityClass"),
            component("nightly", "CronJob"),
        ]});
        let mut evaluator = Evaluator::from_json(&definitions.to_string(), "").expect("definitions");
        let design = Design::from_json(&design.to_string(), &evaluator.options().limits).expect("design");
        evaluator.load_design(design).expect("loads");
        evaluator
    }

    /// `(definition index, selector index, from kind, to kind)` of each answer.
    fn connectable(evaluator: &Evaluator, from: &str, to: &str) -> Vec<(usize, usize, String, String)> {
        let kind = |item: &serde_json::Value| item["kind"].as_str().unwrap_or_default().to_owned();
        evaluator
            .connectable_definitions(from, to)
            .expect("known ids")
            .iter()
            .map(|c| (c.definition_index, c.selector_index, kind(&c.from), kind(&c.to)))
            .collect()
    }

    #[test]
    fn a_deployment_goes_into_a_namespace_and_not_the_other_way() {
        let evaluator = evaluator();
        assert_eq!(connectable(&evaluator, "web", "shop"), [(0, 0, "*".into(), "Namespace".into())]);
        assert_eq!(connectable(&evaluator, "shop", "web"), []);
        let found = evaluator.connectable_definitions("web", "shop").expect("known ids");
        assert_eq!(
            (found[0].kind.as_str(), found[0].rel_type.as_str(), found[0].sub_type.as_str()),
            ("hierarchical", "parent", "inventory")
        );
        assert_eq!(found[0].definition_id, None);
        assert_eq!(found[0].definition["selectors"][0]["deny"]["to"][0]["kind"], "Namespace");
    }

    #[test]
    fn a_service_reaches_a_deployment_and_the_definition_of_an_unused_model_is_not_offered() {
        let evaluator = evaluator();
        assert_eq!(connectable(&evaluator, "svc", "web"), [(1, 0, "Service".into(), "Deployment".into())]);
        assert_eq!(connectable(&evaluator, "web", "svc"), []);
    }

    #[test]
    fn a_set_that_denies_the_pair_is_passed_over_for_the_next_that_allows_it() {
        assert_eq!(connectable(&evaluator(), "svc", "pod"), [(1, 1, "Service".into(), "Pod".into())]);
    }

    #[test]
    fn a_denied_pair_is_not_offered() {
        assert_eq!(connectable(&evaluator(), "other", "shop"), []);
    }

    #[test]
    fn kinds_match_by_the_engines_rule_not_by_equality() {
        let evaluator = evaluator();
        assert_eq!(connectable(&evaluator, "urgent", "nightly"), [(2, 0, "PriorityClass".into(), "Job".into())]);
        let found = evaluator.connectable_definitions("urgent", "nightly").expect("known ids");
        assert_eq!(found[0].definition_id.as_deref(), Some("3f1b2c4d-0000-4000-8000-000000000001"));
    }

    #[test]
    fn a_component_is_never_connectable_to_itself() {
        assert_eq!(connectable(&evaluator(), "shop", "shop"), []);
    }

    #[test]
    fn an_unknown_id_is_a_typed_error_naming_the_argument() {
        let evaluator = evaluator();
        let error = evaluator.connectable_definitions("nope", "shop").expect_err("unknown from");
        assert_eq!((error.code, error.path.as_str()), (ErrorCode::UnknownId, "/fromId"));
        let error = evaluator.connectable_definitions("web", "nope").expect_err("unknown to");
        assert_eq!((error.code, error.path.as_str()), (ErrorCode::UnknownId, "/toId"));
    }
}
