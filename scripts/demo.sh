#!/usr/bin/env bash
# Builds the demo when needed (the npm package into dist/ first, if it is missing) and serves it
# on 127.0.0.1; prints the URL. PORT=8080 ./scripts/demo.sh picks the port (default 5173, or a
# free one when 5173 is taken).
set -euo pipefail
cd "$(dirname "$0")/.."

# A fresh machine: install the toolchain and the JavaScript dependencies first (idempotent).
if [ ! -d node_modules ] || ! command -v wasm-bindgen >/dev/null 2>&1 ||
   ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  bash scripts/setup.sh
fi

newest_source=$(find demo scripts/build-demo.mjs dist -type f -newer target/demo/sw.js 2>/dev/null | head -n 1 || true)
if [ ! -f target/demo/sw.js ] || [ -n "$newest_source" ]; then
  node scripts/build-demo.mjs
fi

port="${PORT:-5173}"
if ! node -e "const s=require('net').createServer().once('error',()=>process.exit(1)).listen($port,'127.0.0.1',()=>s.close())"; then
  echo "demo: port $port is taken, using a free one"
  port=0
fi
echo "demo: open the URL below (Ctrl+C stops the server)"
exec node scripts/serve-demo.mjs "$port"
