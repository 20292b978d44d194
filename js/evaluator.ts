/**
 * `RelationshipEvaluator`: the asynchronous facade of the wasm `Evaluator`. Calls are sent in the
 * order they are made; evaluations are latest-wins. Every acknowledged change is kept (a base —
 * constructor arguments or a snapshot — plus a journal of the changes since), so that when the
 * worker dies the session is rebuilt in its replacement and no acknowledged edit is lost.
 */
import type { Live, Connection } from './connection.js';
import { asJson, designJson } from './document.js';

export { asJson } from './document.js';
import { EvaluatorError, toEvaluatorError } from './errors.js';
import type { EngineInfo } from './ladder.js';
import type { Call, CallOp, JournalCall, SessionBase } from './protocol.js';
import { isJournalCall } from './protocol.js';
import type { Reply } from './rpc.js';
import type { ConnectableDefinition, Delta, Design, Edit, EvaluatedDesign, EvaluationResponse, Explanation, RelationshipDefinition } from './types.js';

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

/** Timing of the last call, for diagnostics. */
export interface CallTiming {
  op: CallOp;
  /** Time in the engine. */
  engineMs: number;
  /** From the call to its reply, including messaging, queueing and JSON parsing. */
  totalMs: number;
}

/** Options of a session. */
export interface SessionOptions {
  /**
   * Take a snapshot after this many acknowledged changes and drop them from the journal (default
   * 32). For a large state (over 1 MiB) the snapshot waits until the evaluator has been idle for
   * 300 ms (or the journal holds 8 times this many changes): the engine does nothing else while it
   * writes one, and an edit queued behind it would wait that long.
   */
  snapshotEvery?: number;
}

/** States at least this large (design text or snapshot bytes) are compacted when idle. */
const LARGE_STATE_BYTES = 1 << 20;
/** Quiet time before a deferred compaction. */
const COMPACTION_IDLE_MS = 300;
/** A deferred compaction runs anyway once the journal is this many times `snapshotEvery`. */
const COMPACTION_FORCED_AFTER = 8;

interface JournalEntry {
  call: JournalCall;
  /** The revision the change produced. */
  revision: number;
}

let nextSessionId = 1;

const now = (): number => (typeof performance === 'object' ? performance.now() : Date.now());


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
  private readonly id = nextSessionId++;
  private base: SessionBase;
  private journal: JournalEntry[] = [];
  /** The last acknowledged revision; unknown for a restored snapshot until it is opened. */
  private acknowledged: number | undefined;
  private openIn = -1;
  private sendChain: Promise<void> = Promise.resolve();
  private abortEvaluation: ((error: EvaluatorError) => void) | null = null;
  private compacting = false;
  private disposed = false;
  private timing: CallTiming | null = null;
  private readonly snapshotEvery: number;
  /** The size of the last full state seen: a loaded design's text or a snapshot's bytes. */
  private stateBytes = 0;
  private lastCallAt = 0;
  private compactionTimer: ReturnType<typeof setTimeout> | null = null;

  /** @internal Use `createEvaluator()`, `restoreEvaluator()` or `importEvaluator()`. */
  constructor(private readonly connection: Connection, base: SessionBase, options: SessionOptions = {}) {
    this.base = base;
    this.acknowledged = base.kind === 'create' ? 0 : undefined;
    this.snapshotEvery = Math.max(1, options.snapshotEvery ?? 32);
    connection.acquire();
  }

  /** The revision of the last acknowledged load or batch (0 before any). */
  get revision(): number {
    return this.acknowledged ?? 0;
  }

  /** Timing of the last successful call. */
  get lastCall(): CallTiming | null {
    return this.timing;
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
    return decode<EvaluatedDesign>((await this.call({ op: 'design' })).value, options);
  }

  /**
   * A full evaluation of the current design, without changing it. Latest wins: a newer
   * `evaluate()` or `evaluateDesign()` rejects this one with SUPERSEDED.
   */
  evaluate(options: TextOutput): Promise<string>;
  evaluate(options?: CallOptions): Promise<EvaluationResponse>;
  async evaluate(options: CallOptions = {}): Promise<EvaluationResponse | string> {
    const reply = await this.call({ op: 'evaluate' }, { ...options, latestWins: true });
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
    const reply = await this.call(call, { ...options, latestWins: true });
    return decode<EvaluationResponse>(reply.value, options);
  }

  /** Why a relationship of the current design holds. */
  async explain(relationshipId: string): Promise<Explanation> {
    return JSON.parse((await this.call({ op: 'explain', relationshipId })).value) as Explanation;
  }

  /**
   * The definitions that would relate component `fromId` (from side) to `toId` (to side), by the
   * engine's own selector matching, in registration order: what an editor can offer for a drawn
   * connection. Ask both ways round for both directions.
   */
  async connectableDefinitions(fromId: string, toId: string): Promise<ConnectableDefinition[]> {
    return JSON.parse((await this.call({ op: 'connectableDefinitions', fromId, toId })).value) as ConnectableDefinition[];
  }

  /** The whole state as MessagePack bytes; `restoreEvaluator(bytes)` continues from it. */
  async snapshot(): Promise<Uint8Array> {
    return (await this.call({ op: 'snapshot' })).value;
  }

  /** The whole state as JSON text; `importEvaluator(json)` continues from it. */
  async exportJson(): Promise<string> {
    return (await this.call({ op: 'exportJson' })).value;
  }

  /** The active engine (starting it if needed) and why it was chosen. */
  async engine(): Promise<EngineInfo> {
    return (await this.connection.ensure()).info;
  }

  /** Frees the evaluator; calls made afterwards reject with DISPOSED. Calls already made complete. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.compactionTimer !== null) clearTimeout(this.compactionTimer);
    this.abortEvaluation?.(new EvaluatorError('DISPOSED', 'the evaluator was disposed'));
    // After the calls already queued; never starts an engine just to close.
    const closed = this.sendChain.then(async () => {
      const live = this.connection.current;
      if (!live || live.generation !== this.openIn) return;
      await live.rpc.send(this.id, { op: 'close' }).reply.catch(() => null);
    });
    this.sendChain = closed;
    await closed;
    this.connection.release();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  /** Sends a change (journaled by `acknowledge` once the engine confirms it). */
  private async change(call: JournalCall | Promise<JournalCall>, options: CallOptions): Promise<string> {
    return (await this.call(call, options)).value;
  }

  /**
   * Records a confirmed call. Changes go to the journal only while a worker runs them: an engine
   * in this thread cannot die under us, so there is nothing to recover.
   */
  private acknowledge(call: Call, reply: Reply, recoverable: boolean): void {
    this.acknowledged = reply.revision;
    if (!isJournalCall(call) || !recoverable) return;
    if (call.op === 'loadDesign') this.stateBytes = call.design.length;
    this.journal.push({ call, revision: reply.revision });
    if (this.journal.length < this.snapshotEvery || this.compacting) return;
    if (this.stateBytes < LARGE_STATE_BYTES || this.journal.length >= COMPACTION_FORCED_AFTER * this.snapshotEvery) void this.compact();
    else this.compactWhenIdle();
  }

  /** Compacts once no call has been made for `COMPACTION_IDLE_MS`. */
  private compactWhenIdle(): void {
    if (this.compactionTimer !== null || this.disposed) return;
    const wait = (ms: number): void => {
      this.compactionTimer = setTimeout(() => {
        const quiet = now() - this.lastCallAt;
        if (quiet < COMPACTION_IDLE_MS) return wait(COMPACTION_IDLE_MS - quiet);
        this.compactionTimer = null;
        if (!this.disposed && !this.compacting && this.journal.length >= this.snapshotEvery) void this.compact();
      }, ms);
    };
    wait(COMPACTION_IDLE_MS);
  }

  /** Replaces base + journal by a snapshot of the same state. */
  private async compact(): Promise<void> {
    this.compacting = true;
    try {
      const reply = await this.call({ op: 'snapshot' }, { internal: true });
      this.base = { kind: 'snapshot', snapshot: reply.value };
      this.stateBytes = reply.value.byteLength;
      this.journal = this.journal.filter((entry) => entry.revision > reply.revision);
    } catch {
      // The engine died or the evaluator was disposed: the journal still holds everything.
    } finally {
      this.compacting = false;
    }
  }

  /** Makes sure the engine runs and this session is open in its current generation. */
  private async ready(): Promise<Live> {
    const live = await this.connection.ensure();
    if (this.openIn === live.generation) return live;
    const open: Call = { op: 'open', base: this.base, journal: this.journal.map((entry) => entry.call), revision: this.acknowledged };
    const reply = await live.rpc.send(this.id, open).reply;
    this.acknowledged = reply.revision;
    this.openIn = live.generation;
    return live;
  }

  /**
   * Sends a call after the calls made before it. `latestWins` calls supersede each other;
   * `internal` calls (journal compaction) leave `lastCall` alone.
   */
  private call<Op extends CallOp>(pendingCall: Extract<Call, { op: Op }> | Promise<Extract<Call, { op: Op }>>, options: CallOptions & { latestWins?: boolean; internal?: boolean } = {}): Promise<Reply<Op>> {
    if (this.disposed) return Promise.reject(new EvaluatorError('DISPOSED', 'the evaluator was disposed'));
    const started = now();
    if (!options.internal) this.lastCallAt = started;
    return new Promise<Reply<Op>>((resolve, reject) => {
      let settled = false;
      // The call's place in the order is taken now; its content (a YAML design being parsed) may come later.
      let sent: { live: Live; id: number; call: Call } | null = null;
      const { signal, latestWins } = options;
      const onAbort = (): void => abort(new EvaluatorError('ABORTED', 'the call was aborted', '', { cause: signal?.reason }));
      const finish = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (this.abortEvaluation === abort) this.abortEvaluation = null;
        outcome();
      };
      // An abort that fires while the message is being posted is handled once `sent` is known.
      let posting = false;
      let deferred: EvaluatorError | null = null;
      const abort = (error: EvaluatorError): void => {
        if (posting) {
          deferred = error;
          return;
        }
        const change = sent !== null && isJournalCall(sent.call);
        // A change already answered stands: its reply is on its way to `acknowledge`.
        if (change && sent && !sent.live.rpc.isPending(sent.id)) return;
        finish(() => {
          if (sent) {
            sent.live.rpc.cancel(sent.id, error);
            // The worker may have started the change, and a started change cannot be taken back:
            // replace the worker; its successor reopens every session from base + journal, which
            // do not hold this change. (An engine in this thread runs a call in one go: an abort
            // that gets here found it still queued, and the cancel dropped it.)
            if (change && sent.live.info.kind === 'worker' && this.connection.current === sent.live) {
              this.connection.recycle(new EvaluatorError('WORKER_CRASHED', 'the evaluation worker was replaced to stop an aborted change; this call was not applied'));
            }
          }
          reject(error);
        });
      };
      if (latestWins) {
        this.abortEvaluation?.(new EvaluatorError('SUPERSEDED', 'a newer evaluation replaced this one'));
        this.abortEvaluation = abort;
      }
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sendChain = this.sendChain
        .then(async () => {
          if (settled) return;
          const call = await pendingCall;
          if (settled) return;
          const live = await this.ready();
          if (settled) return;
          posting = true;
          const message = live.rpc.send(this.id, call);
          sent = { live, id: message.id, call };
          posting = false;
          message.reply.then(
            (reply) =>
              finish(() => {
                this.acknowledge(call, reply, live.info.kind === 'worker');
                if (!options.internal) this.timing = { op: call.op, engineMs: reply.elapsedMs, totalMs: now() - started };
                resolve(reply);
              }),
            (error: EvaluatorError) =>
              finish(() => {
                if (error.code === 'POISONED' && live.info.kind === 'worker') this.connection.recycle(error);
                reject(error);
              }),
          );
          if (deferred) abort(deferred);
        })
        .catch((error: unknown) => finish(() => reject(toEvaluatorError(error))));
    });
  }
}
