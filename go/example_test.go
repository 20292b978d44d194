package evaluator_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"

	evaluator "github.com/meshery/relationship-evaluator/go"
	"github.com/meshery/relationship-evaluator/go/internal/fixtures"
	"github.com/meshery/relationship-evaluator/go/loader"
)

// The quick start of README.md.
func ExampleEngine_Evaluate() {
	ctx := context.Background()
	definitions, err := loader.Definitions(fixtures.KubernetesDefinitions()) // a dir or files → one JSON array
	if err != nil {
		log.Fatal(err)
	}
	engine, err := evaluator.New(ctx, definitions, evaluator.Options{})
	if err != nil {
		log.Fatal(err) // bad definitions or options: *evaluator.Error
	}
	defer engine.Close(ctx)

	design, _ := os.ReadFile(fixtures.Shared("fixtures", "meshery", "go-engine", "design-N40-seed11.json"))
	response, err := engine.Evaluate(ctx, design) // Meshery's EvaluationResponse, compact JSON
	if err != nil {
		log.Fatal(err)
	}
	var decoded struct {
		SchemaVersion string
		Design        struct{ Relationships []json.RawMessage }
	}
	_ = json.Unmarshal(response, &decoded)
	fmt.Println(decoded.SchemaVersion, len(decoded.Design.Relationships), "relationships")

	_, err = engine.Evaluate(ctx, []byte(`{"id":"d","version":"0.0.1","components":5}`))
	var e *evaluator.Error
	if errors.As(err, &e) {
		fmt.Printf("%s at %s\n", e.Code, e.Path)
	}
	// Output:
	// evaluation.meshery.io/v1beta1 38 relationships
	// INVALID_TYPE at /components
}
