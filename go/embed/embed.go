// Package embed holds the engine compiled to WebAssembly: the Rust core of this repository with its
// plain C-ABI boundary (src/cabi), built by scripts/build-go-wasm.sh. The file is committed so
// that `go get` is all a Go user needs; CI rebuilds it from source and fails when it is stale.
package embed

import _ "embed"

// Binary is the WebAssembly module. Treat it as read-only.
//
//go:embed relationship_evaluator.wasm
var Binary []byte
