#!/usr/bin/env bash
# Runs every test of the project: the native Rust core, the WebAssembly layer in Node and in
# headless Chromium (window and dedicated worker), and the JavaScript suites. Each runner's
# summary lines stay in the output.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo test (native core)"
cargo test --all-targets 2>&1
cargo test --doc 2>&1

echo "== wasm-bindgen tests (Node, Chromium window, Chromium dedicated worker)"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER=/usr/bin/chromedriver
cargo test --target wasm32-unknown-unknown --test wasm_api 2>&1
cargo test --target wasm32-unknown-unknown --features panic-test --test wasm_poison 2>&1
WASM_BINDGEN_USE_BROWSER=1 cargo test --target wasm32-unknown-unknown --test wasm_api 2>&1
WASM_BINDGEN_USE_DEDICATED_WORKER=1 cargo test --target wasm32-unknown-unknown --test wasm_api 2>&1

echo "== build the wasm package"
./scripts/build-wasm.sh

echo "== node --test (the package from Node)"
node --test tests/node/ 2>&1
