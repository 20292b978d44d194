package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	evaluator "github.com/meshery/relationship-evaluator/go"
	"github.com/meshery/relationship-evaluator/go/internal/fixtures"
	"github.com/meshery/relationship-evaluator/go/loader"
)

// conformanceDesigns are the whole designs of the conformance material plus synthetic designs of
// 100 and 1,000 components made by the Rust generator (examples/generate-design).
func conformanceDesigns(t *testing.T) []string {
	t.Helper()
	var designs []string
	for _, pattern := range []string{
		fixtures.Shared("fixtures", "meshery", "designs", "*.yaml"),
		fixtures.Shared("fixtures", "meshery", "go-engine", "design-*.json"),
	} {
		matches, err := filepath.Glob(pattern)
		if err != nil || len(matches) == 0 {
			t.Fatalf("no designs at %s", pattern)
		}
		designs = append(designs, matches...)
	}
	generator := fixtures.Tool(t, "RE_GENERATE_DESIGN", "the Rust design generator (cargo build --example generate-design)")
	for _, size := range []string{"100", "1000"} {
		out, err := exec.Command(generator, size).Output()
		if err != nil {
			t.Fatalf("generate-design %s: %v", size, err)
		}
		path := filepath.Join(t.TempDir(), "synthetic-"+size+".json")
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		designs = append(designs, path)
	}
	return designs
}

// TestResponsesAreByteIdenticalAcrossRuntimes runs every conformance design through the Rust CLI
// (native), this command (Go over wazero) and the Node WebAssembly package, and requires the same
// bytes: the command's printout equals the Rust CLI's, and the engine's compact response equals
// the Node package's evaluateDesign.
func TestResponsesAreByteIdenticalAcrossRuntimes(t *testing.T) {
	rustCLI := fixtures.Tool(t, "RE_RUST_CLI", "the native Rust CLI (cargo build --example evaluate)")
	nodePackage := fixtures.Tool(t, "RE_NODE_PKG", "the Node WebAssembly package (scripts/build-wasm.sh)")
	designs := conformanceDesigns(t)
	relationships := fixtures.KubernetesDefinitions()

	ctx := context.Background()
	definitions, err := loader.Definitions(relationships)
	if err != nil {
		t.Fatal(err)
	}
	engine, err := evaluator.New(ctx, definitions, evaluator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer engine.Close(ctx)

	// The Node package reads JSON: YAML designs go to it converted, as to the Go engine.
	scratch := t.TempDir()
	definitionsFile := filepath.Join(scratch, "definitions.json")
	if err := os.WriteFile(definitionsFile, definitions, 0o644); err != nil {
		t.Fatal(err)
	}
	jsonDesigns := make([]string, len(designs))
	for i, design := range designs {
		text, err := loader.Document(design, nil)
		if err != nil {
			t.Fatal(err)
		}
		jsonDesigns[i] = filepath.Join(scratch, fmt.Sprintf("design-%d.json", i))
		if err := os.WriteFile(jsonDesigns[i], text, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	nodeOut := t.TempDir()
	node := exec.Command("node", append([]string{"testdata/node-evaluate.mjs", nodePackage, definitionsFile, "", nodeOut}, jsonDesigns...)...)
	if out, err := node.CombinedOutput(); err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}

	for i, design := range designs {
		t.Run(filepath.Base(design), func(t *testing.T) {
			var rustOut, rustErr bytes.Buffer
			rust := exec.Command(rustCLI, design, "--relationships", relationships)
			rust.Stdout, rust.Stderr = &rustOut, &rustErr
			if err := rust.Run(); err != nil {
				t.Fatalf("the Rust CLI failed: %v\n%s", err, rustErr.Bytes())
			}
			var goOut, goErr bytes.Buffer
			if code := run(ctx, []string{"evaluate", design, "--relationships", relationships}, nil, &goOut, &goErr); code != 0 {
				t.Fatalf("the Go command exited %d: %s", code, goErr.Bytes())
			}
			if !bytes.Equal(goOut.Bytes(), rustOut.Bytes()) {
				t.Fatalf("the Go command's output differs from the Rust CLI's at byte %d", firstDifference(goOut.Bytes(), rustOut.Bytes()))
			}

			text, _ := os.ReadFile(jsonDesigns[i])
			compact, err := engine.Evaluate(ctx, text)
			if err != nil {
				t.Fatal(err)
			}
			nodeAnswer, err := os.ReadFile(filepath.Join(nodeOut, fmt.Sprintf("%d.json", i)))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(compact, nodeAnswer) {
				t.Fatalf("the Go engine's response differs from the Node package's at byte %d (node: %.200s)", firstDifference(compact, nodeAnswer), nodeAnswer)
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, compact, "", "  "); err != nil || strings.TrimSuffix(rustOut.String(), "\n") != pretty.String() {
				t.Fatal("the compact response is not the Rust CLI's response")
			}
		})
	}
}

func firstDifference(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
