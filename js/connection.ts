/**
 * One engine shared by any number of evaluators (sessions): started on first use by walking the
 * fallback ladder, restarted after a worker dies, and closed when the last evaluator lets go.
 * Each start is a new generation; sessions reopen themselves in a new generation from their
 * snapshot and journal.
 */
import { EvaluatorError, toEvaluatorError } from './errors.js';
import { fallsThrough, planLadder, reasonFor, rungRank, type EngineInfo, type LadderOptions, type Rung, type SkippedRung } from './ladder.js';
import type { Platform } from './platform.js';
import type { WasmSource } from './protocol.js';
import { RpcClient } from './rpc.js';
import type { EngineKind } from './transport.js';

/** A started engine. */
export interface Live {
  rpc: RpcClient;
  generation: number;
  info: EngineInfo;
}

export interface ConnectionOptions extends LadderOptions {
  /** Milliseconds an unused engine stays up after its last evaluator is disposed (default 0). */
  idleMs?: number;
}

export class Connection {
  private live: Live | null = null;
  private starting: Promise<Live> | null = null;
  private generation = 0;
  private restarts = 0;
  private refs = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private plan: { rungs: Rung[]; skipped: SkippedRung[] } | null = null;
  private rungIndex = 0;

  constructor(
    private readonly platform: Platform,
    private readonly options: ConnectionOptions,
    private readonly source: () => WasmSource,
    /** Called when the connection closes itself after its last release. */
    private readonly onClose: (connection: Connection) => void = () => {},
  ) {}

  /** The active engine, or `null` before the first start. */
  get info(): EngineInfo | null {
    return this.live?.info ?? null;
  }

  /** The running engine, if any (never starts one). */
  get current(): Live | null {
    return this.live;
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

  /** The started engine; starts (or restarts) it when needed. */
  ensure(): Promise<Live> {
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
    live.rpc.close(error);
  }

  /** Closes the engine for good; pending calls reject with DISPOSED. */
  close(): void {
    this.closed = true;
    clearTimeout(this.idleTimer);
    this.live?.rpc.close(new EvaluatorError('DISPOSED', 'the engine was closed'));
    this.live = null;
  }

  private async start(): Promise<Live> {
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
        const generation = ++this.generation;
        const rpc = new RpcClient(transport, () => {
          if (this.live?.generation === generation) {
            this.live = null;
            this.restarts++;
          }
        });
        this.live = { rpc, generation, info };
        return this.live;
      } catch (thrown) {
        const error = toEvaluatorError(thrown);
        if (error.code === 'DISPOSED') throw error;
        lastError = error;
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
