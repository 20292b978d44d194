// The packed tarball in a Vite app, on every Vite major a user may have: 5, 6 and 8 (pinned in
// toolchain/, installed by scripts/setup-bundlers.sh) and 7 (the root devDependencies). For each:
// `vite build` bundles the worker and the wasm (no script over 500 KB) and the app evaluates in
// Chromium in the worker; the dev server with the README's `optimizeDeps.exclude` evaluates in
// the worker too; and the dev server without it works on Vite 8 and, on 5 to 7 (whose
// pre-bundling moves the package away from its wasm and worker), fails with the error that names
// the fix (the README's promise), never silently on another engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { largeScripts, launchChromium, root, saveArtifact, screenshot, withBrowser } from '../browser/harness.mjs';

const toolchain = join(root, 'tests/js/bundlers/toolchain/node_modules');
const fixtures = join(root, '../shared/fixtures/meshery');
const PACKAGE = '@meshery/relationship-evaluator';

/**
 * Each Vite major, where its API is (7 from the root devDependencies), and whether its dev server
 * serves the package's wasm and worker without `optimizeDeps.exclude` (as observed: Vite 8 does).
 */
const VITES = [
  ['5', join(toolchain, 'vite5'), false],
  ['6', join(toolchain, 'vite6'), false],
  ['7', join(root, 'node_modules/vite'), false],
  ['8', join(toolchain, 'vite8'), true],
];

const APP = `
import { createEvaluator } from '${PACKAGE}';
import definitions from './definitions.json';

const component = (id, kind, configuration, displayName = id) => ({ id, component: { kind }, displayName, modelReference: { name: 'kubernetes' }, configuration });

async function run() {
  const evaluator = createEvaluator(definitions);
  try {
    const delta = await evaluator.loadDesign({ id: 'd', version: '0.0.1', components: [component('ns', 'Namespace', {}, 'shop'), component('web', 'Deployment', { metadata: { namespace: 'shop' } })] });
    const engine = await evaluator.engine();
    return { added: delta.relationshipsAdded.map((r) => r.subType), engine: engine.kind };
  } finally {
    await evaluator.dispose();
  }
}
run().then((result) => { window.result = result; document.body.textContent = JSON.stringify(result); },
  (error) => { window.result = { code: error.code, message: error.message, hint: error.details?.hint }; document.body.textContent = String(error); });
`;
const HTML = '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body>loading<script type="module" src="./main.js"></script></body></html>';

let workspace;
let app;
const outcomes = {};
const record = (major, what, result) => {
  outcomes[major] = { ...outcomes[major], [what]: result };
};

before(() => {
  workspace = mkdtempSync(join(tmpdir(), 'relationship-evaluator-vite-'));
  const tarball = execFileSync('npm', ['pack', '--pack-destination', workspace, '--silent'], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
  app = join(workspace, 'app');
  mkdirSync(app);
  const definitions = readdirSync(join(fixtures, 'relationships/kubernetes')).filter((n) => n.endsWith('.json')).sort()
    .map((n) => JSON.parse(readFileSync(join(fixtures, 'relationships/kubernetes', n), 'utf8')));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer-vite', version: '1.0.0', private: true, type: 'module' }));
  writeFileSync(join(app, 'definitions.json'), JSON.stringify(definitions));
  writeFileSync(join(app, 'main.js'), APP);
  writeFileSync(join(app, 'index.html'), HTML);
  execFileSync('npm', ['install', join(workspace, tarball), '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, stdio: 'pipe' });
});

after(() => {
  saveArtifact('vite-matrix.json', outcomes);
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

const importVite = async (dir) => import(pathToFileURL(join(dir, 'dist/node/index.js')).href);

/** Loads `url` in `browser` and returns what the app put in `window.result`. */
async function resultOf(browser, url, name) {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.result !== undefined, null, { timeout: 90000 });
  await screenshot(page, name);
  return page.evaluate(() => window.result);
}

/** Loads `url` (a dev server's) in a fresh Chromium. */
async function runInChromium(url, name) {
  const browser = await launchChromium();
  try {
    return await resultOf(browser, url, name);
  } finally {
    await browser.close();
  }
}

/** Runs a Vite dev server on the app (its own cache folder per run, so no run sees another's pre-bundling). */
async function withDevServer(vite, label, optimizeDeps, body) {
  const server = await vite.createServer({
    root: app, configFile: false, logLevel: 'error', cacheDir: join(workspace, `.vite-${label}`),
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false }, worker: { format: 'es' }, optimizeDeps,
  });
  await server.listen();
  try {
    const address = server.httpServer.address();
    return await body(`http://127.0.0.1:${address.port}`);
  } finally {
    await server.close();
  }
}

const EXPECTED = { added: ['inventory'], engine: 'worker' };

for (const [major, dir, devWorksWithoutExclude] of VITES) {
  test(`Vite ${major}: vite build bundles the worker and the wasm, no script over 500 KB, and evaluates in the worker`, async () => {
    const vite = await importVite(dir);
    assert.equal(vite.version.split('.')[0], major);
    const outDir = join(workspace, `dist-${major}`);
    await vite.build({ root: app, configFile: false, logLevel: 'error', base: './', worker: { format: 'es' }, build: { outDir, emptyOutDir: true } });
    const emitted = readdirSync(outDir, { recursive: true });
    assert.ok(emitted.some((f) => f.endsWith('.wasm')), `no wasm emitted: ${emitted.join(', ')}`);
    assert.deepEqual(largeScripts(outDir), []);
    // The harness serves the built app under /app/ with the MIME types a production server sends.
    const result = await withBrowser({ directory: outDir }, ({ browser, origin }) => resultOf(browser, `${origin}/app/index.html`, `vite-${major}-build`));
    record(major, 'build', result);
    assert.deepEqual(result, EXPECTED);
  });

  test(`Vite ${major}: the dev server with the README's optimizeDeps.exclude evaluates in the worker`, async () => {
    const vite = await importVite(dir);
    const result = await withDevServer(vite, `${major}-exclude`, { exclude: [PACKAGE] }, (origin) => runInChromium(`${origin}/index.html`, `vite-${major}-dev-exclude`));
    record(major, 'devWithExclude', result);
    assert.deepEqual(result, EXPECTED);
  });

  const without = devWorksWithoutExclude ? 'evaluates in the worker' : 'fails with WASM_LOAD_FAILED naming the URL and the fix';
  test(`Vite ${major}: the dev server without optimizeDeps.exclude ${without}`, async () => {
    const vite = await importVite(dir);
    const result = await withDevServer(vite, `${major}-plain`, undefined, (origin) => runInChromium(`${origin}/index.html`, `vite-${major}-dev-plain`));
    record(major, 'devWithoutExclude', result);
    if (devWorksWithoutExclude) {
      assert.deepEqual(result, EXPECTED);
    } else {
      assert.equal(result.code, 'WASM_LOAD_FAILED', JSON.stringify(result));
      assert.match(result.message, /^could not load the WebAssembly engine from http:\/\/127\.0\.0\.1:\d+\/\S+\.wasm \(HTTP 200, Content-Type text\/html\)/);
      assert.match(result.hint, /optimizeDeps: \{ exclude: \['@meshery\/relationship-evaluator'\] \}/);
      assert.match(result.message, /skipped before it: worker: WORKER_CRASHED/);
    }
  });
}
