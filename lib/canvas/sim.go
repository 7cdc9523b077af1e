package canvas

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// Kind is a revenue model.
type Kind string

// The revenue models a Stream can follow.
const (
	Subscription Kind = "subscription" // price per subscriber-month
	SaaS         Kind = "saas"         // price per seat-month, Seats per account
	Advertising  Kind = "advertising"  // price is the CPM (per 1000 impressions)
	ValueAdded   Kind = "vas"          // price per purchase, AttachRate purchases per customer-month
	Usage        Kind = "usage"        // price per unit, Units per customer-month
)

// Segment is the kind of customer a stream sells to.
type Segment string

// Customer segments.
const (
	B2B Segment = "B2B"
	B2C Segment = "B2C"
)

// Stream is one revenue stream with its own customers.
type Stream struct {
	Name    string  `yaml:"name" json:"name"`
	Kind    Kind    `yaml:"kind" json:"kind"`
	Segment Segment `yaml:"segment" json:"segment"`
	// Price per unit of the stream's kind (see Kind).
	Price float64 `yaml:"price" json:"price"`
	// StartCustomers is the number of customers before month 1.
	StartCustomers float64 `yaml:"start_customers,omitempty" json:"start_customers,omitempty"`
	// NewPerMonth is n₁, the customers acquired in month 1.
	NewPerMonth float64 `yaml:"new_per_month" json:"new_per_month"`
	// Growth is g, the monthly growth of acquisitions: nₜ = n₁(1+g)ᵗ⁻¹.
	Growth float64 `yaml:"growth,omitempty" json:"growth,omitempty"`
	// Churn is c, the share of customers lost each month, in [0, 1).
	Churn float64 `yaml:"churn,omitempty" json:"churn,omitempty"`
	// Seats per account (SaaS).
	Seats float64 `yaml:"seats,omitempty" json:"seats,omitempty"`
	// Impressions per user per month (advertising).
	Impressions float64 `yaml:"impressions,omitempty" json:"impressions,omitempty"`
	// AttachRate is purchases per customer per month (value-added services).
	AttachRate float64 `yaml:"attach_rate,omitempty" json:"attach_rate,omitempty"`
	// Units per customer per month (usage-based).
	Units float64 `yaml:"units,omitempty" json:"units,omitempty"`
	// CAC is the acquisition cost per new customer.
	CAC float64 `yaml:"cac,omitempty" json:"cac,omitempty"`
	// VariableShare is the variable cost as a share of revenue (payment
	// fees, revenue share, cloud cost that scales with revenue), in [0, 1].
	VariableShare float64 `yaml:"variable_share,omitempty" json:"variable_share,omitempty"`
	// ServingCost is the variable cost per active customer per month.
	ServingCost float64 `yaml:"serving_cost,omitempty" json:"serving_cost,omitempty"`
}

// FixedCost is a cost that does not scale with customers: Monthly from
// StartMonth (1 when 0) on, growing by Growth per month.
type FixedCost struct {
	Name       string  `yaml:"name" json:"name"`
	Monthly    float64 `yaml:"monthly" json:"monthly"`
	StartMonth int     `yaml:"start_month,omitempty" json:"start_month,omitempty"`
	Growth     float64 `yaml:"growth,omitempty" json:"growth,omitempty"`
}

// Model is a revenue and cost model simulated over Months months.
type Model struct {
	Name       string      `yaml:"name" json:"name"`
	Currency   string      `yaml:"currency,omitempty" json:"currency,omitempty"`
	Months     int         `yaml:"months" json:"months"`
	Streams    []Stream    `yaml:"streams" json:"streams"`
	FixedCosts []FixedCost `yaml:"fixed_costs" json:"fixed_costs"`
}

func bad(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }

// ErrOverflow reports inputs whose results do not fit in a float64 (for
// example a monthly growth that compounds past 1e308 within the horizon).
// Errors wrapping it name the input and the month; test with errors.Is.
var ErrOverflow = errors.New("result overflows float64")

// Validate reports every problem of the model, joined, or nil.
func (m *Model) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if m.Months < 1 || m.Months > 1200 {
		add("months: must be 1..1200, got %d", m.Months)
	}
	if len(m.Streams) == 0 {
		add("streams: none")
	}
	names := map[string]bool{}
	for i, s := range m.Streams {
		p := fmt.Sprintf("streams[%d] %q", i, s.Name)
		if s.Name == "" || names[s.Name] {
			add("%s: name is empty or repeated", p)
		}
		names[s.Name] = true
		switch s.Kind {
		case Subscription:
		case SaaS:
			if s.Seats <= 0 || bad(s.Seats) {
				add("%s: saas needs seats > 0", p)
			}
		case Advertising:
			if s.Impressions <= 0 || bad(s.Impressions) {
				add("%s: advertising needs impressions > 0", p)
			}
		case ValueAdded:
			if s.AttachRate <= 0 || bad(s.AttachRate) {
				add("%s: vas needs attach_rate > 0", p)
			}
		case Usage:
			if s.Units <= 0 || bad(s.Units) {
				add("%s: usage needs units > 0", p)
			}
		default:
			add("%s: kind %q is not one of subscription, saas, advertising, vas, usage", p, s.Kind)
		}
		if s.Segment != B2B && s.Segment != B2C {
			add("%s: segment %q is not B2B or B2C", p, s.Segment)
		}
		for _, f := range []struct {
			name string
			v    float64
		}{{"price", s.Price}, {"start_customers", s.StartCustomers}, {"new_per_month", s.NewPerMonth},
			{"cac", s.CAC}, {"serving_cost", s.ServingCost}} {
			if bad(f.v) || f.v < 0 {
				add("%s: %s must be ≥ 0, got %g", p, f.name, f.v)
			}
		}
		if bad(s.Churn) || s.Churn < 0 || s.Churn >= 1 {
			add("%s: churn must be in [0, 1), got %g", p, s.Churn)
		}
		if bad(s.Growth) || s.Growth <= -1 {
			add("%s: growth must be > -1, got %g", p, s.Growth)
		}
		if bad(s.VariableShare) || s.VariableShare < 0 || s.VariableShare > 1 {
			add("%s: variable_share must be in [0, 1], got %g", p, s.VariableShare)
		}
	}
	for i, f := range m.FixedCosts {
		p := fmt.Sprintf("fixed_costs[%d] %q", i, f.Name)
		if f.Name == "" {
			add("%s: name is empty", p)
		}
		if bad(f.Monthly) || f.Monthly < 0 {
			add("%s: monthly must be ≥ 0, got %g", p, f.Monthly)
		}
		if f.StartMonth < 0 {
			add("%s: start_month must be ≥ 0, got %d", p, f.StartMonth)
		}
		if bad(f.Growth) || f.Growth <= -1 {
			add("%s: growth must be > -1, got %g", p, f.Growth)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("canvas: model %q: %w", m.Name, err)
	}
	return nil
}

// perCustomer returns the stream's monthly revenue per customer (ARPU).
func (s Stream) perCustomer() float64 {
	switch s.Kind {
	case SaaS:
		return s.Seats * s.Price
	case Advertising:
		return s.Impressions / 1000 * s.Price
	case ValueAdded:
		return s.AttachRate * s.Price
	case Usage:
		return s.Units * s.Price
	}
	return s.Price
}

// Month is one simulated month; per-stream slices follow Model.Streams.
type Month struct {
	Month           int
	Customers       []float64 // Nₜ per stream
	New             []float64 // nₜ per stream
	Churned         []float64 // Nₜ₋₁·c per stream
	StreamRevenue   []float64
	Revenue         float64
	VariableCost    float64
	AcquisitionCost float64
	FixedCost       float64
	TotalCost       float64
	Profit          float64 // Revenue − TotalCost
	Cumulative      float64 // running sum of Profit
}

// Simulation is the result of Simulate.
type Simulation struct {
	Model  *Model
	Months []Month
	// BreakEven is the first month with Profit ≥ 0 (0: none in the horizon).
	BreakEven int
	// CumulativeBreakEven is the first month with Cumulative ≥ 0 (0: none).
	CumulativeBreakEven int
	// MinCumulative is the lowest cumulative profit: the funding need.
	MinCumulative float64
}

// Simulate validates the model and runs it month by month. ctx is
// checked between months. Every number it returns is finite: when a value
// or a sum over the months would overflow float64 (a growth of 100 % a
// month doubles acquisitions 1,023 times in 1,024 months), Simulate
// returns an error wrapping [ErrOverflow] that names the stream or fixed
// cost and the month.
func Simulate(ctx context.Context, m *Model) (*Simulation, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	n := len(m.Streams)
	sim := &Simulation{Model: m}
	prev := make([]float64, n)
	for i, s := range m.Streams {
		prev[i] = s.StartCustomers
	}
	cum := 0.0
	var totals sums
	streamTotals := make([]float64, n)
	for t := 1; t <= m.Months; t++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("canvas: simulate %q: month %d: %w", m.Name, t, err)
		}
		mo := Month{Month: t, Customers: make([]float64, n), New: make([]float64, n),
			Churned: make([]float64, n), StreamRevenue: make([]float64, n)}
		for i, s := range m.Streams {
			mo.New[i] = s.NewPerMonth * math.Pow(1+s.Growth, float64(t-1))
			mo.Churned[i] = prev[i] * s.Churn
			mo.Customers[i] = prev[i] - mo.Churned[i] + mo.New[i]
			r := mo.Customers[i] * s.perCustomer()
			mo.StreamRevenue[i] = r
			mo.Revenue += r
			mo.VariableCost += r*s.VariableShare + mo.Customers[i]*s.ServingCost
			mo.AcquisitionCost += mo.New[i] * s.CAC
			prev[i] = mo.Customers[i]
			if bad(mo.New[i]) || bad(mo.Customers[i]) || bad(r) || bad(mo.VariableCost) || bad(mo.AcquisitionCost) {
				return nil, fmt.Errorf("canvas: simulate %q: month %d: stream %q (new_per_month %g, growth %g, price %g): customers %g, revenue %g: %w; lower the growth, the amounts or the months",
					m.Name, t, s.Name, s.NewPerMonth, s.Growth, s.Price, mo.Customers[i], r, ErrOverflow)
			}
			streamTotals[i] += r
			if bad(streamTotals[i]) {
				return nil, fmt.Errorf("canvas: simulate %q: month %d: stream %q: revenue summed over the months overflows: %w; lower the growth, the amounts or the months", m.Name, t, s.Name, ErrOverflow)
			}
		}
		for _, f := range m.FixedCosts {
			start := max(f.StartMonth, 1)
			if t >= start {
				c := f.Monthly * math.Pow(1+f.Growth, float64(t-start))
				mo.FixedCost += c
				if bad(mo.FixedCost) {
					return nil, fmt.Errorf("canvas: simulate %q: month %d: fixed cost %q (monthly %g, growth %g): %g: %w; lower the growth, the amounts or the months",
						m.Name, t, f.Name, f.Monthly, f.Growth, c, ErrOverflow)
				}
			}
		}
		mo.TotalCost = mo.VariableCost + mo.AcquisitionCost + mo.FixedCost
		mo.Profit = mo.Revenue - mo.TotalCost
		cum += mo.Profit
		mo.Cumulative = cum
		// The sums over months that Blended, StreamTotals and Sankey take
		// must stay finite too.
		var customers, churned, atRisk, nw float64
		for i := range mo.Customers {
			customers += mo.Customers[i]
			churned += mo.Churned[i]
			atRisk += mo.Customers[i] - mo.New[i] + mo.Churned[i]
			nw += mo.New[i]
		}
		if bad(mo.TotalCost) || bad(mo.Profit) || totals.add(mo.Revenue, mo.VariableCost, mo.AcquisitionCost, mo.FixedCost, mo.TotalCost, customers, churned, atRisk, nw, cum) {
			return nil, fmt.Errorf("canvas: simulate %q: month %d: revenue %.3g, total cost %.3g, cumulative profit %.3g: the month's totals or their sums over the months overflow: %w; lower the growth, the amounts or the months",
				m.Name, t, mo.Revenue, mo.TotalCost, cum, ErrOverflow)
		}
		if sim.BreakEven == 0 && mo.Profit >= 0 {
			sim.BreakEven = t
		}
		if sim.CumulativeBreakEven == 0 && cum >= 0 {
			sim.CumulativeBreakEven = t
		}
		sim.MinCumulative = min(sim.MinCumulative, cum)
		sim.Months = append(sim.Months, mo)
	}
	return sim, nil
}

// UnitEconomics are the per-customer economics of a stream (or blended).
type UnitEconomics struct {
	Name        string
	ARPU        float64 // monthly revenue per customer
	GrossMargin float64 // (ARPU − variable cost per customer) / ARPU
	Churn       float64 // monthly
	CAC         float64
	LTV         float64 // ARPU·GM/churn; +Inf when churn is 0
	LTVToCAC    float64 // +Inf when CAC is 0
	CACPayback  float64 // months: CAC/(ARPU·GM); +Inf when ARPU·GM ≤ 0
}

func unit(name string, arpu, varPerCustomer, churn, cac float64) UnitEconomics {
	u := UnitEconomics{Name: name, ARPU: arpu, Churn: churn, CAC: cac, GrossMargin: math.NaN()}
	contrib := arpu - varPerCustomer
	if arpu > 0 {
		u.GrossMargin = contrib / arpu
	}
	u.LTV = math.Inf(1)
	if churn > 0 {
		u.LTV = contrib / churn
	}
	u.LTVToCAC = math.Inf(1)
	if cac > 0 {
		u.LTVToCAC = u.LTV / cac
	}
	u.CACPayback = math.Inf(1)
	if contrib > 0 {
		u.CACPayback = cac / contrib
	}
	return u
}

// Unit returns the steady-state unit economics of the stream.
func (s Stream) Unit() UnitEconomics {
	arpu := s.perCustomer()
	return unit(s.Name, arpu, arpu*s.VariableShare+s.ServingCost, s.Churn, s.CAC)
}

// Blended returns unit economics over the whole simulation: ARPU =
// Σrevenue / Σcustomer-months, variable cost per customer-month likewise,
// churn = Σchurned / Σcustomers at the start of each month, CAC =
// Σacquisition cost / Σnew customers.
func (sim *Simulation) Blended() UnitEconomics {
	var rev, vc, custMonths, churned, atRisk, acq, nw float64
	for _, mo := range sim.Months {
		rev += mo.Revenue
		vc += mo.VariableCost
		acq += mo.AcquisitionCost
		for i := range mo.Customers {
			custMonths += mo.Customers[i]
			churned += mo.Churned[i]
			atRisk += mo.Customers[i] - mo.New[i] + mo.Churned[i]
			nw += mo.New[i]
		}
	}
	var arpu, vpc, churn, cac float64
	if custMonths > 0 {
		arpu, vpc = rev/custMonths, vc/custMonths
	}
	if atRisk > 0 {
		churn = churned / atRisk
	}
	if nw > 0 {
		cac = acq / nw
	}
	return unit("blended", arpu, vpc, churn, cac)
}

// StreamTotals returns each stream's revenue summed over the horizon.
func (sim *Simulation) StreamTotals() []float64 {
	out := make([]float64, len(sim.Model.Streams))
	for _, mo := range sim.Months {
		for i, r := range mo.StreamRevenue {
			out[i] += r
		}
	}
	return out
}

// Link is a flow of money between two named nodes of a sankey diagram.
type Link struct {
	Source, Target string
	Value          float64
}

// Sankey returns the money flows summed over the horizon: each stream into
// its segment's revenue ("B2C revenue", "B2B revenue"), the segments into
// "Revenue", and "Revenue" into "Variable costs", "Acquisition", "Fixed
// costs" and "Profit". When costs exceed revenue the gap comes from a
// "Funding" node, and revenue and funding pay each cost category in
// proportion. Every inner node's inflow equals its outflow; links of value
// 0 are left out.
func (sim *Simulation) Sankey() []Link {
	var links []Link
	add := func(s, t string, v float64) {
		if v > 0 {
			links = append(links, Link{s, t, v})
		}
	}
	totals := sim.StreamTotals()
	seg := map[Segment]float64{}
	for i, s := range sim.Model.Streams {
		add(s.Name, string(s.Segment)+" revenue", totals[i])
		seg[s.Segment] += totals[i]
	}
	for _, s := range []Segment{B2C, B2B} {
		add(string(s)+" revenue", "Revenue", seg[s])
	}
	var rev, vc, acq, fixed float64
	for _, mo := range sim.Months {
		rev += mo.Revenue
		vc += mo.VariableCost
		acq += mo.AcquisitionCost
		fixed += mo.FixedCost
	}
	cost := vc + acq + fixed
	if cost <= rev {
		add("Revenue", "Variable costs", vc)
		add("Revenue", "Acquisition", acq)
		add("Revenue", "Fixed costs", fixed)
		add("Revenue", "Profit", rev-cost)
		return links
	}
	for _, src := range []struct {
		name  string
		share float64
	}{{"Revenue", rev / cost}, {"Funding", (cost - rev) / cost}} {
		add(src.name, "Variable costs", vc*src.share)
		add(src.name, "Acquisition", acq*src.share)
		add(src.name, "Fixed costs", fixed*src.share)
	}
	return links
}

// sums holds running sums over the months of the quantities that
// Blended, StreamTotals and Sankey add up.
type sums [10]float64

// add adds vs to the sums and reports whether one is no longer finite.
func (s *sums) add(vs ...float64) bool {
	overflow := false
	for i, v := range vs {
		s[i] += v
		overflow = overflow || bad(s[i])
	}
	return overflow
}
