/**
 * Raw evaluators after `free()` (issue 15 #22): the glue of a freed wasm-bindgen object throws a
 * bare "null pointer passed to rust"; what the package exports throws a typed DISPOSED instead.
 */
import { describe, expect, it } from 'vitest';
import type { EngineModule, RawEvaluator } from '../../../js/engine-module.js';
import { EvaluatorError } from '../../../js/errors.js';
import { guardFreed } from '../../../js/freed-guard.js';
import * as jsEngine from '../../../js/js-engine.js';
import * as wasm from '../../../pkg/web/relationship_evaluator.js';
import { wasmBytes } from '../helpers/fixtures.js';

const calls: [string, (evaluator: RawEvaluator) => unknown][] = [
  ['loadDesign', (e) => e.loadDesign('{"components": [], "relationships": []}')],
  ['applyEdits', (e) => e.applyEdits('[]')],
  ['replaceDefinitions', (e) => e.replaceDefinitions('[]')],
  ['design', (e) => e.design()],
  ['evaluate', (e) => e.evaluate()],
  ['evaluateDesign', (e) => e.evaluateDesign('{"components": [], "relationships": []}')],
  ['explain', (e) => e.explain('r')],
  ['snapshot', (e) => e.snapshot()],
  ['exportJson', (e) => e.exportJson()],
  ['revision', (e) => e.revision],
];

function expectDisposed(call: () => unknown): void {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(EvaluatorError);
  expect(thrown).toMatchObject({ code: 'DISPOSED', path: '' });
}

describe('the JavaScript engine export after free()', () => {
  const made: [string, () => RawEvaluator][] = [
    ['constructed', () => new jsEngine.Evaluator('[]', '')],
    ['restored', () => jsEngine.Evaluator.restore(new jsEngine.Evaluator('[]').snapshot())],
    ['imported', () => jsEngine.Evaluator.importJson(new jsEngine.Evaluator('[]').exportJson())],
  ];
  for (const [how, make] of made) {
    it(`every call on a ${how} evaluator throws DISPOSED, and free() twice is harmless`, () => {
      const evaluator = make();
      expect(evaluator.revision).toBe(0);
      evaluator.free();
      for (const [, call] of calls) expectDisposed(() => call(evaluator));
      expect(() => evaluator.free()).not.toThrow();
    });
  }

  it('answers as the unguarded engine while alive, core errors included', () => {
    const evaluator = new jsEngine.Evaluator('[]');
    expect(JSON.parse(evaluator.loadDesign('{"components": [], "relationships": []}')).revision).toBe(1);
    expect(() => evaluator.explain('nope')).toThrow(expect.objectContaining({ code: 'UNKNOWN_ID' }));
    evaluator.free();
  });
});

describe('guardFreed over the WebAssembly engine', () => {
  it('turns the glue\'s "null pointer passed to rust" into DISPOSED', async () => {
    await wasm.default({ module_or_path: wasmBytes });
    const raw = new wasm.Evaluator('[]');
    raw.free();
    expect(() => raw.design()).toThrow(/null pointer passed to rust/);
    const Guarded = guardFreed((wasm as EngineModule).Evaluator);
    const evaluator = new Guarded('[]');
    expect(typeof evaluator.design()).toBe('string');
    evaluator.free();
    for (const [, call] of calls) expectDisposed(() => call(evaluator));
  });
});
