#!/usr/bin/env bash
# Installs the bundler matrix of tests/js/bundlers from the npm registry, pinned by
# tests/js/bundlers/toolchain/package-lock.json: Vite 5, 6 and 8 under the aliases vite5, vite6
# and vite8 (the root devDependencies carry Vite 7), and Next.js with the React it runs (its SWC
# binary is the optional dependency @next/swc-linux-x64-gnu). They live in that folder so that
# `npm ci` of the package does not fetch bundlers that only this suite uses. Idempotent: skips the
# install when the pinned versions are present.
set -euo pipefail
cd "$(dirname "$0")/../tests/js/bundlers/toolchain"

installed() {
  npm ls --depth=0 >/dev/null 2>&1 &&
    for v in 5 6 8; do [ -f "node_modules/vite$v/dist/node/index.js" ] || return 1; done &&
    [ -f node_modules/next/dist/bin/next ] &&
    # Next.js compiles with its SWC binary (Linux glibc here); loading it proves it installed and runs.
    node -e "require('@next/swc-' + process.platform + '-' + process.arch + '-gnu')" 2>/dev/null
}

if installed; then
  echo "setup-bundlers: present"
else
  npm ci --no-audit --no-fund --loglevel=error
  installed || { echo "setup-bundlers: a bundler (Vite 5/6/8, Next.js or its SWC binary) is missing after install" >&2; exit 1; }
fi
echo "setup-bundlers: $({ for v in 5 6 8; do node -p "'vite ' + require('./node_modules/vite$v/package.json').version"; done; node -p "'next ' + require('./node_modules/next/package.json').version"; } | paste -sd, -)"
