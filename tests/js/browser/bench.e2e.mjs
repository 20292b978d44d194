// The browser benchmark's small variant, run in CI for correctness only (its timings are figures,
// never assertions; the full 1k/10k run is scripts/bench-browser.mjs): a cold start, and 10 mixed
// edits through the worker on a ~300-component design, settled on load and left unsettled. Every
// edit must be acknowledged and equal a full evaluation of the design before it plus the edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser } from './harness.mjs';

test('browser benchmark (small): cold start answers, mixed edits through the worker equal full evaluations', async (t) => {
  await withBrowser({}, async ({ open, consoleErrors }) => {
    const page = await open('/pages/bench.html');
    const cold = await page.evaluate(() => window.bench.coldStart());
    assert.equal(cold.engine, 'worker');
    assert.ok(cold.relationships > 0, 'the first result has relationships');

    // At 300 components Meshery's cap (100 approvals per policy per pass, 5 passes) does not bind;
    // a cap of 10 leaves this design unsettled after one evaluation, as 100 does at 10,000.
    for (const settleOnLoad of [true, false]) {
      const options = { size: 300, edits: 10, settleOnLoad, maxApprovalsPerPolicy: 10, check: true };
      const run = await page.evaluate((o) => window.bench.editRun(o), options);
      const label = `settleOnLoad ${settleOnLoad}`;
      t.diagnostic(`${label}: ${run.components} components, pending after load ${run.pendingAfterLoad}, edits ${run.samples.map((s) => `${s.op} ${s.roundTripMs.toFixed(1)} ms`).join(', ')}`);
      assert.equal(run.samples.length, 10, label);
      assert.deepEqual(new Set(run.samples.map((s) => s.op)).size, 6, `${label}: all six edit kinds ran`);
      assert.ok(run.samples.every((s) => s.acknowledged), `${label}: every edit acknowledged with the next revision`);
      assert.deepEqual(run.mismatches, [], `${label}: edits that differ from a full evaluation`);
      if (settleOnLoad) {
        assert.equal(run.pendingAfterLoad, 0, 'settled on load: a full evaluation finds nothing to do');
        assert.equal(run.final.freshActions, 0, 'still settled after the edits');
        assert.equal(run.final.sameAsFresh, true, 'the final design is what a fresh full evaluation gives');
      } else {
        assert.ok(run.pendingAfterLoad > 0, 'the unsettled scenario really has pending work after load');
      }
    }
    assert.deepEqual(consoleErrors, []);
  });
});
