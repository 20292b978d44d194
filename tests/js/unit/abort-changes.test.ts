/**
 * An AbortSignal on the changes (loadDesign, applyEdits, replaceDefinitions): aborted before it
 * starts, a change costs nothing; aborted while a worker has it, the worker is replaced and the
 * state is exactly what it was before the call; either way the next call works.
 */
import { describe, expect, it } from 'vitest';
import { makeApi } from '../../../js/api.js';
import type { RelationshipEvaluator } from '../../../js/evaluator.js';
import type { Edit } from '../../../js/types.js';
import type { WorkerLike } from '../../../js/worker-transport.js';
import { component, kubernetesDefinitions, shopDesign } from '../helpers/fixtures.js';
import { workerFactory } from '../helpers/node-worker.js';
import { testPlatform } from '../helpers/platforms.js';
import { disposedAfterEach } from '../helpers/evaluators.js';

const definitions = kubernetesDefinitions();
const { create, track } = disposedAfterEach();


function evaluator(options: { worker?: () => WorkerLike; engine?: 'main-thread' }): RelationshipEvaluator {
  return create(definitions, options);
}

/** A batch big enough to keep the worker busy for a while. */
const bigBatch = (count: number): Edit[] =>
  Array.from({ length: count }, (_, i) => ({ op: 'addComponent', component: component(`extra-${i}`, 'Deployment', { metadata: { namespace: 'shop' } }) }));

const ids = async (subject: RelationshipEvaluator): Promise<string[]> => ((await subject.design()).components ?? []).map((c) => c.id).sort();

describe('aborting a change', () => {
  it('before it starts is free: no engine starts, nothing is sent, the state is unchanged', async () => {
    const factory = workerFactory();
    const subject = evaluator({ worker: factory });
    await expect(subject.loadDesign(shopDesign(2), { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(factory.made).toHaveLength(0);
    await subject.loadDesign(shopDesign(2));
    const before = await ids(subject);
    const controller = new AbortController();
    const queued = subject.applyEdits(bigBatch(3), { signal: controller.signal });
    controller.abort(); // still in this evaluator's send queue
    await expect(queued).rejects.toMatchObject({ code: 'ABORTED' });
    expect(factory.made).toHaveLength(1);
    expect(factory.made[0]!.sent.map((request) => request.op)).not.toContain('applyEdits');
    expect(await ids(subject)).toEqual(before);
    expect(subject.revision).toBe(1);
  });

  it('while the worker has it: the worker is replaced, the state is restored, later calls work', async () => {
    const factory = workerFactory();
    const subject = evaluator({ worker: factory });
    await subject.loadDesign(shopDesign(3));
    await subject.applyEdits([{ op: 'renameComponent', id: 'web-0', displayName: 'front' }]);
    const before = await subject.design();
    const controller = new AbortController();
    // Abort the moment the batch is posted to the worker.
    factory.made[0]!.onRequest = (request) => {
      if (request.op === 'applyEdits') controller.abort(new Error('user cancelled'));
    };
    const aborted = subject.applyEdits(bigBatch(400), { signal: controller.signal });
    await expect(aborted).rejects.toMatchObject({ code: 'ABORTED', message: 'the call was aborted' });
    expect(factory.made).toHaveLength(1);
    expect(await subject.design()).toEqual(before);
    expect(factory.made).toHaveLength(2); // replaced, and the session reopened in the new one
    expect(subject.revision).toBe(2);
    const next = await subject.applyEdits(bigBatch(1));
    expect(next.revision).toBe(3);
    expect(next.componentsAdded.map((c) => c.id)).toEqual(['extra-0']);
    expect((await subject.engine()).restarts).toBe(1);
  });

  it('other evaluators in the replaced worker keep their acknowledged state; their pending calls reject with WORKER_CRASHED', async () => {
    const factory = workerFactory();
    const api = makeApi(testPlatform());
    const one = api.createEvaluator(definitions, { worker: factory });
    const other = api.createEvaluator(definitions, { worker: factory });
    track(one, other);
    await one.loadDesign(shopDesign(1));
    await other.loadDesign(shopDesign(2, 'billing'));
    const otherBefore = await other.design();
    const controller = new AbortController();
    factory.made[0]!.onRequest = (request) => {
      if (request.op === 'applyEdits') controller.abort();
    };
    const pendingOther = other.design();
    const aborted = one.applyEdits(bigBatch(400), { signal: controller.signal });
    await expect(aborted).rejects.toMatchObject({ code: 'ABORTED' });
    const outcome = await pendingOther.then(() => 'answered', (error: { code: string }) => error.code);
    expect(['answered', 'WORKER_CRASHED']).toContain(outcome);
    expect(await other.design()).toEqual(otherBefore);
    expect(one.revision).toBe(1);
  });

  it('on the main thread an abort that comes after the answer changes nothing: the change stands', async () => {
    const subject = evaluator({ engine: 'main-thread' });
    await subject.loadDesign(shopDesign(1));
    const controller = new AbortController();
    const delta = await subject.applyEdits(bigBatch(2), { signal: controller.signal });
    controller.abort();
    expect(delta.revision).toBe(2);
    expect(await ids(subject)).toContain('extra-1');
  });
});
