package iterate

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/lib/csvtable"
)

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol || math.IsNaN(got) != math.IsNaN(want) {
		t.Errorf("%s = %.10g, want %.10g (±%g)", what, got, want, tol)
	}
}

func TestValueModel(t *testing.T) {
	// α = 0.5, V₀ = 0, R = 4, 8, 0: V = 2, 5, 2.5.
	v, err := Value([]float64{4, 8, 0}, 0.5, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range []float64{2, 5, 2.5} {
		near(t, "V", v[i], w, 1e-15)
	}
	// Closed form Vₖ = (1−α)ᵏV₀ + Σ α(1−α)ᵏ⁻ⁱ Rᵢ on a longer series.
	r := []float64{3, 4, 2, 5, 5, 4, 1, 3, 4, 4}
	a, v0 := 0.3, 3.5
	v, _ = Value(r, a, v0)
	for k := 1; k <= len(r); k++ {
		want := math.Pow(1-a, float64(k)) * v0
		for i := 1; i <= k; i++ {
			want += a * math.Pow(1-a, float64(k-i)) * r[i-1]
		}
		near(t, "closed form", v[k-1], want, 1e-12)
	}
	// α = 1 copies the feedback.
	v, _ = Value(r, 1, 0)
	for i := range r {
		near(t, "α=1", v[i], r[i], 0)
	}
	for _, bad := range []float64{0, -0.1, 1.5, math.NaN()} {
		if _, err := Value(r, bad, 0); err == nil {
			t.Errorf("α=%g: no error", bad)
		}
	}
	if _, err := Value([]float64{1, math.Inf(1)}, 0.5, 0); err == nil || !strings.Contains(err.Error(), "feedback[1]") {
		t.Errorf("Inf feedback: %v", err)
	}
}

func TestAlphaChoice(t *testing.T) {
	// Half-life 1 reading: α = ½; half-life of α = ½ is 1.
	near(t, "α(h=1)", AlphaForHalfLife(1), 0.5, 1e-15)
	near(t, "h(α=AlphaForHalfLife(4))", HalfLife(AlphaForHalfLife(4)), 4, 1e-12)
	// EMA ~ SMA of N: α = 2/(N+1) → (2−α)/α = N.
	near(t, "window for α=2/11", EffectiveWindow(2.0/11), 10, 1e-12)
	sv, err := StartValue([]float64{2, 4, 9, 100}, 3)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "start value", sv, 5, 1e-15)
	// A series that jumps and stays: the best one-step predictor follows
	// at once (α = 1); a series alternating around a constant is best
	// predicted by heavy smoothing (small α).
	f, err := FitAlpha([]float64{1, 1, 1, 5, 5, 5, 5, 5}, 1, 20)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "α for a step", f.Alpha, 1, 1e-12)
	f, _ = FitAlpha([]float64{4, 2, 4, 2, 4, 2, 4, 2, 4, 2}, 3, 20)
	if f.Alpha > 0.2 {
		t.Errorf("α for alternating noise = %g, want ≤ 0.2", f.Alpha)
	}
	if len(f.Grid) != 20 || f.Grid[19] != 1 || len(f.Loss) != 20 {
		t.Errorf("grid %v", f.Grid)
	}
	// By hand: R = 4, 8 from V₀ = 0 with α = ½: errors 4 and 8 − 2 = 6 → 52.
	sse, err := PredictionError([]float64{4, 8}, 0.5, 0)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "PredictionError", sse, 52, 1e-12)
	// SSE at the chosen α is the minimum of the reported losses.
	for _, l := range f.Loss {
		if l < f.SSE {
			t.Errorf("loss %g below chosen SSE %g", l, f.SSE)
		}
	}
}

func TestNormal(t *testing.T) {
	// Published table values: Φ(1.96) = 0.9750021048517795,
	// Φ⁻¹(0.975) = 1.959963984540054, Φ⁻¹(0.8) = 0.8416212335729143.
	near(t, "Φ(1.96)", Phi(1.96), 0.9750021048517795, 1e-15)
	near(t, "Φ⁻¹(0.975)", PhiInv(0.975), 1.959963984540054, 1e-12)
	near(t, "Φ⁻¹(0.8)", PhiInv(0.8), 0.8416212335729143, 1e-12)
	near(t, "Φ(0)", Phi(0), 0.5, 0)
}

func TestZTest(t *testing.T) {
	// A: 200/2000 (10 %), B: 260/2000 (13 %). By hand:
	//   pooled p̂ = 460/4000 = 0.115, SE₀ = √(0.115·0.885·(2/2000)) = 0.0100884
	//   z = 0.03/0.0100884 = 2.97372, p = 2(1 − Φ(2.97372)) = 0.0029421
	//   SE = √(0.1·0.9/2000 + 0.13·0.87/2000) = 0.0100772
	//   95 % CI = 0.03 ± 1.959964·0.0100772 = [0.010249, 0.049751]
	r, err := ZTest(200, 2000, 260, 2000, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "z", r.Z, 2.973724282623409, 1e-9)
	near(t, "p", r.PValue, 0.002942093070459276, 1e-10)
	near(t, "CI low", r.CILow, 0.010249047029535802, 1e-10)
	near(t, "CI high", r.CIHigh, 0.049750952970464196, 1e-10)
	near(t, "lift", r.Lift, 0.3, 1e-12)
	if !r.Significant {
		t.Error("not significant")
	}
	// Swapping the arms flips z, keeps p.
	s, _ := ZTest(260, 2000, 200, 2000, 0.95)
	near(t, "swapped z", s.Z, -r.Z, 1e-12)
	near(t, "swapped p", s.PValue, r.PValue, 1e-15)
	// Equal rates: z = 0, p = 1; all zero: p = 1, no NaN.
	e, _ := ZTest(10, 100, 10, 100, 0.95)
	near(t, "equal p", e.PValue, 1, 1e-15)
	z, _ := ZTest(0, 100, 0, 100, 0.95)
	if z.PValue != 1 || math.IsNaN(z.Z) || z.Significant {
		t.Errorf("all-zero test: %+v", z)
	}
	if _, err := ZTest(5, 4, 1, 10, 0.95); err == nil {
		t.Error("x > n: no error")
	}
}

func TestWilson(t *testing.T) {
	// Newcombe (1998), Statistics in Medicine 17:857–872, Table II:
	// 81/263 → 0.2553–0.3662 and 15/148 → 0.0624–0.1605 (method 3).
	for _, c := range []struct {
		x, n   int
		lo, hi float64
	}{{81, 263, 0.2553, 0.3662}, {15, 148, 0.0624, 0.1605}} {
		lo, hi, err := Wilson(c.x, c.n, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "Wilson low", lo, c.lo, 0.00005)
		near(t, "Wilson high", hi, c.hi, 0.00005)
	}
	// x = 0: the lower limit is 0, the upper z²/(n+z²).
	lo, hi, _ := Wilson(0, 10, 0.95)
	z := PhiInv(0.975)
	near(t, "Wilson 0/10 low", lo, 0, 1e-15)
	near(t, "Wilson 0/10 high", hi, z*z/(10+z*z), 1e-12)
	r, _ := ZTest(81, 263, 15, 148, 0.95)
	near(t, "ABTest.IntervalA", r.IntervalA[0], 0.2553, 0.00005)
	near(t, "ABTest.IntervalB", r.IntervalB[1], 0.1605, 0.00005)
}

func TestPowerAndSampleSize(t *testing.T) {
	// R documentation, power.prop.test(n = 50, p1 = .50, p2 = .75):
	// power = 0.7401659.
	pw, err := Power(0.5, 0.75, 50, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "power(n=50)", pw, 0.7401659, 5e-8)
	// 10 % vs 12 %, α = 0.05, power 0.8, by hand: p̄ = 0.11,
	// 1.959964·√(2·0.11·0.89) = 1.959964·0.442493 = 0.867270,
	// 0.841621·√(0.1·0.9 + 0.12·0.88) = 0.841621·0.442267 = 0.372222,
	// n = (1.239492)² / 0.02² = 3840.85 per group.
	n, err := SampleSize(0.10, 0.12, 0.05, 0.8)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "n(10 % vs 12 %)", n, 3840.847, 0.01)
	// The two are inverses.
	for _, c := range []struct{ p1, p2, pw float64 }{{0.5, 0.75, 0.9}, {0.02, 0.025, 0.8}, {0.3, 0.2, 0.95}} {
		n, _ := SampleSize(c.p1, c.p2, 0.05, c.pw)
		got, _ := Power(c.p1, c.p2, n, 0.05)
		near(t, "Power(SampleSize)", got, c.pw, 1e-12)
	}
	if _, err := SampleSize(0.1, 0.1, 0.05, 0.8); err == nil {
		t.Error("equal rates: no error")
	}
}

func TestSurveys(t *testing.T) {
	// Promoters 10,9,9,10,9 (5); passives 8,7 (2); detractors 6,5,3 (3).
	// NPS = 50 − 30 = 20; SE = 100·√((0.5+0.3 − 0.2²)/10) = 27.568.
	n, err := NetPromoter([]float64{10, 9, 9, 8, 7, 6, 5, 10, 3, 9})
	if err != nil {
		t.Fatal(err)
	}
	if n.Promoters != 5 || n.Passives != 2 || n.Detractors != 3 {
		t.Errorf("counts %+v", n)
	}
	near(t, "NPS", n.Score, 20, 1e-12)
	near(t, "NPS SE", n.SE, 100*math.Sqrt(0.076), 1e-12)
	if _, err := NetPromoter([]float64{5, 11}); err == nil || !strings.Contains(err.Error(), "answer 1") {
		t.Errorf("11: %v", err)
	}
	if _, err := NetPromoter([]float64{7.5}); err == nil {
		t.Error("7.5: no error")
	}
	// CSAT: 4,5,3,5,2 → 3 satisfied of 5 = 60 %, mean 3.8.
	c, err := Satisfaction([]float64{4, 5, 3, 5, 2})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "CSAT", c.Score, 60, 1e-12)
	near(t, "CSAT mean", c.Mean, 3.8, 1e-12)
	if _, err := Satisfaction([]float64{0}); err == nil {
		t.Error("0: no error")
	}
}

func TestFunnel(t *testing.T) {
	r, err := Funnel([]Step{{"visit", 1000}, {"signup", 250}, {"upload", 100}, {"pay", 20}})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "signup from previous", r[1].FromPrevious, 0.25, 1e-15)
	near(t, "upload from previous", r[2].FromPrevious, 0.4, 1e-15)
	near(t, "pay from start", r[3].FromStart, 0.02, 1e-15)
	near(t, "pay drop-off", r[3].DropOff, 0.8, 1e-15)
	if _, err := Funnel([]Step{{"a", 10}, {"b", 20}}); err == nil || !strings.Contains(err.Error(), `"b" has 20 users`) {
		t.Errorf("increasing funnel: %v", err)
	}
}

func TestRICE(t *testing.T) {
	// Intercom's worked formula: 500·2·0.8/2 = 400; 2000·0.5·1/4 = 250;
	// 100·3·0.5/0.5 = 300.
	r, err := RICE([]Item{
		{"onboarding", 500, 2, 0.8, 2},
		{"dark mode", 2000, 0.5, 1, 4},
		{"export", 100, 3, 0.5, 0.5},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name  string
		score float64
	}{{"onboarding", 400}, {"export", 300}, {"dark mode", 250}}
	for i, w := range want {
		if r[i].Name != w.name || r[i].Rank != i+1 {
			t.Errorf("rank %d: %s, want %s", i+1, r[i].Name, w.name)
		}
		near(t, w.name, r[i].Score, w.score, 1e-12)
	}
	_, err = RICE([]Item{{"a", 1, 1, 1.5, 1}, {"b", 1, 1, 1, 0}})
	if err == nil || !strings.Contains(err.Error(), "confidence") || !strings.Contains(err.Error(), "effort") {
		t.Errorf("bad items: %v", err)
	}
}

// TestRICEErrors is the regression test for RICE scores that overflowed
// to +Inf without an error: every problem names the item, and scores
// beyond float64 wrap ErrOverflow.
func TestRICEErrors(t *testing.T) {
	for _, c := range []struct {
		name     string
		item     Item
		want     string
		overflow bool
	}{
		{"zero effort", Item{"sso", 100, 1, 1, 0}, `item 0 "sso": effort must be > 0, got 0`, false},
		{"negative effort", Item{"sso", 100, 1, 1, -2}, "effort must be > 0, got -2", false},
		{"infinite effort", Item{"sso", 100, 1, 1, math.Inf(1)}, "effort must be > 0, got +Inf", false},
		{"NaN reach", Item{"sso", math.NaN(), 1, 1, 1}, "reach must be ≥ 0, got NaN", false},
		{"no name", Item{"", 1, 1, 1, 1}, "item 0: name is empty", false},
		{"overflow", Item{"sso", 1e308, 3, 1, 1e-10}, `item 0 "sso": score reach 1e+308 × impact 3 × confidence 1 / effort 1e-10 overflows float64`, true},
		{"tiny effort", Item{"sso", 1e300, 1, 1, 1e-300}, "overflows float64", true},
		{"underflow", Item{"sso", 1e-300, 0.25, 1e-10, 1e20}, `item 0 "sso": score reach 1e-300 × impact 0.25 × confidence 1e-10 / effort 1e+20 is too small for float64`, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := RICE([]Item{c.item})
			if err == nil || r != nil || !strings.HasPrefix(err.Error(), "iterate: RICE: item 0") || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("RICE = %v, %v; want an error containing %q", r, err, c.want)
			}
			if got := errors.Is(err, ErrOverflow); got != c.overflow {
				t.Errorf("errors.Is(err, ErrOverflow) = %v", got)
			}
		})
	}
	// A product that overflows while the score does not is still scored.
	r, err := RICE([]Item{{"big", 1e308, 3, 1, 10}, {"zero reach", 0, 1, 1, 1e-300}})
	if err != nil || r[0].Score != 3e307 || r[1].Score != 0 {
		t.Fatalf("RICE = %+v, %v; want scores 3e307 and 0", r, err)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "plan.yaml")
	os.WriteFile(p, []byte(`product: x
experiments:
  - name: cta
    control: {name: A, visitors: 100, conversions: 10}
    variant: {name: B, visitors: 100, conversions: 20}
    level: 0.95
    power: 0.8
funnel:
  - {name: visit, count: 100}
  - {name: pay, count: 10}
backlog:
  - {name: a, reach: 1, impact: 1, confidence: 1, effort: 1}
`), 0o644)
	plan, err := LoadPlan(p)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Experiments[0].Variant.Conversions != 20 || len(plan.Funnel) != 2 {
		t.Errorf("plan %+v", plan)
	}
	os.WriteFile(p, []byte("product: x\nbacklog:\n  - {name: a, reach: 1, impact: 1, confidense: 1, effort: 1}\n"), 0o644)
	if _, err := LoadPlan(p); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("misspelt field: %v", err)
	}
	c := filepath.Join(dir, "f.csv")
	os.WriteFile(c, []byte("week,score,nps\n1,3.5,9\n2,4,x\n"), 0o644)
	_, err = LoadColumns(c, "score", "nps")
	var pe *csvtable.ParseError
	if !errors.As(err, &pe) || pe.Line != 3 || pe.Column != "nps" || !errors.Is(err, csvtable.ErrNotNumber) || !strings.Contains(err.Error(), c) {
		t.Errorf("bad cell: %v", err)
	}
	if _, err := LoadColumns(c, "csat"); !errors.Is(err, csvtable.ErrNoColumn) {
		t.Errorf("missing column: %v", err)
	}
	os.WriteFile(c, []byte("week,score\n1,3.5\n2,4\n"), 0o644)
	cols, err := LoadColumns(c, "score")
	if err != nil || len(cols[0]) != 2 || cols[0][1] != 4 {
		t.Errorf("LoadColumns = %v, %v", cols, err)
	}
}

func TestHTML(t *testing.T) {
	r, _ := ZTest(200, 2000, 260, 2000, 0.95)
	if h := r.HTML(); !strings.Contains(h, "[1.02 %, 4.98 %]") || !strings.Contains(h, "significant") {
		t.Errorf("ABTest.HTML: %s", h)
	}
	items, _ := RICE([]Item{{"<x>", 1, 1, 1, 1}})
	if strings.Contains(BacklogHTML(items), "<x>") {
		t.Error("item name not escaped")
	}
}
