package swot

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.10g, want %.10g (±%g)", what, got, want, tol)
	}
}

// handAnalysis has quadrant scores computable by hand:
//
//	S: A (w 2, r 4), B (w 1, r 1) → 2/3·4 + 1/3·1 = 3
//	W: C (w 1, r 2)               → 2
//	O: D (w 3, r 5), E (w 1, r 1) → 3/4·5 + 1/4·1 = 4
//	T: F (w 1, r 3)               → 3
func handAnalysis() *Analysis {
	return &Analysis{
		Subject:       "hand",
		Strengths:     []Factor{{Name: "A", Weight: 2, Rating: 4}, {Name: "B", Weight: 1, Rating: 1}},
		Weaknesses:    []Factor{{Name: "C", Weight: 1, Rating: 2}},
		Opportunities: []Factor{{Name: "D", Weight: 3, Rating: 5}, {Name: "E", Weight: 1, Rating: 1}},
		Threats:       []Factor{{Name: "F", Weight: 1, Rating: 3}},
		Strategies:    []Strategy{{Kind: WT, Text: "hedge", Uses: []string{"C", "F"}}, {Kind: SO, Text: "launch", Uses: []string{"A", "B", "D"}}},
	}
}

func TestScoresByHand(t *testing.T) {
	s, err := handAnalysis().Score()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		q    Quadrant
		want float64
	}{{Strengths, 3}, {Weaknesses, 2}, {Opportunities, 4}, {Threats, 3}} {
		near(t, c.q.String(), s.Quadrant(c.q), c.want, 1e-12)
	}
	f, err := s.Feasibility()
	if err != nil {
		t.Fatal(err)
	}
	near(t, "corrected (S+O)/(S+W+O+T)", f, 7.0/12, 1e-12)
	p, err := s.AsPrinted()
	if err != nil {
		t.Fatal(err)
	}
	// Printed, S₊ = S, S₋ = W, W₊+T₊ = O, W₋+T₋ = T: (3+3)/(3+2+4+3) = 6/12.
	near(t, "as printed", p, 6.0/12, 1e-12)
	in, err := s.Seed(Intended)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "intended (S+O)/(S+W+O+T)", in, 7.0/12, 1e-12)
	// Opportunities enlarge only the printed denominator: with O = 1 the
	// printed score rises to 6/9 while the intended one falls to 4/9.
	s2 := s
	s2.O = 1
	p2, _ := s2.AsPrinted()
	f2, _ := s2.Feasibility()
	in2, _ := s2.Seed(Intended)
	near(t, "as printed with O=1", p2, 6.0/9, 1e-12)
	near(t, "classic with O=1", f2, 4.0/9, 1e-12)
	near(t, "intended with O=1", in2, 4.0/9, 1e-12)
	if r := s.Ranked(Strengths); r[0].Factor.Name != "A" || len(r) != 2 {
		t.Errorf("Ranked(Strengths) = %+v", r)
	}
}

func TestSeedTermsByHand(t *testing.T) {
	cases := []struct {
		name     string
		terms    SeedTerms
		printed  float64 // (S₊+S₊)/Σ
		intended float64 // (S₊+W₊+T₊)/Σ
	}{
		{"1..6", SeedTerms{1, 2, 3, 4, 5, 6}, 2.0 / 21, 9.0 / 21},
		{"strength dominates: printed exceeds 1", SeedTerms{5, 1, 1, 0, 1, 0}, 10.0 / 8, 7.0 / 8},
		{"balanced", SeedTerms{2, 2, 1, 1, 3, 3}, 4.0 / 12, 6.0 / 12},
		{"no opportunity", SeedTerms{3, 1, 0, 2, 0, 2}, 6.0 / 8, 3.0 / 8},
		{"all positive", SeedTerms{SPlus: 1, WPlus: 2, TPlus: 3}, 2.0 / 6, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := c.terms.Feasibility(Printed)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "printed", p, c.printed, 1e-15)
			in, err := c.terms.Feasibility(Intended)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "intended", in, c.intended, 1e-15)
			tm := c.terms
			lit, err := AsPrinted(tm.SPlus, tm.SMinus, tm.WPlus, tm.WMinus, tm.TPlus, tm.TMinus)
			if err != nil || lit != p {
				t.Errorf("AsPrinted = %g, %v; want %g", lit, err, p)
			}
		})
	}
}

// Both readings depend on market and technical opportunities (threats) only
// through their sum, so Scores.Seed needs no split of O and T.
func TestSeedSplitInvariance(t *testing.T) {
	s, _ := handAnalysis().Score() // S 3, W 2, O 4, T 3
	for _, r := range []Reading{Intended, Printed} {
		want, err := s.Seed(r)
		if err != nil {
			t.Fatal(err)
		}
		for _, split := range []SeedTerms{
			{SPlus: 3, SMinus: 2, WPlus: 4, WMinus: 3},
			{SPlus: 3, SMinus: 2, TPlus: 4, TMinus: 3},
			{SPlus: 3, SMinus: 2, WPlus: 1.5, TPlus: 2.5, WMinus: 1, TMinus: 2},
		} {
			got, err := split.Feasibility(r)
			if err != nil {
				t.Fatal(err)
			}
			near(t, fmt.Sprintf("%v %+v", r, split), got, want, 1e-15)
		}
	}
}

func TestSeedTermsErrors(t *testing.T) {
	cases := []struct {
		terms SeedTerms
		r     Reading
		want  string
	}{
		{SeedTerms{}, Printed, "denominator is 0"},
		{SeedTerms{}, Intended, "denominator is 0"},
		{SeedTerms{SPlus: 1, WMinus: -1}, Intended, "W₋ = -1"},
		{SeedTerms{SPlus: math.NaN()}, Printed, "S₊ = NaN"},
		{SeedTerms{TMinus: math.Inf(1)}, Intended, "T₋ = +Inf"},
		{SeedTerms{SPlus: 1}, Reading(7), "unknown reading Reading(7)"},
	}
	for _, c := range cases {
		_, err := c.terms.Feasibility(c.r)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v under %v: error %v, want it to contain %q", c.terms, c.r, err, c.want)
		}
	}
	if _, err := AsPrinted(0, 0, 0, 0, 0, 0); err == nil {
		t.Error("zero denominator: want error")
	}
	if Intended.String() != "intended" || Printed.String() != "printed" {
		t.Errorf("Reading names: %v, %v", Intended, Printed)
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(a *Analysis)
		wants []string
	}{
		{"rating above scale", func(a *Analysis) { a.Strengths[0].Rating = 6 }, []string{"strengths[0].rating", "outside the scale 1..5"}},
		{"zero weight", func(a *Analysis) { a.Threats[0].Weight = 0 }, []string{"threats[0].weight"}},
		{"NaN weight", func(a *Analysis) { a.Threats[0].Weight = math.NaN() }, []string{"threats[0].weight"}},
		{"duplicate name", func(a *Analysis) { a.Weaknesses[0].Name = "A" }, []string{"weaknesses[0].name", "already used at strengths[0]"}},
		{"bad scale", func(a *Analysis) { a.Scale = &Scale{Min: 5, Max: 1} }, []string{"scale"}},
		{"strategy wrong quadrant", func(a *Analysis) { a.Strategies[0].Uses = []string{"A", "F"} }, []string{"strategies[0]", "WT strategy cannot use Strengths factor"}},
		{"strategy unknown factor", func(a *Analysis) { a.Strategies[1].Uses = []string{"A", "Z"} }, []string{"unknown factor \"Z\""}},
		{"strategy one-sided", func(a *Analysis) { a.Strategies[1].Uses = []string{"A"} }, []string{"must use at least one Strengths and one Opportunities"}},
		{"TRL unknown item", func(a *Analysis) { a.TRL = &TRLInput{Evidence: []string{"1.1", "10.1"}} }, []string{"trl.evidence", "10.1"}},
		{"cost-benefit kind", func(a *Analysis) {
			a.CostBenefit = &CostBenefit{Rate: 0.1, Flows: []Flow{{Name: "x", Kind: "gain", Amounts: []float64{1}}}}
		}, []string{"cost_benefit.flows[0].kind"}},
	}
	for _, c := range cases {
		a := handAnalysis()
		c.edit(a)
		err := a.Validate()
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		for _, w := range c.wants {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", c.name, err, w)
			}
		}
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Errorf("%s: error is not a *FieldError", c.name)
		}
	}
	if err := handAnalysis().Validate(); err != nil {
		t.Errorf("valid analysis: %v", err)
	}
}

func TestTOWS(t *testing.T) {
	m, err := TOWS(handAnalysis())
	if err != nil {
		t.Fatal(err)
	}
	// Contributions: A 8/3, B 1/3, C 2, D 15/4, E 1/4, F 3.
	so := m.Cells[SO]
	if len(so) != 4 {
		t.Fatalf("SO has %d pairs, want 4", len(so))
	}
	if so[0].Internal != "A" || so[0].External != "D" {
		t.Errorf("top SO pair = %s×%s, want A×D", so[0].Internal, so[0].External)
	}
	near(t, "A×D", so[0].Score, 8.0/3*15/4, 1e-12)
	near(t, "last SO (B×E)", so[3].Score, 1.0/3*1/4, 1e-12)
	if so[0].Text != "launch" {
		t.Errorf("A×D text = %q, want launch", so[0].Text)
	}
	near(t, "WT C×F", m.Cells[WT][0].Score, 6, 1e-12)
	if len(m.Strategies) != 2 || m.Strategies[0].Text != "launch" {
		t.Fatalf("strategies = %+v", m.Strategies)
	}
	// launch: (8/3 + 1/3) · 15/4 = 11.25; hedge: 2·3 = 6.
	near(t, "launch score", m.Strategies[0].Score, 11.25, 1e-12)
	near(t, "hedge score", m.Strategies[1].Score, 6, 1e-12)
	if got := len(m.Top(ST, 1)); got != 1 {
		t.Errorf("Top(ST,1) has %d", got)
	}
}

func TestAssessTRL(t *testing.T) {
	cl := Checklist()
	cases := []struct {
		evidence []string
		level    int
		missing  []string
		ahead    []string
	}{
		{nil, 0, []string{"1.1", "1.2"}, nil},
		{[]string{"1.1", "1.2", "2.1"}, 1, []string{"2.2"}, nil},
		{[]string{"1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2", "5.2", "7.1"}, 4, []string{"5.1"}, []string{"7.1"}},
		{allItems(cl), 9, nil, nil},
	}
	for _, c := range cases {
		a, err := AssessTRL(cl, c.evidence)
		if err != nil {
			t.Fatal(err)
		}
		if a.Level != c.level {
			t.Errorf("%v: level %d, want %d", c.evidence, a.Level, c.level)
		}
		var miss []string
		for _, m := range a.Missing {
			miss = append(miss, m.ID)
		}
		if strings.Join(miss, ",") != strings.Join(c.missing, ",") {
			t.Errorf("%v: missing %v, want %v", c.evidence, miss, c.missing)
		}
		if strings.Join(a.Ahead, ",") != strings.Join(c.ahead, ",") {
			t.Errorf("%v: ahead %v, want %v", c.evidence, a.Ahead, c.ahead)
		}
		if len(a.Done) != 9 {
			t.Errorf("Done has %d levels", len(a.Done))
		}
	}
	a, _ := AssessTRL(cl, []string{"5.2"})
	near(t, "Done[4] with half of level 5", a.Done[4], 0.5, 0)
	if _, err := AssessTRL(cl, []string{"3.9"}); err == nil || !strings.Contains(err.Error(), `"3.9"`) {
		t.Errorf("unknown item: err = %v", err)
	}
}

func allItems(cl []TRLLevel) []string {
	var ids []string
	for _, l := range cl {
		for _, it := range l.Items {
			ids = append(ids, it.ID)
		}
	}
	return ids
}

func TestNPVPublished(t *testing.T) {
	// Microsoft Excel NPV function documentation, example 1: rate 10 %,
	// flows −10 000, 3 000, 4 200, 6 800 at the END of years 1–4 →
	// 1 188.44. Excel discounts its first value one period, so it is
	// flows[1…4] here with flows[0] = 0.
	near(t, "Excel NPV ex. 1", NPV(0.10, []float64{0, -10000, 3000, 4200, 6800}), 1188.44, 0.005)
	// Excel NPV example 2: rate 8 %, −40 000 at the start, then 8 000,
	// 9 200, 10 000, 12 000, 14 500 → 1 922.06; with a loss of 9 000 in
	// year 6 → −3 749.47.
	flows := []float64{-40000, 8000, 9200, 10000, 12000, 14500}
	near(t, "Excel NPV ex. 2", NPV(0.08, flows), 1922.06, 0.005)
	near(t, "Excel NPV ex. 2, year-6 loss", NPV(0.08, append(flows, -9000)), -3749.47, 0.005)
	near(t, "NPV at 0 is the plain sum", NPV(0, flows), 13700, 1e-9)
}

func TestIRRPublished(t *testing.T) {
	// Microsoft Excel IRR function documentation: flows −70 000, 12 000,
	// 15 000, 18 000, 21 000, 26 000 → 8.66 %; the first five → −2.12 %;
	// the first three → −44.35 %.
	flows := []float64{-70000, 12000, 15000, 18000, 21000, 26000}
	for _, c := range []struct {
		n    int
		want float64
	}{{6, 0.0866}, {5, -0.0212}, {3, -0.4435}} {
		r, err := IRR(flows[:c.n])
		if err != nil {
			t.Fatal(err)
		}
		near(t, "Excel IRR", r, c.want, 0.00005)
		near(t, "NPV at IRR", NPV(r, flows[:c.n]), 0, 1e-6)
	}
	// −100 then 110: IRR exactly 10 %.
	r, err := IRR([]float64{-100, 110})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "IRR(−100, 110)", r, 0.10, 1e-9)
	if _, err := IRR([]float64{100, 50}); !errors.Is(err, ErrNoIRR) {
		t.Errorf("all-positive flows: err = %v, want ErrNoIRR", err)
	}
}

func TestPayback(t *testing.T) {
	// Cumulative −1000, −700, −300, +200: paid back 300/500 into period 3.
	pb, ok := Payback(0, []float64{-1000, 300, 400, 500})
	if !ok {
		t.Fatal("not paid back")
	}
	near(t, "payback", pb, 2.6, 1e-12)
	// Discounted at 10 %: PVs −1000, 272.73, 330.58, 375.66 → cumulative
	// −21.04 after period 3, so never within the horizon.
	if _, ok := Payback(0.10, []float64{-1000, 300, 400, 500}); ok {
		t.Error("discounted payback: want none")
	}
	// Add 600 in period 4 (PV 409.81): 21.04/409.81 = 0.0513 into period 4.
	pb, ok = Payback(0.10, []float64{-1000, 300, 400, 500, 600})
	if !ok {
		t.Fatal("discounted: not paid back")
	}
	want := 3 + (1000-300/1.1-400/1.21-500/1.331)/(600/1.4641)
	near(t, "discounted payback", pb, want, 1e-12)
	near(t, "discounted payback ≈ 3.051", pb, 3.051, 0.001)
	// Edge cases: an investment after a zero first period; a cumulative
	// flow that recovers, dips again and recovers for good; never negative.
	for _, c := range []struct {
		flows []float64
		want  float64
		ok    bool
	}{
		{[]float64{0, -100, 50, 100}, 2.5, true},     // cum 0, −100, −50, +50
		{[]float64{-100, 150, -100, 100}, 2.5, true}, // cum −100, 50, −50, 50
		{[]float64{10, 5}, 0, true},
		{[]float64{-10, 5}, 0, false},
		{nil, 0, false},
	} {
		got, ok := Payback(0, c.flows)
		if ok != c.ok || (ok && math.Abs(got-c.want) > 1e-12) {
			t.Errorf("Payback(%v) = %g, %v; want %g, %v", c.flows, got, ok, c.want, c.ok)
		}
	}
}

func handCB() *CostBenefit {
	return &CostBenefit{Rate: 0.10, Flows: []Flow{
		{Name: "build", Kind: Cost, Amounts: []float64{100}},
		{Name: "sales", Kind: Benefit, Amounts: []float64{0, 60, 60}},
	}}
}

func TestEvaluate(t *testing.T) {
	s, err := handCB().Evaluate()
	if err != nil {
		t.Fatal(err)
	}
	// NPV = −100 + 60/1.1 + 60/1.21 = 4.1322.
	near(t, "NPV", s.NPV, -100+60/1.1+60/1.21, 1e-9)
	// IRR: 60/(1+r) + 60/(1+r)² = 100 → r = 0.1306623863.
	near(t, "IRR", s.IRR, 0.1306623863, 1e-9)
	near(t, "ROI", s.ROI, 0.2, 1e-12)
	near(t, "BCR", s.BCR, (60/1.1+60/1.21)/100, 1e-12)
	near(t, "payback", s.Payback, 1+40.0/60, 1e-12)
	near(t, "discounted payback", s.DiscountedPayback, 1+(100-60/1.1)/(60/1.21), 1e-12)
	if len(s.Net) != 3 || s.Net[0] != -100 || s.Net[2] != 60 {
		t.Errorf("Net = %v", s.Net)
	}
	if h := s.HTML(); !strings.Contains(h, "NPV") || !strings.Contains(h, "-100") {
		t.Errorf("HTML lacks NPV row or net flow: %s", h)
	}
}

func TestTornado(t *testing.T) {
	tor, err := handCB().Tornado(0.2)
	if err != nil {
		t.Fatal(err)
	}
	pv := 60/1.1 + 60/1.21
	near(t, "base", tor.Base, pv-100, 1e-9)
	if len(tor.Bars) != 3 {
		t.Fatalf("%d bars", len(tor.Bars))
	}
	// Swings: sales 0.4·pv = 41.65, build 0.4·100 = 40, rate 5.59.
	if tor.Bars[0].Input != "sales" || tor.Bars[1].Input != "build" || tor.Bars[2].Input != "discount rate" {
		t.Fatalf("order = %s, %s, %s", tor.Bars[0].Input, tor.Bars[1].Input, tor.Bars[2].Input)
	}
	near(t, "sales low", tor.Bars[0].Low, 0.8*pv-100, 1e-9)
	near(t, "sales high", tor.Bars[0].High, 1.2*pv-100, 1e-9)
	near(t, "build low (cost ×0.8)", tor.Bars[1].Low, pv-80, 1e-9)
	near(t, "rate low (8 %)", tor.Bars[2].Low, -100+60/1.08+60/1.08/1.08, 1e-9)
	near(t, "rate high (12 %)", tor.Bars[2].High, -100+60/1.12+60/1.12/1.12, 1e-9)
	if _, err := handCB().Tornado(1.5); err == nil {
		t.Error("delta 1.5: want error")
	}
}

func TestFeatureMatrix(t *testing.T) {
	m := &FeatureMatrix{Max: 2,
		Features: []Feature{{"accuracy", 3}, {"price", 1}},
		Products: []Product{
			{Name: "us", Ours: true, Scores: map[string]float64{"accuracy": 2}},
			{Name: "them", Scores: map[string]float64{"accuracy": 1, "price": 2}},
		}}
	scores, gaps, err := m.Rank()
	if err != nil {
		t.Fatal(err)
	}
	// us: 3/4·2/2 + 0 = 0.75; them: 3/4·1/2 + 1/4·2/2 = 0.625.
	if scores[0].Name != "us" {
		t.Errorf("ranking = %+v", scores)
	}
	near(t, "us", scores[0].Score, 0.75, 1e-12)
	near(t, "them", scores[1].Score, 0.625, 1e-12)
	if len(gaps) != 1 || gaps[0].Feature != "price" || gaps[0].Leader != "them" || gaps[0].Best != 2 {
		t.Errorf("gaps = %+v", gaps)
	}
	m.Products[1].Scores["speed"] = 1
	if _, _, err := m.Rank(); err == nil || !strings.Contains(err.Error(), "products[1].scores.speed") {
		t.Errorf("unknown feature: err = %v", err)
	}
}

const goodYAML = `subject: test
strengths:
  - {name: A, weight: 2, rating: 4}
weaknesses:
  - {name: C, weight: 1, rating: 2}
opportunities:
  - name: D
    weight: 1
    rating: 5
threats:
  - {name: F, weight: 1, rating: 3}
`

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, err := Load(write("ok.yaml", goodYAML))
	if err != nil {
		t.Fatal(err)
	}
	if a.Opportunities[0].Rating != 5 {
		t.Errorf("decoded %+v", a.Opportunities)
	}
	bad := strings.Replace(goodYAML, "rating: 5", "rating: 9", 1)
	_, err = Load(write("bad.yaml", bad))
	if err == nil || !strings.Contains(err.Error(), "line 9: opportunities[0].rating: 9 is outside the scale") || !strings.Contains(err.Error(), "bad.yaml") {
		t.Errorf("bad rating: err = %v", err)
	}
	_, err = Load(write("unknown.yaml", goodYAML+"colour: red\n"))
	if err == nil || !strings.Contains(err.Error(), "colour") {
		t.Errorf("unknown field: err = %v", err)
	}
	_, err = Load(write("bad.json", `{"subject": "x", "strengths": [`))
	if err == nil {
		t.Error("truncated JSON: no error")
	}
	_, err = Load(write("unk.json", `{"subject": "x", "stregths": []}`))
	if err == nil || !strings.Contains(err.Error(), "stregths") {
		t.Errorf("misspelt JSON field: err = %v", err)
	}
}

func TestSaveRoundTrip(t *testing.T) {
	dir := t.TempDir()
	a := handAnalysis()
	a.CostBenefit = handCB()
	a.TRL = &TRLInput{Target: 6, Evidence: []string{"1.1", "1.2"}}
	for _, name := range []string{"a.yaml", "a.json"} {
		p := filepath.Join(dir, name)
		if err := Save(p, a); err != nil {
			t.Fatal(err)
		}
		b, err := Load(p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s1, _ := a.Score()
		s2, _ := b.Score()
		if s1.S != s2.S || s1.T != s2.T || b.CostBenefit.Flows[1].Amounts[2] != 60 || b.TRL.Target != 6 {
			t.Errorf("%s: round trip changed the analysis", name)
		}
	}
	// An invalid analysis is refused and the file on disk is untouched.
	p := filepath.Join(dir, "a.yaml")
	before, _ := os.ReadFile(p)
	a.Strengths[0].Rating = 0
	if err := Save(p, a); err == nil {
		t.Error("saving an invalid analysis: no error")
	}
	after, _ := os.ReadFile(p)
	if string(before) != string(after) {
		t.Error("failed save changed the file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("directory has %d entries (temporary files left?)", len(entries))
	}
}

func TestHTML(t *testing.T) {
	s, _ := handAnalysis().Score()
	h := s.HTML()
	for _, w := range []string{"quadrant score S", "<td", "0.667"} {
		if !strings.Contains(h, w) {
			t.Errorf("Scores.HTML lacks %q", w)
		}
	}
	m, _ := TOWS(handAnalysis())
	if h := m.HTML(2); !strings.Contains(h, "A × D") || !strings.Contains(h, "launch") {
		t.Errorf("TOWS HTML: %s", h)
	}
	a := &Analysis{Subject: `<script>`, Strengths: []Factor{{Name: "<b>x</b>", Weight: 1, Rating: 1}}}
	s, _ = a.Score()
	if strings.Contains(s.HTML(), "<b>x") {
		t.Error("factor name not escaped")
	}
}

func TestFeasibilityHTML(t *testing.T) {
	s, _ := handAnalysis().Score()
	h := s.FeasibilityHTML(DefaultScale)
	// S 3, W 2, T 3 and O at 4 (this analysis), 1 and 5 (the scale's ends):
	// printed 2S/Σ = 6/12, 6/9, 6/13; intended (S+O)/Σ = 7/12, 4/9, 8/13.
	for _, w := range []string{">0.500<", ">0.667<", ">0.462<", ">0.583<", ">0.444<", ">0.615<", "W₊ market opportunity"} {
		if !strings.Contains(h, w) {
			t.Errorf("FeasibilityHTML lacks %s: %s", w, h)
		}
	}
}
