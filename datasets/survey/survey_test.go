package survey

import (
	"bytes"
	"encoding/csv"
	"math"
	"strings"
	"testing"
)

func TestGenerateDeterministic(t *testing.T) {
	a, err := Generate(Config{N: 500, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generate(Config{N: 500, Seed: 7})
	c, _ := Generate(Config{N: 500, Seed: 8})
	var ba, bb, bc bytes.Buffer
	a.WriteCSV(&ba, true)
	b.WriteCSV(&bb, true)
	c.WriteCSV(&bc, true)
	if ba.String() != bb.String() {
		t.Fatal("same seed, different samples")
	}
	if ba.String() == bc.String() {
		t.Fatal("different seeds, same sample")
	}
	recs, err := csv.NewReader(&ba).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 501 || len(recs[0]) != len(Columns())+1 || recs[0][len(recs[0])-1] != "persona" {
		t.Fatalf("CSV has %d records of %d fields", len(recs), len(recs[0]))
	}
}

func TestGenerateFollowsPersonas(t *testing.T) {
	s, err := Generate(Config{N: 20000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ps := s.Personas
	count := make([]float64, len(ps))
	ageSum := make([]float64, len(ps))
	age := s.Num[0]
	for i, p := range s.Truth {
		count[p]++
		ageSum[p] += age[i]
	}
	var wsum float64
	for _, p := range ps {
		wsum += p.Weight
	}
	for p := range ps {
		share := count[p] / float64(s.Len())
		if math.Abs(share-ps[p].Weight/wsum) > 0.015 {
			t.Errorf("%s: share %.3f, weight %.3f", ps[p].Name, share, ps[p].Weight/wsum)
		}
		mean := ageSum[p] / count[p]
		if want := ps[p].Numeric["age"].Mean; math.Abs(mean-want) > 0.5 {
			t.Errorf("%s: mean age %.2f, want about %.0f", ps[p].Name, mean, want)
		}
	}
	for j, c := range s.Columns {
		if c.Unit == "1–5" {
			for _, v := range s.Num[j] {
				if v < 1 || v > 5 || v != math.Round(v) {
					t.Fatalf("%s: Likert answer %v", c.Name, v)
				}
			}
		}
	}
}

func TestGenerateBadConfig(t *testing.T) {
	bad := DefaultPersonas()
	delete(bad[1].Numeric, "income")
	zero := DefaultPersonas()
	zero[0].Weight = 0
	short := DefaultPersonas()
	short[2].Categorical["region"] = []float64{1}
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{N: 0}, "N = 0"},
		{Config{N: 5, Personas: []Persona{}}, "no personas"},
		{Config{N: 5, Personas: bad}, `no distribution for "income"`},
		{Config{N: 5, Personas: zero}, "weight 0"},
		{Config{N: 5, Personas: short}, "1 probabilities"},
	} {
		if _, err := Generate(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.cfg.N, err, tc.want)
		}
	}
}
