#!/usr/bin/env bash
# Installs Deno, Bun and workerd for the runtime tests (tests/js/runtimes) from the npm registry,
# pinned by tests/js/runtimes/toolchain/package-lock.json. They live in that folder rather than
# in the root devDependencies so that `npm ci` of the package does not fetch three ~100 MB
# binaries that only this suite uses.
#
# Each package carries its binary in a platform optional dependency (@deno/linux-x64-glibc,
# @oven/bun-linux-x64, @cloudflare/workerd-linux-64); their postinstall scripts only move or link
# that binary into place (Bun's bin/bun.exe is a placeholder until then), and would fetch it
# from the npm registry only if the optional dependency were missing. Idempotent: skips the
# install when the pinned versions are present and each binary runs.
set -euo pipefail
cd "$(dirname "$0")/../tests/js/runtimes/toolchain"
bin=node_modules/.bin

installed() {
  npm ls --depth=0 >/dev/null 2>&1 &&
    "$bin/deno" --version >/dev/null 2>&1 &&
    "$bin/bun" --version >/dev/null 2>&1 &&
    "$bin/workerd" --version >/dev/null 2>&1
}

if installed; then
  echo "setup-runtimes: present"
else
  npm ci --no-audit --no-fund --loglevel=error
  installed || { echo "setup-runtimes: a runtime does not run after install" >&2; exit 1; }
fi
echo "setup-runtimes: $("$bin/deno" --version | head -1), bun $("$bin/bun" --version), $("$bin/workerd" --version)"
