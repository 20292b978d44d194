/**
 * The fallback ladder: Worker + WebAssembly → main-thread WebAssembly → JavaScript engine in a
 * worker → JavaScript engine in this thread. Each rung is tried only when the ones above it are
 * unavailable or fail to start, and every skipped rung is reported with its reason.
 */
import type { EngineCode } from './engine-module.js';
import { EvaluatorError } from './errors.js';
import { instantiateWasm, loadJsEngine, moduleHref, wasmUnavailableReason, type JsEngineLocation } from './load.js';
import type { Platform } from './platform.js';
import type { WasmSource } from './protocol.js';
import { InThreadTransport } from './in-thread-transport.js';
import type { EngineKind, Transport } from './transport.js';
import { startWorker, type WorkerLike } from './worker-transport.js';

/** Which engine to use: `auto` walks the ladder; anything else forces that rung (no fallback). */
export type EnginePreference = 'auto' | EngineKind;

/** A rung that was not used, and why. */
export interface SkippedRung {
  kind: EngineKind;
  reason: string;
}

/** Which engine is active and why. */
export interface EngineInfo {
  kind: EngineKind;
  /** `wasm` for the worker and main-thread rungs, `js` for the JavaScript engine (`js-worker`, `js`). */
  code: EngineCode;
  /** Why this rung: what made the rungs above it unusable, or that it was forced. */
  reason: string;
  /** The rungs above it, each with why it was skipped or failed. */
  skipped: SkippedRung[];
  /** The crate version of the engine. */
  version: string;
  /** Milliseconds the engine took to load. */
  loadMs: number;
  /** How many times a crashed worker was replaced. */
  restarts: number;
}

/** How to start the engines. */
export interface LadderOptions {
  engine?: EnginePreference;
  /** Creates the worker instead of the build's default (custom URL, CSP, CDN). */
  worker?: () => WorkerLike;
  /** Milliseconds to wait for a worker's ready handshake (default 15000). */
  readyTimeoutMs?: number;
  /**
   * Where the JavaScript engine is, for runtimes that forbid WebAssembly (a CSP without
   * 'wasm-unsafe-eval'). Unbundled (Node, a CDN, the package served as is) it is found next to the
   * package; a bundled app opts in, so that its build carries the 2.7 MB engine only when asked:
   * a URL (runs in a worker, e.g. Vite's `import url from '@meshery/relationship-evaluator/js-engine?url'`)
   * or a loader `() => import('@meshery/relationship-evaluator/js-engine')` (runs in this thread).
   */
  jsEngine?: JsEngineLocation;
}

export interface Rung {
  kind: EngineKind;
  start(source: WasmSource): Promise<Transport>;
}

const ORDER: readonly EngineKind[] = ['worker', 'main-thread', 'js-worker', 'js'];

/** Where a rung stands in the ladder (an unknown engine name ranks first: it is reported). */
export function rungRank(kind: EngineKind): number {
  return ORDER.indexOf(kind);
}

const now = (): number => (typeof performance === 'object' ? performance.now() : Date.now());

/** Copies bytes for a worker, so the source stays usable for later restarts. */
function postable(source: WasmSource): WasmSource {
  return source.kind === 'bytes' ? { kind: 'bytes', bytes: source.bytes.slice() } : source;
}

/** The rungs to try, in order, and those ruled out before trying (`source`: the wasm they would load). */
export function planLadder(platform: Platform, options: LadderOptions, source?: WasmSource): { rungs: Rung[]; skipped: SkippedRung[] } {
  const preference = options.engine ?? 'auto';
  const createWorker = options.worker ?? platform.createWorker;
  const wasmProblem = wasmUnavailableReason(source?.kind === 'module');
  const workerProblem = createWorker
    ? options.worker || typeof Worker === 'function'
      ? null
      : 'this runtime has no Worker'
    : (platform.noWorkerReason ?? `the ${platform.name} build evaluates in its own thread`);
  const rungs: Rung[] = [];
  const skipped: SkippedRung[] = [];
  if (preference !== 'auto' && !ORDER.includes(preference)) {
    // A typo must not surface as "no engine can run here" with no reason (issue 15 #22).
    const expected = ['auto', ...ORDER].map((kind) => JSON.stringify(kind)).join(', ');
    skipped.push({ kind: preference, reason: `unknown engine ${JSON.stringify(preference)}: expected one of ${expected}` });
    return { rungs, skipped };
  }
  for (const kind of ORDER) {
    if (preference !== 'auto' && kind !== preference) continue;
    const problem = kind === 'worker' ? (workerProblem ?? wasmProblem)
      : kind === 'main-thread' ? wasmProblem
        : kind === 'js-worker' ? (workerProblem ?? (typeof options.jsEngine === 'function' ? JS_LOADER_IN_WORKER : null))
          : null;
    if (problem && preference === 'auto') {
      skipped.push({ kind, reason: problem });
      continue;
    }
    rungs.push(rungFor(kind, platform, createWorker, options));
  }
  return { rungs, skipped };
}

const JS_LOADER_IN_WORKER =
  'the jsEngine option is a loader function, which cannot be sent to a worker (give the URL of @meshery/relationship-evaluator/js-engine to run it off the main thread)';

function rungFor(kind: EngineKind, platform: Platform, createWorker: (() => WorkerLike) | undefined, options: LadderOptions): Rung {
  switch (kind) {
    case 'worker':
      return {
        kind,
        start: (source) => {
          if (!createWorker) throw new EvaluatorError('ENGINE_UNAVAILABLE', platform.noWorkerReason ?? 'this build has no worker');
          return startWorker(createWorker, postable(source), { readyTimeoutMs: options.readyTimeoutMs });
        },
      };
    case 'main-thread':
      return {
        kind,
        start: async (source) => {
          const started = now();
          const engine = await instantiateWasm(platform.wasmInput(source));
          return new InThreadTransport(kind, engine, now() - started);
        },
      };
    case 'js-worker':
      return {
        kind,
        start: async (source) => {
          if (!createWorker) throw new EvaluatorError('ENGINE_UNAVAILABLE', platform.noWorkerReason ?? 'this build has no worker');
          if (typeof options.jsEngine === 'function') throw new EvaluatorError('ENGINE_UNAVAILABLE', JS_LOADER_IN_WORKER);
          const jsEngineUrl = options.jsEngine === undefined ? undefined : moduleHref(options.jsEngine);
          return startWorker(createWorker, postable(source), { readyTimeoutMs: options.readyTimeoutMs, engine: 'js', jsEngineUrl });
        },
      };
    case 'js':
      return {
        kind,
        start: async () => {
          const started = now();
          const engine = await loadJsEngine(options.jsEngine ?? platform.defaultJsEngine);
          return new InThreadTransport(kind, engine, now() - started);
        },
      };
  }
}

/**
 * Whether a failure to start `kind` lets the ladder go on: a worker may fail for many reasons
 * (blocked script, no module workers, timeout, its JavaScript engine not found) and this thread can
 * still work; from the
 * main thread the JavaScript engine is next only when WebAssembly itself is unusable — a wasm that
 * cannot be fetched is a deployment error, reported rather than hidden behind a slower engine.
 */
export function fallsThrough(kind: EngineKind, error: EvaluatorError): boolean {
  if (kind === 'worker' || kind === 'js-worker') return true;
  if (kind === 'main-thread') return error.code === 'WASM_UNAVAILABLE';
  return false;
}

/** The sentence that says why a rung is the active one. */
export function reasonFor(kind: EngineKind, preference: EnginePreference, skipped: SkippedRung[]): string {
  if (preference !== 'auto') return `forced by the engine option ('${preference}')`;
  if (skipped.length === 0) {
    return kind === 'worker' ? 'Worker and WebAssembly are available' : 'first rung available';
  }
  return skipped.map((rung) => `${rung.kind}: ${rung.reason}`).join('; ');
}
