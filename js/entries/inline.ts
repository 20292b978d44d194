/** @module @meshery/relationship-evaluator — The wasm inlined (no asset to emit), in this thread; the JavaScript engine when WebAssembly is unavailable. */
import { makeApi } from '../api.js';
import { inlinePlatform } from '../platforms/inline.js';

export * from '../exports.js';
export const { createEvaluator, restoreEvaluator, importEvaluator, preload, init, engineInfo } = makeApi(inlinePlatform);
