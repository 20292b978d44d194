#!/usr/bin/env bash
# Tests the Go module (go/): the committed engine module is fresh, go vet, and go test -race with
# everything the cross-runtime tests compare against — the native Rust CLI, the Rust design
# generator and malformed-input corpus, the Node WebAssembly package and the test-only
# panic-test module. Missing tools fail the run here (RE_GO_REQUIRE_TOOLS=1) instead of skipping.
#
# RE_NODE_PKG=DIR reuses a package scripts/build-wasm.sh already built (CI builds pkg/web first);
# otherwise one is built into target/go-node-pkg.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-target}
case $target in /*) ;; *) target=$root/$target ;; esac

echo "== the committed go/embed/relationship_evaluator.wasm is rebuilt byte for byte"
scripts/build-go-wasm.sh --out "$target/go-wasm/rebuilt.wasm"
if ! cmp "$target/go-wasm/rebuilt.wasm" go/embed/relationship_evaluator.wasm; then
  echo "go/embed/relationship_evaluator.wasm is stale: run scripts/build-go-wasm.sh and commit it" >&2
  exit 1
fi

echo "== tools the Go tests compare against"
scripts/build-go-wasm.sh --features panic-test --out "$target/go-wasm/panic-test.wasm"
# Debug builds: `cargo test --examples` (scripts/test.sh) has built them already, and the
# comparison is of bytes, not speed.
cargo build --example evaluate --example generate-design --example malformed-corpus
"$target/debug/examples/malformed-corpus" > "$target/go-malformed-corpus.json"
if [ -z "${RE_NODE_PKG:-}" ]; then
  scripts/build-wasm.sh --out-dir "$target/go-node-pkg"
  RE_NODE_PKG=$target/go-node-pkg
fi
case $RE_NODE_PKG in /*) ;; *) RE_NODE_PKG=$root/$RE_NODE_PKG ;; esac

export RE_GO_REQUIRE_TOOLS=1 RE_NODE_PKG
export RE_RUST_CLI=$target/debug/examples/evaluate
export RE_GENERATE_DESIGN=$target/debug/examples/generate-design
export RE_MALFORMED_CORPUS=$target/go-malformed-corpus.json
export RE_GO_PANIC_TEST_WASM=$target/go-wasm/panic-test.wasm

cd go
echo "== go vet"
go vet ./...
echo "== go test -race"
go test -race -count=1 ./...
