#!/usr/bin/env bash
# The packed tarball in Deno, Bun and workerd against Node (tests/js/runtimes). Needs the built
# package (scripts/build.sh) and the runtimes (scripts/setup-runtimes.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
node --test tests/js/runtimes/*.test.mjs 2>&1
