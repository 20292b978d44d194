package evaluator

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/meshery/relationship-evaluator/go/internal/fixtures"
)

// Benchmarks of the Go module beside the native Rust core, on the synthetic designs of
// examples/generate-design (RE_GENERATE_DESIGN) and timed natively by examples/native-timings
// (RE_NATIVE_TIMINGS) in the same run; docs/performance.md ("Go module (wazero)") has the
// command and the figures.

var benchmarkSizes = []int{100, 1000, 10000}

type benchmarkDesigns struct {
	once  sync.Once
	files map[int]string
	err   error
}

var syntheticDesigns benchmarkDesigns

// syntheticDesign returns the path of a generated design of n components.
func syntheticDesign(b *testing.B, n int) string {
	generator := fixtures.Tool(b, "RE_GENERATE_DESIGN", "the Rust design generator")
	syntheticDesigns.once.Do(func() {
		dir, err := os.MkdirTemp("", "relationship-evaluator-bench-")
		if err != nil {
			syntheticDesigns.err = err
			return
		}
		syntheticDesigns.files = map[int]string{}
		for _, size := range benchmarkSizes {
			out, err := exec.Command(generator, fmt.Sprint(size)).Output()
			if err != nil {
				syntheticDesigns.err = err
				return
			}
			path := filepath.Join(dir, fmt.Sprintf("design-%d.json", size))
			syntheticDesigns.err = os.WriteFile(path, out, 0o644)
			syntheticDesigns.files[size] = path
		}
	})
	if syntheticDesigns.err != nil {
		b.Fatal(syntheticDesigns.err)
	}
	return syntheticDesigns.files[n]
}

func readFile(b *testing.B, path string) []byte {
	text, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return text
}

// BenchmarkEvaluate is Engine.Evaluate: design JSON in, EvaluationResponse JSON out (decode,
// evaluate, encode, copies across the boundary).
func BenchmarkEvaluate(b *testing.B) {
	for _, n := range benchmarkSizes {
		b.Run(fmt.Sprintf("components=%d", n), func(b *testing.B) {
			design := readFile(b, syntheticDesign(b, n))
			engine := newEngine(b, Options{MaxInstances: 1})
			if _, err := engine.Evaluate(context.Background(), design); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := engine.Evaluate(context.Background(), design); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(engine.Stats().MemoryBytes)/(1<<20), "instance-MiB")
		})
	}
}

// BenchmarkSessionEvaluate is Session.Evaluate on a loaded design: the call native-timings
// times as evaluateMs (a full evaluation of the current design, response encoded as JSON).
func BenchmarkSessionEvaluate(b *testing.B) {
	for _, n := range benchmarkSizes {
		b.Run(fmt.Sprintf("components=%d", n), func(b *testing.B) {
			ctx := context.Background()
			session, err := newEngine(b, Options{}).Open(ctx)
			if err != nil {
				b.Fatal(err)
			}
			defer session.Close(ctx)
			if _, err := session.LoadDesign(ctx, readFile(b, syntheticDesign(b, n))); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := session.Evaluate(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVersusNative interleaves, per iteration, one run of examples/native-timings (the Rust
// core natively, timed in-process: evaluateMs is a full evaluation of a loaded design, response
// encoded as JSON) with the same call through this module (Session.Evaluate, interruptible and
// with Options.NoInterrupt) and a one-shot Engine.Evaluate, so the ratio holds even when the machine's load changes during the run. Its
// ns/op is the whole iteration and is not a figure; read the custom metrics.
func BenchmarkVersusNative(b *testing.B) {
	native := fixtures.Tool(b, "RE_NATIVE_TIMINGS", "examples/native-timings (cargo build --release --example native-timings)")
	definitions := filepath.Join(b.TempDir(), "definitions.json")
	if err := os.WriteFile(definitions, kubernetesDefinitions(b), 0o644); err != nil {
		b.Fatal(err)
	}
	// native-timings needs at least one edit batch; a layer toggle touches no relationship.
	edits := filepath.Join(b.TempDir(), "edits.json")
	if err := os.WriteFile(edits, []byte(`[[{"op":"setLayer","layer":"bench","enabled":true}]]`), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, n := range benchmarkSizes {
		b.Run(fmt.Sprintf("components=%d", n), func(b *testing.B) {
			ctx := context.Background()
			path := syntheticDesign(b, n)
			design := readFile(b, path)
			engine := newEngine(b, Options{MaxInstances: 1})
			session, err := engine.Open(ctx)
			if err != nil {
				b.Fatal(err)
			}
			defer session.Close(ctx)
			if _, err := session.LoadDesign(ctx, design); err != nil {
				b.Fatal(err)
			}
			fast, err := newEngine(b, Options{MaxInstances: 1, NoInterrupt: true}).Open(ctx)
			if err != nil {
				b.Fatal(err)
			}
			defer fast.Close(ctx)
			if _, err := fast.LoadDesign(ctx, design); err != nil {
				b.Fatal(err)
			}
			var nativeMs, nativeLoadMs, wazeroMs, fastMs, oneShotMs float64
			for b.Loop() {
				out, err := exec.Command(native, path, edits, definitions, "--runs", "1").Output()
				if err != nil {
					b.Fatal(err)
				}
				var timings struct {
					EvaluateMs   float64 `json:"evaluateMs"`
					LoadDesignMs float64 `json:"loadDesignMs"`
				}
				if err := json.Unmarshal(out, &timings); err != nil {
					b.Fatal(err)
				}
				nativeMs += timings.EvaluateMs
				nativeLoadMs += timings.LoadDesignMs
				started := time.Now()
				if _, err := session.Evaluate(ctx); err != nil {
					b.Fatal(err)
				}
				wazeroMs += float64(time.Since(started)) / float64(time.Millisecond)
				started = time.Now()
				if _, err := fast.Evaluate(ctx); err != nil {
					b.Fatal(err)
				}
				fastMs += float64(time.Since(started)) / float64(time.Millisecond)
				started = time.Now()
				if _, err := engine.Evaluate(ctx, design); err != nil {
					b.Fatal(err)
				}
				oneShotMs += float64(time.Since(started)) / float64(time.Millisecond)
			}
			runs := float64(b.N)
			b.ReportMetric(nativeMs/runs, "native-evaluate-ms")
			b.ReportMetric(wazeroMs/runs, "wazero-evaluate-ms")
			b.ReportMetric(wazeroMs/nativeMs, "wazero/native")
			b.ReportMetric(fastMs/nativeMs, "nointerrupt/native")
			b.ReportMetric(nativeLoadMs/runs, "native-load-ms")
			b.ReportMetric(oneShotMs/runs, "wazero-oneshot-ms")
		})
	}
}

// BenchmarkInstantiate is the cost of one new pooled instance: instantiate the compiled module
// and parse the 38 Kubernetes definitions into its evaluator.
func BenchmarkInstantiate(b *testing.B) {
	engine := newEngine(b, Options{})
	ctx := context.Background()
	var memory uint32
	for b.Loop() {
		in, err := engine.newEvaluatorInstance(ctx)
		if err != nil {
			b.Fatal(err)
		}
		memory = in.memoryBytes()
		in.close(ctx)
	}
	b.ReportMetric(float64(memory)/(1<<20), "fresh-instance-MiB")
}

// BenchmarkEvaluateParallel is throughput with N goroutines sharing one Engine (pool of N) on
// the 1,000-component design.
func BenchmarkEvaluateParallel(b *testing.B) {
	for _, goroutines := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("goroutines=%d", goroutines), func(b *testing.B) {
			design := readFile(b, syntheticDesign(b, 1000))
			engine := newEngine(b, Options{MaxInstances: goroutines})
			b.ResetTimer()
			var wg sync.WaitGroup
			work := make(chan struct{})
			for range goroutines {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range work {
						if _, err := engine.Evaluate(context.Background(), design); err != nil {
							b.Error(err)
						}
					}
				}()
			}
			for range b.N {
				work <- struct{}{}
			}
			close(work)
			wg.Wait() // timed: the last evaluations belong to the run
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "designs/s")
		})
	}
}
