// The JavaScript engine (dist/js-engine.js, wasm2js) against the WebAssembly engine
// (dist/relationship_evaluator_bg.wasm), byte for byte, over the conformance corpus: every
// go-scenario that carries a design (all of level engine/orchestration among them) and Meshery's
// sample designs (YAML, converted to JSON), each loaded, evaluated, edited, snapshotted, restored
// and explained.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import initWasm, * as wasm from '../../../pkg/web/relationship_evaluator.js';

const root = new URL('../../../', import.meta.url);
const fixtures = new URL('../shared/fixtures/meshery/', root);

await initWasm({ module_or_path: await readFile(new URL('dist/relationship_evaluator_bg.wasm', root)) });
const js = await import(new URL('dist/js-engine.js', root).href);

async function walk(dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = await Promise.all(entries.map((entry) => {
    const url = new URL(entry.name + (entry.isDirectory() ? '/' : ''), dir);
    return entry.isDirectory() ? walk(url) : [url];
  }));
  return files.flat().sort((a, b) => a.href.localeCompare(b.href));
}

async function kubernetesDefinitions() {
  const dir = new URL('relationships/kubernetes/', fixtures);
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  return Promise.all(names.map(async (name) => JSON.parse(await readFile(new URL(name, dir), 'utf8'))));
}

/** { name, level, definitions, options, design } for every case of the corpus. */
async function corpus() {
  const cases = [];
  for (const url of await walk(new URL('go-scenarios/', fixtures))) {
    if (!url.pathname.endsWith('.json') || url.pathname.includes('/testdata/')) continue;
    const scenario = JSON.parse(await readFile(url, 'utf8'));
    const design = scenario.input?.design;
    if (!design || typeof design !== 'object') continue;
    const name = url.pathname.slice(url.pathname.indexOf('go-scenarios/'));
    const definitions = Array.isArray(scenario.input.relationships) ? scenario.input.relationships : [];
    cases.push({ name, level: scenario.level, definitions, options: scenario.input.options ?? null, design });
  }
  const kubernetes = await kubernetesDefinitions();
  for (const url of await walk(new URL('designs/', fixtures))) {
    if (!/\.ya?ml$/.test(url.pathname)) continue;
    const name = url.pathname.slice(url.pathname.indexOf('designs/'));
    cases.push({ name, level: 'design', definitions: kubernetes, options: null, design: parseYaml(await readFile(url, 'utf8')) });
  }
  return cases;
}

const hex = (bytes) => Buffer.from(bytes).toString('hex');

/** Runs `call`, recording its result or its error (code, path, message) as text. */
function attempt(call) {
  try {
    const value = call();
    return value instanceof Uint8Array ? `bytes:${hex(value)}` : value;
  } catch (error) {
    return `error:${JSON.stringify({ name: error.name, code: error.code, path: error.path, message: error.message })}`;
  }
}

/** Everything one engine answers for a case, step by step. */
function transcript(engine, testCase) {
  const steps = [];
  const record = (label, call) => {
    const value = attempt(call);
    steps.push([label, value]);
    return value;
  };
  let evaluator;
  record('new', () => {
    evaluator = new engine.Evaluator(JSON.stringify(testCase.definitions), testCase.options ? JSON.stringify(testCase.options) : null);
    return 'ok';
  });
  if (!evaluator) return steps;
  record('loadDesign', () => evaluator.loadDesign(JSON.stringify(testCase.design)));
  record('evaluate', () => evaluator.evaluate());
  const design = JSON.parse(record('design', () => evaluator.design()));
  const components = design.components ?? [];
  const first = components[0]?.id;
  const last = components[components.length - 1]?.id;
  const batches = [
    first && [{ op: 'renameComponent', id: first, displayName: 'renamed' }, { op: 'moveComponent', id: first, x: 12.5, y: -3 }],
    [{ op: 'setLayer', layer: 'hierarchical-parent-inventory', enabled: false }],
    [{ op: 'setLayer', layer: 'hierarchical-parent-inventory', enabled: true }],
    first && [{ op: 'patchConfiguration', id: first, patch: { metadata: { labels: { app: 'x' } } } }],
    last && [{ op: 'removeComponent', id: last }],
    [{ op: 'removeComponent', id: 'no-such-component' }],
  ].filter(Boolean);
  for (const [i, edits] of batches.entries()) record(`applyEdits#${i}`, () => evaluator.applyEdits(JSON.stringify(edits)));
  record('evaluate after edits', () => evaluator.evaluate());
  record('exportJson', () => evaluator.exportJson());
  const snapshot = evaluator.snapshot();
  steps.push(['snapshot', `bytes:${hex(snapshot)}`]);
  record('restore+evaluate', () => engine.Evaluator.restore(snapshot).evaluate());
  const relationships = JSON.parse(evaluator.design()).relationships ?? [];
  for (const relationship of relationships.slice(0, 25)) record(`explain ${relationship.id}`, () => evaluator.explain(relationship.id));
  evaluator.free();
  return steps;
}

const cases = await corpus();

test('the corpus holds every engine/orchestration go-scenario and the sample designs', () => {
  const levels = cases.map((c) => c.level);
  assert.ok(levels.filter((level) => level === 'engine').length >= 7, 'engine-level scenarios');
  assert.ok(levels.filter((level) => level === 'orchestration').length >= 2, 'orchestration-level scenarios');
  assert.ok(levels.filter((level) => level === 'design').length >= 3, 'sample designs');
});

for (const testCase of cases) {
  test(`JavaScript engine matches WebAssembly byte for byte: ${testCase.name}`, () => {
    const expected = transcript(wasm, testCase);
    const actual = transcript(js, testCase);
    assert.ok(expected.length >= 3, 'the case ran');
    assert.deepEqual(actual.map(([label]) => label), expected.map(([label]) => label));
    for (let i = 0; i < expected.length; i++) {
      assert.equal(actual[i][1], expected[i][1], `step ${expected[i][0]}`);
    }
  });
}
