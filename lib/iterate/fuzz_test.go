package iterate

import (
	"math"
	"os"
	"strings"
	"testing"
)

// FuzzLoadPlan feeds the plan loader arbitrary bytes: it never panics,
// every error names the input, and an accepted plan's experiments test
// and size to finite numbers.
func FuzzLoadPlan(f *testing.F) {
	data, err := os.ReadFile("../../notebooks/data/diagnosis-iteration.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("product: x\nexperiments:\n  - {name: a, control: {name: A, visitors: 100.5, conversions: 1}, variant: {name: B, visitors: 9, conversions: 2}, level: 0.9, power: 7}\n"))
	f.Add([]byte("funnel: [{name: a, count: 1e308}, {name: b, count: 1}]\nbacklog: [{name: x, reach: 1e308, impact: 3, confidence: 1, effort: 1e-308}]\n"))
	f.Add([]byte("product: x\n---\nproduct: y\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "fuzz.yaml"
		p, err := parsePlan(data, name)
		if err != nil {
			if !strings.Contains(err.Error(), name) {
				t.Fatalf("error does not name the input: %v", err)
			}
			return
		}
		ranked, err := RICE(p.Backlog)
		if err != nil {
			t.Fatalf("accepted backlog fails: %v", err)
		}
		for _, r := range ranked {
			if math.IsNaN(r.Score) || math.IsInf(r.Score, 0) {
				t.Fatalf("item %q: score %v", r.Name, r.Score)
			}
		}
		for _, e := range p.Experiments {
			r, err := e.Test()
			if err != nil {
				t.Fatalf("accepted experiment fails: %v", err)
			}
			for _, v := range []float64{r.PA, r.PB, r.Diff, r.Z, r.PValue, r.CILow, r.CIHigh} {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("experiment %q: non-finite result in %+v", e.Name, r)
				}
			}
			if e.Power <= 1-e.Level || e.Power >= 1 {
				t.Fatalf("accepted power %v at level %v", e.Power, e.Level)
			}
			if n, err := SampleSize(r.PA, r.PB, 1-e.Level, e.Power); err == nil && (math.IsNaN(n) || n < 0) {
				t.Fatalf("sample size %v", n)
			}
		}
	})
}
