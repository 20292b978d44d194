//! Meshery's Rego unit tests, as data (`shared/fixtures/meshery/scenarios/`, see its README), run
//! against our public functions wherever the Go engine shares the behaviour.
//!
//! Every scenario file is either run (through the runner for its Rego rule) or listed in `SKIPS`
//! with a one-line reason; a test checks that the two lists cover the directory exactly, so a new
//! scenario cannot be forgotten. Run with `--nocapture` to see the per-file results.

mod fixture_helpers;

use fixture_helpers::{definitions, design_with, evaluate, fixture_path, live_of};
use relationship_evaluator::context::Context;
use relationship_evaluator::engine::{apply, generate};
use relationship_evaluator::index::DesignIndex;
use relationship_evaluator::matching::{feasible, is_denied};
use relationship_evaluator::model::{Action, ActionOp, Component, Design, Relationship, SelectorItem, SelectorSet};
use relationship_evaluator::policy::{
    already_exists, from_or_to_missing, registered_policies, same_item, AliasPolicy, HierarchicalParentChildPolicy,
    MultihopValidationPolicy, Policy,
};
use relationship_evaluator::values::{
    get_nested, is_direct_reference, json_equal, match_values, pop_last, resolve_path, MatchStrategy,
};
use relationship_evaluator::{EngineOptions, Limits};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

/// Scenarios not run, each with why.
const SKIPS: &[(&str, &str)] = &[
    ("deny_relationship_evaluator_test__test_is_relationship_not_denied_with_different_registrant_kind",
     "Go's deny check (spec §6.3) compares kind and model name only, never the registrant: this pair is denied in Go"),
    ("deny_relationship_evaluator_test__test_is_selector_and_declaration_model_registrant_matches_with_kind",
     "Rego-only registrant comparison; the Go deny check has none (§6.3)"),
    ("helper_rules_test__test_arr_contains_false", "Rego-only list-membership helper"),
    ("helper_rules_test__test_arr_contains_true", "Rego-only list-membership helper"),
    ("helper_rules_test__test_array_path_position",
     "Rego-only helper (position of `_`); Go resolves `_` in resolvePath, run by the array_index_to_patch scenarios"),
    ("helper_rules_test__test_array_to_set", "Rego set helper; Go has no sets"),
    ("helper_rules_test__test_set_to_array", "Rego set helper; Go has no sets"),
    ("helper_rules_test__test_format_json_path",
     "Rego JSON-patch path formatting (numeric segments as numbers); Go patches string segments with sjson (§8.2)"),
    ("helper_rules_test__test_format_path_non_numeric", "Rego JSON-patch path formatting; Go paths stay strings (§8.2)"),
    ("helper_rules_test__test_format_path_numeric", "Rego JSON-patch path formatting; Go paths stay strings (§8.2)"),
    ("helper_rules_test__test_has_key_false", "Rego-only object helper"),
    ("helper_rules_test__test_has_key_true", "Rego-only object helper"),
    ("relationship_diff_policy_test__test_does_belongs_to_same_model_different_name",
     "Rego diff-policy helper; the Go engine has no diff policy (models only scope definitions, §4.1)"),
    ("relationship_diff_policy_test__test_does_belongs_to_same_model_true",
     "Rego diff-policy helper; the Go engine has no diff policy (models only scope definitions, §4.1)"),
    ("relationship_diff_policy_test__test_does_relationship_not_exist_binding_different",
     "the newest Rego diff compares binding ids in `match`; Go's AlreadyExists (§6.8) ignores `match`, so it exists in Go"),
    ("relationship_diff_policy_test__test_evaluate_relationships_added_different_binding",
     "Rego diff-policy rule with no Go counterpart (binding relationships differ by their id seed instead, §11)"),
    ("relationship_diff_policy_test__test_is_same_binding_with_different_bindings",
     "Go's item identity (§6.8) ignores `match`, so these two bindings are the same item in Go"),
    ("utils_test__test_array_endswith_false",
     "Rego-only list helper (its Go use, isDirectReference, is run by the is_direct_reference scenarios)"),
    ("utils_test__test_array_endswith_true",
     "Rego-only list helper (its Go use, isDirectReference, is run by the is_direct_reference scenarios)"),
    ("utils_test__test_array_to_set", "Rego set helper; Go has no sets"),
    ("utils_test__test_array_to_set_empty", "Rego set helper; Go has no sets"),
    ("utils_test__test_set_to_array", "Rego set helper; Go has no sets"),
    ("utils_test__test_set_to_array_empty", "Rego set helper; Go has no sets"),
    ("utils_test__test_truncate_set_larger", "Rego set helper; Go caps slices (100 approvals, 20 groups; §4.2, §7.1)"),
    ("utils_test__test_truncate_set_smaller", "Rego set helper; Go caps slices (100 approvals, 20 groups; §4.2, §7.1)"),
    ("utils_test__test_coalesce_non_null", "Rego-only helper"),
    ("utils_test__test_coalesce_null", "Rego-only helper"),
    ("utils_test__test_normalize_path_array", "Rego JSON-pointer normalisation; Go paths are segment arrays"),
    ("utils_test__test_normalize_path_string", "Rego JSON-pointer normalisation; Go paths are segment arrays"),
    ("utils_test__test_pop_first", "Rego-only list helper (Go has popLast only)"),
    ("utils_test__test_pop_first_single_element", "Rego-only list helper (Go has popLast only)"),
];

type Outcome = Result<(), String>;
type Runner = fn(&Value) -> Outcome;

/// The runner for a scenario's Rego rule (its `call.rule`, or the rule of its first step).
fn runner_for(rule: &str) -> Option<Runner> {
    let rule = rule.rsplit('.').next().unwrap_or(rule);
    Some(match rule {
        "add_component_op"
        | "add_relationship_op"
        | "delete_component_op"
        | "delete_relationship_op"
        | "update_component_op"
        | "update_component_configuration_op"
        | "update_relationship_op" => op_name,
        "get_component_update_op" => component_update_op,
        "append_added_items" | "filter_out_deleted" => apply_to_components,
        "apply_updates_to_item" => apply_updates_to_item,
        "apply_all_actions_to_design" => apply_pipeline,
        "any_selector_matches" => any_selector_matches,
        "is_relationship_denied" => relationship_denied,
        "cleanup_deleted_relationships_actions" => cleanup_deleted,
        "from_and_to_components_exist" => components_exist,
        "from_or_to_components_dont_exist" => components_missing,
        "match_values" => values_match,
        "match_object" => objects_match,
        "same_relationship_identifier" => same_identifier,
        "same_relationship_selector_clause" => same_selector_item,
        "does_relationship_exist_in_design" => relationship_exists,
        "is_of_same_kind" => same_kind,
        "is_same_binding" => same_binding,
        "array_index_to_patch" => array_index_to_patch,
        "resolve_path" => path_resolution,
        "declaration_with_id" | "component_declaration_by_id" => declaration_by_id,
        "extract_values" => extract_values,
        "is_relationship_feasible" => relationship_feasible,
        "alias_policy_identifier" | "hierarchical_parent_child_policy_identifier" => policy_identifier,
        "is_alias_relationship" => alias_relationship,
        "relationship_is_implicated_by_policy" => implicated_or_multihop,
        "relationship_is_invalid" => multihop_invalid,
        "identify_relationship" => identify_inventory,
        "from_component_id" | "to_component_id" => endpoint_id,
        "is_direct_reference" => direct_reference,
        "object_get_nested" => object_get_nested,
        "pop_last" => path_pop_last,
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Reading scenarios

fn scenario_files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixture_path("scenarios"))
        .expect("scenarios directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".json").map(str::to_owned))
        .collect();
    names.sort();
    names
}

fn load(stem: &str) -> Value {
    fixture_helpers::read_json(&fixture_path(&format!("scenarios/{stem}.json")))
}

fn rule_of(scenario: &Value) -> &str {
    scenario["call"]["rule"].as_str().or_else(|| scenario["steps"][0]["rule"].as_str()).unwrap_or("")
}

/// `{"$set": [...]}` (a Rego set) becomes a plain array, recursively.
fn unset(value: &Value) -> Value {
    match value {
        Value::Object(map) if map.len() == 1 && map.contains_key("$set") => unset(&map["$set"]),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), unset(v))).collect()),
        Value::Array(items) => Value::Array(items.iter().map(unset).collect()),
        other => other.clone(),
    }
}

fn arg(scenario: &Value, i: usize) -> Value {
    unset(&scenario["call"]["args"][i])
}

fn expect(scenario: &Value) -> &Value {
    &scenario["expect"]
}

fn check_holds(expected: &Value, actual: bool) -> Outcome {
    let expected = expected["holds"].as_bool().ok_or("the scenario expects no `holds`")?;
    (expected == actual).then_some(()).ok_or(format!("holds: expected {expected}, got {actual}"))
}

fn check_result(scenario: &Value, actual: &Value) -> Outcome {
    let expected = &expect(scenario)["result"];
    (expected == actual).then_some(()).ok_or(format!("result: expected {expected}, got {actual}"))
}

fn check_count(scenario: &Value, actual: usize) -> Outcome {
    let expected = expect(scenario)["result_count"].as_u64().ok_or("the scenario expects no `result_count`")?;
    (expected == actual as u64).then_some(()).ok_or(format!("result_count: expected {expected}, got {actual}"))
}

fn check_fields(scenario: &Value, actual: &Value) -> Outcome {
    let fields = expect(scenario)["result_fields"].as_object().ok_or("the scenario expects no `result_fields`")?;
    for (key, expected) in fields {
        if &actual[key] != expected {
            return Err(format!("result field {key}: expected {expected}, got {}", actual[key]));
        }
    }
    Ok(())
}

/// A design from scenario data; relationships without an id (our decoder requires one) get
/// `rel-<index>`.
fn scenario_design(value: &Value) -> Design {
    let mut value = unset(value);
    if let Some(relationships) = value.get_mut("relationships").and_then(Value::as_array_mut) {
        for (i, relationship) in relationships.iter_mut().enumerate() {
            if relationship.get("id").is_none() {
                relationship["id"] = json!(format!("rel-{i}"));
            }
        }
    }
    Design::from_value(value, &Limits::default()).expect("scenario design decodes")
}

/// Runs `check` with a context over `design`.
fn with_context<T>(design: &Design, check: impl FnOnce(&Context) -> T) -> T {
    let index = DesignIndex::build(design);
    let options = EngineOptions::default();
    check(&Context::new(design, &index, &options))
}

fn wire_actions(list: &Value) -> Result<Vec<Action>, String> {
    let items = list.as_array().ok_or("actions are not a list")?;
    items.iter().enumerate().map(|(i, a)| Action::from_wire(a, &format!("/{i}")).map_err(|e| e.message)).collect()
}

// ---------------------------------------------------------------------------------------------
// actions_test: op names and applying actions (engine::apply, spec §8.1–§8.2)

fn sample_action(op: ActionOp) -> Action {
    let component = Component::from_value(json!({ "id": "c" }));
    let relationship = Relationship::from_value(json!({ "id": "r" }));
    let path = || vec!["configuration".to_owned(), "a".to_owned()];
    match op {
        ActionOp::AddComponent => Action::AddComponent { item: component },
        ActionOp::UpdateComponent => {
            Action::UpdateComponent { id: "c".into(), path: vec!["displayName".into()], value: json!(1) }
        }
        ActionOp::UpdateComponentConfiguration => {
            Action::UpdateComponentConfiguration { id: "c".into(), path: path(), value: json!(1) }
        }
        ActionOp::DeleteComponent => Action::DeleteComponent { id: "c".into(), component: None },
        ActionOp::RemoveComponentConfiguration => Action::RemoveComponentConfiguration { id: "c".into(), path: path() },
        ActionOp::AddRelationship => Action::AddRelationship { item: relationship },
        ActionOp::UpdateRelationship => Action::set_status("r", "approved"),
        ActionOp::DeleteRelationship => Action::DeleteRelationship { id: "r".into(), relationship: None },
    }
}

/// `data.actions.<op>_op` constants: the wire name of that op, as our actions serialise it.
fn op_name(scenario: &Value) -> Outcome {
    let rule = rule_of(scenario).rsplit('.').next().unwrap_or("");
    let op = match rule {
        "add_component_op" => ActionOp::AddComponent,
        "add_relationship_op" => ActionOp::AddRelationship,
        "delete_component_op" => ActionOp::DeleteComponent,
        "delete_relationship_op" => ActionOp::DeleteRelationship,
        "update_component_op" => ActionOp::UpdateComponent,
        "update_component_configuration_op" => ActionOp::UpdateComponentConfiguration,
        "update_relationship_op" => ActionOp::UpdateRelationship,
        other => return Err(format!("no op for {other}")),
    };
    let wire = serde_json::to_value(sample_action(op)).map_err(|e| e.to_string())?;
    check_result(scenario, &wire["op"])?;
    check_result(scenario, &json!(op.as_str()))
}

/// `get_component_update_op(path)`: `update_component_configuration` exactly when the path
/// starts with `configuration`.
fn component_update_op(scenario: &Value) -> Outcome {
    let path: Vec<String> = serde_json::from_value(arg(scenario, 0)).map_err(|e| e.to_string())?;
    check_result(scenario, &json!(Action::update_component_at("c", path, json!(1)).op().as_str()))
}

/// `append_added_items` / `filter_out_deleted (items, actions, op)`: the component list after
/// applying the actions.
fn apply_to_components(scenario: &Value) -> Outcome {
    let mut design = scenario_design(&json!({ "components": arg(scenario, 0) }));
    apply(&mut design, &wire_actions(&arg(scenario, 1))?);
    check_count(scenario, design.components.len())
}

/// `apply_updates_to_item(item, actions, op)`: the item after the updates of that op that name
/// it. Rego's JSON-pointer path `/status` is the segment path `["status"]` in Go's actions; an
/// `update_component` writes the component's own field (our deliberate fix, DECISIONS §3).
fn apply_updates_to_item(scenario: &Value) -> Outcome {
    let mut actions = arg(scenario, 1);
    for action in actions.as_array_mut().into_iter().flatten() {
        if action["op"] != "update_relationship" {
            if let Some(pointer) = action["value"]["path"].as_str() {
                let segments: Vec<&str> = pointer.split('/').filter(|s| !s.is_empty()).collect();
                action["value"]["path"] = json!(segments);
            }
        }
    }
    let mut design = scenario_design(&json!({ "components": [arg(scenario, 0)] }));
    apply(&mut design, &wire_actions(&actions)?);
    check_fields(scenario, &design.components[0].0)
}

/// `apply_all_actions_to_design` chained through `steps`, then the expectations on `on`.
fn apply_pipeline(scenario: &Value) -> Outcome {
    let fixtures = unset(&scenario["fixtures"]);
    let mut results: Map<String, Value> = fixtures.as_object().cloned().unwrap_or_default();
    for step in scenario["steps"].as_array().ok_or("no steps")? {
        let resolve = |v: &Value| -> Value {
            v.get("$ref").and_then(Value::as_str).map(|name| results[name].clone()).unwrap_or_else(|| unset(v))
        };
        let mut design = scenario_design(&resolve(&step["args"][0]));
        apply(&mut design, &wire_actions(&resolve(&step["args"][1]))?);
        results.insert(step["as"].as_str().ok_or("step without `as`")?.to_owned(), design.to_value());
    }
    let expected = expect(scenario);
    let on = &results[expected["on"].as_str().ok_or("no `on`")?];
    let relationships = on["relationships"].as_array().cloned().unwrap_or_default();
    let status_of =
        |id: &str| relationships.iter().find(|r| r["id"] == id).map(|r| r["status"].as_str().unwrap_or("").to_owned());
    if let Some(count) = expected["component_count"].as_u64() {
        let actual = on["components"].as_array().map_or(0, Vec::len) as u64;
        (count == actual).then_some(()).ok_or(format!("component_count: expected {count}, got {actual}"))?;
    }
    if let Some(count) = expected["relationship_count"].as_u64() {
        let actual = relationships.len() as u64;
        (count == actual).then_some(()).ok_or(format!("relationship_count: expected {count}, got {actual}"))?;
    }
    for item in expected["relationships_include"].as_array().into_iter().flatten() {
        let id = item["id"].as_str().unwrap_or("");
        let status = item["status"].as_str().map(str::to_owned);
        (status_of(id) == status).then_some(()).ok_or(format!("{id}: expected {status:?}, got {:?}", status_of(id)))?;
    }
    for id in expected["relationship_ids_include"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        status_of(id).ok_or(format!("{id} is missing"))?;
    }
    for id in expected["relationship_ids_exclude"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        status_of(id).is_none().then_some(()).ok_or(format!("{id} should be absent"))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// deny and feasibility (matching::is_denied / feasible, spec §6.2–§6.3)

/// `any_selector_matches(declaration, selector)`: the selector, as both sides of a deny clause,
/// denies the declaration with itself exactly when it matches it.
fn any_selector_matches(scenario: &Value) -> Outcome {
    let declaration = Component::from_value(arg(scenario, 0));
    let set = json!({ "deny": { "from": [arg(scenario, 1)], "to": [arg(scenario, 1)] } });
    check_holds(expect(scenario), is_denied(&declaration, &declaration, SelectorSet(&set)))
}

fn relationship_denied(scenario: &Value) -> Outcome {
    let (from, to) = (Component::from_value(arg(scenario, 0)), Component::from_value(arg(scenario, 1)));
    let set = json!({ "deny": arg(scenario, 2) });
    check_holds(expect(scenario), is_denied(&from, &to, SelectorSet(&set)))
}

/// `is_relationship_feasible(selector, kind)`: a component of that kind is feasible for the item.
fn relationship_feasible(scenario: &Value) -> Outcome {
    let selector = arg(scenario, 0);
    let component = Component::from_value(json!({ "id": "c", "component": { "kind": arg(scenario, 1) } }));
    check_holds(expect(scenario), feasible(SelectorItem(&selector), &component))
}

// ---------------------------------------------------------------------------------------------
// eval_rules_test: validation, cleanup, matching, identity

fn components_exist(scenario: &Value) -> Outcome {
    let relationship = Relationship::from_value(arg(scenario, 0));
    let design = scenario_design(&arg(scenario, 1));
    check_holds(expect(scenario), !with_context(&design, |c| from_or_to_missing(&relationship, c)))
}

fn components_missing(scenario: &Value) -> Outcome {
    let relationship = Relationship::from_value(arg(scenario, 0));
    let design = scenario_design(&arg(scenario, 1));
    check_holds(expect(scenario), with_context(&design, |c| from_or_to_missing(&relationship, c)))
}

/// `cleanup_deleted_relationships_actions(relationships)`: Go cleans up per policy (spec §4.2
/// Phase 3), so the bare relationships are given the kind of one (hierarchical inventory).
fn cleanup_deleted(scenario: &Value) -> Outcome {
    let mut relationships = arg(scenario, 0);
    for relationship in relationships.as_array_mut().into_iter().flatten() {
        relationship["kind"] = json!("hierarchical");
        relationship["type"] = json!("parent");
        relationship["subType"] = json!("inventory");
    }
    let design = scenario_design(&json!({ "components": [], "relationships": relationships }));
    let actions = with_context(&design, |c| generate(&registered_policies(), c));
    check_count(scenario, actions.iter().filter(|a| a.op() == ActionOp::DeleteRelationship).count())
}

fn values_match(scenario: &Value) -> Outcome {
    let (a, b) = (arg(scenario, 0), arg(scenario, 1));
    let strategy = MatchStrategy::parse(arg(scenario, 2).as_str().unwrap_or(""));
    check_holds(expect(scenario), match_values(Some(&a), Some(&b), strategy))
}

fn objects_match(scenario: &Value) -> Outcome {
    check_holds(expect(scenario), json_equal(&arg(scenario, 0), &arg(scenario, 1)))
}

/// `same_relationship_identifier(a, b)` through "already exists" (spec §6.8): a relationship of
/// a's kind/type/subType in the design makes the same selectors "existing" for a definition of
/// b's kind/type/subType exactly when the identifiers agree.
fn same_identifier(scenario: &Value) -> Outcome {
    let (a, b) = (arg(scenario, 0), arg(scenario, 1));
    let selectors = json!([{ "allow": { "from": [{ "id": "c1", "kind": "Role" }], "to": [{ "id": "c2", "kind": "ServiceAccount" }] } }]);
    let mut existing = a.clone();
    existing["id"] = json!("existing");
    existing["status"] = json!("approved");
    existing["selectors"] = selectors.clone();
    let design = scenario_design(&json!({ "components": [], "relationships": [existing] }));
    check_holds(
        expect(scenario),
        with_context(&design, |c| already_exists(&Relationship::from_value(b), &selectors, c)),
    )
}

fn same_selector_item(scenario: &Value) -> Outcome {
    check_holds(expect(scenario), same_item(&arg(scenario, 0), &arg(scenario, 1)))
}

/// `does_relationship_exist_in_design(relationships, relationship)`: "already exists" (§6.8).
fn relationship_exists(scenario: &Value) -> Outcome {
    let candidate = arg(scenario, 1);
    let design = scenario_design(&json!({ "components": [], "relationships": arg(scenario, 0) }));
    let exists = with_context(&design, |c| {
        already_exists(&Relationship::from_value(candidate.clone()), &candidate["selectors"], c)
    });
    check_holds(expect(scenario), exists)
}

fn same_kind(scenario: &Value) -> Outcome {
    let (a, b) = (Relationship::from_value(arg(scenario, 0)), Relationship::from_value(arg(scenario, 1)));
    check_holds(expect(scenario), a.is(b.kind(), b.rel_type(), Some(b.sub_type())))
}

/// `is_same_binding(ex_from, from, ex_to, to)`: both endpoints are the same item (§6.8).
fn same_binding(scenario: &Value) -> Outcome {
    let same = same_item(&arg(scenario, 0), &arg(scenario, 1)) && same_item(&arg(scenario, 2), &arg(scenario, 3));
    check_holds(expect(scenario), same)
}

// ---------------------------------------------------------------------------------------------
// paths and values (values::*, Context, spec §6.4)

/// `array_index_to_patch(length)`: the index `_` resolves to over an array of that length.
fn array_index_to_patch(scenario: &Value) -> Outcome {
    let length = arg(scenario, 0).as_u64().ok_or("a length")? as usize;
    let document = json!({ "list": vec![Value::Null; length] });
    let resolved = resolve_path(&["list".to_owned(), "_".to_owned()], &document);
    check_result(scenario, &json!(resolved[1]))
}

fn path_resolution(scenario: &Value) -> Outcome {
    let path: Vec<String> = serde_json::from_value(arg(scenario, 0)).map_err(|e| e.to_string())?;
    check_result(scenario, &json!(resolve_path(&path, &arg(scenario, 1))))
}

fn direct_reference(scenario: &Value) -> Outcome {
    let path: Vec<String> = serde_json::from_value(arg(scenario, 0)).map_err(|e| e.to_string())?;
    check_holds(expect(scenario), is_direct_reference(&path))
}

fn object_get_nested(scenario: &Value) -> Outcome {
    let path: Vec<String> = serde_json::from_value(arg(scenario, 1)).map_err(|e| e.to_string())?;
    let document = arg(scenario, 0);
    check_result(scenario, &get_nested(&document, &path).cloned().unwrap_or_else(|| arg(scenario, 2)))
}

/// `pop_last(list)`: our `values::pop_last` works on path segments, so the items are written as
/// strings and read back.
fn path_pop_last(scenario: &Value) -> Outcome {
    let items = arg(scenario, 0);
    let segments: Vec<String> = items.as_array().ok_or("a list")?.iter().map(Value::to_string).collect();
    let popped: Vec<Value> = pop_last(&segments)
        .iter()
        .map(|s| serde_json::from_str(s).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    check_result(scenario, &Value::Array(popped))
}

/// `declaration_with_id` / `component_declaration_by_id(design, id)`: the component lookup.
fn declaration_by_id(scenario: &Value) -> Outcome {
    let design = scenario_design(&arg(scenario, 0));
    let id = arg(scenario, 1);
    let found = with_context(&design, |c| c.component(id.as_str().unwrap_or("")).map(|x| x.0.clone()));
    match (found, expect(scenario).get("holds")) {
        (None, Some(_)) => check_holds(expect(scenario), false),
        (Some(_), Some(_)) => check_holds(expect(scenario), true),
        (Some(component), None) => check_fields(scenario, &component),
        (None, None) => Err(format!("no component {id}")),
    }
}

/// `extract_values(component, paths)`: the non-null values at the paths (`valueAt`, §6.4).
fn extract_values(scenario: &Value) -> Outcome {
    let mut component = arg(scenario, 0);
    component["id"] = json!("c");
    let design = scenario_design(&json!({ "components": [component] }));
    let paths: Vec<Vec<String>> = serde_json::from_value(arg(scenario, 1)).map_err(|e| e.to_string())?;
    let count = with_context(&design, |c| {
        let component = c.component("c").expect("the component");
        paths.iter().filter(|p| c.value_at(p, component).is_some_and(|v| !v.is_null())).count()
    });
    check_count(scenario, count)
}

fn endpoint_id(scenario: &Value) -> Outcome {
    let relationship = Relationship::from_value(arg(scenario, 0));
    let set = relationship.first_selector().ok_or("no selector set")?;
    let items = if rule_of(scenario).ends_with("from_component_id") { set.allow_from() } else { set.allow_to() };
    check_result(scenario, &items[0]["id"])
}

// ---------------------------------------------------------------------------------------------
// policies (spec §7)

fn all_policies() -> Vec<Box<dyn Policy>> {
    let mut policies = registered_policies();
    policies.push(Box::new(MultihopValidationPolicy)); // shipped, not registered (§7.9)
    policies
}

fn policy_identifier(scenario: &Value) -> Outcome {
    let id = if rule_of(scenario).ends_with("alias_policy_identifier") {
        AliasPolicy.id()
    } else {
        HierarchicalParentChildPolicy.id()
    };
    check_result(scenario, &json!(id))
}

fn alias_relationship(scenario: &Value) -> Outcome {
    check_holds(expect(scenario), AliasPolicy.is_implicated_by(&Relationship::from_value(arg(scenario, 0))))
}

fn implicated(relationship: &Value, policy_id: &str) -> Result<bool, String> {
    let policies = all_policies();
    let policy = policies.iter().find(|p| p.id() == policy_id).ok_or(format!("no policy {policy_id}"))?;
    Ok(policy.is_implicated_by(&Relationship::from_value(unset(relationship))))
}

/// `relationship_is_implicated_by_policy(relationship, policy id)`, or the multihop pipeline
/// whose steps are that and `relationship_is_invalid`.
fn implicated_or_multihop(scenario: &Value) -> Outcome {
    if scenario["kind"] == "pipeline-steps" {
        let steps = scenario["steps"].as_array().ok_or("no steps")?;
        let design = scenario_design(&scenario["fixtures"]["design_file"]);
        for step in steps {
            let name = step["as"].as_str().unwrap_or("");
            let relationship = &step["args"][0];
            let actual = if step["rule"].as_str().unwrap_or("").ends_with("relationship_is_implicated_by_policy") {
                implicated(relationship, step["args"][1].as_str().unwrap_or(""))?
            } else {
                let policy = MultihopValidationPolicy;
                with_context(&design, |c| policy.is_invalid(&Relationship::from_value(unset(relationship)), c))
            };
            check_holds(&expect(scenario)[name], actual).map_err(|e| format!("{name}: {e}"))?;
        }
        return Ok(());
    }
    let actual = implicated(&arg(scenario, 0), arg(scenario, 1).as_str().unwrap_or(""))?;
    check_holds(expect(scenario), actual)
}

/// `relationship_is_invalid(relationship, design, "multihop-routing-validation")`.
fn multihop_invalid(scenario: &Value) -> Outcome {
    let policy_id = arg(scenario, 2);
    if policy_id != MultihopValidationPolicy.id() {
        return Err(format!("unexpected policy {policy_id}"));
    }
    let design = scenario_design(&arg(scenario, 1));
    let relationship = Relationship::from_value(arg(scenario, 0));
    check_holds(expect(scenario), with_context(&design, |c| MultihopValidationPolicy.is_invalid(&relationship, c)))
}

/// `identify_relationship(design, definition)` for the namespace inventory definition: the
/// parent-child policy's identification (§7.6), and a full evaluation (the definition gets the
/// kubernetes model so that it is in scope, §4.1) whose live inventory relationships between
/// the scenario's components must be the same in number.
fn identify_inventory(scenario: &Value) -> Outcome {
    let design = scenario_design(&arg(scenario, 0));
    let mut definition = arg(scenario, 1);
    let found = with_context(&design, |c| {
        HierarchicalParentChildPolicy.identify(&Relationship::from_value(definition.clone()), c)
    });
    check_count(scenario, found.len()).map_err(|e| format!("identify: {e}"))?;
    if let Some(matches) = expect(scenario).get("some_result_matches") {
        let kind_of =
            |id: &Value| design.components.iter().find(|c| Some(c.id()) == id.as_str()).map(|c| c.kind().to_owned());
        let ok = found.iter().any(|candidate| {
            let allow = &candidate.selectors[0]["allow"];
            kind_of(&allow["from"][0]["id"]).as_deref() == matches["from_component_kind"].as_str()
                && kind_of(&allow["to"][0]["id"]).as_deref() == matches["to_component_kind"].as_str()
        });
        ok.then_some(()).ok_or(format!("no result matches {matches}"))?;
    }

    definition["model"] = json!({ "name": "kubernetes" });
    let components = arg(scenario, 0)["components"].clone();
    let originals: BTreeSet<String> =
        components.as_array().into_iter().flatten().filter_map(|c| c["id"].as_str().map(str::to_owned)).collect();
    let response =
        evaluate(design_with(components.as_array().cloned().unwrap_or_default()), &definitions(vec![definition]));
    let between_originals = live_of(&response.design, "hierarchical", "parent", "inventory")
        .into_iter()
        .map(fixture_helpers::endpoints)
        .filter(|(from, to)| originals.contains(from) && originals.contains(to))
        .count();
    check_count(scenario, between_originals).map_err(|e| format!("full evaluation: {e}"))
}

// ---------------------------------------------------------------------------------------------
// The tests

#[test]
fn every_scenario_file_is_run_or_skipped_with_a_reason() {
    let files = scenario_files();
    assert_eq!(files.len(), 135, "the README promises 135 scenarios");
    let skipped: BTreeSet<&str> = SKIPS.iter().map(|(f, _)| *f).collect();
    assert_eq!(skipped.len(), SKIPS.len(), "a file is listed twice in SKIPS");
    for (file, reason) in SKIPS {
        assert!(files.iter().any(|f| f == file), "SKIPS names a missing file: {file}");
        assert!(!reason.trim().is_empty(), "{file} is skipped without a reason");
    }
    for file in &files {
        let runnable = runner_for(rule_of(&load(file))).is_some();
        assert!(runnable || skipped.contains(file.as_str()), "{file} has no runner and no skip reason");
    }
}

/// One copy of `expect` per asserted key, with only that key changed so that it can no longer
/// hold.
fn mutated_expectations(expected: &Value) -> Vec<Value> {
    let flip = |v: &Value| json!({ "holds": !v["holds"].as_bool().unwrap_or(false) });
    let mut out = Vec::new();
    for (key, value) in expected.as_object().into_iter().flatten() {
        let changed = match key.as_str() {
            "on" => continue,
            "holds" => json!(!value.as_bool().unwrap_or(false)),
            "implicated" | "invalid" => flip(value),
            "result" => json!("not the result"),
            "result_count" | "relationship_count" | "component_count" => json!(value.as_u64().unwrap_or(0) + 1),
            "result_fields" => Value::Object(
                value.as_object().into_iter().flatten().map(|(k, _)| (k.clone(), json!("changed"))).collect(),
            ),
            "relationships_include" => Value::Array(
                value.as_array().into_iter().flatten().map(|r| json!({ "id": r["id"], "status": "changed" })).collect(),
            ),
            "relationship_ids_include" => json!(["not-in-the-design"]),
            "relationship_ids_exclude" => {
                let mut mutated = expected.clone();
                let object = mutated.as_object_mut().expect("object");
                object.remove("relationship_ids_exclude");
                object.insert("relationship_ids_include".into(), value.clone());
                out.push(mutated);
                continue;
            }
            "some_result_matches" => {
                json!({ "from_component_kind": value["to_component_kind"], "to_component_kind": value["from_component_kind"] })
            }
            other => panic!("unknown expectation key {other}"),
        };
        let mut mutated = expected.clone();
        mutated[key] = changed;
        out.push(mutated);
    }
    out
}

#[test]
fn every_runner_rejects_an_expectation_that_does_not_hold() {
    // Guards the runners themselves: each asserted key of each run scenario is really checked.
    let mut checked = 0;
    for file in scenario_files() {
        if SKIPS.iter().any(|(f, _)| *f == file) {
            continue;
        }
        let scenario = load(&file);
        let runner = runner_for(rule_of(&scenario)).expect("runnable");
        for mutated in mutated_expectations(&scenario["expect"]) {
            let mut changed = scenario.clone();
            changed["expect"] = mutated.clone();
            assert!(runner(&changed).is_err(), "{file} still passes with expect = {mutated}");
            checked += 1;
        }
    }
    assert!(checked >= 104, "only {checked} mutations checked");
}

#[test]
fn skipped_scenarios_that_have_a_runner_really_expect_what_go_does_not_do() {
    // A scenario skipped because Go behaves differently, although its rule has a runner, must
    // fail that runner: otherwise the skip hides a scenario we could run.
    let mut checked = 0;
    for (file, reason) in SKIPS {
        let scenario = load(file);
        if let Some(runner) = runner_for(rule_of(&scenario)) {
            assert!(runner(&scenario).is_err(), "{file} passes although it is skipped ({reason})");
            checked += 1;
        }
    }
    assert_eq!(checked, 3, "registrant deny, binding-id diff and binding identity");
}

#[test]
fn rego_scenarios_shared_with_the_go_engine_hold() {
    let mut failures = Vec::new();
    let (mut passed, mut skipped) = (0, 0);
    for file in scenario_files() {
        if let Some((_, reason)) = SKIPS.iter().find(|(f, _)| *f == file) {
            println!("SKIP  {file}: {reason}");
            skipped += 1;
            continue;
        }
        let scenario = load(&file);
        let runner = runner_for(rule_of(&scenario)).expect("checked by the coverage test");
        match runner(&scenario) {
            Ok(()) => {
                println!("PASS  {file}");
                passed += 1;
            }
            Err(message) => {
                println!("FAIL  {file}: {message}");
                failures.push(format!("{file}: {message}"));
            }
        }
    }
    println!("{passed} passed, {} failed, {skipped} skipped", failures.len());
    assert!(failures.is_empty(), "failing scenarios:\n{}", failures.join("\n"));
}
