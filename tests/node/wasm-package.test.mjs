// The built WebAssembly package (pkg/web) used from plain Node ESM, as a script would use it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import init, { Evaluator, installMesheryEngine, isPoisoned } from '../../pkg/web/relationship_evaluator.js';

const root = new URL('../../', import.meta.url);
const definitionsDir = new URL('../shared/fixtures/meshery/relationships/kubernetes/', root);

async function kubernetesDefinitions() {
  const files = (await readdir(definitionsDir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(files.map(async (f) => JSON.parse(await readFile(new URL(f, definitionsDir), 'utf8'))));
}

const component = (id, kind, displayName, configuration) => ({
  id, component: { kind }, displayName, modelReference: { name: 'kubernetes' }, configuration,
});

await init({ module_or_path: await readFile(new URL('pkg/web/relationship_evaluator_bg.wasm', root)) });
const definitions = JSON.stringify(await kubernetesDefinitions());

test('a Deployment in a Namespace gets a hierarchical relationship', () => {
  const evaluator = new Evaluator(definitions);
  assert.equal(typeof evaluator[Symbol.dispose], 'function', 'usable with `using`');
  const design = {
    id: '00000000-0000-0000-0000-0000000000a1', name: 'shop', version: '0.0.1',
    components: [
      component('ns', 'Namespace', 'shop', {}),
      component('web', 'Deployment', 'web', { metadata: { namespace: 'shop' } }),
    ],
    relationships: [],
  };
  const delta = JSON.parse(evaluator.loadDesign(JSON.stringify(design)));
  assert.equal(delta.revision, 1);
  assert.deepEqual(delta.relationshipsAdded.map((r) => `${r.kind}/${r.type}/${r.subType}`), ['hierarchical/parent/inventory']);
  assert.equal(evaluator.revision, 1);
  evaluator[Symbol.dispose]();
});

test('errors are Error objects with a code and a path, and leave the state unchanged', () => {
  const evaluator = new Evaluator(definitions);
  evaluator.loadDesign(JSON.stringify({ id: 'd', components: [component('a', 'Pod', 'a', {})] }));
  const before = evaluator.design();
  assert.throws(
    () => evaluator.applyEdits(JSON.stringify([{ op: 'renameComponent', id: 'a', displayName: 'b' }, { op: 'removeComponent', id: 'zz' }])),
    (error) => error instanceof Error && error.code === 'UNKNOWN_ID' && error.path === '/1/id',
  );
  assert.equal(evaluator.design(), before);
  assert.throws(() => new Evaluator('[{"kind": 7}]'), (e) => e.code === 'INVALID_TYPE' && e.path === '/0/kind');
  assert.throws(() => evaluator.loadDesign('{not json'), (e) => e.code === 'INVALID_JSON');
  evaluator.free();
});

test('evaluateDesign evaluates another design with the same definitions and changes no state', () => {
  const evaluator = new Evaluator(definitions);
  evaluator.loadDesign(JSON.stringify({ id: 'd', components: [component('a', 'Pod', 'a', {})] }));
  const before = evaluator.design();
  const other = {
    id: 'other', components: [
      component('ns', 'Namespace', 'shop', {}),
      component('web', 'Deployment', 'web', { metadata: { namespace: 'shop' } }),
    ],
  };
  const response = JSON.parse(evaluator.evaluateDesign(JSON.stringify(other)));
  assert.deepEqual(response.design.relationships.map((r) => r.subType), ['inventory']);
  assert.equal(evaluator.design(), before);
  assert.equal(evaluator.revision, 1);
});

test('snapshot bytes restore an identical evaluator', () => {
  const evaluator = new Evaluator(definitions);
  evaluator.loadDesign(JSON.stringify({ id: 'd', components: [component('ns', 'Namespace', 'x', {})] }));
  const bytes = evaluator.snapshot();
  assert.ok(bytes instanceof Uint8Array);
  const restored = Evaluator.restore(bytes);
  assert.equal(restored.design(), evaluator.design());
  assert.equal(restored.revision, evaluator.revision);
  assert.throws(() => Evaluator.restore(bytes.subarray(0, 10)), (e) => e.code === 'INVALID_SNAPSHOT');
  const fromJson = Evaluator.importJson(evaluator.exportJson());
  assert.equal(fromJson.design(), evaluator.design());
});

test('Meshery engine contract v1 is installed only on request and answers with strings', () => {
  assert.equal(globalThis.__mesheryRelationshipEngine, undefined);
  const engine = installMesheryEngine();
  assert.equal(globalThis.__mesheryRelationshipEngine, engine);
  assert.equal(engine.contract, 1);
  assert.deepEqual(JSON.parse(engine.evaluate('{}', '')).error, 'engine not initialized');
  assert.equal(engine.init(definitions), '{}');
  assert.equal(JSON.parse(engine.selfTest()).ok, true);
  const response = JSON.parse(engine.evaluate(JSON.stringify({ id: 'd', components: [] }), '{"enableTrace":true}'));
  assert.equal(response.schemaVersion, 'evaluation.meshery.io/v1beta1');
  assert.match(response.timestamp, /^\d{4}-\d\d-\d\dT/);
  assert.ok(JSON.parse(engine.evaluate('not json', '')).error);
  assert.equal(isPoisoned(), false);
});

// Issue 15 #6: wasm-bindgen's string glue trapped (`memory access out of bounds`) on a non-string
// argument and poisoned the instance. Every exported call now takes any value and answers a
// non-string with a typed error (the contract with an error object), and the instance lives on.
test('non-string arguments are typed errors, never traps', () => {
  const notStrings = [123, {}, [], true, 5n, Symbol('s'), () => 1];
  const evaluator = new Evaluator(definitions);
  for (const value of notStrings) {
    for (const call of [
      () => new Evaluator(value),
      () => new Evaluator('[]', value),
      () => evaluator.loadDesign(value),
      () => evaluator.applyEdits(value),
      () => evaluator.replaceDefinitions(value),
      () => evaluator.evaluateDesign(value),
      () => evaluator.explain(value),
      () => Evaluator.importJson(value),
      () => Evaluator.restore(value),
    ]) {
      assert.throws(call, (error) => error.name === 'EvaluatorError' && error.code === 'INVALID_TYPE', `${call} with ${String(value)}`);
    }
  }
  new Evaluator('[]', undefined).free();
  new Evaluator('[]', null).free();
  const engine = installMesheryEngine();
  for (const value of notStrings) {
    assert.equal(JSON.parse(engine.init(value)).code, 'INVALID_TYPE');
    assert.equal(engine.init('[]'), '{}');
    assert.equal(JSON.parse(engine.evaluate(value, '')).code, 'INVALID_TYPE');
    assert.equal(JSON.parse(engine.evaluate('{}', value)).code, 'INVALID_TYPE');
  }
  assert.equal(JSON.parse(engine.evaluate('{}')).error, undefined, 'options may be left out');
  assert.equal(isPoisoned(), false);
  assert.equal(JSON.parse(evaluator.loadDesign('{"id":"d"}')).revision, 1, 'the instance still works');
  evaluator.free();
});

// Issue 15 #4: a patch path naming array index 4294967295 reached `position + 1` and trapped
// (`unreachable`) in wasm; the definition is now refused when it is decoded.
test('a huge patch index is LIMIT_EXCEEDED, and the contract answers instead of throwing', () => {
  const definition = {
    id: 'p', kind: 'edge', type: 'non-binding', subType: 'network', schemaVersion: 'relationships.meshery.io/v1beta2',
    selectors: [{ allow: { from: [{ kind: 'Service', patch: { mutatorRef: [['displayName']] } }], to: [{ kind: 'Pod', patch: { mutatedRef: [['configuration', '4294967295']] } }] } }],
  };
  assert.throws(() => new Evaluator(JSON.stringify([definition])), (error) => error.code === 'LIMIT_EXCEEDED' && error.path === '/0/selectors/0/allow/to/0/patch/mutatedRef/0/1');
  const engine = installMesheryEngine();
  assert.equal(JSON.parse(engine.init(JSON.stringify([definition]))).code, 'LIMIT_EXCEEDED');
  assert.equal(isPoisoned(), false);
});
