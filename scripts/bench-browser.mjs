#!/usr/bin/env node
// The browser benchmark (issue 11), headless Chromium through the npm package's worker path, all
// figures from one run: cold start (fresh page each run), loadDesign, and single-edit round trips
// over mixed edits, at each size, with settleOnLoad on and off. Designs are generated at bench
// time into target/bench-browser/ (never committed). Needs dist/ (scripts/build.sh).
//
//   node scripts/bench-browser.mjs [--sizes 1000,10000] [--edits 100] [--family synthetic]
//        [--settle on,off] [--cold-runs 9] [--snapshot-every N] [--native] [--profile]
//
// Prints markdown tables; raw samples go to target/js-artifacts/bench-browser.json. `--profile`
// records a Chromium CPU trace of each run's edits (saved in target/bench-browser/, opens in
// Chrome DevTools' Performance panel), served a wasm with its function names (the same
// wasm-bindgen output without wasm-opt), and prints where the worker's time went.
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
    profile: { type: 'boolean', default: false },
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

/** The shipped wasm before wasm-opt: wasm-bindgen keeps the name section, so profiles name functions. */
function namedWasm() {
  const out = join(root, 'target/bench-browser/named');
  execFileSync('wasm-bindgen', ['--target', 'web', '--out-dir', out, join(root, 'target/wasm32-unknown-unknown/wasm-release/relationship_evaluator.wasm')], { cwd: root });
  return readFileSync(join(out, 'relationship_evaluator_bg.wasm'));
}

const designs = Object.fromEntries(sizes.map((size) => [size, design(args.family, size)]));
const profiledWasm = args.profile ? namedWasm() : null;
const respond = (path) => {
  if (profiledWasm && path === '/dist/relationship_evaluator_bg.wasm') return { status: 200, headers: { 'content-type': 'application/wasm' }, body: profiledWasm };
  const size = /^\/designs\/(\d+)\.json$/.exec(path)?.[1];
  return size && designs[size] ? { status: 200, headers: { 'content-type': 'application/json' }, body: readFileSync(designs[size]) } : null;
};

/**
 * Self time per function in the busiest thread of a Chromium trace (the worker: the one with the
 * most samples outside idle), from its V8 CPU profile chunks.
 */
function selfTimes(trace) {
  const threads = new Map();
  for (const event of JSON.parse(trace).traceEvents) {
    if (event.name !== 'ProfileChunk') continue;
    const key = `${event.pid}:${event.id}`;
    const thread = threads.get(key) ?? { nodes: new Map(), samples: new Map() };
    threads.set(key, thread);
    const profile = event.args?.data?.cpuProfile ?? {};
    for (const node of profile.nodes ?? []) thread.nodes.set(node.id, { ...node.callFrame, parent: node.parent });
    const deltas = event.args.data.timeDeltas ?? [];
    for (const [i, id] of (profile.samples ?? []).entries()) thread.samples.set(id, (thread.samples.get(id) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
  }
  const nameOf = (frame) => frame?.functionName || (frame?.url ? `(anonymous ${frame.url.split('/').pop()})` : '(unknown)');
  let busiest = null;
  for (const thread of threads.values()) {
    const byName = new Map();
    for (const [id, micros] of thread.samples) {
      const name = nameOf(thread.nodes.get(id));
      byName.set(name, (byName.get(name) ?? 0) + micros);
    }
    const busy = [...byName].filter(([name]) => !['(idle)', '(program)', '(root)'].includes(name)).reduce((sum, [, micros]) => sum + micros, 0);
    if (!busiest || busy > busiest.busy) busiest = { busy, byName, thread };
  }
  if (!busiest) return null;
  const top = [...busiest.byName].sort((a, b) => b[1] - a[1]).slice(0, 25);
  // Who calls the top function: its self time by the chain of its six nearest callers.
  const callers = new Map();
  for (const [id, micros] of busiest.thread.samples) {
    let frame = busiest.thread.nodes.get(id);
    if (nameOf(frame) !== top[0][0]) continue;
    const chain = [];
    for (let up = 0; up < 6 && frame?.parent !== undefined; up++) {
      frame = busiest.thread.nodes.get(frame.parent);
      chain.push(nameOf(frame).replace(/::h[0-9a-f]{16}$/, ''));
    }
    const key = chain.join(' ← ');
    callers.set(key, (callers.get(key) ?? 0) + micros);
  }
  return {
    busyMs: busiest.busy / 1000,
    top: top.map(([name, micros]) => ({ name, ms: micros / 1000 })),
    topCallers: [...callers].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([chain, micros]) => ({ chain, ms: micros / 1000 })),
  };
}

const machine = { cores: cpus().length, loadBefore: loadavg().map((l) => l.toFixed(2)).join(' ') };
const figures = await withBrowser({ respond }, async ({ open, browser }) => {
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
      runs.push({
        size,
        ...(await inFreshPage(async (page) => {
          if (!args.profile) return page.evaluate((o) => window.bench.editRun(o), options);
          await page.exposeFunction('benchBeforeEdits', () => browser.startTracing(page, { categories: ['disabled-by-default-v8.cpu_profiler'] }));
          const run = await page.evaluate((o) => window.bench.editRun(o), options);
          const trace = (await browser.stopTracing()).toString();
          writeFileSync(join(root, `target/bench-browser/trace-${size}-settle-${settleOnLoad ? 'on' : 'off'}.json`), trace);
          return { ...run, profile: selfTimes(trace) };
        })),
      });
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
  preloadedTotalMs: median(pick(figures.split, 'totalMs')),
  wasmLoadInWorkerMs: median(pick(figures.split, 'wasmLoadInWorkerMs')),
  firstCallMs: median(pick(figures.split, 'firstCallMs')),
  firstCallEngineMs: median(pick(figures.split, 'firstCallEngineMs')),
  secondCallMs: median(pick(figures.split, 'secondCallMs')),
  secondCallEngineMs: median(pick(figures.split, 'secondCallEngineMs')),
  mainThreadWasm: figures.wasm,
};

const summaries = figures.runs.map((run) => {
  const rt = pick(run.samples, 'roundTripMs');
  const engine = pick(run.samples, 'engineMs');
  const byOp = {};
  for (const sample of run.samples) {
    byOp[sample.op] ??= [];
    byOp[sample.op].push(sample.roundTripMs);
  }
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
  `Split (preload first, ${ms(coldSummary.preloadedTotalMs)} ms in all): preload ${ms(coldSummary.preloadMs)} ms, of which wasm fetch + compile + instantiate in the worker ${ms(coldSummary.wasmLoadInWorkerMs)} ms; ` +
  `first call ${ms(coldSummary.firstCallMs)} ms, of which ${ms(coldSummary.firstCallEngineMs)} ms in the engine; ` +
  `the same call from a second evaluator on the warm worker ${ms(coldSummary.secondCallMs)} ms (${ms(coldSummary.secondCallEngineMs)} ms in the engine). ` +
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
for (const run of args.profile ? figures.runs : []) {
  if (!run.profile) continue;
  lines.push('', `Profile of the ${run.samples.length} edits at ${run.components} components, settleOnLoad ${settleLabel(run.settleOnLoad)} (worker thread, ${ms(run.profile.busyMs)} ms busy; self time):`, '');
  lines.push('| function | ms | share of busy |', '|---|---:|---:|');
  for (const entry of run.profile.top) lines.push(`| \`${entry.name.slice(0, 100)}\` | ${ms(entry.ms)} | ${((100 * entry.ms) / run.profile.busyMs).toFixed(1)}% |`);
  lines.push('', `Callers of \`${run.profile.top[0].name}\` (nearest first):`, '');
  for (const entry of run.profile.topCallers) lines.push(`- ${ms(entry.ms)} ms: ${entry.chain}`);
}
if (native) lines.push('', 'Native (`cargo run --release --example incremental`), same machine, right after:', '', native.trim());
console.log(lines.join('\n'));
saveArtifact('bench-browser.json', { args, machine, coldStart: coldSummary, summaries, native, raw: figures });
for (const s of summaries) if (!s.acknowledged) throw new Error(`${s.components} components: an edit was not acknowledged with the next revision`);
