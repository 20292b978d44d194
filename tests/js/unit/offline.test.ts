/**
 * The offline entry on an in-memory IndexedDB (fake-indexeddb): restore after reopen, undo/redo,
 * compaction, designs side by side, and typed storage errors (corruption, quota) that leave the
 * evaluator at the state storage holds. Chromium's real IndexedDB: tests/js/browser/offline.e2e.mjs.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { deleteOfflineDesign, listOfflineDesigns, openOfflineEvaluator, type OfflineEvaluator, type OfflineOptions } from '../../../js/offline/index.js';
import type { Edit } from '../../../js/types.js';
import { component, kubernetesDefinitions, shopDesign } from '../helpers/fixtures.js';

const definitions = kubernetesDefinitions();
const opened: OfflineEvaluator[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((evaluator) => evaluator.dispose()));
});

async function open(name: string, options: OfflineOptions): Promise<OfflineEvaluator> {
  const evaluator = await openOfflineEvaluator(name, definitions, options);
  opened.push(evaluator);
  return evaluator;
}

/** Disposes `evaluator` (as a page unload would) and opens its design again. */
async function reopen(evaluator: OfflineEvaluator, options: OfflineOptions): Promise<OfflineEvaluator> {
  opened.splice(opened.indexOf(evaluator), 1);
  await evaluator.dispose();
  return open(evaluator.name, options);
}

const add = (id: string): Edit[] => [{ op: 'addComponent', component: component(id, 'Deployment', { metadata: { namespace: 'shop' } }) }];
const move = (id: string, x: number): Edit[] => [{ op: 'moveComponent', id, x, y: x * 2 }];
const bytes = async (evaluator: OfflineEvaluator): Promise<string> => JSON.stringify(await evaluator.design());

/** Rewrites one stored record directly (a damaged or tampered database). */
async function tamper(factory: IDBFactory, key: IDBValidKey, change: (value: Record<string, unknown>) => unknown): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open('meshery-relationship-evaluator', 1);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const tx = db.transaction('records', 'readwrite');
  const store = tx.objectStore('records');
  const get = store.get(key);
  get.onsuccess = () => store.put(change(get.result), key);
  await new Promise((resolve) => (tx.oncomplete = resolve));
  db.close();
}

describe('offline evaluator', () => {
  it('reopens at the same revision and design bytes, with its history', async () => {
    const options = { indexedDB: new IDBFactory() };
    let evaluator = await open('shop', options);
    await evaluator.loadDesign(shopDesign(2), { label: 'shop' });
    await evaluator.applyEdits(add('api'), { label: 'add api' });
    await evaluator.applyEdits(move('api', 40), { label: 'move api' });
    const [revision, design] = [evaluator.revision, await bytes(evaluator)];

    evaluator = await reopen(evaluator, options);
    expect(evaluator.corruption).toBeNull();
    expect(evaluator.revision).toBe(revision);
    expect(await bytes(evaluator)).toBe(design);
    expect(evaluator.baseLabel).toBe('shop');
    expect(evaluator.history.map((entry) => entry.label)).toEqual(['add api', 'move api']);
  });

  it('keeps undo and redo across reopen; a new batch drops the undone ones', async () => {
    const options = { indexedDB: new IDBFactory() };
    let evaluator = await open('shop', options);
    await evaluator.loadDesign(shopDesign(1));
    const start = await bytes(evaluator);
    await evaluator.applyEdits(add('a'));
    const withA = await bytes(evaluator);
    await evaluator.applyEdits(add('b'));
    await evaluator.undo();
    await evaluator.undo();
    expect(await bytes(evaluator)).toBe(start);

    evaluator = await reopen(evaluator, options);
    expect([evaluator.cursor, evaluator.canRedo]).toEqual([0, true]);
    expect(await bytes(evaluator)).toBe(start);
    await evaluator.redo();
    expect(await bytes(evaluator)).toBe(withA);
    await evaluator.applyEdits(add('c'));
    expect(evaluator.canRedo).toBe(false);

    evaluator = await reopen(evaluator, options);
    expect(evaluator.history.length).toBe(2);
    expect((await evaluator.design()).components?.map((c) => c.id).sort()).toEqual(['a', 'c', 'ns', 'web-0']);
  });

  it('compacts into a new base snapshot and keeps the state', async () => {
    const options = { indexedDB: new IDBFactory(), compactEvery: 3 };
    let evaluator = await open('shop', options);
    await evaluator.loadDesign(shopDesign(1));
    for (let i = 0; i < 7; i++) await evaluator.applyEdits(move('web-0', i));
    expect(evaluator.history.length).toBe(1);
    const [revision, design] = [evaluator.revision, await bytes(evaluator)];
    evaluator = await reopen(evaluator, options);
    expect([evaluator.revision, await bytes(evaluator)]).toEqual([revision, design]);
  });

  it('keeps designs side by side, lists and deletes them', async () => {
    const options = { indexedDB: new IDBFactory() };
    const first = await open('first', options);
    const second = await open('second', options);
    await first.loadDesign(shopDesign(1, 'one'));
    await second.loadDesign(shopDesign(3, 'two'));
    await first.applyEdits(add('only-in-first'));
    const again = await reopen(first, options);
    expect((await again.design()).components?.map((c) => c.id)).toContain('only-in-first');
    expect((await second.design()).components?.map((c) => c.id)).not.toContain('only-in-first');
    expect((await listOfflineDesigns(options)).sort()).toEqual(['first', 'second']);
    await deleteOfflineDesign('first', options);
    expect(await listOfflineDesigns(options)).toEqual(['second']);
  });

  it('a batch the engine rejects is not journaled and changes nothing', async () => {
    const options = { indexedDB: new IDBFactory() };
    let evaluator = await open('shop', options);
    await evaluator.loadDesign(shopDesign(1));
    const before = [evaluator.revision, await bytes(evaluator)];
    await expect(evaluator.applyEdits([{ op: 'removeComponent', id: 'nope' }])).rejects.toMatchObject({ code: 'UNKNOWN_ID' });
    expect(evaluator.history).toEqual([]);
    evaluator = await reopen(evaluator, options);
    expect([evaluator.revision, await bytes(evaluator)]).toEqual(before);
  });

  it('a corrupted journal entry opens the last good state and says which record', async () => {
    const factory = new IDBFactory();
    const options = { indexedDB: factory };
    let evaluator = await open('shop', options);
    await evaluator.loadDesign(shopDesign(1));
    await evaluator.applyEdits(add('a'));
    await evaluator.applyEdits(add('b'));
    const good = [evaluator.revision, await bytes(evaluator)];
    await evaluator.applyEdits(add('c'));
    await evaluator.applyEdits(add('d'));
    opened.splice(opened.indexOf(evaluator), 1);
    await evaluator.dispose();
    await tamper(factory, ['shop', 'journal', 2], (record) => ({ ...record, edits: String(record.edits).replace('"c"', '"x"') }));

    evaluator = await open('shop', options);
    expect(evaluator.corruption).toMatchObject({ name: 'OfflineStorageError', code: 'STORAGE_CORRUPT', path: '/shop/journal/2', key: ['shop', 'journal', 2] });
    expect([evaluator.revision, await bytes(evaluator)]).toEqual(good);
    // The next batch replaces the damaged records.
    await evaluator.applyEdits(add('e'));
    evaluator = await reopen(evaluator, options);
    expect(evaluator.corruption).toBeNull();
    expect((await evaluator.design()).components?.map((c) => c.id).sort()).toEqual(['a', 'b', 'e', 'ns', 'web-0']);
  });

  it('a corrupted base snapshot rejects with STORAGE_CORRUPT at /<name>/base', async () => {
    const factory = new IDBFactory();
    const options = { indexedDB: factory };
    const evaluator = await open('shop', options);
    await evaluator.loadDesign(shopDesign(1));
    opened.splice(opened.indexOf(evaluator), 1);
    await evaluator.dispose();
    await tamper(factory, ['shop', 'base'], (record) => {
      const damaged = (record.bytes as Uint8Array).slice();
      damaged[10] = (damaged[10]! + 1) % 256;
      return { ...record, bytes: damaged };
    });
    await expect(openOfflineEvaluator('shop', definitions, options)).rejects.toMatchObject({ code: 'STORAGE_CORRUPT', path: '/shop/base' });
  });

  it('a full disk rejects the batch with STORAGE_QUOTA_EXCEEDED and leaves the state as stored', async () => {
    const options = { indexedDB: new IDBFactory() };
    let evaluator = await open('shop', options);
    await evaluator.loadDesign(shopDesign(1));
    await evaluator.applyEdits(add('a'));
    const before = [evaluator.revision, await bytes(evaluator)];
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = () => {
      throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
    };
    try {
      await expect(evaluator.applyEdits(add('b'))).rejects.toMatchObject({ code: 'STORAGE_QUOTA_EXCEEDED', path: '/shop/journal/1' });
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    expect([evaluator.revision, await bytes(evaluator)]).toEqual(before);
    await evaluator.applyEdits(add('c'));
    evaluator = await reopen(evaluator, options);
    expect((await evaluator.design()).components?.map((c) => c.id).sort()).toEqual(['a', 'c', 'ns', 'web-0']);
  });

  it('calls after dispose reject with DISPOSED; the stored design stays', async () => {
    const options = { indexedDB: new IDBFactory() };
    const evaluator = await open('shop', options);
    await evaluator.loadDesign(shopDesign(1));
    const design = await bytes(evaluator);
    opened.splice(opened.indexOf(evaluator), 1);
    await evaluator.dispose();
    await expect(evaluator.applyEdits(add('a'))).rejects.toMatchObject({ code: 'DISPOSED' });
    expect(await bytes(await open('shop', options))).toBe(design);
  });

  it('without IndexedDB, opening rejects with STORAGE_UNAVAILABLE', async () => {
    const saved = globalThis.indexedDB;
    Reflect.deleteProperty(globalThis, 'indexedDB');
    try {
      await expect(openOfflineEvaluator('shop', definitions)).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    } finally {
      globalThis.indexedDB = saved;
    }
  });
});
