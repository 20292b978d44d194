package rollout

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fake answers a fixed response (or error) and counts its calls.
type fake struct {
	answer []byte
	err    error
	delay  time.Duration
	calls  atomic.Int64
}

func (f *fake) Evaluate(ctx context.Context, design []byte) ([]byte, error) {
	f.calls.Add(1)
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return f.answer, f.err
}

const emptyResponse = `{"design":{"components":[],"relationships":[]}}`

func designWithID(id string) []byte {
	return []byte(fmt.Sprintf(`{"id":%q,"components":[],"relationships":[]}`, id))
}

func TestRoutingIsStablePerDesignIDAndNearThePercentage(t *testing.T) {
	tests := []struct {
		percent float64
	}{{0}, {10}, {50}, {100}}
	for _, test := range tests {
		t.Run(fmt.Sprint(test.percent), func(t *testing.T) {
			first := New(Config{CandidatePercent: test.percent})
			second := New(Config{CandidatePercent: test.percent})
			routed := 0
			const designs = 10000
			for i := range designs {
				id := fmt.Sprintf("design-%d", i)
				if first.UsesCandidate(id) != second.UsesCandidate(id) || first.UsesCandidate(id) != first.UsesCandidate(id) {
					t.Fatalf("design %s changed route", id)
				}
				if first.UsesCandidate(id) {
					routed++
				}
			}
			share := 100 * float64(routed) / designs
			if share < test.percent-2 || share > test.percent+2 {
				t.Fatalf("%.1f%% of designs went to the candidate, configured %.0f%%", share, test.percent)
			}
		})
	}
}

func TestACandidateErrorFallsBackToThePrimary(t *testing.T) {
	primary := &fake{answer: []byte(emptyResponse)}
	candidate := &fake{err: errors.New("candidate broke")}
	r := New(Config{Primary: primary, Candidate: candidate, CandidatePercent: 100})
	got, err := r.Evaluate(context.Background(), designWithID("d"))
	if err != nil || string(got) != emptyResponse {
		t.Fatalf("want the primary's answer, got %q, %v", got, err)
	}
	c := r.Metrics().Counters()
	if c.Fallbacks != 1 || c.CandidateErrors != 1 || c.ServedPrimary != 1 || c.ServedCandidate != 0 {
		t.Fatalf("counters: %+v", c)
	}
}

func TestASlowCandidateFallsBackToThePrimary(t *testing.T) {
	primary := &fake{answer: []byte(emptyResponse)}
	candidate := &fake{answer: []byte(emptyResponse), delay: time.Minute}
	r := New(Config{Primary: primary, Candidate: candidate, CandidatePercent: 100, CandidateTimeout: 20 * time.Millisecond})
	started := time.Now()
	if _, err := r.Evaluate(context.Background(), designWithID("d")); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(started); elapsed > 5*time.Second {
		t.Fatalf("the fallback took %v", elapsed)
	}
	if c := r.Metrics().Counters(); c.Fallbacks != 1 {
		t.Fatalf("counters: %+v", c)
	}
}

func TestShadowComparesOffTheRequestPath(t *testing.T) {
	primary := &fake{answer: []byte(emptyResponse)}
	candidate := &fake{answer: []byte(emptyResponse), delay: 50 * time.Millisecond}
	r := New(Config{Primary: primary, Candidate: candidate, CandidatePercent: 0, Shadow: true})
	started := time.Now()
	if _, err := r.Evaluate(context.Background(), designWithID("d")); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(started); elapsed >= 50*time.Millisecond {
		t.Fatalf("the request waited %v for the shadow", elapsed)
	}
	r.Wait()
	if c := r.Metrics().Counters(); c.ShadowMatches != 1 || candidate.calls.Load() != 1 {
		t.Fatalf("counters: %+v", c)
	}
	if primaryLatency, candidateLatency := r.Metrics().Latency(); primaryLatency.Count() != 1 || candidateLatency.Count() != 1 {
		t.Fatal("latencies were not recorded")
	}
}

func TestAMismatchNamesTheDifferingRelationshipAndField(t *testing.T) {
	design := `{"id":"d","components":[{"id":"pod","displayName":"web","component":{"kind":"Pod"},"configuration":{}},{"id":"ns","displayName":"team","component":{"kind":"Namespace"},"configuration":{}}]}`
	withParent := `{"design":{"components":[
		{"id":"pod","displayName":"web","component":{"kind":"Pod"},"configuration":{"metadata":{"namespace":"team"}}},
		{"id":"ns","displayName":"team","component":{"kind":"Namespace"},"configuration":{}}],
	"relationships":[{"id":"r1","kind":"hierarchical","type":"parent","subType":"inventory","status":"approved",
		"selectors":[{"allow":{"from":[{"id":"pod","kind":"Pod"}],"to":[{"id":"ns","kind":"Namespace"}]}}]}]}}`
	without := `{"design":{"components":[
		{"id":"pod","displayName":"web","component":{"kind":"Pod"},"configuration":{}},
		{"id":"ns","displayName":"team","component":{"kind":"Namespace"},"configuration":{}}],"relationships":[]}}`
	var reported []Mismatch
	r := New(Config{
		Primary: &fake{answer: []byte(withParent)}, Candidate: &fake{answer: []byte(without)},
		Shadow: true, OnMismatch: func(m Mismatch) { reported = append(reported, m) },
	})
	if _, err := r.Evaluate(context.Background(), []byte(design)); err != nil {
		t.Fatal(err)
	}
	r.Wait()
	if len(reported) != 1 {
		t.Fatalf("want one mismatch, got %d", len(reported))
	}
	text := reported[0].String()
	for _, want := range []string{
		`relationship only in primary (1): hierarchical/parent/inventory approved from [Pod "web" (pod)] to [Namespace "team" (ns)]`,
		`component Pod "web" (pod) configuration /metadata: primary {"namespace":"team"}, candidate absent`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	if r.Metrics().LastMismatch() != text {
		t.Error("the last mismatch is not the sample in the metrics")
	}
}

func TestGeneratedComponentIDsAreComparedByKindAndName(t *testing.T) {
	design := `{"components":[]}`
	a := `{"design":{"components":[{"id":"random-1","displayName":"ns","component":{"kind":"Namespace"},"configuration":{}}],"relationships":[]}}`
	b := `{"design":{"components":[{"id":"random-2","displayName":"ns","component":{"kind":"Namespace"},"configuration":{}}],"relationships":[]}}`
	differences, err := Compare([]byte(design), []byte(a), []byte(b))
	if err != nil || len(differences) != 0 {
		t.Fatalf("generated ids made a difference: %v %v", differences, err)
	}
}

func TestShadowsBeyondTheBoundAreDroppedNotQueued(t *testing.T) {
	blocked := &fake{answer: []byte(emptyResponse), delay: 200 * time.Millisecond}
	r := New(Config{Primary: &fake{answer: []byte(emptyResponse)}, Candidate: blocked, Shadow: true, MaxShadows: 1})
	for i := range 3 {
		if _, err := r.Evaluate(context.Background(), designWithID(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	r.Wait()
	if c := r.Metrics().Counters(); c.ShadowDropped != 2 || c.ShadowMatches != 1 {
		t.Fatalf("counters: %+v", c)
	}
}
