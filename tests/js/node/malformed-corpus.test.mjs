// The malformed-input corpus of issue #6 through the JavaScript engine as the package ships it
// (dist/js-engine.js: the Rust core compiled to wasm, then to plain JavaScript by wasm2js; built
// by scripts/build-wasm2js.sh and scripts/build-js.mjs): its wasm-bindgen `Evaluator` class
// (constructor, evaluateDesign, loadDesign, applyEdits, Evaluator.restore, Evaluator.importJson),
// the same calls tests/node/malformed-corpus.test.mjs makes on the WebAssembly package.
//
// Meshery's contract object is not part of the JavaScript engine (dist/js-engine.js does not
// export installMesheryEngine; the package installs the contract only from the WebAssembly
// build), so it runs only in the WebAssembly test; MALFORMED_JS_CONTRACT=1 also runs it here on
// the unbundled wasm2js build (pkg/wasm2js), which costs an `init` of the definitions per case.
//
// Every case must give the code and path the Rust corpus expects (or its documented valid
// result), throw nothing but EvaluatorErrors, stay within MALFORMED_CASE_TIMEOUT_MS (default
// 120 s: the JavaScript engine is 5–16x slower than wasm), not poison the instance, leave a failed
// edit batch's or load's evaluator unchanged, and leave an unrelated evaluator unchanged.
//
// Big inputs run at full size (1 MB strings, 500,000-level nesting, the 200,001-component design
// over the default maxComponents: under 1 s since scripts/build-wasm2js.sh makes memory grow
// geometrically; it took ~23 s when every grow copied all of memory). MALFORMED_JS_REDUCED=1 runs
// the cases that have a `reduced` form in the corpus at that size instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus, runCorpus, summarize } from '../../malformed/harness.mjs';

const root = new URL('../../../', import.meta.url);
const caseTimeoutMs = Number(process.env.MALFORMED_CASE_TIMEOUT_MS ?? 120_000);
const contract = process.env.MALFORMED_JS_CONTRACT === '1';
const reduce = process.env.MALFORMED_JS_REDUCED === '1';

const exported = performance.now();
const { corpus, text } = await loadCorpus(root);
const exportMs = performance.now() - exported;
const run = await runCorpus({ engine: 'js', root, corpus, text, caseTimeoutMs, contract, reduce });
const summary = summarize(corpus, run);

test('the exported corpus is the whole Rust corpus, and every case ran', () => {
  assert.ok(corpus.cases.length >= 2690, `${corpus.cases.length} cases`);
  assert.ok(summary.rustOnly <= 7, 'Rust-only cases stay the few JSON cannot express');
  assert.equal(summary.ran, corpus.cases.length - summary.rustOnly);
});

test('every error code is one the package knows, so its EvaluatorError keeps code and path', async () => {
  // The package wraps what the engine throws with toEvaluatorError (js/errors.ts), which keeps a
  // code only when it is one of CORE_ERROR_CODES and turns any other into INTERNAL.
  const { CORE_ERROR_CODES } = await import(new URL('dist/index.node.js', root).href);
  const unknown = [...summary.codes].filter((code) => !CORE_ERROR_CODES.includes(code));
  assert.deepEqual(unknown, []);
  assert.ok(summary.codes.size >= 8, `codes seen: ${[...summary.codes].join(', ')}`);
});

for (const [via, categories] of summary.channels) {
  for (const [category, counts] of categories) {
    test(`JS engine ${via}: ${category} (${counts.cases} cases)`, () => {
      assert.equal(counts.failures.length, 0, `${counts.failures.length} case(s) failed:\n${counts.failures.join('\n')}`);
    });
  }
}

test('summary', (t) => {
  t.diagnostic(`corpus exported in ${(exportMs / 1000).toFixed(1)} s: ${corpus.cases.length} cases, ${summary.rustOnly} Rust-only`);
  if (summary.reduced.length > 0) t.diagnostic(`at reduced size: ${summary.reduced.join(', ')}`);
  for (const [via, categories] of summary.channels) {
    const totals = [...categories.values()].reduce((a, c) => ({ cases: a.cases + c.cases, typed: a.typed + c.typed, valid: a.valid + c.valid, failed: a.failed + c.failures.length }), { cases: 0, typed: 0, valid: 0, failed: 0 });
    t.diagnostic(`JS engine ${via}: ${totals.cases} cases, ${totals.typed} typed errors, ${totals.valid} documented valid, ${totals.failed} failed`);
  }
  t.diagnostic(`error codes: ${[...summary.codes].sort().join(', ')}`);
  t.diagnostic(`ran in ${(run.ms / 1000).toFixed(1)} s (${run.workers} worker${run.workers === 1 ? '' : 's'}); slowest: ${summary.slowest.map(([ms, name]) => `${name} ${ms.toFixed(0)} ms`).join(', ')}`);
});
