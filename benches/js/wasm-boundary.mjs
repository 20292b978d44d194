// The JS↔wasm boundary and wasm-vs-native speed, on generated Kubernetes designs (Node, no browser).
//
//   ./scripts/build-wasm.sh                                                     # pkg/web (shipped)
//   ./scripts/build-wasm.sh --features boundary-bench --out-dir pkg/boundary-bench
//   node benches/js/wasm-boundary.mjs [--sizes 100,1000,10000] [--runs 5] [--json results.json]
//        [--only all|boundary|speed] [--pkg pkg/web] [--probes-pkg pkg/boundary-bench] [--definitions DIR]
//
// 1. Boundary (pkg/boundary-bench, built with the probes of src/wasm/transfer.rs): for each
//    direction of each call, the cost of JSON strings vs JS values (serde-wasm-bindgen,
//    json_compatible) vs MessagePack bytes (rmp-serde; @msgpack/msgpack on the JS side), from a
//    JS object on one side to a Rust `serde_json::Value` on the other (or back); then the whole
//    calls (loadDesign, applyEdits, design) in each encoding, evaluation included.
// 2. Speed (pkg/web, the shipped module) against the native release build, in the same run:
//    loadDesign, a full evaluate() and one-edit applyEdits batches, strings in and out on both
//    sides (examples/native-timings.rs is the native half).
//
// Designs come from `examples/synthetic/` (examples/generate-design.rs). Figures
// are medians; the machines are shared, so compare ratios taken in one run, not absolutes.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const sizes = option('--sizes', '100,1000,10000').split(',').map((s) => Number(s.replace(/_/g, '')));
const runs = Number(option('--runs', '5'));
const jsonOut = option('--json', null);
const only = option('--only', 'all'); // all | boundary | speed
const definitionsDir = option('--definitions', join(root, '../shared/fixtures/meshery/relationships/kubernetes'));
const targetDir = process.env.CARGO_TARGET_DIR || join(root, 'target');

let msgpack;
let msgpackLibrary = '@msgpack/msgpack';
try {
  msgpack = await import('@msgpack/msgpack');
} catch {
  msgpack = await import('./msgpack.mjs'); // same wire format, no dependency
  msgpackLibrary = 'benches/js/msgpack.mjs';
}
const { encode: mpEncode, decode: mpDecode } = msgpack;

// ---- native helpers -------------------------------------------------------------------------
function cargoBuildExamples() {
  const r = spawnSync('cargo', ['build', '--release', '--example', 'generate-design', '--example', 'native-timings'], {
    cwd: root, stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) throw new Error('cargo build of the native examples failed');
}
const example = (name) => join(targetDir, 'release', 'examples', name);
function run(binary, argv) {
  const r = spawnSync(binary, argv, { cwd: root, maxBuffer: 1 << 30, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${binary} failed: ${r.stderr}`);
  return r.stdout;
}

// ---- wasm modules ---------------------------------------------------------------------------
async function loadPackage(dir) {
  const glue = resolve(root, dir, 'relationship_evaluator.js');
  if (!existsSync(glue)) throw new Error(`${dir} is missing: build it first (see the header of this file)`);
  const module = await import(pathToFileURL(glue).href);
  module.initSync({ module: readFileSync(resolve(root, dir, 'relationship_evaluator_bg.wasm')) });
  return module;
}
// --pkg may list several packages (comma-separated) to compare builds in the same run; the first
// one is "wasm" in the tables.
const packages = [];
for (const dir of option('--pkg', 'pkg/web').split(',')) packages.push({ dir, pkg: await loadPackage(dir) });
const probes = only === 'speed' ? null : await loadPackage(option('--probes-pkg', 'pkg/boundary-bench'));

// ---- timing ---------------------------------------------------------------------------------
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Median ms per call of `fn` over 5 batches of calls, each batch at least ~25 ms long. */
function time(fn) {
  fn();
  let n = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    const took = performance.now() - t;
    if (took >= 25 || n >= 1 << 16) break;
    n = Math.min(n * Math.max(2, Math.ceil(25 / Math.max(took, 0.01))), 1 << 16);
  }
  const batches = [];
  for (let b = 0; b < 5; b++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    batches.push((performance.now() - t) / n);
  }
  return median(batches);
}
const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms >= 0.01 ? ms.toFixed(3) : ms.toFixed(4));
const kb = (bytes) => (bytes / 1024).toFixed(bytes < 10240 ? 2 : 0);
const utf8 = (s) => Buffer.byteLength(s, 'utf8');

// ---- inputs ---------------------------------------------------------------------------------
const definitionFiles = readdirSync(definitionsDir).filter((f) => f.endsWith('.json')).sort();
const definitions = JSON.stringify(definitionFiles.map((f) => JSON.parse(readFileSync(join(definitionsDir, f), 'utf8'))));
const work = mkdtempSync(join(tmpdir(), 'wasm-boundary-'));
writeFileSync(join(work, 'definitions.json'), definitions);

/** Edits an editor makes, on existing components spread over the design, round-robin. */
function editBatches(design, count, perBatch) {
  const components = design.components;
  const step = Math.max(1, Math.floor(components.length / (count * perBatch)));
  const batches = [];
  let k = 0;
  for (let b = 0; b < count; b++) {
    const batch = [];
    for (let e = 0; e < perBatch; e++, k++) {
      const c = components[(k * step) % components.length];
      switch (k % 4) {
        case 0: batch.push({ op: 'renameComponent', id: c.id, displayName: `${c.displayName}-renamed-${k}` }); break;
        case 1: batch.push({ op: 'moveComponent', id: c.id, x: 10 * k, y: 20 }); break;
        case 2: batch.push({ op: 'patchConfiguration', id: c.id, patch: { metadata: { annotations: { edited: String(k) } } } }); break;
        default: batch.push({ op: 'setLabels', id: c.id, labels: { app: `relabelled-${k}` } });
      }
    }
    batches.push(batch);
  }
  return batches;
}

// ---- 1. boundary ----------------------------------------------------------------------------
/** In-direction: a JS object (or the JSON text) to a Rust value. */
function measureIn(object, text = JSON.stringify(object)) {
  const bytes = mpEncode(object);
  return {
    jsonBytes: utf8(text),
    msgpackBytes: bytes.length,
    jsonText: time(() => probes.probeDecodeJson(text)),
    json: time(() => probes.probeDecodeJson(JSON.stringify(object))),
    value: time(() => probes.probeDecodeValue(object)),
    msgpack: time(() => probes.probeDecodeMsgpack(mpEncode(object))),
  };
}
/** Out-direction: a Rust value to a JS object. */
function measureOut(text) {
  probes.probeHold(text);
  const check = JSON.stringify(JSON.parse(text));
  if (JSON.stringify(probes.probeEncodeValue()) !== check) throw new Error('serde-wasm-bindgen output differs from JSON');
  if (JSON.stringify(mpDecode(probes.probeEncodeMsgpack())) !== check) throw new Error('MessagePack output differs from JSON');
  return {
    jsonBytes: utf8(text),
    msgpackBytes: probes.probeEncodeMsgpack().length,
    json: time(() => JSON.parse(probes.probeEncodeJson())),
    value: time(() => probes.probeEncodeValue()),
    msgpack: time(() => mpDecode(probes.probeEncodeMsgpack())),
  };
}

/** Whole calls, evaluation included, in each encoding; one evaluator per encoding. */
function measureCalls(designObject, batches) {
  const encodings = {
    json: {
      load: (ev) => JSON.parse(ev.loadDesign(JSON.stringify(designObject))),
      edit: (ev, batch) => JSON.parse(ev.applyEdits(JSON.stringify(batch))),
      design: (ev) => JSON.parse(ev.design()),
    },
    value: {
      load: (ev) => ev.loadDesignValue(designObject),
      edit: (ev, batch) => ev.applyEditsValue(batch),
      design: (ev) => ev.designValue(),
    },
    msgpack: {
      load: (ev) => mpDecode(ev.loadDesignMsgpack(mpEncode(designObject))),
      edit: (ev, batch) => mpDecode(ev.applyEditsMsgpack(mpEncode(batch))),
      design: (ev) => mpDecode(ev.designMsgpack()),
    },
  };
  const loadRuns = designObject.components.length >= 5000 ? 3 : runs;
  const result = {};
  for (const name of Object.keys(encodings)) result[name] = { load: [], edit: [], design: 0 };
  for (let r = 0; r < loadRuns; r++) {
    for (const [name, e] of Object.entries(encodings)) {
      const ev = new probes.Evaluator(definitions);
      let t = performance.now();
      e.load(ev);
      result[name].load.push(performance.now() - t);
      if (r === 0) {
        for (const batch of batches) {
          t = performance.now();
          e.edit(ev, batch);
          result[name].edit.push(performance.now() - t);
        }
        result[name].design = time(() => e.design(ev));
      }
      ev.free();
    }
  }
  for (const name of Object.keys(encodings)) {
    result[name].load = median(result[name].load);
    result[name].edit = median(result[name].edit);
  }
  return result;
}

// ---- 2. speed: wasm (pkg/web) vs native ---------------------------------------------------------
function measureSpeed(designText, batches, designFile, editsFile) {
  const batchTexts = batches.map((b) => JSON.stringify(b));
  const wasmRun = (pkg) => {
    const ev = new pkg.Evaluator(definitions);
    let t = performance.now();
    ev.loadDesign(designText);
    const load = performance.now() - t;
    t = performance.now();
    ev.evaluate();
    const evaluate = performance.now() - t;
    const edits = [];
    for (const text of batchTexts) {
      t = performance.now();
      ev.applyEdits(text);
      edits.push(performance.now() - t);
    }
    ev.free();
    return { loadDesignMs: load, evaluateMs: evaluate, applyEditsMs: median(edits) };
  };
  const native = [];
  const wasm = packages.map(() => []);
  for (const { pkg } of packages) wasmRun(pkg); // warm-up: let V8 tier the hot wasm functions up
  for (let r = 0; r < Math.max(3, runs); r++) {
    native.push(JSON.parse(run(example('native-timings'), [designFile, editsFile, join(work, 'definitions.json'), '--runs', '1'])));
    for (const [i, { pkg }] of packages.entries()) wasm[i].push(wasmRun(pkg));
  }
  const pick = (xs, key) => median(xs.map((x) => x[key]));
  const out = {};
  for (const key of ['loadDesignMs', 'evaluateMs', 'applyEditsMs']) {
    out[key] = { native: pick(native, key), wasm: pick(wasm[0], key) };
    packages.forEach(({ dir }, i) => { out[key][dir] = pick(wasm[i], key); });
  }
  return out;
}

// ---- main -----------------------------------------------------------------------------------
cargoBuildExamples();
const results = { node: process.version, msgpack: msgpackLibrary, sizes: {} };
console.log(`Node ${process.version}; MessagePack in JS: ${msgpackLibrary}; runs: ${runs}`);
for (const size of sizes) {
  const designFile = join(work, `design-${size}.json`);
  writeFileSync(designFile, run(example('generate-design'), [String(size)]).trim());
  // Read back: a flat string, as fetch().text() or readFile give (a sliced one copies slower).
  const designText = readFileSync(designFile, 'utf8');
  const design = JSON.parse(designText);
  const oneEdit = editBatches(design, 20, 1);
  const tenEdits = editBatches(design, 5, 10);
  const editsFile = join(work, `edits-${size}.json`);
  writeFileSync(editsFile, JSON.stringify(oneEdit));

  const doBoundary = only !== 'speed';
  // Real outputs to encode: the load delta, the evaluated design, a 1-edit and a 10-edit delta.
  let loadDelta, evaluatedDesign, oneEditDelta, tenEditDelta;
  if (doBoundary) {
    const ev = new probes.Evaluator(definitions);
    loadDelta = ev.loadDesign(designText);
    evaluatedDesign = ev.design();
    oneEditDelta = ev.applyEdits(JSON.stringify(oneEdit[0]));
    tenEditDelta = ev.applyEdits(JSON.stringify(tenEdits[0]));
    ev.free();
  }

  const r = {
    components: design.components.length,
    boundary: !doBoundary ? {} : {
      'design in (loadDesign)': measureIn(design, designText),
      'delta out (loadDesign)': measureOut(loadDelta),
      'design out (design())': measureOut(evaluatedDesign),
      '1 edit in (applyEdits)': measureIn(oneEdit[0]),
      'delta out (1 edit)': measureOut(oneEditDelta),
      '10 edits in (applyEdits)': measureIn(tenEdits[0]),
      'delta out (10 edits)': measureOut(tenEditDelta),
    },
    calls: doBoundary ? measureCalls(design, oneEdit) : null,
    speed: only !== 'boundary' ? measureSpeed(designText, oneEdit, designFile, editsFile) : null,
  };
  results.sizes[size] = r;

  console.log(`\n## ${size} components (design ${kb(utf8(designText))} KB of JSON)\n`);
  if (doBoundary) {
  console.log('Boundary, one direction, ms per call (JS object ⇄ Rust serde_json::Value):\n');
  console.log('| direction | JSON KB | MessagePack KB | JSON (text already in hand) | JSON (stringify/parse) | serde-wasm-bindgen | MessagePack |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [name, m] of Object.entries(r.boundary)) {
    console.log(`| ${name} | ${kb(m.jsonBytes)} | ${kb(m.msgpackBytes)} | ${m.jsonText === undefined ? '–' : fmt(m.jsonText)} | ${fmt(m.json)} | ${fmt(m.value)} | ${fmt(m.msgpack)} |`);
  }
  console.log('\nWhole calls, evaluation included, ms (median):\n');
  console.log('| call | JSON | serde-wasm-bindgen | MessagePack |');
  console.log('|---|---|---|---|');
  for (const call of ['load', 'edit', 'design']) {
    const label = { load: 'loadDesign', edit: 'applyEdits (1 edit)', design: 'design()' }[call];
    console.log(`| ${label} | ${fmt(r.calls.json[call])} | ${fmt(r.calls.value[call])} | ${fmt(r.calls.msgpack[call])} |`);
  }
  }
  if (!r.speed) continue;
  const s = r.speed;
  console.log('\nwasm (pkg/web) vs native (release), strings in and out, ms (median):\n');
  const extra = packages.slice(1).map(({ dir }) => dir);
  console.log(`| call | native | wasm | wasm / native |${extra.map((d) => ` ${d} | ${d} / native |`).join('')}`);
  console.log(`|---|---|---|---|${extra.map(() => '---|---|').join('')}`);
  for (const [key, label] of [['loadDesignMs', 'loadDesign'], ['evaluateMs', 'evaluate() (full)'], ['applyEditsMs', 'applyEdits (1 edit)']]) {
    const more = extra.map((d) => ` ${fmt(s[key][d])} | ${(s[key][d] / s[key].native).toFixed(2)} |`).join('');
    console.log(`| ${label} | ${fmt(s[key].native)} | ${fmt(s[key].wasm)} | ${(s[key].wasm / s[key].native).toFixed(2)} |${more}`);
  }
  console.log(`\none-edit batch / full evaluation: native ${(s.applyEditsMs.native / s.evaluateMs.native).toFixed(3)}, wasm ${(s.applyEditsMs.wasm / s.evaluateMs.wasm).toFixed(3)}`);
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 2));
