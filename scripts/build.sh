#!/usr/bin/env bash
# `npm run build`: the whole package into dist/ — cargo → wasm-bindgen → wasm-opt (pkg/web),
# the wasm2js JavaScript engine (pkg/wasm2js), then esbuild bundles and tsc declarations.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-wasm.sh
bash scripts/build-wasm2js.sh
node scripts/build-js.mjs
