package rollout

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	evaluator "github.com/meshery/relationship-evaluator/go"
	"github.com/meshery/relationship-evaluator/go/internal/fixtures"
	"github.com/meshery/relationship-evaluator/go/loader"
	"github.com/tetratelabs/wazero"
)

// TestShadowOfTwoRealEnginesNamesTheMissingRelationship runs this module's engine with all 38
// Kubernetes definitions as the primary and with the Service → Deployment network definitions
// left out as the candidate: the shadow comparison must match when both see the same
// definitions and, on a design with Services, name the network relationships the candidate
// lacks.
func TestShadowOfTwoRealEnginesNamesTheMissingRelationship(t *testing.T) {
	ctx := context.Background()
	directory := fixtures.KubernetesDefinitions()
	all, err := loader.Definitions(directory)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(directory, "*.json"))
	var kept []string
	for _, file := range files {
		if !strings.Contains(filepath.Base(file), "edge-non-binding-network") {
			kept = append(kept, file)
		}
	}
	fewer, err := loader.Definitions(kept...)
	if err != nil {
		t.Fatal(err)
	}
	cache := wazero.NewCompilationCache()
	defer cache.Close(ctx)
	primary, err := evaluator.New(ctx, all, evaluator.Options{CompilationCache: cache})
	if err != nil {
		t.Fatal(err)
	}
	defer primary.Close(ctx)
	candidate, err := evaluator.New(ctx, fewer, evaluator.Options{CompilationCache: cache})
	if err != nil {
		t.Fatal(err)
	}
	defer candidate.Close(ctx)
	same, err := evaluator.New(ctx, all, evaluator.Options{CompilationCache: cache})
	if err != nil {
		t.Fatal(err)
	}
	defer same.Close(ctx)

	design, err := os.ReadFile(fixtures.Shared("fixtures", "meshery", "go-engine", "design-N40-seed11.json"))
	if err != nil {
		t.Fatal(err)
	}

	agreeing := New(Config{Primary: primary, Candidate: same, CandidatePercent: 50, Shadow: true})
	if _, err := agreeing.Evaluate(ctx, design); err != nil {
		t.Fatal(err)
	}
	agreeing.Wait()
	if c := agreeing.Metrics().Counters(); c.ShadowMatches != 1 || c.ShadowMismatches != 0 {
		t.Fatalf("one engine against itself: %+v\n%s", c, agreeing.Metrics().LastMismatch())
	}

	disagreeing := New(Config{Primary: primary, Candidate: candidate, Shadow: true})
	if _, err := disagreeing.Evaluate(ctx, design); err != nil {
		t.Fatal(err)
	}
	disagreeing.Wait()
	report := disagreeing.Metrics().LastMismatch()
	if c := disagreeing.Metrics().Counters(); c.ShadowMismatches != 1 {
		t.Fatalf("a missing definition went unnoticed: %+v", c)
	}
	if !strings.Contains(report, "relationship only in primary") || !strings.Contains(report, "edge/non-binding/network") {
		t.Fatalf("the report does not name the network relationships:\n%s", report)
	}
	t.Log(report)
}
