// Shared by the browser suites (*.e2e.mjs): a static server for dist/ and the test pages (with
// per-suite response headers, e.g. a CSP), headless Chromium through playwright-core (the
// system /usr/bin/chromium, see ../shared/TOOLCHAIN.md), and screenshot artifacts. Everything
// runs in-process and is torn down in `finally`, so a failing test leaves nothing running.
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { chromium } from 'playwright-core';
import { parse as parseYaml } from 'yaml';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
export const artifacts = join(root, 'target/js-artifacts');
const fixtures = join(root, '../shared/fixtures/meshery');

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css' };

/** The Kubernetes definitions and the sample designs (YAML converted to JSON), served under /corpus/. */
export function corpus() {
  const definitionsDir = join(fixtures, 'relationships/kubernetes');
  const definitions = readdirSync(definitionsDir).filter((n) => n.endsWith('.json')).sort()
    .map((n) => JSON.parse(readFileSync(join(definitionsDir, n), 'utf8')));
  const designs = Object.fromEntries(readdirSync(join(fixtures, 'designs')).filter((n) => n.endsWith('.yaml'))
    .map((n) => [n.replace(/\.(design|legacy-pattern)?\.?yaml$/, ''), parseYaml(readFileSync(join(fixtures, 'designs', n), 'utf8'))]));
  return { '/corpus/definitions.json': definitions, ...Object.fromEntries(Object.entries(designs).map(([name, design]) => [`/corpus/${name}.json`, design])) };
}

function file(path) {
  try {
    return statSync(path).isFile() ? readFileSync(path) : null;
  } catch {
    return null;
  }
}

/**
 * Serves /dist/* (the package), /pages/* (test pages), /corpus/* and, when given, /app/* from
 * `directory` (a bundled app); `headers` go on every response. `respond(path)`, when given, may
 * answer a request itself with `{ status, headers, body }` (a misconfigured server).
 */
async function serve(headers, directory, respond) {
  const generated = Object.fromEntries(Object.entries(corpus()).map(([path, value]) => [path, Buffer.from(JSON.stringify(value))]));
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname));
    const custom = respond?.(path);
    if (custom) {
      response.writeHead(custom.status, { 'cache-control': 'no-store', ...custom.headers }).end(custom.body);
      return;
    }
    let body = generated[path] ?? null;
    if (!body && path.startsWith('/dist/')) body = file(join(root, path));
    if (!body && path.startsWith('/pages/')) body = file(join(root, 'tests/js/browser', path));
    if (!body && directory && path.startsWith('/app/')) body = file(join(directory, path.slice('/app/'.length)));
    if (!body) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store', ...headers });
    response.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

/** Headless system Chromium (for suites that bring their own server, e.g. a bundler's dev server). */
export function launchChromium() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * Runs `body({ browser, origin, open })` with a fresh server and browser; `open(page)` loads a test
 * page and waits for it to be ready. Console errors of the page are collected in `consoleErrors`.
 */
export async function withBrowser(options, body) {
  const { server, origin } = await serve(options.headers ?? {}, options.directory, options.respond);
  let browser;
  try {
    browser = await launchChromium();
    const consoleErrors = [];
    const open = async (pagePath = '/pages/app.html') => {
      const page = await browser.newPage({ viewport: { width: 960, height: 640 } });
      page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
      page.on('pageerror', (error) => consoleErrors.push(String(error)));
      await page.goto(`${origin}${pagePath}`);
      await page.waitForFunction(() => window.harnessReady === true || window.harnessError, null, { timeout: 30000 });
      const failure = await page.evaluate(() => window.harnessError ?? null);
      if (failure) throw new Error(`the test page failed to start: ${failure}`);
      return page;
    };
    return await body({ browser, origin, open, consoleErrors });
  } finally {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * Saves a screenshot under target/js-artifacts and checks it is not blank: some pixels must
 * differ from the top-left one (the page shows its status panel).
 */
export async function screenshot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  const path = join(artifacts, `${name}.png`);
  const bytes = await page.screenshot({ path, fullPage: true });
  const png = PNG.sync.read(bytes);
  const [r, g, b] = png.data;
  let differing = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (png.data[i] !== r || png.data[i + 1] !== g || png.data[i + 2] !== b) differing++;
  }
  return { path, differing, pixels: png.width * png.height };
}

/** The emitted scripts over 500 KB under `dir` (a bundler's chunk-size warning), by file name. */
export function largeScripts(dir) {
  const found = [];
  const walk = (at) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.m?js$/.test(entry.name) && statSync(path).size > 500 * 1024) found.push(entry.name);
    }
  };
  walk(dir);
  return found;
}

/** Writes a JSON artifact. */
export function saveArtifact(name, value) {
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, name), `${JSON.stringify(value, null, 2)}\n`);
}
