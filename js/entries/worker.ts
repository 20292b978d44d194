/** @module @meshery/relationship-evaluator — Inside a Web Worker or an edge runtime: WebAssembly in this thread, then the JavaScript engine. */
import { makeApi } from '../api.js';
import { workerPlatform } from '../platforms/worker.js';

export * from '../exports.js';
export const { createEvaluator, restoreEvaluator, importEvaluator, preload, init, engineInfo } = makeApi(workerPlatform);
