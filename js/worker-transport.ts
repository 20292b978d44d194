/**
 * The client end of an evaluation worker: the ready handshake (with a timeout), and death
 * detection, so that no call waits forever on a worker that is gone. A worker reports uncaught
 * errors through `error` events, but `terminate()` and `close()` are silent; for those the worker
 * holds a Web Lock for its whole life, and the client's request for the same lock is granted
 * the moment the worker stops.
 */
import { EvaluatorError, fromWireError } from './errors.js';
import type {
  CancelMessage, ErrorMessage, HostMessage, InitMessage, RequestMessage, ResultMessage, WasmSource,
} from './protocol.js';
import type { Transport } from './transport.js';

/** The part of the `Worker` interface the client uses (a real `Worker` fits). */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  // biome-ignore lint/suspicious/noExplicitAny: a real Worker's overloaded listener types must fit.
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: any) => void): void;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  removeEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: any) => void): void;
  terminate(): void;
}

/** Options of the handshake. */
export interface WorkerStartOptions {
  /** Milliseconds to wait for `ready` (default 15000). */
  readyTimeoutMs?: number;
  /** Which engine the worker loads (default `wasm`). */
  engine?: 'wasm' | 'js';
  /** Where the JavaScript engine is, for `engine: 'js'` (default: next to the worker's script). */
  jsEngineUrl?: string;
}

interface LockManagerLike {
  request(name: string, options: { signal?: AbortSignal }, callback: () => unknown): Promise<unknown>;
}

function lockManager(): LockManagerLike | undefined {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  return locks && typeof locks.request === 'function' ? locks : undefined;
}

let lockCounter = 0;

/** A module worker whose script did not load raises an error event with no message at all. */
const SILENT_START_HINT =
  "a worker that fails without a message usually could not load its script (HTTP 404, or HTML served for it): a dev server's dependency pre-bundling moved the package away from its files (Vite: optimizeDeps: { exclude: ['@meshery/relationship-evaluator'] }), or a CSP worker-src forbids it";

function describe(event: unknown): string {
  const record = (event ?? {}) as { message?: unknown; error?: unknown; type?: unknown };
  if (typeof record.message === 'string' && record.message) return record.message;
  if (record.error) return String(record.error);
  return `the worker raised ${typeof record.type === 'string' ? `an ${record.type} event` : 'an error'}`;
}

class WorkerTransport implements Transport {
  onReply: (message: ResultMessage | ErrorMessage) => void = () => {};
  onDeath: (error: EvaluatorError) => void = () => {};
  private alive = true;
  private readonly lockAbort = typeof AbortController === 'function' ? new AbortController() : undefined;

  constructor(
    readonly kind: 'worker' | 'js-worker',
    private readonly worker: WorkerLike,
    readonly engineVersion: string,
    readonly loadMs: number,
    lockName: string | undefined,
  ) {
    worker.addEventListener('message', this.onMessage);
    worker.addEventListener('error', this.onError);
    worker.addEventListener('messageerror', this.onError);
    const locks = lockManager();
    if (lockName && locks && this.lockAbort) {
      locks
        .request(lockName, { signal: this.lockAbort.signal }, () => this.die('the worker stopped (terminated, closed or out of memory)'))
        .catch(() => {}); // aborted by close()
    }
  }

  private readonly onMessage = (event: { data: HostMessage }): void => {
    const message = event.data;
    if (message.type === 'result' || message.type === 'error') this.onReply(message);
  };

  private readonly onError = (event: unknown): void => {
    (event as { preventDefault?: () => void }).preventDefault?.();
    this.die(describe(event));
  };

  private die(reason: string): void {
    if (!this.alive) return;
    this.shutDown();
    this.onDeath(new EvaluatorError('WORKER_CRASHED', `the evaluation worker died: ${reason}`));
  }

  private shutDown(): void {
    this.alive = false;
    this.lockAbort?.abort();
    this.worker.removeEventListener('message', this.onMessage);
    this.worker.removeEventListener('error', this.onError);
    this.worker.removeEventListener('messageerror', this.onError);
    this.worker.terminate();
  }

  send(message: RequestMessage | CancelMessage, transfer: Transferable[] = []): void {
    if (this.alive) this.worker.postMessage(message, transfer);
  }

  close(): void {
    if (this.alive) this.shutDown();
  }
}

/**
 * Starts a worker made by `create` and waits for it to load the engine. Rejects with
 * WORKER_TIMEOUT, WORKER_CRASHED, or the worker's own load error (e.g. WASM_UNAVAILABLE);
 * the worker is terminated in every failure case. A worker that dies during the handshake is
 * seen at once, not at the timeout: by its `error`/`messageerror` event (a script that fails to
 * load or throws), or, when it dies silently, by its life lock (issue 15 #11).
 */
export function startWorker(create: () => WorkerLike, source: WasmSource, options: WorkerStartOptions = {}): Promise<Transport> {
  const timeoutMs = options.readyTimeoutMs ?? 15000;
  return new Promise<Transport>((resolve, reject) => {
    let worker: WorkerLike;
    try {
      worker = create();
    } catch (cause) {
      reject(new EvaluatorError('WORKER_CRASHED', `could not create the evaluation worker: ${String(cause)}`, '', { cause }));
      return;
    }
    const locks = lockManager();
    const lockName = locks ? `meshery-relationship-evaluator/worker/${Date.now()}-${++lockCounter}-${Math.random()}` : undefined;
    // Watches the worker's life lock during the handshake (after `locked`): granted means the
    // worker stopped without an error event, which would otherwise be seen only at the timeout.
    const handshakeLock = typeof AbortController === 'function' ? new AbortController() : undefined;
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      handshakeLock?.abort();
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
      worker.removeEventListener('messageerror', onError);
      outcome();
    };
    const fail = (error: EvaluatorError): void =>
      finish(() => {
        worker.terminate();
        reject(error);
      });
    const onMessage = (event: { data: HostMessage }): void => {
      const message = event.data;
      if (message.type === 'ready') {
        finish(() => resolve(new WorkerTransport(options.engine === 'js' ? 'js-worker' : 'worker', worker, message.engineVersion, message.loadMs, lockName)));
      } else if (message.type === 'locked' && locks && lockName && handshakeLock) {
        locks
          .request(lockName, { signal: handshakeLock.signal }, () =>
            fail(new EvaluatorError('WORKER_CRASHED', 'the evaluation worker stopped while it was starting (terminated, closed or out of memory)', '', { details: { transient: true } })),
          )
          .catch(() => {}); // aborted when the handshake ends
      } else if (message.type === 'failed') {
        fail(fromWireError(message.error));
      }
    };
    const onError = (event: unknown): void => {
      (event as { preventDefault?: () => void }).preventDefault?.();
      const silent = !(event as { message?: unknown }).message && !(event as { error?: unknown }).error;
      fail(new EvaluatorError(
        'WORKER_CRASHED',
        `the evaluation worker failed to start: ${describe(event)}${silent ? `. Hint: ${SILENT_START_HINT}` : ''}`,
        '',
        silent ? { details: { hint: SILENT_START_HINT } } : undefined,
      ));
    };
    const timer = setTimeout(
      () => fail(new EvaluatorError('WORKER_TIMEOUT', `the evaluation worker did not become ready within ${timeoutMs} ms`)),
      timeoutMs,
    );
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
    worker.addEventListener('messageerror', onError);
    const init: InitMessage = { type: 'init', source, lockName };
    if (options.engine === 'js') Object.assign(init, { engine: 'js', ...(options.jsEngineUrl ? { jsEngineUrl: options.jsEngineUrl } : {}) });
    try {
      worker.postMessage(init);
    } catch (cause) {
      fail(new EvaluatorError('WORKER_CRASHED', `could not send the engine to the worker: ${String(cause)}`, '', { cause }));
    }
  });
}
