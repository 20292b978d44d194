/**
 * The host side of the protocol: owns the engine's evaluators (one per session) and answers
 * requests one at a time, in order. It runs inside the worker, or on the main thread when there is
 * no worker; the code is the same.
 */
import type { EngineModule, RawEvaluator } from '../js/engine-module.js';
import { EvaluatorError, toEvaluatorError, toWireError } from '../js/errors.js';
import type {
  CancelMessage, Call, ErrorMessage, JournalCall, RequestMessage, ResultMessage, SessionBase,
} from '../js/protocol.js';
import { transferablesOf } from '../js/protocol.js';
import { taskScheduler, type Schedule } from './schedule.js';

/** Sends a reply to the client, moving the listed buffers. */
export type SendReply = (message: ResultMessage | ErrorMessage, transfer: Transferable[]) => void;

/** One session: its evaluator. */
interface Session {
  evaluator: RawEvaluator;
}

const now = (): number => (typeof performance === 'object' ? performance.now() : Date.now());

/**
 * Engines (module instances) that trapped. The Rust side flags a trap inside an exported call
 * (`isPoisoned()`), but not one in the glue around it — running out of memory while copying a
 * call's arguments in traps in `__wbindgen_malloc` — and every host sharing the instance (all
 * main-thread evaluators of a page use one) must stop calling it.
 */
const trappedEngines = new WeakSet<EngineModule>();

/** A WebAssembly trap: a panic, running out of memory, a stack overflow, `unreachable`. */
function isTrap(thrown: unknown): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.RuntimeError === 'function' && thrown instanceof WebAssembly.RuntimeError;
}

const POISONED_EARLIER =
  'the engine stopped mid-call earlier (a panic, running out of memory or a stack overflow) and is not used again; ' +
  'a worker is replaced at the next call, an engine in this thread only by reloading the page (or restarting the process)';

/** Answers requests for any number of sessions, one request per event-loop task. */
export class Host {
  private readonly sessions = new Map<number, Session>();
  private readonly queue: RequestMessage[] = [];
  private scheduled = false;

  constructor(
    private readonly engine: EngineModule,
    private readonly reply: SendReply,
    private readonly schedule: Schedule = taskScheduler(),
  ) {}

  /** Takes a message from the client. Requests queue; a cancel drops a queued request unanswered. */
  receive(message: RequestMessage | CancelMessage): void {
    if (message.type === 'cancel') {
      const index = this.queue.findIndex((request) => request.id === message.id);
      if (index >= 0) this.queue.splice(index, 1);
      return;
    }
    this.queue.push(message);
    this.wake();
  }

  /** Drops every queued request and frees every session (the host is not used afterwards). */
  close(): void {
    this.queue.length = 0;
    if (!this.poisoned()) for (const session of this.sessions.values()) session.evaluator.free();
    this.sessions.clear();
  }

  /** True once the engine stopped mid-call: it is never called again (only `isPoisoned()` is read). */
  private poisoned(): boolean {
    return trappedEngines.has(this.engine) || this.engine.isPoisoned();
  }

  private wake(): void {
    if (this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      const request = this.queue.shift();
      if (request) this.answer(request);
      this.wake();
    });
  }

  private answer(request: RequestMessage): void {
    if (this.poisoned()) {
      this.reply({ type: 'error', id: request.id, error: toWireError(new EvaluatorError('POISONED', POISONED_EARLIER)) }, []);
      return;
    }
    const started = now();
    try {
      const value = this.run(request.session, request.call);
      const revision = this.sessions.get(request.session)?.evaluator.revision ?? 0;
      const message: ResultMessage = { type: 'result', id: request.id, value, revision, elapsedMs: now() - started };
      this.reply(message, transferablesOf(message));
    } catch (thrown) {
      // A trap leaves the instance unusable (memory and objects may be half-updated): say so with
      // the code the client acts on (it replaces a poisoned worker), and never call it again.
      if (isTrap(thrown)) trappedEngines.add(this.engine);
      const error = this.poisoned() ? poisonedBy(thrown) : thrown;
      this.reply({ type: 'error', id: request.id, error: toWireError(error) }, []);
    }
  }

  private session(id: number): Session {
    const session = this.sessions.get(id);
    if (!session) throw new EvaluatorError('INTERNAL', `session ${id} is not open in this engine`);
    return session;
  }

  private run(id: number, call: Call): string | Uint8Array | null {
    switch (call.op) {
      case 'open':
        this.open(id, call.base, call.journal, call.revision);
        return null;
      case 'close':
        this.sessions.get(id)?.evaluator.free();
        this.sessions.delete(id);
        return null;
      case 'loadDesign':
      case 'applyEdits':
      case 'replaceDefinitions':
        return this.change(this.session(id), call);
      case 'design':
        return this.session(id).evaluator.design();
      case 'evaluate':
        return this.session(id).evaluator.evaluate();
      case 'evaluateDesign':
        return this.evaluateDesign(this.session(id), call.design);
      case 'explain':
        return this.session(id).evaluator.explain(call.relationshipId);
      case 'connectableDefinitions':
        return this.session(id).evaluator.connectableDefinitions(call.fromId, call.toId);
      case 'snapshot':
        return this.session(id).evaluator.snapshot();
      case 'exportJson':
        return this.session(id).evaluator.exportJson();
    }
  }

  private change(session: Session, call: JournalCall): string {
    switch (call.op) {
      case 'loadDesign':
        return session.evaluator.loadDesign(call.design);
      case 'applyEdits':
        return session.evaluator.applyEdits(call.edits);
      case 'replaceDefinitions':
        return session.evaluator.replaceDefinitions(call.definitions);
    }
  }

  private build(base: SessionBase): RawEvaluator {
    switch (base.kind) {
      case 'create':
        return new this.engine.Evaluator(base.definitions, base.options);
      case 'snapshot':
        return this.engine.Evaluator.restore(base.snapshot);
      case 'json':
        return this.engine.Evaluator.importJson(base.json);
    }
  }

  /** (Re)builds a session from its base and journal; all or nothing. */
  private open(id: number, base: SessionBase, journal: JournalCall[], revision: number | undefined): void {
    const session: Session = { evaluator: this.build(base) };
    try {
      for (const call of journal) this.change(session, call);
      if (revision !== undefined && session.evaluator.revision !== revision) {
        throw new EvaluatorError(
          'RECOVERY_FAILED',
          `replaying the journal reached revision ${session.evaluator.revision}, expected ${revision}`,
        );
      }
    } catch (error) {
      session.evaluator.free();
      throw error;
    }
    this.sessions.get(id)?.evaluator.free();
    this.sessions.set(id, session);
  }

  /**
   * Evaluates `design` with the session's definitions and options without touching its state.
   * The design text goes to the engine as it is: never spliced into other JSON, so text that is
   * not one JSON value is refused, not read as more snapshot fields (issue 15 #12).
   */
  private evaluateDesign(session: Session, design: string): string {
    return session.evaluator.evaluateDesign(design);
  }
}

/** The POISONED error of the call during which the engine stopped. */
function poisonedBy(thrown: unknown): EvaluatorError {
  const error = toEvaluatorError(thrown);
  if (error.code === 'POISONED') return error;
  const name = typeof thrown === 'object' && thrown !== null && typeof (thrown as Error).name === 'string' ? (thrown as Error).name : 'Error';
  return new EvaluatorError(
    'POISONED',
    `the engine stopped mid-call (${name}: ${error.message}): a panic, running out of memory or a stack overflow leaves a WebAssembly instance unusable, so it is not used again`,
  );
}
