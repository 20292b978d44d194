#!/usr/bin/env bash
# Builds the WebAssembly package into pkg/web: cargo (release) → wasm-bindgen (--target web) →
# wasm-opt -Oz (npm binaryen; Debian's binaryen breaks the output, see ../shared/TOOLCHAIN.md).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
cargo build --release --target wasm32-unknown-unknown --lib
rm -rf pkg/web
wasm-bindgen --target web --out-dir pkg/web "$target_dir/wasm32-unknown-unknown/release/relationship_evaluator.wasm"
node_modules/.bin/wasm-opt -Oz pkg/web/relationship_evaluator_bg.wasm -o pkg/web/relationship_evaluator_bg.wasm
raw=$(stat -c %s pkg/web/relationship_evaluator_bg.wasm)
gz=$(gzip -9c pkg/web/relationship_evaluator_bg.wasm | wc -c)
br=$(node -e "const z=require('zlib');const b=require('fs').readFileSync('pkg/web/relationship_evaluator_bg.wasm');console.log(z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length)")
echo "pkg/web/relationship_evaluator_bg.wasm: $raw bytes raw, $gz gzip, $br brotli"
