//! Installs Meshery's engine contract v1 as `globalThis.__mesheryRelationshipEngine`, on request.

use crate::contract::{ContractEngine, CONTRACT};
use js_sys::{Object, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    static CONTRACT_ENGINE: RefCell<ContractEngine> = RefCell::new(ContractEngine::default());
}

fn set(target: &Object, key: &str, value: &JsValue) -> Result<(), JsValue> {
    Reflect::set(target, &key.into(), value).map(|_| ())
}

fn poisoned_answer() -> String {
    r#"{"error":"relationship engine panic: this WebAssembly instance stopped mid-call earlier (a panic, or a trap such as running out of memory)","code":"POISONED","path":""}"#.into()
}

fn with_engine(call: impl FnOnce(&mut ContractEngine) -> String) -> String {
    let Some(_scope) = super::CallScope::enter() else {
        return poisoned_answer();
    };
    CONTRACT_ENGINE.with(|engine| match engine.try_borrow_mut() {
        Ok(mut engine) => call(&mut engine),
        Err(_) => r#"{"error":"relationship engine is busy (re-entrant call)","code":"INTERNAL","path":""}"#.into(),
    })
}

/// Creates the contract object, assigns it to `globalThis.__mesheryRelationshipEngine` and
/// returns it. Nothing is installed until this is called.
#[wasm_bindgen(js_name = installMesheryEngine)]
pub fn install_meshery_engine() -> Result<JsValue, JsValue> {
    let engine = Object::new();
    set(&engine, "contract", &JsValue::from(CONTRACT))?;
    set(&engine, "version", &JsValue::from(env!("CARGO_PKG_VERSION")))?;
    let init = Closure::<dyn Fn(String) -> String>::new(|relationships: String| with_engine(|e| e.init(&relationships)));
    set(&engine, "init", &init.into_js_value())?;
    let evaluate = Closure::<dyn Fn(String, Option<String>) -> String>::new(|design: String, options: Option<String>| {
        let timestamp: String = js_sys::Date::new_0().to_iso_string().into();
        with_engine(|e| e.evaluate(&design, options.as_deref().unwrap_or(""), Some(timestamp)))
    });
    set(&engine, "evaluate", &evaluate.into_js_value())?;
    let self_test = Closure::<dyn Fn() -> String>::new(|| with_engine(|e| e.self_test()));
    set(&engine, "selfTest", &self_test.into_js_value())?;
    set(&js_sys::global(), "__mesheryRelationshipEngine", &engine)?;
    Ok(engine.into())
}
