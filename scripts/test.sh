#!/usr/bin/env bash
# Runs every test of the project: the native Rust core, then (once they exist) the wasm and
# JavaScript suites. Each runner's summary lines stay in the output.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo test (native core)"
cargo test --all-targets 2>&1
cargo test --doc 2>&1
