package main

import (
	"os"
	"path/filepath"

	"github.com/tetratelabs/wazero"
)

// compilationCache keeps the compiled engine in the user's cache directory, so only the first
// run of the command pays for compiling it (about a second); nil (compile every time) when there
// is no usable cache directory.
func compilationCache() wazero.CompilationCache {
	dir, err := os.UserCacheDir()
	if err != nil {
		return nil
	}
	cache, err := wazero.NewCompilationCacheWithDir(filepath.Join(dir, "relationship-evaluator", "wazero"))
	if err != nil {
		return nil
	}
	return cache
}
