// A worker that dies silently, in real headless Chromium. A terminated or self-closed worker fires
// no event at all (nor does one the browser kills for memory); the package notices through the
// Web Lock its worker holds for life (js/worker-transport.ts). tests/js/unit/protocol.test.ts
// checks that logic with fakes; engines.e2e.mjs terminates a worker the package was handed through
// its `worker` option. Here the package creates its own worker, as an app does, and the test kills
// it from outside the package: the page's `Worker` constructor is wrapped (WATCH below) so the test
// holds the real worker object and can call `terminate()` on it, or the worker is made to call
// `self.close()` through Playwright (CDP, in the worker's own context).
//   (a) During the handshake: after the worker took its life lock (its `locked` message) and while
//       its wasm download is held back by the test. `auto` falls through to the main thread at once;
//       `engine: 'worker'` rejects with WORKER_CRASHED at once and the next call starts a new worker.
//   (b) After it is ready, with a design loaded, edits applied and the journal compacted once: the
//       death is noticed at once (a batch sent to the dead worker rejects with WORKER_CRASHED; an idle
//       death is seen through `engineInfo()`, which is null from then until the next call), the next
//       call starts a new worker and restores the state (design text and revision equal to before),
//       and the next edit applies.
// Every "at once" is measured, printed, saved in target/js-artifacts/silent-death.json and asserted
// well under the 15 s WORKER_TIMEOUT; screenshots go to target/js-artifacts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { saveArtifact, screenshot, withBrowser } from './harness.mjs';

/** Rejects when `promise` takes longer than `ms`: a death never noticed fails the test instead of hanging it. */
function bounded(promise, what, ms = 60_000) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Far below the 15 s handshake timeout, far above what the lock takes (a few ms here). */
const AT_ONCE_MS = 3000;
const figures = {};

/**
 * In the page: `window.Worker` wrapped so that every worker the package creates is kept, with the
 * time of each message type it posted (`locked`, `ready`), in `window.watched`.
 */
const WATCH = () => {
  const Native = window.Worker;
  const watched = [];
  window.watched = watched;
  window.Worker = class WatchedWorker extends Native {
    constructor(url, options) {
      super(url, options);
      const entry = { url: String(url), worker: this, posted: {} };
      watched.push(entry);
      this.addEventListener('message', (event) => {
        const type = event.data?.type;
        if (typeof type === 'string' && !(type in entry.posted)) entry.posted[type] = performance.now();
      });
    }
  };
  /** An evaluator session: the design loaded, three batches; `state()` reads it back as text. */
  window.session = async (evaluator) => {
    const design = window.designs['edge-firewall-relationship'];
    const pods = design.components.filter((c) => c.component.kind === 'Pod').map((c) => c.id);
    await evaluator.loadDesign(design);
    await evaluator.applyEdits([{ op: 'renameComponent', id: pods[0], displayName: 'kept-1' }]);
    await evaluator.applyEdits([{ op: 'renameComponent', id: pods[1], displayName: 'kept-2' }, { op: 'moveComponent', id: pods[0], x: 1, y: 2 }]);
    await evaluator.applyEdits([{ op: 'moveComponent', id: pods[1], x: 3, y: 4 }]);
    return pods;
  };
  /** Resolves with the milliseconds until `engineInfo()` is null (the package let go of its dead worker). */
  window.untilEngineGone = (since) => new Promise((resolve, reject) => {
    const poll = () => {
      if (window.pkg.engineInfo() === null) resolve(performance.now() - since);
      else if (performance.now() - since > 20000) reject(new Error('engineInfo() still names the dead worker after 20 s'));
      else setTimeout(poll, 1);
    };
    poll();
  });
  window.outcome = (settled) => (settled.status === 'fulfilled' ? 'fulfilled' : { name: settled.reason.name, code: settled.reason.code, message: settled.reason.message });
};

/** Playwright's handles of the page's workers, in creation order (for `self.close()` inside one). */
function workerHandles(page) {
  const handles = [];
  page.on('worker', (worker) => handles.push(worker));
  return async (index) => {
    for (const deadline = Date.now() + 10000; !handles[index] && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 10));
    if (!handles[index]) throw new Error(`the page has no worker number ${index + 1}`);
    return handles[index];
  };
}

/** Makes the worker call `self.close()` in its own context (Playwright evaluates it there over CDP). */
async function closeFromInside(worker) {
  // The evaluation may not come back: the worker is gone.
  await worker.evaluate(() => self.close()).catch(() => {});
}

test('(a) a worker that dies silently during its handshake is seen at once and started once more, in the same call (auto and engine: "worker")', async () => {
  await withBrowser({}, async ({ open, consoleErrors }) => {
    const results = {};
    for (const [preference, kill] of [['auto', 'terminate'], ['worker', 'self.close']]) {
      const page = await open();
      const workerHandle = workerHandles(page);
      await page.evaluate(WATCH);
      // The first wasm request is the new worker's, made right after it took its lock and said
      // `locked`: hold it, so the worker is killed mid-handshake, before `ready`.
      const wasmRequests = [];
      let release;
      const held = new Promise((resolve) => {
        release = resolve;
      });
      await page.context().route('**/*.wasm', async (route) => {
        wasmRequests.push(Date.now());
        if (wasmRequests.length === 1) {
          await held;
          await route.abort().catch(() => {});
        } else {
          await route.continue();
        }
      });
      try {
        await page.evaluate((engine) => {
          window.evaluator = window.pkg.createEvaluator(window.definitions, { engine });
          window.first = window.evaluator.loadDesign(window.designs['edge-firewall-relationship']).then(
            (delta) => ({ status: 'fulfilled', at: performance.now(), revision: delta.revision }),
            (error) => ({ status: 'rejected', at: performance.now(), code: error.code, message: error.message }),
          );
        }, preference);
        await page.waitForFunction(() => window.watched[0]?.posted.locked !== undefined, null, { timeout: 30000 });
        for (const deadline = Date.now() + 10000; wasmRequests.length === 0 && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 10));
        assert.equal(wasmRequests.length, 1, 'the worker asked for its wasm');
        const playwrightWorker = kill === 'self.close' ? await workerHandle(0) : null;
        const killedAtNode = Date.now();
        const killedAt = await page.evaluate((how) => {
          const at = performance.now();
          if (how === 'terminate') window.watched[0].worker.terminate();
          return at;
        }, kill);
        if (playwrightWorker) await closeFromInside(playwrightWorker);
        const first = await bounded(page.evaluate(() => window.first), 'the first loadDesign');
        const ready = await page.evaluate(() => window.watched[0].posted.ready ?? null);
        assert.equal(ready, null, 'the worker died before it was ready');
        const noticedMs = first.at - killedAt;
        // A silent stop while starting may be transient (a tab under memory pressure): the worker
        // rung is started once more, at once, in the same call, whether forced or not; only a
        // second death goes on down the ladder (ladder.test.ts).
        assert.equal(first.status, 'fulfilled', JSON.stringify(first));
        assert.equal(first.revision, 1);
        const engine = await page.evaluate(() => window.evaluator.engine());
        assert.equal(engine.kind, 'worker');
        assert.deepEqual(engine.skipped, []);
        const workers = await page.evaluate(() => ({ created: window.watched.length, secondReady: window.watched[1]?.posted.ready !== undefined }));
        assert.deepEqual(workers, { created: 2, secondReady: true });
        assert.equal(wasmRequests.length, 2);
        const restartedMs = wasmRequests[1] - killedAtNode;
        const scenario = { kill, noticedMs: restartedMs, loadResolvedMs: noticedMs, engine: engine.kind, workers: workers.created };
        await page.evaluate((rows) => window.show(`(a) worker killed mid-handshake, engine: "${rows.preference}": started once more`, rows), {
          preference, 'killed with': `${kill}() after "locked", wasm download held`, 'second worker asked for its wasm after (ms)': restartedMs,
          'first loadDesign resolved after (ms)': noticedMs.toFixed(1), engine: engine.kind, 'workers created': workers.created,
        });
        console.log(`(a) ${preference}, ${kill}: death seen after ${scenario.noticedMs.toFixed(1)} ms`);
        assert.ok(scenario.noticedMs < AT_ONCE_MS, `the death was seen after ${scenario.noticedMs} ms`);
        results[preference] = scenario;
        const shot = await screenshot(page, `silent-death-handshake-${preference}`);
        assert.ok(shot.differing > 1000);
        await page.evaluate(() => window.evaluator.dispose());
      } finally {
        release();
      }
      await page.close();
    }
    figures.handshake = results;
    // The aborted download of the dead worker's wasm is the only error the page logs.
    assert.deepEqual(consoleErrors.filter((text) => !/relationship_evaluator_bg\.wasm|ERR_FAILED/.test(text)), []);
  });
});

test('(b) a ready worker with a loaded, edited design dies silently: seen at once, the next call restores design and revision in a new worker, the next edit applies', async () => {
  await withBrowser({}, async ({ open, consoleErrors }) => {
    const page = await open();
    const workerHandle = workerHandles(page);
    await page.evaluate(WATCH);
    const before = await page.evaluate(async () => {
      // snapshotEvery 2: the state to restore is a snapshot plus a journal.
      window.evaluator = window.pkg.createEvaluator(window.definitions, { snapshotEvery: 2 });
      window.pods = await window.session(window.evaluator);
      return { revision: window.evaluator.revision, design: await window.evaluator.design({ output: 'text' }), kind: (await window.evaluator.engine()).kind };
    });
    assert.equal(before.kind, 'worker');
    assert.equal(before.revision, 4);
    const rounds = [];

    // 1. terminate() on the real worker, and at once (before the package can know) a batch, which
    //    goes to the dead worker: it rejects with WORKER_CRASHED as soon as the lock says so.
    const terminated = await bounded(page.evaluate(async () => {
      const batch = [{ op: 'renameComponent', id: window.pods[0], displayName: 'lost' }];
      const killedAt = performance.now();
      window.watched[0].worker.terminate();
      const [pending] = (await Promise.allSettled([window.evaluator.applyEdits(batch)])).map(window.outcome);
      const noticedMs = performance.now() - killedAt;
      const gone = window.pkg.engineInfo();
      return { pending, noticedMs, engineGone: gone === null };
    }), 'the batch sent to the terminated worker');
    assert.equal(terminated.pending.code, 'WORKER_CRASHED', JSON.stringify(terminated.pending));
    assert.match(terminated.pending.message, /^the evaluation worker died: the worker stopped \(terminated, closed or out of memory\)/);
    assert.equal(terminated.engineGone, true);
    rounds.push({ kill: 'terminate (a batch in flight)', ...terminated });

    // 2. self.close() inside the (new) worker while it is idle: `engineInfo()` goes null when the
    //    package notices. The worker is started by the restore below.
    const restoredAfterTerminate = await bounded(page.evaluate(async () => ({
      design: await window.evaluator.design({ output: 'text' }), revision: window.evaluator.revision, workers: window.watched.length,
    })), 'the restore');
    const second = await workerHandle(1);
    const since = await page.evaluate(() => performance.now());
    const gone = page.evaluate((at) => window.untilEngineGone(at), since);
    await closeFromInside(second);
    const closed = { noticedMs: await bounded(gone, 'noticing the self-closed worker', 30_000) };
    rounds.push({ kill: 'self.close (idle)', ...closed });

    const after = await bounded(page.evaluate(async () => {
      const design = await window.evaluator.design({ output: 'text' });
      const revision = window.evaluator.revision;
      const next = await window.evaluator.applyEdits([{ op: 'renameComponent', id: window.pods[0], displayName: 'after-death' }]);
      const names = Object.fromEntries((await window.evaluator.design()).components.map((c) => [c.id, c.displayName]));
      const engine = await window.evaluator.engine();
      return { design, revision, next: next.revision, names: window.pods.slice(0, 2).map((id) => names[id]), kind: engine.kind, restarts: engine.restarts, workers: window.watched.length };
    }), 'the second restore');
    for (const round of rounds) {
      console.log(`(b) ${round.kill}: death seen after ${round.noticedMs.toFixed(1)} ms`);
      assert.ok(round.noticedMs < AT_ONCE_MS, `${round.kill}: the death was seen after ${round.noticedMs} ms`);
    }
    assert.equal(restoredAfterTerminate.revision, before.revision);
    assert.equal(restoredAfterTerminate.design, before.design, 'the restored design is the design before the death');
    assert.equal(restoredAfterTerminate.workers, 2);
    assert.equal(after.revision, before.revision);
    assert.equal(after.design, before.design, 'restored again after the second death');
    assert.equal(after.next, before.revision + 1);
    assert.deepEqual(after.names, ['after-death', 'kept-2']);
    assert.deepEqual([after.kind, after.restarts, after.workers], ['worker', 2, 3]);
    figures.ready = { rounds, revision: before.revision, designBytes: before.design.length, after: { ...after, design: after.design === before.design ? 'equal to before' : after.design } };
    await page.evaluate((rows) => window.show('(b) ready worker killed twice, restored each time', rows), {
      ...Object.fromEntries(rounds.map((round) => [`${round.kill}: seen after (ms)`, round.noticedMs.toFixed(1)])),
      'pending batch': `${terminated.pending.code}: ${terminated.pending.message}`,
      'revision before / after restore / next edit': `${before.revision} / ${after.revision} / ${after.next}`,
      'design text after restore': after.design === before.design ? `equal (${before.design.length} bytes)` : 'DIFFERENT',
      'workers created': after.workers, restarts: after.restarts,
    });
    const shot = await screenshot(page, 'silent-death-ready');
    assert.ok(shot.differing > 1000);
    await page.evaluate(() => window.evaluator.dispose());
    assert.deepEqual(consoleErrors, []);
  });
  saveArtifact('silent-death.json', figures);
});
