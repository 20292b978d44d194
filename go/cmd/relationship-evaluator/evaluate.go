package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	evaluator "github.com/meshery/relationship-evaluator/go"
	"github.com/meshery/relationship-evaluator/go/loader"
)

func evaluateCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a, ok := parseArguments(args)
	if !ok || len(a.positional) != 1 || a.addr != "" {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	response, err := evaluateFiles(ctx, a.positional[0], a.relationships, a.options, stdin)
	var usageError *loader.UsageError
	if errors.As(err, &usageError) {
		fmt.Fprintln(stderr, "relationship-evaluator: "+usageError.Message)
		return 2
	}
	if err != nil {
		writeErrorJSON(stderr, err)
		return 1
	}
	// The Rust CLI prints serde_json's pretty form: two-space indent, then a newline.
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, response, "", "  "); err != nil {
		writeErrorJSON(stderr, err)
		return 1
	}
	pretty.WriteByte('\n')
	_, _ = stdout.Write(pretty.Bytes())
	return 0
}

// evaluateFiles evaluates a design file against definition files and returns the compact
// EvaluationResponse.
func evaluateFiles(ctx context.Context, designPath string, relationships []string, options string, stdin io.Reader) ([]byte, error) {
	design, err := loader.Document(designPath, stdin)
	if err != nil {
		return nil, readingError(err)
	}
	definitions, err := loader.Definitions(relationships...)
	var usageError *loader.UsageError
	if errors.As(err, &usageError) {
		return nil, usageError
	}
	if err != nil {
		return nil, readingError(err)
	}
	// One evaluation, nothing to cancel but the process itself (Ctrl-C still ends it): the
	// uninterruptible build runs about 5x faster.
	engine, err := evaluator.New(ctx, definitions, evaluator.Options{
		EngineOptions: []byte(options), MaxInstances: 1, NoInterrupt: true, CompilationCache: compilationCache(),
	})
	if err != nil {
		return nil, err
	}
	defer engine.Close(ctx)
	return engine.Evaluate(ctx, design)
}

// readingError is a loader error as the engine's: a YAML reading error keeps its code and path,
// any other (a file that cannot be read) is INVALID_JSON, as in the Rust CLI.
func readingError(err error) *evaluator.Error {
	var reading *loader.Error
	if errors.As(err, &reading) {
		return &evaluator.Error{Code: reading.Code, Message: reading.Message, Path: reading.Path}
	}
	return &evaluator.Error{Code: evaluator.CodeInvalidJSON, Message: err.Error()}
}

// writeErrorJSON prints {"code","message","path"} as the Rust CLI does.
func writeErrorJSON(w io.Writer, err error) {
	var e *evaluator.Error
	if !errors.As(err, &e) {
		e = &evaluator.Error{Code: evaluator.CodeInternal, Message: err.Error()}
	}
	encoder := json.NewEncoder(w)
	encoder.SetEscapeHTML(false)
	_ = encoder.Encode(e)
}
