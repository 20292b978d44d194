// The package README (js/README.md, the tarball's README) as a user follows it: every fenced
// block runs against the packed package installed into a throwaway project. The info string
// says how each block is checked:
//   sh cli             each line runs in bash in the project (npm install → the packed tarball)
//   js node [file]     runs in Node (written to `file` when given); `// → text` lines are the output
//   ts browser, tsx react   type-checked (no skipLibCheck) and bundled for the browser with esbuild
//   js vite.config.js  the project's Vite config: a real `vite build` with it emits the wasm and the worker
//   js esbuild         a build script: it runs, and its bundle of the `js node src/main.js` block runs on its own
//   text wasm-load-failed   the error a pre-bundling dev server gives, produced for real
//   http csp           the policy the Chromium security suite runs the worker and wasm under
//   <lang> runtime-<name>   a runtime's example (Deno, Bun, workerd), only under `## Runtimes`: run by tests/js/runtimes
// A block with any other info string fails the test. Sizes in the table are checked against dist/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = join(root, '../shared/fixtures/meshery');
const readme = readFileSync(join(root, 'js/README.md'), 'utf8');

/** Every fenced block: its language, tag, argument and code (un-indented when inside a list). */
function blocks(text) {
  const found = [];
  const runtimes = text.search(/^## Runtimes$/m);
  for (const match of text.matchAll(/^( *)```([^\n]*)\n([\s\S]*?)^\1```[ \t]*$/gm)) {
    const [lang = '', tag = '', argument = ''] = match[2].trim().split(/\s+/);
    const indent = match[1].length;
    const code = match[3].split('\n').map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length))).join('\n');
    found.push({ lang, tag, argument, code, inRuntimes: runtimes >= 0 && match.index > runtimes });
  }
  return found;
}

const every = blocks(readme);
const runtimeBlocks = every.filter((block) => block.tag.startsWith('runtime-'));
const all = every.filter((block) => !block.tag.startsWith('runtime-'));
const ofTag = (lang, tag) => all.filter((block) => block.lang === lang && block.tag === tag);
const KNOWN = ['sh cli', 'js node', 'ts browser', 'tsx react', 'js vite.config.js', 'js vite-js-engine', 'js webpack-js-engine', 'js esbuild', 'text wasm-load-failed', 'http csp'];

let workspace;
let tarball;

/** The project folder of the README's examples: the packed package installed, definitions and a design beside it. */
before(() => {
  workspace = mkdtempSync(join(tmpdir(), 'relationship-evaluator-readme-'));
  const name = execFileSync('npm', ['pack', '--pack-destination', workspace, '--silent'], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
  tarball = join(workspace, name);
  const project = join(workspace, 'project');
  mkdirSync(join(project, 'relationships'), { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'readme-project', version: '1.0.0', private: true, type: 'module' }));
  symlinkSync(join(fixtures, 'relationships/kubernetes'), join(project, 'relationships/kubernetes'));
  cpSync(join(fixtures, 'designs/edge-firewall-relationship.design.yaml'), join(project, 'design.yaml'));
});

after(() => {
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

const project = () => join(workspace, 'project');

test('every block of the README has a known info string', () => {
  assert.ok(all.length >= 12, `only ${all.length} blocks found`);
  const fences = readme.split('\n').filter((line) => line.trimStart().startsWith('```'));
  assert.equal(fences.length, 2 * every.length, 'every fence opens or closes a block (none is followed by text)');
  for (const block of runtimeBlocks) assert.ok(block.inRuntimes, `a runtime-… block outside ## Runtimes: ${block.code.slice(0, 80)}`);
  for (const block of all) assert.ok(KNOWN.includes(`${block.lang} ${block.tag}`), `unknown block \`\`\`${block.lang} ${block.tag}: ${block.code.slice(0, 80)}`);
});

test('the tarball ships this README as its README', () => {
  const packed = execFileSync('tar', ['-xzOf', tarball, 'package/README.md'], { encoding: 'utf8' });
  assert.equal(packed, readme);
  assert.equal(execFileSync('git', ['status', '--porcelain', 'README.md'], { cwd: root, encoding: 'utf8' }), '', 'npm pack left the repository README changed');
});

test('npm publish --dry-run is clean: nothing for npm to correct, and the files a user needs', () => {
  // In this file, not beside it: pack and publish swap README.md (prepack/postpack) and must not run concurrently.
  const result = spawnSync('npm', ['publish', '--dry-run', '--json'], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const warnings = result.stderr.split('\n').filter((line) => /npm warn/.test(line) && !/requires you to be logged in/.test(line));
  assert.deepEqual(warnings, []);
  const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{')))['@meshery/relationship-evaluator'];
  const files = report.files.map((file) => file.path);
  for (const file of ['README.md', 'package.json', 'dist/index.js', 'dist/index.node.js', 'dist/worker.js', 'dist/cli.js', 'dist/react.js', 'dist/inline.js', 'dist/js-engine.js', 'dist/relationship_evaluator_bg.wasm', 'dist/types/js/entries/browser.d.ts', 'dist/types/js/react.d.ts']) {
    assert.ok(files.includes(file), `${file} is not published`);
  }
  assert.deepEqual(files.filter((file) => !/^(dist\/|README\.md$|package\.json$)/.test(file)), []);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.equal(manifest.private, undefined);
  assert.deepEqual(manifest.bin, { 'relationship-evaluator': 'dist/cli.js' });
  assert.ok(manifest.engines.node);
  assert.ok(manifest.sideEffects.includes('./dist/worker.js'), 'the worker script registers its message handler on import');
  assert.equal(execFileSync('git', ['status', '--porcelain', 'README.md'], { cwd: root, encoding: 'utf8' }), '');
});

test('sh cli: npm install (the packed tarball), then the command lines as written', () => {
  const [install, ...commands] = ofTag('sh', 'cli');
  assert.equal(install.code.trim(), 'npm install @meshery/relationship-evaluator');
  execFileSync('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project(), stdio: 'pipe' });
  // The tools the other blocks import, from this repository's devDependencies.
  for (const tool of ['vite', 'esbuild', '@esbuild', 'rollup', '@rollup', 'typescript']) {
    if (existsSync(join(root, 'node_modules', tool)) && !existsSync(join(project(), 'node_modules', tool))) symlinkSync(join(root, 'node_modules', tool), join(project(), 'node_modules', tool));
  }
  mkdirSync(join(project(), 'node_modules/@types'), { recursive: true });
  for (const types of ['@types/react', 'csstype', 'react']) {
    if (!existsSync(join(project(), 'node_modules', types))) symlinkSync(join(root, 'node_modules', types), join(project(), 'node_modules', types));
  }
  assert.equal(commands.length, 1);
  for (const line of commands[0].code.trim().split('\n')) {
    const result = spawnSync('bash', ['-euo', 'pipefail', '-c', line], { cwd: project(), encoding: 'utf8' });
    assert.equal(result.status, 0, `${line}\n${result.stderr}`);
  }
  assert.equal(JSON.parse(readFileSync(join(project(), 'response.json'), 'utf8')).schemaVersion, 'evaluation.meshery.io/v1beta1');
  assert.ok(readFileSync(join(project(), 'response.msgpack')).length > 1000);
});

test('js node: each block runs in Node against the installed package and prints what its // → lines say', () => {
  const nodeBlocks = ofTag('js', 'node');
  assert.ok(nodeBlocks.length >= 4);
  nodeBlocks.forEach((block, i) => {
    const file = join(project(), block.argument || `readme-${i}.mjs`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, block.code);
    const result = spawnSync(process.execPath, [file], { cwd: project(), encoding: 'utf8' });
    assert.equal(result.status, 0, `block ${i}:\n${block.code}\n${result.stderr}`);
    const printed = result.stdout.trim().split('\n');
    const promised = [...block.code.matchAll(/^\s*\/\/ → (.*)$/gm)].map((m) => m[1]);
    assert.ok(promised.length > 0, `block ${i} promises no output`);
    assert.deepEqual(printed, promised, `block ${i}`);
  });
});

test('ts browser and tsx react: type-checked without skipLibCheck, and bundled for the browser', async () => {
  const typed = [...ofTag('ts', 'browser').map((b) => ({ ...b, ext: 'ts' })), ...ofTag('tsx', 'react').map((b) => ({ ...b, ext: 'tsx' }))];
  assert.ok(typed.length >= 3);
  const files = typed.map((block, i) => {
    const file = join(project(), 'typed', `block-${i}.${block.ext}`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${block.code}\nexport {};\n`);
    return file;
  });
  const program = ts.createProgram(files, {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.ReactJSX, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'], types: [], skipLibCheck: false,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName.slice(project().length) ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  assert.deepEqual(diagnostics, []);
  const built = await esbuild.build({
    entryPoints: files, bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outdir: join(project(), 'typed/out'),
    external: ['react', 'react/jsx-runtime'], logLevel: 'silent', loader: { '.wasm': 'file' }, jsx: 'automatic', metafile: true,
  });
  assert.deepEqual(built.errors, []);
  assert.ok(Object.keys(built.metafile.inputs).some((input) => input.includes('@meshery/relationship-evaluator/dist/')), 'the bundles contain the package');
});

test('js vite.config.js: vite build with the config as written emits the worker and the wasm; the dev server does not pre-bundle the package', async () => {
  const [config] = ofTag('js', 'vite.config.js');
  const dir = project();
  writeFileSync(join(dir, 'vite.config.js'), config.code);
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><body><script type="module" src="./main.js"></script></body></html>');
  writeFileSync(join(dir, 'main.js'), "import { createEvaluator } from '@meshery/relationship-evaluator';\nconst evaluator = createEvaluator([]);\nawait evaluator.loadDesign({ id: 'd', components: [] });\n");
  const { build, loadConfigFromFile } = await import(join(dir, 'node_modules/vite/dist/node/index.js'));
  const loaded = await loadConfigFromFile({ command: 'serve', mode: 'development' }, join(dir, 'vite.config.js'), dir);
  assert.deepEqual(loaded.config.optimizeDeps.exclude, ['@meshery/relationship-evaluator']);
  await build({ root: dir, configFile: join(dir, 'vite.config.js'), logLevel: 'error', build: { outDir: join(dir, 'vite-dist'), emptyOutDir: true } });
  const emitted = readdirSync(join(dir, 'vite-dist/assets'));
  assert.ok(emitted.some((f) => f.endsWith('.wasm')), `no wasm among ${emitted.join(', ')}`);
  assert.ok(emitted.some((f) => /^worker-.*\.js$/.test(f)), `no worker among ${emitted.join(', ')}`);
});

/** Emitted scripts over 500 KB (the size bundlers warn about), by name. */
const largeScripts = (dir) => readdirSync(dir, { recursive: true }).filter((f) => /\.m?js$/.test(f) && statSync(join(dir, f)).size > 500 * 1024);

test('js vite-js-engine: vite build of the block as written emits the JavaScript engine as a file of its own, no chunk over 500 KB', async () => {
  const [block] = ofTag('js', 'vite-js-engine');
  const dir = join(project(), 'vite-js-engine');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.js'), block.code);
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><body><script type="module" src="./main.js"></script></body></html>');
  const { build } = await import(join(project(), 'node_modules/vite/dist/node/index.js'));
  await build({ root: dir, configFile: false, logLevel: 'error', worker: { format: 'es' }, build: { outDir: join(dir, 'dist'), emptyOutDir: true } });
  const emitted = readdirSync(join(dir, 'dist/assets'));
  const engine = emitted.filter((f) => /^js-engine-.*\.js$/.test(f));
  assert.equal(engine.length, 1, `the JavaScript engine among ${emitted.join(', ')}`);
  assert.deepEqual(largeScripts(join(dir, 'dist')), [`assets/${engine[0]}`]);
});

test('js webpack-js-engine: webpack 5 with the block as written emits the JavaScript engine as an asset, no chunk over 500 KB', async () => {
  const [block] = ofTag('js', 'webpack-js-engine');
  const dir = join(project(), 'webpack-js-engine');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.js'), block.code);
  const { default: webpack } = await import('webpack');
  const stats = await new Promise((resolve, reject) => webpack({
    mode: 'production', context: dir, entry: './main.js', target: 'web', devtool: false,
    resolve: { modules: [join(project(), 'node_modules'), 'node_modules'] },
    output: { path: join(dir, 'dist'), filename: 'main.js', clean: true }, optimization: { minimize: false }, performance: { hints: false },
  }, (error, result) => (error ? reject(error) : resolve(result))));
  assert.deepEqual(stats.compilation.errors.map(String), []);
  const chunkFiles = [...stats.compilation.chunks].flatMap((chunk) => [...chunk.files]);
  assert.deepEqual(chunkFiles.filter((file) => statSync(join(dir, 'dist', file)).size > 500 * 1024), []);
  const engine = largeScripts(join(dir, 'dist'));
  assert.equal(engine.length, 1, 'the JavaScript engine is emitted once, as an asset');
  assert.ok(readFileSync(join(dir, 'dist', engine[0]), 'utf8').includes('engineVersion'));
});

test('js esbuild: the build script runs and bundles src/main.js with the wasm inlined', () => {
  const [script] = ofTag('js', 'esbuild');
  assert.ok(existsSync(join(project(), 'src/main.js')), 'the js node src/main.js block ran first');
  writeFileSync(join(project(), 'build.mjs'), script.code);
  const result = spawnSync(process.execPath, ['build.mjs'], { cwd: project(), encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const bundle = readFileSync(join(project(), 'public/main.js'), 'utf8');
  assert.ok(bundle.length > 600_000, 'the wasm is inlined');
  // The bundle is self-contained: moved away from node_modules it still runs (in Node here, as it needs nothing of a page).
  const alone = join(workspace, 'alone.mjs');
  writeFileSync(alone, bundle);
  const run = spawnSync(process.execPath, [alone], { cwd: workspace, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), 'worker: the inline build evaluates in its own thread (it emits no worker file)');
});

test('text wasm-load-failed: the example is the error a dev server answering HTML gives', async () => {
  const [example] = ofTag('text', 'wasm-load-failed');
  const shown = example.code.replace(/\s*\n\s*/g, ' ').trim();
  const url = 'http://localhost:5173/node_modules/.vite/deps/relationship_evaluator_bg.wasm';
  const realFetch = globalThis.fetch;
  globalThis.fetch = async () => new Response('<!doctype html><html></html>', { status: 200, headers: { 'content-type': 'text/html' } });
  try {
    const { createEvaluator, init } = await import(join(project(), 'node_modules/@meshery/relationship-evaluator/dist/index.node.js'));
    await init(url);
    const error = await createEvaluator([]).loadDesign({ id: 'd', components: [] }).catch((thrown) => thrown);
    const actual = `${error.code}: ${error.message}`;
    const [before] = shown.split('…');
    assert.ok(actual.startsWith(before.trim().replace(/,$/, '')), `README: ${shown}\nactual: ${actual}`);
    assert.deepEqual({ url: error.details.url, status: error.details.status, contentType: error.details.contentType }, { url, status: 200, contentType: 'text/html' });
  } finally {
    globalThis.fetch = realFetch;
  }
});

test('http csp: the policy is the one the Chromium security suite runs the worker and the wasm under', () => {
  const [policy] = ofTag('http', 'csp');
  const header = policy.code.trim().replace(/^Content-Security-Policy:\s*/, '');
  const suite = readFileSync(join(root, 'tests/js/browser/security.e2e.mjs'), 'utf8');
  const tested = suite.match(/const WASM_CSP = "([^"]+)"/)[1].split(';').map((d) => d.trim());
  for (const directive of header.split(';').map((d) => d.trim())) assert.ok(tested.includes(directive), `${directive} is not in the tested policy ${tested.join('; ')}`);
});

/** Bytes of a file and of the chunks it imports statically, raw and gzipped, in KB. */
function closure(file, seen = new Set()) {
  if (seen.has(file)) return { raw: 0, gzip: 0 };
  seen.add(file);
  const bytes = readFileSync(join(root, 'dist', file));
  let raw = bytes.length;
  let gzip = gzipSync(bytes, { level: 9 }).length;
  if (file.endsWith('.js')) {
    for (const match of bytes.toString('utf8').matchAll(/^(?:import|export)[^'"]*?from\s*["']\.\/([^"']+)["']|^import\s*["']\.\/([^"']+)["']/gm)) {
      const inner = closure(match[1] ?? match[2], seen);
      raw += inner.raw;
      gzip += inner.gzip;
    }
  }
  return { raw, gzip };
}

test('the sizes table matches dist/ (within 10%)', () => {
  const rows = [...readme.matchAll(/^\| `([^`]+)`[^|]*\| ≈ ?([\d.]+) \| ≈ ?([\d.]+) \|/gm)];
  assert.equal(rows.length, 5, 'five rows');
  for (const [, file, raw, gzip] of rows) {
    const actual = closure(file);
    for (const [what, shown, measured] of [['raw', Number(raw), actual.raw / 1024], ['gzip', Number(gzip), actual.gzip / 1024]]) {
      assert.ok(Math.abs(measured - shown) <= Math.max(0.1 * measured, 1), `${file} ${what}: README ${shown} KB, dist ${measured.toFixed(1)} KB`);
    }
  }
});
