/**
 * `connectableDefinitions(fromId, toId)`: which of Meshery's Kubernetes definitions would relate
 * two components of the loaded design, decided by the engine (kinds by Meshery's matchName, model,
 * deny), on the main thread and in a worker alike.
 */
import { describe, expect, it } from 'vitest';
import type { RelationshipEvaluator } from '../../../js/evaluator.js';
import type { ConnectableDefinition } from '../../../js/types.js';
import { component, kubernetesDefinitions } from '../helpers/fixtures.js';
import { workerFactory } from '../helpers/node-worker.js';
import { disposedAfterEach } from '../helpers/evaluators.js';

const definitions = kubernetesDefinitions();
const design = {
  id: '00000000-0000-0000-0000-0000000000c1', name: 'connect', version: '0.0.1', relationships: [],
  components: [
    component('shop', 'Namespace'), component('staging', 'Namespace'), component('web', 'Deployment'),
    component('svc', 'Service'), component('urgent', 'PriorityClass'), component('nightly', 'CronJob'),
  ],
};
const { create } = disposedAfterEach();


/** `type from-kind → to-kind (selector index)` of each answer, for short assertions. */
const summary = (found: ConnectableDefinition[]): string[] =>
  found.map((c) => `${c.kind}/${c.type}/${c.subType} ${c.from.kind} → ${c.to.kind} (${c.selectorIndex})`);

describe.each([
  ['main-thread', {}],
  ['worker', { worker: workerFactory() }],
] as const)('connectableDefinitions on the %s', (engine, extra) => {
  async function loaded(): Promise<RelationshipEvaluator> {
    const evaluator = create(definitions, { engine, ...extra });
    await evaluator.loadDesign(design);
    return evaluator;
  }

  it('offers the namespace inventory for a Deployment into a Namespace, and nothing the other way', async () => {
    const evaluator = await loaded();
    const found = await evaluator.connectableDefinitions('web', 'shop');
    expect(summary(found)).toEqual(['hierarchical/parent/inventory * → Namespace (0)']);
    expect(found[0]).toMatchObject({ model: 'kubernetes', definitionId: null });
    expect(found[0]!.definition).toEqual(definitions[found[0]!.definitionIndex]);
    expect(await evaluator.connectableDefinitions('shop', 'web')).toEqual([]);
  });

  it('offers the network edge from a Service to a Deployment', async () => {
    const evaluator = await loaded();
    expect(summary(await evaluator.connectableDefinitions('svc', 'web'))).toEqual(['edge/non-binding/network Service → Deployment (0)']);
  });

  it('matches kinds as the engine does: the PriorityClass → Job definition admits a CronJob too', async () => {
    const evaluator = await loaded();
    expect(summary(await evaluator.connectableDefinitions('urgent', 'nightly'))).toEqual([
      'edge/non-binding/reference PriorityClass → CronJob (0)',
      'edge/non-binding/reference PriorityClass → Job (0)',
    ]);
  });

  it('offers nothing the definition denies (a Namespace into a Namespace)', async () => {
    const evaluator = await loaded();
    expect(await evaluator.connectableDefinitions('staging', 'shop')).toEqual([]);
  });

  it('rejects an id that names no component with UNKNOWN_ID and the argument as path', async () => {
    const evaluator = await loaded();
    await expect(evaluator.connectableDefinitions('web', 'nope')).rejects.toMatchObject({ name: 'EvaluatorError', code: 'UNKNOWN_ID', path: '/toId' });
  });
});
