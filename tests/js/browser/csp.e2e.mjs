// Under a Content-Security-Policy without 'wasm-unsafe-eval' Chromium refuses to compile
// WebAssembly; the same import must then fall back to the JavaScript engine on its own, in a
// worker (the page keeps its frames), and give the answers the WebAssembly engine gives (computed
// here in Node from the same dist/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { createEvaluator } from '../../../dist/index.node.js';
import { root, screenshot, withBrowser } from './harness.mjs';
import { transcript } from './pages/calls.js';

const CSP = "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self'";

const fixtures = join(root, '../shared/fixtures/meshery');
const definitions = readdirSync(join(fixtures, 'relationships/kubernetes')).filter((n) => n.endsWith('.json')).sort()
  .map((n) => JSON.parse(readFileSync(join(fixtures, 'relationships/kubernetes', n), 'utf8')));
const design = parseYaml(readFileSync(join(fixtures, 'designs/edge-firewall-relationship.design.yaml'), 'utf8'));

test('under a CSP without wasm-unsafe-eval the JavaScript engine takes over in a worker and answers byte for byte as WebAssembly', async () => {
  const reference = createEvaluator(definitions, { engine: 'main-thread' });
  const expected = await transcript(reference, design);
  await reference.dispose();

  await withBrowser({ headers: { 'content-security-policy': CSP } }, async ({ open }) => {
    const page = await open();
    const result = await page.evaluate(async () => {
      let compile;
      try {
        new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
        compile = 'allowed';
      } catch (error) {
        compile = `${error.name}: ${error.message}`;
      }
      const evaluator = window.pkg.createEvaluator(window.definitions);
      const started = performance.now();
      const answers = await window.transcript(evaluator, window.designs['edge-firewall-relationship']);
      const elapsed = performance.now() - started;
      const engine = await evaluator.engine();
      await evaluator.dispose();
      window.show(`CSP without 'wasm-unsafe-eval': ${engine.kind} engine`, { engine: `${engine.kind} (${engine.code})`, reason: engine.reason, 'WebAssembly.Module': compile, 'ms (load + batch + evaluate + export)': elapsed.toFixed(1) });
      return { compile, engine, transcript: answers };
    });
    assert.match(result.compile, /CompileError/);
    assert.equal(result.engine.kind, 'js-worker');
    assert.equal(result.engine.code, 'js');
    assert.match(result.engine.reason, /^worker: compiling WebAssembly is not allowed here .*; main-thread: compiling WebAssembly is not allowed here/);
    assert.equal(result.transcript, expected);
    const shot = await screenshot(page, 'csp-js-engine');
    assert.ok(shot.differing > 1000);
  });
});
