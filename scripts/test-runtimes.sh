#!/usr/bin/env bash
# The packed tarball in Deno, Bun, workerd and Chromium against Node (tests/js/runtimes). Needs
# the built package (scripts/build.sh), the runtimes (scripts/setup-runtimes.sh) and Chromium
# (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
node --test tests/js/runtimes/*.test.mjs 2>&1
