// The README's Next.js recipe, as a user follows it: the packed tarball in a minimal App Router
// app (React 19, Next pinned in toolchain/, installed by scripts/setup-bundlers.sh) whose page, a
// server component, renders the README's `'use client'` component exactly as written (read from
// js/README.md, so the two cannot drift) for a design with a Namespace and a Deployment. For
// `next build` + `next start` and for `next dev`, each bundled by Turbopack (Next 16's default) and
// by webpack (`--webpack`): the page loads in Chromium, the component shows the relationships the
// package computes for that design in Node (non-empty), a probe component on the same page reports
// the worker rung, the worker script and the .wasm were requested, and a build emits no script
// over 500 KB. Build and page times go to target/js-artifacts/next.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { largeScripts, launchChromium, root, saveArtifact, screenshot } from '../browser/harness.mjs';

const toolchain = join(root, 'tests/js/bundlers/toolchain/node_modules');
const fixtures = join(root, '../shared/fixtures/meshery');
const PACKAGE = '@meshery/relationship-evaluator';
const ENV = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
delete ENV.NODE_ENV; // next sets it per command

/** The README's Next.js component: the first fenced block after the **Next.js.** paragraph's start. */
function readmeComponent() {
  const readme = readFileSync(join(root, 'js/README.md'), 'utf8');
  const start = readme.indexOf('**Next.js.**');
  assert.ok(start >= 0, 'js/README.md has no **Next.js.** paragraph');
  const block = /^```([^\n]*)\n([\s\S]*?)^```[ \t]*$/m.exec(readme.slice(start));
  assert.ok(block, 'no code block after **Next.js.**');
  assert.equal(block[1].trim(), 'tsx react');
  assert.match(block[2], /^'use client';\n/);
  assert.match(block[2], /export default function Relationships\(/);
  return block[2];
}

const component = (id, kind, configuration, displayName = id) => ({ id, component: { kind }, displayName, modelReference: { name: 'kubernetes' }, configuration });
const DESIGN = { id: 'd', version: '0.0.1', components: [component('ns', 'Namespace', {}, 'shop'), component('web', 'Deployment', { metadata: { namespace: 'shop' } })] };

const LAYOUT = `import type { ReactNode } from 'react';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`;

// A server component: the design and the definitions go to the README's client component as props.
const PAGE = `import type { Design, RelationshipDefinition } from '${PACKAGE}';
import definitions from '../definitions.json';
import Probe from './probe';
import Relationships from './relationships';

const design = ${JSON.stringify(DESIGN)} as Design;

export default function Page() {
  return (
    <main>
      <h1>Relationships</h1>
      <Relationships design={design} definitions={definitions as unknown as RelationshipDefinition[]} />
      <Probe design={design} definitions={definitions as unknown as RelationshipDefinition[]} />
    </main>
  );
}
`;

// Test-only: the README's component shows no engine, so a second hook on the same page and in the
// same bundle reports the rung it evaluated on (and its status) to the test through window.
const PROBE = `'use client';
import { useEffect } from 'react';
import { useEvaluationResult } from '${PACKAGE}/react';
import type { Design, RelationshipDefinition } from '${PACKAGE}';

export default function Probe({ design, definitions }: { design: Design; definitions: RelationshipDefinition[] }) {
  const { status, engine, error } = useEvaluationResult(design, definitions);
  useEffect(() => {
    if (status === 'success' || status === 'error') {
      (window as unknown as { probe: unknown }).probe = { status, engine: engine?.kind ?? null, error: error ? \`\${error.code}: \${error.message}\` : null };
    }
  }, [status, engine, error]);
  return null;
}
`;

// Test-only, and no recipe: the webpack build compiles the sources the Turbopack build has already
// type-checked, so it skips Next's TypeScript step (6 s here). The package needs no configuration.
const NEXT_CONFIG = `export default { typescript: { ignoreBuildErrors: process.env.TYPES_ALREADY_CHECKED === '1' } };
`;

let workspace;
let app;
let expected;
const outcomes = {};

before(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'relationship-evaluator-next-'));
  const tarball = execFileSync('npm', ['pack', '--pack-destination', workspace, '--silent'], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
  app = join(workspace, 'app');
  mkdirSync(join(app, 'app'), { recursive: true });
  const definitions = readdirSync(join(fixtures, 'relationships/kubernetes')).filter((n) => n.endsWith('.json')).sort()
    .map((n) => JSON.parse(readFileSync(join(fixtures, 'relationships/kubernetes', n), 'utf8')));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer-next', version: '1.0.0', private: true }));
  writeFileSync(join(app, 'definitions.json'), JSON.stringify(definitions));
  writeFileSync(join(app, 'next.config.mjs'), NEXT_CONFIG);
  writeFileSync(join(app, 'app/layout.tsx'), LAYOUT);
  writeFileSync(join(app, 'app/page.tsx'), PAGE);
  writeFileSync(join(app, 'app/probe.tsx'), PROBE);
  writeFileSync(join(app, 'app/relationships.tsx'), readmeComponent());
  execFileSync('npm', ['install', join(workspace, tarball), '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, stdio: 'pipe' });
  // Next, React, React DOM and their dependencies from toolchain/, TypeScript and the types from the
  // root devDependencies, hard-linked into the app's node_modules (a copy where links cannot go):
  // Turbopack compiles nothing outside the app's root, so symlinks out of it do not resolve.
  const present = new Set(readdirSync(join(app, 'node_modules')));
  const entries = readdirSync(toolchain).filter((name) => !name.startsWith('.') && !present.has(name)).map((name) => join(toolchain, name));
  linkTree(entries, join(app, 'node_modules'));
  mkdirSync(join(app, 'node_modules/@types'), { recursive: true });
  linkTree([join(root, 'node_modules/typescript')], join(app, 'node_modules'));
  linkTree(['react', 'react-dom', 'node'].map((name) => join(root, 'node_modules/@types', name)), join(app, 'node_modules/@types'));
  // What the page must show: the same design evaluated by the installed package in Node.
  const { createEvaluator } = createRequire(join(app, 'package.json'))(PACKAGE);
  const evaluator = createEvaluator(definitions);
  try {
    expected = (await evaluator.evaluateDesign(DESIGN)).design.relationships;
  } finally {
    await evaluator.dispose();
  }
  assert.ok(expected.length > 0, 'the design has no relationships in Node');
});

after(() => {
  saveArtifact('next.json', outcomes);
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

const nextBin = () => join(app, 'node_modules/next/dist/bin/next');

/**
 * Copies `sources` into the folder `into` as hard links (as a plain copy on another filesystem),
 * skipping those already there (a copy over a link would write into the toolchain's files).
 */
function linkTree(all, into) {
  const sources = all.filter((source) => !existsSync(join(into, basename(source))));
  if (sources.length === 0) return;
  try {
    execFileSync('cp', ['-al', ...sources, into], { stdio: 'pipe' });
  } catch {
    execFileSync('cp', ['-a', ...sources, into], { stdio: 'pipe' });
  }
}

/** A port nobody listens on now. */
async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs `next <command> [flags]` in the app until `body(origin)` settles; the server is killed in `finally`. */
async function withNext(command, flags, body) {
  const port = await freePort();
  const child = spawn(process.execPath, [nextBin(), command, ...flags, '--hostname', '127.0.0.1', '--port', String(port)], { cwd: app, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const origin = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`next ${command} exited with ${child.exitCode}:\n${output}`);
      if (await fetch(`${origin}/favicon.ico`).then(() => true, () => false)) break;
      if (Date.now() > deadline) throw new Error(`next ${command} did not answer within 60 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return await body(origin);
  } catch (error) {
    error.message += `\n--- next ${command} output ---\n${output}`;
    throw error;
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
}

/**
 * Loads the page in Chromium and returns the relationships the README's component rendered, what
 * the probe reported and the URLs requested (the page's and its worker's).
 */
async function load(origin, name) {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 960, height: 640 } });
    const requested = [];
    context.on('request', (request) => requested.push(new URL(request.url()).pathname));
    const workers = [];
    const page = await context.newPage();
    page.on('worker', (worker) => workers.push(new URL(worker.url()).pathname));
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => window.probe !== undefined, null, { timeout: 90000 });
    const probe = await page.evaluate(() => window.probe);
    // The README's component renders `[]` until its result arrives.
    await page.waitForFunction(() => document.querySelector('pre')?.textContent !== '[]', null, { timeout: 30000 }).catch(() => {});
    const relationships = JSON.parse(await page.locator('pre').textContent());
    await screenshot(page, name);
    return { relationships, probe, workers, requested, errors };
  } finally {
    await browser.close();
  }
}

function check(outcome) {
  assert.deepEqual(outcome.errors, []);
  assert.deepEqual(outcome.probe, { status: 'success', engine: 'worker', error: null });
  assert.ok(outcome.relationships.length > 0, 'the component rendered no relationships');
  assert.deepEqual(outcome.relationships, expected);
  assert.ok(outcome.workers.length > 0, `no worker started; requested: ${outcome.requested.join(', ')}`);
  assert.ok(outcome.requested.some((path) => path.endsWith('.wasm')), `no .wasm requested: ${outcome.requested.join(', ')}`);
}

/**
 * `next build` (Turbopack, Next 16's default, or webpack with `--webpack`), then `next start`: the
 * same page, the same assertions. Each build replaces `.next`, so the modes run one after the other.
 */
async function buildAndStart(mode) {
  const flags = mode === 'webpack' ? ['--webpack'] : [];
  const env = mode === 'webpack' && outcomes.start ? { ...ENV, TYPES_ALREADY_CHECKED: '1' } : ENV;
  const started = Date.now();
  execFileSync(process.execPath, [nextBin(), 'build', ...flags], { cwd: app, env, stdio: 'pipe' });
  const buildMs = Date.now() - started;
  // The 2.7 MB JavaScript engine ships only to apps that ask for it (`jsEngine`).
  assert.deepEqual(largeScripts(join(app, '.next', 'static')), [], 'no script over 500 KB is emitted');
  const outcome = await withNext('start', [], (origin) => load(origin, mode === 'webpack' ? 'next-start-webpack' : 'next-start'));
  outcomes[mode === 'webpack' ? 'startWebpack' : 'start'] = { buildMs, totalMs: Date.now() - started, ...summary(outcome) };
  check(outcome);
}

async function dev(mode) {
  const started = Date.now();
  const outcome = await withNext('dev', mode === 'webpack' ? ['--webpack'] : [], (origin) => load(origin, mode === 'webpack' ? 'next-dev-webpack' : 'next-dev'));
  outcomes[mode === 'webpack' ? 'devWebpack' : 'dev'] = { totalMs: Date.now() - started, ...summary(outcome) };
  check(outcome);
}

const summary = (outcome) => ({ ...outcome, relationships: outcome.relationships.map((r) => `${r.kind}/${r.type}/${r.subType} ${r.status}`) });

test('next build, then next start: the README component renders the relationships evaluated in the worker', () => buildAndStart('turbopack'));

test('next dev: the README component renders the relationships evaluated in the worker', () => dev('turbopack'));

test('next build --webpack, then next start: the same, bundled by webpack', () => buildAndStart('webpack'));

test('next dev --webpack: the same, bundled by webpack', () => dev('webpack'));
