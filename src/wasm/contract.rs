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
    // Arguments arrive as `JsValue`: a non-string must be an error answer, and wasm-bindgen's
    // `String` glue traps on one instead.
    let init = Closure::<dyn Fn(JsValue) -> String>::new(|relationships: JsValue| {
        with_engine(|e| match super::js_text(&relationships, "relationshipsJSON") {
            Ok(relationships) => e.init(&relationships),
            Err(error) => crate::contract::error_json("failed to decode relationships: ", &error),
        })
    });
    set(&engine, "init", &init.into_js_value())?;
    let evaluate = Closure::<dyn Fn(JsValue, JsValue) -> String>::new(|design: JsValue, options: JsValue| {
        let timestamp: String = js_sys::Date::new_0().to_iso_string().into();
        with_engine(|e| {
            let design = super::js_text(&design, "designJSON");
            match design.and_then(|d| Ok((d, super::js_optional_text(&options, "optionsJSON")?))) {
                Ok((design, options)) => e.evaluate(&design, &options, Some(timestamp)),
                Err(error) => crate::contract::error_json("invalid arguments: ", &error),
            }
        })
    });
    set(&engine, "evaluate", &evaluate.into_js_value())?;
    let self_test = Closure::<dyn Fn() -> String>::new(|| with_engine(|e| e.self_test()));
    set(&engine, "selfTest", &self_test.into_js_value())?;
    set(&js_sys::global(), "__mesheryRelationshipEngine", &engine)?;
    Ok(engine.into())
}
