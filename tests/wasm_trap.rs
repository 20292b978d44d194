//! The poison policy for traps that are not panics — out of memory aborts, stack overflow — which
//! run no panic hook: the instance still reports itself poisoned and later calls fail with
//! `POISONED`. Its own test binary, because the poison is global to the instance. Needs
//! `--features panic-test`.
#![cfg(all(target_arch = "wasm32", feature = "panic-test"))]

use relationship_evaluator::wasm::{is_poisoned, WasmEvaluator};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test as test;

#[wasm_bindgen(
    inline_js = "export function call_catching(f) { try { f(); return null; } catch (e) { return String(e); } }"
)]
extern "C" {
    fn call_catching(f: &Closure<dyn FnMut()>) -> Option<String>;
}

/// A string argument as JavaScript passes it (the exported calls take any value).
fn text(value: &str) -> JsValue {
    JsValue::from_str(value)
}

#[test]
fn a_trap_without_a_panic_poisons_the_instance() {
    let mut evaluator = WasmEvaluator::new(text("[]"), JsValue::UNDEFINED).unwrap();
    evaluator.load_design(text(r#"{"id":"d","components":[]}"#)).unwrap();
    assert!(!is_poisoned());
    let mut victim = WasmEvaluator::new(text("[]"), JsValue::UNDEFINED).unwrap();
    let trapping = Closure::<dyn FnMut()>::new(move || {
        let _ = victim.trap_for_testing();
    });
    let trapped = call_catching(&trapping).expect("the trap must surface in JavaScript as an exception");
    assert!(trapped.contains("RuntimeError") || trapped.contains("unreachable"), "{trapped}");
    assert!(is_poisoned(), "a call that never returned must poison the instance");
    let error = evaluator.design().unwrap_err();
    let code = js_sys::Reflect::get(&error, &"code".into()).unwrap().as_string().unwrap();
    assert_eq!(code, "POISONED");
    std::mem::forget(trapping); // its captured state may be mid-call: never drop it
}
