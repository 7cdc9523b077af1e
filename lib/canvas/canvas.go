package canvas

import (
	"errors"
	"fmt"
	"html"
	"math"
	"strings"
)

// Block names one of the nine canvas blocks.
type Block int

// The nine blocks, in the order they are usually filled in.
const (
	CustomerSegments Block = iota
	ValuePropositions
	Channels
	CustomerRelationships
	RevenueStreams
	KeyResources
	KeyActivities
	KeyPartnerships
	CostStructure
)

// Blocks lists the nine blocks.
var Blocks = [9]Block{CustomerSegments, ValuePropositions, Channels, CustomerRelationships,
	RevenueStreams, KeyResources, KeyActivities, KeyPartnerships, CostStructure}

var blockNames = [9]string{"Customer Segments", "Value Propositions", "Channels",
	"Customer Relationships", "Revenue Streams", "Key Resources", "Key Activities",
	"Key Partnerships", "Cost Structure"}

// String returns the block's title, e.g. "Value Propositions".
func (b Block) String() string {
	if b < 0 || int(b) >= len(blockNames) {
		return fmt.Sprintf("Block(%d)", int(b))
	}
	return blockNames[b]
}

// Item is an entry of a descriptive block.
type Item struct {
	Text string `yaml:"text" json:"text"`
	Note string `yaml:"note,omitempty" json:"note,omitempty"`
}

// Amount is an entry of the revenue-stream or cost-structure block: a
// named amount per month (in the canvas' currency).
type Amount struct {
	Name   string  `yaml:"name" json:"name"`
	Amount float64 `yaml:"amount" json:"amount"`
	Note   string  `yaml:"note,omitempty" json:"note,omitempty"`
}

// Canvas is a Business Model Canvas: nine blocks, the last two with amounts.
type Canvas struct {
	Name                  string   `yaml:"name" json:"name"`
	Currency              string   `yaml:"currency,omitempty" json:"currency,omitempty"`
	CustomerSegments      []Item   `yaml:"customer_segments" json:"customer_segments"`
	ValuePropositions     []Item   `yaml:"value_propositions" json:"value_propositions"`
	Channels              []Item   `yaml:"channels" json:"channels"`
	CustomerRelationships []Item   `yaml:"customer_relationships" json:"customer_relationships"`
	RevenueStreams        []Amount `yaml:"revenue_streams" json:"revenue_streams"`
	KeyResources          []Item   `yaml:"key_resources" json:"key_resources"`
	KeyActivities         []Item   `yaml:"key_activities" json:"key_activities"`
	KeyPartnerships       []Item   `yaml:"key_partnerships" json:"key_partnerships"`
	CostStructure         []Amount `yaml:"cost_structure" json:"cost_structure"`
}

// Items returns the texts of block b (amount entries as "name: amount").
func (c *Canvas) Items(b Block) []string {
	texts := func(items []Item) []string {
		out := make([]string, len(items))
		for i, it := range items {
			out[i] = it.Text
		}
		return out
	}
	amounts := func(items []Amount) []string {
		out := make([]string, len(items))
		for i, it := range items {
			out[i] = fmt.Sprintf("%s: %s", it.Name, money(it.Amount))
		}
		return out
	}
	switch b {
	case CustomerSegments:
		return texts(c.CustomerSegments)
	case ValuePropositions:
		return texts(c.ValuePropositions)
	case Channels:
		return texts(c.Channels)
	case CustomerRelationships:
		return texts(c.CustomerRelationships)
	case RevenueStreams:
		return amounts(c.RevenueStreams)
	case KeyResources:
		return texts(c.KeyResources)
	case KeyActivities:
		return texts(c.KeyActivities)
	case KeyPartnerships:
		return texts(c.KeyPartnerships)
	case CostStructure:
		return amounts(c.CostStructure)
	}
	return nil
}

// Validate reports empty blocks, empty entries and negative or non-finite
// amounts, all joined, or nil.
func (c *Canvas) Validate() error {
	var errs []error
	for _, b := range Blocks {
		if len(c.Items(b)) == 0 {
			errs = append(errs, fmt.Errorf("%s: block is empty", b))
		}
	}
	check := func(b Block, items []Item) {
		for i, it := range items {
			if strings.TrimSpace(it.Text) == "" {
				errs = append(errs, fmt.Errorf("%s[%d]: text is empty", b, i))
			}
		}
	}
	check(CustomerSegments, c.CustomerSegments)
	check(ValuePropositions, c.ValuePropositions)
	check(Channels, c.Channels)
	check(CustomerRelationships, c.CustomerRelationships)
	check(KeyResources, c.KeyResources)
	check(KeyActivities, c.KeyActivities)
	check(KeyPartnerships, c.KeyPartnerships)
	for _, part := range []struct {
		b     Block
		items []Amount
	}{{RevenueStreams, c.RevenueStreams}, {CostStructure, c.CostStructure}} {
		for i, a := range part.items {
			if a.Name == "" {
				errs = append(errs, fmt.Errorf("%s[%d]: name is empty", part.b, i))
			}
			if math.IsNaN(a.Amount) || math.IsInf(a.Amount, 0) || a.Amount < 0 {
				errs = append(errs, fmt.Errorf("%s[%d] %q: amount must be ≥ 0, got %g", part.b, i, a.Name, a.Amount))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("canvas %q: %w", c.Name, err)
	}
	return nil
}

// Ratio returns the seed's profitability ratio M = ΣR / ΣC over the
// revenue-stream and cost-structure amounts, with both sums. It returns an
// error when the costs sum to 0.
func (c *Canvas) Ratio() (m, revenue, cost float64, err error) {
	for _, r := range c.RevenueStreams {
		revenue += r.Amount
	}
	for _, k := range c.CostStructure {
		cost += k.Amount
	}
	if cost <= 0 {
		return 0, revenue, cost, fmt.Errorf("canvas %q: M = ΣR/ΣC: costs sum to %g", c.Name, cost)
	}
	return revenue / cost, revenue, cost, nil
}

// gridArea places each block in the classic 10-column, 3-row layout.
var gridArea = [9]string{
	CustomerSegments:      "1 / 9 / 3 / 11",
	ValuePropositions:     "1 / 5 / 3 / 7",
	Channels:              "2 / 7 / 3 / 9",
	CustomerRelationships: "1 / 7 / 2 / 9",
	RevenueStreams:        "3 / 6 / 4 / 11",
	KeyResources:          "2 / 3 / 3 / 5",
	KeyActivities:         "1 / 3 / 2 / 5",
	KeyPartnerships:       "1 / 1 / 3 / 3",
	CostStructure:         "3 / 1 / 4 / 6",
}

// HTML renders the canvas as a print-friendly grid (black on white,
// no page break inside) in the classic layout: partners, activities and
// resources, value propositions, relationships and channels, segments on
// top; costs and revenues below. The ratio M is shown in the footer.
func (c *Canvas) HTML() string {
	var b strings.Builder
	b.WriteString(`<div style="font-family:sans-serif;color:#000;background:#fff;max-width:1100px;break-inside:avoid;page-break-inside:avoid">`)
	fmt.Fprintf(&b, `<div style="font-weight:bold;font-size:16px;margin:4px 0">Business Model Canvas — %s</div>`, html.EscapeString(c.Name))
	b.WriteString(`<div style="display:grid;grid-template-columns:repeat(10,1fr);grid-template-rows:auto auto auto;gap:0;border:2px solid #000">`)
	for _, bl := range []Block{KeyPartnerships, KeyActivities, KeyResources, ValuePropositions,
		CustomerRelationships, Channels, CustomerSegments, CostStructure, RevenueStreams} {
		fmt.Fprintf(&b, `<div style="grid-area:%s;border:1px solid #000;padding:6px;min-height:90px;font-size:12px">`, gridArea[bl])
		fmt.Fprintf(&b, `<div style="font-weight:bold;text-transform:uppercase;font-size:11px;margin-bottom:4px">%s</div><ul style="margin:0;padding-left:16px">`, bl)
		for _, it := range c.Items(bl) {
			fmt.Fprintf(&b, "<li>%s</li>", html.EscapeString(it))
		}
		b.WriteString("</ul></div>")
	}
	b.WriteString("</div>")
	if m, r, k, err := c.Ratio(); err == nil {
		fmt.Fprintf(&b, `<div style="font-size:12px;margin-top:4px">M = ΣR / ΣC = %s / %s = <b>%.2f</b> (%s)</div>`,
			money(r), money(k), m, map[bool]string{true: "revenues cover costs", false: "revenues do not cover costs"}[m >= 1])
	}
	b.WriteString("</div>")
	return b.String()
}

// money formats x with thousands separators and no decimals.
func money(x float64) string {
	if math.IsNaN(x) {
		return "—"
	}
	if math.IsInf(x, 0) {
		return "∞"
	}
	s := fmt.Sprintf("%.0f", math.Abs(x))
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if x <= -0.5 {
		return "-" + b.String()
	}
	return b.String()
}
