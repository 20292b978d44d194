/**
 * The package's functions, made for one platform (each entry point is this plus its platform).
 * Engines are module-level and shared: evaluators created with the same `engine` preference (and
 * `worker` factory) use one engine — one worker — which closes when the last of them is disposed.
 */
import { EvaluatorError } from './errors.js';
import { asJson, RelationshipEvaluator, type SessionOptions } from './evaluator.js';
import type { EngineInfo, LadderOptions } from './ladder.js';
import { sourceOf, type InitInput, type Platform } from './platform.js';
import type { WasmSource } from './protocol.js';
import type { WorkerLike } from './worker-transport.js';
import { SharedEngine, type SharedEngineOptions } from './shared-engine.js';
import type { EngineOptions, RelationshipDefinition } from './types.js';

/** Options of `createEvaluator()` and friends. */
export interface EvaluatorOptions extends SessionOptions, LadderOptions {
  /** Options of the evaluation itself (Meshery's `returnDiffOnly`, limits, …). */
  evaluation?: EngineOptions;
  /**
   * Milliseconds the shared engine stays up after the last evaluator using it is disposed
   * (default 0). Like `readyTimeoutMs` and `jsEngine`, it is read when the shared engine is first
   * created.
   */
  idleMs?: number;
}

/** Options of `preload()` and `engineInfo()`: which shared engine. */
export type EngineSelection = Pick<EvaluatorOptions, 'engine' | 'worker' | 'readyTimeoutMs' | 'idleMs' | 'jsEngine'>;

export interface Api {
  /**
   * An evaluator over these relationship definitions. Nothing loads until its first call; the
   * engine (a worker, the main thread, or the JavaScript engine) is chosen then.
   */
  createEvaluator(definitions: readonly RelationshipDefinition[] | string, options?: EvaluatorOptions): RelationshipEvaluator;
  /** An evaluator continuing from `snapshot()` bytes. */
  restoreEvaluator(snapshot: Uint8Array, options?: EvaluatorOptions): RelationshipEvaluator;
  /** An evaluator continuing from `exportJson()` text. */
  importEvaluator(json: string, options?: EvaluatorOptions): RelationshipEvaluator;
  /** Starts the shared engine now (fetch, compile, worker start), so the first call is fast. */
  preload(options?: EngineSelection): Promise<EngineInfo>;
  /**
   * Tells the package where the wasm is: a URL, a Response, bytes or a compiled module. For hosts
   * that control fetching (CSP, CDNs, edge runtimes). Call it before the first evaluation.
   */
  init(input: InitInput): Promise<void>;
  /** The shared engine's info, or `null` while it has not started. */
  engineInfo(options?: EngineSelection): EngineInfo | null;
}

export function makeApi(platform: Platform): Api {
  let configured: WasmSource | null = null;
  const shared = new Map<(() => WorkerLike) | undefined, Map<string, SharedEngine>>();
  const loaderIds = new WeakMap<object, number>();
  let nextLoaderId = 0;
  const all = new Set<SharedEngine>();
  const source = (): WasmSource => configured ?? platform.defaultSource();

  const track = (options: SharedEngineOptions, onClose?: (engine: SharedEngine) => void): SharedEngine => {
    const engine = new SharedEngine(platform, options, source, (closed) => {
      all.delete(closed);
      onClose?.(closed);
    });
    all.add(engine);
    return engine;
  };

  /** Which JavaScript engine the options name, as a key: its URL, or the identity of its loader. */
  const jsEngineKey = (location: EvaluatorOptions['jsEngine']): string => {
    if (location === undefined) return '';
    if (typeof location !== 'function') return `url:${String(location)}`;
    let id = loaderIds.get(location);
    if (id === undefined) {
      id = nextLoaderId++;
      loaderIds.set(location, id);
    }
    return `loader:${id}`;
  };

  const engineKey = (options: EngineSelection): string => `${options.engine ?? 'auto'} ${jsEngineKey(options.jsEngine)}`;

  /** One engine per (worker factory, preference, JavaScript engine): evaluators with the same settings share it. */
  const sharedEngine = (options: EvaluatorOptions = {}): SharedEngine => {
    const preference = options.engine ?? 'auto';
    const key = engineKey(options);
    let byPreference = shared.get(options.worker);
    if (!byPreference) {
      byPreference = new Map();
      shared.set(options.worker, byPreference);
    }
    let engine = byPreference.get(key);
    if (!engine) {
      const settings = { engine: preference, worker: options.worker, readyTimeoutMs: options.readyTimeoutMs, idleMs: options.idleMs, jsEngine: options.jsEngine };
      engine = track(settings, (closed) => {
        if (byPreference.get(key) === closed) byPreference.delete(key);
      });
      byPreference.set(key, engine);
    }
    return engine;
  };

  /** Evaluators settle on load and re-match on edit unless told otherwise (see `EngineOptions`). */
  const optionsJson = (options: EvaluatorOptions): string =>
    JSON.stringify({ settleOnLoad: true, rematchOnEdit: true, ...options.evaluation });

  return {
    createEvaluator(definitions, options = {}) {
      const text = asJson(definitions, 'the definitions');
      return new RelationshipEvaluator(sharedEngine(options), { kind: 'create', definitions: text, options: optionsJson(options) }, options);
    },
    restoreEvaluator(snapshot, options = {}) {
      if (!(snapshot instanceof Uint8Array)) throw new EvaluatorError('INVALID_TYPE', 'the snapshot must be a Uint8Array (from snapshot())');
      return new RelationshipEvaluator(sharedEngine(options), { kind: 'snapshot', snapshot: snapshot.slice() }, options);
    },
    importEvaluator(json, options = {}) {
      if (typeof json !== 'string') throw new EvaluatorError('INVALID_TYPE', 'the snapshot must be JSON text (from exportJson())');
      return new RelationshipEvaluator(sharedEngine(options), { kind: 'json', json }, options);
    },
    async preload(options) {
      return sharedEngine(options).ensureInfo();
    },
    async init(input) {
      if ([...all].some((engine) => engine.loading)) {
        throw new EvaluatorError('ALREADY_INITIALIZED', 'init() must be called before the first evaluation (an engine has already started)');
      }
      configured = await sourceOf(input);
    },
    engineInfo(options) {
      return shared.get(options?.worker)?.get(engineKey(options ?? {}))?.info ?? null;
    },
  };
}
