/** @module @meshery/relationship-evaluator — Node: WebAssembly read from disk, in this thread; the JavaScript engine when WebAssembly is unavailable. */
import { makeApi } from '../api.js';
import { nodePlatform } from '../platforms/node.js';

export * from '../exports.js';
export const { createEvaluator, restoreEvaluator, importEvaluator, preload, init, engineInfo } = makeApi(nodePlatform);
