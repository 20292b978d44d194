/** @module @meshery/relationship-evaluator — Deno: the wasm read from disk with Deno's own API (no Node compatibility layer), in this thread; the JavaScript engine when WebAssembly is unavailable. */
import { makeApi } from '../api.js';
import { fetchableInput, type Platform } from '../platform.js';

declare const Deno: { readFile(path: URL): Promise<Uint8Array> };

const denoPlatform: Platform = {
  name: 'deno',
  noWorkerReason: 'the Deno build evaluates in its own thread',
  defaultSource: () => ({ kind: 'default' }),
  async wasmInput(source) {
    const input = await fetchableInput(source);
    // Deno's fetch reads file: URLs but without a wasm content type, which the glue warns about.
    return input instanceof URL && input.protocol === 'file:' ? Deno.readFile(input) : input;
  },
};

export * from '../exports.js';
export const { createEvaluator, restoreEvaluator, importEvaluator, preload, init, engineInfo } = makeApi(denoPlatform);
