package persona_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/founderlab/founderlab/datasets/survey"
	"github.com/founderlab/founderlab/internal/testenv"
	"github.com/founderlab/founderlab/lib/metrics"
	"github.com/founderlab/founderlab/lib/persona"
)

// sameMatrix fails t unless a and b have the same shape and values.
func sameMatrix(t *testing.T, name string, a, b persona.Matrix) {
	t.Helper()
	if a.Rows != b.Rows || a.Cols != b.Cols {
		t.Fatalf("%s: %d×%d, want %d×%d", name, a.Rows, a.Cols, b.Rows, b.Cols)
	}
	for i := 0; i < a.Rows; i++ {
		for j := 0; j < a.Cols; j++ {
			if a.At(i, j) != b.At(i, j) {
				t.Fatalf("%s: [%d,%d] = %v, want %v", name, i, j, a.At(i, j), b.At(i, j))
			}
		}
	}
}

// encodeByHand fits an encoder with prep on tab and transforms tab, the two
// steps Encode joins.
func encodeByHand(t *testing.T, tab *persona.Profiles, prep persona.Prep) persona.Matrix {
	t.Helper()
	enc, err := persona.FitEncoder(tab, prep)
	if err != nil {
		t.Fatal(err)
	}
	X, err := enc.Transform(tab)
	if err != nil {
		t.Fatal(err)
	}
	return X
}

func TestEncodeWholesale(t *testing.T) {
	testenv.RequireData(t, "wholesale")
	ctx := context.Background()
	got, err := persona.EncodeWholesale(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := persona.LoadWholesale(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Profiles.Len() != 440 || got.X.Rows != 440 || got.X.Cols != 6 {
		t.Fatalf("EncodeWholesale: %d profiles, X %d×%d; want 440, 440×6", got.Profiles.Len(), got.X.Rows, got.X.Cols)
	}
	// Every column log1p'd and standardised: mean 0, sd 1, far less skewed than the raw amounts.
	for j, f := range got.Encoder.Features {
		if !f.Log1p || f.Scaling != persona.Standardize || f.Name != persona.WholesaleSpend()[j] {
			t.Errorf("feature %d = %+v, want %s log1p'd and standardised", j, f, persona.WholesaleSpend()[j])
		}
		col := got.X.Col(j)
		var mean, ss float64
		for _, v := range col {
			mean += v / float64(len(col))
		}
		for _, v := range col {
			ss += (v - mean) * (v - mean)
		}
		if sd := math.Sqrt(ss / float64(len(col))); math.Abs(mean) > 1e-9 || math.Abs(sd-1) > 1e-2 {
			t.Errorf("%s: encoded mean %g, sd %g; want 0, 1", f.Name, mean, sd)
		}
		raw, _ := tab.Numeric(f.Name)
		if math.Abs(persona.Skewness(col)) >= math.Abs(persona.Skewness(raw)) {
			t.Errorf("%s: encoded skewness %.2f not below raw %.2f", f.Name, persona.Skewness(col), persona.Skewness(raw))
		}
	}
	sameMatrix(t, "EncodeWholesale", got.X, encodeByHand(t, tab, persona.WholesalePrep()))
}

func TestEncodeSurvey(t *testing.T) {
	s, err := survey.Generate(survey.Config{N: 500, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	got, err := persona.EncodeSurvey(s)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := persona.FromSurvey(s)
	if err != nil {
		t.Fatal(err)
	}
	sameMatrix(t, "EncodeSurvey", got.X, encodeByHand(t, tab, persona.SurveyPrep()))
	logged := map[string]bool{}
	oneHot := 0
	for _, f := range got.Encoder.Features {
		logged[f.Name] = f.Log1p
		if f.Level >= 0 {
			oneHot++
			if f.Scale != 2 { // a 0/1 code weighted 0.5 is divided by 2
				t.Errorf("one-hot %s: scale %g, want 2 (category weight 0.5)", f.Name, f.Scale)
			}
		}
	}
	if !logged["income"] || !logged["monthly_spend"] || oneHot == 0 {
		t.Errorf("features: log1p %v, %d one-hot; want income and monthly_spend log1p'd and one-hot categories", logged, oneHot)
	}
}

func TestEncodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  func() error
	}{
		{"nil table", func() error { _, err := persona.Encode(nil, persona.Prep{}); return err }},
		{"unknown column", func() error {
			s, _ := survey.Generate(survey.Config{N: 50, Seed: 1})
			tab, _ := persona.FromSurvey(s)
			_, err := persona.Encode(tab, persona.Prep{Columns: []string{"no such column"}})
			return err
		}},
		{"nil survey", func() error { _, err := persona.EncodeSurvey(nil); return err }},
	} {
		if err := tc.err(); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestCompareEnginesNeedsAccelerator(t *testing.T) {
	X, _ := persona.MatrixFromRows([][]float64{{0}, {1}, {10}, {11}})
	_, err := persona.CompareEngines(context.Background(), X, persona.KMeans{K: 2, Seed: 1}, nil)
	if !errors.Is(err, persona.ErrNoAccelerator) {
		t.Fatalf("CompareEngines(nil accelerator) = %v, want ErrNoAccelerator", err)
	}
}

// The synthetic survey, encoded the way chapter 2 does, recovers its
// personas.
func ExampleEncodeSurvey() {
	s, _ := survey.Generate(survey.Config{N: 1000, Seed: 1})
	e, _ := persona.EncodeSurvey(s)
	m, _ := persona.KMeans{K: 4, Seed: 1}.Fit(context.Background(), e.X)
	ari, _ := metrics.AdjustedRand(s.Truth, m.Labels)
	fmt.Printf("%d respondents, %d features; ARI ≥ 0.95: %v\n", e.X.Rows, e.X.Cols, ari >= 0.95)
	// Output:
	// 1000 respondents, 18 features; ARI ≥ 0.95: true
}
