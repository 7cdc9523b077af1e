package swot

import (
	"fmt"
	"html"
	"math"
	"strings"

	"github.com/founderlab/founderlab/lib/charts"
	htmltable "github.com/founderlab/founderlab/lib/table"
)

// table is a minimal HTML table renderer for notebook cells: a caption, a
// header row and body rows of already formatted cells.
type table struct {
	caption string
	header  []string
	rows    [][]string
	bold    map[int]bool // rows rendered in bold (subtotals)
}

// Styles of the TOWS matrix, whose cells hold lists rather than text.
const (
	tableStyle = `border-collapse:collapse;font-family:sans-serif;font-size:13px;margin:4px 0`
	cellStyle  = `border:1px solid #bbb;padding:3px 8px;text-align:left;vertical-align:top`
)

// html renders the table with its caption, header and cells in the
// current [charts.Language]: text that a message translates is replaced,
// numbers and names from the analysis stay as they are.
func (t table) html() string {
	tr := func(cells []string) []string {
		out := make([]string, len(cells))
		for i, c := range cells {
			out[i] = charts.Translate(c)
		}
		return out
	}
	rows := make([][]string, len(t.rows))
	for i, r := range t.rows {
		rows[i] = tr(r)
	}
	return htmltable.Formatted{Caption: charts.Translate(t.caption), Header: tr(t.header), Rows: rows, Bold: t.bold}.HTML()
}

func num(x float64, prec int) string {
	if math.IsNaN(x) {
		return "—"
	}
	return fmt.Sprintf("%.*f", prec, x)
}

func pct(x float64) string {
	if math.IsNaN(x) {
		return "—"
	}
	return fmt.Sprintf("%.1f %%", 100*x)
}

// money formats x with thousands separators and no decimals.
func money(x float64) string {
	if math.IsNaN(x) {
		return "—"
	}
	s := fmt.Sprintf("%.0f", math.Abs(x))
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if x < -0.5 {
		return "-" + b.String()
	}
	return b.String()
}

// HTML renders the weighted SWOT table: every factor with its weight,
// normalised weight, rating and contribution, and a subtotal per quadrant.
func (s Scores) HTML() string {
	t := table{caption: "Weighted SWOT", header: []string{"Quadrant", "Factor", "Weight", "w̃", "Rating", "w̃·r"}, bold: map[int]bool{}}
	for _, q := range Quadrants {
		for _, c := range s.Contributions {
			if c.Quadrant == q {
				t.rows = append(t.rows, []string{q.String(), c.Factor.Name, num(c.Factor.Weight, 2),
					num(c.NormWeight, 3), num(c.Factor.Rating, 1), num(c.Contribution, 3)})
			}
		}
		t.bold[len(t.rows)] = true
		t.rows = append(t.rows, []string{q.String(), "quadrant score " + q.Letter(), "", "", "", num(s.Quadrant(q), 3)})
	}
	return t.html()
}

// HTML renders the TOWS matrix as a 2×2 grid with the top n pairs of each
// cell (and the strategy text written for a pair, if any).
func (m TOWSMatrix) HTML(n int) string {
	cell := func(k Kind) string {
		var b strings.Builder
		fmt.Fprintf(&b, "<b>%s</b><ol style=\"margin:2px 0;padding-left:18px\">", k)
		for _, p := range m.Top(k, n) {
			fmt.Fprintf(&b, "<li>%s × %s <span style=\"color:#666\">(%.2f)</span>", html.EscapeString(p.Internal), html.EscapeString(p.External), p.Score)
			if p.Text != "" {
				fmt.Fprintf(&b, "<br><i>%s</i>", html.EscapeString(p.Text))
			}
			b.WriteString("</li>")
		}
		b.WriteString("</ol>")
		return b.String()
	}
	var b strings.Builder
	q := func(q Quadrant) string { return html.EscapeString(charts.Translate(q.String())) }
	fmt.Fprintf(&b, "<table style=%q><tr><th style=%q></th><th style=%q>%s</th><th style=%q>%s</th></tr>", tableStyle, cellStyle, cellStyle, q(Opportunities), cellStyle, q(Threats))
	fmt.Fprintf(&b, "<tr><th style=%q>%s</th><td style=%q>%s</td><td style=%q>%s</td></tr>", cellStyle, q(Strengths), cellStyle, cell(SO), cellStyle, cell(ST))
	fmt.Fprintf(&b, "<tr><th style=%q>%s</th><td style=%q>%s</td><td style=%q>%s</td></tr></table>", cellStyle, q(Weaknesses), cellStyle, cell(WO), cellStyle, cell(WT))
	return b.String()
}

// HTML renders the assessment level by level against checklist.
func (a TRLAssessment) HTML(checklist []TRLLevel) string {
	t := table{caption: fmt.Sprintf("Technology readiness: TRL %d", a.Level), header: []string{"TRL", "Level", "Evidence", "Status"}, bold: map[int]bool{}}
	for i, l := range checklist {
		status := ""
		switch {
		case l.Level <= a.Level:
			status = "reached"
		case l.Level == a.Level+1:
			status = "next"
			t.bold[i] = true
		}
		done := 0.0
		if i < len(a.Done) {
			done = a.Done[i]
		}
		t.rows = append(t.rows, []string{fmt.Sprint(l.Level), l.Name, pct(done), status})
	}
	return t.html()
}

// HTML renders the summary metrics and the net flow per period.
func (s Summary) HTML() string {
	t := table{caption: "Cost–benefit summary", header: []string{"Metric", "Value"}}
	add := func(k, v string) { t.rows = append(t.rows, []string{k, v}) }
	add("Discount rate", pct(s.Rate))
	add("Total benefits", money(s.TotalBenefit))
	add("Total costs", money(s.TotalCost))
	add("NPV", money(s.NPV))
	add("IRR", pct(s.IRR))
	add("ROI (undiscounted)", pct(s.ROI))
	add("Benefit–cost ratio (PV)", num(s.BCR, 2))
	add("Payback (periods)", num(s.Payback, 2))
	add("Discounted payback (periods)", num(s.DiscountedPayback, 2))
	flows := table{caption: "Net flow per period", header: []string{"Period"}}
	row := []string{"Net"}
	for i, x := range s.Net {
		flows.header = append(flows.header, fmt.Sprint(i))
		row = append(row, money(x))
	}
	flows.rows = [][]string{row}
	return t.html() + flows.html()
}

// HTML renders the tornado bars as a table.
func (t Tornado) HTML() string {
	tb := table{caption: fmt.Sprintf("NPV sensitivity (±%.0f %%), base NPV %s", 100*t.Delta, money(t.Base)),
		header: []string{"Input", "NPV at −δ", "NPV at +δ", "Swing"}}
	for _, b := range t.Bars {
		tb.rows = append(tb.rows, []string{b.Input, money(b.Low), money(b.High), money(b.Swing)})
	}
	return tb.html()
}

// HTML renders the feature matrix with each product's weighted score.
func (m *FeatureMatrix) HTML() string {
	scores, _, err := m.Rank()
	if err != nil {
		return "<pre>" + html.EscapeString(err.Error()) + "</pre>"
	}
	byName := map[string]float64{}
	for _, s := range scores {
		byName[s.Name] = s.Score
	}
	t := table{caption: "Competitor feature matrix", header: []string{"Product"}, bold: map[int]bool{}}
	for _, f := range m.Features {
		t.header = append(t.header, fmt.Sprintf("%s (w %g)", f.Name, f.Weight))
	}
	t.header = append(t.header, "Weighted score")
	for i, p := range m.Products {
		row := []string{p.Name}
		for _, f := range m.Features {
			row = append(row, num(p.Scores[f.Name], 0))
		}
		row = append(row, pct(byName[p.Name]))
		t.rows = append(t.rows, row)
		t.bold[i] = p.Ours
	}
	return t.html()
}

// FeasibilityHTML compares the two readings of the seed's feasibility
// formula (see [Reading]) on the quadrant scores, and shows how each
// responds when the opportunities score moves to either end of the rating
// scale: the printed reading falls as opportunities grow. The caption
// quotes the seed's legend of the six terms.
func (s Scores) FeasibilityHTML(sc Scale) string {
	t := table{caption: "Feasibility score, two readings of the seed's formula (legend: S₊ technical strength, S₋ technical weakness, W₊ market opportunity, W₋ market threat, T₊ technical opportunity, T₋ technical threat)",
		header: []string{"Case", "S₊ = S", "S₋ = W", "W₊+T₊ = O", "W₋+T₋ = T", "Printed (S₊+S₊)/Σ", "Intended (S₊+W₊+T₊)/Σ = (S+O)/(S+W+O+T)"}}
	row := func(name string, x Scores) {
		p, _ := x.Seed(Printed)
		f, _ := x.Seed(Intended)
		t.rows = append(t.rows, []string{name, num(x.S, 2), num(x.W, 2), num(x.O, 2), num(x.T, 2), num(p, 3), num(f, 3)})
	}
	row("this analysis", s)
	lo, hi := s, s
	lo.O, hi.O = sc.Min, sc.Max
	row("opportunities at scale minimum", lo)
	row("opportunities at scale maximum", hi)
	return t.html()
}

// StrategiesHTML renders the hand-written strategies by decreasing score.
func (m TOWSMatrix) StrategiesHTML() string {
	t := table{caption: "TOWS strategies, ranked", header: []string{"Rank", "Cell", "Strategy", "Uses", "Score"}}
	for i, s := range m.Strategies {
		t.rows = append(t.rows, []string{fmt.Sprint(i + 1), string(s.Kind), s.Text, strings.Join(s.Uses, "; "), num(s.Score, 2)})
	}
	return t.html()
}

// CriteriaHTML renders feasibility criteria with their share of the maximum.
func CriteriaHTML(cs []Criterion) string {
	t := table{caption: "Feasibility criteria", header: []string{"Criterion", "Score", "Max", "Share", "Note"}}
	for _, c := range cs {
		t.rows = append(t.rows, []string{c.Name, num(c.Score, 1), num(c.Max, 0), pct(c.Score / c.Max), c.Note})
	}
	return t.html()
}

// GapsHTML renders the features where a competitor beats our product.
func GapsHTML(gaps []Gap) string {
	t := table{caption: "Feature gaps against the best competitor", header: []string{"Feature", "Ours", "Best", "Leader"}}
	for _, g := range gaps {
		t.rows = append(t.rows, []string{g.Feature, num(g.Ours, 0), num(g.Best, 0), g.Leader})
	}
	return t.html()
}
