package rollout

import (
	"encoding/json"
	"expvar"
	"sync"
	"time"
)

// Metrics are the rollout's counters and latency histograms as expvar variables: the standard
// library's, so the module forces no metrics dependency on a server; they show on /debug/vars
// once published, and Prometheus' client_golang reads them with collectors.NewExpvarCollector.
// Nothing is published globally: call expvar.Publish with Map() yourself.
type Metrics struct {
	all *expvar.Map

	servedPrimary, servedCandidate   *expvar.Int
	primaryErrors, candidateErrors   *expvar.Int
	fallbacks                        *expvar.Int
	matches, mismatches              *expvar.Int
	shadowErrors, shadowDropped      *expvar.Int
	lastMismatch, lastFallback       *expvar.String
	primaryLatency, candidateLatency *Histogram
}

func newMetrics() *Metrics {
	m := &Metrics{all: new(expvar.Map).Init()}
	counter := func(name string) *expvar.Int {
		v := new(expvar.Int)
		m.all.Set(name, v)
		return v
	}
	m.servedPrimary = counter("served_primary")
	m.servedCandidate = counter("served_candidate")
	m.primaryErrors = counter("primary_errors")
	m.candidateErrors = counter("candidate_errors")
	m.fallbacks = counter("fallbacks")
	m.matches = counter("shadow_matches")
	m.mismatches = counter("shadow_mismatches")
	m.shadowErrors = counter("shadow_errors")
	m.shadowDropped = counter("shadow_dropped")
	m.lastMismatch = new(expvar.String)
	m.all.Set("last_mismatch", m.lastMismatch)
	m.lastFallback = new(expvar.String)
	m.all.Set("last_fallback_error", m.lastFallback)
	m.primaryLatency = newHistogram()
	m.all.Set("primary_latency_ms", m.primaryLatency)
	m.candidateLatency = newHistogram()
	m.all.Set("candidate_latency_ms", m.candidateLatency)
	return m
}

// Map is every metric under one expvar.Map, to publish.
func (m *Metrics) Map() *expvar.Map { return m.all }

// Counters is a snapshot of the counters, for tests and logs.
type Counters struct {
	ServedPrimary, ServedCandidate, PrimaryErrors, CandidateErrors, Fallbacks int64
	ShadowMatches, ShadowMismatches, ShadowErrors, ShadowDropped              int64
}

// Counters reads the counters.
func (m *Metrics) Counters() Counters {
	return Counters{
		ServedPrimary: m.servedPrimary.Value(), ServedCandidate: m.servedCandidate.Value(),
		PrimaryErrors: m.primaryErrors.Value(), CandidateErrors: m.candidateErrors.Value(),
		Fallbacks: m.fallbacks.Value(), ShadowMatches: m.matches.Value(),
		ShadowMismatches: m.mismatches.Value(), ShadowErrors: m.shadowErrors.Value(),
		ShadowDropped: m.shadowDropped.Value(),
	}
}

// LastMismatch is the latest mismatch report ("" when none).
func (m *Metrics) LastMismatch() string { return m.lastMismatch.Value() }

// Latency returns the primary's and the candidate's latency histograms.
func (m *Metrics) Latency() (primary, candidate *Histogram) {
	return m.primaryLatency, m.candidateLatency
}

// histogramBounds are the upper bounds, in milliseconds, of the latency buckets.
var histogramBounds = []float64{1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000}

// Histogram counts latencies in fixed buckets (cumulative on output, Prometheus style). It is an
// expvar.Var: its String is JSON.
type Histogram struct {
	mu      sync.Mutex
	buckets []int64 // per bound, plus one for +Inf
	count   int64
	sumMs   float64
}

func newHistogram() *Histogram {
	return &Histogram{buckets: make([]int64, len(histogramBounds)+1)}
}

// Observe records one latency.
func (h *Histogram) Observe(d time.Duration) {
	ms := float64(d) / float64(time.Millisecond)
	i := 0
	for i < len(histogramBounds) && ms > histogramBounds[i] {
		i++
	}
	h.mu.Lock()
	h.buckets[i]++
	h.count++
	h.sumMs += ms
	h.mu.Unlock()
}

// Count is the number of observations.
func (h *Histogram) Count() int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.count
}

// String is the histogram as JSON: {"count", "sum_ms", "le": {"1": n, …, "+Inf": n}}.
func (h *Histogram) String() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	type le struct {
		Bound string `json:"le"`
		Count int64  `json:"count"`
	}
	out := struct {
		Count   int64   `json:"count"`
		SumMs   float64 `json:"sum_ms"`
		Buckets []le    `json:"buckets"`
	}{Count: h.count, SumMs: h.sumMs}
	var cumulative int64
	for i, n := range h.buckets {
		cumulative += n
		bound := "+Inf"
		if i < len(histogramBounds) {
			bound = json.Number(formatBound(histogramBounds[i])).String()
		}
		out.Buckets = append(out.Buckets, le{bound, cumulative})
	}
	text, _ := json.Marshal(out)
	return string(text)
}

func formatBound(ms float64) string {
	b, _ := json.Marshal(ms)
	return string(b)
}
