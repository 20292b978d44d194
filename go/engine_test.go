package evaluator

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/meshery/relationship-evaluator/go/internal/fixtures"
	"github.com/meshery/relationship-evaluator/go/loader"
	"github.com/tetratelabs/wazero"
)

func kubernetesDefinitions(t testing.TB) []byte {
	t.Helper()
	definitions, err := loader.Definitions(fixtures.KubernetesDefinitions())
	if err != nil {
		t.Fatal(err)
	}
	return definitions
}

func goEngineDesign(t testing.TB, name string) []byte {
	t.Helper()
	design, err := os.ReadFile(fixtures.Shared("fixtures", "meshery", "go-engine", name))
	if err != nil {
		t.Fatal(err)
	}
	return design
}

// testCache shares compiled code between the tests' engines (compiling takes about a second).
var testCache = wazero.NewCompilationCache()

func newEngine(t testing.TB, options Options) *Engine {
	t.Helper()
	if options.CompilationCache == nil {
		options.CompilationCache = testCache
	}
	engine, err := New(context.Background(), kubernetesDefinitions(t), options)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = engine.Close(context.Background()) })
	return engine
}

func TestEvaluateReturnsMesheryEvaluationResponse(t *testing.T) {
	engine := newEngine(t, Options{})
	response, err := engine.Evaluate(context.Background(), goEngineDesign(t, "design-N40-seed11.json"))
	if err != nil {
		t.Fatal(err)
	}
	var decoded struct {
		SchemaVersion string `json:"schemaVersion"`
		Design        struct {
			Components    []json.RawMessage `json:"components"`
			Relationships []json.RawMessage `json:"relationships"`
		} `json:"design"`
		EvaluationHash string `json:"evaluationHash"`
	}
	if err := json.Unmarshal(response, &decoded); err != nil {
		t.Fatal(err)
	}
	if decoded.SchemaVersion != "evaluation.meshery.io/v1beta1" || len(decoded.Design.Components) == 0 ||
		len(decoded.Design.Relationships) == 0 || decoded.EvaluationHash == "" {
		t.Fatalf("not an evaluated EvaluationResponse: %.300s", response)
	}
}

func TestEngineErrorsAreTypedWithCodeAndPath(t *testing.T) {
	engine := newEngine(t, Options{})
	tests := []struct {
		name, design, code, path string
	}{
		{"not JSON", `{"components": [`, CodeInvalidJSON, ""},
		{"components not an array", `{"id":"d","version":"0.0.1","components":5}`, CodeInvalidType, "/components"},
		{"duplicate component id", `{"id":"d","version":"0.0.1","components":[{"id":"a","component":{"kind":"Pod"}},{"id":"a","component":{"kind":"Pod"}}]}`, CodeDuplicateID, "/components/1/id"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			_, err := engine.Evaluate(context.Background(), []byte(test.design))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("want *Error, got %v", err)
			}
			if e.Code != test.code || e.Path != test.path {
				t.Fatalf("want %s at %q, got %v", test.code, test.path, e)
			}
		})
	}
	// An error is an answer, not a failure: the instance serves on.
	if stats := engine.Stats(); stats.Discarded != 0 {
		t.Fatalf("input errors discarded instances: %+v", stats)
	}
}

func TestNewRejectsBadDefinitionsAndOptions(t *testing.T) {
	tests := []struct {
		name, definitions, options, code string
	}{
		{"definitions not JSON", `[{`, ``, CodeInvalidJSON},
		{"definitions not an array", `{"kind":5}`, ``, CodeInvalidType},
		{"unknown option", `[]`, `{"noSuchOption":true}`, CodeInvalidOption},
		// The module has no clock: the option is refused, not silently ignored.
		{"includeTimestamp without a clock", `[]`, `{"includeTimestamp":true}`, CodeInvalidOption},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			engine, err := New(context.Background(), []byte(test.definitions), Options{EngineOptions: []byte(test.options), CompilationCache: testCache})
			var e *Error
			if !errors.As(err, &e) || e.Code != test.code {
				if engine != nil {
					_ = engine.Close(context.Background())
				}
				t.Fatalf("want %s, got %v", test.code, err)
			}
		})
	}
}

func TestManyGoroutinesShareOneEngine(t *testing.T) {
	engine := newEngine(t, Options{MaxInstances: 4})
	designs := [][]byte{goEngineDesign(t, "design-fx-kubernetes_basic.json"), goEngineDesign(t, "design-N40-seed11.json")}
	want := make([][]byte, len(designs))
	for i, design := range designs {
		response, err := engine.Evaluate(context.Background(), design)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = response
	}
	var wg sync.WaitGroup
	failures := make(chan string, 64)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 6 {
				which := (g + i) % len(designs)
				got, err := engine.Evaluate(context.Background(), designs[which])
				if err != nil {
					failures <- err.Error()
					return
				}
				if string(got) != string(want[which]) {
					failures <- "a concurrent evaluation answered different bytes"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(failures)
	for failure := range failures {
		t.Error(failure)
	}
	if stats := engine.Stats(); stats.Created > 4 || stats.Busy != 0 {
		t.Fatalf("the pool grew past its bound or leaked an instance: %+v", stats)
	}
}

func TestDeadlineStopsALongEvaluationAndThePoolServesOn(t *testing.T) {
	engine := newEngine(t, Options{MaxInstances: 1})
	big := goEngineDesign(t, "design-N600-seed13.json")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	started := time.Now()
	_, err := engine.Evaluate(ctx, big)
	elapsed := time.Since(started)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want the deadline's error, got %v", err)
	}
	if elapsed > 2*time.Second {
		t.Fatalf("the evaluation went on for %v after its deadline", elapsed)
	}
	if _, err := engine.Evaluate(context.Background(), goEngineDesign(t, "design-fx-kubernetes_basic.json")); err != nil {
		t.Fatalf("the pool did not serve after a cancelled call: %v", err)
	}
	if stats := engine.Stats(); stats.Discarded != 1 {
		t.Fatalf("the cancelled instance was not discarded: %+v", stats)
	}
}

func TestWithoutInterruptAnEvaluationRunsToItsEndAndTheInstanceIsKept(t *testing.T) {
	engine := newEngine(t, Options{MaxInstances: 1, NoInterrupt: true})
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	if _, err := engine.Evaluate(ctx, goEngineDesign(t, "design-N600-seed13.json")); err != nil {
		t.Fatalf("an uninterruptible evaluation answered %v", err)
	}
	if stats := engine.Stats(); stats.Discarded != 0 {
		t.Fatalf("the instance was discarded: %+v", stats)
	}
}

func TestACancelledWaitForAnInstanceReturns(t *testing.T) {
	engine := newEngine(t, Options{MaxInstances: 1})
	session := engine.pool
	held, err := session.get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer session.put(context.Background(), held)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := engine.Evaluate(ctx, []byte(`{}`)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want the deadline's error while every instance is busy, got %v", err)
	}
}

func TestMemoryLimitIsATypedErrorAndTheEngineRecovers(t *testing.T) {
	engine := newEngine(t, Options{MaxInstances: 1, MemoryLimitBytes: 4 << 20})
	_, err := engine.Evaluate(context.Background(), goEngineDesign(t, "design-N600-seed13.json"))
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeLimitExceeded {
		t.Fatalf("want %s past the memory cap, got %v", CodeLimitExceeded, err)
	}
	if _, err := engine.Evaluate(context.Background(), goEngineDesign(t, "design-fx-kubernetes_basic.json")); err != nil {
		t.Fatalf("a small design after the cap was hit: %v", err)
	}
}

func TestTenThousandSequentialCallsKeepMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 calls")
	}
	engine := newEngine(t, Options{MaxInstances: 1})
	design := goEngineDesign(t, "design-fx-kubernetes_basic.json")
	evaluate := func(n int) {
		for range n {
			if _, err := engine.Evaluate(context.Background(), design); err != nil {
				t.Fatal(err)
			}
		}
	}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	evaluate(1000) // warm: the instance's memory reaches its working size
	wasmBefore, heapBefore := engine.Stats().MemoryBytes, heap()
	evaluate(9000)
	wasmAfter, heapAfter := engine.Stats().MemoryBytes, heap()
	// Linear memory never shrinks, so any growth is a leak inside the instance.
	if wasmAfter != wasmBefore {
		t.Fatalf("instance memory grew from %d to %d bytes over 9,000 calls", wasmBefore, wasmAfter)
	}
	if heapAfter > heapBefore+4<<20 {
		t.Fatalf("Go heap grew from %d to %d bytes over 9,000 calls", heapBefore, heapAfter)
	}
	t.Logf("instance memory %d bytes; Go heap %d → %d bytes", wasmAfter, heapBefore, heapAfter)
}

func TestCallsAfterCloseReturnErrClosed(t *testing.T) {
	engine, err := New(context.Background(), []byte(`[]`), Options{CompilationCache: testCache})
	if err != nil {
		t.Fatal(err)
	}
	if err := engine.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := engine.Evaluate(context.Background(), []byte(`{}`)); !errors.Is(err, ErrClosed) {
		t.Fatalf("want ErrClosed, got %v", err)
	}
	if _, err := engine.Open(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("want ErrClosed from Open, got %v", err)
	}
}
