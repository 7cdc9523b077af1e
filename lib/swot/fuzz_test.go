package swot

import (
	"os"
	"testing"
)

// FuzzParse feeds Parse arbitrary YAML and JSON: it never panics, and what
// it accepts validates and scores without error.
func FuzzParse(f *testing.F) {
	data, err := os.ReadFile("../../notebooks/data/feasibility-diagnosis.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data, false)
	f.Add([]byte(goodYAML), false)
	f.Add([]byte(goodYAML+"trl:\n  target: 4.5\n  evidence: [\"1.1\"]\n"), false)
	f.Add([]byte(goodYAML+"---\nsubject: y\n"), false)
	f.Add([]byte(`{"subject": "x", "strengths": [{"name": "a", "weight": 1, "rating": 3}]} x`), true)
	f.Fuzz(func(t *testing.T, data []byte, isJSON bool) {
		format := YAML
		if isJSON {
			format = JSON
		}
		a, err := Parse(data, format)
		if err != nil {
			return
		}
		if err := a.Validate(); err != nil {
			t.Fatalf("accepted an invalid analysis: %v", err)
		}
		if _, err := a.Score(); err != nil {
			t.Fatalf("accepted analysis does not score: %v", err)
		}
	})
}
