// The malformed-input corpus of issue #6 (tests/malformed/corpus.rs, exported once by
// `cargo run --example malformed-corpus` or read from the file MALFORMED_CORPUS names) through
// both engines a JavaScript user gets, each with its wasm-bindgen `Evaluator` class (constructor,
// evaluateDesign, loadDesign, applyEdits, Evaluator.restore, Evaluator.importJson):
//
//   wasm  the WebAssembly package (pkg/web, built by scripts/build-wasm.sh), and, where the case
//         uses default options, Meshery's contract object (installMesheryEngine(): init +
//         evaluate, answering `{"error": …}` strings);
//   js    the JavaScript engine as the package ships it (dist/js-engine.js: the Rust core
//         compiled to wasm, then to plain JavaScript by wasm2js; built by
//         scripts/build-wasm2js.sh and scripts/build-js.mjs). Meshery's contract object is not
//         part of it (the package installs the contract only from the WebAssembly build), so it
//         runs only for wasm; MALFORMED_JS_CONTRACT=1 also runs it here on the unbundled wasm2js
//         build (pkg/wasm2js), which costs an `init` of the definitions per case.
//
// The native run is tests/malformed_inputs.rs, the Go module's go/malformed_test.go. Every case
// must give the code and path the Rust corpus expects (or its documented valid result), throw
// nothing but EvaluatorErrors, stay within MALFORMED_CASE_TIMEOUT_MS (default 30 s for wasm,
// 120 s for the JavaScript engine, 5–16x slower), not poison the instance, leave a failed edit
// batch's or load's evaluator unchanged, and leave an unrelated evaluator unchanged. Rust-only
// cases (their reason is in the corpus) are counted.
//
// Big inputs run at full size in both engines (1 MB strings, 500,000-level nesting, the
// 200,001-component design over the default maxComponents: under 1 s in the JavaScript engine
// since scripts/build-wasm2js.sh makes memory grow geometrically; it took ~23 s when every grow
// copied all of memory). MALFORMED_JS_REDUCED=1 runs the cases that have a `reduced` form in the
// corpus at that size in the JavaScript engine instead. MALFORMED_ENGINES=wasm (or js) runs one
// engine only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus, runCorpus, summarize } from '../../malformed/harness.mjs';

const root = new URL('../../../', import.meta.url);
const engines = [
  { engine: 'wasm', label: 'wasm', timeoutMs: 30_000, contract: true, reduce: false },
  {
    engine: 'js',
    label: 'JS engine',
    timeoutMs: 120_000,
    contract: process.env.MALFORMED_JS_CONTRACT === '1',
    reduce: process.env.MALFORMED_JS_REDUCED === '1',
  },
].filter(({ engine }) => (process.env.MALFORMED_ENGINES ?? 'wasm,js').split(',').includes(engine));

const exported = performance.now();
const { corpus, text } = await loadCorpus(root);
const exportMs = performance.now() - exported;
const { CORE_ERROR_CODES } = await import(new URL('dist/index.node.js', root).href);

for (const { engine, label, timeoutMs, contract, reduce } of engines) {
  const caseTimeoutMs = Number(process.env.MALFORMED_CASE_TIMEOUT_MS ?? timeoutMs);
  const run = await runCorpus({ engine, root, corpus, text, caseTimeoutMs, contract, reduce });
  const summary = summarize(corpus, run);

  test(`${label}: the exported corpus is the whole Rust corpus, and every case ran`, () => {
    assert.ok(corpus.cases.length >= 2690, `${corpus.cases.length} cases`);
    assert.ok(summary.rustOnly <= 7, 'Rust-only cases stay the few JSON cannot express');
    assert.equal(summary.ran, corpus.cases.length - summary.rustOnly);
  });

  test(`${label}: every error code is one the package knows, so its EvaluatorError keeps code and path`, () => {
    // The package wraps what an engine throws with toEvaluatorError (js/errors.ts), which keeps a
    // code only when it is one of CORE_ERROR_CODES and turns any other into INTERNAL.
    const unknown = [...summary.codes].filter((code) => !CORE_ERROR_CODES.includes(code));
    assert.deepEqual(unknown, []);
    assert.ok(summary.codes.size >= 8, `codes seen: ${[...summary.codes].join(', ')}`);
  });

  for (const [via, categories] of summary.channels) {
    for (const [category, counts] of categories) {
      test(`${label} ${via}: ${category} (${counts.cases} cases)`, () => {
        assert.equal(counts.failures.length, 0, `${counts.failures.length} case(s) failed:\n${counts.failures.join('\n')}`);
      });
    }
  }

  test(`${label}: summary`, (t) => {
    t.diagnostic(`corpus exported in ${(exportMs / 1000).toFixed(1)} s: ${corpus.cases.length} cases, ${summary.rustOnly} Rust-only`);
    if (summary.reduced.length > 0) t.diagnostic(`at reduced size: ${summary.reduced.join(', ')}`);
    for (const [via, categories] of summary.channels) {
      const totals = [...categories.values()].reduce(
        (a, c) => ({ cases: a.cases + c.cases, typed: a.typed + c.typed, valid: a.valid + c.valid, failed: a.failed + c.failures.length }),
        { cases: 0, typed: 0, valid: 0, failed: 0 },
      );
      t.diagnostic(`${label} ${via}: ${totals.cases} cases, ${totals.typed} typed errors, ${totals.valid} documented valid, ${totals.failed} failed`);
    }
    t.diagnostic(`error codes: ${[...summary.codes].sort().join(', ')}`);
    t.diagnostic(
      `ran in ${(run.ms / 1000).toFixed(1)} s (${run.workers} worker${run.workers === 1 ? '' : 's'}); slowest: ${summary.slowest.map(([ms, name]) => `${name} ${ms.toFixed(0)} ms`).join(', ')}`,
    );
  });
}
