// The package in real headless Chromium, loaded from dist/ as published: the worker path, the
// main-thread path, crash recovery of a worker terminated mid-batch (detected through Web Locks,
// since `terminate()` fires no event), and latest-wins. Screenshots go to target/js-artifacts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, withBrowser } from './harness.mjs';

/** In the page: load a design, apply two batches, evaluate; everything as JSON text. */
const SESSION = async (options) => {
  const { createEvaluator } = window.pkg;
  const evaluator = createEvaluator(window.definitions, options);
  const design = window.designs['edge-firewall-relationship'];
  const first = design.components[0].id;
  const started = performance.now();
  const loaded = await evaluator.loadDesign(design);
  const batch = await evaluator.applyEdits([{ op: 'renameComponent', id: first, displayName: 'renamed' }, { op: 'moveComponent', id: first, x: 5, y: 6 }]);
  const removal = await evaluator.applyEdits([{ op: 'removeComponent', id: design.components[design.components.length - 1].id }]);
  const response = await evaluator.evaluate();
  const other = await evaluator.evaluateDesign(window.designs.valid_design);
  const elapsed = performance.now() - started;
  const engine = await evaluator.engine();
  const failure = await evaluator.applyEdits([{ op: 'removeComponent', id: 'missing' }]).catch((error) => ({ name: error.name, code: error.code, path: error.path, isError: error instanceof Error }));
  await evaluator.dispose();
  window.show(`${engine.kind}: ${loaded.relationshipsAdded.length + loaded.relationshipsUpdated.length} relationships changed on load`, {
    engine: `${engine.kind} (${engine.code})`, reason: engine.reason, revision: removal.revision,
    'relationships in design': response.design.relationships.length, 'actions on load': loaded.actions.length, 'ms (load + 2 batches + 2 evaluations)': elapsed.toFixed(1),
  });
  return { engine, transcript: JSON.stringify([loaded, batch, removal, response, other]), failure };
};

test('worker and main-thread paths in Chromium give the same answers; each reports why it was chosen', async () => {
  await withBrowser({}, async ({ open, consoleErrors }) => {
    const workerPage = await open();
    const onWorker = await workerPage.evaluate(SESSION, {});
    assert.equal(onWorker.engine.kind, 'worker');
    assert.equal(onWorker.engine.reason, 'Worker and WebAssembly are available');
    assert.deepEqual(onWorker.failure, { name: 'EvaluatorError', code: 'UNKNOWN_ID', path: '/0/id', isError: true });
    const workerShot = await screenshot(workerPage, 'worker-path');
    assert.ok(workerShot.differing > 1000, 'the worker-path screenshot shows the report');

    const mainPage = await open();
    const onMain = await mainPage.evaluate(SESSION, { engine: 'main-thread' });
    assert.equal(onMain.engine.kind, 'main-thread');
    assert.equal(onMain.engine.reason, "forced by the engine option ('main-thread')");
    assert.equal(onMain.transcript, onWorker.transcript);
    await screenshot(mainPage, 'main-thread-path');

    const noWorkerPage = await open();
    await noWorkerPage.evaluate(() => {
      delete window.Worker;
    });
    const withoutWorker = await noWorkerPage.evaluate(SESSION, {});
    assert.equal(withoutWorker.engine.kind, 'main-thread');
    assert.equal(withoutWorker.engine.reason, 'worker: this runtime has no Worker');
    assert.equal(withoutWorker.transcript, onWorker.transcript);
    assert.deepEqual(consoleErrors, []);
  });
});

test('a worker terminated mid-batch: the pending calls reject, the next call restores it, no acknowledged edit is lost', async () => {
  await withBrowser({}, async ({ open, consoleErrors }) => {
    const page = await open();
    const result = await page.evaluate(async () => {
      const { createEvaluator } = window.pkg;
      const workers = [];
      let killOnNextBatch = false;
      // The host creates the worker itself (as a CSP- or CDN-constrained app would), so the test can terminate it.
      const worker = () => {
        const created = new Worker('/dist/worker.js', { type: 'module' });
        const post = created.postMessage.bind(created);
        created.postMessage = (message, transfer) => {
          post(message, transfer);
          if (killOnNextBatch && message.type === 'request' && message.call.op === 'applyEdits') {
            killOnNextBatch = false;
            created.terminate(); // silent: no error event, no message; only the Web Lock tells
          }
        };
        workers.push(created);
        return created;
      };
      const evaluator = createEvaluator(window.definitions, { worker, snapshotEvery: 2 });
      const design = window.designs['edge-firewall-relationship'];
      const pods = design.components.filter((c) => c.component.kind === 'Pod').map((c) => c.id);
      await evaluator.loadDesign(design);
      await evaluator.applyEdits([{ op: 'renameComponent', id: pods[0], displayName: 'kept-1' }]);
      await evaluator.applyEdits([{ op: 'renameComponent', id: pods[1], displayName: 'kept-2' }]);
      await evaluator.applyEdits([{ op: 'moveComponent', id: pods[0], x: 1, y: 2 }]);
      const acknowledged = evaluator.revision;
      killOnNextBatch = true;
      const started = performance.now();
      const pending = await Promise.allSettled([
        evaluator.applyEdits([{ op: 'renameComponent', id: pods[0], displayName: 'lost' }]),
        evaluator.evaluate(),
      ]);
      const rejectedAfterMs = performance.now() - started;
      const after = await evaluator.design();
      const engine = await evaluator.engine();
      const retried = await evaluator.applyEdits([{ op: 'renameComponent', id: pods[0], displayName: 'lost' }]);
      await evaluator.dispose();
      const names = Object.fromEntries(after.components.filter((c) => pods.includes(c.id)).map((c) => [c.id, c.displayName]));
      window.show('worker terminated mid-batch, then restored', {
        'pending calls': pending.map((p) => p.status === 'rejected' ? p.reason.code : 'fulfilled').join(', '),
        'rejected after (ms)': rejectedAfterMs.toFixed(1), 'acknowledged revision': acknowledged, 'revision after restore': evaluator.revision,
        'workers started': workers.length, restarts: engine.restarts, 'kept names': `${names[pods[0]]}, ${names[pods[1]]}`,
      });
      return {
        outcomes: pending.map((p) => (p.status === 'rejected' ? { code: p.reason.code, name: p.reason.name } : 'fulfilled')),
        rejectedAfterMs, acknowledged, names: [names[pods[0]], names[pods[1]]],
        position: after.components.find((c) => c.id === pods[0]).styles?.position,
        restarts: engine.restarts, kind: engine.kind, workers: workers.length, retriedRevision: retried.revision,
      };
    });
    assert.deepEqual(result.outcomes, [{ code: 'WORKER_CRASHED', name: 'EvaluatorError' }, { code: 'WORKER_CRASHED', name: 'EvaluatorError' }]);
    assert.ok(result.rejectedAfterMs < 5000, `rejected after ${result.rejectedAfterMs} ms`);
    assert.deepEqual(result.names, ['kept-1', 'kept-2']);
    assert.deepEqual(result.position, { x: 1, y: 2 });
    assert.equal(result.acknowledged, 4);
    assert.equal(result.retriedRevision, 5);
    assert.deepEqual([result.kind, result.restarts, result.workers], ['worker', 1, 2]);
    await screenshot(page, 'worker-crash-recovery');
    assert.deepEqual(consoleErrors, []);
  });
});

test('latest wins in the browser: superseded evaluations reject, the newest resolves', async () => {
  await withBrowser({}, async ({ open }) => {
    const page = await open();
    const outcomes = await page.evaluate(async () => {
      const evaluator = window.pkg.createEvaluator(window.definitions);
      await evaluator.loadDesign(window.designs.valid_design);
      const calls = [window.designs.valid_design, window.designs.kubernetes_basic, window.designs['edge-firewall-relationship']].map((d) => evaluator.evaluateDesign(d));
      const settled = await Promise.allSettled(calls);
      await evaluator.dispose();
      return settled.map((s) => (s.status === 'fulfilled' ? s.value.design.components.length : s.reason.code));
    });
    assert.deepEqual(outcomes.slice(0, 2), ['SUPERSEDED', 'SUPERSEDED']);
    assert.ok(typeof outcomes[2] === 'number' && outcomes[2] > 0, JSON.stringify(outcomes));
  });
});

test('the worker build, imported by code that already runs in a worker, evaluates in that thread', async () => {
  await withBrowser({}, async ({ open, consoleErrors }) => {
    const page = await open();
    const result = await page.evaluate(async () => {
      const worker = new Worker('/pages/inside-worker.js', { type: 'module' });
      const answer = new Promise((resolve) => worker.addEventListener('message', (event) => resolve(event.data), { once: true }));
      worker.postMessage({ definitions: window.definitions, design: window.designs.valid_design });
      const data = await answer;
      worker.terminate();
      const reference = window.pkg.createEvaluator(window.definitions, { engine: 'main-thread' });
      const expected = await reference.loadDesign(window.designs.valid_design);
      await reference.dispose();
      return { ...data, same: JSON.stringify(data.delta) === JSON.stringify(expected) };
    });
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.engine.kind, 'main-thread');
    assert.equal(result.engine.reason, 'worker: the worker build evaluates in its own thread (it already runs off the main thread)');
    assert.equal(result.same, true);
    assert.deepEqual(consoleErrors, []);
  });
});
