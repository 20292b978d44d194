/**
 * A transport carries protocol messages to one host and brings its replies back. It dies at most
 * once (a crashed or terminated worker), and then reports why. Two kinds: `WorkerTransport`
 * (`worker-transport.ts`, the host in a worker) and `InThreadTransport` (`in-thread-transport.ts`,
 * the host in this thread).
 */
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
