// The built package (dist/) from Node, resolved by name through its own `exports` map, as an
// installed dependency would be: the Node condition, the subpaths, the inline-wasm entry, and
// the automatic fallback to the JavaScript engine when Node runs without WebAssembly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

test('the exports map resolves every entry to a built file, Node taking the node build', () => {
  assert.equal(import.meta.resolve('@meshery/relationship-evaluator'), new URL('dist/index.node.js', `file://${root}`).href);
  for (const [subpath, file] of [['/react', 'dist/react.js'], ['/inline', 'dist/inline.js'], ['/worker', 'dist/worker.js'], ['/wasm', 'dist/relationship_evaluator_bg.wasm']]) {
    assert.equal(import.meta.resolve(`@meshery/relationship-evaluator${subpath}`), new URL(file, `file://${root}`).href);
  }
  const targets = JSON.stringify(manifest.exports).match(/\.\/dist\/[^"]+/g);
  for (const target of targets) assert.ok(existsSync(`${root}${target}`), `${target} is missing`);
  assert.ok(existsSync(`${root}${manifest.bin['relationship-evaluator']}`));
  assert.deepEqual(manifest.peerDependenciesMeta, { react: { optional: true } });
});

/** Runs a module script in a fresh Node with `flags`, from the package root; returns its JSON output. */
function runScript(source, flags = []) {
  const result = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', source], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

const EVALUATE = (entry) => `
  import { readFileSync, readdirSync } from 'node:fs';
  import { createEvaluator } from '${entry}';
  const dir = '../shared/fixtures/meshery/relationships/kubernetes/';
  const definitions = readdirSync(dir).filter((n) => n.endsWith('.json')).sort().map((n) => JSON.parse(readFileSync(dir + n, 'utf8')));
  const evaluator = createEvaluator(definitions);
  const c = (id, kind, configuration, displayName = id) => ({ id, component: { kind }, displayName, modelReference: { name: 'kubernetes' }, configuration });
  const delta = await evaluator.loadDesign({ id: 'd', version: '0.0.1', components: [c('ns', 'Namespace', {}, 'shop'), c('web', 'Deployment', { metadata: { namespace: 'shop' } })] });
  const response = await evaluator.evaluate();
  const engine = await evaluator.engine();
  await evaluator.dispose();
  console.log(JSON.stringify({ delta, response, engine, wasm: typeof WebAssembly }));
`;

test('Node uses main-thread WebAssembly and says why there is no worker', () => {
  const out = runScript(EVALUATE('@meshery/relationship-evaluator'));
  assert.equal(out.engine.kind, 'main-thread');
  assert.match(out.engine.reason, /Node has no Web Worker/);
  assert.equal(out.delta.relationshipsAdded[0].subType, 'inventory');
});

test('without WebAssembly (node --no-expose-wasm) the same import answers identically from the JavaScript engine', () => {
  const withWasm = runScript(EVALUATE('@meshery/relationship-evaluator'));
  const without = runScript(EVALUATE('@meshery/relationship-evaluator'), ['--no-expose-wasm']);
  assert.equal(without.wasm, 'undefined');
  assert.equal(without.engine.kind, 'js');
  assert.equal(without.engine.reason, 'worker: the Node build evaluates in its own thread (Node has no Web Worker); main-thread: this runtime has no WebAssembly; js-worker: the Node build evaluates in its own thread (Node has no Web Worker)');
  assert.deepEqual(without.delta, withWasm.delta);
  assert.deepEqual(without.response, withWasm.response);
});

/** Runs a CommonJS script with require-ESM switched off (Node before 20.19 and 22.12 has none). */
function runCommonJs(source, flags = []) {
  const result = spawnSync(process.execPath, ['--no-experimental-require-module', ...flags, '-e', source], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

const EVALUATE_CJS = `
  const { readFileSync, readdirSync } = require('node:fs');
  const { createEvaluator } = require('@meshery/relationship-evaluator');
  const dir = '../shared/fixtures/meshery/relationships/kubernetes/';
  const definitions = readdirSync(dir).filter((n) => n.endsWith('.json')).sort().map((n) => JSON.parse(readFileSync(dir + n, 'utf8')));
  (async () => {
    const evaluator = createEvaluator(definitions);
    const c = (id, kind, configuration, displayName = id) => ({ id, component: { kind }, displayName, modelReference: { name: 'kubernetes' }, configuration });
    const delta = await evaluator.loadDesign({ id: 'd', version: '0.0.1', components: [c('ns', 'Namespace', {}, 'shop'), c('web', 'Deployment', { metadata: { namespace: 'shop' } })] });
    const response = await evaluator.evaluate();
    const engine = await evaluator.engine();
    await evaluator.dispose();
    console.log(JSON.stringify({ delta, response, engine }));
  })();
`;

test('require() works without require-ESM (CommonJS build), with wasm and with the JavaScript engine, answering as the ESM build does', () => {
  const esm = runScript(EVALUATE('@meshery/relationship-evaluator'));
  const cjs = runCommonJs(EVALUATE_CJS);
  assert.equal(cjs.engine.kind, 'main-thread');
  assert.deepEqual(cjs.delta, esm.delta);
  assert.deepEqual(cjs.response, esm.response);
  const cjsWithoutWasm = runCommonJs(EVALUATE_CJS, ['--no-expose-wasm']);
  assert.equal(cjsWithoutWasm.engine.kind, 'js');
  assert.deepEqual(cjsWithoutWasm.response, esm.response);
  const hooks = runCommonJs("const r = require('@meshery/relationship-evaluator/react'); console.log(JSON.stringify(Object.keys(r).sort()))");
  assert.ok(hooks.includes('useEvaluationResult') && hooks.includes('useIncrementalEvaluator'), hooks.join());
});

test('the inline entry carries its wasm (no file to locate) and answers the same', () => {
  const inline = runScript(EVALUATE('@meshery/relationship-evaluator/inline'));
  const regular = runScript(EVALUATE('@meshery/relationship-evaluator'));
  assert.equal(inline.engine.kind, 'main-thread');
  assert.match(inline.engine.reason, /inline build/);
  assert.deepEqual(inline.response, regular.response);
});
