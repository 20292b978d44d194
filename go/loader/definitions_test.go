package loader

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/meshery/relationship-evaluator/go/internal/fixtures"
)

// The definition-path rule of all three CLIs (tests/cli_reading.rs, tests/js/node/cli.test.mjs):
// a directory's JSON and YAML files in name order, and a path that yields no definition is a
// usage error in the same words.
func TestAPathThatYieldsNoDefinitionsIsAUsageError(t *testing.T) {
	dir := t.TempDir()
	usage := func(paths ...string) string {
		t.Helper()
		_, err := Definitions(paths...)
		var usageError *UsageError
		if !errors.As(err, &usageError) {
			t.Fatalf("Definitions(%v): %v, want a *UsageError", paths, err)
		}
		return usageError.Message
	}
	want := "--relationships " + dir + ": no *.json, *.yaml or *.yml files in the directory " + dir +
		"; evaluating without definitions would delete every relationship of the design"
	if got := usage(dir); got != want {
		t.Fatalf("empty directory:\n got %s\nwant %s", got, want)
	}
	if got := usage(fixtures.Shared("fixtures", "meshery", "relationships")); !strings.Contains(got, "(directories are not searched recursively; it has kubernetes/)") {
		t.Fatalf("parent directory: %s", got)
	}
	if err := os.WriteFile(filepath.Join(dir, "none.json"), []byte("[]"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got := usage(filepath.Join(dir, "none.json")); !strings.Contains(got, "none.json holds no definitions") {
		t.Fatalf("empty array: %s", got)
	}
	if got := usage(fixtures.KubernetesDefinitions(), dir); !strings.Contains(got, dir+" holds no definitions") {
		t.Fatalf("one good path and an empty one: %s", got)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("- kind: edge\n  type: non-binding\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	text, err := Definitions(dir)
	if err != nil {
		t.Fatal(err)
	}
	var found []map[string]any
	if err := json.Unmarshal(text, &found); err != nil || len(found) != 1 || found[0]["kind"] != "edge" {
		t.Fatalf("a YAML definition file: %s (%v)", text, err)
	}
}
