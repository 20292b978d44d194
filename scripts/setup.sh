#!/usr/bin/env bash
# Installs what the build and the tests need, skipping whatever is already present (idempotent).
# The recipe and its pitfalls: ../shared/TOOLCHAIN.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# 1. Debian packages for browser tests, only when missing.
need=""
for package in chromium chromium-driver; do
  dpkg -s "$package" >/dev/null 2>&1 || need="$need $package"
done
if [ -n "$need" ]; then
  echo "setup: installing$need"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

# 2. rustfmt and clippy (the gates of scripts/test.sh), then the wasm32 target.
for component in rustfmt clippy; do
  rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

# 3. wasm-bindgen CLI at exactly the version in Cargo.lock (no --locked: see TOOLCHAIN.md pitfall 2).
wbg=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3}' Cargo.lock)
if [ -n "$wbg" ] && [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg" ]; then
  echo "setup: installing wasm-bindgen-cli $wbg"
  cargo install wasm-bindgen-cli --version "$wbg" --force --quiet
fi

# 4. JavaScript dependencies from the committed lockfile.
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# 5. Crate sources.
cargo fetch --quiet

# 6. Fuzzing (scripts/fuzz.sh): a nightly toolchain, which libFuzzer's instrumentation needs, and
# cargo-fuzz; then the fuzz crate's sources.
host=$(rustc -vV | sed -n 's/^host: //p')
rustup toolchain list | grep -q "^nightly-$host" || rustup toolchain install nightly --profile minimal
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "setup: installing cargo-fuzz"
  cargo install cargo-fuzz --locked --quiet
fi
cargo fetch --quiet --manifest-path fuzz/Cargo.toml

# 7. Deno, Bun and workerd for the runtime tests (pinned in tests/js/runtimes/toolchain).
bash scripts/setup-runtimes.sh

# 8. Vite 5, 6 and 8 and Next.js for the bundler tests (pinned in tests/js/bundlers/toolchain).
bash scripts/setup-bundlers.sh

# 9. The Go module's dependencies (wazero, yaml) from the Go module proxy.
bash scripts/setup-go.sh
