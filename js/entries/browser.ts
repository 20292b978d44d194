/** @module @meshery/relationship-evaluator — Browsers and bundlers: Worker + WebAssembly, then main-thread WebAssembly, then the JavaScript engine. */
import { makeApi } from '../api.js';
import { browserPlatform } from '../platforms/browser.js';

export * from '../exports.js';
export const { createEvaluator, restoreEvaluator, importEvaluator, preload, init, engineInfo } = makeApi(browserPlatform);
