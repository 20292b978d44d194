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
raw=$(stat -c %s "$out/relationship_evaluator_bg.wasm.js")
gz=$(gzip -9c "$out/relationship_evaluator_bg.wasm.js" | wc -c)
echo "$out/relationship_evaluator_bg.wasm.js: $raw bytes raw, $gz gzip"
