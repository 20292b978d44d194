// The browser benchmark page: drives the package exactly as published (dist/index.js, its
// worker) and returns raw samples; scripts/bench-browser.mjs (full run) and bench.e2e.mjs (CI
// variant, correctness only) call `window.bench` through page.evaluate.
import * as pkg from '/dist/index.js';
import { applyEdit, mixedEdits } from '/pages/bench-edits.js';
import { staleDesign } from '/pages/bench-design.js';

const status = document.getElementById('status');
const now = () => performance.now();
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Cold start on a page that has not started an engine: `createEvaluator` to the first result on a
 * small design. `preloaded: true` splits the same path in two: `preload()` (worker script, worker
 * start, wasm fetch + compile + instantiate inside the worker) and then the first call (session
 * open with the definitions, the evaluation, messaging).
 */
async function coldStart({ preloaded = false } = {}) {
  const design = window.designs.small;
  const started = now();
  let preloadMs = null;
  if (preloaded) {
    await pkg.preload();
    preloadMs = now() - started;
  }
  const evaluator = pkg.createEvaluator(window.definitions);
  const callStarted = now();
  const result = await evaluator.evaluateDesign(design);
  const totalMs = now() - started;
  const info = await evaluator.engine();
  const firstCallEngineMs = evaluator.lastCall.engineMs;
  // The same first call again, from a second evaluator on the now warm worker: what the first
  // one paid beyond it is first-run cost (code compiled or tiered up on first use, memory grown).
  const second = pkg.createEvaluator(window.definitions);
  const secondStarted = now();
  await second.evaluateDesign(design);
  const secondCallMs = now() - secondStarted;
  const secondCallEngineMs = second.lastCall.engineMs;
  await second.dispose();
  const figures = {
    totalMs,
    preloadMs,
    firstCallMs: preloaded ? now() - callStarted : null,
    firstCallEngineMs,
    secondCallMs,
    secondCallEngineMs,
    engine: info.kind,
    wasmLoadInWorkerMs: info.loadMs,
    relationships: result.design.relationships.length,
  };
  await evaluator.dispose();
  return figures;
}

/** The wasm fetched and compiled on this page's main thread, to split the worker's load time. */
async function wasmCompile(url) {
  const started = now();
  const bytes = await (await fetch(url)).arrayBuffer();
  const fetched = now();
  await WebAssembly.compile(bytes);
  return { bytes: bytes.byteLength, fetchMs: fetched - started, compileMs: now() - fetched };
}

/**
 * Loads a design into a worker evaluator and applies `edits` single-edit batches of the mixed
 * kind, timing each round trip (call to resolved delta, as an app sees it). `settleOnLoad`
 * undefined leaves the package default (as does `maxApprovalsPerPolicy`, Meshery's 100). With `check`, each result is compared with a full
 * evaluation (an independent main-thread engine) of the design before it plus the edit.
 */
async function editRun({ designUrl, size, edits: count, settleOnLoad, maxApprovalsPerPolicy, snapshotEvery, check = false }) {
  const design = designUrl ? await (await fetch(designUrl)).json() : staleDesign(size);
  const evaluation = settleOnLoad === undefined && maxApprovalsPerPolicy === undefined ? undefined : { settleOnLoad, maxApprovalsPerPolicy };
  const evaluator = pkg.createEvaluator(window.definitions, { evaluation, snapshotEvery });
  const oracle = check ? pkg.createEvaluator(window.definitions, { engine: 'main-thread', evaluation }) : null;
  try {
    await evaluator.engine();
    status.textContent = `loading ${design.components.length} components…`;
    const loadStarted = now();
    const loaded = await evaluator.loadDesign(design);
    const load = { ms: now() - loadStarted, engineMs: evaluator.lastCall.engineMs, actions: loaded.actions.length, diagnostics: loaded.diagnostics ?? [] };
    // What a full evaluation of the loaded design would still do: 0 = settled.
    const pendingStarted = now();
    const pendingAfterLoad = (await evaluator.evaluate()).actions.length;
    const fullEvaluationMs = now() - pendingStarted;
    const fullEvaluationEngineMs = evaluator.lastCall.engineMs;

    // The benchmark runner may start a CPU trace here (scripts/bench-browser.mjs --profile).
    await window.benchBeforeEdits?.();
    const samples = [];
    const mismatches = [];
    let revision = evaluator.revision;
    for (const [i, edit] of mixedEdits(design, count).entries()) {
      status.textContent = `edit ${i + 1} of ${count} (${edit.op})`;
      const before = check ? await evaluator.design() : null;
      const started = now();
      const delta = await evaluator.applyEdits([edit]);
      const roundTripMs = now() - started;
      samples.push({
        op: edit.op, roundTripMs, engineMs: evaluator.lastCall.engineMs, acknowledged: delta.revision === revision + 1 && evaluator.revision === delta.revision,
        actions: delta.actions.length, deltaChars: JSON.stringify(delta).length,
      });
      revision = delta.revision;
      if (check) {
        const expected = (await oracle.evaluateDesign(applyEdit(before, edit, { rematchOnEdit: evaluation?.rematchOnEdit ?? true }))).design;
        if (!same(expected, await evaluator.design())) mismatches.push({ i, op: edit.op });
      }
    }
    let final = null;
    if (check) {
      const design = await evaluator.design();
      // A settled design is a fixed point of full evaluation (which only bumps `version`).
      const fresh = await oracle.evaluateDesign(design);
      final = { components: design.components.length, relationships: design.relationships.length, freshActions: fresh.actions.length, sameAsFresh: same({ ...fresh.design, version: design.version }, design) };
    }
    return {
      components: design.components.length, settleOnLoad: settleOnLoad ?? 'package default', load, pendingAfterLoad,
      fullEvaluationMs, fullEvaluationEngineMs, samples, mismatches, final,
    };
  } finally {
    await evaluator.dispose();
    await oracle?.dispose();
  }
}

try {
  window.bench = { coldStart, wasmCompile, editRun };
  window.definitions = await (await fetch('/corpus/definitions.json')).json();
  window.designs = { small: await (await fetch('/corpus/edge-firewall-relationship.json')).json() };
  status.textContent = 'ready';
  window.harnessReady = true;
} catch (error) {
  status.textContent = `failed: ${error}`;
  window.harnessError = String(error);
}
