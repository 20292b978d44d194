#!/usr/bin/env bash
# Builds the JavaScript engine (pkg/wasm2js): the same Rust source compiled for the MVP wasm
# feature set, then turned into plain JavaScript by binaryen's wasm2js. Loaded only when the host
# has no WebAssembly (or forbids compiling it, e.g. a CSP without 'wasm-unsafe-eval').
# Recipe and pitfalls: ../shared/TOOLCHAIN.md, section "JS fallback via wasm2js".
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}/mvp"
out=pkg/wasm2js
features="--enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals"

# 1. MVP build in its own target dir (other RUSTFLAGS would otherwise invalidate the main build).
RUSTFLAGS="-C target-cpu=mvp" cargo build --release --target wasm32-unknown-unknown --lib --target-dir "$target_dir"
# 2. Strip the target-features section, else wasm-bindgen emits an externref table wasm2js rejects.
node_modules/.bin/wasm-opt "$target_dir/wasm32-unknown-unknown/release/relationship_evaluator.wasm" \
  --detect-features --strip-target-features -o "$target_dir/mvp.wasm"
rm -rf "$out"
wasm-bindgen --target bundler --out-name relationship_evaluator --out-dir "$out" "$target_dir/mvp.wasm"
# 3. Optimise, then translate to JavaScript.
node_modules/.bin/wasm-opt -Oz $features "$out/relationship_evaluator_bg.wasm" -o "$target_dir/opt.wasm"
node_modules/.bin/wasm2js $features -O "$target_dir/opt.wasm" -o "$out/relationship_evaluator_bg.wasm.js"
rm "$out/relationship_evaluator_bg.wasm" "$out/relationship_evaluator_bg.wasm.d.ts"
sed -i 's#"./relationship_evaluator_bg.wasm"#"./relationship_evaluator_bg.wasm.js"#' "$out/relationship_evaluator.js"
# 4. wasm2js keeps the old buffer (undetached) when memory grows, so the glue's cached views go
#    stale: compare buffers instead of checking for a detached (zero-length) one.
node - "$out/relationship_evaluator_bg.js" <<'NODE'
const fs = require('fs');
const file = process.argv[2];
const before = fs.readFileSync(file, 'utf8');
const pattern = /(cached\w+Memory0) === null \|\| \1\.(byteLength === 0|buffer\.detached === true|buffer !== wasm\.memory\.buffer)/g;
let count = 0;
const after = before.replace(pattern, (_, name) => { count++; return `${name} === null || ${name}.buffer !== wasm.memory.buffer`; });
const getters = (before.match(/function get\w+Memory0\(\)/g) || []).length;
if (count === 0 || count < getters) {
  console.error(`build-wasm2js: patched ${count} memory-view caches but found ${getters} getters; the glue changed shape`);
  process.exit(1);
}
fs.writeFileSync(file, after);
NODE
# 5. wasm2js grows memory by allocating a buffer of exactly the new size and copying everything
#    into it, on every grow: a big design grows memory hundreds of times (200,000 components:
#    256 grows, 14.8 GB copied). Grow the backing buffer geometrically instead (×1.5, at least
#    what is asked), keeping the page count the module sees exact, and answer -1 when no buffer
#    that large can be had, as memory.grow does (the allocator then reports the exhaustion).
node - "$out/relationship_evaluator_bg.wasm.js" <<'NODE'
const fs = require('fs');
const file = process.argv[2];
const before = fs.readFileSync(file, 'utf8');
const size = /function __wasm_memory_size\(\) \{\n\s*return buffer\.byteLength >> 16;\n\s*\}/;
const grow = /function __wasm_memory_grow\(pagesToAdd\) \{[\s\S]*?\n \}\n/;
if (!size.test(before) || !grow.test(before)) {
  console.error('build-wasm2js: __wasm_memory_size/__wasm_memory_grow changed shape; memory growth not patched');
  process.exit(1);
}
const after = before
  .replace(size, `var logicalPages = -1;
 function __wasm_memory_size() {
  if (logicalPages < 0) logicalPages = buffer.byteLength >> 16;
  return logicalPages;
 }`)
  .replace(grow, `function __wasm_memory_grow(pagesToAdd) {
  pagesToAdd = pagesToAdd | 0;
  var oldPages = __wasm_memory_size() | 0;
  var newPages = oldPages + pagesToAdd | 0;
  if (newPages < oldPages || newPages >= 65536) return -1;
  if (newPages * 65536 > buffer.byteLength) {
   var capacity = Math.min(65535, Math.max(newPages, Math.ceil(buffer.byteLength / 65536 * 1.5)));
   var newBuffer;
   try {
    newBuffer = new ArrayBuffer(capacity * 65536);
   } catch (e) {
    try {
     newBuffer = new ArrayBuffer(newPages * 65536);
    } catch (e2) {
     return -1;
    }
   }
   new Int8Array(newBuffer).set(HEAP8);
   HEAP8 = new Int8Array(newBuffer);
   HEAP16 = new Int16Array(newBuffer);
   HEAP32 = new Int32Array(newBuffer);
   HEAPU8 = new Uint8Array(newBuffer);
   HEAPU16 = new Uint16Array(newBuffer);
   HEAPU32 = new Uint32Array(newBuffer);
   HEAPF32 = new Float32Array(newBuffer);
   HEAPF64 = new Float64Array(newBuffer);
   buffer = newBuffer;
   bufferView = HEAPU8;
  }
  logicalPages = newPages;
  return oldPages;
 }
`);
fs.writeFileSync(file, after);
NODE
raw=$(stat -c %s "$out/relationship_evaluator_bg.wasm.js")
gz=$(gzip -9c "$out/relationship_evaluator_bg.wasm.js" | wc -c)
echo "$out/relationship_evaluator_bg.wasm.js: $raw bytes raw, $gz gzip"
