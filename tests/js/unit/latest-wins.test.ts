/**
 * Evaluations are latest-wins: a newer `evaluate()`/`evaluateDesign()` rejects the older ones
 * with SUPERSEDED and the engine drops those it has not started. Edits are never dropped.
 */
import { describe, expect, it } from 'vitest';
import type { RelationshipEvaluator } from '../../../js/evaluator.js';
import type { EnginePreference } from '../../../js/ladder.js';
import { component, kubernetesDefinitions, shopDesign } from '../helpers/fixtures.js';
import { workerFactory } from '../helpers/node-worker.js';
import { disposedAfterEach } from '../helpers/evaluators.js';

const definitions = kubernetesDefinitions();
const { create } = disposedAfterEach();


function evaluator(engine: EnginePreference, worker?: ReturnType<typeof workerFactory>): RelationshipEvaluator {
  return create(definitions, { engine, worker });
}

const codeOf = (outcome: PromiseSettledResult<unknown>): string =>
  outcome.status === 'fulfilled' ? 'ok' : (outcome.reason as { code: string }).code;

describe.each(['worker', 'main-thread'] as const)('on the %s', (engine) => {
  it('only the newest evaluation resolves; older ones reject with SUPERSEDED', async () => {
    const subject = evaluator(engine, engine === 'worker' ? workerFactory() : undefined);
    await subject.loadDesign(shopDesign(2));
    const designs = [shopDesign(1), shopDesign(2), shopDesign(3)];
    const outcomes = await Promise.allSettled(designs.map((design) => subject.evaluateDesign(design)));
    expect(outcomes.map(codeOf)).toEqual(['SUPERSEDED', 'SUPERSEDED', 'ok']);
    const newest = (outcomes[2] as PromiseFulfilledResult<{ design: { components: unknown[] } }>).value;
    expect(newest.design.components).toHaveLength(4);
  });

  it('an edit between two evaluations is applied, and the newest evaluation sees it', async () => {
    const subject = evaluator(engine, engine === 'worker' ? workerFactory() : undefined);
    await subject.loadDesign(shopDesign(1));
    const older = subject.evaluate();
    const edit = subject.applyEdits([{ op: 'addComponent', component: component('extra', 'Pod') }]);
    const newer = subject.evaluate();
    await expect(older).rejects.toMatchObject({ code: 'SUPERSEDED', name: 'EvaluatorError' });
    await expect(edit).resolves.toMatchObject({ revision: 2 });
    expect((await newer).design.components!.map((c) => c.id)).toContain('extra');
  });

  it('an AbortSignal rejects the call with ABORTED and later calls still work', async () => {
    const subject = evaluator(engine, engine === 'worker' ? workerFactory() : undefined);
    await subject.loadDesign(shopDesign(1));
    const controller = new AbortController();
    const call = subject.evaluate({ signal: controller.signal });
    controller.abort(new Error('user navigated away'));
    await expect(call).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(subject.evaluate({ signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(subject.evaluate()).resolves.toMatchObject({ schemaVersion: 'evaluation.meshery.io/v1beta1' });
  });
});

it('the worker drops superseded evaluations it has not started: they are never answered', async () => {
  const factory = workerFactory();
  const subject = evaluator('worker', factory);
  await subject.loadDesign(shopDesign(1));
  const worker = factory.made[0]!;
  const sent = (op: string): Promise<void> =>
    new Promise((resolve) => {
      worker.onRequest = (request) => request.op === op && resolve();
    });
  // A batch keeps the worker busy while evaluations queue up behind it; each is sent (so the
  // worker has it) before the next one supersedes it.
  let posted = sent('applyEdits');
  const busy = subject.applyEdits(Array.from({ length: 400 }, (_, i) => ({ op: 'addComponent' as const, component: component(`pod-${i}`, 'Pod', { metadata: { namespace: 'shop' } }) })));
  await posted;
  const evaluations = [];
  for (let i = 0; i < 3; i++) {
    posted = sent('evaluate');
    evaluations.push(subject.evaluate());
    await posted;
  }
  const outcomes = await Promise.allSettled([busy, ...evaluations]);
  expect(outcomes.map(codeOf)).toEqual(['ok', 'SUPERSEDED', 'SUPERSEDED', 'ok']);
  const evaluateIds = worker.sent.filter((request) => request.op === 'evaluate').map((request) => request.id);
  expect(evaluateIds).toHaveLength(3);
  expect(worker.replied.filter((id) => evaluateIds.includes(id))).toEqual([evaluateIds[2]]);
});
