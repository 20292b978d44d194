package evaluator

import (
	"context"
	"strconv"
	"sync"
)

// Session keeps one design evaluated inside its own instance, for incremental edits: load a
// design, apply batches of edits, read deltas. Its edit operations and deltas are the JavaScript
// package's (js/types.ts: Edit, Delta), passed as JSON. A Session is safe for concurrent use
// (calls are serialised). A failed batch leaves the state exactly as it was. After a trap or a
// cancelled call the session is poisoned: every call returns *Error with CodePoisoned; restore
// its last Snapshot into a new session.
type Session struct {
	mu     sync.Mutex
	in     *instance
	closed bool
}

// Open starts a session with the engine's definitions and options, holding an empty design.
func (e *Engine) Open(ctx context.Context) (*Session, error) {
	if err := e.pool.checkOpen(); err != nil {
		return nil, err
	}
	in, err := e.newEvaluatorInstance(ctx)
	if err != nil {
		return nil, err
	}
	return &Session{in: in}, nil
}

// Restore starts a session identical to the one a Snapshot was taken of (its design, revision,
// definitions and options travel in the snapshot).
func (e *Engine) Restore(ctx context.Context, snapshot []byte) (*Session, error) {
	return e.sessionFrom(ctx, "re_restore", snapshot)
}

// ImportJSON starts a session from Session.ExportJSON output (the JavaScript package's
// importJson).
func (e *Engine) ImportJSON(ctx context.Context, exported []byte) (*Session, error) {
	return e.sessionFrom(ctx, "re_import_json", exported)
}

// sessionFrom starts a session on a new instance whose evaluator an export rebuilds from a
// saved state.
func (e *Engine) sessionFrom(ctx context.Context, export string, state []byte) (*Session, error) {
	if err := e.pool.checkOpen(); err != nil {
		return nil, err
	}
	in, err := instantiate(ctx, e.runtime, e.compiled)
	if err != nil {
		return nil, err
	}
	if _, err := in.call(ctx, export, state); err != nil {
		in.close(ctx)
		return nil, err
	}
	return &Session{in: in}, nil
}

func (s *Session) call(ctx context.Context, name string, arguments ...[]byte) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	return s.in.call(ctx, name, arguments...)
}

// LoadDesign replaces the design (JSON) and evaluates it; it returns the delta JSON.
func (s *Session) LoadDesign(ctx context.Context, design []byte) ([]byte, error) {
	return s.call(ctx, "re_load_design", design)
}

// ApplyEdits applies a batch of edits (a JSON array of edit operations) as one transaction and
// returns the delta JSON. On error nothing changed.
func (s *Session) ApplyEdits(ctx context.Context, edits []byte) ([]byte, error) {
	return s.call(ctx, "re_apply_edits", edits)
}

// ReplaceDefinitions replaces the relationship definitions (a JSON array) and re-evaluates; it
// returns the delta JSON.
func (s *Session) ReplaceDefinitions(ctx context.Context, definitions []byte) ([]byte, error) {
	return s.call(ctx, "re_replace_definitions", definitions)
}

// Evaluate returns a full evaluation of the current design (the EvaluationResponse JSON) without
// changing the state.
func (s *Session) Evaluate(ctx context.Context) ([]byte, error) {
	return s.call(ctx, "re_evaluate")
}

// Design returns the current, evaluated design as JSON.
func (s *Session) Design(ctx context.Context) ([]byte, error) {
	return s.call(ctx, "re_design")
}

// Revision returns the number of successful loads and batches.
func (s *Session) Revision(ctx context.Context) (uint64, error) {
	text, err := s.call(ctx, "re_revision")
	if err != nil {
		return 0, err
	}
	return strconv.ParseUint(string(text), 10, 64)
}

// Explain returns why a relationship holds (JSON).
func (s *Session) Explain(ctx context.Context, relationshipID string) ([]byte, error) {
	return s.call(ctx, "re_explain", []byte(relationshipID))
}

// Snapshot returns the whole state as versioned MessagePack bytes, the format of the JavaScript
// package's snapshot(); Engine.Restore reads it.
func (s *Session) Snapshot(ctx context.Context) ([]byte, error) {
	return s.call(ctx, "re_snapshot")
}

// ExportJSON returns the whole state as versioned JSON (the JavaScript package's exportJson);
// Engine.ImportJSON reads it. Snapshot is smaller and faster; this one is readable.
func (s *Session) ExportJSON(ctx context.Context) ([]byte, error) {
	return s.call(ctx, "re_export_json")
}

// Close releases the session's instance. Calls after Close return ErrClosed.
func (s *Session) Close(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return s.in.module.Close(ctx)
}
