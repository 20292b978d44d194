/**
 * A session: one evaluator's state in the shared engine, and the order of its calls. Calls are
 * sent in the order they are made; `latestWins` calls supersede each other. Every acknowledged
 * change is kept (a base — constructor arguments or a snapshot — plus a journal of the changes
 * since, compacted into a new base from time to time), so that when a worker dies the session is
 * reopened in its replacement and no acknowledged change is lost.
 */
import type { Connection, Reply } from './connection.js';
import { EvaluatorError, toEvaluatorError } from './errors.js';
import type { EngineInfo } from './ladder.js';
import type { Call, CallOp, JournalCall, SessionBase } from './protocol.js';
import { isJournalCall } from './protocol.js';
import type { SharedEngine } from './shared-engine.js';

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

/** How a call is sent. */
export interface SendOptions {
  /** Rejects the call with ABORTED when the signal fires (see `CallOptions` in evaluator.ts). */
  signal?: AbortSignal;
  /** A newer `latestWins` call rejects this one with SUPERSEDED. */
  latestWins?: boolean;
  /** The session's own call (journal compaction): leaves `lastCall` alone. */
  internal?: boolean;
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

export class Session {
  private readonly id = nextSessionId++;
  private base: SessionBase;
  private journal: JournalEntry[] = [];
  /** The last acknowledged revision; unknown for a restored snapshot until it is opened. */
  private acknowledged: number | undefined;
  /** The connection this session is open in (a new one after a restart must reopen it). */
  private openIn: Connection | null = null;
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

  constructor(private readonly engine: SharedEngine, base: SessionBase, options: SessionOptions = {}) {
    this.base = base;
    this.acknowledged = base.kind === 'create' ? 0 : undefined;
    this.snapshotEvery = Math.max(1, options.snapshotEvery ?? 32);
    engine.acquire();
  }

  /** The revision of the last acknowledged change (0 before any). */
  get revision(): number {
    return this.acknowledged ?? 0;
  }

  /** Timing of the last successful call. */
  get lastCall(): CallTiming | null {
    return this.timing;
  }

  /** The active engine (starting it if needed) and why it was chosen. */
  engineInfo(): Promise<EngineInfo> {
    return this.engine.ensureInfo();
  }

  /** Ends the session; calls made afterwards reject with DISPOSED. Calls already made complete. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.compactionTimer !== null) clearTimeout(this.compactionTimer);
    this.abortEvaluation?.(new EvaluatorError('DISPOSED', 'the evaluator was disposed'));
    // After the calls already queued; never starts an engine just to close.
    const closed = this.sendChain.then(async () => {
      const connection = this.engine.current;
      if (!connection || connection !== this.openIn) return;
      await connection.send(this.id, { op: 'close' }).reply.catch(() => null);
    });
    this.sendChain = closed;
    await closed;
    this.engine.release();
  }

  /**
   * Sends a call after the calls made before it. `latestWins` calls supersede each other;
   * `internal` calls (journal compaction) leave `lastCall` alone.
   */
  call<Op extends CallOp>(pendingCall: Extract<Call, { op: Op }> | Promise<Extract<Call, { op: Op }>>, options: SendOptions = {}): Promise<Reply<Op>> {
    if (this.disposed) return Promise.reject(new EvaluatorError('DISPOSED', 'the evaluator was disposed'));
    const started = now();
    if (!options.internal) this.lastCallAt = started;
    return new Promise<Reply<Op>>((resolve, reject) => {
      let settled = false;
      // The call's place in the order is taken now; its content (a YAML design being parsed) may come later.
      let sent: { connection: Connection; id: number; call: Call } | null = null;
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
        if (change && sent && !sent.connection.isPending(sent.id)) return;
        finish(() => {
          if (sent) {
            sent.connection.cancel(sent.id, error);
            // The worker may have started the change, and a started change cannot be taken back:
            // replace the worker; its successor reopens every session from base + journal, which
            // do not hold this change. (An engine in this thread runs a call in one go: an abort
            // that gets here found it still queued, and the cancel dropped it.)
            if (change && sent.connection.kind === 'worker' && this.engine.current === sent.connection) {
              this.engine.recycle(new EvaluatorError('WORKER_CRASHED', 'the evaluation worker was replaced to stop an aborted change; this call was not applied'));
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
          const connection = await this.ready();
          if (settled) return;
          posting = true;
          const message = connection.send(this.id, call);
          sent = { connection, id: message.id, call };
          posting = false;
          message.reply.then(
            (reply) =>
              finish(() => {
                this.acknowledge(call, reply, connection.kind === 'worker');
                if (!options.internal) this.timing = { op: call.op, engineMs: reply.elapsedMs, totalMs: now() - started };
                resolve(reply);
              }),
            (error: EvaluatorError) =>
              finish(() => {
                if (error.code === 'POISONED' && connection.kind === 'worker') this.engine.recycle(error);
                reject(error);
              }),
          );
          if (deferred) abort(deferred);
        })
        .catch((error: unknown) => finish(() => reject(toEvaluatorError(error))));
    });
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

  /** Makes sure the engine runs and this session is open in its current connection. */
  private async ready(): Promise<Connection> {
    const connection = await this.engine.ensure();
    if (this.openIn === connection) return connection;
    const open: Call = { op: 'open', base: this.base, journal: this.journal.map((entry) => entry.call), revision: this.acknowledged };
    const reply = await connection.send(this.id, open).reply;
    this.acknowledged = reply.revision;
    this.openIn = connection;
    return connection;
  }
}
