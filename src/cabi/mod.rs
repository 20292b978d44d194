//! The plain C-ABI WebAssembly boundary, for hosts without wasm-bindgen (the Go module in `go/`
//! runs it with wazero). Decode, call the core, encode — no semantics here; the calls mirror
//! `src/wasm/evaluator.rs` one for one.
//!
//! Protocol. The host copies each argument into memory it got from `re_alloc` and passes
//! `(pointer, length)` pairs. Every call returns one `u64`: the pointer of a result buffer in the
//! high 32 bits and its length in the low 32. The buffer's first byte is the tag — `0` ok, then
//! the payload (JSON text, or MessagePack for snapshots); `1` error, then the error JSON
//! `{"code","message","path"}` — and the host frees it with `re_dealloc`. An instance holds one
//! evaluator (`re_init` or `re_restore` makes it); a pool runs one-shot `re_evaluate_design`
//! calls on it, a session uses the stateful calls.
//!
//! Panics abort (a trap) on this target: the host discards the instance. A failed allocation
//! traps too, after setting the flag `re_allocation_failed` reports, so a host can tell a memory
//! cap from a bug.

mod alloc;

use crate::error::{Error, ErrorCode};
use crate::evaluator::{edits_from_json, Evaluator, Snapshot};
use crate::model::Design;
use serde::Serialize;
use std::cell::RefCell;

thread_local! {
    /// The evaluator of this instance (wasm here is single-threaded: one per instance).
    static EVALUATOR: RefCell<Option<Evaluator>> = const { RefCell::new(None) };
}

const OK: u8 = 0;
const ERR: u8 = 1;

/// Moves a tagged buffer to the host: its pointer and length packed in one `u64`.
fn hand_over(tag: u8, payload: &[u8]) -> u64 {
    let mut buffer = Vec::with_capacity(payload.len() + 1);
    buffer.push(tag);
    buffer.extend_from_slice(payload);
    let buffer = buffer.into_boxed_slice();
    let length = buffer.len() as u64;
    let pointer = Box::into_raw(buffer) as *mut u8 as usize as u64;
    (pointer << 32) | length
}

fn answer(result: Result<Vec<u8>, Error>) -> u64 {
    match result {
        Ok(payload) => hand_over(OK, &payload),
        Err(error) => hand_over(ERR, error.to_json().as_bytes()),
    }
}

/// The bytes the host copied in at `(pointer, length)`.
///
/// SAFETY: the host passes a buffer it got from `re_alloc` and filled, still allocated.
unsafe fn bytes<'a>(pointer: *const u8, length: usize) -> &'a [u8] {
    if length == 0 {
        return &[];
    }
    std::slice::from_raw_parts(pointer, length)
}

/// SAFETY: as `bytes`.
unsafe fn text<'a>(pointer: *const u8, length: usize) -> Result<&'a str, Error> {
    std::str::from_utf8(bytes(pointer, length))
        .map_err(|e| Error::new(ErrorCode::InvalidJson, "", format!("the input is not UTF-8: {e}")))
}

fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(value).map_err(|e| Error::new(ErrorCode::Internal, "", e.to_string()))
}

fn no_evaluator() -> Error {
    Error::new(ErrorCode::Internal, "", "this instance holds no evaluator yet: call re_init or re_restore first")
}

fn with_evaluator<T>(call: impl FnOnce(&mut Evaluator) -> Result<T, Error>) -> Result<T, Error> {
    EVALUATOR.with(|cell| match cell.borrow_mut().as_mut() {
        Some(evaluator) => call(evaluator),
        None => Err(no_evaluator()),
    })
}

fn install(evaluator: Evaluator) -> Vec<u8> {
    EVALUATOR.with(|cell| *cell.borrow_mut() = Some(evaluator));
    Vec::new()
}

/// Allocates `length` bytes for the host to write an argument into.
#[no_mangle]
pub extern "C" fn re_alloc(length: usize) -> *mut u8 {
    alloc::allocate(length)
}

/// Frees a buffer from `re_alloc`, or a result buffer, of `length` bytes.
///
/// # Safety
/// `pointer` and `length` describe a live buffer this module handed out.
#[no_mangle]
pub unsafe extern "C" fn re_dealloc(pointer: *mut u8, length: usize) {
    alloc::deallocate(pointer, length)
}

/// 1 when an allocation failed (the trap that followed was running out of memory), else 0.
#[no_mangle]
pub extern "C" fn re_allocation_failed() -> u32 {
    alloc::failed() as u32
}

/// Creates this instance's evaluator from definitions JSON (an array) and options JSON (empty =
/// defaults). Ok payload: empty.
///
/// # Safety
/// Each `(pointer, length)` pair is a live buffer from `re_alloc`.
#[no_mangle]
pub unsafe extern "C" fn re_init(
    definitions: *const u8,
    definitions_len: usize,
    options: *const u8,
    options_len: usize,
) -> u64 {
    answer((|| {
        let evaluator = Evaluator::from_json(text(definitions, definitions_len)?, text(options, options_len)?)?;
        Ok(install(evaluator))
    })())
}

/// A one-off full evaluation of a design (JSON); the EvaluationResponse JSON; no state change.
///
/// # Safety
/// `(design, design_len)` is a live buffer from `re_alloc`.
#[no_mangle]
pub unsafe extern "C" fn re_evaluate_design(design: *const u8, design_len: usize) -> u64 {
    answer(with_evaluator(|evaluator| {
        let design = Design::from_json(text(design, design_len)?, &evaluator.options().limits)?;
        Ok(evaluator.evaluate_design(design)?.to_json().into_bytes())
    }))
}

/// Replaces the design (JSON) and evaluates it; the delta JSON.
///
/// # Safety
/// `(design, design_len)` is a live buffer from `re_alloc`.
#[no_mangle]
pub unsafe extern "C" fn re_load_design(design: *const u8, design_len: usize) -> u64 {
    answer(with_evaluator(|evaluator| {
        let design = Design::from_json(text(design, design_len)?, &evaluator.options().limits)?;
        to_json(&evaluator.load_design(design)?)
    }))
}

/// Applies a batch of edits (JSON array) as one transaction; the delta JSON.
///
/// # Safety
/// `(edits, edits_len)` is a live buffer from `re_alloc`.
#[no_mangle]
pub unsafe extern "C" fn re_apply_edits(edits: *const u8, edits_len: usize) -> u64 {
    answer(with_evaluator(|evaluator| {
        let edits = edits_from_json(text(edits, edits_len)?, &evaluator.options().limits)?;
        to_json(&evaluator.apply_edits(&edits)?)
    }))
}

/// Replaces the relationship definitions (JSON array) and re-evaluates; the delta JSON.
///
/// # Safety
/// `(definitions, definitions_len)` is a live buffer from `re_alloc`.
#[no_mangle]
pub unsafe extern "C" fn re_replace_definitions(definitions: *const u8, definitions_len: usize) -> u64 {
    answer(with_evaluator(|evaluator| {
        let limits = evaluator.options().limits.clone();
        let definitions = crate::model::definitions_from_json(text(definitions, definitions_len)?, &limits)?;
        to_json(&evaluator.replace_definitions(definitions)?)
    }))
}

/// A full evaluation of the current design (the EvaluationResponse JSON); no state change.
#[no_mangle]
pub extern "C" fn re_evaluate() -> u64 {
    answer(with_evaluator(|evaluator| Ok(evaluator.evaluate()?.to_json().into_bytes())))
}

/// The current design as JSON.
#[no_mangle]
pub extern "C" fn re_design() -> u64 {
    answer(with_evaluator(|evaluator| to_json(evaluator.design())))
}

/// The revision (the number of successful loads and batches) as JSON.
#[no_mangle]
pub extern "C" fn re_revision() -> u64 {
    answer(with_evaluator(|evaluator| to_json(&evaluator.revision())))
}

/// Why a relationship holds (JSON).
///
/// # Safety
/// `(id, id_len)` is a live buffer from `re_alloc`.
#[no_mangle]
pub unsafe extern "C" fn re_explain(id: *const u8, id_len: usize) -> u64 {
    answer(with_evaluator(|evaluator| to_json(&evaluator.explain(text(id, id_len)?)?)))
}

/// The whole state as versioned MessagePack bytes.
#[no_mangle]
pub extern "C" fn re_snapshot() -> u64 {
    answer(with_evaluator(|evaluator| Ok(evaluator.snapshot().to_msgpack())))
}

/// Replaces this instance's evaluator with the one a snapshot (MessagePack) was taken of. Ok
/// payload: empty.
///
/// # Safety
/// `(snapshot, snapshot_len)` is a live buffer from `re_alloc`.
#[no_mangle]
pub unsafe extern "C" fn re_restore(snapshot: *const u8, snapshot_len: usize) -> u64 {
    answer((|| Ok(install(Evaluator::restore(Snapshot::from_msgpack(bytes(snapshot, snapshot_len))?)?)))())
}

/// The whole state as versioned JSON (the JavaScript package's `exportJson`).
#[no_mangle]
pub extern "C" fn re_export_json() -> u64 {
    answer(with_evaluator(|evaluator| Ok(evaluator.snapshot().to_json().into_bytes())))
}

/// Replaces this instance's evaluator with one from `re_export_json` output (the JavaScript
/// package's `importJson`). Ok payload: empty.
///
/// # Safety
/// `(json, json_len)` is a live buffer from `re_alloc`.
#[no_mangle]
pub unsafe extern "C" fn re_import_json(json: *const u8, json_len: usize) -> u64 {
    answer((|| Ok(install(Evaluator::restore(Snapshot::from_json(text(json, json_len)?)?)?)))())
}

/// The crate version (text).
#[no_mangle]
pub extern "C" fn re_version() -> u64 {
    answer(Ok(env!("CARGO_PKG_VERSION").as_bytes().to_vec()))
}

/// Panics on purpose (built only with the `panic-test` feature) so hosts can test containment.
#[cfg(feature = "panic-test")]
#[no_mangle]
pub extern "C" fn re_panic_for_testing() -> u64 {
    panic!("deliberate panic to test that a trap discards the instance")
}

/// Loops forever (built only with the `panic-test` feature) so hosts can test cancellation.
#[cfg(feature = "panic-test")]
#[no_mangle]
pub extern "C" fn re_spin_for_testing() -> u64 {
    let mut n: u64 = 0;
    loop {
        n = std::hint::black_box(n.wrapping_add(1));
    }
}
