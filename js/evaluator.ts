/**
 * `RelationshipEvaluator`: the public, asynchronous facade of the engine's `Evaluator`. It checks
 * and encodes the arguments, hands each call to its session (`session.ts`: order, latest-wins,
 * journal, compaction, recovery), and decodes the replies.
 *
 * The TypeScript layer, bottom to top (tests/js/node/layers.test.mjs keeps every import pointing
 * down; ARCHITECTURE.md draws it), one noun per idea:
 * - **engine**: the Rust core built to WebAssembly or to JavaScript, and where it runs
 *   (`EngineKind`); a loaded one is an `EngineModule` (`load.ts`, `js-engine.ts`).
 * - **protocol**: the messages between a client and a host (`protocol.ts`).
 * - **host**: runs one engine behind the protocol, for any number of sessions (`worker/host.ts`),
 *   in a worker (`worker/entry.ts`) or in this thread.
 * - **transport**: carries the protocol's messages to one host: `WorkerTransport`
 *   (`worker-transport.ts`) or `InThreadTransport` (`in-thread-transport.ts`).
 * - **rung**: one way to start a transport, tried in the fallback ladder's order (`ladder.ts`).
 * - **connection**: request/response over one transport: ids, replies, cancels (`connection.ts`).
 * - **shared engine**: the engine that evaluators with the same settings share: it walks the
 *   ladder for a connection, replaces a dead one, and closes after its last user (`shared-engine.ts`).
 * - **session**: one evaluator's state in the shared engine (`session.ts`).
 * - **evaluator**: this facade, one per session.
 */
import { asJson, designJson } from './document.js';

export { asJson } from './document.js';
import type { EngineInfo } from './ladder.js';
import type { JournalCall, SessionBase } from './protocol.js';
import { type CallTiming, Session, type SessionOptions } from './session.js';
import type { SharedEngine } from './shared-engine.js';
import type { ConnectableDefinition, Delta, Design, Edit, EvaluatedDesign, EvaluationResponse, Explanation, RelationshipDefinition } from './types.js';

export type { CallTiming, SessionOptions } from './session.js';

/** Options of a single call. */
export interface CallOptions {
  /**
   * Rejects the call with ABORTED when the signal fires. A call not yet started is dropped (free).
   * A change (`loadDesign`, `applyEdits`, `replaceDefinitions`) that a worker may have started is
   * stopped by replacing the worker: the state is restored as it was before the call, and other
   * calls pending in that worker reject with WORKER_CRASHED. A change already answered stands.
   */
  signal?: AbortSignal;
  /**
   * `'text'`: resolve with the engine's JSON text instead of an object. `JSON.parse` rounds
   * integers past 2^53, turns numbers past a double's range into `Infinity`, writes `1.50` back as
   * `1.5` and moves integer-like keys first; the text keeps every number and key as the engine
   * wrote it (README, "Numbers"). Default `'object'`.
   */
  output?: 'object' | 'text';
}

/** Options asking for the reply as JSON text. */
export type TextOutput = CallOptions & { output: 'text' };

/** The reply as the caller asked for it: parsed, or the engine's JSON text untouched. */
function decode<T>(text: string, options: CallOptions): T | string {
  return options.output === 'text' ? text : (JSON.parse(text) as T);
}

declare global {
  interface SymbolConstructor {
    /**
     * `Symbol.asyncDispose` (explicit resource management), declared here as `lib.esnext.disposable`
     * and `@types/node` do, so that consumers compiling with `lib: ES2022` need neither.
     */
    readonly asyncDispose: unique symbol;
  }
}

/**
 * The asynchronous evaluator. Create it with `createEvaluator()`; dispose it when done
 * (`await using evaluator = createEvaluator(…)` where the runtime has `Symbol.asyncDispose`).
 */
export class RelationshipEvaluator {
  private readonly session: Session;

  /** @internal Use `createEvaluator()`, `restoreEvaluator()` or `importEvaluator()`. */
  constructor(engine: SharedEngine, base: SessionBase, options: SessionOptions = {}) {
    this.session = new Session(engine, base, options);
  }

  /** The revision of the last acknowledged load or batch (0 before any). */
  get revision(): number {
    return this.session.revision;
  }

  /** Timing of the last successful call. */
  get lastCall(): CallTiming | null {
    return this.session.lastCall;
  }

  /**
   * Replaces the design and evaluates it; resolves with what changed. The design is an object,
   * or JSON or YAML text. An aborted `signal` (see `CallOptions`) rejects with ABORTED and
   * leaves the state as it was.
   */
  loadDesign(design: Design | string, options: TextOutput): Promise<string>;
  loadDesign(design: Design | string, options?: CallOptions): Promise<Delta>;
  async loadDesign(design: Design | string, options: CallOptions = {}): Promise<Delta | string> {
    const text = designJson(design);
    const call = typeof text === 'string' ? { op: 'loadDesign' as const, design: text } : text.then((json) => ({ op: 'loadDesign' as const, design: json }));
    return decode<Delta>(await this.change(call, options), options);
  }

  /** Applies a batch of edits as one transaction (all or nothing); resolves with what changed. */
  applyEdits(edits: readonly Edit[] | string, options: TextOutput): Promise<string>;
  applyEdits(edits: readonly Edit[] | string, options?: CallOptions): Promise<Delta>;
  async applyEdits(edits: readonly Edit[] | string, options: CallOptions = {}): Promise<Delta | string> {
    return decode<Delta>(await this.change({ op: 'applyEdits', edits: asJson(edits, 'the edits') }, options), options);
  }

  /** Replaces the relationship definitions and re-evaluates the design with them. */
  replaceDefinitions(definitions: readonly RelationshipDefinition[] | string, options: TextOutput): Promise<string>;
  replaceDefinitions(definitions: readonly RelationshipDefinition[] | string, options?: CallOptions): Promise<Delta>;
  async replaceDefinitions(definitions: readonly RelationshipDefinition[] | string, options: CallOptions = {}): Promise<Delta | string> {
    return decode<Delta>(await this.change({ op: 'replaceDefinitions', definitions: asJson(definitions, 'the definitions') }, options), options);
  }

  /**
   * The current design, as the last change left it: evaluated, so it always has `version` and
   * `metadata.resolvedAliases` (`EvaluatedDesign`). Before the first change (`loadDesign`,
   * `applyEdits`, `replaceDefinitions`) the evaluator holds the empty design, and this resolves
   * with the empty design evaluated, as `loadDesign({})` would leave it:
   * `{ version: '0.0.1', metadata: { resolvedAliases: {} } }` (the same with `output: 'text'`).
   * It never rejects for want of a load.
   */
  design(options: Pick<TextOutput, 'output'>): Promise<string>;
  design(options?: Pick<CallOptions, 'output'>): Promise<EvaluatedDesign>;
  async design(options: Pick<CallOptions, 'output'> = {}): Promise<EvaluatedDesign | string> {
    return decode<EvaluatedDesign>((await this.session.call({ op: 'design' })).value, options);
  }

  /**
   * A full evaluation of the current design, without changing it. Latest wins: a newer
   * `evaluate()` or `evaluateDesign()` rejects this one with SUPERSEDED.
   */
  evaluate(options: TextOutput): Promise<string>;
  evaluate(options?: CallOptions): Promise<EvaluationResponse>;
  async evaluate(options: CallOptions = {}): Promise<EvaluationResponse | string> {
    const reply = await this.session.call({ op: 'evaluate' }, { ...options, latestWins: true });
    return decode<EvaluationResponse>(reply.value, options);
  }

  /**
   * Evaluates `design` with this evaluator's definitions and options, leaving its own design as
   * it is. Latest wins, like `evaluate()`.
   */
  evaluateDesign(design: Design | string, options: TextOutput): Promise<string>;
  evaluateDesign(design: Design | string, options?: CallOptions): Promise<EvaluationResponse>;
  async evaluateDesign(design: Design | string, options: CallOptions = {}): Promise<EvaluationResponse | string> {
    const text = designJson(design);
    const call = typeof text === 'string' ? { op: 'evaluateDesign' as const, design: text } : text.then((json) => ({ op: 'evaluateDesign' as const, design: json }));
    const reply = await this.session.call(call, { ...options, latestWins: true });
    return decode<EvaluationResponse>(reply.value, options);
  }

  /** Why a relationship of the current design holds. */
  async explain(relationshipId: string): Promise<Explanation> {
    return JSON.parse((await this.session.call({ op: 'explain', relationshipId })).value) as Explanation;
  }

  /**
   * The definitions that would relate component `fromId` (from side) to `toId` (to side), by the
   * engine's own selector matching, in registration order: what an editor can offer for a drawn
   * connection. Ask both ways round for both directions.
   */
  async connectableDefinitions(fromId: string, toId: string): Promise<ConnectableDefinition[]> {
    return JSON.parse((await this.session.call({ op: 'connectableDefinitions', fromId, toId })).value) as ConnectableDefinition[];
  }

  /** The whole state as MessagePack bytes; `restoreEvaluator(bytes)` continues from it. */
  async snapshot(): Promise<Uint8Array> {
    return (await this.session.call({ op: 'snapshot' })).value;
  }

  /** The whole state as JSON text; `importEvaluator(json)` continues from it. */
  async exportJson(): Promise<string> {
    return (await this.session.call({ op: 'exportJson' })).value;
  }

  /** The active engine (starting it if needed) and why it was chosen. */
  async engine(): Promise<EngineInfo> {
    return this.session.engineInfo();
  }

  /** Frees the evaluator; calls made afterwards reject with DISPOSED. Calls already made complete. */
  async dispose(): Promise<void> {
    await this.session.dispose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  /** Sends a change (journaled by the session once the engine confirms it). */
  private async change(call: JournalCall | Promise<JournalCall>, options: CallOptions): Promise<string> {
    return (await this.session.call(call, options)).value;
  }
}
