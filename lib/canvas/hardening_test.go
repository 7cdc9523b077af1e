package canvas

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSimulateOverflow is the regression test for Simulate returning NaN
// revenue and profit without an error when growth compounds past float64:
// every overflow is an error wrapping ErrOverflow that names the input and
// the month, and every result returned is finite.
func TestSimulateOverflow(t *testing.T) {
	stream := func(mod func(*Stream)) *Model {
		s := Stream{Name: "app", Kind: Subscription, Segment: B2C, Price: 10, NewPerMonth: 100}
		mod(&s)
		return &Model{Name: "m", Months: 1200, Streams: []Stream{s}}
	}
	fixed := stream(func(*Stream) {})
	fixed.FixedCosts = []FixedCost{{Name: "rent", Monthly: 1e308, Growth: 1}}
	for _, tc := range []struct {
		name string
		m    *Model
		want string
	}{
		{"growth", stream(func(s *Stream) { s.Growth = 1e300 }), `stream "app" (new_per_month 100, growth 1e+300, price 10)`},
		{"doubling", stream(func(s *Stream) { s.Growth = 1 }), "month 1013: revenue 8.78e+307"},
		{"price", stream(func(s *Stream) { s.Price = 1e307 }), `month 1: stream "app" (new_per_month 100, growth 0, price 1e+307): customers 100, revenue +Inf`},
		{"sum over months", stream(func(s *Stream) { s.Price = 1e303 }), "sums over the months overflow"},
		{"fixed cost", fixed, `month 2: fixed cost "rent" (monthly 1e+308, growth 1): +Inf`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sim, err := Simulate(context.Background(), tc.m)
			if !errors.Is(err, ErrOverflow) || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), `canvas: simulate "m": month `) {
				t.Fatalf("Simulate = %v, %v; want an ErrOverflow naming %q", sim, err, tc.want)
			}
		})
	}
	// Large but representable: finite everywhere.
	sim, err := Simulate(context.Background(), stream(func(s *Stream) { s.Growth = 0.5 }))
	if err != nil {
		t.Fatal(err)
	}
	b := sim.Blended()
	for _, v := range []float64{sim.Months[1199].Revenue, sim.Months[1199].Cumulative, sim.MinCumulative, b.ARPU, b.CAC} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("non-finite result %v", v)
		}
	}
}

func TestPricingOverflow(t *testing.T) {
	if _, err := CostPlus(1e308, 1); !errors.Is(err, ErrOverflow) {
		t.Errorf("CostPlus: %v", err)
	}
	if _, _, err := ValueBased(Value{Reference: 1e308, Positive: 1e308, Capture: 1}); !errors.Is(err, ErrOverflow) {
		t.Errorf("ValueBased: %v", err)
	}
	if _, err := CompetitionBased([]Competitor{{"a", 1e308, 1e10}}, 0); !errors.Is(err, ErrOverflow) {
		t.Errorf("CompetitionBased: %v", err)
	}
}

// TestLoadStrictYAML: a fractional value for an integer field (yaml.v3
// truncates months: 12.5 to 12) and a second document are errors naming
// the file and the line.
func TestLoadStrictYAML(t *testing.T) {
	model := "name: m\nmonths: %s\nstreams:\n  - {name: a, kind: subscription, segment: B2C, price: 1, new_per_month: 1}\nfixed_costs:\n  - {name: rent, monthly: 1, start_month: %s}\n"
	dir := t.TempDir()
	for _, tc := range []struct {
		name, text, want string
	}{
		{"months", strings.Replace(strings.Replace(model, "%s", "12.5", 1), "%s", "1", 1), "line 2: months: 12.5 is not a whole number"},
		{"start month", strings.Replace(strings.Replace(model, "%s", "12", 1), "%s", "1.5", 1), "line 6: fixed_costs[0].start_month: 1.5 is not a whole number"},
		{"exponent", strings.Replace(strings.Replace(model, "%s", "1e1", 1), "%s", "1", 1), "months: 1e1 is not a whole number"},
		{"second document", strings.Replace(strings.Replace(model, "%s", "12", 1), "%s", "1", 1) + "---\nname: other\n", "line 7: a second YAML document"},
		{"empty", "", "empty document"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, tc.name+".yaml")
			if err := os.WriteFile(p, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadModel(p)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
				t.Fatalf("LoadModel: %v; want an error naming %s and %q", err, p, tc.want)
			}
		})
	}
	p := filepath.Join(dir, "ok.yaml")
	os.WriteFile(p, []byte(strings.Replace(strings.Replace(model, "%s", "12", 1), "%s", "~", 1)+"---\n"), 0o644)
	if m, err := LoadModel(p); err != nil || m.Months != 12 {
		t.Fatalf("valid model (null start_month, empty second document marker): %v, %v", m, err)
	}
}
