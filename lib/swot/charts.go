package swot

import (
	"fmt"
	"strings"

	ec "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/founderlab/founderlab/lib/charts"
)

// QuadrantChart draws the four SWOT quadrants, each listing its factors by
// decreasing contribution, with the contribution and the quadrant score.
func (s Scores) QuadrantChart(title string) *ec.HeatMap {
	items := func(q Quadrant) []string {
		out := []string{charts.Translate(fmt.Sprintf("score %.2f", s.Quadrant(q)))}
		for _, c := range s.Ranked(q) {
			out = append(out, fmt.Sprintf("%s (%.2f)", c.Factor.Name, c.Contribution))
		}
		return out
	}
	return Chart(title, items(Strengths), items(Weaknesses), items(Opportunities), items(Threats))
}

// CriteriaChart draws the criteria as a radar: the scores and, as a
// reference polygon, each criterion's maximum (so every axis runs from 0 to
// its maximum).
func CriteriaChart(title string, cs []Criterion) *ec.Radar {
	axes := make([]string, len(cs))
	score := make([]float64, len(cs))
	top := make([]float64, len(cs))
	for i, c := range cs {
		axes[i], score[i], top[i] = c.Name, c.Score, c.Max
	}
	return charts.Radar(title, axes, charts.Series{Name: "score", Values: score}, charts.Series{Name: "maximum", Values: top})
}

// Chart draws the tornado: one horizontal row per input, largest swing on
// top, with bars from the base NPV to the NPV at −δ and at +δ (as changes
// from the base).
func (t Tornado) Chart(title string) *ec.Bar {
	n := len(t.Bars)
	cats := make([]string, n)
	lo := make([]float64, n)
	hi := make([]float64, n)
	for i, b := range t.Bars { // the category axis runs bottom-up
		j := n - 1 - i
		cats[j], lo[j], hi[j] = b.Input, b.Low-t.Base, b.High-t.Base
	}
	c := charts.Bar(title, cats,
		charts.Series{Name: fmt.Sprintf("input −%.0f %%", 100*t.Delta), Values: lo},
		charts.Series{Name: fmt.Sprintf("input +%.0f %%", 100*t.Delta), Values: hi})
	c.XYReversal()
	c.SetGlobalOptions(
		ec.WithXAxisOpts(opts.XAxis{Type: "value", Name: fmt.Sprintf("NPV change from %s", money(t.Base)), NameLocation: "middle", NameGap: 30}),
		ec.WithYAxisOpts(opts.YAxis{Type: "category"}),
	)
	c.SetSeriesOptions(ec.WithBarChartOpts(opts.BarChart{BarGap: "-100%"}))
	return c
}

// TRLChart draws the level reached on a 0–9 dial.
func (a TRLAssessment) Chart(title string) *ec.Gauge {
	return charts.Gauge(title, "TRL", float64(a.Level), 0, 9)
}

// Chart draws each product as a polygon over the features (scores 0…Max).
func (m *FeatureMatrix) Chart(title string) *ec.Radar {
	axes := make([]string, len(m.Features))
	for i, f := range m.Features {
		axes[i] = f.Name
	}
	var series []charts.Series
	for _, p := range m.Products {
		v := make([]float64, len(m.Features))
		for i, f := range m.Features {
			v[i] = p.Scores[f.Name]
		}
		series = append(series, charts.Series{Name: p.Name, Values: v})
	}
	return charts.Radar(title, axes, series...)
}

// Chart draws a SWOT analysis as four quadrants: strengths (internal,
// helpful) top left, weaknesses (internal, harmful) top right,
// opportunities (external, helpful) bottom left and threats (external,
// harmful) bottom right, each listing its items ("(none)" for an empty
// quadrant). [Scores.QuadrantChart] draws a scored analysis with it. The
// quadrant names are written in the current [charts.Language].
func Chart(title string, strengths, weaknesses, opportunities, threats []string) *ec.HeatMap {
	type quadrant struct {
		name  string
		x, y  int
		color string
		items []string
	}
	qs := []quadrant{
		{"Strengths", 0, 0, "#d9f0d3", strengths},
		{"Weaknesses", 1, 0, "#fde0c5", weaknesses},
		{"Opportunities", 0, 1, "#d6e6f5", opportunities},
		{"Threats", 1, 1, "#f8d0d0", threats},
	}
	data := make([]map[string]any, len(qs))
	for i, q := range qs {
		var b strings.Builder
		b.WriteString("{h|" + escapeRich(charts.Translate(q.name)) + "}")
		for _, it := range q.items {
			b.WriteString("\n• " + escapeRich(it))
		}
		if len(q.items) == 0 {
			b.WriteString("\n" + charts.Translate("(none)"))
		}
		data[i] = map[string]any{
			"value":     []any{q.x, q.y, i},
			"name":      q.name,
			"itemStyle": map[string]any{"borderColor": "#fff", "borderWidth": 4},
			"label": map[string]any{
				"show": true, "formatter": b.String(), "color": "#222", "fontSize": 13,
				"lineHeight": 20, "width": 380, "overflow": "break",
				"rich": map[string]any{"h": map[string]any{"fontSize": 16, "fontWeight": "bold", "lineHeight": 26}},
			},
		}
	}
	c := ec.NewHeatMap()
	c.SetXAxis([]string{"Helpful", "Harmful"})
	c.AddSeries(title, nil)
	c.SetGlobalOptions(
		ec.WithTitleOpts(opts.Title{Title: title}),
		ec.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	c.Accept(charts.Patch(func(o map[string]any) {
		o["grid"] = map[string]any{"left": 90, "right": 20, "top": 60, "bottom": 40}
		o["xAxis"] = []any{map[string]any{"type": "category", "data": []string{"Helpful", "Harmful"},
			"position": "top", "axisTick": map[string]any{"show": false}, "axisLine": map[string]any{"show": false}}}
		o["yAxis"] = []any{map[string]any{"type": "category", "data": []string{"Internal", "External"},
			"inverse": true, "axisTick": map[string]any{"show": false}, "axisLine": map[string]any{"show": false}}}
		o["series"] = []any{map[string]any{"type": "heatmap", "name": title, "data": data}}
		o["tooltip"] = map[string]any{"show": false}
		// A heatmap takes its colours from a visual map: one piece per quadrant.
		pieces := make([]map[string]any, len(qs))
		for i, q := range qs {
			pieces[i] = map[string]any{"value": i, "color": q.color}
		}
		o["visualMap"] = []any{map[string]any{"type": "piecewise", "show": false, "dimension": 2, "pieces": pieces}}
	}))
	return c
}

// escapeRich escapes the characters that ECharts rich text treats as markup.
func escapeRich(s string) string {
	return strings.NewReplacer("{", "(", "}", ")", "|", "/").Replace(s)
}
