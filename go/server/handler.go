// Package server serves Meshery's relationship evaluation endpoint,
// POST /api/registry/relationships/evaluate, over an evaluator.
package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"

	evaluator "github.com/meshery/relationship-evaluator/go"
)

// Path is where Meshery's server serves relationship evaluation.
const Path = "/api/registry/relationships/evaluate"

// Request is Meshery's EvaluationRequest.
type Request struct {
	Design  json.RawMessage `json:"design"`
	Options RequestOptions  `json:"options"`
}

// RequestOptions are the per-request options Meshery's endpoint accepts.
type RequestOptions struct {
	ReturnDiffOnly bool `json:"returnDiffOnly"`
	EnableTrace    bool `json:"enableTrace"`
}

// Handler answers POST requests of Meshery's shape {design, options} with the EvaluationResponse
// JSON, the same bytes Engine.Evaluate returns. Errors are answered with status 400 (bad input)
// or 500 (engine failure) and the body {"code","message","path"}. Engines are created on first
// use for each combination of request options, from the same definitions and base options.
type Handler struct {
	definitions []byte
	base        evaluator.Options
	// MaxBodyBytes bounds a request body; zero means 64 MiB.
	MaxBodyBytes int64

	mu      sync.Mutex
	engines map[RequestOptions]*evaluator.Engine
}

// NewHandler returns a handler evaluating with these definitions (a JSON array) and options.
// The engine for default request options is created at once, so bad definitions fail here.
func NewHandler(ctx context.Context, definitions []byte, options evaluator.Options) (*Handler, error) {
	h := &Handler{definitions: definitions, base: options, engines: map[RequestOptions]*evaluator.Engine{}}
	if _, err := h.engine(ctx, RequestOptions{}); err != nil {
		return nil, err
	}
	return h, nil
}

// engine returns the engine for one combination of request options.
func (h *Handler) engine(ctx context.Context, requested RequestOptions) (*evaluator.Engine, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if e, ok := h.engines[requested]; ok {
		return e, nil
	}
	options := h.base
	merged, err := mergeOptions(options.EngineOptions, requested)
	if err != nil {
		return nil, err
	}
	options.EngineOptions = merged
	e, err := evaluator.New(ctx, h.definitions, options)
	if err != nil {
		return nil, err
	}
	h.engines[requested] = e
	return e, nil
}

// mergeOptions sets the request's options over the base engine options JSON.
func mergeOptions(base []byte, requested RequestOptions) ([]byte, error) {
	fields := map[string]json.RawMessage{}
	if len(bytes.TrimSpace(base)) > 0 {
		if err := json.Unmarshal(base, &fields); err != nil {
			return nil, &evaluator.Error{Code: evaluator.CodeInvalidOption, Message: "the base options are not a JSON object: " + err.Error()}
		}
	}
	if requested.ReturnDiffOnly {
		fields["returnDiffOnly"] = json.RawMessage("true")
	}
	if requested.EnableTrace {
		fields["enableTrace"] = json.RawMessage("true")
	}
	if len(fields) == 0 {
		return nil, nil
	}
	return json.Marshal(fields)
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, &evaluator.Error{Code: evaluator.CodeInvalidJSON, Message: "use POST"})
		return
	}
	limit := h.MaxBodyBytes
	if limit <= 0 {
		limit = 64 << 20
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, &evaluator.Error{Code: evaluator.CodeLimitExceeded, Message: err.Error()})
		return
	}
	var request Request
	if err := json.Unmarshal(body, &request); err != nil {
		writeError(w, http.StatusBadRequest, &evaluator.Error{Code: evaluator.CodeInvalidJSON, Message: "the request is not {design, options}: " + err.Error()})
		return
	}
	if len(request.Design) == 0 {
		writeError(w, http.StatusBadRequest, &evaluator.Error{Code: evaluator.CodeMissingField, Message: "the request has no design", Path: "/design"})
		return
	}
	e, err := h.engine(r.Context(), request.Options)
	if err != nil {
		writeFailure(w, err)
		return
	}
	response, err := e.Evaluate(r.Context(), request.Design)
	if err != nil {
		writeFailure(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(response)
}

// Close releases the handler's engines.
func (h *Handler) Close(ctx context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	var errs []error
	for key, e := range h.engines {
		errs = append(errs, e.Close(ctx))
		delete(h.engines, key)
	}
	return errors.Join(errs...)
}

func writeFailure(w http.ResponseWriter, err error) {
	var e *evaluator.Error
	switch {
	case errors.As(err, &e) && (e.Code == evaluator.CodeInternal || e.Code == evaluator.CodePoisoned):
		writeError(w, http.StatusInternalServerError, e)
	case errors.As(err, &e):
		writeError(w, http.StatusBadRequest, e)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		writeError(w, http.StatusServiceUnavailable, &evaluator.Error{Code: evaluator.CodeInternal, Message: err.Error()})
	default:
		writeError(w, http.StatusInternalServerError, &evaluator.Error{Code: evaluator.CodeInternal, Message: err.Error()})
	}
}

func writeError(w http.ResponseWriter, status int, e *evaluator.Error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(e)
}
