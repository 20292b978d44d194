// A dev server that moved the package away from its files, as Vite 5 does without
// optimizeDeps.exclude: the worker script 404s and the wasm request answers the app's HTML page.
// In real Chromium the error names the URL, the status and type received and the fix, and says
// why the worker was skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, withBrowser } from './harness.mjs';

const INDEX_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>app</title></head><body><div id="root"></div>
<script type="module">
  import { createEvaluator } from '/deps/index.js';
  window.tryLoad = async () => {
    const definitions = await (await fetch('/corpus/definitions.json')).json();
    const evaluator = createEvaluator(definitions);
    const outcome = await evaluator.loadDesign({ id: 'd', components: [] }).then(() => null, (error) => ({ code: error.code, message: error.message, details: error.details }));
    const engine = await evaluator.engine().then(() => null, (error) => error.code);
    await evaluator.dispose();
    return { outcome, engine };
  };
  window.harnessReady = true;
</script></body></html>`;

/** Like a dev server with an SPA fallback: the package's JavaScript under /deps/, no worker, HTML for everything unknown. */
function preBundlingServer(path) {
  if (path === '/corpus/definitions.json') return undefined;
  if (path.startsWith('/deps/') && path.endsWith('.js') && path !== '/deps/worker.js') {
    return { status: 200, headers: { 'content-type': 'text/javascript' }, body: readFileSync(join(root, 'dist', path.slice('/deps/'.length))) };
  }
  if (path === '/deps/worker.js') return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' };
  return { status: 200, headers: { 'content-type': 'text/html' }, body: INDEX_HTML };
}

test('a wasm request answered with HTML fails with the URL, status, type, the pre-bundling hint and why the worker was skipped', async () => {
  await withBrowser({ respond: preBundlingServer }, async ({ open, origin }) => {
    const page = await open('/');
    const { outcome, engine } = await page.evaluate(() => window.tryLoad());
    const wasmUrl = `${origin}/deps/relationship_evaluator_bg.wasm`;
    assert.equal(outcome.code, 'WASM_LOAD_FAILED');
    assert.equal(outcome.details.url, wasmUrl);
    assert.equal(outcome.details.status, 200);
    assert.equal(outcome.details.contentType, 'text/html');
    assert.match(outcome.details.hint, /optimizeDeps: \{ exclude: \['@meshery\/relationship-evaluator'\] \}/);
    assert.match(outcome.message, new RegExp(`^could not load the WebAssembly engine from ${wasmUrl.replace(/[.]/g, '\\.')} \\(HTTP 200, Content-Type text/html\\): the response is an HTML page, not WebAssembly\\. Hint: `));
    assert.equal(outcome.details.skipped.length, 1);
    assert.equal(outcome.details.skipped[0].kind, 'worker');
    assert.match(outcome.details.skipped[0].reason, /^WORKER_CRASHED: the evaluation worker failed to start: .*Hint: a worker that fails without a message usually could not load its script/);
    assert.match(outcome.message, /\(skipped before it: worker: WORKER_CRASHED/);
    assert.equal(engine, 'WASM_LOAD_FAILED', 'engine() reports the same failure');
  });
});
