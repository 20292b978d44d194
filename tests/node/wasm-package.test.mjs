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
