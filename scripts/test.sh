#!/usr/bin/env bash
# Runs every test of the project: the native Rust core, the WebAssembly layer in Node and in
# headless Chromium (window and dedicated worker), and the JavaScript suites. Each runner's
# summary lines stay in the output.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each section's header says how long the run has taken so far, so CI's 30-minute budget shows
# where it goes.
section() {
  echo "== [$((SECONDS / 60))m$((SECONDS % 60))s] $*"
}
trap 'echo "== [$((SECONDS / 60))m$((SECONDS % 60))s] end (exit $?)"' EXIT

section "gates: cargo fmt --check, cargo clippy -D warnings (native with tests and examples, with the TypeScript generator, wasm-bindgen boundary, Go boundary), biome lint (TypeScript and JavaScript, warnings are errors)"
node_modules/.bin/biome lint --error-on-warnings 2>&1
cargo fmt --all --check
# src/lib.rs declares the inner modules through a macro (`inner_modules!`), which cargo fmt does
# not look into: every source file is checked by name.
find src -name '*.rs' -print0 | xargs -0 rustfmt --check --edition 2021
(cd fuzz && cargo fmt --check)
cargo clippy --all-targets -- -D warnings 2>&1
cargo clippy --all-targets --features typescript -- -D warnings 2>&1
cargo clippy --target wasm32-unknown-unknown --lib -- -D warnings 2>&1
cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --features cabi -- -D warnings 2>&1

section "cargo test (native core, with the TypeScript generator's own tests: feature typescript only adds its derives)"
cargo test --lib --tests --examples --features typescript 2>&1   # benches run with `cargo bench`, not in debug here
cargo test --doc 2>&1

section "the committed TypeScript declarations (js/generated/types.ts) are what the Rust types generate"
./scripts/generate-types.sh --check

section "fuzz smoke run (cargo fuzz, libFuzzer: evaluate_design, edit_batches, snapshot_restore, read_json; 20 s each)"
# CI's fixed seed (.ci/run) fixes the fuzzer's too: each CI run tries the same inputs in the same
# order (how many of them depends on the machine's speed).
FUZZ_SEED=${FUZZ_SEED:-${PROPTEST_RNG_SEED:-}} ./scripts/fuzz.sh 20

section "wasm-bindgen tests (Node, Chromium window, Chromium dedicated worker)"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER=/usr/bin/chromedriver
cargo test --target wasm32-unknown-unknown --test wasm_api 2>&1
cargo test --target wasm32-unknown-unknown --features panic-test --test wasm_poison --test wasm_trap 2>&1
WASM_BINDGEN_USE_BROWSER=1 cargo test --target wasm32-unknown-unknown --test wasm_api 2>&1
WASM_BINDGEN_USE_DEDICATED_WORKER=1 cargo test --target wasm32-unknown-unknown --test wasm_api 2>&1

section "build the wasm package"
./scripts/build-wasm.sh

section "node --test (the wasm package from Node)"
node --test tests/node/ 2>&1

section "Meshery Go-engine conformance of the wasm package (the native run's comparison, on the shipped artifact's responses)"
node tests/node/go-engine-responses.mjs target/go-engine-responses/wasm
GO_ENGINE_RESPONSES=target/go-engine-responses/wasm cargo test --test go_engine_conformance 2>&1

section "Go module (go/): committed engine fresh, go vet, go test -race (identity with the Rust CLI and the wasm package, corpus, containment, server, shadow rollout)"
RE_NODE_PKG=pkg/web ./scripts/test-go.sh 2>&1

section "build the JavaScript engine (wasm2js) and the npm package (dist/)"
./scripts/build-wasm2js.sh
node scripts/build-js.mjs

section "TypeScript: type-check the package sources and the tests (with js/engine-module.ts against both glues' own declarations)"
node_modules/.bin/tsc --noEmit -p tsconfig.json
node_modules/.bin/tsc -p tsconfig.test.json

section "node --test (the npm package: vitest unit suites, JS engine vs wasm conformance, types, CLI, exports; the malformed-input corpus through the wasm package and the JS engine)"
node --test tests/js/node/ 2>&1

section "node --test (the npm package in headless Chromium: worker, main thread, JS engine under CSP, figures; npm pack into Node, Vite and webpack projects)"
node --test tests/js/browser/*.e2e.mjs 2>&1

section "node --test (the packed tarball in Vite 5, 6, 7 and 8 apps: vite build and the dev server, with and without optimizeDeps.exclude; in a Next.js 16 app: the README component under next build + next start and next dev, with Turbopack and with webpack; in Chromium)"
node --test tests/js/bundlers/*.e2e.mjs 2>&1

section "node --test (the packed tarball in Deno, Bun, workerd and Chromium, byte-compared with Node; figures in target/js-artifacts/runtimes.json)"
bash scripts/test-runtimes.sh

section "node --test (the demo app in headless Chromium: nesting, network edges, relabelling, reload, offline; screenshots in target/demo-artifacts)"
node_modules/.bin/tsc -p demo/tsconfig.json
node --test tests/demo/*.e2e.mjs 2>&1
