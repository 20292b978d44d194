/**
 * A connection: request/response over one transport (ids, pending calls, cancellation), to one
 * started engine. When the transport dies, every pending call is rejected with the reason; none is
 * left waiting, and the connection is not used again (the shared engine starts a new one).
 */
import { type EvaluatorError, fromWireError } from './errors.js';
import type { Call, CallOp, ErrorMessage, ReplyValue, ResultMessage } from './protocol.js';
import type { EngineKind, Transport } from './transport.js';

/** A successful reply. */
export interface Reply<Op extends CallOp = CallOp> {
  value: ReplyValue<Op>;
  /** The session's revision after the call. */
  revision: number;
  /** Time spent in the engine (ms). */
  elapsedMs: number;
}

interface Pending {
  resolve(reply: Reply): void;
  reject(error: EvaluatorError): void;
}

/** A call in flight. */
export interface Sent<Op extends CallOp> {
  id: number;
  reply: Promise<Reply<Op>>;
}

export class Connection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private death: EvaluatorError | null = null;

  constructor(private readonly transport: Transport, onDeath: (error: EvaluatorError) => void) {
    transport.onReply = (message) => this.settle(message);
    transport.onDeath = (error) => {
      this.fail(error);
      onDeath(error);
    };
  }

  /** Where the engine runs (the transport's kind). */
  get kind(): EngineKind {
    return this.transport.kind;
  }

  /** Sends a call; the reply promise settles exactly once. */
  send<Op extends CallOp>(session: number, call: Extract<Call, { op: Op }>, transfer: Transferable[] = []): Sent<Op> {
    const id = this.nextId++;
    const reply = new Promise<Reply<Op>>((resolve, reject) => {
      if (this.death) {
        reject(this.death);
        return;
      }
      this.pending.set(id, { resolve: resolve as (reply: Reply) => void, reject });
    });
    if (!this.death) this.transport.send({ type: 'request', id, session, call }, transfer);
    return { id, reply };
  }

  /** True while the call `id` has had no reply. */
  isPending(id: number): boolean {
    return this.pending.has(id);
  }

  /** Stops waiting for a call: rejects it with `error` and tells the host to drop it if queued. */
  cancel(id: number, error: EvaluatorError): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    pending.reject(error);
    this.transport.send({ type: 'cancel', id });
  }

  /** Rejects every pending call; later calls fail at once with the same error. */
  fail(error: EvaluatorError): void {
    this.death ??= error;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const call of pending) call.reject(error);
  }

  /** Fails everything with `error` and closes the transport. */
  close(error: EvaluatorError): void {
    this.fail(error);
    this.transport.close();
  }

  private settle(message: ResultMessage | ErrorMessage): void {
    const pending = this.pending.get(message.id);
    if (!pending) return; // cancelled, or already failed
    this.pending.delete(message.id);
    if (message.type === 'result') {
      pending.resolve({ value: message.value as ReplyValue<CallOp>, revision: message.revision, elapsedMs: message.elapsedMs });
    } else {
      pending.reject(fromWireError(message.error));
    }
  }
}
