// The malformed-input corpus of issue #6 through the WebAssembly package (pkg/web, built by
// scripts/build-wasm.sh) as a JavaScript user calls it: the wasm-bindgen `Evaluator` class
// (constructor, evaluateDesign, loadDesign, applyEdits, Evaluator.restore, Evaluator.importJson)
// and, where the case uses default options, Meshery's contract object (installMesheryEngine():
// init + evaluate, answering `{"error": …}` strings).
//
// The corpus is the Rust test's (tests/malformed/corpus.rs), exported by
// `cargo run --example malformed-corpus` (or read from the file MALFORMED_CORPUS names). Every
// case must give the code and path the Rust corpus expects (or its documented valid result),
// throw nothing but EvaluatorErrors, stay within MALFORMED_CASE_TIMEOUT_MS (default 30 s), not
// poison the instance, leave a failed edit batch's or load's evaluator unchanged, and leave an
// unrelated evaluator unchanged. Rust-only cases (their reason is in the corpus) are counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus, runCorpus, summarize } from '../malformed/harness.mjs';

const root = new URL('../../', import.meta.url);
const caseTimeoutMs = Number(process.env.MALFORMED_CASE_TIMEOUT_MS ?? 30_000);

const exported = performance.now();
const { corpus, text } = await loadCorpus(root);
const exportMs = performance.now() - exported;
const run = await runCorpus({ engine: 'wasm', root, corpus, text, caseTimeoutMs });
const summary = summarize(corpus, run);

test('the exported corpus is the whole Rust corpus, and every case ran', () => {
  assert.ok(corpus.cases.length >= 2690, `${corpus.cases.length} cases`);
  assert.ok(summary.rustOnly <= 7, 'Rust-only cases stay the few JSON cannot express');
  assert.equal(summary.ran, corpus.cases.length - summary.rustOnly);
});

for (const [via, categories] of summary.channels) {
  for (const [category, counts] of categories) {
    test(`wasm ${via}: ${category} (${counts.cases} cases)`, () => {
      assert.equal(counts.failures.length, 0, `${counts.failures.length} case(s) failed:\n${counts.failures.join('\n')}`);
    });
  }
}

test('summary', (t) => {
  t.diagnostic(`corpus exported in ${(exportMs / 1000).toFixed(1)} s: ${corpus.cases.length} cases, ${summary.rustOnly} Rust-only`);
  for (const [via, categories] of summary.channels) {
    const totals = [...categories.values()].reduce((a, c) => ({ cases: a.cases + c.cases, typed: a.typed + c.typed, valid: a.valid + c.valid, failed: a.failed + c.failures.length }), { cases: 0, typed: 0, valid: 0, failed: 0 });
    t.diagnostic(`wasm ${via}: ${totals.cases} cases, ${totals.typed} typed errors, ${totals.valid} documented valid, ${totals.failed} failed`);
  }
  t.diagnostic(`error codes: ${[...summary.codes].sort().join(', ')}`);
  t.diagnostic(`ran in ${(run.ms / 1000).toFixed(1)} s (${run.workers} worker${run.workers === 1 ? '' : 's'}); slowest: ${summary.slowest.map(([ms, name]) => `${name} ${ms.toFixed(0)} ms`).join(', ')}`);
});
