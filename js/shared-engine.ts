/**
 * The shared engine: one engine shared by any number of sessions, started on first use by walking
 * the fallback ladder, restarted after a worker dies, and closed when the last session lets go.
 * Each start gives a new connection; sessions reopen themselves in a new connection from their
 * base and journal.
 */
import { EvaluatorError, toEvaluatorError } from './errors.js';
import { fallsThrough, planLadder, reasonFor, rungRank, type EngineInfo, type LadderOptions, type Rung, type SkippedRung } from './ladder.js';
import type { Platform } from './platform.js';
import type { WasmSource } from './protocol.js';
import { Connection } from './connection.js';
import type { EngineKind } from './transport.js';

/** A started engine: its connection, and what it is. */
interface Started {
  connection: Connection;
  info: EngineInfo;
}

export interface SharedEngineOptions extends LadderOptions {
  /** Milliseconds an unused engine stays up after its last evaluator is disposed (default 0). */
  idleMs?: number;
}

export class SharedEngine {
  private live: Started | null = null;
  private starting: Promise<Started> | null = null;
  private restarts = 0;
  private refs = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private plan: { rungs: Rung[]; skipped: SkippedRung[] } | null = null;
  private rungIndex = 0;
  /** The rungs already started a second time after a transient failure. */
  private readonly retried = new Set<number>();

  constructor(
    private readonly platform: Platform,
    private readonly options: SharedEngineOptions,
    private readonly source: () => WasmSource,
    /** Called when the engine closes itself after its last release. */
    private readonly onClose: (engine: SharedEngine) => void = () => {},
  ) {}

  /** The active engine, or `null` before the first start. */
  get info(): EngineInfo | null {
    return this.live?.info ?? null;
  }

  /** The running engine's connection, if any (never starts one). */
  get current(): Connection | null {
    return this.live?.connection ?? null;
  }

  /** True while the engine is starting or running. */
  get loading(): boolean {
    return this.live !== null || this.starting !== null;
  }

  acquire(): void {
    this.refs++;
    clearTimeout(this.idleTimer);
  }

  /** Drops a reference; the last one closes the engine after `idleMs` (StrictMode remounts in between keep it). */
  release(): void {
    if (this.refs === 0) return;
    this.refs--;
    if (this.refs > 0) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.refs === 0) {
        this.close();
        this.onClose(this);
      }
    }, this.options.idleMs ?? 0);
  }

  /** The started engine's connection; starts (or restarts) the engine when needed. */
  ensure(): Promise<Connection> {
    if (!this.closed && this.live) return Promise.resolve(this.live.connection);
    return this.started().then((started) => started.connection);
  }

  /** The started engine's info; starts (or restarts) the engine when needed. */
  ensureInfo(): Promise<EngineInfo> {
    if (!this.closed && this.live) return Promise.resolve(this.live.info);
    return this.started().then((started) => started.info);
  }

  private started(): Promise<Started> {
    if (this.closed) return Promise.reject(new EvaluatorError('DISPOSED', 'the engine was closed'));
    if (this.live) return Promise.resolve(this.live);
    this.starting ??= this.start().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  /** Replaces the engine at the next call (a poisoned worker); pending calls reject with `error`. */
  recycle(error: EvaluatorError): void {
    const live = this.live;
    if (!live) return;
    this.live = null;
    this.restarts++;
    live.connection.close(error);
  }

  /** Closes the engine for good; pending calls reject with DISPOSED. */
  close(): void {
    this.closed = true;
    clearTimeout(this.idleTimer);
    this.live?.connection.close(new EvaluatorError('DISPOSED', 'the engine was closed'));
    this.live = null;
  }

  private async start(): Promise<Started> {
    this.plan ??= planLadder(this.platform, this.options, this.source());
    const { rungs } = this.plan;
    const preference = this.options.engine ?? 'auto';
    let lastError: EvaluatorError | undefined;
    while (this.rungIndex < rungs.length) {
      const rung = rungs[this.rungIndex]!;
      try {
        const transport = await rung.start(this.source());
        if (this.closed) {
          transport.close();
          throw new EvaluatorError('DISPOSED', 'the engine was closed while it was starting');
        }
        const skipped = skippedAbove(this.plan.skipped, rung.kind);
        const info: EngineInfo = {
          kind: rung.kind,
          code: rung.kind === 'js' || rung.kind === 'js-worker' ? 'js' : 'wasm',
          reason: reasonFor(rung.kind, preference, skipped),
          skipped,
          version: transport.engineVersion,
          loadMs: transport.loadMs,
          restarts: this.restarts,
        };
        const connection: Connection = new Connection(transport, () => {
          if (this.live?.connection === connection) {
            this.live = null;
            this.restarts++;
          }
        });
        this.live = { connection, info };
        return this.live;
      } catch (thrown) {
        const error = toEvaluatorError(thrown);
        if (error.code === 'DISPOSED') throw error;
        lastError = error;
        // A worker that stopped silently while starting (a tab under memory pressure) may start
        // the second time; leaving it for good would keep the engine on a slower rung for the
        // rest of the page. Once per rung: a failure that repeats is not transient.
        if (error.details?.transient && !this.retried.has(this.rungIndex)) {
          this.retried.add(this.rungIndex);
          continue;
        }
        const last = this.rungIndex === rungs.length - 1;
        if (preference !== 'auto' || last || !fallsThrough(rung.kind, error)) throw withSkipped(error, skippedAbove(this.plan.skipped, rung.kind));
        this.plan.skipped.push({ kind: rung.kind, reason: `${error.code}: ${error.message}` });
        this.rungIndex++;
      }
    }
    throw new EvaluatorError(
      'ENGINE_UNAVAILABLE',
      `no engine can run here: ${this.plan.skipped.map((rung) => `${rung.kind}: ${rung.reason}`).join('; ')}`,
      '',
      { cause: lastError },
    );
  }
}

/** The error of the rung that failed, saying also why the rungs above it were skipped. */
function withSkipped(error: EvaluatorError, skipped: readonly SkippedRung[]): EvaluatorError {
  if (skipped.length === 0 || error.details?.skipped) return error;
  const annotated = new EvaluatorError(
    error.code,
    `${error.message} (skipped before it: ${skipped.map((rung) => `${rung.kind}: ${rung.reason}`).join('; ')})`,
    error.path,
    { cause: error.cause, details: { ...error.details, skipped: skipped.map((rung) => ({ ...rung })) } },
  );
  return annotated;
}

/** The skipped rungs above `kind`: those below it were ruled out too, but never needed. */
function skippedAbove(skipped: SkippedRung[], kind: EngineKind): SkippedRung[] {
  return skipped.filter((other) => rungRank(other.kind) < rungRank(kind));
}
