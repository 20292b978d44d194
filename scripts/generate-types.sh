#!/usr/bin/env bash
# Generates the npm package's TypeScript declarations from the Rust types into
# js/generated/types.ts, which is committed: src/typescript.rs (feature `typescript`: ts-rs
# derives on the Rust types, native only, no shipped build has them) writes them, biome formats
# them (biome.json formats js/generated/ only).
#
# With --check, writes nothing and fails when the committed file differs from what the Rust
# source generates (scripts/test.sh runs it so).
set -euo pipefail
cd "$(dirname "$0")/.."
out=js/generated/types.ts
check=false
case ${1:-} in
  '') ;;
  --check) check=true ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
generated=$(mktemp)
trap 'rm -f "$generated"' EXIT
cargo run --quiet --features typescript --example generate-types |
  node_modules/.bin/biome format --stdin-file-path="$out" > "$generated"
if $check; then
  if ! cmp -s "$generated" "$out"; then
    diff -u "$out" "$generated" | head -60 || true
    echo "$out is not what the Rust types generate: run scripts/generate-types.sh and commit the result" >&2
    exit 1
  fi
  echo "$out is what the Rust types generate"
else
  mkdir -p "$(dirname "$out")"
  cp "$generated" "$out"
  echo "wrote $out"
fi
