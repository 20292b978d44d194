package evaluator

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/meshery/relationship-evaluator/go/internal/fixtures"
)

// The malformed-input corpus of issue #6 (tests/malformed/corpus.rs, exported as JSON by
// `cargo run --example malformed-corpus`), run through the Go module: every case must give the
// error code and path the Rust corpus expects (or its documented valid result), never trap, and
// a failed load or edit batch must leave the session as it was. The input grammar and the
// judging are those of tests/malformed/harness.mjs.

type corpusCase struct {
	Category string          `json:"category"`
	Name     string          `json:"name"`
	Entry    json.RawMessage `json:"entry"`
	Reduced  json.RawMessage `json:"reduced"`
	Expect   corpusExpect    `json:"expect"`
	Checks   []corpusCheck   `json:"checks"`
	RustOnly string          `json:"rustOnly"`
	Digest   string          `json:"digest"`
}

type corpusExpect struct {
	Valid *string `json:"valid"`
	Error *struct {
		Code, Path, Match string
	} `json:"error"`
}

type corpusCheck struct {
	Check string `json:"check"`
	Text  string `json:"text"`
}

type corpusRunner struct {
	blobs  map[string]string
	cache  map[string][]byte
	engine *Engine
	in     *instance
	// initialised is the (definitions, options) re_init last succeeded with on in.
	initialised string
}

// materialize returns the bytes an input expression stands for.
func (r *corpusRunner) materialize(raw json.RawMessage) ([]byte, error) {
	var text string
	if json.Unmarshal(raw, &text) == nil {
		return []byte(text), nil
	}
	var expression map[string]json.RawMessage
	if err := json.Unmarshal(raw, &expression); err != nil || len(expression) != 1 {
		return nil, fmt.Errorf("not an input expression: %.100s", raw)
	}
	for kind, args := range expression {
		var list []json.RawMessage
		_ = json.Unmarshal(args, &list)
		number := func(i int) int { n, _ := strconv.Atoi(string(list[i])); return n }
		switch kind {
		case "hex":
			var s string
			_ = json.Unmarshal(args, &s)
			return hex.DecodeString(s)
		case "blob":
			var name string
			_ = json.Unmarshal(args, &name)
			if cached, ok := r.cache[name]; ok {
				return cached, nil
			}
			blob, ok := r.blobs[name]
			if !ok {
				return nil, fmt.Errorf("no blob %s", name)
			}
			r.cache[name] = []byte(blob)
			return r.cache[name], nil
		case "concat":
			var out []byte
			for _, part := range list {
				b, err := r.materialize(part)
				if err != nil {
					return nil, err
				}
				out = append(out, b...)
			}
			return out, nil
		case "repeat":
			once, err := r.materialize(list[0])
			return bytes.Repeat(once, number(1)), err
		case "slice":
			whole, err := r.materialize(list[0])
			if err != nil {
				return nil, err
			}
			return whole[number(1):number(2)], nil
		case "splice":
			whole, err := r.materialize(list[0])
			if err != nil {
				return nil, err
			}
			replacement, err := r.materialize(list[3])
			if err != nil {
				return nil, err
			}
			out := append(append(append([]byte(nil), whole[:number(1)]...), replacement...), whole[number(2):]...)
			return out, nil
		case "numbered":
			var before, after, separator string
			_ = json.Unmarshal(list[0], &before)
			_ = json.Unmarshal(list[1], &after)
			_ = json.Unmarshal(list[3], &separator)
			items := make([]string, number(2))
			for i := range items {
				items[i] = before + strconv.Itoa(i) + after
			}
			return []byte(strings.Join(items, separator)), nil
		}
		return nil, fmt.Errorf("unknown input expression %s", kind)
	}
	return nil, nil
}

// orderedFields returns an object's fields in document order (the digest depends on it).
func orderedFields(raw json.RawMessage) ([]string, map[string]json.RawMessage, error) {
	decoder := json.NewDecoder(bytes.NewReader(raw))
	if _, err := decoder.Token(); err != nil {
		return nil, nil, err
	}
	var keys []string
	values := map[string]json.RawMessage{}
	for decoder.More() {
		key, err := decoder.Token()
		if err != nil {
			return nil, nil, err
		}
		var value json.RawMessage
		if err := decoder.Decode(&value); err != nil {
			return nil, nil, err
		}
		keys = append(keys, key.(string))
		values[key.(string)] = value
	}
	return keys, values, nil
}

// inputs are an entry's inputs in field order, as Entry::inputs in corpus.rs lists them.
func (r *corpusRunner) inputs(entry json.RawMessage) ([][]byte, error) {
	keys, values, err := orderedFields(entry)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for _, key := range keys {
		switch key {
		case "entry":
		case "start":
			var start map[string]json.RawMessage
			_ = json.Unmarshal(values[key], &start)
			for _, field := range []string{"definitions", "options", "design"} {
				b, err := r.materialize(start[field])
				if err != nil {
					return nil, err
				}
				out = append(out, b)
			}
		default:
			b, err := r.materialize(values[key])
			if err != nil {
				return nil, err
			}
			out = append(out, b)
		}
	}
	return out, nil
}

// digest is FNV-1a (32-bit, hex) of a case's inputs, as Corpus::fill_digests computes it.
func (r *corpusRunner) digest(c corpusCase) (string, error) {
	hash := uint32(0x811c9dc5)
	for _, entry := range []json.RawMessage{c.Entry, c.Reduced} {
		if len(entry) == 0 || string(entry) == "null" {
			continue
		}
		inputs, err := r.inputs(entry)
		if err != nil {
			return "", err
		}
		for _, input := range inputs {
			for _, b := range input {
				hash = (hash ^ uint32(b)) * 0x01000193
			}
		}
	}
	return fmt.Sprintf("%08x", hash), nil
}

// call runs one export on the runner's instance, replacing the instance when it died.
func (r *corpusRunner) call(ctx context.Context, export string, arguments ...[]byte) ([]byte, error) {
	if r.in == nil || r.in.broken {
		in, err := instantiate(ctx, r.engine.runtime, r.engine.compiled)
		if err != nil {
			return nil, err
		}
		r.in, r.initialised = in, ""
	}
	out, err := r.in.call(ctx, export, arguments...)
	if r.in.broken {
		r.in.close(ctx)
		r.in = nil
		return nil, fmt.Errorf("the instance died (the Rust core trapped): %w", err)
	}
	return out, err
}

func (r *corpusRunner) init(ctx context.Context, definitions, options []byte) error {
	key := string(definitions) + "\x00" + string(options)
	if r.in != nil && !r.in.broken && r.initialised == key {
		return nil
	}
	r.initialised = ""
	if _, err := r.call(ctx, "re_init", definitions, options); err != nil {
		return err
	}
	r.initialised = key
	return nil
}

type sessionState struct{ design, revision []byte }

func (r *corpusRunner) state(ctx context.Context) (sessionState, error) {
	design, err := r.call(ctx, "re_design")
	if err != nil {
		return sessionState{}, err
	}
	revision, err := r.call(ctx, "re_revision")
	return sessionState{design, revision}, err
}

// run executes one case and returns the engine's error (nil for a valid result) or a failure of
// the harness itself (a trap, a changed state).
func (r *corpusRunner) run(ctx context.Context, c corpusCase) (outcome error, problem error) {
	_, fields, err := orderedFields(c.Entry)
	if err != nil {
		return nil, err
	}
	in := func(name string) []byte {
		b, err := r.materialize(fields[name])
		if err != nil {
			problem = err
		}
		return b
	}
	var entry string
	_ = json.Unmarshal(fields["entry"], &entry)
	died := func(err error) bool {
		var e *Error
		return err != nil && !errors.As(err, &e)
	}
	switch entry {
	case "evaluate", "decodeDesign":
		definitions, options := []byte("[]"), []byte("")
		if entry == "evaluate" {
			definitions, options = in("definitions"), in("options")
		}
		if err := r.init(ctx, definitions, options); err != nil {
			return err, nil
		}
		_, err := r.call(ctx, "re_evaluate_design", in("design"))
		outcome = err
	case "newEvaluator":
		r.initialised = ""
		if _, err := r.call(ctx, "re_init", in("definitions"), in("options")); err != nil {
			outcome = err
		} else if _, err := r.state(ctx); err != nil {
			problem = fmt.Errorf("the new evaluator does not answer: %w", err)
		}
	case "restoreMsgpack", "restoreJson":
		export, argument := "re_restore", "bytes"
		if entry == "restoreJson" {
			export, argument = "re_import_json", "text"
		}
		r.initialised = ""
		if _, err := r.call(ctx, export, in(argument)); err != nil {
			outcome = err
		} else if _, err := r.state(ctx); err != nil {
			problem = fmt.Errorf("the restored evaluator does not answer: %w", err)
		}
	case "loadDesign", "applyEdits":
		var start map[string]json.RawMessage
		_ = json.Unmarshal(fields["start"], &start)
		part := func(name string) []byte { b, _ := r.materialize(start[name]); return b }
		r.initialised = ""
		if _, err := r.call(ctx, "re_init", part("definitions"), part("options")); err != nil {
			return nil, fmt.Errorf("start: %w", err)
		}
		if _, err := r.call(ctx, "re_load_design", part("design")); err != nil {
			return nil, fmt.Errorf("start: %w", err)
		}
		before, err := r.state(ctx)
		if err != nil {
			return nil, err
		}
		export, argument := "re_load_design", "design"
		if entry == "applyEdits" {
			export, argument = "re_apply_edits", "edits"
		}
		if _, err := r.call(ctx, export, in(argument)); err != nil {
			outcome = err
			if !died(err) {
				after, stateErr := r.state(ctx)
				if stateErr != nil || !bytes.Equal(before.design, after.design) || !bytes.Equal(before.revision, after.revision) {
					problem = fmt.Errorf("a failed %s changed the state", entry)
				}
			}
		}
	default:
		return nil, fmt.Errorf("entry %s cannot run through the Go module", entry)
	}
	if died(outcome) {
		return nil, outcome
	}
	return outcome, problem
}

// judge says why an outcome misses the expectation, or "" when it meets it.
func judge(c corpusCase, outcome error) string {
	var e *Error
	errors.As(outcome, &e)
	got := "a valid result"
	if e != nil {
		got = fmt.Sprintf("%s at %q: %s", e.Code, e.Path, e.Message)
	}
	if c.Expect.Valid != nil {
		if e != nil {
			return fmt.Sprintf("expected a valid result (%s), got %s", *c.Expect.Valid, got)
		}
		return ""
	}
	want := c.Expect.Error
	switch {
	case want == nil:
		return "the case expects nothing"
	case e == nil:
		return fmt.Sprintf("expected %s, got %s", want.Code, got)
	case e.Code != want.Code:
		return fmt.Sprintf("expected %s, got %s", want.Code, got)
	case want.Match == "prefix" && !strings.HasPrefix(e.Path, want.Path), want.Match != "prefix" && e.Path != want.Path:
		return fmt.Sprintf("expected path %s %q, got %s", want.Match, want.Path, got)
	}
	for _, check := range c.Checks {
		if check.Check == "messageContains" && !strings.Contains(e.Message, check.Text) {
			return fmt.Sprintf("the message does not name %s: %s", check.Text, e.Message)
		}
	}
	return ""
}

func TestMalformedInputsGiveTheCodesAndPathsOfTheRustCore(t *testing.T) {
	text, err := os.ReadFile(fixtures.Tool(t, "RE_MALFORMED_CORPUS", "the malformed-input corpus (cargo run --example malformed-corpus)"))
	if err != nil {
		t.Fatal(err)
	}
	var corpus struct {
		Format  string            `json:"format"`
		Version int               `json:"version"`
		Blobs   map[string]string `json:"blobs"`
		Cases   []corpusCase      `json:"cases"`
	}
	if err := json.Unmarshal(text, &corpus); err != nil || corpus.Format != "meshery-relationship-evaluator/malformed-corpus" || corpus.Version != 1 {
		t.Fatalf("not a malformed-input corpus of version 1: %v", err)
	}
	if len(corpus.Cases) < 2690 {
		t.Fatalf("the corpus has only %d cases", len(corpus.Cases))
	}
	runner := &corpusRunner{blobs: corpus.Blobs, cache: map[string][]byte{}, engine: newEngine(t, Options{})}
	var ran, typed, skipped int
	var failures []string
	for _, c := range corpus.Cases {
		var entry struct{ Entry string }
		_ = json.Unmarshal(c.Entry, &entry)
		if c.RustOnly != "" {
			skipped++
			continue
		}
		if c.Digest != "" {
			if digest, err := runner.digest(c); err != nil || digest != c.Digest {
				t.Fatalf("%s: the inputs materialised here differ from the Rust corpus's (%s vs %s, %v)", c.Name, digest, c.Digest, err)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		outcome, problem := runner.run(ctx, c)
		cancel()
		ran++
		if outcome != nil {
			typed++
		}
		if problem != nil {
			failures = append(failures, fmt.Sprintf("%s / %s: %v", c.Category, c.Name, problem))
		} else if why := judge(c, outcome); why != "" {
			failures = append(failures, fmt.Sprintf("%s / %s: %s", c.Category, c.Name, why))
		}
	}
	t.Logf("%d cases ran (%d typed errors), %d Rust-only skipped, %d failed", ran, typed, skipped, len(failures))
	if skipped > 7 {
		t.Errorf("%d cases skipped: the Go run must cover the corpus", skipped)
	}
	for i, failure := range failures {
		if i == 30 {
			t.Errorf("… and %d more", len(failures)-30)
			break
		}
		t.Error(failure)
	}
}
