// Package evaluator runs Meshery's relationship evaluator — the Rust core of this repository,
// compiled to WebAssembly — in Go through wazero: pure Go, no cgo, and the same answers, byte for
// byte, as the browser and the Rust command line.
//
// An Engine is created once from relationship definitions and options and is safe for concurrent
// use: it keeps one compiled module and a pool of instances. Engine.Evaluate is the one-shot call
// behind Meshery's POST /api/registry/relationships/evaluate; Engine.Open starts a stateful
// Session for incremental edits.
package evaluator

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/meshery/relationship-evaluator/go/embed"
	"github.com/tetratelabs/wazero"
)

// Options configure an Engine. The zero value is usable.
type Options struct {
	// EngineOptions is the engine's options JSON (the same object the JavaScript package and the
	// Rust CLI's --options take, e.g. {"maxPasses":5}); empty means defaults.
	EngineOptions []byte
	// MaxInstances bounds the pool: at most this many evaluations run at once, further callers
	// wait (or give up when their context ends). Zero means runtime.GOMAXPROCS(0).
	MaxInstances int
	// MemoryLimitBytes caps the linear memory of each instance, rounded down to 64 KiB pages; an
	// evaluation that needs more fails with CodeLimitExceeded and its instance is discarded. Zero
	// means wazero's default (4 GiB).
	MemoryLimitBytes uint64
	// CompilationCache, when set, is shared by engines (wazero.NewCompilationCacheWithDir keeps
	// compiled code across processes). Nil means a cache private to the engine.
	CompilationCache wazero.CompilationCache
	// NoInterrupt compiles the engine without wazero's close-on-context-done checks, which run
	// at every loop iteration of the compiled code: evaluations run about 5x faster (see
	// docs/performance.md), but a context that ends no longer stops an evaluation already
	// running — it still stops waiting for an instance, and the call returns once the
	// evaluation finishes. Leave it off unless inputs are trusted and bounded by the engine's
	// limits (EngineOptions: maxPasses, maxComponents, …).
	NoInterrupt bool
	// Module replaces the embedded WebAssembly module (a custom or test build of the same
	// boundary). Nil means embed.Binary.
	Module []byte
}

// ErrClosed is returned by calls on an Engine or Session after Close.
var ErrClosed = errors.New("relationship evaluator: closed")

// Engine evaluates designs against one set of relationship definitions. It is safe for
// concurrent use. Close it to release its instances and compiled code.
type Engine struct {
	definitions []byte
	options     []byte
	runtime     wazero.Runtime
	compiled    wazero.CompiledModule
	pool        *pool
	// ownCache is the compilation cache the engine made for itself (closed with it).
	ownCache  wazero.CompilationCache
	closeOnce sync.Once
}

// New compiles the engine and checks the definitions (a JSON array of relationship definitions,
// v1beta2 or v1alpha3) and options by creating the first instance: errors in them are returned
// here as *Error.
func New(ctx context.Context, definitions []byte, options Options) (*Engine, error) {
	config := wazero.NewRuntimeConfig().WithCloseOnContextDone(!options.NoInterrupt)
	if options.MemoryLimitBytes > 0 {
		pages := options.MemoryLimitBytes / 65536
		if pages == 0 {
			pages = 1
		}
		config = config.WithMemoryLimitPages(uint32(min(pages, 65536)))
	}
	cache, ownCache := options.CompilationCache, options.CompilationCache == nil
	if ownCache {
		cache = wazero.NewCompilationCache()
	}
	config = config.WithCompilationCache(cache)
	binary := options.Module
	if binary == nil {
		binary = embed.Binary
	}
	rt := wazero.NewRuntimeWithConfig(ctx, config)
	compiled, err := rt.CompileModule(ctx, binary)
	if err != nil {
		_ = rt.Close(ctx)
		if ownCache {
			_ = cache.Close(ctx)
		}
		return nil, fmt.Errorf("compiling the engine: %w", err)
	}
	size := options.MaxInstances
	if size <= 0 {
		size = runtime.GOMAXPROCS(0)
	}
	e := &Engine{
		definitions: append([]byte(nil), definitions...),
		options:     append([]byte(nil), options.EngineOptions...),
		runtime:     rt,
		compiled:    compiled,
	}
	if ownCache {
		e.ownCache = cache
	}
	e.pool = newPool(size, e.newEvaluatorInstance)
	first, err := e.pool.get(ctx)
	if err != nil {
		_ = e.Close(ctx)
		return nil, err
	}
	e.pool.put(ctx, first)
	return e, nil
}

// newEvaluatorInstance instantiates the module and creates its evaluator from the engine's
// definitions and options.
func (e *Engine) newEvaluatorInstance(ctx context.Context) (*instance, error) {
	in, err := instantiate(ctx, e.runtime, e.compiled)
	if err != nil {
		return nil, err
	}
	if _, err := in.call(ctx, "re_init", e.definitions, e.options); err != nil {
		in.close(ctx)
		return nil, err
	}
	return in, nil
}

// Evaluate evaluates a design (JSON) and returns Meshery's EvaluationResponse as compact JSON:
// the same bytes as the browser package's evaluateDesign. Errors in the design are *Error; a
// trap inside the engine is *Error with CodeInternal (the instance is discarded, the engine goes
// on serving); when ctx ends the evaluation stops and the context's error is returned.
func (e *Engine) Evaluate(ctx context.Context, design []byte) ([]byte, error) {
	in, err := e.pool.get(ctx)
	if err != nil {
		return nil, err
	}
	defer e.pool.put(ctx, in)
	return in.call(ctx, "re_evaluate_design", design)
}

// Stats describes the pool, for metrics and tests.
type Stats struct {
	// Idle is the number of instances ready for a call; Busy the number in use.
	Idle, Busy int
	// Created and Discarded count instances over the engine's life (discarded: broken by a trap,
	// a cancelled call or the memory cap).
	Created, Discarded int64
	// MemoryBytes is the linear memory of the idle instances together.
	MemoryBytes uint64
}

// Stats reports the pool's state.
func (e *Engine) Stats() Stats {
	return e.pool.stats()
}

// Close releases every instance and the compiled module. Calls after Close return ErrClosed;
// calls still running are stopped.
func (e *Engine) Close(ctx context.Context) error {
	var err error
	e.closeOnce.Do(func() {
		e.pool.close(ctx)
		err = e.runtime.Close(ctx)
		if e.ownCache != nil {
			err = errors.Join(err, e.ownCache.Close(ctx))
		}
	})
	return err
}
