// The offline entry (`@meshery/relationship-evaluator/offline`, dist/offline.js as published) in
// headless Chromium's real IndexedDB, across page reloads: a reload or a closed tab in the middle
// of a batch leaves it all there or not at all (never acknowledged and then lost), 1,000 random
// edits come back byte for byte, a damaged record gives a typed error and the last good state,
// designs stay separate, compaction keeps the state, two tabs never write one design.
// Figures: target/js-artifacts/offline*.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { saveArtifact, withBrowser } from './harness.mjs';

/** mulberry32: the same "random" edits on every run. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` single edits over `ids` (the design's components) and, when `structural`, components they add and remove. */
function randomEdits(ids, count, seed, { structural = true } = {}) {
  const next = random(seed);
  const pick = (items) => items[Math.floor(next() * items.length)];
  const live = [...ids];
  const added = [];
  const edits = [];
  for (let i = 0; i < count; i++) {
    const roll = next();
    if (structural && roll < 0.15) {
      const id = `random-${i}`;
      const kind = pick(['Deployment', 'Service', 'ConfigMap', 'Pod']);
      edits.push({ op: 'addComponent', component: { id, component: { kind }, displayName: id, modelReference: { name: 'kubernetes' }, configuration: { metadata: { namespace: pick(['default', 'shop']), labels: { app: pick(['a', 'b']) } } } } });
      live.push(id);
      added.push(id);
    } else if (structural && roll < 0.22 && added.length > 0) {
      const id = added.splice(Math.floor(next() * added.length), 1)[0];
      live.splice(live.indexOf(id), 1);
      edits.push({ op: 'removeComponent', id });
    } else if (roll < 0.6) {
      edits.push({ op: 'moveComponent', id: pick(live), x: Math.floor(next() * 2000), y: Math.floor(next() * 2000) });
    } else if (roll < 0.8) {
      edits.push({ op: 'renameComponent', id: pick(live), displayName: `name-${i}` });
    } else {
      edits.push({ op: 'setLabels', id: pick(live), labels: { app: pick(['a', 'b', 'c']), step: String(i) } });
    }
  }
  return edits;
}

const untilHarnessReady = (page) => page.waitForFunction(() => window.harnessReady === true, null, { timeout: 30000 });

const reload = async (page) => {
  await page.reload();
  await untilHarnessReady(page);
};

/** A new tab of `context` on the offline page, once its harness is ready. */
const openTab = async (context, origin) => {
  const page = await context.newPage();
  await page.goto(`${origin}/pages/offline.html`);
  await untilHarnessReady(page);
  return page;
};

test('offline: 1,000 random edits, one batch each, then reload: identical revision and design bytes', async () => {
  await withBrowser({}, async ({ open }) => {
    const page = await open('/pages/offline.html');
    const first = await page.evaluate(async () => {
      const opened = await window.openDesign('random');
      await window.opened.random.loadDesign(window.designs.valid, { label: 'valid design' });
      return { opened, ids: JSON.parse((await window.stateOf(window.opened.random)).design).components.map((c) => c.id) };
    });
    assert.equal(first.opened.corruption, null);
    const edits = randomEdits(first.ids, 1000, 13);
    const before = await page.evaluate(async (edits) => {
      const evaluator = window.opened.random;
      const started = performance.now();
      for (const edit of edits) await evaluator.applyEdits([edit]);
      const persistedMs = performance.now() - started;
      // The same edits on an evaluator without persistence: the reference design.
      const reference = window.pkg.createEvaluator(window.definitions);
      await reference.loadDesign(window.designs.valid);
      const referenceStarted = performance.now();
      for (const edit of edits) await reference.applyEdits([edit]);
      const inMemoryMs = performance.now() - referenceStarted;
      const expected = { revision: reference.revision, design: JSON.stringify(await reference.design()) };
      await reference.dispose();
      return { ...(await window.stateOf(evaluator)), expected, persistedMs, inMemoryMs };
    }, edits);
    assert.equal(before.design, before.expected.design, 'the persisted evaluator computes what an in-memory one does');
    assert.equal(before.revision, before.expected.revision);
    assert.ok(before.journal < 200, `compaction ran (journal of ${before.journal} batches)`);

    await reload(page);
    const after = await page.evaluate(() => window.openDesign('random'));
    assert.equal(after.corruption, null);
    assert.equal(after.revision, before.revision);
    assert.equal(after.design, before.design, 'the same design bytes after reload');
    assert.equal(after.journal, before.journal);
    saveArtifact('offline.json', {
      edits: edits.length,
      persistedMs: Math.round(before.persistedMs),
      inMemoryMs: Math.round(before.inMemoryMs),
      persistedOverInMemory: Number((before.persistedMs / before.inMemoryMs).toFixed(2)),
    });
  });
});

test('offline: a reload or a closed tab in the middle of a batch leaves it wholly stored or not at all, never acknowledged and lost', async () => {
  await withBrowser({}, async ({ browser, origin }) => {
    const context = await browser.newContext();
    const tab = () => openTab(context, origin);
    const acknowledged = new Set();
    await context.exposeFunction('acknowledge', (revision) => acknowledged.add(revision));
    let page = await tab();
    let state = await page.evaluate(async () => {
      await window.openDesign('mid');
      await window.opened.mid.loadDesign(window.designs.valid);
      return window.stateOf(window.opened.mid);
    });
    const ids = JSON.parse(state.design).components.map((c) => c.id);
    // How long one big batch (1,500 edits, one transaction) takes from call to acknowledgement:
    // each trial interrupts its batch 0 to 1.3 times that into it, so that interruptions land
    // before, during and after its IndexedDB write.
    const batchMs = await page.evaluate(async (batch) => {
      const started = performance.now();
      await window.opened.mid.applyEdits(batch);
      return performance.now() - started;
    }, randomEdits(ids, 1500, 99, { structural: false }));
    state = await page.evaluate(() => window.stateOf(window.opened.mid));
    const trials = 12;
    const outcomes = { applied: 0, notApplied: 0 };
    for (let trial = 0; trial < trials; trial++) {
      const batch = randomEdits(ids, 1500, 100 + trial, { structural: false });
      const delay = (Math.floor(trial / 2) / (trials / 2 - 1)) * batchMs * 1.3;
      // Even trials: the page reloads itself; odd ones: the tab is closed (no unload to finish anything).
      const closeTab = trial % 2 === 1;
      const expected = await page.evaluate(async ([batch, delay, reload]) => {
        const evaluator = window.opened.mid;
        const reference = window.pkg.restoreEvaluator(await evaluator.snapshot());
        await reference.applyEdits(batch);
        const next = { revision: reference.revision, design: JSON.stringify(await reference.design()) };
        await reference.dispose();
        // Not awaited: the batch is interrupted while it runs.
        void evaluator.applyEdits(batch).then(() => window.acknowledge(evaluator.revision));
        if (reload) setTimeout(() => location.reload(), delay);
        return next;
      }, [batch, delay, !closeTab]);
      if (closeTab) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        await page.close();
        page = await tab();
      } else {
        await page.waitForFunction(() => window.harnessReady === true && !window.opened.mid, null, { timeout: 30000 });
      }
      const reopened = await page.evaluate(() => window.openDesign('mid'));
      assert.equal(reopened.corruption, null);
      if (reopened.revision === expected.revision) {
        assert.equal(reopened.design, expected.design, `trial ${trial}: the batch is stored whole`);
        outcomes.applied++;
      } else {
        assert.equal(reopened.revision, state.revision, `trial ${trial}: either the revision before the batch or after it`);
        assert.equal(reopened.design, state.design, `trial ${trial}: nothing of the batch is stored`);
        assert.ok(!acknowledged.has(expected.revision), `trial ${trial}: the batch was acknowledged, then lost`);
        outcomes.notApplied++;
      }
      state = { revision: reopened.revision, design: reopened.design };
    }
    saveArtifact('offline-reload-mid-batch.json', { ...outcomes, acknowledged: acknowledged.size, batchMs: Math.round(batchMs) });
    // The interruptions must have caught batches on both sides of their commit, or the test proved little.
    assert.ok(outcomes.applied > 0 && outcomes.notApplied > 0, `outcomes: ${JSON.stringify(outcomes)}`);
    await context.close();
  });
});

test('offline: a damaged journal record gives STORAGE_CORRUPT with its key and opens the last good state; a damaged base rejects', async () => {
  await withBrowser({}, async ({ open }) => {
    const page = await open('/pages/offline.html');
    const good = await page.evaluate(async () => {
      await window.openDesign('damaged');
      const evaluator = window.opened.damaged;
      await evaluator.loadDesign(window.designs.valid);
      const id = JSON.parse((await window.stateOf(evaluator)).design).components[0].id;
      await evaluator.applyEdits([{ op: 'moveComponent', id, x: 1, y: 1 }]);
      const good = await window.stateOf(evaluator);
      await evaluator.applyEdits([{ op: 'moveComponent', id, x: 2, y: 2 }]);
      await evaluator.applyEdits([{ op: 'moveComponent', id, x: 3, y: 3 }]);
      return good;
    });
    await reload(page);
    await page.evaluate(() => window.tamper(['damaged', 'journal', 1], (record) => ({ ...record, edits: record.edits.replace('"x":2', '"x":9') })));
    const reopened = await page.evaluate(() => window.openDesign('damaged'));
    assert.deepEqual(
      { code: reopened.corruption.code, path: reopened.corruption.path, key: reopened.corruption.key, isEvaluatorError: reopened.corruption.isEvaluatorError },
      { code: 'STORAGE_CORRUPT', path: '/damaged/journal/1', key: ['damaged', 'journal', 1], isEvaluatorError: true },
    );
    assert.equal(reopened.revision, good.revision);
    assert.equal(reopened.design, good.design);

    await reload(page);
    await page.evaluate(() => window.tamper(['damaged', 'base'], (record) => ({ ...record, bytes: record.bytes.slice(0, 20) })));
    const failure = await page.evaluate(() => window.openDesign('damaged').then(() => null, window.errorOf));
    assert.equal(failure?.code, 'STORAGE_CORRUPT');
    assert.equal(failure.path, '/damaged/base');
  });
});

test('offline: two designs side by side stay separate across reload; compaction keeps the state', async () => {
  await withBrowser({}, async ({ open }) => {
    const page = await open('/pages/offline.html');
    const before = await page.evaluate(async () => {
      await window.openDesign('left');
      await window.openDesign('right');
      const { left, right } = window.opened;
      await left.loadDesign(window.designs.valid, { label: 'left' });
      await right.loadDesign({ name: 'right', version: '0.0.1', components: [], relationships: [] }, { label: 'right' });
      const add = (id, namespace) => [{ op: 'addComponent', component: { id, component: { kind: 'Deployment' }, displayName: id, modelReference: { name: 'kubernetes' }, configuration: { metadata: { namespace } } } }];
      await left.applyEdits(add('only-left', 'left'));
      for (let i = 0; i < 5; i++) await right.applyEdits(add(`right-${i}`, 'right'));
      const beforeCompaction = await window.stateOf(right);
      await right.compact();
      return { left: await window.stateOf(left), right: await window.stateOf(right), beforeCompaction, names: (await window.offline.listOfflineDesigns()).sort() };
    });
    assert.deepEqual(before.names, ['left', 'right']);
    assert.equal(before.right.journal, 0);
    assert.equal(before.right.design, before.beforeCompaction.design);
    assert.equal(before.right.revision, before.beforeCompaction.revision);

    await reload(page);
    const after = await page.evaluate(async () => ({ left: await window.openDesign('left'), right: await window.openDesign('right') }));
    for (const side of ['left', 'right']) {
      assert.equal(after[side].corruption, null);
      assert.equal(after[side].revision, before[side].revision);
      assert.equal(after[side].design, before[side].design);
    }
    const ids = (state) => JSON.parse(state.design).components.map((c) => c.id);
    assert.ok(ids(after.left).includes('only-left') && !ids(after.right).includes('only-left'));
    assert.deepEqual(ids(after.right).sort(), ['right-0', 'right-1', 'right-2', 'right-3', 'right-4']);
  });
});

test('offline: one writer per design: a second tab waits, then gets STORAGE_LOCKED; it opens once the first lets go', async () => {
  await withBrowser({}, async ({ browser, origin }) => {
    const context = await browser.newContext();
    const tab = () => openTab(context, origin);
    const [first, second] = [await tab(), await tab()];
    await first.evaluate(async () => {
      await window.openDesign('shared');
      await window.opened.shared.loadDesign(window.designs.valid, { label: 'from the first tab' });
    });
    const refused = await second.evaluate(() => window.openDesign('shared', { lockTimeoutMs: 300 }).then(() => null, window.errorOf));
    assert.equal(refused?.code, 'STORAGE_LOCKED');
    assert.equal(refused.path, '/shared');
    const other = await second.evaluate(() => window.openDesign('other'));
    assert.equal(other.corruption, null);

    const expected = await first.evaluate(async () => {
      const state = await window.stateOf(window.opened.shared);
      await window.opened.shared.dispose();
      return state;
    });
    const reopened = await second.evaluate(() => window.openDesign('shared', { lockTimeoutMs: 300 }));
    assert.equal(reopened.revision, expected.revision);
    assert.equal(reopened.design, expected.design);
    await context.close();
  });
});
