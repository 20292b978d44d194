//! The WebAssembly API as JavaScript sees it, run by wasm-bindgen-test in Node and in headless
//! Chromium (see scripts/test.sh). Fixtures are embedded at compile time: there is no file system
//! in a browser.
#![cfg(target_arch = "wasm32")]

use relationship_evaluator::contract::ContractEngine;
use relationship_evaluator::wasm::{install_meshery_engine, WasmEvaluator};
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test as test;

/// A string argument as JavaScript passes it (the exported calls take any value).
fn text(value: &str) -> JsValue {
    JsValue::from_str(value)
}

const NAMESPACE_INVENTORY: &str =
    include_str!("../../shared/fixtures/meshery/relationships/kubernetes/hierarchical-parent-inventory-kmjea.json");
const SERVICE_TO_DEPLOYMENT: &str =
    include_str!("../../shared/fixtures/meshery/relationships/kubernetes/edge-non-binding-network-duixv.json");

fn definitions() -> String {
    let list: Vec<Value> =
        [NAMESPACE_INVENTORY, SERVICE_TO_DEPLOYMENT].iter().map(|text| serde_json::from_str(text).unwrap()).collect();
    Value::Array(list).to_string()
}

fn component(id: &str, kind: &str, name: &str, configuration: Value) -> Value {
    json!({"id": id, "component": {"kind": kind}, "displayName": name,
           "modelReference": {"name": "kubernetes"}, "configuration": configuration})
}

fn shop_design() -> String {
    json!({
        "id": "00000000-0000-0000-0000-0000000000d1", "name": "shop", "version": "0.0.1",
        "components": [
            component("ns", "Namespace", "shop", json!({})),
            component("web", "Deployment", "web", json!({"metadata": {"namespace": "shop"}})),
        ],
        "relationships": []
    })
    .to_string()
}

fn error_code(error: JsValue) -> String {
    js_sys::Reflect::get(&error, &"code".into()).unwrap().as_string().unwrap()
}

#[test]
fn loading_a_design_reports_the_inventory_relationship_in_the_delta() {
    let mut evaluator = WasmEvaluator::new(text(&definitions()), JsValue::UNDEFINED).unwrap();
    let delta: Value = serde_json::from_str(&evaluator.load_design(text(&shop_design())).unwrap()).unwrap();
    assert_eq!(delta["revision"], 1);
    let added = delta["relationshipsAdded"].as_array().unwrap();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0]["subType"], "inventory");
    assert_eq!(added[0]["status"], "approved");
}

#[test]
fn a_failing_batch_changes_nothing_and_names_the_edit() {
    let mut evaluator = WasmEvaluator::new(text(&definitions()), JsValue::UNDEFINED).unwrap();
    evaluator.load_design(text(&shop_design())).unwrap();
    let before = evaluator.design().unwrap();
    let edits = json!([
        {"op": "renameComponent", "id": "web", "displayName": "renamed"},
        {"op": "removeComponent", "id": "missing"}
    ]);
    let error = evaluator.apply_edits(text(&edits.to_string())).unwrap_err();
    assert_eq!(error_code(error.clone()), "UNKNOWN_ID");
    assert_eq!(js_sys::Reflect::get(&error, &"path".into()).unwrap().as_string().unwrap(), "/1/id");
    assert_eq!(evaluator.design().unwrap(), before);
    assert_eq!(evaluator.revision(), 1.0);
}

#[test]
fn removing_the_namespace_deletes_its_relationship() {
    let mut evaluator = WasmEvaluator::new(text(&definitions()), JsValue::UNDEFINED).unwrap();
    evaluator.load_design(text(&shop_design())).unwrap();
    let delta: Value = serde_json::from_str(
        &evaluator.apply_edits(text(&json!([{"op": "removeComponent", "id": "ns"}]).to_string())).unwrap(),
    )
    .unwrap();
    assert_eq!(delta["componentsRemoved"], json!(["ns"]));
    assert_eq!(delta["relationshipsRemoved"].as_array().unwrap().len(), 1);
}

#[test]
fn a_snapshot_restores_an_identical_evaluator() {
    let mut evaluator = WasmEvaluator::new(text(&definitions()), JsValue::UNDEFINED).unwrap();
    evaluator.load_design(text(&shop_design())).unwrap();
    let bytes = evaluator.snapshot().unwrap();
    let restored = WasmEvaluator::restore(js_sys::Uint8Array::from(&bytes[..]).into()).unwrap();
    assert_eq!(restored.design().unwrap(), evaluator.design().unwrap());
    assert_eq!(restored.revision(), evaluator.revision());
    let truncated = WasmEvaluator::restore(js_sys::Uint8Array::from(&bytes[..bytes.len() / 2]).into()).err().unwrap();
    assert_eq!(error_code(truncated), "INVALID_SNAPSHOT");
}

#[test]
fn a_recorded_edit_sequence_replays_to_the_same_state_as_a_fresh_evaluation() {
    let edits = [
        json!([{"op": "addComponent", "component": component("api", "Deployment", "api", json!({"metadata": {"namespace": "shop"}}))}]),
        json!([{"op": "setNamespace", "id": "web", "namespace": null}]),
        json!([{"op": "renameComponent", "id": "api", "displayName": "api-v2"}, {"op": "moveComponent", "id": "ns", "x": 10.0, "y": 20.0}]),
        json!([{"op": "removeComponent", "id": "api"}]),
    ];
    let mut evaluator = WasmEvaluator::new(text(&definitions()), JsValue::UNDEFINED).unwrap();
    evaluator.load_design(text(&shop_design())).unwrap();
    for batch in &edits {
        evaluator.apply_edits(text(&batch.to_string())).unwrap();
    }
    let mut fresh = WasmEvaluator::new(text(&definitions()), JsValue::UNDEFINED).unwrap();
    fresh.load_design(text(&evaluator.design().unwrap())).unwrap();
    let incremental: Value = serde_json::from_str(&evaluator.design().unwrap()).unwrap();
    let full: Value = serde_json::from_str(&fresh.design().unwrap()).unwrap();
    assert_eq!(incremental["components"], full["components"]);
    assert_eq!(incremental["relationships"], full["relationships"]);
}

/// `includeTimestamp` is honoured in the npm build (the clock is JavaScript's `Date`), not
/// silently dropped because std has no clock on wasm32.
#[test]
fn include_timestamp_stamps_the_response_in_wasm() {
    let options = text(r#"{"includeTimestamp": true}"#);
    let evaluator = WasmEvaluator::new(text(&definitions()), options).unwrap();
    let response: Value = serde_json::from_str(&evaluator.evaluate_design(text(&shop_design())).unwrap()).unwrap();
    let stamp = response["timestamp"].as_str().expect("a timestamp");
    let year: u32 = stamp[..4].parse().unwrap();
    assert!(year >= 2026 && stamp.len() == 20 && stamp.ends_with('Z') && &stamp[10..11] == "T", "{stamp}");
    let plain = WasmEvaluator::new(text(&definitions()), JsValue::UNDEFINED).unwrap();
    let response: Value = serde_json::from_str(&plain.evaluate_design(text(&shop_design())).unwrap()).unwrap();
    assert!(response.get("timestamp").is_none());
}

#[test]
fn the_contract_answers_like_the_core() {
    let engine = install_meshery_engine().unwrap();
    let global = js_sys::Reflect::get(&js_sys::global(), &"__mesheryRelationshipEngine".into()).unwrap();
    assert_eq!(global, engine);
    assert_eq!(js_sys::Reflect::get(&engine, &"contract".into()).unwrap(), JsValue::from(1));
    let call = |name: &str, args: &[&str]| -> String {
        let function: js_sys::Function = js_sys::Reflect::get(&engine, &name.into()).unwrap().into();
        let args: js_sys::Array = args.iter().map(|a| JsValue::from(*a)).collect();
        function.apply(&JsValue::NULL, &args).unwrap().as_string().unwrap()
    };
    let before: Value = serde_json::from_str(&call("evaluate", &["{}", ""])).unwrap();
    assert_eq!(before["error"], "engine not initialized");
    assert_eq!(call("init", &[&definitions()]), "{}");
    let self_test: Value = serde_json::from_str(&call("selfTest", &[])).unwrap();
    assert_eq!(self_test["ok"], true);
    let mut answer: Value = serde_json::from_str(&call("evaluate", &[&shop_design(), ""])).unwrap();
    assert!(answer["timestamp"].is_string());
    let mut core = ContractEngine::default();
    core.init(&definitions());
    let expected: Value = serde_json::from_str(&core.evaluate(&shop_design(), "", None)).unwrap();
    answer.as_object_mut().unwrap().remove("timestamp");
    assert_eq!(answer, expected);
}

/// The heap (src/wasm_heap.rs) grows the linear memory by a quarter of its size at least, never
/// by what one small allocation needs: each `memory.grow` costs the host (V8 swaps the buffer
/// and may collect garbage), and std's own allocator grew 64 KiB at a time, about a thousand
/// growths for the 64 MiB below and 50,000 for a 100,000-component design.
#[test]
fn the_heap_grows_the_memory_in_few_large_steps() {
    use core::arch::wasm32::memory_size;
    let mut sizes = vec![memory_size(0)];
    let mut kept: Vec<Box<[u8]>> = Vec::new();
    for _ in 0..64 * 1024 {
        kept.push(vec![1; 1024].into_boxed_slice());
        let pages = memory_size(0);
        if pages != *sizes.last().unwrap() {
            sizes.push(pages);
        }
    }
    for step in sizes.windows(2) {
        let (before, after) = (step[0], step[1]);
        assert!(
            after - before >= (before / 4).max(16),
            "grew from {before} to {after} pages ({} growths)",
            sizes.len() - 1
        );
    }
    assert!(sizes.len() - 1 <= 24, "{} growths for 64 MiB: {sizes:?}", sizes.len() - 1);
    assert_eq!(kept.iter().map(|block| block.len()).sum::<usize>(), 64 << 20);
}
