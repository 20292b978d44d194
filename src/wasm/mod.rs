//! The WebAssembly boundary: decode, call the core, encode — no semantics here. Every exported
//! call goes through `guard`, which refuses to run once a panic has poisoned the instance.

mod contract;
mod evaluator;
mod transfer;

// For the wasm-bindgen tests (`internals`); JavaScript reaches both through their exports.
#[cfg(feature = "internals")]
pub use {contract::install_meshery_engine, evaluator::WasmEvaluator};

use crate::error::{Error, ErrorCode};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;
use wasm_bindgen::prelude::*;

#[cfg(feature = "wee_alloc")]
#[global_allocator]
static ALLOC: PoisonOnExhaustion<wee_alloc::WeeAlloc> = PoisonOnExhaustion(wee_alloc::WeeAlloc::INIT);

#[cfg(not(feature = "wee_alloc"))]
#[global_allocator]
static ALLOC: PoisonOnExhaustion<crate::wasm_heap::GrowingHeap> =
    PoisonOnExhaustion(crate::wasm_heap::GrowingHeap::new());

/// The allocator, unchanged, except that an allocation it cannot satisfy poisons the instance
/// before Rust aborts (a trap). That covers running out of memory outside an exported call too —
/// in the glue's `__wbindgen_malloc` while a call's arguments are copied in — where `IN_CALL`
/// cannot tell. (The crate never asks for memory fallibly, so a failed allocation is always fatal.)
struct PoisonOnExhaustion<A>(A);

impl<A> PoisonOnExhaustion<A> {
    fn checked(pointer: *mut u8) -> *mut u8 {
        if pointer.is_null() {
            POISONED.store(true, Ordering::SeqCst);
        }
        pointer
    }
}

// SAFETY: every method forwards to the wrapped allocator with the same arguments and returns its
// result unchanged; only a flag is set on failure.
unsafe impl<A: std::alloc::GlobalAlloc> std::alloc::GlobalAlloc for PoisonOnExhaustion<A> {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        Self::checked(self.0.alloc(layout))
    }
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        Self::checked(self.0.alloc_zeroed(layout))
    }
    unsafe fn realloc(&self, pointer: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        Self::checked(self.0.realloc(pointer, layout, new_size))
    }
    unsafe fn dealloc(&self, pointer: *mut u8, layout: std::alloc::Layout) {
        self.0.dealloc(pointer, layout)
    }
}

/// Set by the panic hook. A panic in wasm aborts mid-call and may leave allocator and object
/// state half-updated, so after one the instance only answers with `POISONED` errors.
static POISONED: AtomicBool = AtomicBool::new(false);

/// Set while an exported call runs. A trap that is not a panic (out of memory aborts, stack
/// overflow) unwinds nothing and runs no hook, so the flag stays set: a call that finds it set —
/// or `isPoisoned()` asked after the trap — knows the previous call died mid-way.
static IN_CALL: AtomicBool = AtomicBool::new(false);

static HOOK: Once = Once::new();

#[wasm_bindgen(start)]
fn start() {
    #[cfg(feature = "console_error_panic_hook")]
    console_error_panic_hook::set_once();
    ensure_panic_hook();
}

/// Chains our poisoning hook in front of whatever hook is installed (console_error_panic_hook,
/// or a test harness's). Called at start and again by every guarded call, because a host may
/// replace the hook after start.
pub(crate) fn ensure_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            POISONED.store(true, Ordering::SeqCst);
            previous(info);
        }));
    });
}

/// True once a call has died mid-way in this instance: a panic, or a trap such as running out of
/// memory. Exported calls never run concurrently (wasm here is single-threaded and the core calls
/// back into no JavaScript that could re-enter), so a set `IN_CALL` outside a call means a trap.
#[wasm_bindgen(js_name = isPoisoned)]
pub fn is_poisoned() -> bool {
    POISONED.load(Ordering::SeqCst) || IN_CALL.load(Ordering::SeqCst)
}

/// Marks one exported call as running; dropped when it returns. Never dropped after a trap, which
/// is the point. `None` when the instance is poisoned.
pub(crate) struct CallScope(());

impl CallScope {
    pub(crate) fn enter() -> Option<CallScope> {
        ensure_panic_hook();
        if is_poisoned() {
            POISONED.store(true, Ordering::SeqCst);
            return None;
        }
        IN_CALL.store(true, Ordering::SeqCst);
        Some(CallScope(()))
    }
}

impl Drop for CallScope {
    fn drop(&mut self) {
        IN_CALL.store(false, Ordering::SeqCst);
    }
}

/// The crate version.
#[wasm_bindgen(js_name = engineVersion)]
pub fn engine_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

fn poisoned_error() -> Error {
    Error::new(
        ErrorCode::Poisoned,
        "",
        "this WebAssembly instance stopped mid-call earlier (a panic, or a trap such as running out of memory) and can no longer be used; create a new one",
    )
}

/// A JS `Error` with `name = "EvaluatorError"` and the `code` and `path` of the Rust error.
pub(crate) fn to_js_error(error: &Error) -> JsValue {
    let js = js_sys::Error::new(&error.message);
    js.set_name("EvaluatorError");
    let _ = js_sys::Reflect::set(&js, &"code".into(), &error.code.as_str().into());
    let _ = js_sys::Reflect::set(&js, &"path".into(), &error.path.as_str().into());
    js.into()
}

/// The string a JavaScript caller passed as `name`. wasm-bindgen's `&str` glue traps on a
/// non-string (it reads `.length` of whatever it is given), so every exported call takes a
/// `JsValue` and refuses anything else with a typed error.
pub(crate) fn js_text(value: &JsValue, name: &str) -> Result<String, Error> {
    value.as_string().ok_or_else(|| {
        Error::new(ErrorCode::InvalidType, "", format!("{name} must be a string (JSON text), not {}", js_type(value)))
    })
}

/// `js_text`, with `undefined` and `null` read as `""` (the default options).
pub(crate) fn js_optional_text(value: &JsValue, name: &str) -> Result<String, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(String::new());
    }
    js_text(value, name)
}

/// The bytes of a `Uint8Array` argument; anything else is a typed error.
pub(crate) fn js_bytes(value: &JsValue, name: &str) -> Result<Vec<u8>, Error> {
    value.dyn_ref::<js_sys::Uint8Array>().map(js_sys::Uint8Array::to_vec).ok_or_else(|| {
        Error::new(ErrorCode::InvalidType, "", format!("{name} must be a Uint8Array, not {}", js_type(value)))
    })
}

fn js_type(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if js_sys::Array::is_array(value) {
        "an array".into()
    } else {
        format!("a value of type {}", value.js_typeof().as_string().unwrap_or_default())
    }
}

/// Runs `call` unless the instance is poisoned, turning errors into JS errors.
pub(crate) fn guard<T>(call: impl FnOnce() -> Result<T, Error>) -> Result<T, JsValue> {
    let Some(_scope) = CallScope::enter() else {
        return Err(to_js_error(&poisoned_error()));
    };
    call().map_err(|e| to_js_error(&e))
}
