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
	return unitCost * (1 + markup), nil
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
	return v.Reference + v.Capture*diff, v.Reference + diff, nil
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
	return sum / w * (1 + premium), nil
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
// at Prices, the sorted distinct prices the respondents named:
//
//	TooCheap(p)     = share with TooCheap ≥ p     (falls with p)
//	Cheap(p)        = share with Cheap ≥ p        (falls with p)
//	Expensive(p)    = share with Expensive ≤ p    (rises with p)
//	TooExpensive(p) = share with TooExpensive ≤ p (rises with p)
//	NotCheap = 1 − Cheap,  NotExpensive = 1 − Expensive.
//
// The price points are the first crossings of two curves, linearly
// interpolated between neighbouring sample prices (the midpoint when the
// curves coincide over a run of prices):
//
//	PMC  point of marginal cheapness      TooCheap ∩ NotCheap
//	OPP  optimal price point              TooCheap ∩ TooExpensive
//	IPP  indifference price point         Cheap ∩ Expensive
//	PME  point of marginal expensiveness  TooExpensive ∩ NotExpensive
//
// [PMC, PME] is the range of acceptable prices.
type PSM struct {
	Prices                                []float64
	TooCheap, Cheap, NotCheap             []float64
	Expensive, NotExpensive, TooExpensive []float64
	PMC, OPP, IPP, PME                    float64
	Respondents, Dropped                  int // answers used; answers dropped as inconsistent
}

// VanWestendorp computes the price sensitivity meter. Answers that are not
// ordered TooCheap ≤ Cheap ≤ Expensive ≤ TooExpensive, or that contain a
// negative or non-finite price, are dropped (and counted in Dropped). It
// returns an error when fewer than two answers remain or two curves never
// cross.
func VanWestendorp(answers []PSMAnswer) (PSM, error) {
	var ok []PSMAnswer
	var r PSM
	for _, a := range answers {
		v := []float64{a.TooCheap, a.Cheap, a.Expensive, a.TooExpensive}
		good := true
		for i, x := range v {
			if bad(x) || x < 0 || (i > 0 && x < v[i-1]) {
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
	n := float64(len(ok))
	for _, p := range r.Prices {
		var tc, c, e, te float64
		for _, a := range ok {
			if a.TooCheap >= p {
				tc++
			}
			if a.Cheap >= p {
				c++
			}
			if a.Expensive <= p {
				e++
			}
			if a.TooExpensive <= p {
				te++
			}
		}
		r.TooCheap = append(r.TooCheap, tc/n)
		r.Cheap = append(r.Cheap, c/n)
		r.NotCheap = append(r.NotCheap, 1-c/n)
		r.Expensive = append(r.Expensive, e/n)
		r.NotExpensive = append(r.NotExpensive, 1-e/n)
		r.TooExpensive = append(r.TooExpensive, te/n)
	}
	var err error
	point := func(name string, falling, rising []float64) float64 {
		x, ok := crossing(r.Prices, falling, rising)
		if !ok && err == nil {
			err = fmt.Errorf("canvas: Van Westendorp: the curves for %s never cross", name)
		}
		return x
	}
	r.PMC = point("PMC", r.TooCheap, r.NotCheap)
	r.OPP = point("OPP", r.TooCheap, r.TooExpensive)
	r.IPP = point("IPP", r.Cheap, r.Expensive)
	r.PME = point("PME", r.NotExpensive, r.TooExpensive)
	return r, err
}

// crossing returns the first price where falling − rising reaches 0.
func crossing(x, falling, rising []float64) (float64, bool) {
	const eps = 1e-12
	d := func(i int) float64 { return falling[i] - rising[i] }
	for i := range x {
		di := d(i)
		if di > eps {
			continue
		}
		if math.Abs(di) <= eps {
			j := i
			for j+1 < len(x) && math.Abs(d(j+1)) <= eps {
				j++
			}
			return (x[i] + x[j]) / 2, true
		}
		if i == 0 {
			return x[0], true
		}
		dp := d(i - 1)
		return x[i-1] + dp/(dp-di)*(x[i]-x[i-1]), true
	}
	return math.NaN(), false
}
