/**
 * Instantiates an engine: the WebAssembly build through its wasm-bindgen glue, or the JavaScript
 * (wasm2js) build, which is a separate file loaded only when it is needed.
 */
import initWasm, * as wasmGlue from '../pkg/web/relationship_evaluator.js';
import type { EngineModule } from './engine-module.js';
import { EvaluatorError, toEvaluatorError } from './errors.js';

/** What the glue instantiates from. */
export type WasmInput = URL | Uint8Array | WebAssembly.Module | Response;

/** The smallest valid module: compiling it tells whether this runtime may compile wasm at all. */
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/**
 * Why WebAssembly cannot be used here, or `null` when it can. Catches both a missing
 * `WebAssembly` and a CSP without 'wasm-unsafe-eval' (compilation throws a CompileError).
 * A `precompiled` module needs no compiling: workerd forbids compiling from bytes at run time
 * but instantiates the modules it imported.
 */
export function wasmUnavailableReason(precompiled = false): string | null {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.Module !== 'function') {
    return 'this runtime has no WebAssembly';
  }
  if (precompiled) return null;
  try {
    new WebAssembly.Module(EMPTY_MODULE);
    return null;
  } catch (error) {
    return `compiling WebAssembly is not allowed here (${String(error)})`;
  }
}

/** Instantiates the WebAssembly engine. Errors: WASM_UNAVAILABLE or WASM_LOAD_FAILED. */
export async function instantiateWasm(input: WasmInput | Promise<WasmInput>): Promise<EngineModule> {
  // Whether the input is a compiled module decides availability, so it is awaited first; a
  // failure to read it is reported only when WebAssembly is usable (the ladder falls through
  // to the JavaScript engine on WASM_UNAVAILABLE alone).
  const settled = await Promise.resolve(input).then((value) => ({ value }), (cause: unknown) => ({ cause }));
  const precompiled = 'value' in settled && typeof WebAssembly === 'object' && settled.value instanceof WebAssembly.Module;
  const unavailable = wasmUnavailableReason(precompiled);
  if (unavailable) throw new EvaluatorError('WASM_UNAVAILABLE', unavailable);
  try {
    if ('cause' in settled) throw settled.cause;
    await initWasm({ module_or_path: settled.value });
  } catch (cause) {
    if (cause instanceof EvaluatorError) throw cause;
    throw new EvaluatorError('WASM_LOAD_FAILED', `could not load the WebAssembly engine: ${String(cause)}`, '', { cause });
  }
  return wasmGlue;
}

/** Loads the JavaScript engine (the same Rust source through wasm2js). */
export async function loadJsEngine(): Promise<EngineModule> {
  try {
    // A separate file, fetched only here; the path is kept as written by the build.
    return (await import('./js-engine.js')) as EngineModule;
  } catch (cause) {
    throw new EvaluatorError('ENGINE_UNAVAILABLE', `could not load the JavaScript engine: ${toEvaluatorError(cause).message}`, '', { cause });
  }
}
