// The shipped declarations (dist/types) as a TypeScript consumer compiles them, without
// skipLibCheck: with `lib: ES2022` (no ESNext.Disposable), with the old `moduleResolution: node`
// (which ignores `exports`, hence `typesVersions` for the subpaths), with NodeNext, and with a lib
// that does declare Symbol.asyncDispose (no conflict with the package's own declaration).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../../', import.meta.url));
let dir;

const CONSUMER = `
import { createEvaluator, EvaluatorError, type Delta, type Design, type Edit, type EngineInfo, type EvaluationResponse, type JsonObject } from '@meshery/relationship-evaluator';
import { useEvaluationResult, useIncrementalEvaluator, useRelationshipEvaluation, type RelationshipEvaluationState } from '@meshery/relationship-evaluator/react';
import { init } from '@meshery/relationship-evaluator/inline';

// Real Meshery JSON as Meshery emits it: a deny side that is null on both ends.
const design: Design = { id: 'd', components: [], relationships: [{ id: 'r', kind: 'hierarchical', selectors: [{ allow: { from: [{ kind: 'Pod' }], to: [{ kind: 'Container' }] }, deny: { from: null, to: null } }] }] };
const configuration: JsonObject = { metadata: { namespace: 'shop', labels: { app: 'web' } }, spec: { replicas: 3 } };
const edits: Edit[] = [{ op: 'setConfiguration', id: 'a', configuration }, { op: 'setNamespace', id: 'a', namespace: null }];
const evaluator = createEvaluator([], { engine: 'auto', evaluation: { returnDiffOnly: true } });

export async function use(): Promise<[Delta, Delta, EvaluationResponse, EngineInfo]> {
  await init(new Uint8Array(0));
  const result: [Delta, Delta, EvaluationResponse, EngineInfo] = [await evaluator.loadDesign(design), await evaluator.applyEdits(edits), await evaluator.evaluate(), await evaluator.engine()];
  await evaluator[Symbol.asyncDispose]();
  return result;
}
export const oneShot: (design: Design) => RelationshipEvaluationState = (d) => useEvaluationResult(d, []);
export const incremental = () => useIncrementalEvaluator([]).applyEdits(edits);
export const deprecated: typeof useEvaluationResult = useRelationshipEvaluation;
export const loadingHint = (error: unknown): string | undefined => (error instanceof EvaluatorError ? error.details?.hint : undefined);
// @ts-expect-error a configuration is JSON: a function is not
export const notJson: JsonObject = { run: () => 1 };
`;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'relationship-evaluator-consumer-'));
  const installed = join(dir, 'node_modules/@meshery/relationship-evaluator');
  mkdirSync(installed, { recursive: true });
  cpSync(join(root, 'package.json'), join(installed, 'package.json'));
  cpSync(join(root, 'dist/types'), join(installed, 'dist/types'), { recursive: true });
  mkdirSync(join(dir, 'node_modules/@types'), { recursive: true });
  symlinkSync(join(root, 'node_modules/@types/react'), join(dir, 'node_modules/@types/react'));
  symlinkSync(join(root, 'node_modules/csstype'), join(dir, 'node_modules/csstype'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
  writeFileSync(join(dir, 'consumer.ts'), CONSUMER);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function compile(options) {
  const program = ts.createProgram([join(dir, 'consumer.ts')], {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, skipLibCheck: false, types: [], ...options,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? d.file.fileName.slice(dir.length) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

const ES2022 = ['lib.es2022.d.ts', 'lib.dom.d.ts'];

test('moduleResolution node (node10) with lib ES2022: the main entry and the /react and /inline subpaths resolve and compile', () => {
  assert.deepEqual(compile({ module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Node10, lib: ES2022, jsx: ts.JsxEmit.ReactJSX }), []);
});

test('moduleResolution NodeNext with lib ES2022', () => {
  assert.deepEqual(compile({ module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, lib: ES2022 }), []);
});

test('moduleResolution Bundler with a lib that has its own Symbol.asyncDispose (ESNext)', () => {
  assert.deepEqual(compile({ module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ['lib.esnext.d.ts', 'lib.dom.d.ts'] }), []);
});

test('the check is real: a wrong use is reported under the same settings', () => {
  writeFileSync(join(dir, 'consumer.ts'), `${CONSUMER}\nexport const wrong: Edit = { op: 'setNamespace', id: 'a', namespace: 42 };\n`);
  try {
    const diagnostics = compile({ module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Node10, lib: ES2022 });
    assert.equal(diagnostics.length, 1, diagnostics.join('\n'));
    assert.match(diagnostics[0], /consumer\.ts: Type 'number' is not assignable/);
  } finally {
    writeFileSync(join(dir, 'consumer.ts'), CONSUMER);
  }
});
