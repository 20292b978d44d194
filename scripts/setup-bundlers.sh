#!/usr/bin/env bash
# Installs Vite 5, 6 and 8 for the bundler matrix (tests/js/bundlers) from the npm registry, pinned
# by tests/js/bundlers/toolchain/package-lock.json under the aliases vite5, vite6 and vite8 (the
# root devDependencies carry Vite 7). They live in that folder so that `npm ci` of the package does
# not fetch three more bundlers that only this suite uses. Idempotent: skips the install when the
# pinned versions are present.
set -euo pipefail
cd "$(dirname "$0")/../tests/js/bundlers/toolchain"

installed() {
  npm ls --depth=0 >/dev/null 2>&1 &&
    for v in 5 6 8; do [ -f "node_modules/vite$v/dist/node/index.js" ] || return 1; done
}

if installed; then
  echo "setup-bundlers: present"
else
  npm ci --no-audit --no-fund --loglevel=error
  installed || { echo "setup-bundlers: a Vite version is missing after install" >&2; exit 1; }
fi
echo "setup-bundlers: $(for v in 5 6 8; do node -p "'vite ' + require('./node_modules/vite$v/package.json').version"; done | paste -sd, -)"
