// The TypeScript types (js/types.ts, js/errors.ts) against what the Rust core actually produces
// and accepts. The types are generated from the Rust ones (js/generated/types.ts, checked fresh
// by scripts/test.sh), except the hand-written open JSON shapes (js/json-types.ts) and the
// `#[ts(type = …)]` overrides the generated ones use; this test checks the values themselves.
// Every delta, response, design, explanation, connectable definition, snapshot and error the
// wasm returns over a corpus of real inputs is written out as a typed TypeScript constant and
// compiled with tsc (object literals get excess-property checks, so a field the types do not
// describe fails), and a sample of every edit op is accepted by the wasm. Negative controls prove
// the check can fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import initWasm, * as wasm from '../../../pkg/web/relationship_evaluator.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = `${root}../shared/fixtures/meshery/`;
const outDir = `${root}target/js-test/types/`;
mkdirSync(outDir, { recursive: true });

await initWasm({ module_or_path: readFileSync(`${root}pkg/web/relationship_evaluator_bg.wasm`) });
const { ACTION_OPS, EDIT_OPS } = await import('../../../dist/index.node.js');

const kubernetes = readdirSync(`${fixtures}relationships/kubernetes/`).filter((n) => n.endsWith('.json')).sort()
  .map((n) => JSON.parse(readFileSync(`${fixtures}relationships/kubernetes/${n}`, 'utf8')));

const component = (id, kind, configuration = {}, displayName = id) => ({ id, component: { kind }, displayName, modelReference: { name: 'kubernetes' }, configuration });

/** One sample of every edit op, valid against the design below. */
const EDIT_SAMPLES = [
  { op: 'addComponent', component: component('svc', 'Service', { metadata: { namespace: 'shop' }, spec: { selector: { app: 'web' } } }) },
  { op: 'renameComponent', id: 'web', displayName: 'frontend' },
  { op: 'moveComponent', id: 'web', x: 1.5, y: 2 },
  { op: 'setConfiguration', id: 'web', configuration: { metadata: { namespace: 'shop', labels: { app: 'web' } } } },
  { op: 'patchConfiguration', id: 'web', patch: { spec: { replicas: 2 } } },
  { op: 'setLabels', id: 'web', labels: { app: 'web', tier: 'front' } },
  { op: 'setNamespace', id: 'web', namespace: 'shop' },
  { op: 'setNamespace', id: 'pod', namespace: null },
  { op: 'addRelationship', relationship: { id: 'r1', kind: 'edge', type: 'non-binding', subType: 'network', status: 'pending', selectors: [{ allow: { from: [{ id: 'svc', kind: 'Service' }], to: [{ id: 'web', kind: 'Deployment' }] } }] } },
  { op: 'setRelationshipStatus', id: 'r1', status: 'deleted' },
  { op: 'removeRelationship', id: 'r1' },
  { op: 'setLayer', layer: 'edge-non-binding-network', enabled: false },
  { op: 'setPreferences', preferences: { layers: { relationships: { 'edge-non-binding-network': true } } } },
  { op: 'removeComponent', id: 'pod' },
];

/** The samples, by TypeScript type name. */
const samples = { Delta: [], EvaluationResponse: [], EvaluatedDesign: [], Explanation: [], ConnectableDefinition: [], SnapshotJson: [], ErrorCode: [], Edit: EDIT_SAMPLES };

function collect(definitions, options, design, edits) {
  let evaluator;
  try {
    evaluator = new wasm.Evaluator(JSON.stringify(definitions), options ? JSON.stringify(options) : null);
  } catch (error) {
    samples.ErrorCode.push(error.code);
    return;
  }
  const keep = (type, call) => {
    try {
      samples[type].push(JSON.parse(call()));
    } catch (error) {
      samples.ErrorCode.push(error.code);
    }
  };
  keep('Delta', () => evaluator.loadDesign(JSON.stringify(design)));
  for (const batch of edits) keep('Delta', () => evaluator.applyEdits(JSON.stringify(batch)));
  keep('EvaluationResponse', () => evaluator.evaluate());
  // What `RelationshipEvaluator.design()` resolves with: the engine's design, or, while it is the
  // never-evaluated `{}` (no change succeeded), the empty design evaluated (js/evaluator.ts).
  keep('EvaluatedDesign', () => evaluator.design());
  keep('SnapshotJson', () => evaluator.exportJson());
  for (const relationship of (JSON.parse(evaluator.design()).relationships ?? []).slice(0, 6)) keep('Explanation', () => evaluator.explain(relationship.id));
  keep('Explanation', () => evaluator.explain('no-such-relationship'));
  const someComponents = (JSON.parse(evaluator.design()).components ?? []).slice(0, 4);
  for (const from of someComponents) {
    for (const to of someComponents) {
      try {
        samples.ConnectableDefinition.push(...JSON.parse(evaluator.connectableDefinitions(from.id, to.id)));
      } catch (error) {
        samples.ErrorCode.push(error.code);
      }
    }
  }
  keep('ConnectableDefinition', () => evaluator.connectableDefinitions('no-such-component', 'no-such-component'));
  keep('Delta', () => evaluator.applyEdits(JSON.stringify([{ op: 'removeComponent', id: 'no-such-component' }])));
  keep('Delta', () => evaluator.loadDesign('{"components": 3}'));
  keep('Delta', () => evaluator.loadDesign('{not json'));
  evaluator.free();
}

// A small shop: every edit op, one batch each.
const shop = { id: '00000000-0000-0000-0000-0000000000a1', name: 'shop', version: '0.0.1', components: [component('ns', 'Namespace', {}, 'shop'), component('web', 'Deployment', { metadata: { namespace: 'shop' } }), component('pod', 'Pod', { metadata: { namespace: 'shop' } })], relationships: [] };
collect(kubernetes, null, shop, EDIT_SAMPLES.map((edit) => [edit]));
collect(kubernetes, { includeTimestamp: true, returnDiffOnly: true }, shop, [EDIT_SAMPLES.slice(0, 3)]);
collect(kubernetes, { maxApprovalsPerPolicy: 0 }, shop, []);
// Renaming the Namespace its Deployment names: the engine patches the name back (update_component).
collect(kubernetes, null, shop, [[{ op: 'renameComponent', id: 'ns', displayName: 'elsewhere' }]]);
// The go-scenarios of level engine/orchestration, and the sample designs.
const scenarioDir = `${fixtures}go-scenarios/`;
for (const dir of ['patching', 'orchestration', 'safety', 'wasm_diff', 'engine']) {
  for (const name of readdirSync(`${scenarioDir}${dir}`).filter((n) => n.endsWith('.json')).sort()) {
    const scenario = JSON.parse(readFileSync(`${scenarioDir}${dir}/${name}`, 'utf8'));
    if (!scenario.input?.design || typeof scenario.input.design !== 'object') continue;
    const first = scenario.input.design.components?.[0]?.id;
    collect(Array.isArray(scenario.input.relationships) ? scenario.input.relationships : [], scenario.input.options, scenario.input.design, first ? [[{ op: 'removeComponent', id: first }]] : []);
  }
}
for (const name of ['valid_design.yaml', 'kubernetes_basic.legacy-pattern.yaml']) {
  collect(kubernetes, null, parseYaml(readFileSync(`${fixtures}designs/${name}`, 'utf8')), []);
}

/** Type-checks `source` (a module next to the samples) and returns the diagnostics as text. */
function typeCheck(name, source) {
  const file = `${outDir}${name}.ts`;
  writeFileSync(file, source);
  const program = ts.createProgram([file], {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'], types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0]);
}

const header = `import type { ConnectableDefinition, Delta, Edit, ErrorCode, EvaluatedDesign, EvaluationResponse, Explanation, SnapshotJson } from '../../../js/exports.js';\n`;
const typed = (type, values) => values.map((value, i) => `export const ${type.toLowerCase()}${i}: ${type} = ${JSON.stringify(value, null, 1)};\n`).join('');

test('the corpus produced samples of every type', () => {
  for (const [type, values] of Object.entries(samples)) assert.ok(values.length > 0, `no ${type} sample`);
  const ops = new Set([...samples.Delta, ...samples.EvaluationResponse].flatMap((s) => s.actions.map((a) => a.op)));
  for (const op of ops) assert.ok(ACTION_OPS.includes(op), `the wasm produced action op ${op}, unknown to ACTION_OPS`);
  assert.deepEqual([...ops].sort(), [...ACTION_OPS].sort(), 'every action op is covered by a sample');
});

test('every value the wasm produced type-checks against the TypeScript types', () => {
  const source = header + Object.entries(samples).map(([type, values]) => typed(type, values)).join('');
  const diagnostics = typeCheck('samples', source);
  assert.deepEqual(diagnostics, []);
});

test('the check fails when the types and the values disagree (negative controls)', () => {
  const baseline = new Set(typeCheck('baseline', header + typed('Delta', [samples.Delta[0]])));
  const delta = samples.Delta[0];
  const response = samples.EvaluationResponse[0];
  const controls = {
    'a field Rust added': typed('Delta', [{ ...delta, newField: 1 }]),
    'a field Rust removed': typed('Delta', [Object.fromEntries(Object.entries(delta).filter(([key]) => key !== 'revision'))]),
    'a field whose type changed': typed('EvaluationResponse', [{ ...response, evaluationHash: 42 }]),
    'an action op the types do not know': typed('Delta', [{ ...delta, actions: [{ op: 'merge_component', value: { id: 'a' } }] }]),
    'an error code the types do not know': typed('ErrorCode', ['SOMETHING_NEW']),
    'an edit field the types do not know': typed('Edit', [{ op: 'renameComponent', id: 'a', displayName: 'b', extra: true }]),
  };
  for (const [name, source] of Object.entries(controls)) {
    const found = typeCheck(`control-${name.replaceAll(' ', '-')}`, header + source).filter((d) => !baseline.has(d));
    assert.notDeepEqual(found, [], `${name} went unnoticed`);
  }
});

test('every edit op has a sample, and the wasm accepts every sample', () => {
  assert.deepEqual([...new Set(EDIT_SAMPLES.map((edit) => edit.op))].sort(), [...EDIT_OPS].sort());
  const evaluator = new wasm.Evaluator(JSON.stringify(kubernetes));
  evaluator.loadDesign(JSON.stringify(shop));
  assert.doesNotThrow(() => evaluator.applyEdits(JSON.stringify(EDIT_SAMPLES)));
  evaluator.free();
});
