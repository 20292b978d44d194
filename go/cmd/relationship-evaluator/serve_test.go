package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/meshery/relationship-evaluator/go/internal/fixtures"
	"github.com/meshery/relationship-evaluator/go/loader"
)

// TestServeAnswersTheBytesEvaluatePrints starts `serve` on 127.0.0.1, posts Meshery's request
// shape {design, options} and requires the response `evaluate` prints for the same design (the
// command pretty-prints; the server sends compact JSON), then stops it gracefully.
func TestServeAnswersTheBytesEvaluatePrints(t *testing.T) {
	relationships := fixtures.KubernetesDefinitions()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	stdoutReader, stdoutWriter := io.Pipe()
	var stderr bytes.Buffer
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--relationships", relationships}, nil, stdoutWriter, &stderr)
		stdoutWriter.Close()
	}()
	banner, err := bufio.NewReader(stdoutReader).ReadString('\n')
	if err != nil {
		t.Fatalf("serve did not start: %v %s", err, stderr.Bytes())
	}
	go io.Copy(io.Discard, stdoutReader)
	url := strings.TrimSpace(banner[strings.Index(banner, "http://"):]) + "/api/registry/relationships/evaluate"

	for _, name := range []string{"design-N40-seed11.json", "design-fx-edge-firewall-relationship.json"} {
		t.Run(name, func(t *testing.T) {
			path := fixtures.Shared("fixtures", "meshery", "go-engine", name)
			var printed, evaluateErr bytes.Buffer
			if code := run(ctx, []string{"evaluate", path, "--relationships", relationships}, nil, &printed, &evaluateErr); code != 0 {
				t.Fatalf("evaluate exited %d: %s", code, evaluateErr.Bytes())
			}
			design, err := loader.Document(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			request, _ := json.Marshal(map[string]any{"design": json.RawMessage(design), "options": map[string]any{}})
			response, err := http.Post(url, "application/json", bytes.NewReader(request))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(response.Body)
			response.Body.Close()
			if response.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", response.StatusCode, body)
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, body, "", "  "); err != nil {
				t.Fatal(err)
			}
			pretty.WriteByte('\n')
			if !bytes.Equal(pretty.Bytes(), printed.Bytes()) {
				t.Fatal("serve answered other bytes than evaluate prints")
			}
		})
	}

	t.Run("a bad design is a 400 with code and path", func(t *testing.T) {
		response, err := http.Post(url, "application/json", strings.NewReader(`{"design":{"id":"d","version":"0.0.1","components":5}}`))
		if err != nil {
			t.Fatal(err)
		}
		defer response.Body.Close()
		var e struct{ Code, Path string }
		_ = json.NewDecoder(response.Body).Decode(&e)
		if response.StatusCode != http.StatusBadRequest || e.Code != "INVALID_TYPE" || e.Path != "/components" {
			t.Fatalf("status %d, %+v", response.StatusCode, e)
		}
	})

	stop()
	select {
	case code := <-exited:
		if code != 0 {
			t.Fatalf("serve exited %d after shutdown: %s", code, stderr.Bytes())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not shut down")
	}
}

func TestEvaluateExitCodesFollowTheRustCLI(t *testing.T) {
	relationships := fixtures.KubernetesDefinitions()
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"no design", []string{"evaluate", "--relationships", relationships}, 2},
		{"a flag without its value", []string{"evaluate", "d.json", "--relationships"}, 2},
		{"unknown subcommand", []string{"frobnicate"}, 2},
		{"missing design file", []string{"evaluate", "/no/such/design.json", "--relationships", relationships}, 1},
		{"bad options", []string{"evaluate", fixtures.Shared("fixtures", "meshery", "go-engine", "design-N40-seed11.json"), "--relationships", relationships, "--options", `{"nope":1}`}, 1},
		// The parent of the definitions directory holds no definition file: evaluating against
		// none would delete every relationship (loader_test.go has the rule's other cases).
		{"a relationships path with no definitions", []string{"evaluate", fixtures.Shared("fixtures", "meshery", "go-engine", "design-N40-seed11.json"), "--relationships", fixtures.Shared("fixtures", "meshery", "relationships")}, 2},
		{"serve with no definitions", []string{"serve", "--addr", "127.0.0.1:0", "--relationships", fixtures.Shared("fixtures", "meshery", "relationships")}, 2},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), test.args, strings.NewReader(""), &stdout, &stderr); code != test.code {
				t.Fatalf("exit %d, want %d: %s", code, test.code, stderr.Bytes())
			}
			if test.code == 1 && !json.Valid(stderr.Bytes()) {
				t.Fatalf("stderr is not the error JSON: %s", stderr.Bytes())
			}
		})
	}
}
