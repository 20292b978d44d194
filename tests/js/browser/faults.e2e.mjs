// Worker faults in real headless Chromium, beyond the silent terminate() of engines.e2e.mjs:
//  - the published worker throwing an uncaught error while a batch is pending (pages/fault-worker.js);
//  - WebAssembly really running out of memory: the shipped wasm with its memory capped at 4 MiB,
//    loaded through init(url), once inside the evaluation and once while a batch's text is copied
//    into wasm memory (a trap in the glue's allocator call, before the exported call starts; the
//    allocator wrapper of src/wasm/mod.rs flags both; checked in Node first);
//  - a real Rust panic, and a trap without one, in the worker's wasm (the panic-test build under
//    the package's real worker, pages/panicking-worker.src.js).
// In the worker the pending calls reject with a clear code (WORKER_CRASHED, POISONED), the worker
// is replaced and restored from snapshot + journal, and no acknowledged edit is lost. On the main
// thread nothing can replace the instance: after a trap it is not called again and every call
// rejects with POISONED. The wasm variants come from scripts/build-fault-wasm.mjs (target/fault-wasm/,
// served as /app/); screenshots go to target/js-artifacts.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SMALL_MEMORY_BYTES, capMemory } from '../../../scripts/build-fault-wasm.mjs';
import { root, screenshot, withBrowser } from './harness.mjs';

const faultWasm = join(root, 'target/fault-wasm');

before(async () => {
  // Up to date: well under a second. Cold: one cargo build of the crate with the panic-test feature.
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'scripts/build-fault-wasm.mjs')], { cwd: root, timeout: 420_000, maxBuffer: 1 << 24 });
  if (stdout.trim()) console.log(stdout.trim());
});

/** Rejects when `promise` takes longer than `ms`, so that a call that never settles fails the test instead of hanging it. */
function bounded(promise, ms = 60_000, what = 'the scenario') {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Console errors other than the ones a scenario provokes on purpose. */
const unexpected = (errors, ...expected) => errors.filter((text) => !expected.some((pattern) => pattern.test(text)));

/** In the page: an evaluator with three acknowledged changes, and a reader of its state. */
const SETUP = `
  window.session = async (evaluator) => {
    const design = window.designs['edge-firewall-relationship'];
    const pods = design.components.filter((c) => c.component.kind === 'Pod').map((c) => c.id);
    await evaluator.loadDesign(design);
    await evaluator.applyEdits([{ op: 'renameComponent', id: pods[0], displayName: 'kept-1' }]);
    await evaluator.applyEdits([{ op: 'renameComponent', id: pods[1], displayName: 'kept-2' }, { op: 'moveComponent', id: pods[0], x: 1, y: 2 }]);
    return pods;
  };
  window.state = async (evaluator, pods) => {
    const design = await evaluator.design();
    const byId = Object.fromEntries(design.components.map((c) => [c.id, c]));
    return { names: pods.slice(0, 2).map((id) => byId[id].displayName), position: byId[pods[0]].styles?.position, components: design.components.length };
  };
  /** Arms a fault in the live test worker over its BroadcastChannel; resolves once it is armed. */
  window.arm = (channelName, message) => new Promise((resolve) => {
    const channel = new BroadcastChannel(channelName);
    channel.onmessage = (event) => {
      if (event.data?.type !== 'armed') return;
      channel.close();
      resolve();
    };
    channel.postMessage(message);
  });
  window.outcome = (settled) => settled.status === 'fulfilled' ? 'fulfilled' : { name: settled.reason.name, code: settled.reason.code, message: settled.reason.message };
`;

test('a worker that throws mid-batch: the pending calls reject with WORKER_CRASHED, the worker is replaced and restored, the retried batch applies', async () => {
  await withBrowser({}, async ({ open, consoleErrors }) => {
    const page = await open();
    await page.evaluate(SETUP);
    const result = await bounded(page.evaluate(async () => {
      const workers = [];
      // The published worker, wrapped by a page script that can make it throw (pages/fault-worker.js).
      const worker = () => {
        const created = new Worker('/pages/fault-worker.js', { type: 'module' });
        workers.push(created);
        return created;
      };
      const evaluator = window.pkg.createEvaluator(window.definitions, { worker, snapshotEvery: 2 });
      const pods = await window.session(evaluator);
      const acknowledged = evaluator.revision;
      const errorEvents = [];
      workers[0].addEventListener('error', (event) => errorEvents.push(event.message));
      await window.arm('fault-worker', { type: 'fail-next-batch', message: 'deliberate fault: the worker threw while a batch was pending' });
      const batch = [{ op: 'renameComponent', id: pods[0], displayName: 'retried' }];
      const started = performance.now();
      const pending = (await Promise.allSettled([evaluator.applyEdits(batch), evaluator.evaluate(), evaluator.design()])).map(window.outcome);
      const rejectedAfterMs = performance.now() - started;
      const restored = await window.state(evaluator, pods);
      const revisionAfterRestore = evaluator.revision;
      const retried = await evaluator.applyEdits(batch);
      const after = await window.state(evaluator, pods);
      const engine = await evaluator.engine();
      await evaluator.dispose();
      window.show('worker threw mid-batch: replaced and restored', {
        'pending calls': pending.map((p) => p.code ?? p).join(', '),
        message: pending[0].message, 'rejected after (ms)': rejectedAfterMs.toFixed(1),
        'acknowledged revision': acknowledged, 'revision after restore': revisionAfterRestore, 'retried batch revision': retried.revision,
        'names after restore': restored.names.join(', '), 'names after retry': after.names.join(', '),
        'workers started': workers.length, restarts: engine.restarts, engine: engine.kind,
      });
      return { pending, rejectedAfterMs, acknowledged, revisionAfterRestore, restored, retried: retried.revision, after, errorEvents, workers: workers.length, restarts: engine.restarts, kind: engine.kind };
    }));
    for (const outcome of result.pending) {
      assert.equal(outcome.name, 'EvaluatorError');
      assert.equal(outcome.code, 'WORKER_CRASHED');
      assert.match(outcome.message, /^the evaluation worker died: .*deliberate fault: the worker threw while a batch was pending/);
    }
    assert.ok(result.rejectedAfterMs < 5000, `rejected after ${result.rejectedAfterMs} ms`);
    assert.equal(result.acknowledged, 3);
    assert.equal(result.revisionAfterRestore, 3);
    assert.deepEqual(result.restored.names, ['kept-1', 'kept-2']);
    assert.deepEqual(result.restored.position, { x: 1, y: 2 });
    assert.equal(result.retried, 4);
    assert.deepEqual(result.after.names, ['retried', 'kept-2']);
    assert.deepEqual([result.kind, result.restarts, result.workers], ['worker', 1, 2]);
    assert.equal(result.errorEvents.length, 1, 'the page saw the worker\'s error event');
    const shot = await screenshot(page, 'fault-worker-error');
    assert.ok(shot.differing > 1000);
    assert.deepEqual(unexpected(consoleErrors, /deliberate fault: the worker threw/), []);
  });
});

/** Two batches too big for the capped memory: one fails while being evaluated, one before (copying its text into wasm memory). */
const BIG_BATCHES = [['while evaluating', 500], ['while copying the batch in', 5000]];

/** app.js's `syntheticDesign`: a Namespace and `count` × (Deployment, Service selecting it, ConfigMap). */
function syntheticDesign(count) {
  const component = (id, kind, configuration, displayName = id) => ({ id, component: { kind }, displayName, modelReference: { name: 'kubernetes' }, configuration });
  const components = [component('ns', 'Namespace', {}, 'shop')];
  for (let i = 0; i < count; i++) {
    const labels = { app: `app-${i}` };
    components.push(
      component(`deploy-${i}`, 'Deployment', { metadata: { namespace: 'shop', labels }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels } } } }),
      component(`svc-${i}`, 'Service', { metadata: { namespace: 'shop' }, spec: { selector: labels } }),
      component(`cm-${i}`, 'ConfigMap', { metadata: { namespace: 'shop' }, data: { key: `value-${i}` } }),
    );
  }
  return { id: '00000000-0000-0000-0000-00000000beef', name: `synthetic-${count}`, version: '0.0.1', components, relationships: [] };
}

test('where each big batch runs out of the capped memory (the same module, in Node): inside the call and while its text is copied in, the instance flags itself poisoned both times', async () => {
  const kubernetes = join(root, '../shared/fixtures/meshery/relationships/kubernetes');
  const definitions = JSON.stringify(readdirSync(kubernetes).filter((n) => n.endsWith('.json')).sort().map((n) => JSON.parse(readFileSync(join(kubernetes, n), 'utf8'))));
  const bytes = capMemory(readFileSync(join(root, 'pkg/web/relationship_evaluator_bg.wasm')), SMALL_MEMORY_BYTES / 65536);
  const phases = [];
  for (const [index, [when, count]] of BIG_BATCHES.entries()) {
    // A fresh glue module (and so a fresh instance) per batch.
    const glue = await import(`../../../pkg/web/relationship_evaluator.js?out-of-memory-${index}`);
    await glue.default({ module_or_path: bytes });
    const evaluator = new glue.Evaluator(definitions, null);
    evaluator.loadDesign(JSON.stringify(syntheticDesign(5)));
    let thrown = null;
    try {
      evaluator.loadDesign(JSON.stringify(syntheticDesign(count)));
    } catch (error) {
      thrown = error;
    }
    phases.push({ when, trapped: thrown instanceof WebAssembly.RuntimeError, isPoisoned: glue.isPoisoned() });
  }
  assert.deepEqual(phases, [
    { when: 'while evaluating', trapped: true, isPoisoned: true },
    // The trap is in the glue's __wbindgen_malloc, before the exported call starts: the
    // allocator that failed flagged it (worker/host.ts also treats any RuntimeError as a trap).
    { when: 'while copying the batch in', trapped: true, isPoisoned: true },
  ]);
});

test('WebAssembly out of memory in the worker: the calls reject with POISONED, the worker is replaced and restored, later edits work', async () => {
  await withBrowser({ directory: faultWasm }, async ({ open, consoleErrors }) => {
    const page = await open();
    await page.evaluate(SETUP);
    const result = await bounded(page.evaluate(async (batches) => {
      // The shipped wasm with its memory capped at 4 MiB, in the package's own worker.
      await window.pkg.init('/app/small-memory/relationship_evaluator_bg.wasm');
      const evaluator = window.pkg.createEvaluator(window.definitions, { snapshotEvery: 2 });
      const pods = await window.session(evaluator);
      const rounds = [];
      for (const [when, count] of batches) {
        const big = JSON.stringify(window.syntheticDesign(count));
        const acknowledged = evaluator.revision;
        const started = performance.now();
        const pending = (await Promise.allSettled([
          evaluator.loadDesign(big),
          evaluator.evaluate(),
          evaluator.applyEdits([{ op: 'renameComponent', id: pods[1], displayName: 'lost' }]),
        ])).map(window.outcome);
        const rejectedAfterMs = performance.now() - started;
        const restored = await window.state(evaluator, pods);
        rounds.push({ when, components: 1 + 3 * count, bytes: big.length, pending, rejectedAfterMs, acknowledged, revision: evaluator.revision, restored });
      }
      const later = await evaluator.applyEdits([{ op: 'renameComponent', id: pods[1], displayName: 'after-oom' }]);
      const after = await window.state(evaluator, pods);
      const engine = await evaluator.engine();
      await evaluator.dispose();
      window.show('out of memory in wasm (worker): replaced and restored', {
        ...Object.fromEntries(rounds.map((round) => [`${round.components} components (${(round.bytes / 1e6).toFixed(1)} MB), OOM ${round.when}`,
          `${round.pending.map((p) => p.code ?? p).join(', ')} after ${round.rejectedAfterMs.toFixed(0)} ms; revision ${round.acknowledged} → ${round.revision}; names ${round.restored.names.join(', ')}`])),
        message: rounds[0].pending[0].message,
        'later edit': `revision ${later.revision}, names ${after.names.join(', ')}`,
        engine: engine.kind, restarts: engine.restarts,
      });
      return { rounds, later: later.revision, after, kind: engine.kind, restarts: engine.restarts };
    }, BIG_BATCHES));
    for (const round of result.rounds) {
      assert.equal(round.pending[0].code, 'POISONED', `${round.when}: ${JSON.stringify(round.pending[0])}`);
      assert.match(round.pending[0].message, /stopped mid-call/);
      for (const other of round.pending.slice(1)) assert.equal(other.code, 'POISONED', `${round.when}: ${JSON.stringify(other)}`);
      assert.equal(round.revision, 3);
      assert.deepEqual(round.restored.names, ['kept-1', 'kept-2']);
      assert.deepEqual(round.restored.position, { x: 1, y: 2 });
    }
    assert.equal(result.later, 4);
    assert.deepEqual(result.after.names, ['kept-1', 'after-oom']);
    assert.deepEqual([result.kind, result.restarts], ['worker', 2]);
    await screenshot(page, 'fault-oom-worker');
    assert.deepEqual(unexpected(consoleErrors), []);
  });
});

test('WebAssembly out of memory on the main thread: that call and every later one reject with POISONED; the instance is not used again', async () => {
  await withBrowser({ directory: faultWasm }, async ({ open, consoleErrors }) => {
    for (const [when, count] of BIG_BATCHES) {
      const page = await open();
      await page.evaluate(SETUP);
      const result = await bounded(page.evaluate(async (count) => {
        await window.pkg.init('/app/small-memory/relationship_evaluator_bg.wasm');
        const evaluator = window.pkg.createEvaluator(window.definitions, { engine: 'main-thread' });
        const pods = await window.session(evaluator);
        const acknowledged = evaluator.revision;
        const [oom] = (await Promise.allSettled([evaluator.loadDesign(JSON.stringify(window.syntheticDesign(count)))])).map(window.outcome);
        const later = [];
        for (const call of [
          () => evaluator.applyEdits([{ op: 'renameComponent', id: pods[1], displayName: 'after-oom' }]),
          () => evaluator.design(),
          () => evaluator.evaluate(),
          () => evaluator.snapshot(),
        ]) later.push(...(await Promise.allSettled([call()])).map(window.outcome));
        // A new evaluator on the same engine (the page has one main-thread instance) fails the same way.
        const fresh = window.pkg.createEvaluator(window.definitions, { engine: 'main-thread' });
        const [freshLoad] = (await Promise.allSettled([fresh.loadDesign(window.designs.valid_design)])).map(window.outcome);
        const engine = await evaluator.engine();
        const disposed = (await Promise.allSettled([evaluator.dispose(), fresh.dispose()])).map(window.outcome);
        window.show(`out of memory in wasm (main thread), ${1 + 3 * count} components`, {
          'the call': `${oom.code}: ${oom.message}`,
          'later calls': later.map((p) => p.code ?? p).join(', '), 'their message': later[0].message,
          'a new evaluator': freshLoad.code ?? freshLoad, 'acknowledged revision': acknowledged, revision: evaluator.revision,
          engine: `${engine.kind} (${engine.reason})`, dispose: disposed.join(', '),
        });
        return { oom, later, freshLoad, acknowledged, revision: evaluator.revision, kind: engine.kind, disposed };
      }, count));
      assert.equal(result.oom.code, 'POISONED', `${when}: ${JSON.stringify(result.oom)}`);
      assert.match(result.oom.message, /stopped mid-call/);
      for (const outcome of [...result.later, result.freshLoad]) {
        assert.equal(outcome.code, 'POISONED', `${when}: ${JSON.stringify(outcome)}`);
        assert.match(outcome.message, /not used again/);
      }
      assert.equal(result.revision, result.acknowledged);
      assert.equal(result.kind, 'main-thread');
      assert.deepEqual(result.disposed, ['fulfilled', 'fulfilled']);
      await screenshot(page, `fault-oom-main-thread-${count}`);
      await page.close();
    }
    assert.deepEqual(unexpected(consoleErrors), []);
  });
});

test('a Rust panic (and a trap without one) in the worker\'s wasm: the calls reject with POISONED, the worker is replaced and restored, the retried batch applies', async () => {
  await withBrowser({ directory: faultWasm }, async ({ open, consoleErrors }) => {
    const page = await open();
    await page.evaluate(SETUP);
    const result = await bounded(page.evaluate(async () => {
      const workers = [];
      // The package's worker over the panic-test build of the wasm (scripts/build-fault-wasm.mjs).
      const worker = () => {
        const created = new Worker('/app/panic-test/worker.js', { type: 'module' });
        workers.push(created);
        return created;
      };
      const evaluator = window.pkg.createEvaluator(window.definitions, { worker, snapshotEvery: 2 });
      const pods = await window.session(evaluator);
      const rounds = [];
      for (const fault of ['panic', 'trap']) {
        const acknowledged = evaluator.revision;
        await window.arm('panicking-worker', { type: 'arm', fault });
        const batch = [{ op: 'renameComponent', id: pods[1], displayName: `after-${fault}` }];
        const started = performance.now();
        const pending = (await Promise.allSettled([evaluator.applyEdits(batch), evaluator.evaluate(), evaluator.design()])).map(window.outcome);
        const rejectedAfterMs = performance.now() - started;
        const restored = await window.state(evaluator, pods);
        const revisionAfterRestore = evaluator.revision;
        const retried = await evaluator.applyEdits(batch);
        const after = await window.state(evaluator, pods);
        rounds.push({ fault, pending, rejectedAfterMs, acknowledged, revisionAfterRestore, restored, retried: retried.revision, after });
      }
      const engine = await evaluator.engine();
      await evaluator.dispose();
      window.show('panic / trap in the worker\'s wasm: replaced and restored', {
        ...Object.fromEntries(rounds.map((round) => [round.fault,
          `${round.pending.map((p) => p.code ?? p).join(', ')} after ${round.rejectedAfterMs.toFixed(0)} ms; revision ${round.acknowledged} → ${round.revisionAfterRestore} → retried ${round.retried}; names ${round.after.names.join(', ')}`])),
        'panic message': rounds[0].pending[0].message,
        'workers started': workers.length, restarts: engine.restarts, engine: engine.kind,
      });
      return { rounds, workers: workers.length, restarts: engine.restarts, kind: engine.kind };
    }));
    let revision = 3;
    for (const round of result.rounds) {
      assert.deepEqual(round.pending.map((p) => p.code), ['POISONED', 'POISONED', 'POISONED'], JSON.stringify(round.pending));
      assert.match(round.pending[0].message, /stopped mid-call/);
      assert.equal(round.acknowledged, revision);
      assert.equal(round.revisionAfterRestore, revision);
      assert.equal(round.restored.names[0], 'kept-1');
      assert.deepEqual(round.restored.position, { x: 1, y: 2 });
      assert.equal(round.retried, ++revision);
      assert.deepEqual(round.after.names, ['kept-1', `after-${round.fault}`]);
    }
    assert.equal(result.rounds[1].restored.names[1], 'after-panic', 'the batch retried after the panic survived the trap');
    assert.deepEqual([result.kind, result.restarts, result.workers], ['worker', 2, 3]);
    await screenshot(page, 'fault-panic-worker');
    assert.ok(consoleErrors.some((text) => /deliberate panic to test the poisoned-instance policy/.test(text)), 'the panic hook reported a real Rust panic');
    assert.deepEqual(unexpected(consoleErrors, /deliberate panic to test the poisoned-instance policy/), []);
  });
});
