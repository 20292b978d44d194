package loader

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
)

// yamlCase is one case of the shared corpus: the JSON text the YAML reads as, or the error.
type yamlCase struct {
	Name  string `json:"name"`
	YAML  string `json:"yaml"`
	JSON  string `json:"json"`
	Error *struct {
		Code string `json:"code"`
		Path string `json:"path"`
	} `json:"error"`
}

// The corpus the Rust CLI and the npm package read too (tests/yaml/cases.json).
func TestTheSharedYAMLCorpusReadsAsInEveryRuntime(t *testing.T) {
	text, err := os.ReadFile("../../tests/yaml/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var corpus struct {
		MaxDepth int        `json:"maxDepth"`
		Cases    []yamlCase `json:"cases"`
	}
	if err := json.Unmarshal(text, &corpus); err != nil {
		t.Fatal(err)
	}
	for _, c := range corpus.Cases {
		got, err := YAMLToJSON([]byte(c.YAML), corpus.MaxDepth)
		var reading *Error
		switch {
		case c.Error == nil && err != nil:
			t.Errorf("%s: %v, want %s", c.Name, err, c.JSON)
		case c.Error == nil && string(got) != c.JSON:
			t.Errorf("%s: %s, want %s", c.Name, got, c.JSON)
		case c.Error != nil && !errors.As(err, &reading):
			t.Errorf("%s: %s (%v), want %s at %q", c.Name, got, err, c.Error.Code, c.Error.Path)
		case c.Error != nil && (reading.Code != c.Error.Code || reading.Path != c.Error.Path):
			t.Errorf("%s: %v, want %s at %q", c.Name, err, c.Error.Code, c.Error.Path)
		}
	}
	if len(corpus.Cases) < 50 {
		t.Errorf("the corpus holds %d cases", len(corpus.Cases))
	}
}
