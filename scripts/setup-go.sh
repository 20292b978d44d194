#!/usr/bin/env bash
# Installs what the Go module's build and tests need beyond scripts/setup.sh (idempotent): Go's
# module dependencies (wazero, yaml) from the Go module proxy. Go itself is on the machine.
set -euo pipefail
cd "$(dirname "$0")/../go"
command -v go >/dev/null || { echo "setup-go: Go is not installed (go.dev/dl)" >&2; exit 1; }
go mod download
