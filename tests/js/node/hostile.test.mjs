// Findings of issue 15 that live in the npm layer, through the built package (dist/) as a user
// calls it, on both engines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEvaluator } from '../../../dist/index.node.js';

const definition = {
  id: '6f1c3a52-3d6e-4b8e-9a2c-000000000001', kind: 'hierarchical', type: 'parent', subType: 'inventory',
  schemaVersion: 'relationships.meshery.io/v1beta2', model: { name: 'kubernetes' }, selectors: [],
};

// #12: the host spliced the design text into snapshot JSON, so text after the design could add
// snapshot fields (`,"definitions":[]` dropped every definition). The text now reaches the
// engine as it is: anything but one JSON value is INVALID_JSON, as in `loadDesign`.
for (const engine of ['main-thread', 'js']) {
  test(`evaluateDesign never splices the design text (${engine} engine)`, async () => {
    const evaluator = createEvaluator([definition], { engine });
    try {
      for (const text of ['{"id":"d"},"definitions":[]', '{"id":"d"},"design":{"id":"e"}', '{"id":"d"} {}', '{"id":"d"']) {
        await assert.rejects(evaluator.evaluateDesign(text), (error) => error.code === 'INVALID_JSON', text);
      }
      const response = await evaluator.evaluateDesign('{"id":"d","components":[]}');
      assert.equal(response.design.id, 'd');
      await assert.rejects(evaluator.evaluateDesign('{"id":"d","components":[{"id":"a","component":{"kind":3}}]}'),
        (error) => error.code === 'INVALID_TYPE' && error.path === '/components/0/component/kind', 'paths are relative to the design');
    } finally {
      await evaluator.dispose();
    }
  });
}

// #22: an unknown engine name is ENGINE_UNAVAILABLE naming the name and the choices.
test('an unknown engine name is refused with the reason', async () => {
  const evaluator = createEvaluator([definition], { engine: 'bogus' });
  await assert.rejects(evaluator.evaluateDesign('{}'), (error) => error.code === 'ENGINE_UNAVAILABLE' && /unknown engine "bogus".*"main-thread"/.test(error.message));
  await evaluator.dispose();
});

// #19: what JSON cannot carry is a typed error, not a raw TypeError/RangeError or a silent null.
test('values JSON cannot carry are typed errors', async () => {
  const evaluator = createEvaluator([definition], { engine: 'js' });
  try {
    const circular = { id: 'c' };
    circular.self = circular;
    let deep = {};
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    for (const [value, code] of [[undefined, 'INVALID_TYPE'], [{ id: 'b', x: 1n }, 'INVALID_TYPE'], [circular, 'INVALID_TYPE'], [deep, 'LIMIT_EXCEEDED'],
      [{ id: 'n', x: NaN }, 'INVALID_TYPE'], [{ id: 'i', x: Infinity }, 'INVALID_TYPE']]) {
      await assert.rejects(evaluator.loadDesign(value), (error) => error.name === 'EvaluatorError' && error.code === code, String(value));
    }
    await assert.rejects(evaluator.applyEdits(undefined), (error) => error.code === 'INVALID_TYPE');
    await assert.rejects(evaluator.applyEdits([{ op: 'moveComponent', id: 'a', x: NaN, y: 0 }]), (error) => error.code === 'INVALID_TYPE' && /NaN/.test(error.message));
  } finally {
    await evaluator.dispose();
  }
  const { restoreEvaluator, importEvaluator } = await import('../../../dist/index.node.js');
  assert.throws(() => restoreEvaluator(undefined), (error) => error.name === 'EvaluatorError' && error.code === 'INVALID_TYPE');
  assert.throws(() => importEvaluator(5), (error) => error.name === 'EvaluatorError' && error.code === 'INVALID_TYPE');
});

// #20: the npm CLI re-serialised the design and overflowed the stack on deep nesting (exit 3,
// INTERNAL); a recursive YAML alias did the same. Both are typed errors with exit 1 now (the alias
// a CYCLE, as in every YAML reader: docs/yaml.md).
test('the npm CLI answers deep nesting and recursive YAML with typed errors, exit 1', async () => {
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(`${tmpdir()}/hostile-`);
  writeFileSync(`${dir}/deep.json`, `{"id":"d","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
  writeFileSync(`${dir}/recursive.yaml`, 'a: &a [*a]\nid: x\n');
  const cli = new URL('../../../dist/cli.js', import.meta.url).pathname;
  // Real definitions: a path that holds none is bad usage (exit 2) before the design is read.
  const definitions = new URL('../../../../shared/fixtures/meshery/relationships/kubernetes', import.meta.url).pathname;
  for (const [file, code] of [['deep.json', 'LIMIT_EXCEEDED'], ['recursive.yaml', 'CYCLE']]) {
    const result = spawnSync(process.execPath, [cli, 'evaluate', `${dir}/${file}`, '--relationships', definitions], { encoding: 'utf8' });
    assert.equal(result.status, 1, result.stderr);
    assert.equal(JSON.parse(result.stderr).code, code);
  }
});

// #2: numbers come back as written through the text path; the object path is JSON.parse's.
const numbers = '{"big":123456789012345678901234567890,"past":1e400,"tiny":1e-400,"neg":-0,"zeros":1.50,"exp":1E5,"safe":9007199254740993}';
const numbersDesign = `{"id":"d","components":[{"id":"a","configuration":${numbers}}],"z":1,"10":2,"a":3,"2":4}`;
for (const engine of ['auto', 'main-thread', 'js']) {
  test(`numbers and key order come back as written with output: 'text' (${engine} engine)`, async () => {
    const evaluator = createEvaluator([definition], { engine });
    try {
      const delta = await evaluator.loadDesign(numbersDesign, { output: 'text' });
      assert.equal(typeof delta, 'string');
      const texts = [await evaluator.design({ output: 'text' }), await evaluator.evaluate({ output: 'text' }), await evaluator.evaluateDesign(numbersDesign, { output: 'text' })];
      for (const text of texts) {
        assert.ok(text.includes(`"configuration":${numbers}`), text);
        assert.ok(/"z":1,"10":2,"a":3,"2":4/.test(text), 'keys keep their order');
      }
      // The object path is JSON.parse's: what it cannot hold is changed, as documented.
      const configuration = (await evaluator.design()).components[0].configuration;
      assert.deepEqual(configuration, { big: 1.2345678901234568e29, past: Infinity, tiny: 0, neg: -0, zeros: 1.5, exp: 100000, safe: 9007199254740992 });
    } finally {
      await evaluator.dispose();
    }
  });
}
