/**
 * The worker protocol: request ids, replies in order, errors as Error objects with code and path,
 * transfer lists for bytes, cancellation, the ready handshake, and rejection of every pending call
 * when the transport dies.
 */
import { MessageChannel as NodeMessageChannel } from 'node:worker_threads';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as wasm from '../../../pkg/web/relationship_evaluator.js';
import { EvaluatorError, fromWireError, toWireError } from '../../../js/errors.js';
import type { EngineModule } from '../../../js/engine-module.js';
import type { Call, CancelMessage, ErrorMessage, HostMessage, RequestMessage, ResultMessage } from '../../../js/protocol.js';
import { Connection as RpcClient } from '../../../js/connection.js';
import type { Transport } from '../../../js/transport.js';
import { startWorker, type WorkerLike } from '../../../js/worker-transport.js';
import { Host } from '../../../worker/host.js';
import { kubernetesDefinitions, shopDesign, wasmBytes } from '../helpers/fixtures.js';
import { NodeWorker } from '../helpers/node-worker.js';

const definitions = JSON.stringify(kubernetesDefinitions());
let engine: EngineModule;

beforeAll(async () => {
  await wasm.default({ module_or_path: wasmBytes });
  engine = wasm;
});

/** A host whose replies are recorded; `drain()` runs every queued task. */
function recordingHost() {
  const replies: { message: ResultMessage | ErrorMessage; transfer: Transferable[] }[] = [];
  const tasks: (() => void)[] = [];
  const host = new Host(engine, (message, transfer) => replies.push({ message, transfer }), (task) => tasks.push(task));
  const drain = () => {
    while (tasks.length > 0) tasks.shift()!();
  };
  let nextId = 1;
  const request = (session: number, call: RequestMessage['call']): number => {
    const id = nextId++;
    host.receive({ type: 'request', id, session, call });
    return id;
  };
  return { host, replies, drain, request };
}

const open: Extract<Call, { op: 'open' }> = { op: 'open', base: { kind: 'create', definitions, options: '' }, journal: [] };

describe('host', () => {
  it('answers each request once, in order, with its id and the revision after it', () => {
    const { replies, drain, request } = recordingHost();
    const ids = [request(1, open), request(1, { op: 'loadDesign', design: JSON.stringify(shopDesign()) }), request(1, { op: 'design' })];
    drain();
    expect(replies.map((r) => r.message.id)).toEqual(ids);
    expect(replies.map((r) => r.message.type)).toEqual(['result', 'result', 'result']);
    expect(replies.map((r) => (r.message as ResultMessage).revision)).toEqual([0, 1, 1]);
    const delta = JSON.parse((replies[1]!.message as ResultMessage).value as string);
    expect(delta.relationshipsAdded.map((r: { subType: string }) => r.subType)).toContain('inventory');
  });

  it('answers one request per task, so that cancels sent meanwhile are seen first', () => {
    const replies: { message: ResultMessage | ErrorMessage }[] = [];
    const tasks: (() => void)[] = [];
    const stepping = new Host(engine, (message) => replies.push({ message }), (task) => tasks.push(task));
    stepping.receive({ type: 'request', id: 1, session: 1, call: open });
    stepping.receive({ type: 'request', id: 2, session: 1, call: { op: 'evaluate' } });
    expect(tasks).toHaveLength(1);
    tasks.shift()!();
    expect(replies.map((r) => r.message.id)).toEqual([1]);
    expect(tasks).toHaveLength(1); // request 2 waits for the next task
    stepping.receive({ type: 'cancel', id: 2 });
    tasks.shift()!();
    expect(replies.map((r) => r.message.id)).toEqual([1]);
    expect(tasks).toHaveLength(0); // nothing left to answer
  });

  it('drops a cancelled request without answering it', () => {
    const { host, replies, drain, request } = recordingHost();
    request(1, open);
    const superseded = request(1, { op: 'evaluate' });
    const latest = request(1, { op: 'evaluate' });
    host.receive({ type: 'cancel', id: superseded } satisfies CancelMessage);
    drain();
    expect(replies.map((r) => r.message.id)).toEqual([1, latest]);
  });

  it('reports errors with the Rust code and the path of the bad field, and keeps the state', () => {
    const { replies, drain, request } = recordingHost();
    request(1, open);
    request(1, { op: 'loadDesign', design: JSON.stringify(shopDesign()) });
    request(1, { op: 'applyEdits', edits: JSON.stringify([{ op: 'renameComponent', id: 'ns', displayName: 'x' }, { op: 'removeComponent', id: 'missing' }]) });
    request(1, { op: 'design' });
    drain();
    const failure = replies[2]!.message as ErrorMessage;
    expect(failure.type).toBe('error');
    expect(failure.error).toMatchObject({ name: 'EvaluatorError', code: 'UNKNOWN_ID', path: '/1/id' });
    const design = JSON.parse((replies[3]!.message as ResultMessage).value as string);
    expect(design.components.find((c: { id: string }) => c.id === 'ns').displayName).toBe('shop');
    expect((replies[3]!.message as ResultMessage).revision).toBe(1);
  });

  it('moves snapshot bytes with a transfer list instead of copying them', () => {
    const { replies, drain, request } = recordingHost();
    request(1, open);
    request(1, { op: 'snapshot' });
    drain();
    const { message, transfer } = replies[1]!;
    const bytes = (message as ResultMessage).value as Uint8Array;
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(transfer).toEqual([bytes.buffer]);
    expect(replies[0]!.transfer).toEqual([]);
  });

  it('reopens a session from a snapshot plus journal, and refuses a journal that does not reach the expected revision', () => {
    const { replies, drain, request } = recordingHost();
    request(1, open);
    request(1, { op: 'loadDesign', design: JSON.stringify(shopDesign()) });
    request(1, { op: 'snapshot' });
    drain();
    const snapshot = (replies[2]!.message as ResultMessage).value as Uint8Array;
    const journal = [{ op: 'applyEdits', edits: JSON.stringify([{ op: 'renameComponent', id: 'web-0', displayName: 'renamed' }]) }] as const;
    request(2, { op: 'open', base: { kind: 'snapshot', snapshot }, journal: [...journal], revision: 2 });
    request(2, { op: 'design' });
    request(3, { op: 'open', base: { kind: 'snapshot', snapshot }, journal: [...journal], revision: 5 });
    request(3, { op: 'design' });
    drain();
    expect(replies[3]!.message).toMatchObject({ type: 'result', revision: 2 });
    const reopened = JSON.parse((replies[4]!.message as ResultMessage).value as string);
    expect(reopened.components.find((c: { id: string }) => c.id === 'web-0').displayName).toBe('renamed');
    expect((replies[5]!.message as ErrorMessage).error.code).toBe('RECOVERY_FAILED');
    expect((replies[6]!.message as ErrorMessage).error.code).toBe('INTERNAL');
  });

  it('evaluates a given design without changing the session, with paths relative to that design', () => {
    const { replies, drain, request } = recordingHost();
    request(1, open);
    request(1, { op: 'evaluateDesign', design: JSON.stringify(shopDesign(2)) });
    request(1, { op: 'design' });
    request(1, { op: 'evaluateDesign', design: JSON.stringify({ id: 'd', components: [{ id: 7 }] }) });
    drain();
    const response = JSON.parse((replies[1]!.message as ResultMessage).value as string);
    expect(response.schemaVersion).toBe('evaluation.meshery.io/v1beta1');
    expect(response.design.relationships.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse((replies[2]!.message as ResultMessage).value as string).components ?? []).toEqual([]);
    expect((replies[3]!.message as ErrorMessage).error).toMatchObject({ code: 'INVALID_TYPE', path: '/components/0/id' });
  });
});

describe('errors on the wire', () => {
  it('survive structured cloning and come back as Error objects with code and path', async () => {
    const { port1, port2 } = new NodeMessageChannel();
    const received = new Promise<unknown>((resolve) => port2.once('message', resolve));
    port1.postMessage(toWireError(new EvaluatorError('DUPLICATE_ID', 'component id a already exists', '/0/component/id')));
    const rebuilt = fromWireError((await received) as ReturnType<typeof toWireError>);
    port1.close();
    expect(rebuilt).toBeInstanceOf(Error);
    expect(rebuilt).toBeInstanceOf(EvaluatorError);
    expect(rebuilt).toMatchObject({ name: 'EvaluatorError', code: 'DUPLICATE_ID', path: '/0/component/id', message: 'component id a already exists' });
  });

  it('keep the code and path of errors thrown by the wasm', () => {
    let thrown: unknown;
    try {
      new engine.Evaluator('[{"kind": 7}]');
    } catch (error) {
      thrown = error;
    }
    expect(toWireError(thrown)).toEqual({ name: 'EvaluatorError', code: 'INVALID_TYPE', path: '/0/kind', message: expect.any(String) });
  });
});

/** A transport whose host never answers, so calls stay pending until the test says otherwise. */
class SilentTransport implements Transport {
  readonly kind = 'worker' as const;
  readonly engineVersion = 'test';
  readonly loadMs = 0;
  readonly sent: (RequestMessage | CancelMessage)[] = [];
  onReply: (message: ResultMessage | ErrorMessage) => void = () => {};
  onDeath: (error: EvaluatorError) => void = () => {};
  closed = false;
  send(message: RequestMessage | CancelMessage): void {
    this.sent.push(message);
  }
  close(): void {
    this.closed = true;
  }
}

describe('rpc client', () => {
  it('rejects every pending call when the transport dies, and fails later calls at once', async () => {
    const transport = new SilentTransport();
    const deaths: EvaluatorError[] = [];
    const rpc = new RpcClient(transport, (error) => deaths.push(error));
    const calls = [rpc.send(1, { op: 'evaluate' }), rpc.send(1, { op: 'design' }), rpc.send(2, { op: 'snapshot' })];
    expect(calls.every((call) => rpc.isPending(call.id))).toBe(true);
    const crash = new EvaluatorError('WORKER_CRASHED', 'gone');
    transport.onDeath(crash);
    for (const call of calls) await expect(call.reply).rejects.toBe(crash);
    expect(deaths).toEqual([crash]);
    expect(calls.some((call) => rpc.isPending(call.id))).toBe(false);
    await expect(rpc.send(1, { op: 'design' }).reply).rejects.toBe(crash);
    expect(transport.sent).toHaveLength(3);
  });

  it('cancels a call: rejects it now and tells the host to drop it; a late reply is ignored', async () => {
    const transport = new SilentTransport();
    const rpc = new RpcClient(transport, () => {});
    const call = rpc.send(1, { op: 'evaluate' });
    rpc.cancel(call.id, new EvaluatorError('SUPERSEDED', 'newer'));
    await expect(call.reply).rejects.toMatchObject({ code: 'SUPERSEDED' });
    expect(transport.sent.at(-1)).toEqual({ type: 'cancel', id: call.id });
    transport.onReply({ type: 'result', id: call.id, value: '{}', revision: 0, elapsedMs: 0 });
    expect(rpc.isPending(call.id)).toBe(false);
  });

  it('rebuilds error replies as EvaluatorError objects', async () => {
    const transport = new SilentTransport();
    const rpc = new RpcClient(transport, () => {});
    const call = rpc.send(1, { op: 'explain', relationshipId: 'x' });
    transport.onReply({ type: 'error', id: call.id, error: { name: 'EvaluatorError', code: 'UNKNOWN_ID', message: 'no relationship has id x', path: '' } });
    const error = await call.reply.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvaluatorError);
    expect(error).toMatchObject({ code: 'UNKNOWN_ID', message: 'no relationship has id x' });
  });
});

/** A fake worker: records messages, answers as told, never starts a thread. */
class FakeWorker implements WorkerLike {
  terminated = false;
  readonly posted: unknown[] = [];
  private readonly listeners = new Map<string, Set<(event: any) => void>>();
  constructor(private readonly onPost: (worker: FakeWorker, message: any) => void = () => {}) {}
  postMessage(message: unknown): void {
    this.posted.push(message);
    this.onPost(this, message);
  }
  addEventListener(type: string, listener: (event: any) => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: (event: any) => void): void {
    this.listeners.get(type)?.delete(listener);
  }
  emit(type: string, event: unknown): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener(event);
  }
  terminate(): void {
    this.terminated = true;
  }
}

describe('ready handshake', () => {
  it('times out when the worker never answers, and terminates it', async () => {
    const worker = new FakeWorker();
    const started = Date.now();
    await expect(startWorker(() => worker, { kind: 'default' }, { readyTimeoutMs: 100 })).rejects.toMatchObject({ code: 'WORKER_TIMEOUT' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(worker.terminated).toBe(true);
    expect(worker.posted[0]).toMatchObject({ type: 'init', source: { kind: 'default' } });
  });

  it('rejects with the error the worker reports when it cannot load the engine', async () => {
    const worker = new FakeWorker((self, message) => {
      if (message.type === 'init') queueMicrotask(() => self.emit('message', { data: { type: 'failed', error: { name: 'EvaluatorError', code: 'WASM_UNAVAILABLE', message: 'no wasm here', path: '' } } satisfies HostMessage }));
    });
    await expect(startWorker(() => worker, { kind: 'default' })).rejects.toMatchObject({ code: 'WASM_UNAVAILABLE', message: 'no wasm here' });
    expect(worker.terminated).toBe(true);
  });

  /** Starts a fake worker under fake timers; `settledWithoutTime()` is its outcome once every
   * queued microtask ran but no time passed (undefined: still pending, e.g. waiting for a timer). */
  function startUnderFakeTimers(worker: FakeWorker) {
    let outcome: { resolved?: unknown; rejected?: unknown } | undefined;
    startWorker(() => worker, { kind: 'default' }).then(
      (resolved) => (outcome = { resolved }),
      (rejected) => (outcome = { rejected }),
    );
    return {
      settledWithoutTime: async () => {
        await vi.advanceTimersByTimeAsync(0);
        return outcome;
      },
    };
  }

  describe('a worker dying before it is ready is seen at once, not at the 15 s timeout (issue 15 #11)', () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
      vi.unstubAllGlobals();
    });

    it('an error event (a top-level throw) rejects with WORKER_CRASHED and the worker\'s message', async () => {
      const worker = new FakeWorker();
      const start = startUnderFakeTimers(worker);
      expect(await start.settledWithoutTime()).toBeUndefined();
      const event = { type: 'error', message: 'Uncaught TypeError: boom at top level', preventDefault: vi.fn() };
      worker.emit('error', event);
      const outcome = await start.settledWithoutTime();
      expect(outcome?.rejected).toBeInstanceOf(EvaluatorError);
      expect(outcome?.rejected).toMatchObject({ code: 'WORKER_CRASHED', message: expect.stringContaining('Uncaught TypeError: boom at top level') });
      expect(event.preventDefault).toHaveBeenCalled();
      expect(worker.terminated).toBe(true);
      expect(vi.getTimerCount()).toBe(0); // the 15 s timer is gone, not merely not yet fired
    });

    it('a script that fails to load (an error event without a message) rejects with the hint', async () => {
      const worker = new FakeWorker();
      const start = startUnderFakeTimers(worker);
      worker.emit('error', { type: 'error' });
      const outcome = await start.settledWithoutTime();
      expect(outcome?.rejected).toMatchObject({ code: 'WORKER_CRASHED', message: expect.stringContaining('could not load its script'), details: { hint: expect.any(String) } });
    });

    it('a messageerror rejects with WORKER_CRASHED', async () => {
      const worker = new FakeWorker();
      const start = startUnderFakeTimers(worker);
      worker.emit('messageerror', { type: 'messageerror' });
      expect((await start.settledWithoutTime())?.rejected).toMatchObject({ code: 'WORKER_CRASHED', message: expect.stringContaining('messageerror') });
    });

    it('a silent death (terminated, closed, out of memory) after the worker took its life lock rejects with WORKER_CRASHED', async () => {
      // Web Locks as the browser runs them: a request is granted once no one holds the name.
      const held = new Map<string, () => void>();
      const waiting = new Map<string, () => void>();
      const locks = {
        request(name: string, options: { signal?: AbortSignal }, callback: () => unknown): Promise<unknown> {
          return new Promise((resolve, reject) => {
            const grant = () => resolve(callback());
            if (!held.has(name)) return grant();
            waiting.set(name, grant);
            options.signal?.addEventListener('abort', () => {
              waiting.delete(name);
              reject(new DOMException('aborted', 'AbortError'));
            });
          });
        },
      };
      vi.stubGlobal('navigator', { locks });
      const worker = new FakeWorker((self, message) => {
        if (message.type !== 'init') return;
        held.set(message.lockName, () => {});
        queueMicrotask(() => self.emit('message', { data: { type: 'locked' } satisfies HostMessage }));
      });
      const start = startUnderFakeTimers(worker);
      expect(await start.settledWithoutTime()).toBeUndefined(); // alive and loading: still waiting
      const lockName = (worker.posted[0] as { lockName: string }).lockName;
      // The worker stops without an error event: its lock is released.
      held.delete(lockName);
      waiting.get(lockName)?.();
      const outcome = await start.settledWithoutTime();
      expect(outcome?.rejected).toMatchObject({ code: 'WORKER_CRASHED', message: expect.stringContaining('stopped while it was starting') });
      expect(vi.getTimerCount()).toBe(0);
    });

    it('a worker that becomes ready stops the handshake\'s lock watch', async () => {
      const aborted: boolean[] = [];
      const locks = {
        request(_name: string, options: { signal?: AbortSignal }): Promise<unknown> {
          return new Promise((_resolve, reject) => {
            options.signal?.addEventListener('abort', () => {
              aborted.push(true);
              reject(new DOMException('aborted', 'AbortError'));
            });
          });
        },
      };
      vi.stubGlobal('navigator', { locks });
      const worker = new FakeWorker((self, message) => {
        if (message.type !== 'init') return;
        queueMicrotask(() => self.emit('message', { data: { type: 'locked' } satisfies HostMessage }));
        queueMicrotask(() => self.emit('message', { data: { type: 'ready', engineVersion: 'v', loadMs: 1 } satisfies HostMessage }));
      });
      const start = startUnderFakeTimers(worker);
      const outcome = await start.settledWithoutTime();
      expect(outcome?.resolved).toMatchObject({ kind: 'worker', engineVersion: 'v' });
      expect(aborted).toEqual([true]); // the handshake's watch; the transport's own one goes on
      expect(worker.terminated).toBe(false);
      (outcome!.resolved as Transport).close();
    });
  });

  it('rejects with WORKER_CRASHED when the worker script fails to start', async () => {
    const worker = new NodeWorker('broken-worker-thread');
    await expect(startWorker(() => worker, { kind: 'bytes', bytes: wasmBytes })).rejects.toMatchObject({
      code: 'WORKER_CRASHED',
      message: expect.stringContaining('broken on purpose'),
    });
  });

  it('loads the real engine in a worker thread and serves requests', async () => {
    const worker = new NodeWorker();
    const transport = await startWorker(() => worker, { kind: 'bytes', bytes: wasmBytes });
    expect(transport.kind).toBe('worker');
    expect(transport.engineVersion).toBe(engine.engineVersion());
    const rpc = new RpcClient(transport, () => {});
    await rpc.send(1, open).reply;
    const delta = await rpc.send(1, { op: 'loadDesign', design: JSON.stringify(shopDesign()) }).reply;
    expect(delta.revision).toBe(1);
    const snapshot = await rpc.send(1, { op: 'snapshot' }).reply;
    expect(snapshot.value).toBeInstanceOf(Uint8Array);
    expect(engine.Evaluator.restore(snapshot.value).revision).toBe(1);
    rpc.close(new EvaluatorError('DISPOSED', 'done'));
  });
});
