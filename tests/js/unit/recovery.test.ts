/**
 * Crash recovery: when the worker dies mid-batch every pending call rejects, the next call
 * starts a new worker that is restored from the last snapshot plus the journal, and no
 * acknowledged edit is lost.
 */
import { describe, expect, it } from 'vitest';
import * as wasm from '../../../pkg/web/relationship_evaluator.js';
import { makeApi } from '../../../js/api.js';
import type { ClientMessage, HostMessage } from '../../../js/protocol.js';
import { Host } from '../../../worker/host.js';
import type { RelationshipEvaluator } from '../../../js/evaluator.js';
import type { Edit } from '../../../js/types.js';
import type { WorkerLike } from '../../../js/worker-transport.js';
import { component, kubernetesDefinitions, shopDesign, wasmBytes } from '../helpers/fixtures.js';
import { NodeWorker, workerFactory } from '../helpers/node-worker.js';
import { testPlatform } from '../helpers/platforms.js';
import { disposedAfterEach } from '../helpers/evaluators.js';

const definitions = kubernetesDefinitions();
const { create, track } = disposedAfterEach();


function evaluatorOn(worker: () => WorkerLike, snapshotEvery = 2): RelationshipEvaluator {
  return create(definitions, { worker, snapshotEvery });
}

const add = (id: string): Edit[] => [{ op: 'addComponent', component: component(id, 'Deployment', { metadata: { namespace: 'shop' } }) }];
const ids = (design: { components?: { id: string }[] | null }): string[] => (design.components ?? []).map((c) => c.id).sort();

/** Kills `worker` as soon as it has been sent the `count`-th request with this op. */
function killOn(worker: NodeWorker, op: string, count = 1): void {
  let seen = 0;
  worker.onRequest = (request) => {
    if (request.op === op && ++seen === count) worker.kill();
  };
}

describe('a worker killed mid-batch', () => {
  it('rejects every pending call, restarts on the next call, and keeps every acknowledged edit', async () => {
    const factory = workerFactory();
    const subject = evaluatorOn(factory, 2);
    await subject.loadDesign(shopDesign(1)); // revision 1
    await subject.applyEdits(add('a')); // 2 (journal reaches 2: compaction to a snapshot)
    await subject.applyEdits(add('b')); // 3
    await subject.applyEdits([{ op: 'renameComponent', id: 'web-0', displayName: 'front' }]); // 4
    await subject.replaceDefinitions(definitions.filter((d) => d.subType !== 'wallet')); // 5
    const first = factory.made[0]!;
    killOn(first, 'design');
    const pending = [subject.applyEdits(add('lost')), subject.evaluate(), subject.design()];
    const outcomes = await Promise.allSettled(pending);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const outcome of outcomes) {
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ name: 'EvaluatorError', code: 'WORKER_CRASHED' });
    }
    expect(first.sent.map((r) => r.op)).toContain('snapshot');

    const design = await subject.design();
    expect(factory.made).toHaveLength(2);
    expect(ids(design)).toEqual(['a', 'b', 'ns', 'web-0']);
    expect(design.components!.find((c) => c.id === 'web-0')!.displayName).toBe('front');
    expect(subject.revision).toBe(5);
    const info = await subject.engine();
    expect(info).toMatchObject({ kind: 'worker', restarts: 1 });
    // The replacement was opened from the compacted snapshot plus the journal since.
    expect(factory.made[1]!.sent[0]!.op).toBe('open');

    const retried = await subject.applyEdits(add('lost'));
    expect(retried.revision).toBe(6);
    expect(retried.componentsAdded.map((c) => c.id)).toEqual(['lost']);
  });

  it('rejects the pending calls of every evaluator on that worker, and restores each of them', async () => {
    const factory = workerFactory();
    const api = makeApi(testPlatform());
    const one = api.createEvaluator(definitions, { worker: factory });
    const two = api.createEvaluator(definitions, { worker: factory });
    track(one, two);
    await one.loadDesign(shopDesign(1));
    await two.loadDesign(shopDesign(3));
    await two.applyEdits([{ op: 'removeComponent', id: 'web-2' }]);
    killOn(factory.made[0]!, 'evaluate', 2);
    const outcomes = await Promise.allSettled([one.evaluate(), two.evaluate()]);
    expect(outcomes.map((o) => o.status === 'rejected' && (o.reason as { code: string }).code)).toEqual(['WORKER_CRASHED', 'WORKER_CRASHED']);
    expect(ids(await one.design())).toEqual(['ns', 'web-0']);
    expect(ids(await two.design())).toEqual(['ns', 'web-0', 'web-1']);
    expect([one.revision, two.revision]).toEqual([1, 2]);
    expect(factory.made).toHaveLength(2);
  });

  it('does not lose an edit acknowledged just before the crash, before any snapshot was taken', async () => {
    const factory = workerFactory();
    const subject = evaluatorOn(factory, 100);
    await subject.loadDesign(shopDesign(1));
    await subject.applyEdits(add('kept'));
    killOn(factory.made[0]!, 'applyEdits');
    await expect(subject.applyEdits(add('lost'))).rejects.toMatchObject({ code: 'WORKER_CRASHED' });
    expect(factory.made[0]!.sent.map((r) => r.op)).not.toContain('snapshot');
    expect(ids(await subject.design())).toEqual(['kept', 'ns', 'web-0']);
    expect(subject.revision).toBe(2);
  });

  it('moves to main-thread WebAssembly, state intact, when no replacement worker will start', async () => {
    let made = 0;
    const workers: NodeWorker[] = [];
    const flaky = (): WorkerLike => {
      const worker = new NodeWorker(made++ === 0 ? 'worker-thread' : 'broken-worker-thread');
      workers.push(worker);
      return worker;
    };
    const subject = evaluatorOn(flaky, 3);
    await subject.loadDesign(shopDesign(2));
    await subject.applyEdits(add('x'));
    workers[0]!.kill();
    await expect(subject.applyEdits(add('y'))).resolves.toMatchObject({ revision: 3 });
    const info = await subject.engine();
    expect(info.kind).toBe('main-thread');
    expect(info.skipped).toEqual([{ kind: 'worker', reason: expect.stringContaining('broken on purpose') }]);
    expect(ids(await subject.design())).toEqual(['ns', 'web-0', 'web-1', 'x', 'y']);
  });

  it('restores a session that started from a snapshot, at that snapshot\'s revision', async () => {
    const factory = workerFactory();
    const api = makeApi(testPlatform());
    const source = api.createEvaluator(definitions, { engine: 'main-thread' });
    track(source);
    await source.loadDesign(shopDesign(1));
    await source.applyEdits(add('a'));
    const restored = api.restoreEvaluator(await source.snapshot(), { worker: factory });
    track(restored);
    expect((await restored.applyEdits(add('b'))).revision).toBe(3);
    factory.made[0]!.kill();
    expect(ids(await restored.design())).toEqual(['a', 'b', 'ns', 'web-0']);
    expect(restored.revision).toBe(3);
  });
});

/**
 * A worker that runs the real host in this thread and, once, answers a request of the given op
 * with POISONED — what a worker whose wasm panicked answers from then on.
 */
class PoisoningWorker implements WorkerLike {
  private readonly listeners = new Map<string, Set<(event: { data: HostMessage }) => void>>();
  private host: Host | null = null;
  terminated = false;

  constructor(private poisonOn: string | null) {}

  postMessage(message: unknown): void {
    queueMicrotask(() => this.handle(message as ClientMessage));
  }

  private handle(message: ClientMessage): void {
    if (this.terminated) return;
    if (message.type === 'init') {
      this.host = new Host(wasm, (reply) => this.emit({ data: reply }));
      this.emit({ data: { type: 'ready', engineVersion: wasm.engineVersion(), loadMs: 0 } });
    } else if (message.type === 'request' && message.call.op === this.poisonOn) {
      this.poisonOn = null;
      this.emit({ data: { type: 'error', id: message.id, error: { name: 'EvaluatorError', code: 'POISONED', message: 'this WebAssembly instance panicked earlier', path: '' } } });
    } else {
      this.host?.receive(message as Exclude<ClientMessage, { type: 'init' }>);
    }
  }

  private emit(event: { data: HostMessage }): void {
    for (const listener of [...(this.listeners.get('message') ?? [])]) listener(event);
  }

  addEventListener(type: string, listener: (event: any) => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }

  removeEventListener(type: string, listener: (event: any) => void): void {
    this.listeners.get(type)?.delete(listener);
  }

  terminate(): void {
    this.terminated = true;
    this.host?.close();
  }
}

describe('a poisoned worker', () => {
  it('is replaced: the call that met the panic rejects with POISONED, the state is restored in a new worker', async () => {
    await wasm.default({ module_or_path: wasmBytes });
    const made: PoisoningWorker[] = [];
    const factory = (): WorkerLike => {
      const worker = new PoisoningWorker(made.length === 0 ? 'evaluate' : null);
      made.push(worker);
      return worker;
    };
    const subject = evaluatorOn(factory, 100);
    await subject.loadDesign(shopDesign(2));
    await subject.applyEdits(add('before'));
    await expect(subject.evaluate()).rejects.toMatchObject({ code: 'POISONED' });
    expect(made[0]!.terminated).toBe(true);
    const response = await subject.evaluate();
    expect(made).toHaveLength(2);
    expect(ids(response.design)).toEqual(['before', 'ns', 'web-0', 'web-1']);
    expect(await subject.engine()).toMatchObject({ kind: 'worker', restarts: 1 });
  });
});
