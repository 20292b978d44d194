/**
 * What differs between the builds of the package (browser, worker, Node, inlined wasm): how the
 * wasm is found and read, and whether evaluations may move to a worker.
 */
import { EvaluatorError } from './errors.js';
import type { JsEngineLocation, WasmInput } from './load.js';
import type { WasmSource } from './protocol.js';
import type { WorkerLike } from './worker-transport.js';

export { fetchableInput } from './load.js';

export interface Platform {
  /** The build, as reported in engine reasons. */
  readonly name: 'browser' | 'worker' | 'node' | 'inline' | 'deno' | 'workerd';
  /** Creates the evaluation worker; absent where this build evaluates in its own thread. */
  readonly createWorker?: () => WorkerLike;
  /** Why this build has no worker rung (when `createWorker` is absent). */
  readonly noWorkerReason?: string;
  /** The wasm used when `init()` was not called. */
  defaultSource(): WasmSource;
  /** What the glue instantiates on this thread for `source`. */
  wasmInput(source: WasmSource): Promise<WasmInput>;
  /** Where this thread finds the JavaScript engine when the app did not say (default: next to the package). */
  readonly defaultJsEngine?: JsEngineLocation;
}

/** Anything `init()` accepts. */
export type InitInput =
  | string
  | URL
  | Response
  | Promise<Response>
  | ArrayBuffer
  | ArrayBufferView
  | WebAssembly.Module;

/** Normalises what the host passed to `init()` into a source that can also be posted to a worker. */
export async function sourceOf(input: InitInput): Promise<WasmSource> {
  const value = await input;
  if (typeof value === 'string' || value instanceof URL) {
    const base = (globalThis as { location?: { href?: string } }).location?.href;
    try {
      return { kind: 'url', url: new URL(value, base).href };
    } catch (cause) {
      throw new EvaluatorError('WASM_LOAD_FAILED', `init(): ${String(value)} is not a URL`, '', { cause });
    }
  }
  if (typeof WebAssembly === 'object' && value instanceof WebAssembly.Module) return { kind: 'module', module: value };
  if (value instanceof ArrayBuffer) return { kind: 'bytes', bytes: new Uint8Array(value.slice(0)) };
  if (ArrayBuffer.isView(value)) {
    return { kind: 'bytes', bytes: new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength)) };
  }
  if (typeof Response === 'function' && value instanceof Response) {
    if (!value.ok) throw new EvaluatorError('WASM_LOAD_FAILED', `init(): the response for ${value.url} has status ${value.status}`);
    return { kind: 'bytes', bytes: new Uint8Array(await value.arrayBuffer()) };
  }
  throw new EvaluatorError('WASM_LOAD_FAILED', 'init() takes a URL, a Response, bytes or a WebAssembly.Module');
}
