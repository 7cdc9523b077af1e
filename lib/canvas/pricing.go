package canvas

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// CostPlus returns the cost-based price unitCost · (1 + markup).
func CostPlus(unitCost, markup float64) (float64, error) {
	if bad(unitCost) || unitCost < 0 || bad(markup) || markup <= -1 {
		return 0, fmt.Errorf("canvas: cost-plus: need unit cost ≥ 0 and markup > -1, got %g, %g", unitCost, markup)
	}
	p := unitCost * (1 + markup)
	if bad(p) {
		return 0, fmt.Errorf("canvas: cost-plus: unit cost %g × (1 + markup %g): %w", unitCost, markup, ErrOverflow)
	}
	return p, nil
}

// Value is an economic-value-to-the-customer (EVC) breakdown.
type Value struct {
	// Reference is the price of the customer's next best alternative.
	Reference float64 `yaml:"reference" json:"reference"`
	// Positive is the value of what the product does better (saved time,
	// avoided errors, …), per the same unit as Reference.
	Positive float64 `yaml:"positive" json:"positive"`
	// Negative is the value of what it does worse (switching cost, …).
	Negative float64 `yaml:"negative" json:"negative"`
	// Capture is the share of the net differentiation value the price
	// claims, in [0, 1]; the rest is the customer's incentive to switch.
	Capture float64 `yaml:"capture" json:"capture"`
}

// ValueBased returns the economic value to the customer, EVC = Reference +
// Positive − Negative, and the value-based price Reference + Capture ·
// (Positive − Negative).
func ValueBased(v Value) (price, evc float64, err error) {
	for _, x := range []float64{v.Reference, v.Positive, v.Negative} {
		if bad(x) || x < 0 {
			return 0, 0, fmt.Errorf("canvas: value-based price: amounts must be ≥ 0, got %+v", v)
		}
	}
	if bad(v.Capture) || v.Capture < 0 || v.Capture > 1 {
		return 0, 0, fmt.Errorf("canvas: value-based price: capture must be in [0, 1], got %g", v.Capture)
	}
	diff := v.Positive - v.Negative
	price, evc = v.Reference+v.Capture*diff, v.Reference+diff
	if bad(price) || bad(evc) {
		return 0, 0, fmt.Errorf("canvas: value-based price: %+v: %w", v, ErrOverflow)
	}
	return price, evc, nil
}

// Competitor is a competing offer's price and its market share (weight).
type Competitor struct {
	Name  string  `yaml:"name" json:"name"`
	Price float64 `yaml:"price" json:"price"`
	Share float64 `yaml:"share" json:"share"`
}

// CompetitionBased returns the share-weighted mean competitor price times
// (1 + premium); a negative premium prices below the market.
func CompetitionBased(cs []Competitor, premium float64) (float64, error) {
	var sum, w float64
	for _, c := range cs {
		if bad(c.Price) || c.Price < 0 || bad(c.Share) || c.Share < 0 {
			return 0, fmt.Errorf("canvas: competition-based price: competitor %q: price and share must be ≥ 0", c.Name)
		}
		sum += c.Price * c.Share
		w += c.Share
	}
	if w == 0 {
		return 0, errors.New("canvas: competition-based price: no competitor with a positive share")
	}
	if bad(premium) || premium <= -1 {
		return 0, fmt.Errorf("canvas: competition-based price: premium must be > -1, got %g", premium)
	}
	p := sum / w * (1 + premium)
	if bad(sum) || bad(w) || bad(p) {
		return 0, fmt.Errorf("canvas: competition-based price: share-weighted prices (sum %g of shares %g) × (1 + premium %g): %w", sum, w, premium, ErrOverflow)
	}
	return p, nil
}

// PSMAnswer is one respondent's answers to the four Van Westendorp
// questions: at what price would the product be so cheap that you would
// doubt its quality (TooCheap), a bargain (Cheap), getting expensive but
// still worth considering (Expensive), too expensive to consider
// (TooExpensive)?
type PSMAnswer struct {
	TooCheap     float64 `yaml:"too_cheap" json:"too_cheap"`
	Cheap        float64 `yaml:"cheap" json:"cheap"`
	Expensive    float64 `yaml:"expensive" json:"expensive"`
	TooExpensive float64 `yaml:"too_expensive" json:"too_expensive"`
}

// PSM is the result of a Van Westendorp analysis. The curves are sampled
// at Prices, the sorted distinct prices the respondents named. With F_q the
// empirical distribution of the answers to question q (the share of
// answers ≤ p):
//
//	TooCheap(p)     = 1 − F_TooCheap(p)   share still calling p too cheap (falls with p)
//	Cheap(p)        = 1 − F_Cheap(p)      share still calling p a bargain (falls with p)
//	Expensive(p)    = F_Expensive(p)      share calling p expensive (rises with p)
//	TooExpensive(p) = F_TooExpensive(p)   share calling p too expensive (rises with p)
//	NotCheap = 1 − Cheap,  NotExpensive = 1 − Expensive.
//
// Each F is taken as 0 at and below the lowest answer to its question and
// as 1 at and above the highest, so every curve runs the full way from 0
// to 1.
//
// A price point is where two curves intersect: the first price at which
// the sign of their difference changes (reaching 0 counts as a change),
// linearly interpolated between the two neighbouring sample prices:
//
//	PMC  point of marginal cheapness      TooCheap ∩ NotCheap
//	OPP  optimal price point              TooCheap ∩ TooExpensive
//	IPP  indifference price point         Cheap ∩ Expensive
//	PME  point of marginal expensiveness  TooExpensive ∩ NotExpensive
//
// [PMC, PME] is the range of acceptable prices (Van Westendorp's original
// definition, with the "not cheap" and "not expensive" curves).
//
// These are the definitions of the R package pricesensitivitymeter
// (Alletsee, version 1.3.3, with its defaults validate = TRUE and
// intersection_method = "min"); the tests reproduce the analyses that its
// documentation publishes.
type PSM struct {
	Prices                                []float64
	TooCheap, Cheap, NotCheap             []float64
	Expensive, NotExpensive, TooExpensive []float64
	PMC, OPP, IPP, PME                    float64
	Respondents, Dropped                  int // answers used; answers dropped as inconsistent
}

// VanWestendorp computes the price sensitivity meter. Answers that are not
// strictly ordered TooCheap < Cheap < Expensive < TooExpensive, or that
// contain a negative or non-finite price, are dropped (and counted in
// Dropped). It returns an error when fewer than two answers remain or two
// curves never intersect; the points that were found are still set, the
// others are NaN.
func VanWestendorp(answers []PSMAnswer) (PSM, error) {
	var ok []PSMAnswer
	var r PSM
	for _, a := range answers {
		v := []float64{a.TooCheap, a.Cheap, a.Expensive, a.TooExpensive}
		good := true
		for i, x := range v {
			if bad(x) || x < 0 || (i > 0 && x <= v[i-1]) {
				good = false
			}
		}
		if good {
			ok = append(ok, a)
		} else {
			r.Dropped++
		}
	}
	r.Respondents = len(ok)
	if len(ok) < 2 {
		return r, fmt.Errorf("canvas: Van Westendorp: %d consistent answers (of %d); need at least 2", len(ok), len(answers))
	}
	seen := map[float64]bool{}
	for _, a := range ok {
		for _, x := range []float64{a.TooCheap, a.Cheap, a.Expensive, a.TooExpensive} {
			if !seen[x] {
				seen[x] = true
				r.Prices = append(r.Prices, x)
			}
		}
	}
	sort.Float64s(r.Prices)
	pick := func(f func(PSMAnswer) float64) []float64 {
		v := make([]float64, len(ok))
		for i, a := range ok {
			v[i] = f(a)
		}
		return v
	}
	tc := ecdf(pick(func(a PSMAnswer) float64 { return a.TooCheap }), r.Prices)
	c := ecdf(pick(func(a PSMAnswer) float64 { return a.Cheap }), r.Prices)
	r.Expensive = ecdf(pick(func(a PSMAnswer) float64 { return a.Expensive }), r.Prices)
	r.TooExpensive = ecdf(pick(func(a PSMAnswer) float64 { return a.TooExpensive }), r.Prices)
	for i := range r.Prices {
		r.TooCheap = append(r.TooCheap, 1-tc[i])
		r.Cheap = append(r.Cheap, 1-c[i])
		r.NotCheap = append(r.NotCheap, 1-r.Cheap[i])
		r.NotExpensive = append(r.NotExpensive, 1-r.Expensive[i])
	}
	var err error
	point := func(name string, a, b []float64) float64 {
		x, ok := intersect(r.Prices, a, b)
		if !ok && err == nil {
			err = fmt.Errorf("canvas: Van Westendorp: the curves for %s never intersect", name)
		}
		return x
	}
	r.PMC = point("PMC", r.NotCheap, r.TooCheap)
	r.OPP = point("OPP", r.TooExpensive, r.TooCheap)
	r.IPP = point("IPP", r.Expensive, r.Cheap)
	r.PME = point("PME", r.TooExpensive, r.NotExpensive)
	return r, err
}

// ecdf returns the share of x that is ≤ p for each p in the sorted prices,
// taken as 0 at and below min(x) and as 1 at and above max(x).
func ecdf(x, prices []float64) []float64 {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	n := float64(len(s))
	out := make([]float64, len(prices))
	k := 0
	for i, p := range prices {
		for k < len(s) && s[k] <= p {
			k++
		}
		switch {
		case p <= s[0]:
			out[i] = 0
		case p >= s[len(s)-1]:
			out[i] = 1
		default:
			out[i] = float64(k) / n
		}
	}
	return out
}

// intersect returns the first price where the sign of a − b changes
// between two neighbouring samples (to or from 0 included), linearly
// interpolated; ok is false when the sign never changes.
func intersect(x, a, b []float64) (float64, bool) {
	sign := func(v float64) int {
		switch {
		case v > 0:
			return 1
		case v < 0:
			return -1
		}
		return 0
	}
	for i := 0; i+1 < len(x); i++ {
		y1, y2 := a[i]-b[i], a[i+1]-b[i+1]
		if sign(y1) == sign(y2) {
			continue
		}
		// The signs differ, so y1 ≠ y2.
		return x[i] - y1*(x[i+1]-x[i])/(y2-y1), true
	}
	return math.NaN(), false
}
