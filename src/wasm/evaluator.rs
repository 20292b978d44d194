//! `Evaluator` for JavaScript: the core `Evaluator` behind strings (bulk JSON) and bytes
//! (MessagePack snapshots).

use super::{guard, js_bytes, js_optional_text, js_text};
use crate::error::{Error, ErrorCode};
use crate::evaluator::{edits_from_json, Evaluator, Snapshot};
use crate::model::Design;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A design kept evaluated in WebAssembly memory. Free it with `free()` (or `using`).
#[wasm_bindgen(js_name = Evaluator)]
pub struct WasmEvaluator {
    pub(super) inner: Evaluator,
}

fn to_json<T: Serialize>(value: &T) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|e| Error::new(ErrorCode::Internal, "", e.to_string()))
}

#[wasm_bindgen(js_class = Evaluator)]
impl WasmEvaluator {
    /// Creates an evaluator from definitions JSON (an array) and options JSON (`""` = defaults).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string")] definitions_json: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] options_json: JsValue,
    ) -> Result<WasmEvaluator, JsValue> {
        guard(|| {
            let definitions = js_text(&definitions_json, "definitionsJson")?;
            Evaluator::from_json(&definitions, &js_optional_text(&options_json, "optionsJson")?)
        })
        .map(|inner| WasmEvaluator { inner })
    }

    /// Replaces the design (JSON) and evaluates it; returns the delta JSON.
    #[wasm_bindgen(js_name = loadDesign)]
    pub fn load_design(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] design_json: JsValue,
    ) -> Result<String, JsValue> {
        guard(|| {
            let limits = &self.inner.options().limits;
            let design = Design::from_json(&js_text(&design_json, "designJson")?, limits)?;
            to_json(&self.inner.load_design(design)?)
        })
    }

    /// Applies a batch of edits (JSON array) as one transaction; returns the delta JSON.
    #[wasm_bindgen(js_name = applyEdits)]
    pub fn apply_edits(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] edits_json: JsValue,
    ) -> Result<String, JsValue> {
        guard(|| {
            let edits = edits_from_json(&js_text(&edits_json, "editsJson")?, &self.inner.options().limits)?;
            to_json(&self.inner.apply_edits(&edits)?)
        })
    }

    /// Replaces the relationship definitions (JSON array) and re-evaluates; returns the delta.
    #[wasm_bindgen(js_name = replaceDefinitions)]
    pub fn replace_definitions(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] definitions_json: JsValue,
    ) -> Result<String, JsValue> {
        guard(|| {
            let limits = self.inner.options().limits.clone();
            let text = js_text(&definitions_json, "definitionsJson")?;
            let definitions = crate::model::definitions_from_json(&text, &limits)?;
            to_json(&self.inner.replace_definitions(definitions)?)
        })
    }

    /// The current design as JSON.
    pub fn design(&self) -> Result<String, JsValue> {
        guard(|| to_json(self.inner.design()))
    }

    /// A full evaluation of the current design (the EvaluationResponse JSON); no state change.
    pub fn evaluate(&self) -> Result<String, JsValue> {
        guard(|| Ok(self.inner.evaluate()?.to_json()))
    }

    /// A one-off full evaluation of another design (JSON) with this evaluator's definitions and
    /// options; returns the EvaluationResponse JSON and changes no state.
    #[wasm_bindgen(js_name = evaluateDesign)]
    pub fn evaluate_design(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] design_json: JsValue,
    ) -> Result<String, JsValue> {
        guard(|| {
            let design = Design::from_json(&js_text(&design_json, "designJson")?, &self.inner.options().limits)?;
            Ok(self.inner.evaluate_design(design)?.to_json())
        })
    }

    /// Why a relationship holds (JSON).
    pub fn explain(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] relationship_id: JsValue,
    ) -> Result<String, JsValue> {
        guard(|| to_json(&self.inner.explain(&js_text(&relationship_id, "relationshipId")?)?))
    }

    /// The definitions that would relate component `fromId` to `toId` (JSON array).
    #[wasm_bindgen(js_name = connectableDefinitions)]
    pub fn connectable_definitions(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] from_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] to_id: JsValue,
    ) -> Result<String, JsValue> {
        guard(|| {
            let (from_id, to_id) = (js_text(&from_id, "fromId")?, js_text(&to_id, "toId")?);
            to_json(&self.inner.connectable_definitions(&from_id, &to_id)?)
        })
    }

    /// The revision: the number of successful loads and batches.
    #[wasm_bindgen(getter)]
    pub fn revision(&self) -> f64 {
        self.inner.revision() as f64
    }

    /// The whole state as versioned MessagePack bytes.
    pub fn snapshot(&self) -> Result<Vec<u8>, JsValue> {
        guard(|| Ok(self.inner.snapshot().to_msgpack()))
    }

    /// An evaluator identical to the one `snapshot()` was taken of.
    pub fn restore(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
    ) -> Result<WasmEvaluator, JsValue> {
        guard(|| Evaluator::restore(Snapshot::from_msgpack(&js_bytes(&bytes, "bytes")?)?))
            .map(|inner| WasmEvaluator { inner })
    }

    /// The whole state as versioned JSON.
    #[wasm_bindgen(js_name = exportJson)]
    pub fn export_json(&self) -> Result<String, JsValue> {
        guard(|| Ok(self.inner.snapshot().to_json()))
    }

    /// An evaluator from `exportJson()` output.
    #[wasm_bindgen(js_name = importJson)]
    pub fn import_json(
        #[wasm_bindgen(unchecked_param_type = "string")] json: JsValue,
    ) -> Result<WasmEvaluator, JsValue> {
        guard(|| Evaluator::restore(Snapshot::from_json(&js_text(&json, "json")?)?))
            .map(|inner| WasmEvaluator { inner })
    }

    /// Panics on purpose (built only with the `panic-test` feature) to test the poison policy.
    #[cfg(feature = "panic-test")]
    #[wasm_bindgen(js_name = panicForTesting)]
    pub fn panic_for_testing(&mut self) -> Result<(), JsValue> {
        guard(|| -> Result<(), Error> { panic!("deliberate panic to test the poisoned-instance policy") })
    }

    /// Traps without a panic (built only with the `panic-test` feature), as running out of
    /// memory does, to test that a trap poisons the instance too.
    #[cfg(feature = "panic-test")]
    #[wasm_bindgen(js_name = trapForTesting)]
    pub fn trap_for_testing(&mut self) -> Result<(), JsValue> {
        guard(|| -> Result<(), Error> { std::process::abort() })
    }
}
