// One YAML reading (issue 15, docs/yaml.md) through the built package as users meet it: the npm
// CLI and `loadDesign`/`evaluateDesign` given YAML text. The shared corpus itself
// (tests/yaml/cases.json) runs against js/yaml.ts in the vitest suite, as it does against the
// native CLI and the Go loader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createEvaluator } from '../../../dist/index.node.js';

const definition = {
  id: '6f1c3a52-3d6e-4b8e-9a2c-000000000001', kind: 'hierarchical', type: 'parent', subType: 'inventory',
  schemaVersion: 'relationships.meshery.io/v1beta2', model: { name: 'kubernetes' }, selectors: [],
};

const design = (configuration) => `id: d\ncomponents:\n  - id: a\n    configuration:\n${configuration.replace(/^/gm, '      ')}`;
const numbers = 'big: 123456789012345678901234567890\nsafe: 9007199254740993\nleading: 017\nhex: 0x1F\nfloat: 1e3\nzero: -0.0\nword: yes\n';
const written = '{"big":123456789012345678901234567890,"safe":9007199254740993,"leading":17,"hex":31,"float":1000.0,"zero":-0.0,"word":"yes"}';

for (const engine of ['main-thread', 'js']) {
  test(`a YAML design's numbers reach the engine as the core schema reads them (${engine} engine)`, async () => {
    const evaluator = createEvaluator([definition], { engine });
    try {
      const loaded = await evaluator.loadDesign(design(numbers), { output: 'text' });
      assert.ok(loaded.includes(`"configuration":${written}`), loaded);
      const evaluated = await evaluator.evaluateDesign(design(numbers), { output: 'text' });
      assert.ok(evaluated.includes(`"configuration":${written}`), evaluated);
    } finally {
      await evaluator.dispose();
    }
  });
}

test('values outside the core schema are typed errors at their path, in the API and the npm CLI', async () => {
  const cases = [
    ['blob: !!binary aGk=\n', 'INVALID_TYPE', '/components/0/configuration/blob'],
    ['set: !!set {x: null}\n', 'INVALID_TYPE', '/components/0/configuration/set'],
    ['when: !!timestamp 2001-12-14\n', 'INVALID_TYPE', '/components/0/configuration/when'],
    ['custom: !foo x\n', 'INVALID_TYPE', '/components/0/configuration/custom'],
    ['ratio: .inf\n', 'INVALID_TYPE', '/components/0/configuration/ratio'],
    ['nan: .nan\n', 'INVALID_TYPE', '/components/0/configuration/nan'],
    ['base: &b {x: 1}\nmerged:\n  <<: *b\n', 'INVALID_TYPE', '/components/0/configuration/merged/<<'],
    ['loop: &l [*l]\n', 'CYCLE', '/components/0/configuration/loop/0'],
    ['k: 1\nk: 2\n', 'DUPLICATE_KEY', '/components/0/configuration/k'],
  ];
  const evaluator = createEvaluator([definition], { engine: 'main-thread' });
  const dir = mkdtempSync(`${tmpdir()}/yaml-reading-`);
  const cli = new URL('../../../dist/cli.js', import.meta.url).pathname;
  const definitions = new URL('../../../../shared/fixtures/meshery/relationships/kubernetes', import.meta.url).pathname;
  try {
    for (const [configuration, code, path] of cases) {
      await assert.rejects(evaluator.loadDesign(design(configuration)), (error) => error.code === code && error.path === path, configuration);
      writeFileSync(`${dir}/design.yaml`, design(configuration));
      const result = spawnSync(process.execPath, [cli, 'evaluate', `${dir}/design.yaml`, '--relationships', definitions], { encoding: 'utf8' });
      assert.equal(result.status, 1, result.stderr);
      assert.deepEqual((({ code, path }) => ({ code, path }))(JSON.parse(result.stderr)), { code, path }, configuration);
    }
  } finally {
    await evaluator.dispose();
  }
});
