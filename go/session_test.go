package evaluator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
)

// delta is the part of the JavaScript package's Delta these tests read.
type delta struct {
	Revision           uint64            `json:"revision"`
	ComponentsAdded    []json.RawMessage `json:"componentsAdded"`
	ComponentsRemoved  []string          `json:"componentsRemoved"`
	ComponentsUpdated  []json.RawMessage `json:"componentsUpdated"`
	RelationshipsAdded []struct {
		ID string `json:"id"`
	} `json:"relationshipsAdded"`
	RelationshipsRemoved []string `json:"relationshipsRemoved"`
}

func decodeDelta(t *testing.T, raw []byte) delta {
	t.Helper()
	var d delta
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("not a delta: %v: %.200s", err, raw)
	}
	return d
}

func openLoaded(t *testing.T, engine *Engine) (*Session, delta) {
	t.Helper()
	session, err := engine.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = session.Close(context.Background()) })
	raw, err := session.LoadDesign(context.Background(), goEngineDesign(t, "design-N40-seed11.json"))
	if err != nil {
		t.Fatal(err)
	}
	return session, decodeDelta(t, raw)
}

func TestSessionLoadsEditsAndExplains(t *testing.T) {
	ctx := context.Background()
	engine := newEngine(t, Options{})
	session, loaded := openLoaded(t, engine)
	if loaded.Revision != 1 || len(loaded.RelationshipsAdded) == 0 {
		t.Fatalf("loading a design should add relationships at revision 1: %+v", loaded)
	}
	explanation, err := session.Explain(ctx, loaded.RelationshipsAdded[0].ID)
	if err != nil || !bytes.Contains(explanation, []byte(loaded.RelationshipsAdded[0].ID)) {
		t.Fatalf("explain: %v %.200s", err, explanation)
	}
	var design struct {
		Components []struct {
			ID string `json:"id"`
		} `json:"components"`
	}
	current, err := session.Design(ctx)
	if err != nil || json.Unmarshal(current, &design) != nil {
		t.Fatalf("design: %v", err)
	}
	removed := design.Components[len(design.Components)-1].ID
	raw, err := session.ApplyEdits(ctx, []byte(`[{"op":"removeComponent","id":"`+removed+`"}]`))
	if err != nil {
		t.Fatal(err)
	}
	edited := decodeDelta(t, raw)
	if edited.Revision != 2 || len(edited.ComponentsRemoved) != 1 || edited.ComponentsRemoved[0] != removed {
		t.Fatalf("removing %s: %+v", removed, edited)
	}
	if revision, err := session.Revision(ctx); err != nil || revision != 2 {
		t.Fatalf("revision %d, %v", revision, err)
	}
}

func TestAFailedBatchLeavesTheSessionAsItWas(t *testing.T) {
	ctx := context.Background()
	session, _ := openLoaded(t, newEngine(t, Options{}))
	before, _ := session.Design(ctx)
	// The first edit is valid, the second names no component: nothing may change.
	_, err := session.ApplyEdits(ctx, []byte(`[{"op":"setLayer","layer":"x","enabled":true},{"op":"removeComponent","id":"no-such-component"}]`))
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeUnknownID || e.Path != "/1/id" {
		t.Fatalf("want UNKNOWN_ID at /1/id, got %v", err)
	}
	after, _ := session.Design(ctx)
	revision, _ := session.Revision(ctx)
	if !bytes.Equal(before, after) || revision != 1 {
		t.Fatalf("a failed batch changed the session (revision %d)", revision)
	}
}

func TestSnapshotRestoresAnIdenticalSession(t *testing.T) {
	ctx := context.Background()
	engine := newEngine(t, Options{})
	session, _ := openLoaded(t, engine)
	snapshot, err := session.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	restored, err := engine.Restore(ctx, snapshot)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close(ctx)
	for _, read := range []func(*Session) ([]byte, error){
		func(s *Session) ([]byte, error) { return s.Design(ctx) },
		func(s *Session) ([]byte, error) { return s.Evaluate(ctx) },
		func(s *Session) ([]byte, error) { return s.Snapshot(ctx) },
	} {
		want, err1 := read(session)
		got, err2 := read(restored)
		if err1 != nil || err2 != nil || !bytes.Equal(want, got) {
			t.Fatalf("the restored session differs (%v, %v)", err1, err2)
		}
	}
	exported, err := session.ExportJSON(ctx)
	if err != nil {
		t.Fatal(err)
	}
	imported, err := engine.ImportJSON(ctx, exported)
	if err != nil {
		t.Fatal(err)
	}
	defer imported.Close(ctx)
	if want, got := must(session.Evaluate(ctx)), must(imported.Evaluate(ctx)); !bytes.Equal(want, got) {
		t.Fatal("the session imported from JSON differs")
	}
	_, err = engine.Restore(ctx, snapshot[:len(snapshot)/2])
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeInvalidSnapshot {
		t.Fatalf("a truncated snapshot: want %s, got %v", CodeInvalidSnapshot, err)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestSessionCallsAfterCloseReturnErrClosed(t *testing.T) {
	session, err := newEngine(t, Options{}).Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := session.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := session.Evaluate(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("want ErrClosed, got %v", err)
	}
}
