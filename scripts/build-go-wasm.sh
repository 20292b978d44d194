#!/usr/bin/env bash
# Builds the engine for the Go module: the core with the plain C-ABI boundary (src/cabi/, feature
# `cabi`, no wasm-bindgen) for wasm32-unknown-unknown → wasm-opt (npm binaryen; Debian's breaks
# wasm, see ../shared/TOOLCHAIN.md) → go/embed/relationship_evaluator.wasm, which is committed.
#
# The output is byte-identical wherever the clone sits: absolute paths (this checkout, the cargo
# home) are remapped, names and producers are stripped, and Cargo.lock pins every crate.
# scripts/test-go.sh rebuilds it and fails when the committed file differs.
#
# Options:
#   --features LIST   extra cargo features (panic-test builds the test-only trapping exports)
#   --out FILE        where the module goes (default go/embed/relationship_evaluator.wasm)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd -P)
features=cabi
out=go/embed/relationship_evaluator.wasm
while [ $# -gt 0 ]; do
  case $1 in
    --features) features="cabi,$2"; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: $0 [--features LIST] [--out FILE]" >&2; exit 2 ;;
  esac
done
cargo_home=${CARGO_HOME:-$HOME/.cargo}
target_dir=${CARGO_TARGET_DIR:-target}/go-wasm
# Release (opt-level 3), not wasm-release ("s"): a server cares for speed more than for bytes.
RUSTFLAGS="--remap-path-prefix=$root=/relationship-evaluator --remap-path-prefix=$cargo_home=/cargo" \
  cargo build --release --target wasm32-unknown-unknown --lib --no-default-features --features "$features" \
  --target-dir "$target_dir"
mkdir -p "$(dirname "$out")"
node_modules/.bin/wasm-opt -O3 --strip-debug --strip-producers \
  "$target_dir/wasm32-unknown-unknown/release/relationship_evaluator.wasm" -o "$out"
echo "$out: $(stat -c %s "$out") bytes, sha256 $(sha256sum "$out" | cut -c1-16)…"
