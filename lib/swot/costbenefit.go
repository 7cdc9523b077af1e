package swot

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// FlowKind says whether a cost–benefit line is a cost or a benefit.
type FlowKind string

// The two kinds of line.
const (
	Cost    FlowKind = "cost"
	Benefit FlowKind = "benefit"
)

// Flow is one named cost or benefit line: an amount per period t = 0…N,
// all amounts ≥ 0 (the kind gives the sign).
type Flow struct {
	Name    string    `yaml:"name" json:"name"`
	Kind    FlowKind  `yaml:"kind" json:"kind"`
	Amounts []float64 `yaml:"amounts" json:"amounts"`
}

// CostBenefit is a cost–benefit analysis at discount rate Rate per period.
// Lines shorter than the longest one are zero afterwards.
type CostBenefit struct {
	Rate  float64 `yaml:"rate" json:"rate"`
	Flows []Flow  `yaml:"flows" json:"flows"`
}

func (cb *CostBenefit) problems() []*FieldError {
	var out []*FieldError
	add := func(path, format string, args ...any) {
		out = append(out, &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	if !finite(cb.Rate) || cb.Rate <= -1 {
		add("rate", "must be a number above -1, got %g", cb.Rate)
	}
	if len(cb.Flows) == 0 {
		add("flows", "no cost or benefit lines")
	}
	for i, f := range cb.Flows {
		p := fmt.Sprintf("flows[%d]", i)
		if f.Name == "" {
			add(p+".name", "is empty")
		}
		if f.Kind != Cost && f.Kind != Benefit {
			add(p+".kind", "must be %q or %q, got %q", Cost, Benefit, f.Kind)
		}
		if len(f.Amounts) == 0 {
			add(p+".amounts", "is empty")
		}
		for t, x := range f.Amounts {
			if !finite(x) || x < 0 {
				add(fmt.Sprintf("%s.amounts[%d]", p, t), "must be a non-negative number, got %g", x)
			}
		}
	}
	return out
}

// Validate reports every problem of the analysis, or nil.
func (cb *CostBenefit) Validate() error {
	var errs []error
	for _, p := range cb.problems() {
		errs = append(errs, p)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("swot: cost–benefit: %w", err)
	}
	return nil
}

// Periods returns N+1, the length of the longest line.
func (cb *CostBenefit) Periods() int {
	n := 0
	for _, f := range cb.Flows {
		n = max(n, len(f.Amounts))
	}
	return n
}

// Net returns the net flow per period: benefits minus costs.
func (cb *CostBenefit) Net() []float64 {
	net := make([]float64, cb.Periods())
	for _, f := range cb.Flows {
		sign := 1.0
		if f.Kind == Cost {
			sign = -1
		}
		for t, x := range f.Amounts {
			net[t] += sign * x
		}
	}
	return net
}

// NPV returns Σₜ flows[t] / (1+rate)ᵗ, the first flow undiscounted (t = 0).
func NPV(rate float64, flows []float64) float64 {
	v, d := 0.0, 1.0
	for _, x := range flows {
		v += x / d
		d *= 1 + rate
	}
	return v
}

// ErrNoIRR is returned by IRR when NPV has no root in (-1, 1e3].
var ErrNoIRR = errors.New("swot: IRR: NPV does not change sign; no internal rate of return")

// IRR returns the internal rate of return: the rate r > -1 at which
// NPV(r, flows) = 0. It scans r upward from -0.99 for the first sign change
// (the smallest IRR when flows change sign more than once) and refines it
// by bisection to 1e-12.
func IRR(flows []float64) (float64, error) {
	f := func(r float64) float64 { return NPV(r, flows) }
	grid := []float64{-0.99, -0.9, -0.75, -0.5, -0.3, -0.2, -0.1, -0.05, 0}
	for r := 0.02; r <= 1; r += 0.02 {
		grid = append(grid, r)
	}
	grid = append(grid, 1.5, 2, 3, 5, 10, 100, 1000)
	for i := 1; i < len(grid); i++ {
		lo, hi := grid[i-1], grid[i]
		flo, fhi := f(lo), f(hi)
		if flo == 0 {
			return lo, nil
		}
		if math.Signbit(flo) == math.Signbit(fhi) && fhi != 0 {
			continue
		}
		for range 200 {
			mid := (lo + hi) / 2
			fm := f(mid)
			if fm == 0 || hi-lo < 1e-12 {
				return mid, nil
			}
			if math.Signbit(fm) == math.Signbit(flo) {
				lo, flo = mid, fm
			} else {
				hi = mid
			}
		}
		return (lo + hi) / 2, nil
	}
	return 0, ErrNoIRR
}

// Payback returns the time at which the cumulative flow turns
// non-negative for good: after the last period in which it is negative,
// interpolating linearly within the period that recovers it (flows are
// taken as spread evenly over each period). With rate > 0 the flows are
// discounted first (discounted payback). A cumulative flow that is never
// negative pays back at 0; ok is false when it ends negative.
func Payback(rate float64, flows []float64) (t float64, ok bool) {
	cum, d := 0.0, 1.0
	last := -1 // last period whose cumulative flow is negative
	lastCum := 0.0
	pv := make([]float64, len(flows))
	for i, x := range flows {
		pv[i] = x / d
		d *= 1 + rate
		cum += pv[i]
		if cum < 0 {
			last, lastCum = i, cum
		}
	}
	switch {
	case len(flows) == 0 || cum < 0:
		return 0, false
	case last < 0:
		return 0, true
	}
	return float64(last) + (-lastCum)/pv[last+1], true
}

// Summary is the result of a cost–benefit analysis.
type Summary struct {
	Rate              float64
	Net               []float64 // net flow per period
	TotalCost         float64   // undiscounted
	TotalBenefit      float64   // undiscounted
	NPV               float64
	IRR               float64 // NaN when there is none
	ROI               float64 // (ΣB − ΣC) / ΣC, undiscounted
	BCR               float64 // PV(benefits) / PV(costs)
	Payback           float64 // NaN when never paid back
	DiscountedPayback float64 // NaN when never paid back
}

// Evaluate validates the analysis and computes its summary.
func (cb *CostBenefit) Evaluate() (Summary, error) {
	if err := cb.Validate(); err != nil {
		return Summary{}, err
	}
	s := Summary{Rate: cb.Rate, Net: cb.Net()}
	var pvB, pvC float64
	for _, f := range cb.Flows {
		total, pv := 0.0, NPV(cb.Rate, f.Amounts)
		for _, x := range f.Amounts {
			total += x
		}
		if f.Kind == Cost {
			s.TotalCost += total
			pvC += pv
		} else {
			s.TotalBenefit += total
			pvB += pv
		}
	}
	s.NPV = NPV(cb.Rate, s.Net)
	s.IRR = math.NaN()
	if r, err := IRR(s.Net); err == nil {
		s.IRR = r
	}
	s.ROI, s.BCR = math.NaN(), math.NaN()
	if s.TotalCost > 0 {
		s.ROI = (s.TotalBenefit - s.TotalCost) / s.TotalCost
	}
	if pvC > 0 {
		s.BCR = pvB / pvC
	}
	s.Payback, s.DiscountedPayback = math.NaN(), math.NaN()
	if t, ok := Payback(0, s.Net); ok {
		s.Payback = t
	}
	if t, ok := Payback(cb.Rate, s.Net); ok {
		s.DiscountedPayback = t
	}
	return s, nil
}

// Sensitivity is one bar of a tornado chart: NPV when an input is moved
// down and up by the same relative step.
type Sensitivity struct {
	Input     string
	Low, High float64 // NPV with the input × (1−δ) and × (1+δ)
	Swing     float64 // |High − Low|
}

// Tornado is a one-at-a-time sensitivity analysis of NPV.
type Tornado struct {
	Base  float64       // NPV with every input at its value
	Delta float64       // relative step, e.g. 0.2 for ±20 %
	Bars  []Sensitivity // by decreasing swing
}

// Tornado varies each line, and the discount rate, by ±delta (relative,
// e.g. 0.2 for ±20 %) one at a time and returns the NPVs sorted by
// decreasing swing.
func (cb *CostBenefit) Tornado(delta float64) (Tornado, error) {
	if err := cb.Validate(); err != nil {
		return Tornado{}, err
	}
	if !finite(delta) || delta <= 0 || delta >= 1 {
		return Tornado{}, fmt.Errorf("swot: tornado: delta must be in (0, 1), got %g", delta)
	}
	var bars []Sensitivity
	base := NPV(cb.Rate, cb.Net())
	scaled := func(i int, k float64) float64 {
		c := *cb
		c.Flows = append([]Flow(nil), cb.Flows...)
		amt := make([]float64, len(c.Flows[i].Amounts))
		for t, x := range c.Flows[i].Amounts {
			amt[t] = x * k
		}
		c.Flows[i].Amounts = amt
		return NPV(c.Rate, c.Net())
	}
	for i, f := range cb.Flows {
		bars = append(bars, Sensitivity{Input: f.Name, Low: scaled(i, 1-delta), High: scaled(i, 1+delta)})
	}
	net := cb.Net()
	bars = append(bars, Sensitivity{Input: "discount rate",
		Low: NPV(cb.Rate*(1-delta), net), High: NPV(cb.Rate*(1+delta), net)})
	for i := range bars {
		bars[i].Swing = math.Abs(bars[i].High - bars[i].Low)
	}
	sort.SliceStable(bars, func(i, j int) bool { return bars[i].Swing > bars[j].Swing })
	return Tornado{Base: base, Delta: delta, Bars: bars}, nil
}
