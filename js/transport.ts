/**
 * A transport carries protocol messages to one host and brings its replies back. It dies at most
 * once (a crashed or terminated worker), and then reports why.
 */
import { Host } from '../worker/host.js';
import type { EngineModule } from './engine-module.js';
import type { EvaluatorError } from './errors.js';
import type { CancelMessage, ErrorMessage, RequestMessage, ResultMessage } from './protocol.js';

/**
 * Where evaluations run, and on which engine: WebAssembly in a worker, WebAssembly in this thread,
 * the JavaScript engine in a worker, the JavaScript engine in this thread.
 */
export type EngineKind = 'worker' | 'main-thread' | 'js-worker' | 'js';

export interface Transport {
  readonly kind: EngineKind;
  /** The crate version of the engine on the other side. */
  readonly engineVersion: string;
  /** Time the engine took to load (ms). */
  readonly loadMs: number;
  send(message: RequestMessage | CancelMessage, transfer?: Transferable[]): void;
  /** Receives every reply. Set by the client. */
  onReply: (message: ResultMessage | ErrorMessage) => void;
  /** Called once if the transport dies on its own. Set by the client. */
  onDeath: (error: EvaluatorError) => void;
  /** Shuts the transport down; no `onDeath` follows. */
  close(): void;
}

/** A host in this same thread (no worker): the main-thread WebAssembly and JavaScript rungs. */
export class LocalTransport implements Transport {
  onReply: (message: ResultMessage | ErrorMessage) => void = () => {};
  onDeath: (error: EvaluatorError) => void = () => {};
  readonly engineVersion: string;
  private host: Host | null;

  constructor(readonly kind: EngineKind, engine: EngineModule, readonly loadMs: number) {
    this.engineVersion = engine.engineVersion();
    this.host = new Host(engine, (message) => this.onReply(message));
  }

  send(message: RequestMessage | CancelMessage): void {
    this.host?.receive(message);
  }

  close(): void {
    this.host?.close();
    this.host = null;
  }
}
