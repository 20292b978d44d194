/**
 * A Node worker thread behind the browser `Worker` interface the client uses. A thread that exits
 * without being asked to (killed, crashed) raises an `error` event, which is how the client learns
 * that a worker died; `terminate()` by the client itself stays silent, as in browsers.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerLike } from '../../../js/worker-transport.js';

type Listener = (event: any) => void;
type EventType = 'message' | 'error' | 'messageerror';

import { here } from './fixtures.js';

const BUILD_DIR = here('../../../target/js-test/');

/** Every request message a worker was sent, for assertions. */
export interface SentRequest {
  id: number;
  op: string;
}

export class NodeWorker implements WorkerLike {
  readonly thread: Worker;
  readonly sent: SentRequest[] = [];
  /** The ids of every reply (result or error) the worker sent back. */
  readonly replied: number[] = [];
  private readonly listeners = new Map<EventType, Set<Listener>>();
  private ended = false;
  /** Called with each request after it was posted (tests kill the worker from here). */
  onRequest: ((request: SentRequest) => void) | null = null;

  constructor(script: 'worker-thread' | 'broken-worker-thread' = 'worker-thread') {
    this.thread = new Worker(`${BUILD_DIR}${script}.mjs`);
    this.thread.on('message', (data) => {
      if (typeof data?.id === 'number') this.replied.push(data.id);
      this.emit('message', { data });
    });
    this.thread.on('messageerror', (error) => this.emit('messageerror', { message: String(error) }));
    this.thread.on('error', (error) => this.emit('error', { message: error.message, error }));
    this.thread.on('exit', (code) => {
      if (!this.ended) this.emit('error', { message: `the worker thread exited with code ${code}` });
      this.ended = true;
    });
  }

  postMessage(message: unknown, transfer?: Transferable[]): void {
    if (this.ended) return;
    this.thread.postMessage(message, transfer as ArrayBuffer[]);
    const request = message as { type?: string; id?: number; call?: { op?: string } };
    if (request.type === 'request') {
      const sent = { id: request.id!, op: request.call!.op! };
      this.sent.push(sent);
      this.onRequest?.(sent);
    }
  }

  addEventListener(type: EventType, listener: Listener): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }

  removeEventListener(type: EventType, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }

  /** The owner's terminate: silent. */
  terminate(): void {
    this.ended = true;
    void this.thread.terminate();
  }

  /** Kills the thread from outside, as a crash would: listeners get an `error` event. */
  kill(): void {
    if (this.ended) return;
    void this.thread.terminate();
    this.ended = true;
    this.emit('error', { message: 'the worker thread was killed' });
  }

  private emit(type: EventType, event: unknown): void {
    if (type !== 'error' && this.ended) return;
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener(event);
  }
}

/** A factory that records every worker it made. */
export function workerFactory(script: 'worker-thread' | 'broken-worker-thread' = 'worker-thread'): (() => NodeWorker) & { made: NodeWorker[] } {
  const made: NodeWorker[] = [];
  const factory = Object.assign(() => {
    const worker = new NodeWorker(script);
    made.push(worker);
    return worker;
  }, { made });
  return factory;
}
