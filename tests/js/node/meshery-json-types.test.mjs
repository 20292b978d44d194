// Real Meshery JSON type-checks against this package's types as it is, without casts: the v1beta1
// sample designs (with the `null`s Meshery emits, e.g. `deny: {from: null, to: null}`), the Go
// engine's inputs, and the Go engine's real EvaluationResponses. The legacy pattern file is not a
// design and must be refused by the type, too (a negative control that proves the check runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = `${root}../shared/fixtures/meshery/`;
const outDir = `${root}target/js-test/meshery-json/`;
mkdirSync(outDir, { recursive: true });

/** Type-checks `values` as `type` (one exported constant each); returns the first line of each diagnostic. */
function typeCheck(name, type, values) {
  const file = `${outDir}${name}.ts`;
  const body = values.map((value, i) => `export const value${i}: ${type} = ${JSON.stringify(value)};\n`).join('');
  writeFileSync(file, `import type { ${type} } from '../../../js/exports.js';\n${body}`);
  const program = ts.createProgram([file], {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0]);
}

const yamlDesigns = readdirSync(`${fixtures}designs`).filter((n) => n.endsWith('.design.yaml') || n === 'valid_design.yaml').sort();
// The samples and the smallest generated design: the larger ones (up to 3.7 MB) add minutes of type-checking and no new shapes.
const goCase = /-(fx-edge-firewall-relationship|fx-valid_design|N40-seed11)\.json$/;
const goDesigns = readdirSync(`${fixtures}go-engine`).filter((n) => n.startsWith('design-') && goCase.test(n)).sort();
const goResults = readdirSync(`${fixtures}go-engine`).filter((n) => n.startsWith('go-result-') && goCase.test(n)).sort();

test('the fixtures are there: two v1beta1 sample designs, the Go engine inputs and responses', () => {
  assert.deepEqual(yamlDesigns, ['edge-firewall-relationship.design.yaml', 'valid_design.yaml']);
  assert.equal(goDesigns.length, 3);
  assert.equal(goResults.length, 3);
  // The nulls the type must accept are really in them.
  assert.match(readFileSync(`${fixtures}designs/edge-firewall-relationship.design.yaml`, 'utf8'), /deny:\n\s+from: null\n\s+to: null/);
});

test("Meshery's v1beta1 sample designs are a Design as they are", () => {
  const designs = yamlDesigns.map((name) => parseYaml(readFileSync(`${fixtures}designs/${name}`, 'utf8')));
  assert.deepEqual(typeCheck('sample-designs', 'Design', designs), []);
});

test("the Go engine's input designs are a Design and its real responses an EvaluationResponse", () => {
  const designs = goDesigns.map((name) => JSON.parse(readFileSync(`${fixtures}go-engine/${name}`, 'utf8')));
  assert.deepEqual(typeCheck('go-designs', 'Design', designs), []);
  // Go's responses have no evaluationHash, write empty trace lists as null (docs/deviations.md
  // rows 11 and 23) and add the trace's policyActions; this package's responses always carry the
  // hash and the lists, have no policyActions, and the type says so.
  const responses = goResults.map((name) => {
    const response = JSON.parse(readFileSync(`${fixtures}go-engine/${name}`, 'utf8'));
    const { policyActions, ...lists } = response.trace;
    assert.ok(policyActions === null || Array.isArray(policyActions));
    const trace = Object.fromEntries(Object.entries(lists).map(([key, list]) => [key, list ?? []]));
    return { ...response, trace, evaluationHash: '' };
  });
  assert.deepEqual(typeCheck('go-responses', 'EvaluationResponse', responses), []);
});

test('the legacy pattern file (services:) is not a Design: the check really runs', () => {
  const legacy = parseYaml(readFileSync(`${fixtures}designs/kubernetes_basic.legacy-pattern.yaml`, 'utf8'));
  const diagnostics = typeCheck('legacy-pattern', 'Design', [{ ...legacy, components: legacy.services }]);
  assert.notDeepEqual(diagnostics, []);
});
