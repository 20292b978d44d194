// Bundles the TypeScript layer into dist/ with esbuild, next to the wasm, and emits the type
// declarations with tsc. Expects pkg/web (scripts/build-wasm.sh) and pkg/wasm2js
// (scripts/build-wasm2js.sh). Every file lands in dist/ itself: the code finds the wasm and the
// worker through `new URL('./…', import.meta.url)`, which bundlers also follow.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const wasmPath = join(root, 'pkg/web/relationship_evaluator_bg.wasm');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

for (const required of [wasmPath, join(root, 'pkg/wasm2js/relationship_evaluator.js')]) {
  if (!existsSync(required)) throw new Error(`build-js: ${required} is missing; run scripts/build-wasm.sh and scripts/build-wasm2js.sh first`);
}

/** The glue's default wasm URL, made explicitly relative (`./`) so webpack treats it as a file. */
const relativeGlueUrl = {
  name: 'relative-glue-url',
  setup(build) {
    build.onLoad({ filter: /pkg[\\/]web[\\/]relationship_evaluator\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const from = "new URL('relationship_evaluator_bg.wasm', import.meta.url)";
      if (!source.includes(from)) throw new Error('build-js: the wasm-bindgen glue no longer has its default wasm URL; update relative-glue-url');
      return { contents: source.replace(from, "new URL('./relationship_evaluator_bg.wasm', import.meta.url)"), loader: 'js' };
    });
  },
};

/** `import('./js-engine.js')` stays a separate file, shared by every build. */
const externalJsEngine = {
  name: 'external-js-engine',
  setup(build) {
    build.onResolve({ filter: /^\.\/js-engine\.js$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: './js-engine.js', external: true } : undefined);
  },
};

/** The inline entry's wasm, as base64 text. */
const inlineWasm = {
  name: 'inline-wasm',
  setup(build) {
    build.onResolve({ filter: /^virtual:relationship-evaluator-wasm-base64$/ }, (args) => ({ path: args.path, namespace: 'inline-wasm' }));
    build.onLoad({ filter: /.*/, namespace: 'inline-wasm' }, () => ({
      contents: `export default ${JSON.stringify(readFileSync(wasmPath).toString('base64'))};`,
      loader: 'js',
    }));
  },
};

/**
 * The workerd entry's wasm: an import of the file next to it, left for the Worker's bundler
 * (wrangler's rule for `.wasm` makes it a compiled module, which workerd requires).
 */
const wasmModuleImport = {
  name: 'wasm-module-import',
  setup(build) {
    build.onResolve({ filter: /^virtual:relationship-evaluator-wasm-module$/ }, () => ({ path: './relationship_evaluator_bg.wasm', external: true }));
  },
};

const common = {
  bundle: true,
  format: 'esm',
  target: 'es2022',
  outdir: dist,
  entryNames: '[name]',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  define: { __PACKAGE_VERSION__: JSON.stringify(version) },
};

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

// Browser-side builds: the main entry, the entry for code already in a worker, the worker
// itself, the inline-wasm entry and the React hooks (which import the package by name, so the
// consumer's bundler picks the right condition); and the Deno and workerd entries, which use
// only web APIs besides Deno.readFile and the imported wasm module.
await esbuild.build({
  ...common,
  platform: 'neutral',
  mainFields: ['module', 'main'],
  splitting: true,
  chunkNames: 'chunk-[hash]',
  entryPoints: {
    index: 'js/entries/browser.ts',
    'index.worker': 'js/entries/worker.ts',
    worker: 'worker/entry.ts',
    inline: 'js/entries/inline.ts',
    react: 'js/react.ts',
    offline: 'js/offline/index.ts',
    'index.deno': 'js/entries/deno.ts',
    'index.workerd': 'js/entries/workerd.ts',
  },
  external: ['react', '@meshery/relationship-evaluator'],
  plugins: [relativeGlueUrl, externalJsEngine, inlineWasm, wasmModuleImport],
});

// The JavaScript engine: the wasm2js build, one self-contained file loaded on demand.
await esbuild.build({ ...common, platform: 'neutral', minify: true, entryPoints: { 'js-engine': 'js/js-engine.ts' } });

// Node: the entry and the command line (YAML and MessagePack bundled in, no runtime dependencies).
await esbuild.build({
  ...common,
  platform: 'node',
  splitting: true,
  chunkNames: 'node-chunk-[hash]',
  entryPoints: { 'index.node': 'js/entries/node.ts', cli: 'js/bin.ts' },
  // yaml is CommonJS on Node and requires builtins: give the ESM bundle a `require`.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [relativeGlueUrl, externalJsEngine],
});

// CommonJS for `require()` on Node versions without require-ESM: the Node entry and the React
// hooks. `import.meta.url` (where the wasm is) becomes the file's own URL; the JavaScript engine
// stays the shared ESM file, loaded by `import()`, which CommonJS has too.
await esbuild.build({
  ...common,
  format: 'cjs',
  platform: 'node',
  outExtension: { '.js': '.cjs' },
  entryPoints: { 'index.node': 'js/entries/node.ts', react: 'js/react.ts' },
  external: ['react', '@meshery/relationship-evaluator'],
  define: { ...common.define, 'import.meta.url': '__filename_url' },
  banner: { js: "const __filename_url = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [relativeGlueUrl, externalJsEngine],
});
const cli = join(dist, 'cli.js');
writeFileSync(cli, `#!/usr/bin/env node\n${readFileSync(cli, 'utf8')}`, { mode: 0o755 });

copyFileSync(wasmPath, join(dist, 'relationship_evaluator_bg.wasm'));

// Type declarations of the public entry points.
execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });

const sizes = ['index.js', 'worker.js', 'index.node.js', 'inline.js', 'js-engine.js', 'relationship_evaluator_bg.wasm']
  .map((file) => `${file} ${(readFileSync(join(dist, file)).length / 1024).toFixed(0)} KB`);
console.log(`dist/: ${sizes.join(', ')}`);
