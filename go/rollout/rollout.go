// Package rollout moves a live server from one relationship evaluator to another: a primary and a
// candidate implementation of one small interface, a share of designs routed to the candidate by
// a stable hash of the design id, the other implementation optionally run in shadow off the
// request path with both results compared structurally, fallback to the primary when the
// candidate fails or is slow, and counters and latency histograms as expvar variables.
//
// Meshery plugs its current Go engine in as the primary (an EvaluatorFunc around it) and this
// module's *evaluator.Engine as the candidate, starts at 0 % with Shadow on, watches the
// mismatch counters and samples, then raises the percentage.
package rollout

import (
	"context"
	"encoding/json"

	"fmt"
	"hash/fnv"
	"sync"
	"time"
)

// Evaluator is what both implementations provide: a design (JSON) in, Meshery's
// EvaluationResponse (JSON) out. *evaluator.Engine satisfies it.
type Evaluator interface {
	Evaluate(ctx context.Context, design []byte) ([]byte, error)
}

// EvaluatorFunc adapts a function to Evaluator.
type EvaluatorFunc func(ctx context.Context, design []byte) ([]byte, error)

// Evaluate calls f.
func (f EvaluatorFunc) Evaluate(ctx context.Context, design []byte) ([]byte, error) {
	return f(ctx, design)
}

// Config configures a Rollout.
type Config struct {
	// Primary is the implementation trusted today; Candidate the one being rolled out.
	Primary, Candidate Evaluator
	// CandidatePercent (0–100) is the share of designs, by design id, the candidate answers.
	CandidatePercent float64
	// Shadow runs the implementation that did not answer as well, after the answer, and compares.
	Shadow bool
	// CandidateTimeout bounds a candidate call that answers a request; past it the primary
	// answers instead. Zero means no bound beyond the request's context.
	CandidateTimeout time.Duration
	// ShadowTimeout bounds a shadow call (default 30 s); MaxShadows bounds shadow calls in
	// flight (default 4): more are dropped and counted, so shadows never queue up.
	ShadowTimeout time.Duration
	MaxShadows    int
	// OnMismatch, when set, receives every mismatch (e.g. to log it); it runs on the shadow
	// goroutine.
	OnMismatch func(Mismatch)
}

// Rollout routes evaluations between a primary and a candidate. It is safe for concurrent use.
type Rollout struct {
	config  Config
	metrics *Metrics
	shadows chan struct{}
	wg      sync.WaitGroup
}

// New returns a Rollout over config.
func New(config Config) *Rollout {
	if config.ShadowTimeout <= 0 {
		config.ShadowTimeout = 30 * time.Second
	}
	if config.MaxShadows <= 0 {
		config.MaxShadows = 4
	}
	return &Rollout{config: config, metrics: newMetrics(), shadows: make(chan struct{}, config.MaxShadows)}
}

// Metrics returns the rollout's counters and histograms; publish them with
// expvar.Publish("relationship_rollout", r.Metrics().Map()).
func (r *Rollout) Metrics() *Metrics {
	return r.metrics
}

// UsesCandidate reports whether the candidate answers designs with this id: a stable hash of the
// id, so a design keeps its route across requests, processes and restarts.
func (r *Rollout) UsesCandidate(designID string) bool {
	h := fnv.New64a()
	_, _ = h.Write([]byte(designID))
	return float64(h.Sum64()%10000) < r.config.CandidatePercent*100
}

// designID reads the design's id; a design without one is routed by its bytes.
func designID(design []byte) string {
	var header struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(design, &header) == nil && header.ID != "" {
		return header.ID
	}
	return string(design)
}

// Evaluate answers with the routed implementation (falling back to the primary when the
// candidate fails), then starts the shadow comparison when configured.
func (r *Rollout) Evaluate(ctx context.Context, design []byte) ([]byte, error) {
	id := designID(design)
	if !r.UsesCandidate(id) {
		response, err := r.timed(ctx, r.config.Primary, design, r.metrics.primaryLatency, r.metrics.primaryErrors)
		r.metrics.servedPrimary.Add(1)
		if err == nil {
			r.shadow(ctx, id, design, response, r.config.Candidate, false)
		}
		return response, err
	}
	candidateCtx, cancel := ctx, context.CancelFunc(func() {})
	if r.config.CandidateTimeout > 0 {
		candidateCtx, cancel = context.WithTimeout(ctx, r.config.CandidateTimeout)
	}
	response, err := r.timed(candidateCtx, r.config.Candidate, design, r.metrics.candidateLatency, r.metrics.candidateErrors)
	cancel()
	if err == nil {
		r.metrics.servedCandidate.Add(1)
		r.shadow(ctx, id, design, response, r.config.Primary, true)
		return response, nil
	}
	if ctx.Err() != nil {
		return nil, err
	}
	r.metrics.fallbacks.Add(1)
	r.metrics.lastFallback.Set(err.Error())
	response, err = r.timed(ctx, r.config.Primary, design, r.metrics.primaryLatency, r.metrics.primaryErrors)
	r.metrics.servedPrimary.Add(1)
	return response, err
}

func (r *Rollout) timed(ctx context.Context, e Evaluator, design []byte, latency *Histogram, errorsCounter interface{ Add(int64) }) ([]byte, error) {
	started := time.Now()
	response, err := e.Evaluate(ctx, design)
	latency.Observe(time.Since(started))
	if err != nil {
		errorsCounter.Add(1)
	}
	return response, err
}

// shadow runs the other implementation off the request path and compares the two answers.
// answeredByCandidate says which side `answered` came from.
func (r *Rollout) shadow(ctx context.Context, id string, design, answered []byte, other Evaluator, answeredByCandidate bool) {
	if !r.config.Shadow || other == nil {
		return
	}
	select {
	case r.shadows <- struct{}{}:
	default:
		r.metrics.shadowDropped.Add(1)
		return
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer func() { <-r.shadows }()
		shadowCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.config.ShadowTimeout)
		defer cancel()
		latency, errorsCounter := r.metrics.candidateLatency, r.metrics.candidateErrors
		if answeredByCandidate {
			latency, errorsCounter = r.metrics.primaryLatency, r.metrics.primaryErrors
		}
		shadowed, err := r.timed(shadowCtx, other, design, latency, errorsCounter)
		if err != nil {
			r.metrics.shadowErrors.Add(1)
			return
		}
		primary, candidate := answered, shadowed
		if answeredByCandidate {
			primary, candidate = shadowed, answered
		}
		differences, err := Compare(design, primary, candidate)
		if err != nil {
			r.metrics.shadowErrors.Add(1)
			return
		}
		if len(differences) == 0 {
			r.metrics.matches.Add(1)
			return
		}
		mismatch := Mismatch{DesignID: id, Differences: differences}
		r.metrics.mismatches.Add(1)
		r.metrics.lastMismatch.Set(mismatch.String())
		if r.config.OnMismatch != nil {
			r.config.OnMismatch(mismatch)
		}
	}()
}

// Wait blocks until every shadow comparison started so far has finished (for shutdown and tests).
func (r *Rollout) Wait() {
	r.wg.Wait()
}

// Mismatch is one design on which the two implementations disagreed.
type Mismatch struct {
	DesignID    string
	Differences []string
}

// String lists the differences, one a line, under the design id.
func (m Mismatch) String() string {
	text := fmt.Sprintf("design %s: %d difference(s)", m.DesignID, len(m.Differences))
	for _, d := range m.Differences {
		text += "\n  " + d
	}
	return text
}
