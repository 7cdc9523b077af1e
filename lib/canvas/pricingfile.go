package canvas

import (
	"fmt"
	"os"
)

// Pricing gathers the inputs of the three pricing methods for one product.
type Pricing struct {
	Product     string       `yaml:"product" json:"product"`
	UnitCost    float64      `yaml:"unit_cost" json:"unit_cost"`
	Markup      float64      `yaml:"markup" json:"markup"`
	Value       Value        `yaml:"value" json:"value"`
	Competitors []Competitor `yaml:"competitors" json:"competitors"`
	Premium     float64      `yaml:"premium" json:"premium"`
}

// PricingMethod is one of the three ways [Pricing.Prices] sets a price.
type PricingMethod uint8

// The pricing methods, in the order [Pricing.Prices] returns them.
const (
	// MethodCostBased is the unit cost plus a markup ([CostPlus]).
	MethodCostBased PricingMethod = iota
	// MethodValueBased captures a share of the customer's net
	// differentiation value ([ValueBased]).
	MethodValueBased
	// MethodCompetitionBased is the share-weighted competitor price with a
	// premium ([CompetitionBased]).
	MethodCompetitionBased
)

var methodNames = [...]string{"Cost-based", "Value-based", "Competition-based"}

// String returns the method's name as the price table shows it:
// "Cost-based", "Value-based" or "Competition-based".
func (m PricingMethod) String() string {
	if int(m) >= len(methodNames) {
		return fmt.Sprintf("PricingMethod(%d)", uint8(m))
	}
	return methodNames[m]
}

// PricePoint is the price one method suggests.
type PricePoint struct {
	Method PricingMethod
	Price  float64
	Basis  string // how it was derived
}

// Prices applies cost-plus, value-based and competition-based pricing.
func (p *Pricing) Prices() ([]PricePoint, error) {
	cp, err := CostPlus(p.UnitCost, p.Markup)
	if err != nil {
		return nil, err
	}
	vb, evc, err := ValueBased(p.Value)
	if err != nil {
		return nil, err
	}
	cb, err := CompetitionBased(p.Competitors, p.Premium)
	if err != nil {
		return nil, err
	}
	return []PricePoint{
		{MethodCostBased, cp, fmt.Sprintf("unit cost %.2f × (1 + %.0f %% markup)", p.UnitCost, 100*p.Markup)},
		{MethodValueBased, vb, fmt.Sprintf("reference %.2f + %.0f %% of net differentiation %.2f (EVC %.2f)", p.Value.Reference, 100*p.Value.Capture, p.Value.Positive-p.Value.Negative, evc)},
		{MethodCompetitionBased, cb, fmt.Sprintf("share-weighted competitor price × %.2f (premium %.0f %%)", 1+p.Premium, 100*p.Premium)},
	}, nil
}

// LoadPricing reads pricing inputs from a YAML file and checks them.
func LoadPricing(path string) (*Pricing, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("canvas: load: %w", err)
	}
	return parsePricing(data, path)
}

func parsePricing(data []byte, name string) (*Pricing, error) {
	p := new(Pricing)
	if err := parseYAML(data, name, p); err != nil {
		return nil, fmt.Errorf("canvas: load: %w", err)
	}
	if _, err := p.Prices(); err != nil {
		return nil, fmt.Errorf("canvas: load %s: %w", name, err)
	}
	return p, nil
}

// PriceTable renders price points, with the Van Westendorp range when r
// is not nil.
func PriceTable(points []PricePoint, r *PSM) string {
	var rows [][]string
	for _, p := range points {
		inRange := ""
		if r != nil {
			inRange = "no"
			if p.Price >= r.PMC && p.Price <= r.PME {
				inRange = "yes"
			}
		}
		rows = append(rows, []string{p.Method.String(), num(p.Price, 2), p.Basis, inRange})
	}
	return table("Price by method", []string{"Method", "Price", "Basis", "Within acceptable range"}, rows)
}
