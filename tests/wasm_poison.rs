//! The panic policy: after a panic the instance is poisoned and every call fails with a clear
//! `POISONED` error instead of an `unreachable` trap. Its own test binary, because the poison is
//! global to the instance. Needs `--features panic-test`.
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
fn a_panic_poisons_the_instance_and_later_calls_fail_clearly() {
    let mut evaluator = WasmEvaluator::new(text("[]"), JsValue::UNDEFINED).unwrap();
    evaluator.load_design(text(r#"{"id":"d","components":[]}"#)).unwrap();
    let mut victim = WasmEvaluator::new(text("[]"), JsValue::UNDEFINED).unwrap();
    let panicking = Closure::<dyn FnMut()>::new(move || {
        let _ = victim.panic_for_testing();
    });
    let trapped = call_catching(&panicking);
    assert!(trapped.is_some(), "the panic must surface in JavaScript as an exception");
    assert!(is_poisoned());
    let error = evaluator.design().unwrap_err();
    let code = js_sys::Reflect::get(&error, &"code".into()).unwrap().as_string().unwrap();
    assert_eq!(code, "POISONED");
    std::mem::forget(panicking); // its captured state may be mid-panic: never drop it
}
