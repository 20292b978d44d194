/**
 * @module @meshery/relationship-evaluator — Cloudflare workerd (Workers, wrangler, miniflare): the
 * wasm imported as a module, compiled by the runtime when the Worker is deployed (workerd forbids
 * compiling WebAssembly from bytes at run time), evaluated in this thread.
 */
import wasmModule from 'virtual:relationship-evaluator-wasm-module';
import { makeApi } from '../api.js';
import { workerPlatform } from '../platforms/worker.js';

export * from '../exports.js';
export const { createEvaluator, restoreEvaluator, importEvaluator, preload, init, engineInfo } = makeApi({
  ...workerPlatform,
  name: 'workerd',
  noWorkerReason: 'the workerd build evaluates in its own thread (workerd has no Worker)',
  defaultSource: () => ({ kind: 'module', module: wasmModule }),
});
