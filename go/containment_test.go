package evaluator

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/meshery/relationship-evaluator/go/internal/fixtures"
)

// panicTestEngine is an engine over the test-only build (cargo feature panic-test), whose extra
// exports panic or loop forever on purpose.
func panicTestEngine(t *testing.T, options Options) *Engine {
	t.Helper()
	module, err := os.ReadFile(fixtures.Tool(t, "RE_GO_PANIC_TEST_WASM", "the panic-test build (scripts/build-go-wasm.sh --features panic-test)"))
	if err != nil {
		t.Fatal(err)
	}
	options.Module = module
	return newEngine(t, options)
}

// callPooled runs one export on a pooled instance, as Evaluate does.
func callPooled(ctx context.Context, engine *Engine, export string) error {
	in, err := engine.pool.get(ctx)
	if err != nil {
		return err
	}
	defer engine.pool.put(ctx, in)
	_, err = in.call(ctx, export)
	return err
}

func TestAPanicInWasmIsAnErrorAndThePoolServesOn(t *testing.T) {
	engine := panicTestEngine(t, Options{MaxInstances: 1})
	err := callPooled(context.Background(), engine, "re_panic_for_testing")
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeInternal {
		t.Fatalf("want %s after a panic, got %v", CodeInternal, err)
	}
	if _, err := engine.Evaluate(context.Background(), goEngineDesign(t, "design-N40-seed11.json")); err != nil {
		t.Fatalf("the pool did not serve after a panic: %v", err)
	}
	if stats := engine.Stats(); stats.Discarded != 1 || stats.Created != 2 {
		t.Fatalf("the panicked instance was not replaced: %+v", stats)
	}
}

func TestAPanickedSessionIsPoisoned(t *testing.T) {
	engine := panicTestEngine(t, Options{})
	session, _ := openLoaded(t, engine)
	if _, err := session.call(context.Background(), "re_panic_for_testing"); err == nil {
		t.Fatal("the panic was not reported")
	}
	_, err := session.Evaluate(context.Background())
	var e *Error
	if !errors.As(err, &e) || e.Code != CodePoisoned {
		t.Fatalf("want %s after a panic, got %v", CodePoisoned, err)
	}
}

func TestCancellingARunawayCallReturnsPromptly(t *testing.T) {
	engine := panicTestEngine(t, Options{MaxInstances: 1})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	started := time.Now()
	err := callPooled(ctx, engine, "re_spin_for_testing")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if elapsed := time.Since(started); elapsed > 2*time.Second {
		t.Fatalf("the runaway call stopped %v after it was cancelled", elapsed)
	}
	if _, err := engine.Evaluate(context.Background(), goEngineDesign(t, "design-N40-seed11.json")); err != nil {
		t.Fatalf("the pool did not serve after a cancelled runaway call: %v", err)
	}
}
