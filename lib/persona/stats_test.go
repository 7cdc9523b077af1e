package persona

import (
	"math"
	"strings"
	"testing"
)

// closeOrNaN reports whether a and b agree to 1e-12 (both NaN counts as equal).
func closeOrNaN(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b))
}

func TestMedian(t *testing.T) {
	tests := []struct {
		x    []float64
		want float64
	}{
		{nil, math.NaN()},
		{[]float64{7}, 7},
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{10, -5}, 2.5},
		{[]float64{1, 1, 1, 100}, 1},
	}
	for _, tt := range tests {
		in := append([]float64(nil), tt.x...)
		if got := Median(tt.x); !closeOrNaN(got, tt.want) {
			t.Errorf("Median(%v) = %v, want %v", tt.x, got, tt.want)
		}
		for i := range in {
			if in[i] != tt.x[i] {
				t.Fatalf("Median modified its input: %v, was %v", tt.x, in)
			}
		}
	}
}

func TestSkewness(t *testing.T) {
	// Hand computed: for {1, 2, 3, 10}, mean 4, deviations −3 −2 −1 6,
	// m₂ = (9+4+1+36)/4 = 12.5, m₃ = (−27−8−1+216)/4 = 45,
	// g₁ = 45 / 12.5^1.5 = 45 / 44.1941738… = 1.0182337649…
	// For {0, 0, 0, 4}: mean 1, m₂ = (1+1+1+9)/4 = 3, m₃ = (−1−1−1+27)/4 = 6,
	// g₁ = 6 / 3^1.5 = 2/√3.
	tests := []struct {
		name string
		x    []float64
		want float64
	}{
		{"empty", nil, math.NaN()},
		{"constant", []float64{5, 5, 5}, math.NaN()},
		{"symmetric", []float64{1, 2, 3, 4, 5}, 0},
		{"right tail", []float64{1, 2, 3, 10}, 45 / math.Pow(12.5, 1.5)},
		{"one outlier", []float64{0, 0, 0, 4}, 2 / math.Sqrt(3)},
		{"left tail", []float64{0, 0, 0, -4}, -2 / math.Sqrt(3)},
		{"shift and scale invariant", []float64{100, 100, 100, 140}, 2 / math.Sqrt(3)},
	}
	for _, tt := range tests {
		if got := Skewness(tt.x); !closeOrNaN(got, tt.want) {
			t.Errorf("%s: Skewness(%v) = %v, want %v", tt.name, tt.x, got, tt.want)
		}
	}
	if got := Skewness([]float64{1, 2, 3, 10}); math.Abs(got-1.0182337649) > 1e-9 {
		t.Errorf("Skewness({1,2,3,10}) = %.10f, want 1.0182337649", got)
	}
}

func TestSummarize(t *testing.T) {
	tab, err := NewProfiles("test.csv",
		[]Column{{Name: "spend", Kind: Numeric}, {Name: "channel", Kind: Categorical, Levels: []string{"a", "b"}}, {Name: "visits", Kind: Numeric}},
		[][]float64{{1, 2, 3, 10}, nil, {0, 0, 0, 4}}, [][]int{nil, {0, 1, 0, 1}, nil})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Summarize(tab)
	if err != nil {
		t.Fatal(err)
	}
	want := []Summary{
		{Column: "spend", N: 4, Min: 1, Median: 2.5, Mean: 4, Max: 10, SD: math.Sqrt(12.5), Skewness: 45 / math.Pow(12.5, 1.5)},
		{Column: "visits", N: 4, Min: 0, Median: 0, Mean: 1, Max: 4, SD: math.Sqrt(3), Skewness: 2 / math.Sqrt(3)},
	}
	if len(got) != len(want) {
		t.Fatalf("Summarize = %+v, want %+v", got, want)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Column != w.Column || g.N != w.N || !closeOrNaN(g.Min, w.Min) || !closeOrNaN(g.Median, w.Median) ||
			!closeOrNaN(g.Mean, w.Mean) || !closeOrNaN(g.Max, w.Max) || !closeOrNaN(g.SD, w.SD) || !closeOrNaN(g.Skewness, w.Skewness) {
			t.Errorf("summary %d = %+v, want %+v", i, g, w)
		}
	}
	named, err := Summarize(tab, "visits")
	if err != nil || len(named) != 1 || named[0].Column != "visits" {
		t.Errorf("Summarize(tab, visits) = %+v, %v", named, err)
	}

	for _, tt := range []struct {
		col, msg string
	}{
		{"channel", `column "channel" is categorical`},
		{"age", `no column "age"`},
	} {
		if _, err := Summarize(tab, tt.col); err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("Summarize(tab, %q) error = %v, want one containing %q", tt.col, err, tt.msg)
		}
	}
	empty, err := NewProfiles("empty.csv", []Column{{Name: "x", Kind: Numeric}}, [][]float64{{}}, [][]int{nil})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Summarize(empty); err == nil || !strings.Contains(err.Error(), "no rows") {
		t.Errorf("Summarize(empty) error = %v, want 'no rows'", err)
	}
}
