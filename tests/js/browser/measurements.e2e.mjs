// Figures, all measured in one headless Chromium run: cold start to the first result (worker
// path), the worker round trip of a one-edit batch against the engine time inside the worker (and
// the bare messaging floor), and the JavaScript engine against main-thread WebAssembly on the same
// work, for a real design and a larger synthetic one. Printed as test diagnostics, saved to
// target/js-artifacts/measurements.json, shown in a screenshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { saveArtifact, screenshot, withBrowser } from './harness.mjs';

test('measurements: cold start, worker round-trip overhead, JavaScript engine vs WebAssembly', async (t) => {
  await withBrowser({}, async ({ open }) => {
    const page = await open();
    const figures = await page.evaluate(async () => {
      const { createEvaluator } = window.pkg;
      const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
      const round = (n) => Math.round(n * 100) / 100;
      const designs = { 'edge-firewall (real)': window.designs['edge-firewall-relationship'], 'synthetic-100': window.syntheticDesign(100) };
      const moved = (design) => design.components.find((c) => ['Pod', 'Deployment'].includes(c.component.kind)).id;
      const figures = { designs: {} };

      // 1. Cold start (nothing loaded yet in this browser): createEvaluator → first evaluation result.
      const coldStart = performance.now();
      const onWorker = createEvaluator(window.definitions);
      const first = await onWorker.evaluateDesign(designs['edge-firewall (real)']);
      const info = await onWorker.engine();
      figures.coldStart = { ms: round(performance.now() - coldStart), sinceNavigationMs: round(performance.now()), engine: info.kind, engineLoadMs: round(info.loadMs), relationships: first.design.relationships.length };

      // 2. The messaging floor: a raw worker's round trip for a request that does no engine work.
      const raw = new Worker('/dist/worker.js', { type: 'module' });
      const reply = () => new Promise((resolve) => raw.addEventListener('message', (event) => resolve(event.data), { once: true }));
      raw.postMessage({ type: 'init', source: { kind: 'default' } });
      await reply();
      const floor = [];
      for (let id = 1; id <= 45; id++) {
        const started = performance.now();
        raw.postMessage({ type: 'request', id, session: 999, call: { op: 'design' } });
        await reply();
        if (id > 5) floor.push(performance.now() - started);
      }
      raw.terminate();
      figures.messagingFloorMs = round(median(floor));

      for (const [name, design] of Object.entries(designs)) {
        const id = moved(design);
        const entry = { components: design.components.length };
        // 3. One-edit batches through the worker: round trip vs the engine's own time in the worker.
        await onWorker.loadDesign(design);
        const batches = [];
        for (let i = 0; i < 45; i++) {
          await onWorker.applyEdits([{ op: 'moveComponent', id, x: i, y: i }]);
          if (i >= 5) batches.push(onWorker.lastCall);
        }
        entry.worker = {
          engineMs: round(median(batches.map((c) => c.engineMs))),
          roundTripMs: round(median(batches.map((c) => c.totalMs))),
          overheadMs: round(median(batches.map((c) => c.totalMs - c.engineMs))),
        };
        // 4. The same work on main-thread WebAssembly and on the JavaScript engine.
        const answers = {};
        for (const engine of ['main-thread', 'js']) {
          const evaluator = createEvaluator(window.definitions, { engine });
          await evaluator.loadDesign(design);
          const timed = async (count, call) => {
            const times = [];
            for (let i = 0; i < count + 1; i++) {
              const started = performance.now();
              await call(i);
              if (i > 0) times.push(performance.now() - started);
            }
            return round(median(times));
          };
          const runs = engine === 'js' && design.components.length > 100 ? 3 : 8;
          entry[engine] = {
            loadDesignMs: await timed(runs, () => evaluator.loadDesign(design)),
            evaluateMs: await timed(runs, () => evaluator.evaluate()),
            evaluateDesignMs: await timed(runs, () => evaluator.evaluateDesign(design)),
            oneEditBatchMs: await timed(runs * 2, (i) => evaluator.applyEdits([{ op: 'moveComponent', id, x: i, y: -i }])),
          };
          // The timed runs differ in count per engine; compare a stateless evaluation instead.
          answers[engine] = JSON.stringify(await evaluator.evaluateDesign(design));
          await evaluator.dispose();
        }
        entry.sameAnswer = answers['main-thread'] === answers.js;
        entry.jsOverWasm = Object.fromEntries(Object.keys(entry.js).map((key) => [key, round(entry.js[key] / entry['main-thread'][key])]));
        figures.designs[name] = entry;
      }
      await onWorker.dispose();

      const f = (n) => n.toFixed(2);
      const rows = {
        'cold start → first result (worker)': `${f(figures.coldStart.ms)} ms (engine load ${f(figures.coldStart.engineLoadMs)} ms; ${f(figures.coldStart.sinceNavigationMs)} ms since navigation)`,
        'worker messaging floor (no engine work)': `${f(figures.messagingFloorMs)} ms`,
      };
      for (const [name, e] of Object.entries(figures.designs)) {
        rows[`${name}, ${e.components} components: one-edit batch via worker`] = `${f(e.worker.roundTripMs)} ms round trip; ${f(e.worker.engineMs)} ms in the engine; ${f(e.worker.overheadMs)} ms overhead`;
        rows[`${name}: main-thread WebAssembly`] = `evaluate ${f(e['main-thread'].evaluateMs)} ms, evaluateDesign ${f(e['main-thread'].evaluateDesignMs)} ms, loadDesign ${f(e['main-thread'].loadDesignMs)} ms, one-edit batch ${f(e['main-thread'].oneEditBatchMs)} ms`;
        rows[`${name}: JavaScript engine`] = `evaluate ${f(e.js.evaluateMs)} ms, evaluateDesign ${f(e.js.evaluateDesignMs)} ms, loadDesign ${f(e.js.loadDesignMs)} ms, one-edit batch ${f(e.js.oneEditBatchMs)} ms`;
        rows[`${name}: JS / WASM`] = `${Object.entries(e.jsOverWasm).map(([k, v]) => `${k.replace(/Ms$/, '')} ×${f(v)}`).join(', ')}; same answer: ${e.sameAnswer}`;
      }
      window.show('measurements (headless Chromium, one run)', rows);
      return figures;
    });
    saveArtifact('measurements.json', figures);
    t.diagnostic(`figures: ${JSON.stringify(figures)}`);
    assert.equal(figures.coldStart.engine, 'worker');
    assert.ok(figures.coldStart.relationships > 0);
    // Rounded to 0.1 ms, a fast postMessage round trip can read 0: a figure, not a failure.
    assert.ok(Number.isFinite(figures.messagingFloorMs) && figures.messagingFloorMs >= 0);
    for (const [name, entry] of Object.entries(figures.designs)) {
      assert.equal(entry.sameAnswer, true, `${name}: the JavaScript engine answered differently`);
      assert.ok(entry.worker.roundTripMs >= entry.worker.engineMs, name);
      for (const value of [...Object.values(entry['main-thread']), ...Object.values(entry.js)]) assert.ok(Number.isFinite(value) && value > 0, `${name}: a figure is ${value}`);
    }
    const shot = await screenshot(page, 'measurements');
    assert.ok(shot.differing > 1000);
  });
});
