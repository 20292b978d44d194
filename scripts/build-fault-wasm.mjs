// Builds what the browser fault tests (tests/js/browser/faults.e2e.mjs) load, into
// target/fault-wasm/ (pkg/ and dist/ are left alone). Each part is skipped when it is up to date.
//
//   panic-test/   the package wasm built by scripts/build-wasm.sh itself (same cargo profile,
//                 wasm-bindgen, wasm-opt) with the `panic-test` feature, whose Evaluator has
//                 panicForTesting() and trapForTesting(); plus worker.js, the package's real worker
//                 (worker/entry.ts and its host, bundled with esbuild as scripts/build-js.mjs does)
//                 over that wasm, with tests/js/browser/pages/panicking-worker.src.js on top.
//   small-memory/relationship_evaluator_bg.wasm
//                 dist/'s wasm, byte for byte, except that its linear memory may not grow past
//                 SMALL_MEMORY_BYTES (the maximum of the memory section). The allocator then meets
//                 a failing `memory.grow`, as in a browser out of memory, and the glue of dist/
//                 still fits it. (`RUSTFLAGS="-C link-arg=--max-memory=…"` sets the same limit at
//                 link time, but RUSTFLAGS invalidate every dependency: a second full build.)
//
// Usage: node scripts/build-fault-wasm.mjs (importing the module only defines capMemory). Expects
// dist/ (scripts/build-wasm.sh, build-wasm2js.sh, build-js.mjs). Honours CARGO_TARGET_DIR like
// build-wasm.sh. At worst one cargo build of the crate itself (its dependencies are those of
// build-wasm.sh's build; ~40 s on 2 cores) and one wasm-opt run; each child is killed after 10 min.
// The feature switch makes the next plain build-wasm.sh in the same target dir recompile the crate
// (cargo keeps one cdylib per profile).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'target/fault-wasm');
/** 4 MiB: the Kubernetes definitions and a small design fit; a batch of ~1,500 components does not. */
export const SMALL_MEMORY_BYTES = 4 * 1024 * 1024;
const PAGE = 65536;

/** Newest modification time under `paths` (files or directories), in ms. */
function newest(paths) {
  let latest = 0;
  const visit = (path) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else latest = Math.max(latest, stat.mtimeMs);
  };
  for (const path of paths) if (existsSync(path)) visit(path);
  return latest;
}

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : -1);

/** `bytes` with the maximum of its (single, 32-bit) memory set to `maxPages`; nothing else changes. */
export function capMemory(bytes, maxPages) {
  if (bytes.readUInt32LE(0) !== 0x6d736100 || bytes.readUInt32LE(4) !== 1) throw new Error('not a wasm module (version 1)');
  const chunks = [bytes.subarray(0, 8)];
  let at = 8;
  const uleb = () => {
    let value = 0;
    let scale = 1;
    let byte;
    do {
      byte = bytes[at++];
      value += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte & 0x80);
    return value;
  };
  const encode = (value) => {
    const encoded = [];
    do {
      let byte = value & 0x7f;
      value = Math.floor(value / 128);
      if (value) byte |= 0x80;
      encoded.push(byte);
    } while (value);
    return encoded;
  };
  let patched = false;
  while (at < bytes.length) {
    const sectionStart = at;
    const id = bytes[at++];
    const size = uleb();
    const bodyStart = at;
    if (id === 5) {
      if (uleb() !== 1) throw new Error('expected exactly one memory');
      const flags = uleb();
      if (flags & ~1) throw new Error(`unsupported memory flags ${flags} (shared or 64-bit memory)`);
      const min = uleb();
      if (flags & 1) uleb();
      if (at !== bodyStart + size) throw new Error('unexpected bytes in the memory section');
      if (min > maxPages) throw new Error(`the module starts with ${min} pages, more than the cap of ${maxPages}`);
      const body = [1, 0x01, ...encode(min), ...encode(maxPages)];
      chunks.push(Uint8Array.from([5, ...encode(body.length), ...body]));
      patched = true;
    } else {
      chunks.push(bytes.subarray(sectionStart, bodyStart + size));
    }
    at = bodyStart + size;
  }
  if (!patched) throw new Error('no memory section (an imported memory cannot be capped here)');
  return Buffer.concat(chunks);
}

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env }, timeout: 600_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.error ?? `exit ${result.status}`})`);
}

function smallMemory() {
  const input = join(root, 'dist/relationship_evaluator_bg.wasm');
  const output = join(out, 'small-memory/relationship_evaluator_bg.wasm');
  if (!existsSync(input)) throw new Error(`${input} is missing: build the package first (scripts/build-wasm.sh, build-wasm2js.sh, build-js.mjs)`);
  if (mtime(output) > mtime(input) && mtime(output) > mtime(fileURLToPath(import.meta.url))) return;
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, capMemory(readFileSync(input), SMALL_MEMORY_BYTES / PAGE));
  console.log(`build-fault-wasm: ${output} (memory capped at ${SMALL_MEMORY_BYTES} bytes)`);
}

async function panicTest() {
  const dir = join(out, 'panic-test');
  const wasmStamp = join(dir, 'relationship_evaluator_bg.wasm');
  const sources = ['src', 'Cargo.toml', 'Cargo.lock', 'scripts/build-wasm.sh'].map((path) => join(root, path));
  if (mtime(wasmStamp) <= newest(sources)) {
    run('bash', ['scripts/build-wasm.sh', '--features', 'panic-test', '--out-dir', dir]);
  }
  const worker = join(dir, 'worker.js');
  const workerSources = ['js', 'worker', 'tests/js/browser/pages/panicking-worker.src.js', 'scripts/build-fault-wasm.mjs'].map((path) => join(root, path));
  if (mtime(worker) > Math.max(newest(workerSources), mtime(wasmStamp))) return;
  const glue = join(dir, 'relationship_evaluator.js');
  await esbuild.build({
    entryPoints: [join(root, 'tests/js/browser/pages/panicking-worker.src.js')],
    outfile: worker,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    logLevel: 'warning',
    plugins: [{
      name: 'panic-test-glue',
      setup(build) {
        // Every import of the package's glue (js/load.ts and the test hook) gets the panic-test glue.
        build.onResolve({ filter: /pkg[\\/]web[\\/]relationship_evaluator\.js$/ }, () => ({ path: glue }));
        // The worker's entry runs for its effects (package.json lists only dist/worker.js as such).
        build.onResolve({ filter: /worker[\\/]entry\.ts$/ }, (args) => ({ path: resolve(args.resolveDir, args.path), sideEffects: true }));
        // The JavaScript engine is not part of this worker.
        build.onResolve({ filter: /^\.\/js-engine\.js$/ }, (args) => (args.kind === 'dynamic-import' ? { path: './js-engine.js', external: true } : undefined));
      },
    }],
  });
  console.log(`build-fault-wasm: ${worker}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  smallMemory();
  await panicTest();
}
