package rollout

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// maxDifferences bounds one report: enough to see the pattern, short enough to read.
const maxDifferences = 20

// response is the part of an EvaluationResponse the comparison reads.
type response struct {
	Design struct {
		Components    []component    `json:"components"`
		Relationships []relationship `json:"relationships"`
	} `json:"design"`
}

type component struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Component   struct {
		Kind string `json:"kind"`
	} `json:"component"`
	Configuration any `json:"configuration"`
}

type endpoint struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
}

type relationship struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Type      string `json:"type"`
	SubType   string `json:"subType"`
	Status    string `json:"status"`
	Selectors []struct {
		Allow struct {
			From []endpoint `json:"from"`
			To   []endpoint `json:"to"`
		} `json:"allow"`
	} `json:"selectors"`
}

// Compare compares two EvaluationResponses of one design structurally and returns what differs,
// in words a person can act on (nil when they agree): components by identity and configuration,
// and the multiset of relationships as (kind, type, subType, status, from, to). Ids the design
// already had are compared as they are; ids an engine generated (components it added) are
// replaced by the component's kind and name, since two engines cannot agree on random ids.
func Compare(design, primary, candidate []byte) ([]string, error) {
	var input response
	var a, b response
	var inputDesign struct {
		Components []component `json:"components"`
	}
	if err := json.Unmarshal(design, &inputDesign); err != nil {
		return nil, fmt.Errorf("the design: %w", err)
	}
	input.Design.Components = inputDesign.Components
	if err := json.Unmarshal(primary, &a); err != nil {
		return nil, fmt.Errorf("the primary's response: %w", err)
	}
	if err := json.Unmarshal(candidate, &b); err != nil {
		return nil, fmt.Errorf("the candidate's response: %w", err)
	}
	known := map[string]string{}
	for _, c := range input.Design.Components {
		known[c.ID] = fmt.Sprintf("%q (%s)", c.DisplayName, c.ID)
	}
	var differences []string
	differences = append(differences, compareComponents(known, a, b)...)
	differences = append(differences, compareRelationships(known, a, b)...)
	if len(differences) > maxDifferences {
		differences = append(differences[:maxDifferences], fmt.Sprintf("… and %d more", len(differences)-maxDifferences))
	}
	return differences, nil
}

// names maps a response's component ids to stable names: the design's name and id when the
// design had the component, else "new <kind> <displayName>".
func names(known map[string]string, r response) map[string]string {
	out := map[string]string{}
	for _, c := range r.Design.Components {
		if label, ok := known[c.ID]; ok {
			out[c.ID] = label
		} else {
			out[c.ID] = fmt.Sprintf("new %s %q", c.Component.Kind, c.DisplayName)
		}
	}
	return out
}

func describeComponent(c component) string {
	return fmt.Sprintf("%s %q (%s)", c.Component.Kind, c.DisplayName, c.ID)
}

func compareComponents(known map[string]string, a, b response) []string {
	byName := func(r response) map[string]component {
		n := names(known, r)
		out := map[string]component{}
		for _, c := range r.Design.Components {
			out[n[c.ID]] = c
		}
		return out
	}
	left, right := byName(a), byName(b)
	var differences []string
	for _, key := range sortedKeys(left) {
		c, ok := right[key]
		if !ok {
			differences = append(differences, "component only in primary: "+describeComponent(left[key]))
			continue
		}
		for _, d := range diffValues("", left[key].Configuration, c.Configuration) {
			differences = append(differences, fmt.Sprintf("component %s configuration%s", describeComponent(c), d))
		}
		if left[key].DisplayName != c.DisplayName {
			differences = append(differences, fmt.Sprintf("component %s displayName: primary %q, candidate %q", key, left[key].DisplayName, c.DisplayName))
		}
	}
	for _, key := range sortedKeys(right) {
		if _, ok := left[key]; !ok {
			differences = append(differences, "component only in candidate: "+describeComponent(right[key]))
		}
	}
	return differences
}

// relationshipKey is a relationship without its id, endpoints by stable name.
func relationshipKey(n map[string]string, r relationship) string {
	side := func(endpoints func(int) []endpoint) string {
		var parts []string
		for i := range r.Selectors {
			for _, e := range endpoints(i) {
				name := n[e.ID]
				if name == "" {
					name = e.ID
				}
				parts = append(parts, e.Kind+" "+name)
			}
		}
		sort.Strings(parts)
		return "[" + strings.Join(parts, ", ") + "]"
	}
	from := side(func(i int) []endpoint { return r.Selectors[i].Allow.From })
	to := side(func(i int) []endpoint { return r.Selectors[i].Allow.To })
	return fmt.Sprintf("%s/%s/%s %s from %s to %s", r.Kind, r.Type, r.SubType, r.Status, from, to)
}

func compareRelationships(known map[string]string, a, b response) []string {
	count := func(r response) map[string]int {
		n := names(known, r)
		out := map[string]int{}
		for _, rel := range r.Design.Relationships {
			out[relationshipKey(n, rel)]++
		}
		return out
	}
	left, right := count(a), count(b)
	var differences []string
	for _, key := range sortedKeys(left) {
		if extra := left[key] - right[key]; extra > 0 {
			differences = append(differences, fmt.Sprintf("relationship only in primary (%d): %s", extra, key))
		}
	}
	for _, key := range sortedKeys(right) {
		if extra := right[key] - left[key]; extra > 0 {
			differences = append(differences, fmt.Sprintf("relationship only in candidate (%d): %s", extra, key))
		}
	}
	return differences
}

// diffValues lists the JSON pointers where two decoded JSON values differ, with both values.
func diffValues(path string, a, b any) []string {
	if reflect.DeepEqual(a, b) {
		return nil
	}
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		var out []string
		keys := map[string]bool{}
		for k := range am {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		for _, k := range sortedKeys(keys) {
			av, ain := am[k]
			bv, bin := bm[k]
			child := path + "/" + strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
			switch {
			case !bin:
				out = append(out, fmt.Sprintf(" %s: primary %s, candidate absent", child, brief(av)))
			case !ain:
				out = append(out, fmt.Sprintf(" %s: primary absent, candidate %s", child, brief(bv)))
			default:
				out = append(out, diffValues(child, av, bv)...)
			}
		}
		return out
	}
	if path == "" {
		path = " (whole)"
	}
	return []string{fmt.Sprintf(" %s: primary %s, candidate %s", strings.TrimPrefix(path, " "), brief(a), brief(b))}
}

func brief(v any) string {
	text, _ := json.Marshal(v)
	if len(text) > 80 {
		return string(text[:77]) + "…"
	}
	return string(text)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
