package canvas

import (
	"context"
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

func fullCanvas() *Canvas {
	it := func(s string) []Item { return []Item{{Text: s}} }
	return &Canvas{Name: "clinic AI",
		CustomerSegments: it("hospitals"), ValuePropositions: it("faster triage"), Channels: it("direct sales"),
		CustomerRelationships: it("account managers"), KeyResources: it("<labelled data>"), KeyActivities: it("model training"),
		KeyPartnerships: it("cloud provider"),
		RevenueStreams:  []Amount{{Name: "licences", Amount: 30000}, {Name: "services", Amount: 6000}},
		CostStructure:   []Amount{{Name: "staff", Amount: 20000}, {Name: "cloud", Amount: 4000}},
	}
}

func TestRatio(t *testing.T) {
	m, r, c, err := fullCanvas().Ratio()
	if err != nil {
		t.Fatal(err)
	}
	// (30000 + 6000) / (20000 + 4000) = 1.5.
	near(t, "M", m, 1.5, 1e-15)
	near(t, "ΣR", r, 36000, 0)
	near(t, "ΣC", c, 24000, 0)
	cv := fullCanvas()
	cv.CostStructure = nil
	if _, _, _, err := cv.Ratio(); err == nil {
		t.Error("no costs: want error")
	}
}

func TestCanvasValidateAndHTML(t *testing.T) {
	cv := fullCanvas()
	if err := cv.Validate(); err != nil {
		t.Fatal(err)
	}
	h := cv.HTML()
	for _, b := range Blocks {
		if !strings.Contains(h, b.String()) {
			t.Errorf("HTML lacks block %q", b)
		}
	}
	for _, w := range []string{"&lt;labelled data&gt;", "grid-template-columns:repeat(10,1fr)", "<b>1.50</b>", "licences: 30,000"} {
		if !strings.Contains(h, w) {
			t.Errorf("HTML lacks %q", w)
		}
	}
	cv.Channels = nil
	cv.CostStructure[1].Amount = -1
	err := cv.Validate()
	if err == nil || !strings.Contains(err.Error(), "Channels: block is empty") || !strings.Contains(err.Error(), `Cost Structure[1] "cloud"`) {
		t.Errorf("Validate = %v", err)
	}
}

// handModel: one subscription stream, hand-computable.
//
//	price 10, 100 new per month, churn 10 %, CAC 50, variable 20 % of
//	revenue + 1 per customer, fixed 1000 per month.
//	Nₜ = 0.9·Nₜ₋₁ + 100 → 100, 190, 271, …, → 1000 (= 1000(1 − 0.9ᵗ)).
//	profit(t) = 10N − 2N − N − 5000 − 1000 = 7N − 6000 ≥ 0 ⇔ N ≥ 857.14
//	⇔ 0.9ᵗ ≤ 1/7 ⇔ t ≥ ln 7 / ln(1/0.9) = 18.47 → month 19.
func handModel() *Model {
	return &Model{Name: "hand", Months: 36,
		Streams: []Stream{{Name: "plan", Kind: Subscription, Segment: B2C, Price: 10, NewPerMonth: 100,
			Churn: 0.1, CAC: 50, VariableShare: 0.2, ServingCost: 1}},
		FixedCosts: []FixedCost{{Name: "team", Monthly: 1000}}}
}

func TestSimulateByHand(t *testing.T) {
	sim, err := Simulate(context.Background(), handModel())
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ n, rev, total, profit float64 }{
		{100, 1000, 300 + 5000 + 1000, -5300},
		{190, 1900, 570 + 5000 + 1000, -4670},
		{271, 2710, 813 + 5000 + 1000, -4103},
	}
	for i, w := range want {
		mo := sim.Months[i]
		near(t, "customers", mo.Customers[0], w.n, 1e-9)
		near(t, "revenue", mo.Revenue, w.rev, 1e-9)
		near(t, "total cost", mo.TotalCost, w.total, 1e-9)
		near(t, "profit", mo.Profit, w.profit, 1e-9)
	}
	near(t, "cumulative after 3", sim.Months[2].Cumulative, -5300-4670-4103, 1e-9)
	near(t, "N₃₆ closed form", sim.Months[35].Customers[0], 1000*(1-math.Pow(0.9, 36)), 1e-9)
	if sim.BreakEven != 19 {
		t.Errorf("break-even month %d, want 19", sim.BreakEven)
	}
	if sim.Months[17].Profit >= 0 || sim.Months[18].Profit < 0 {
		t.Errorf("profit around break-even: %g, %g", sim.Months[17].Profit, sim.Months[18].Profit)
	}
	// Cumulative break-even: first month with cumulative ≥ 0; check it
	// against the months themselves and that it follows the operating one.
	cb := sim.CumulativeBreakEven
	if cb != 0 && (sim.Months[cb-1].Cumulative < 0 || sim.Months[cb-2].Cumulative >= 0 || cb < sim.BreakEven) {
		t.Errorf("cumulative break-even %d inconsistent", cb)
	}
	near(t, "funding need", sim.MinCumulative, sim.Months[17].Cumulative, 1e-9)

	// Unit economics: ARPU 10, GM (10 − 2 − 1)/10 = 0.7, LTV 7/0.1 = 70,
	// LTV/CAC 1.4, CAC payback 50/7 months.
	u := handModel().Streams[0].Unit()
	near(t, "ARPU", u.ARPU, 10, 1e-12)
	near(t, "GM", u.GrossMargin, 0.7, 1e-12)
	near(t, "LTV", u.LTV, 70, 1e-9)
	near(t, "LTV/CAC", u.LTVToCAC, 1.4, 1e-12)
	near(t, "CAC payback", u.CACPayback, 50.0/7, 1e-12)
	// One stream at constant price and churn: blended equals steady state.
	b := sim.Blended()
	near(t, "blended ARPU", b.ARPU, 10, 1e-9)
	near(t, "blended GM", b.GrossMargin, 0.7, 1e-9)
	near(t, "blended churn", b.Churn, 0.1, 1e-12)
	near(t, "blended CAC", b.CAC, 50, 1e-9)
}

func TestRevenueKinds(t *testing.T) {
	cases := []struct {
		s    Stream
		arpu float64
	}{
		{Stream{Kind: Subscription, Price: 9}, 9},
		{Stream{Kind: SaaS, Price: 20, Seats: 5}, 100},
		{Stream{Kind: Advertising, Price: 4, Impressions: 300}, 1.2}, // 300/1000 · 4
		{Stream{Kind: ValueAdded, Price: 30, AttachRate: 0.1}, 3},
		{Stream{Kind: Usage, Price: 0.01, Units: 200}, 2},
	}
	for _, c := range cases {
		c.s.Name, c.s.Segment, c.s.StartCustomers = string(c.s.Kind), B2B, 10
		m := &Model{Name: "k", Months: 1, Streams: []Stream{c.s}}
		sim, err := Simulate(context.Background(), m)
		if err != nil {
			t.Fatal(err)
		}
		near(t, string(c.s.Kind)+" revenue", sim.Months[0].Revenue, 10*c.arpu, 1e-9)
		near(t, string(c.s.Kind)+" ARPU", c.s.Unit().ARPU, c.arpu, 1e-12)
	}
}

func TestGrowthAndFixedStart(t *testing.T) {
	m := &Model{Name: "g", Months: 5,
		Streams:    []Stream{{Name: "s", Kind: Subscription, Segment: B2B, Price: 1, NewPerMonth: 100, Growth: 0.5}},
		FixedCosts: []FixedCost{{Name: "office", Monthly: 200, StartMonth: 3, Growth: 0.1}}}
	sim, err := Simulate(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	// nₜ = 100·1.5ᵗ⁻¹: 100, 150, 225, 337.5, 506.25.
	near(t, "new in month 4", sim.Months[3].New[0], 337.5, 1e-9)
	near(t, "customers in month 5", sim.Months[4].Customers[0], 100+150+225+337.5+506.25, 1e-9)
	// Fixed: 0, 0, 200, 220, 242.
	for i, w := range []float64{0, 0, 200, 220, 242} {
		near(t, "fixed", sim.Months[i].FixedCost, w, 1e-9)
	}
	if got := sim.StreamTotals()[0]; math.Abs(got-(100+250+475+812.5+1318.75)) > 1e-9 {
		t.Errorf("stream total %g", got)
	}
}

func TestSimulateErrors(t *testing.T) {
	m := handModel()
	m.Streams[0].Churn = 1.2
	m.Streams = append(m.Streams, Stream{Name: "api", Kind: Usage, Segment: "B2G", Price: 1})
	_, err := Simulate(context.Background(), m)
	for _, w := range []string{"churn must be in [0, 1)", "usage needs units", `segment "B2G"`} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v lacks %q", err, w)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Simulate(ctx, handModel()); err == nil {
		t.Error("cancelled context: no error")
	}
}

func TestPricing(t *testing.T) {
	p, err := CostPlus(40, 0.25)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "cost-plus", p, 50, 1e-12)
	// EVC = 100 + 60 − 10 = 150; price = 100 + 0.5·50 = 125.
	price, evc, err := ValueBased(Value{Reference: 100, Positive: 60, Negative: 10, Capture: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "EVC", evc, 150, 1e-12)
	near(t, "value price", price, 125, 1e-12)
	if _, _, err := ValueBased(Value{Reference: 1, Capture: 2}); err == nil {
		t.Error("capture 2: want error")
	}
	// (100·0.5 + 80·0.3 + 120·0.2)/1.0 · 1.1 = 98 · 1.1 = 107.8.
	c, err := CompetitionBased([]Competitor{{"a", 100, 0.5}, {"b", 80, 0.3}, {"c", 120, 0.2}}, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "competition", c, 107.8, 1e-9)
	if _, err := CompetitionBased(nil, 0); err == nil {
		t.Error("no competitors: want error")
	}
}

// TestVanWestendorpWorked checks a worked example small enough to do by
// hand (TestVanWestendorpPublished checks published ones). Five
// respondents (too cheap, cheap, expensive, too expensive):
//
//	(10, 20, 30, 50) (15, 25, 40, 60) (20, 30, 45, 70) (25, 40, 60, 90) (60, 70, 80, 120)
//
// Curves at the named prices (shares of 5; F is 0 at and below a
// question's lowest answer and 1 at and above its highest):
//
//	p    TC   C    notC  E    notE  TE
//	20   .4   1    0     0    1     0     (20 is the lowest "cheap": F_C = 0)
//	25   .2   .6   .4    0    1     0
//	30   .2   .4   .6    0    1     0     (30 is the lowest "expensive")
//	40   .2   .2   .8    .4   .6    0
//	50   .2   .2   .8    .6   .4    0     (50 is the lowest "too expensive")
//	60   0    .2   .8    .8   .2    .4    (60 is the highest "too cheap")
//
// PMC: notC − TC = −.4 at 20, +.2 at 25 → 20 + 5·.4/.6 = 23⅓.
// OPP: TE − TC = −.2 at 50, +.4 at 60 → 50 + 10·.2/.6 = 53⅓.
// IPP: E − C = −.4 at 30, +.2 at 40 → 30 + 10·.4/.6 = 36⅔.
// PME: TE − notE = −.4 at 50, +.2 at 60 → 50 + 10·.4/.6 = 56⅔.
func TestVanWestendorpWorked(t *testing.T) {
	ans := []PSMAnswer{{10, 20, 30, 50}, {15, 25, 40, 60}, {20, 30, 45, 70}, {25, 40, 60, 90}, {60, 70, 80, 120},
		{50, 40, 30, 20}, // inconsistent: dropped
		{10, 10, 30, 40}, // not strictly increasing: dropped
	}
	r, err := VanWestendorp(ans)
	if err != nil {
		t.Fatal(err)
	}
	if r.Respondents != 5 || r.Dropped != 2 {
		t.Errorf("respondents %d dropped %d", r.Respondents, r.Dropped)
	}
	near(t, "PMC", r.PMC, 70.0/3, 1e-12)
	near(t, "OPP", r.OPP, 160.0/3, 1e-12)
	near(t, "IPP", r.IPP, 110.0/3, 1e-12)
	near(t, "PME", r.PME, 170.0/3, 1e-12)
	if len(r.Prices) != 13 || r.Prices[0] != 10 || r.Prices[12] != 120 {
		t.Errorf("prices %v", r.Prices)
	}
	// Spot-check the table row at p = 40 (index 5 in 10,15,20,25,30,40,…).
	i := 5
	for _, c := range []struct {
		name string
		got  float64
		want float64
	}{{"TC", r.TooCheap[i], .2}, {"C", r.Cheap[i], .2}, {"notC", r.NotCheap[i], .8}, {"E", r.Expensive[i], .4}, {"notE", r.NotExpensive[i], .6}, {"TE", r.TooExpensive[i], 0}} {
		near(t, c.name+"(40)", c.got, c.want, 1e-12)
	}
	if !strings.Contains(r.HTML(), "23.33 – 56.67") {
		t.Error("HTML lacks the acceptable range")
	}
	if _, err := VanWestendorp(ans[5:]); err == nil {
		t.Error("only inconsistent answers: want error")
	}
}

func TestIntersect(t *testing.T) {
	x := []float64{10, 20, 30, 40}
	for _, c := range []struct {
		name string
		a, b []float64
		want float64 // NaN: no intersection
	}{
		{"crosses between samples", []float64{0, .2, .6, 1}, []float64{1, .6, .4, 0}, 20 + 10*.4/.6},
		{"touches 0 at a sample", []float64{0, .5, .5, 1}, []float64{1, .5, .5, 0}, 20},
		{"starts above: first change wins", []float64{.5, .1, 1, 1}, []float64{0, .5, 0, 0}, 10 + 10*.5/.9},
		{"never changes sign", []float64{1, 1, 1, 1}, []float64{0, 0, 0, 0}, math.NaN()},
		{"equal throughout", []float64{.5, .5, .5, .5}, []float64{.5, .5, .5, .5}, math.NaN()},
	} {
		got, ok := intersect(x, c.a, c.b)
		if math.IsNaN(c.want) {
			if ok {
				t.Errorf("%s: got %g, want none", c.name, got)
			}
			continue
		}
		if !ok || math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: got %g (%v), want %g", c.name, got, ok, c.want)
		}
	}
}

func TestECDF(t *testing.T) {
	// F is 0 at and below the lowest answer and 1 at and above the highest.
	got := ecdf([]float64{2, 2, 3, 5}, []float64{1, 2, 3, 4, 5, 6})
	want := []float64{0, 0, .75, .75, 1, 1}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ecdf = %v, want %v", got, want)
		}
	}
}

func TestLoadFiles(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "m.yaml")
	os.WriteFile(p, []byte("name: x\nmonths: 12\nstreams:\n  - name: s\n    kind: subscription\n    segment: B2C\n    price: 5\n    new_per_month: 10\n    chrun: 0.1\nfixed_costs: []\n"), 0o644)
	_, err := LoadModel(p)
	if err == nil || !strings.Contains(err.Error(), "line 9") || !strings.Contains(err.Error(), "chrun") {
		t.Errorf("misspelt field: %v", err)
	}
	c := filepath.Join(dir, "a.csv")
	os.WriteFile(c, []byte("id,too_cheap,cheap,expensive,too_expensive\n1,10,20,30,40\n2,5,x,30,40\n"), 0o644)
	_, err = LoadPSM(c)
	var pe *csvtable.ParseError
	if !errors.As(err, &pe) || pe.Line != 3 || pe.Column != "cheap" || !errors.Is(err, csvtable.ErrNotNumber) || !strings.Contains(err.Error(), `line 3, column "cheap"`) {
		t.Errorf("bad number: %v", err)
	}
	os.WriteFile(c, []byte("too_cheap,cheap,expensive\n1,2,3\n"), 0o644)
	if _, err = LoadPSM(c); !errors.Is(err, csvtable.ErrNoColumn) || !strings.Contains(err.Error(), "too_expensive") {
		t.Errorf("missing column: %v", err)
	}
	os.WriteFile(c, []byte("too_cheap,cheap,expensive,too_expensive\n1,2,3,4\n"), 0o644)
	a, err := LoadPSM(c)
	if err != nil || len(a) != 1 || a[0].TooExpensive != 4 {
		t.Errorf("LoadPSM = %v, %v", a, err)
	}
}

func TestPricingFile(t *testing.T) {
	p := &Pricing{Product: "x", UnitCost: 8, Markup: 1.5,
		Value:       Value{Reference: 30, Positive: 25, Negative: 5, Capture: 0.5},
		Competitors: []Competitor{{"a", 29, 0.5}, {"b", 45, 0.3}, {"c", 19, 0.2}}, Premium: 0.1}
	pts, err := p.Prices()
	if err != nil {
		t.Fatal(err)
	}
	// 8·2.5 = 20; 30 + 0.5·20 = 40; (14.5 + 13.5 + 3.8)·1.1 = 34.98.
	near(t, "cost-plus", pts[0].Price, 20, 1e-12)
	near(t, "value", pts[1].Price, 40, 1e-12)
	near(t, "competition", pts[2].Price, 34.98, 1e-9)
	for i, want := range []struct {
		m    PricingMethod
		name string
	}{{MethodCostBased, "Cost-based"}, {MethodValueBased, "Value-based"}, {MethodCompetitionBased, "Competition-based"}} {
		if pts[i].Method != want.m || pts[i].Method.String() != want.name {
			t.Errorf("price %d: method %v, want %s", i, pts[i].Method, want.name)
		}
	}
	if s := PricingMethod(7).String(); s != "PricingMethod(7)" {
		t.Errorf("unknown method prints as %q", s)
	}
	h := PriceTable(pts, &PSM{PMC: 25, PME: 38})
	if strings.Count(h, ">yes<") != 1 || strings.Count(h, ">no<") != 2 || !strings.Contains(h, ">Competition-based<") {
		t.Errorf("range column wrong: %s", h)
	}
}

func TestSankeyBalances(t *testing.T) {
	for _, months := range []int{6, 60} { // loss-making, then profitable
		m := handModel()
		m.Months = months
		m.Streams = append(m.Streams, Stream{Name: "api", Kind: Usage, Segment: B2B, Units: 100, Price: 0.5, NewPerMonth: 3})
		sim, err := Simulate(context.Background(), m)
		if err != nil {
			t.Fatal(err)
		}
		in, out := map[string]float64{}, map[string]float64{}
		for _, l := range sim.Sankey() {
			out[l.Source] += l.Value
			in[l.Target] += l.Value
		}
		var rev, cost float64
		for _, mo := range sim.Months {
			rev += mo.Revenue
			cost += mo.TotalCost
		}
		near(t, "Revenue inflow", in["Revenue"], rev, 1e-6)
		for _, node := range []string{"B2C revenue", "B2B revenue", "Revenue"} {
			near(t, node+" balance", out[node], in[node], 1e-6)
		}
		near(t, "costs paid", in["Variable costs"]+in["Acquisition"]+in["Fixed costs"], cost, 1e-6)
		if rev < cost {
			near(t, "funding", out["Funding"], cost-rev, 1e-6)
		} else {
			near(t, "profit", in["Profit"], rev-cost, 1e-6)
		}
	}
}
