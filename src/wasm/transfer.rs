//! Encodings across the JS↔wasm boundary other than the JSON strings of `evaluator.rs`.
//!
//! `benches/js/wasm-boundary.mjs` measures, per call and per direction, JSON strings against JS values
//! (serde-wasm-bindgen, `Serializer::json_compatible()`) and MessagePack bytes (the snapshots'
//! codec; rmp-serde before numbers were kept as text);
//! `docs/performance.md` (section "WebAssembly") has the figures and the choice per call.
//!
//! Everything here is built only with the `boundary-bench` feature: the extra encodings did not
//! win clearly enough for any call to pay for their code in the shipped module (see the doc).
//! They stay here, measured, so the choice can be re-checked when the design model changes.

#![cfg(feature = "boundary-bench")]

use super::evaluator::WasmEvaluator;
use super::guard;
use crate::error::{Error, ErrorCode};
use crate::evaluator::{msgpack, parse_edits};
use crate::model::Design;
use crate::values::NativeNumbers;
use serde::Serialize;
use serde_json::Value;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

/// A JS value (plain objects, arrays, strings, numbers, booleans, null) as a JSON value.
fn from_js(value: JsValue) -> Result<Value, Error> {
    serde_wasm_bindgen::from_value(value).map_err(|e| Error::new(ErrorCode::InvalidType, "", e.to_string()))
}

/// A value as plain JS objects and arrays (maps become objects, as JSON.parse would give).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Error> {
    let value = serde_json::to_value(value).map_err(|e| Error::new(ErrorCode::Internal, "", e.to_string()))?;
    NativeNumbers(&value)
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| Error::new(ErrorCode::Internal, "", e.to_string()))
}

/// MessagePack bytes (maps keyed by name) as a JSON value, through the snapshots' codec: its depth
/// cap, a key twice in one map refused, numbers MessagePack cannot hold as written kept as text.
fn from_msgpack(bytes: &[u8], limits: &crate::limits::Limits) -> Result<Value, Error> {
    limits.check_input_size(bytes.len())?;
    msgpack::read(bytes).map_err(|e| Error::new(ErrorCode::InvalidJson, "", format!("bad MessagePack: {e}")))
}

/// A value as MessagePack bytes (structs as maps keyed by field name), through the snapshots'
/// codec (rmp-serde would write each number as the map serde_json's exact numbers serialise as).
fn to_msgpack<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, Error> {
    let value = serde_json::to_value(value).map_err(|e| Error::new(ErrorCode::Internal, "", e.to_string()))?;
    let mut out = Vec::new();
    msgpack::write(&mut out, &value);
    Ok(out)
}

#[wasm_bindgen(js_class = Evaluator)]
impl WasmEvaluator {
    /// `loadDesign` with the design as a JS object; returns the delta as a JS object.
    #[wasm_bindgen(js_name = loadDesignValue)]
    pub fn load_design_value(&mut self, design: JsValue) -> Result<JsValue, JsValue> {
        guard(|| {
            let design = Design::from_value(from_js(design)?, &self.inner.options().limits)?;
            to_js(&self.inner.load_design(design)?)
        })
    }

    /// `loadDesign` with the design as MessagePack bytes; returns the delta as MessagePack bytes.
    #[wasm_bindgen(js_name = loadDesignMsgpack)]
    pub fn load_design_msgpack(&mut self, design: &[u8]) -> Result<Vec<u8>, JsValue> {
        guard(|| {
            let limits = &self.inner.options().limits;
            let design = Design::from_value(from_msgpack(design, limits)?, limits)?;
            to_msgpack(&self.inner.load_design(design)?)
        })
    }

    /// `applyEdits` with the edits as a JS array; returns the delta as a JS object.
    #[wasm_bindgen(js_name = applyEditsValue)]
    pub fn apply_edits_value(&mut self, edits: JsValue) -> Result<JsValue, JsValue> {
        guard(|| {
            let edits = parse_edits(from_js(edits)?)?;
            to_js(&self.inner.apply_edits(&edits)?)
        })
    }

    /// `applyEdits` with the edits as a JSON string; returns the delta as a JS object.
    #[wasm_bindgen(js_name = applyEditsJsonToValue)]
    pub fn apply_edits_json_to_value(&mut self, edits_json: &str) -> Result<JsValue, JsValue> {
        guard(|| {
            let edits = crate::evaluator::edits_from_json(edits_json, &self.inner.options().limits)?;
            to_js(&self.inner.apply_edits(&edits)?)
        })
    }

    /// `applyEdits` with the edits as MessagePack bytes; returns the delta as MessagePack bytes.
    #[wasm_bindgen(js_name = applyEditsMsgpack)]
    pub fn apply_edits_msgpack(&mut self, edits: &[u8]) -> Result<Vec<u8>, JsValue> {
        guard(|| {
            let edits = parse_edits(from_msgpack(edits, &self.inner.options().limits)?)?;
            to_msgpack(&self.inner.apply_edits(&edits)?)
        })
    }

    /// The current design as a JS object.
    #[wasm_bindgen(js_name = designValue)]
    pub fn design_value(&self) -> Result<JsValue, JsValue> {
        guard(|| to_js(self.inner.design()))
    }

    /// The current design as MessagePack bytes.
    #[wasm_bindgen(js_name = designMsgpack)]
    pub fn design_msgpack(&self) -> Result<Vec<u8>, JsValue> {
        guard(|| to_msgpack(self.inner.design()))
    }
}

// Probes: one direction of one encoding at a time, without any evaluation, so the benchmark can
// split a call's boundary cost into "in" and "out".

thread_local! {
    /// The value the encode probes encode (set by `probeHold`).
    static HELD: RefCell<Value> = const { RefCell::new(Value::Null) };
}

fn top_level_len(value: &Value) -> usize {
    match value {
        Value::Object(map) => map.len(),
        Value::Array(items) => items.len(),
        _ => 0,
    }
}

/// Decodes a JSON string into a value and drops it; returns its top-level length.
#[wasm_bindgen(js_name = probeDecodeJson)]
pub fn probe_decode_json(text: &str) -> Result<usize, JsValue> {
    guard(|| Ok(top_level_len(&serde_json::from_str(text).map_err(crate::error::json_error)?)))
}

/// Decodes a JS value into a value and drops it; returns its top-level length.
#[wasm_bindgen(js_name = probeDecodeValue)]
pub fn probe_decode_value(value: JsValue) -> Result<usize, JsValue> {
    guard(|| Ok(top_level_len(&from_js(value)?)))
}

/// Decodes MessagePack bytes into a value and drops it; returns its top-level length.
#[wasm_bindgen(js_name = probeDecodeMsgpack)]
pub fn probe_decode_msgpack(bytes: &[u8]) -> Result<usize, JsValue> {
    guard(|| Ok(top_level_len(&from_msgpack(bytes, &Default::default())?)))
}

/// Keeps the value of this JSON text for the encode probes.
#[wasm_bindgen(js_name = probeHold)]
pub fn probe_hold(text: &str) -> Result<(), JsValue> {
    guard(|| {
        let value: Value = serde_json::from_str(text).map_err(crate::error::json_error)?;
        HELD.with(|held| *held.borrow_mut() = value);
        Ok(())
    })
}

/// The held value as a JSON string.
#[wasm_bindgen(js_name = probeEncodeJson)]
pub fn probe_encode_json() -> Result<String, JsValue> {
    guard(|| {
        HELD.with(|held| {
            serde_json::to_string(&*held.borrow()).map_err(|e| Error::new(ErrorCode::Internal, "", e.to_string()))
        })
    })
}

/// The held value as a JS value.
#[wasm_bindgen(js_name = probeEncodeValue)]
pub fn probe_encode_value() -> Result<JsValue, JsValue> {
    guard(|| HELD.with(|held| to_js(&*held.borrow())))
}

/// The held value as MessagePack bytes.
#[wasm_bindgen(js_name = probeEncodeMsgpack)]
pub fn probe_encode_msgpack() -> Result<Vec<u8>, JsValue> {
    guard(|| HELD.with(|held| to_msgpack(&*held.borrow())))
}
