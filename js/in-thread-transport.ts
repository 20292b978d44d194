/**
 * The transport to a host in this same thread: no worker, no messages posted; the host answers
 * each request in a later task, as a worker would.
 */
import { Host } from '../worker/host.js';
import type { EngineModule } from './engine-module.js';
import type { EvaluatorError } from './errors.js';
import type { CancelMessage, ErrorMessage, RequestMessage, ResultMessage } from './protocol.js';
import type { EngineKind, Transport } from './transport.js';

/** A host in this same thread (no worker): the main-thread WebAssembly and JavaScript rungs. */
export class InThreadTransport implements Transport {
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
