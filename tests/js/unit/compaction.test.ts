/**
 * Journal compaction waits for a quiet moment when the state is large: a snapshot of a large
 * design keeps the engine busy for hundreds of milliseconds, and an edit queued behind it would
 * wait as long (the browser benchmark saw 0.5 s every 32nd edit at 10,000 components). Small
 * states compact at once, as before.
 */
import { describe, expect, it } from 'vitest';
import type { Design } from '../../../js/types.js';
import { component, kubernetesDefinitions, shopDesign } from '../helpers/fixtures.js';
import { workerFactory } from '../helpers/node-worker.js';
import { disposedAfterEach } from '../helpers/evaluators.js';

const definitions = kubernetesDefinitions();
const { create } = disposedAfterEach();


/** The shop design plus ConfigMaps carrying 1.2 MiB of data: a large state, cheap to evaluate. */
function largeDesign(): Design {
  const design = shopDesign(1);
  for (let i = 0; i < 20; i++) design.components!.push(component(`data-${i}`, 'ConfigMap', { metadata: { namespace: 'shop' }, data: { blob: 'x'.repeat(64 * 1024) } }));
  return design;
}

const snapshots = (factory: ReturnType<typeof workerFactory>): number => factory.made[0]!.sent.filter((r) => r.op === 'snapshot').length;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('journal compaction', () => {
  it('compacts a small state as soon as the journal is full', async () => {
    const factory = workerFactory();
    const subject = create(definitions, { worker: factory, snapshotEvery: 2 });
    await subject.loadDesign(shopDesign(1));
    await subject.applyEdits([{ op: 'renameComponent', id: 'web-0', displayName: 'front' }]);
    await subject.design(); // queued after the compaction
    expect(snapshots(factory)).toBe(1);
  });

  it('waits until a large state has been idle, then compacts and keeps the state', async () => {
    const factory = workerFactory();
    const subject = create(definitions, { worker: factory, snapshotEvery: 2 });
    await subject.loadDesign(largeDesign());
    for (let i = 0; i < 5; i++) await subject.applyEdits([{ op: 'moveComponent', id: 'web-0', x: i, y: i }]);
    expect(snapshots(factory)).toBe(0);
    await sleep(450);
    await subject.design();
    expect(snapshots(factory)).toBe(1);
    const design = await subject.design();
    expect(design.components!.find((c) => c.id === 'web-0')!.styles).toMatchObject({ position: { x: 4, y: 4 } });
  });

  it('compacts a large state anyway once the journal holds 8 times snapshotEvery changes', async () => {
    const factory = workerFactory();
    const subject = create(definitions, { worker: factory, snapshotEvery: 2 });
    await subject.loadDesign(largeDesign());
    for (let i = 0; i < 15; i++) await subject.applyEdits([{ op: 'moveComponent', id: 'web-0', x: i, y: 0 }]);
    await subject.design();
    expect(snapshots(factory)).toBe(1);
  });
});
