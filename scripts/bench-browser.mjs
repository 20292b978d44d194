#!/usr/bin/env node
// The browser benchmark (issue 11), headless Chromium through the npm package's worker path, all
// figures from one run: cold start (fresh page each run), loadDesign, and single-edit round trips
// over mixed edits, at each size, with settleOnLoad on and off. Designs are generated at bench
// time into target/bench-browser/ (never committed). Needs dist/ (scripts/build.sh).
//
//   node scripts/bench-browser.mjs [--sizes 1000,10000] [--edits 100] [--family synthetic]
//        [--settle on,off] [--cold-runs 9] [--snapshot-every N] [--native]
//
// Prints markdown tables; raw samples go to target/js-artifacts/bench-browser.json.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { root, saveArtifact, withBrowser } from '../tests/js/browser/harness.mjs';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    edits: { type: 'string', default: '100' },
    family: { type: 'string', default: 'synthetic' },
    settle: { type: 'string', default: 'on,off' },
    'cold-runs': { type: 'string', default: '9' },
    'snapshot-every': { type: 'string' },
    native: { type: 'boolean', default: false },
  },
});
const sizes = args.sizes.split(',').map(Number);
const edits = Number(args.edits);
const settleModes = args.settle.split(',').map((mode) => mode === 'on');
const coldRuns = Number(args['cold-runs']);
const snapshotEvery = args['snapshot-every'] ? Number(args['snapshot-every']) : undefined;

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};
const median = (values) => quantile(values, 0.5);
const ms = (value) => (value === null || value === undefined ? '—' : value >= 100 ? value.toFixed(0) : value.toFixed(1));

/** The design file of `family` at `size`, generated once by the adversarial example. */
function design(family, size) {
  const directory = join(root, 'target/bench-browser');
  const path = join(directory, `${family}-${size}.json`);
  if (!existsSync(path)) {
    mkdirSync(directory, { recursive: true });
    console.error(`generating ${family} at ${size} components…`);
    const json = execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'adversarial', '--', '--design', family, String(size)], { cwd: root, maxBuffer: 1 << 30 });
    writeFileSync(path, json);
  }
  return path;
}

const designs = Object.fromEntries(sizes.map((size) => [size, design(args.family, size)]));
const respond = (path) => {
  const size = /^\/designs\/(\d+)\.json$/.exec(path)?.[1];
  return size && designs[size] ? { status: 200, headers: { 'content-type': 'application/json' }, body: readFileSync(designs[size]) } : null;
};

const machine = { cores: cpus().length, loadBefore: loadavg().map((l) => l.toFixed(2)).join(' ') };
const figures = await withBrowser({ respond }, async ({ open }) => {
  const inFreshPage = async (body) => {
    const page = await open('/pages/bench.html');
    try {
      return await body(page);
    } finally {
      await page.close();
    }
  };
  const cold = [];
  const split = [];
  for (let i = 0; i < coldRuns; i++) {
    cold.push(await inFreshPage((page) => page.evaluate(() => window.bench.coldStart())));
    split.push(await inFreshPage((page) => page.evaluate(() => window.bench.coldStart({ preloaded: true }))));
  }
  const wasm = await inFreshPage((page) => page.evaluate(() => window.bench.wasmCompile('/dist/relationship_evaluator_bg.wasm')));
  const runs = [];
  for (const size of sizes) {
    for (const settleOnLoad of settleModes) {
      console.error(`${size} components, settleOnLoad ${settleOnLoad}: ${edits} edits…`);
      const options = { designUrl: `/designs/${size}.json`, edits, settleOnLoad, snapshotEvery };
      runs.push({ size, ...(await inFreshPage((page) => page.evaluate((o) => window.bench.editRun(o), options))) });
    }
  }
  return { cold, split, wasm, runs };
});
machine.loadAfter = loadavg().map((l) => l.toFixed(2)).join(' ');

const pick = (list, key) => list.map((entry) => entry[key]);
const coldSummary = {
  runs: coldRuns,
  totalMs: median(pick(figures.cold, 'totalMs')),
  preloadMs: median(pick(figures.split, 'preloadMs')),
  wasmLoadInWorkerMs: median(pick(figures.split, 'wasmLoadInWorkerMs')),
  firstCallMs: median(pick(figures.split, 'firstCallMs')),
  firstCallEngineMs: median(pick(figures.split, 'firstCallEngineMs')),
  mainThreadWasm: figures.wasm,
};

const summaries = figures.runs.map((run) => {
  const rt = pick(run.samples, 'roundTripMs');
  const engine = pick(run.samples, 'engineMs');
  const byOp = {};
  for (const sample of run.samples) (byOp[sample.op] ??= []).push(sample.roundTripMs);
  return {
    size: run.size, components: run.components, settleOnLoad: run.settleOnLoad, pendingAfterLoad: run.pendingAfterLoad,
    loadMs: run.load.ms, loadEngineMs: run.load.engineMs, loadDiagnostics: run.load.diagnostics.map((d) => d.code),
    fullEvaluationEngineMs: run.fullEvaluationEngineMs,
    edits: run.samples.length, acknowledged: run.samples.every((s) => s.acknowledged),
    medianMs: median(rt), p95Ms: quantile(rt, 0.95), maxMs: Math.max(...rt),
    medianEngineMs: median(engine), p95EngineMs: quantile(engine, 0.95),
    medianOverheadMs: median(run.samples.map((s) => s.roundTripMs - s.engineMs)),
    medianActions: median(pick(run.samples, 'actions')), medianDeltaChars: median(pick(run.samples, 'deltaChars')),
    medianByOp: Object.fromEntries(Object.entries(byOp).map(([op, values]) => [op, median(values)])),
  };
});

let native = null;
if (args.native) {
  console.error('native: cargo run --release --example incremental…');
  native = execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'incremental', '--', ...sizes.map(String)], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
}

const settleLabel = (value) => (value === true ? 'on' : value === false ? 'off' : String(value));
const lines = [];
lines.push(`Headless Chromium, npm package worker path, family \`${args.family}\`, ${edits} mixed edits per run; ${machine.cores} cores, load average ${machine.loadBefore} before, ${machine.loadAfter} after.`);
lines.push('');
lines.push(`Cold start, createEvaluator → first result on a 7-component design (median of ${coldRuns} fresh pages): **${ms(coldSummary.totalMs)} ms**. ` +
  `Split (preload first): preload ${ms(coldSummary.preloadMs)} ms, of which wasm fetch + compile + instantiate in the worker ${ms(coldSummary.wasmLoadInWorkerMs)} ms; ` +
  `first call ${ms(coldSummary.firstCallMs)} ms, of which ${ms(coldSummary.firstCallEngineMs)} ms in the engine. ` +
  `Main-thread reference: wasm (${(figures.wasm.bytes / 1024).toFixed(0)} KiB) fetch ${ms(figures.wasm.fetchMs)} ms, WebAssembly.compile ${ms(figures.wasm.compileMs)} ms.`);
lines.push('');
lines.push('| components | settleOnLoad | pending after load | loadDesign round trip (engine) | full evaluation (engine) | edit median | edit p95 | edit max | engine median / p95 | overhead median | actions per edit (median) | delta chars (median) |');
lines.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const s of summaries) {
  lines.push(`| ${s.components} | ${settleLabel(s.settleOnLoad)} | ${s.pendingAfterLoad} | ${ms(s.loadMs)} (${ms(s.loadEngineMs)}) ms | ${ms(s.fullEvaluationEngineMs)} ms | ${ms(s.medianMs)} ms | ${ms(s.p95Ms)} ms | ${ms(s.maxMs)} ms | ${ms(s.medianEngineMs)} / ${ms(s.p95EngineMs)} ms | ${ms(s.medianOverheadMs)} ms | ${s.medianActions} | ${s.medianDeltaChars} |`);
}
lines.push('');
lines.push('Median round trip per edit kind (ms):');
lines.push('');
const ops = Object.keys(summaries[0]?.medianByOp ?? {});
lines.push(`| components | settleOnLoad | ${ops.join(' | ')} |`);
lines.push(`|---:|---|${ops.map(() => '---:').join('|')}|`);
for (const s of summaries) lines.push(`| ${s.components} | ${settleLabel(s.settleOnLoad)} | ${ops.map((op) => ms(s.medianByOp[op])).join(' | ')} |`);
if (sizes.length >= 2) {
  const [small, large] = [Math.min(...sizes), Math.max(...sizes)];
  lines.push('');
  for (const settle of settleModes) {
    const a = summaries.find((s) => s.size === small && s.settleOnLoad === settle);
    const b = summaries.find((s) => s.size === large && s.settleOnLoad === settle);
    if (a && b) {
      lines.push(`Ratios ${large}/${small}, settleOnLoad ${settleLabel(settle)}: loadDesign ×${(b.loadMs / a.loadMs).toFixed(1)}, edit median ×${(b.medianMs / a.medianMs).toFixed(1)}, edit p95 ×${(b.p95Ms / a.p95Ms).toFixed(1)}.`);
    }
  }
}
if (native) lines.push('', 'Native (`cargo run --release --example incremental`), same machine, right after:', '', native.trim());
console.log(lines.join('\n'));
saveArtifact('bench-browser.json', { args, machine, coldStart: coldSummary, summaries, native, raw: figures });
for (const s of summaries) if (!s.acknowledged) throw new Error(`${s.components} components: an edit was not acknowledged with the next revision`);
