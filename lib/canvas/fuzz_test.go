package canvas

import (
	"context"
	"os"
	"strings"
	"testing"
)

// FuzzLoadYAML feeds the three YAML loaders (canvas, revenue model,
// pricing) arbitrary bytes: they never panic, every error names the
// input, and what they accept is valid and computes only finite numbers
// (or an error): Simulate, Blended, Sankey and Prices.
func FuzzLoadYAML(f *testing.F) {
	for _, name := range []string{"robo-advisor-canvas.yaml", "robo-advisor-model.yaml", "robo-advisor-pricing.yaml"} {
		data, err := os.ReadFile("../../notebooks/data/" + name)
		if err != nil {
			f.Fatal(err)
		}
		for kind := uint8(0); kind < 3; kind++ {
			f.Add(data, kind)
		}
	}
	model := "name: m\nmonths: 24\nstreams:\n  - {name: a, kind: saas, segment: B2B, price: 1e300, seats: 10, new_per_month: 1e10, growth: 1e10}\nfixed_costs: [{name: r, monthly: 1, start_month: 3}]\n"
	f.Add([]byte(model), uint8(1))
	f.Add([]byte("name: m\nmonths: 12.5\n"), uint8(1))
	f.Add([]byte("name: c\n---\nname: d\n"), uint8(0))
	f.Add([]byte("product: p\nunit_cost: 1e308\nmarkup: 1\nvalue: {reference: 1, positive: 2, negative: 0, capture: 0.5}\ncompetitors: [{name: x, price: 1, share: 1}]\n"), uint8(2))
	f.Add([]byte("a: &a [1, 2]\nb: *a\n"), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		const name = "fuzz.yaml"
		var err error
		switch kind % 3 {
		case 0:
			var c *Canvas
			if c, err = parseCanvas(data, name); err == nil {
				if verr := c.Validate(); verr != nil {
					t.Fatalf("accepted an invalid canvas: %v", verr)
				}
				_ = c.HTML()
			}
		case 1:
			var m *Model
			if m, err = parseModel(data, name); err == nil {
				if m.Months > 1200 {
					t.Fatalf("accepted %d months", m.Months)
				}
				sim, serr := Simulate(context.Background(), m)
				if serr != nil {
					return
				}
				checkFinite(t, sim)
			}
		case 2:
			var p *Pricing
			if p, err = parsePricing(data, name); err == nil {
				points, perr := p.Prices()
				if perr != nil {
					t.Fatalf("accepted pricing fails: %v", perr)
				}
				for _, pt := range points {
					if bad(pt.Price) {
						t.Fatalf("%s price %v", pt.Method, pt.Price)
					}
				}
			}
		}
		if err != nil && !strings.Contains(err.Error(), name) {
			t.Fatalf("error does not name the input: %v", err)
		}
	})
}

func checkFinite(t *testing.T, sim *Simulation) {
	t.Helper()
	for _, mo := range sim.Months {
		for _, v := range [][]float64{mo.Customers, mo.New, mo.Churned, mo.StreamRevenue,
			{mo.Revenue, mo.VariableCost, mo.AcquisitionCost, mo.FixedCost, mo.TotalCost, mo.Profit, mo.Cumulative}} {
			for _, x := range v {
				if bad(x) {
					t.Fatalf("month %d: %v", mo.Month, x)
				}
			}
		}
	}
	b := sim.Blended()
	for _, x := range []float64{b.ARPU, b.Churn, b.CAC} {
		if bad(x) {
			t.Fatalf("blended %+v", b)
		}
	}
	for _, l := range sim.Sankey() {
		if bad(l.Value) {
			t.Fatalf("sankey link %+v", l)
		}
	}
}
