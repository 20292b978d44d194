// The TypeScript layer's import direction (issue 14, item 5). Every module of js/ and worker/
// belongs to one layer; a module imports only from its own layer or the layers below it, and no
// import chain comes back to where it started. The layers, bottom to top, are listed in LAYERS
// (js/README.md, "Architecture", says what each one is). A new file must be placed in a layer here
// before this test passes, so that nobody adds one without deciding where it stands.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Bottom to top. Paths are relative to the repository; a trailing `/` takes a whole folder. */
const LAYERS = [
  { name: 'base', what: 'shared vocabulary: errors, the engine module\'s shape, the public data types (generated from the Rust ones, and the open JSON shapes), ambient declarations',
    files: ['js/errors.ts', 'js/types.ts', 'js/json-types.ts', 'js/generated/', 'js/engine-module.ts', 'js/virtual.d.ts', 'js/entries/wasm-module.d.ts'] },
  { name: 'protocol', what: 'the messages between a client and a host', files: ['js/protocol.ts'] },
  { name: 'engine', what: 'loading an engine module: the wasm through its glue, or the JavaScript engine',
    files: ['js/load.ts', 'js/wasm-url.ts', 'js/freed-guard.ts', 'js/js-engine.ts'] },
  { name: 'host', what: 'runs an engine behind the protocol (in a worker, or in this thread)', files: ['worker/'] },
  { name: 'transport', what: 'carries protocol messages to one host',
    files: ['js/transport.ts', 'js/in-thread-transport.ts', 'js/worker-transport.ts'] },
  { name: 'engines', what: 'starting and sharing engines: platforms, the fallback ladder, connections (request/response over a transport)',
    files: ['js/platform.ts', 'js/platforms/', 'js/ladder.ts', 'js/connection.ts', 'js/shared-engine.ts'] },
  { name: 'session', what: 'one evaluator\'s state in an engine: journal, compaction, reopening, the order of its calls', files: ['js/session.ts'] },
  { name: 'facade', what: 'the public API: argument checks, decoding, the package entries',
    files: ['js/document.ts', 'js/yaml.ts', 'js/evaluator.ts', 'js/api.ts', 'js/exports.ts', 'js/entries/'] },
  { name: 'bindings', what: 'built on the public API only: React hooks, offline storage, the command line',
    files: ['js/react.ts', 'js/offline/', 'js/cli.ts', 'js/bin.ts'] },
];

/** What a bare specifier of the package itself stands for (tsconfig `paths`, the package's `exports`). */
const SELF = { '@meshery/relationship-evaluator': 'js/entries/browser.ts' };
/** The engine's generated glue (pkg/): only the engine layer loads it. */
const GLUE = /^(\.\.\/)+pkg\//;

/** The layer index of `file`, or -1 when it is in none. */
function layerOf(file, layers = LAYERS) {
  return layers.findIndex((layer) => layer.files.some((entry) => (entry.endsWith('/') ? file.startsWith(entry) : file === entry)));
}

function sources(dir) {
  const found = [];
  const walk = (at) => {
    for (const entry of readdirSync(join(root, at), { withFileTypes: true })) {
      const path = `${at}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name)) found.push(path);
    }
  };
  walk(dir);
  return found;
}

/** The module a specifier names: a file of this repository, or `null` for a package or virtual module. */
function resolveSpecifier(from, specifier) {
  if (SELF[specifier]) return SELF[specifier];
  if (!specifier.startsWith('.')) return null;
  const base = join(dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base, `${base}.ts`, `${base}/index.ts`];
  const hit = candidates.find((candidate) => existsSync(join(root, candidate)) && /\.tsx?$|\.js$/.test(candidate));
  return hit ? relative(root, join(root, hit)) : base;
}

/** Every import of every module (static, `export … from`, type-only and dynamic `import('…')`). */
function importGraph() {
  const files = [...sources('js'), ...sources('worker')].filter((file) => !file.startsWith('js/examples/'));
  const graph = new Map();
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    graph.set(file, info.importedFiles.map(({ fileName }) => ({ specifier: fileName, target: resolveSpecifier(file, fileName) })));
  }
  return graph;
}

/** Imports that go up (or come from or go to a module in no layer), and glue loaded outside the engine layer. */
function layerViolations(graph, layers = LAYERS) {
  const problems = [];
  const engine = layers.findIndex((layer) => layer.name === 'engine');
  for (const [file, imports] of graph) {
    const own = layerOf(file, layers);
    if (own < 0) {
      problems.push(`${file} is in no layer: add it to LAYERS in tests/js/node/layers.test.mjs`);
      continue;
    }
    for (const { specifier, target } of imports) {
      if (GLUE.test(specifier)) {
        if (own !== engine) problems.push(`${file} (${layers[own].name}) loads the engine's glue ${specifier}: only the engine layer does`);
        continue;
      }
      if (target === null || !graph.has(target)) continue; // a package, a virtual module, generated code
      const theirs = layerOf(target, layers);
      if (theirs > own) problems.push(`${file} (${layers[own].name}) imports ${target} (${layers[theirs].name}), a layer above it`);
    }
  }
  return problems;
}

/** The import cycles among the modules (each as the chain of files that closes it). */
function importCycles(graph) {
  const cycles = [];
  const state = new Map(); // file → 'open' | 'done'
  const stack = [];
  const visit = (file) => {
    state.set(file, 'open');
    stack.push(file);
    for (const { target } of graph.get(file) ?? []) {
      if (target === null || !graph.has(target)) continue;
      if (state.get(target) === 'open') cycles.push([...stack.slice(stack.indexOf(target)), target].join(' → '));
      else if (!state.has(target)) visit(target);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

describe('the TypeScript layers', () => {
  const graph = importGraph();

  it('read every module of js/ and worker/ and their imports', () => {
    assert.ok(graph.size > 30, `only ${graph.size} modules found`);
    // A sample that must be seen: a dynamic import, a type-only import, a re-export, a multi-line import.
    const targets = (file) => graph.get(file).map((edge) => edge.target);
    assert.ok(targets('js/document.ts').includes('js/yaml.ts'), 'the dynamic import of yaml.ts');
    assert.ok(targets('js/platform.ts').includes('js/worker-transport.ts'), 'a type-only import');
    assert.ok(targets('js/entries/browser.ts').includes('js/exports.ts'), 'export * from');
    assert.ok(targets('worker/host.ts').includes('js/protocol.ts'), 'a multi-line import');
    assert.ok(targets('js/react.ts').includes('js/entries/browser.ts'), "the package's own name");
  });

  it('every module imports only from its own layer or below, and only the engine layer loads the glue', () => {
    assert.deepEqual(layerViolations(graph), []);
  });

  it('no import cycle', () => {
    assert.deepEqual(importCycles(graph), []);
  });

  it('the layers list no file that does not exist', () => {
    const missing = LAYERS.flatMap((layer) => layer.files).filter((entry) => !existsSync(join(root, entry)));
    assert.deepEqual(missing, []);
  });

  it('the checks fail on an upward import, a cycle and a module in no layer (the gate can fail)', () => {
    const layers = [{ name: 'low', files: ['low.ts'] }, { name: 'engine', files: [] }, { name: 'high', files: ['high.ts', 'high2.ts'] }];
    const edge = (target) => ({ specifier: `./${target.replace(/\.ts$/, '.js')}`, target });
    const upward = new Map([['low.ts', [edge('high.ts')]], ['high.ts', []]]);
    assert.match(layerViolations(upward, layers).join('\n'), /low\.ts \(low\) imports high\.ts \(high\), a layer above it/);
    const cycle = new Map([['high.ts', [edge('high2.ts')]], ['high2.ts', [edge('high.ts')]]]);
    assert.deepEqual(layerViolations(cycle, layers), []);
    assert.deepEqual(importCycles(cycle), ['high.ts → high2.ts → high.ts']);
    const stray = new Map([['stray.ts', []]]);
    assert.match(layerViolations(stray, layers).join('\n'), /stray\.ts is in no layer/);
    const glue = new Map([['high.ts', [{ specifier: '../pkg/web/relationship_evaluator.js', target: 'pkg/web/relationship_evaluator.js' }]]]);
    assert.match(layerViolations(glue, layers).join('\n'), /loads the engine's glue/);
  });
});
