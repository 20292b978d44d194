// The packed tarball in Deno, Bun, Cloudflare's workerd and Chromium, against Node as the reference: one
// throwaway project with the tarball installed (offline), the same scenario module run in each
// runtime (./consumer/scenario.mjs: Kubernetes definitions, a fixture design, an edit batch, an
// evaluation), and every response compared byte for byte with Node's. In workerd the scenario and
// the example Worker (js/examples/cloudflare-worker) are bundled the way wrangler bundles them
// (the `workerd` condition; `.wasm` imports kept as compiled-wasm modules) and served on
// 127.0.0.1. The runtimes come from scripts/setup-runtimes.sh. Cold starts and evaluation times
// are printed and written to target/js-artifacts/runtimes.json; nothing here
// asserts a speed.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { build as viteBuild } from 'vite';
import { corpus, root, saveArtifact, screenshot, withBrowser } from '../browser/harness.mjs';

const DESIGN = 'edge-firewall-relationship';
/** The edit batch: a component added, one moved, one renamed, one removed. */
const EDITS = [
  { op: 'addComponent', component: { id: 'web', component: { kind: 'Deployment' }, displayName: 'web', modelReference: { name: 'kubernetes' }, configuration: { metadata: { namespace: 'default' } } } },
  { op: 'moveComponent', id: 'c024b55d-ca23-45c9-a9aa-b5c754c300fa', x: 120, y: 80 },
  { op: 'renameComponent', id: '09cf7c20-b5e3-4218-9cfe-025b5253f2f8', displayName: 'storefront' },
  { op: 'removeComponent', id: 'd8a3806e-488b-4527-b451-47272230bb35' },
];
const toolchain = join(root, 'tests/js/runtimes/toolchain/node_modules/.bin');
const figures = {};
let workspace;
let project;
let design;
let reference;

function runtimeBinary(name) {
  const path = join(toolchain, name);
  if (!existsSync(path)) throw new Error(`${name} is not installed: run scripts/setup-runtimes.sh`);
  return path;
}

/** Runs `command` to completion; its output and how long it took from spawn to exit. */
function timedRun(command, args, options = {}) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: project, ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      const ms = performance.now() - started;
      if (status !== 0) reject(new Error(`${basename(command)} ${args.join(' ')} exited with ${status}:\n${stderr}`));
      else resolve({ stdout, stderr, ms });
    });
  });
}

const round = (ms) => Number(ms.toFixed(2));

/**
 * Runs the scenario in a runtime: three cold starts (each must print the same bytes; the fastest
 * is the figure), then once with `--time` for the evaluation time. `env(i)` is the environment
 * of run `i`.
 */
async function scenarioIn(name, command, args, env = () => ({})) {
  const spawnOptions = (i) => ({ env: { ...process.env, NO_COLOR: '1', ...env(i) } });
  const cold = [];
  for (let i = 0; i < 3; i++) cold.push(await timedRun(command, [...args, 'main.mjs'], spawnOptions(i)));
  const result = JSON.parse(cold[0].stdout);
  for (const run of cold.slice(1)) assert.equal(run.stdout, cold[0].stdout, `${name} printed different bytes on a second run`);
  const { evaluationMs } = JSON.parse((await timedRun(command, [...args, 'main.mjs', '--time'], spawnOptions(3))).stdout);
  figures[name] = { coldStartMs: Math.round(Math.min(...cold.map((run) => run.ms))), evaluationMs: round(evaluationMs.median), fastestEvaluationMs: round(evaluationMs.fastest) };
  return result;
}

function assertSameAsNode(result, kind = 'main-thread') {
  assert.deepEqual(result.engine, { kind, code: 'wasm' }, 'the WebAssembly engine, not the JavaScript fallback');
  assert.equal(result.responses, reference.responses);
}

before(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'relationship-evaluator-runtimes-'));
  const name = execFileSync('npm', ['pack', '--pack-destination', workspace, '--silent'], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
  project = join(workspace, 'consumer');
  cpSync(join(root, 'tests/js/runtimes/consumer'), project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer-runtimes', version: '1.0.0', private: true, type: 'module' }));
  const files = corpus();
  design = files[`/corpus/${DESIGN}.json`];
  writeFileSync(join(project, 'definitions.json'), JSON.stringify(files['/corpus/definitions.json']));
  writeFileSync(join(project, 'design.json'), JSON.stringify(design));
  writeFileSync(join(project, 'edits.json'), JSON.stringify(EDITS));
  execFileSync('npm', ['install', join(workspace, name), '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, stdio: 'pipe' });
  reference = await scenarioIn('node', process.execPath, ['--no-warnings']);
});

after(() => {
  if (Object.keys(figures).length) {
    saveArtifact('runtimes.json', figures);
    const node = figures.node;
    const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
    for (const [name, { coldStartMs, evaluationMs, fastestEvaluationMs, exampleRequestMs, nodeHandlerMs }] of Object.entries(figures)) {
      const evaluation = evaluationMs !== undefined
        ? `one evaluation ${evaluationMs} ms median (${ratio(evaluationMs, node.evaluationMs)} node), ${fastestEvaluationMs} ms fastest (${ratio(fastestEvaluationMs, node.fastestEvaluationMs)} node)`
        : `one example request ${exampleRequestMs} ms (${ratio(exampleRequestMs, nodeHandlerMs)} its handler called in node, ${nodeHandlerMs} ms)`;
      console.log(`${name}: cold start ${coldStartMs} ms (${ratio(coldStartMs, node.coldStartMs)} node), ${evaluation}`);
    }
  }
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

test('Node, the reference: the scenario runs on WebAssembly and the edit batch took effect', () => {
  assert.deepEqual(reference.engine, { kind: 'main-thread', code: 'wasm' });
  const { edited, design: after } = JSON.parse(reference.responses);
  assert.equal(edited.revision, 2);
  const ids = after.components.map((c) => c.id);
  assert.ok(ids.includes('web') && !ids.includes('d8a3806e-488b-4527-b451-47272230bb35'));
});

test('Deno takes the deno entry and answers the same bytes as Node', async () => {
  const deno = runtimeBinary('deno');
  // A fresh Deno cache for each run, so that each is a cold start.
  const env = (i) => ({ DENO_DIR: join(workspace, `deno-dir-${i}`) });
  assertSameAsNode(await scenarioIn('deno', deno, ['run', '--allow-read=.', '--no-prompt'], env));
  const resolved = execFileSync(deno, ['eval', "console.log(import.meta.resolve('@meshery/relationship-evaluator'))"], { cwd: project, encoding: 'utf8', env: { ...process.env, ...env(0) } });
  assert.match(resolved, /\/dist\/index\.deno\.js$/m);
});

test('Bun takes the node entry and answers the same bytes as Node', async () => {
  const bun = runtimeBinary('bun');
  assertSameAsNode(await scenarioIn('bun', bun, []));
  const resolved = execFileSync(bun, ['-e', "console.log(import.meta.resolve('@meshery/relationship-evaluator'))"], { cwd: project, encoding: 'utf8' });
  assert.match(resolved, /\/dist\/index\.node\.js$/m);
});

test('Chromium (a Vite build of the same scenario) answers the same bytes as Node, from its worker', async () => {
  const outDir = join(workspace, 'chromium');
  await viteBuild({ root: project, configFile: false, logLevel: 'error', base: './', worker: { format: 'es' }, build: { outDir, emptyOutDir: true } });
  const result = await withBrowser({ directory: outDir }, async ({ browser, origin }) => {
    const page = await browser.newPage();
    await page.goto(`${origin}/app/index.html`);
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 60000 });
    await screenshot(page, 'runtimes-chromium');
    return page.evaluate(() => window.result);
  });
  assertSameAsNode(result, 'worker');
});

/**
 * Bundles a Worker as wrangler does: the `workerd`, `worker` and `browser` conditions, JSON
 * inlined, and each `.wasm` import left as a module of its own (copied next to the bundle).
 */
async function bundleWorker(entry, outdir) {
  mkdirSync(outdir, { recursive: true });
  const wasmModules = [];
  await esbuild.build({
    entryPoints: [entry], outfile: join(outdir, 'worker.js'), bundle: true, format: 'esm', target: 'es2022', platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'], mainFields: ['module', 'main'], logLevel: 'warning',
    plugins: [{
      name: 'wasm-modules',
      setup(build) {
        build.onResolve({ filter: /\.wasm$/ }, (args) => {
          const name = basename(args.path);
          copyFileSync(join(args.resolveDir, args.path), join(outdir, name));
          wasmModules.push(name);
          return { path: `./${name}`, external: true };
        });
      },
    }],
  });
  return wasmModules;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** workerd's configuration: one service and one 127.0.0.1 socket per bundled Worker. */
function workerdConfig(workers) {
  const services = workers.map(({ name }) => `(name = "${name}", worker = .${name})`).join(', ');
  const sockets = workers.map(({ name, port }) => `(name = "${name}", address = "127.0.0.1:${port}", http = (), service = "${name}")`).join(', ');
  const definitions = workers.map(({ name, wasmModules }) => {
    const modules = [`(name = "worker.js", esModule = embed "${name}/worker.js")`, ...wasmModules.map((m) => `(name = "${m}", wasm = embed "${name}/${m}")`)];
    return `const ${name} :Workerd.Worker = (modules = [${modules.join(', ')}], compatibilityDate = "2024-09-23");`;
  });
  return `using Workerd = import "/workerd/workerd.capnp";\nconst config :Workerd.Config = (services = [${services}], sockets = [${sockets}]);\n${definitions.join('\n')}\n`;
}

async function waitForResponse(url, child, timeoutMs = 60000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`workerd exited with ${child.exitCode}`);
    try {
      return await fetch(url);
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

const post = (url, body) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

test('workerd: the workerd entry imports the wasm as a module; the scenario and the example Worker answer the same bytes as Node', async () => {
  const workerd = runtimeBinary('workerd');
  const served = join(workspace, 'workerd');
  const example = join(project, 'cloudflare-worker');
  cpSync(join(root, 'js/examples/cloudflare-worker/src'), example, { recursive: true });
  copyFileSync(join(project, 'definitions.json'), join(example, 'definitions.json'));
  const workers = [
    { name: 'scenario', port: await freePort(), wasmModules: await bundleWorker(join(project, 'worker.mjs'), join(served, 'scenario')) },
    { name: 'example', port: await freePort(), wasmModules: await bundleWorker(join(example, 'index.js'), join(served, 'example')) },
  ];
  for (const { wasmModules } of workers) assert.deepEqual(wasmModules, ['relationship_evaluator_bg.wasm'], 'the wasm arrives as an imported module');
  writeFileSync(join(served, 'config.capnp'), workerdConfig(workers));

  // The example Worker's handler in Node (the node entry), for the reference bytes.
  await esbuild.build({ entryPoints: [join(example, 'index.js')], outfile: join(project, 'example.node.mjs'), bundle: true, format: 'esm', platform: 'node', external: ['@meshery/relationship-evaluator'], logLevel: 'warning' });
  const { default: nodeWorker } = await import(pathToFileURL(join(project, 'example.node.mjs')).href);
  const request = (body) => new Request('http://example/', { method: 'POST', body: JSON.stringify(body) });

  let stderr = '';
  const started = performance.now();
  const child = spawn(workerd, ['serve', 'config.capnp'], { cwd: served, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.on('data', (chunk) => (stderr += chunk));
  try {
    const scenario = await (await waitForResponse(`http://127.0.0.1:${workers[0].port}/`, child)).json();
    const coldStartMs = performance.now() - started;
    assertSameAsNode(scenario);

    const endpoint = `http://127.0.0.1:${workers[1].port}/`;
    for (const options of [{}, { returnDiffOnly: true }]) {
      const response = await post(endpoint, { design, options });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/json');
      const expected = await nodeWorker.fetch(request({ design, options }));
      assert.equal(await response.text(), await expected.text(), `options ${JSON.stringify(options)}`);
    }
    assert.equal((await fetch(endpoint)).status, 405);
    const notJson = await post(endpoint, 'not json');
    assert.equal(notJson.status, 400);
    assert.equal((await notJson.json()).error.code, 'BAD_REQUEST');
    const rejected = await post(endpoint, { design: { id: 'd', components: 'none' } });
    assert.equal(rejected.status, 422);
    assert.equal(typeof (await rejected.json()).error.code, 'string');

    // One evaluation, timed from outside (workerd's clock stands still while a request
    // computes): the example Worker's round trip, against its handler called in Node.
    const median = async (call) => {
      const times = [];
      for (let i = 0; i < 21; i++) {
        const t0 = performance.now();
        await (await call()).text();
        times.push(performance.now() - t0);
      }
      return times.sort((a, b) => a - b)[10];
    };
    const workerdMs = await median(() => post(endpoint, { design, options: {} }));
    const nodeMs = await median(() => nodeWorker.fetch(request({ design, options: {} })));
    figures.workerd = { coldStartMs: Math.round(coldStartMs), exampleRequestMs: round(workerdMs), nodeHandlerMs: round(nodeMs) };
  } catch (error) {
    throw new Error(`${error.message}\nworkerd stderr:\n${stderr}`, { cause: error });
  } finally {
    child.kill();
  }
});
