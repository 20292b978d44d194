// The package as users install it: `npm pack`, the tarball installed (offline) into throwaway
// Node, Vite and webpack projects under a temp dir, each built with its real bundler and run —
// Node directly, the bundles in headless Chromium (worker path, and the JavaScript engine under a
// CSP without 'wasm-unsafe-eval', where the app opted in to it) — plus a TypeScript consumer compiled against the shipped types.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { build as viteBuild } from 'vite';
import webpack from 'webpack';
import { largeScripts, root, screenshot, withBrowser } from './harness.mjs';

const CSP = "default-src 'self'; script-src 'self'; worker-src 'self'";
const fixtures = join(root, '../shared/fixtures/meshery');
let workspace;
let tarball;

const definitions = readdirSync(join(fixtures, 'relationships/kubernetes')).filter((n) => n.endsWith('.json')).sort()
  .map((n) => JSON.parse(readFileSync(join(fixtures, 'relationships/kubernetes', n), 'utf8')));

/** The app every project runs: load a design, report delta and engine. */
const APP = `
import { createEvaluator } from '@meshery/relationship-evaluator';
import definitions from './definitions.json';

const component = (id, kind, configuration, displayName = id) => ({ id, component: { kind }, displayName, modelReference: { name: 'kubernetes' }, configuration });

export async function run() {
  const evaluator = createEvaluator(definitions);
  const delta = await evaluator.loadDesign({ id: 'd', version: '0.0.1', components: [component('ns', 'Namespace', {}, 'shop'), component('web', 'Deployment', { metadata: { namespace: 'shop' } })] });
  const batch = await evaluator.applyEdits([{ op: 'removeComponent', id: 'web' }]);
  const engine = await evaluator.engine();
  await evaluator.dispose();
  return { revision: batch.revision, added: delta.relationshipsAdded.map((r) => r.subType), removedAfterEdit: batch.relationshipsRemoved.length + batch.relationshipsUpdated.length, engine: engine.kind, reason: engine.reason };
}
`;

const BROWSER_MAIN = `
import { run } from './app.js';
run().then((result) => { window.result = result; document.body.textContent = JSON.stringify(result, null, 1); },
  (error) => { window.result = { error: String(error), code: error.code }; document.body.textContent = String(error); });
`;

function project(name, files) {
  const dir = join(workspace, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, version: '1.0.0', private: true, type: 'module' }));
  writeFileSync(join(dir, 'definitions.json'), JSON.stringify(definitions));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  execFileSync('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'pipe' });
  return dir;
}

before(() => {
  workspace = mkdtempSync(join(tmpdir(), 'relationship-evaluator-packaging-'));
  const name = execFileSync('npm', ['pack', '--pack-destination', workspace, '--silent'], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
  tarball = join(workspace, name);
});

after(() => {
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

test('the tarball holds dist/ and the manifest, and nothing of the sources', () => {
  const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const file of ['package/package.json', 'package/dist/index.js', 'package/dist/index.node.js', 'package/dist/worker.js', 'package/dist/react.js', 'package/dist/inline.js', 'package/dist/js-engine.js', 'package/dist/cli.js', 'package/dist/relationship_evaluator_bg.wasm', 'package/dist/types/js/entries/browser.d.ts']) {
    assert.ok(listing.includes(file), `${file} is missing from the tarball`);
  }
  assert.deepEqual(listing.filter((f) => /^package\/(js|worker|src|tests|pkg)\//.test(f)), []);
});

test('a Node ESM project: import by name, evaluate, and run the bin', () => {
  const dir = project('node', { 'app.js': APP.replace("import definitions from './definitions.json';", "import { readFileSync } from 'node:fs';\nconst definitions = JSON.parse(readFileSync(new URL('./definitions.json', import.meta.url), 'utf8'));"), 'main.js': "import { run } from './app.js';\nconsole.log(JSON.stringify(await run()));\n" });
  const result = JSON.parse(execFileSync(process.execPath, ['main.js'], { cwd: dir, encoding: 'utf8' }));
  assert.deepEqual(result.added, ['inventory']);
  assert.equal(result.revision, 2);
  assert.equal(result.engine, 'main-thread');
  const design = JSON.stringify({ id: 'd', components: [{ id: 'ns', component: { kind: 'Namespace' }, displayName: 'x', modelReference: { name: 'kubernetes' }, configuration: {} }] });
  writeFileSync(join(dir, 'design.json'), design);
  const printed = JSON.parse(execFileSync(join(dir, 'node_modules/.bin/relationship-evaluator'), ['evaluate', 'design.json', '-r', 'definitions.json'], { cwd: dir, encoding: 'utf8' }));
  assert.equal(printed.schemaVersion, 'evaluation.meshery.io/v1beta1');
});

test('a TypeScript consumer compiles against the shipped types (main entry, React hooks, inline entry)', () => {
  const dir = join(workspace, 'node');
  writeFileSync(join(dir, 'check.ts'), `
import { createEvaluator, EvaluatorError, type Delta, type Edit, type EngineInfo, type EvaluationResponse } from '@meshery/relationship-evaluator';
import { useEvaluationResult, type RelationshipEvaluationState } from '@meshery/relationship-evaluator/react';
import { init } from '@meshery/relationship-evaluator/inline';
const evaluator = createEvaluator([], { engine: 'auto', evaluation: { returnDiffOnly: true }, snapshotEvery: 8 });
const edits: Edit[] = [{ op: 'moveComponent', id: 'a', x: 1, y: 2 }, { op: 'setNamespace', id: 'a', namespace: null }];
export async function use(): Promise<[Delta, EvaluationResponse, EngineInfo]> {
  await init(new Uint8Array(0));
  return [await evaluator.applyEdits(edits), await evaluator.evaluate({ signal: AbortSignal.timeout(10) }), await evaluator.engine()];
}
export const state: (design: null) => RelationshipEvaluationState = (design) => useEvaluationResult(design, []);
export const isCode = (error: unknown): boolean => error instanceof EvaluatorError && error.code === 'SUPERSEDED';
// @ts-expect-error: not an edit op
export const wrong: Edit = { op: 'teleportComponent', id: 'a' };
`);
  const program = ts.createProgram([join(dir, 'check.ts')], {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'], types: [], skipLibCheck: false,
    paths: { react: [join(root, 'node_modules/@types/react/index.d.ts')] },
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  assert.deepEqual(diagnostics, []);
});

/** Serves `dir` and reports what the app put in `window.result`, with and without a CSP. */
async function runBuiltApp(name, dir) {
  const results = {};
  for (const [label, headers] of [['plain', {}], ['csp', { 'content-security-policy': CSP }]]) {
    await withBrowser({ headers, directory: dir }, async ({ browser, origin }) => {
      const page = await browser.newPage();
      await page.goto(`${origin}/app/index.html`);
      await page.waitForFunction(() => window.result !== undefined, null, { timeout: 60000 });
      results[label] = await page.evaluate(() => window.result);
      await screenshot(page, `packaging-${name}-${label}`);
    });
  }
  return results;
}

/** The app, opting in to the JavaScript engine with `jsEngine` (for runtimes that forbid WebAssembly). */
const withJsEngine = (app, importLine, value) =>
  app.replace("import definitions from './definitions.json';", `import definitions from './definitions.json';\n${importLine}`)
    .replace('createEvaluator(definitions)', `createEvaluator(definitions, { jsEngine: ${value} })`);

const HTML = '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body>loading<script type="module" src="./main.js"></script></body></html>';
const viteOptions = (dir) => ({ root: dir, configFile: false, logLevel: 'error', base: './', worker: { format: 'es' }, build: { outDir: join(dir, 'dist'), emptyOutDir: true } });

test('a Vite project: vite build bundles the worker and the wasm, no script over 500 KB, and runs in Chromium (worker; under CSP, an opt-in hint)', async () => {
  const dir = project('vite', { 'app.js': APP, 'main.js': BROWSER_MAIN, 'index.html': HTML });
  await viteBuild(viteOptions(dir));
  const emitted = readdirSync(join(dir, 'dist/assets'));
  assert.ok(emitted.some((f) => f.endsWith('.wasm')), `no .wasm among ${emitted.join(', ')}`);
  assert.deepEqual(largeScripts(join(dir, 'dist')), [], 'the JavaScript engine is not emitted unless the app asks for it');
  const results = await runBuiltApp('vite', join(dir, 'dist'));
  assert.deepEqual(results.plain, { revision: 2, added: ['inventory'], removedAfterEdit: 1, engine: 'worker', reason: 'Worker and WebAssembly are available' });
  // Without WebAssembly and without the opt-in, the error says how to opt in.
  assert.equal(results.csp.code, 'ENGINE_UNAVAILABLE');
  assert.match(results.csp.error, /could not load the JavaScript engine from .*js-engine\.js.*jsEngine/);
});

test('a Vite project opting in to the JavaScript engine (?url): under CSP it runs in a worker with the same answers', async () => {
  const app = withJsEngine(APP, "import jsEngineUrl from '@meshery/relationship-evaluator/js-engine?url';", 'jsEngineUrl');
  const dir = project('vite-js-engine', { 'app.js': app, 'main.js': BROWSER_MAIN, 'index.html': HTML });
  await viteBuild(viteOptions(dir));
  const emitted = readdirSync(join(dir, 'dist/assets'));
  assert.ok(emitted.some((f) => /^js-engine-.*\.js$/.test(f)), `the JavaScript engine is emitted as a file: ${emitted.join(', ')}`);
  assert.deepEqual(largeScripts(join(dir, 'dist')).filter((f) => !f.startsWith('js-engine-')), []);
  const results = await runBuiltApp('vite-js-engine', join(dir, 'dist'));
  assert.deepEqual(results.plain, { revision: 2, added: ['inventory'], removedAfterEdit: 1, engine: 'worker', reason: 'Worker and WebAssembly are available' });
  assert.equal(results.csp.engine, 'js-worker');
  assert.deepEqual({ ...results.csp, engine: 'worker', reason: results.plain.reason }, results.plain);
});

test('a webpack project opting in to the JavaScript engine (new URL): bundles the worker and the wasm, and runs in Chromium (worker; under CSP the JavaScript engine in a worker)', async () => {
  const app = withJsEngine(APP, '', "new URL('@meshery/relationship-evaluator/js-engine', import.meta.url)");
  const dir = project('webpack', { 'app.js': app, 'main.js': BROWSER_MAIN });
  const stats = await new Promise((resolve, reject) => webpack({
    mode: 'production', context: dir, entry: './main.js', target: 'web', devtool: false,
    output: { path: join(dir, 'dist'), filename: 'main.js', clean: true },
    optimization: { minimize: false }, performance: { hints: false },
  }, (error, result) => (error ? reject(error) : resolve(result))));
  assert.deepEqual(stats.compilation.errors.map(String), []);
  assert.deepEqual(stats.compilation.warnings.map(String), []);
  // The JavaScript engine is an asset (copied, not parsed into a chunk); no chunk is over 500 KB.
  const chunkFiles = [...stats.compilation.chunks].flatMap((chunk) => [...chunk.files]);
  const large = chunkFiles.filter((file) => statSync(join(dir, 'dist', file)).size > 500 * 1024);
  assert.deepEqual(large, []);
  writeFileSync(join(dir, 'dist/index.html'), HTML.replace(' type="module"', ''));
  const emitted = readdirSync(join(dir, 'dist'));
  assert.ok(emitted.some((f) => f.endsWith('.wasm')), `no .wasm among ${emitted.join(', ')}`);
  const results = await runBuiltApp('webpack', join(dir, 'dist'));
  assert.deepEqual(results.plain, { revision: 2, added: ['inventory'], removedAfterEdit: 1, engine: 'worker', reason: 'Worker and WebAssembly are available' });
  assert.equal(results.csp.engine, 'js-worker');
  assert.deepEqual({ ...results.csp, engine: 'worker', reason: results.plain.reason }, results.plain);
});
