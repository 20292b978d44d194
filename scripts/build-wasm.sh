#!/usr/bin/env bash
# Builds the WebAssembly package into pkg/web: cargo (profile `wasm-release`: release settings at
# opt-level "s") → wasm-bindgen (--target web) → wasm-opt (npm binaryen; Debian's binaryen breaks
# the output, see ../shared/TOOLCHAIN.md). Size and speed figures: docs/performance.md.
#
# wasm-opt runs -Oz without inlining functions into their only caller
# (--one-caller-inline-max-function-size 0): that inlining shrinks the raw module by under 1% but
# makes it compress worse (brotli +8%, gzip +10%), and measured no faster. --converge repeats the
# passes until the module stops shrinking: 772 B brotli less (0.3%), for ~30 s more build time.
#
# Options, for benchmarks and size comparisons (the defaults build the shipped package):
#   --features LIST   cargo features (e.g. wee_alloc, boundary-bench)
#   --out-dir DIR     where the package goes (default pkg/web)
#   --profile NAME    cargo profile (default wasm-release; `release` = opt-level 3)
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
profile=wasm-release
out=pkg/web
features=()
while [ $# -gt 0 ]; do
  case $1 in
    --features) features=(--features "$2"); shift 2 ;;
    --out-dir) out=$2; shift 2 ;;
    --profile) profile=$2; shift 2 ;;
    *) echo "usage: $0 [--features LIST] [--out-dir DIR] [--profile NAME]" >&2; exit 2 ;;
  esac
done
profile_dir=$profile
[ "$profile" = dev ] && profile_dir=debug
cargo build --profile "$profile" --target wasm32-unknown-unknown --lib "${features[@]}"
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" "$target_dir/wasm32-unknown-unknown/$profile_dir/relationship_evaluator.wasm"
wasm=$out/relationship_evaluator_bg.wasm
node_modules/.bin/wasm-opt -Oz --converge --one-caller-inline-max-function-size 0 "$wasm" -o "$wasm"
raw=$(stat -c %s "$wasm")
gz=$(gzip -9c "$wasm" | wc -c)
br=$(node -e "const z=require('zlib');const b=require('fs').readFileSync(process.argv[1]);console.log(z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length)" "$wasm")
echo "$wasm: $raw bytes raw, $gz gzip, $br brotli"
