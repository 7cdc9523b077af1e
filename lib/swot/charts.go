package swot

import (
	"fmt"

	ec "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/founderlab/founderlab/lib/charts"
)

// QuadrantChart draws the four SWOT quadrants, each listing its factors by
// decreasing contribution, with the contribution and the quadrant score.
func (s Scores) QuadrantChart(title string) *ec.HeatMap {
	items := func(q Quadrant) []string {
		out := []string{fmt.Sprintf("score %.2f", s.Quadrant(q))}
		for _, c := range s.Ranked(q) {
			out = append(out, fmt.Sprintf("%s (%.2f)", c.Factor.Name, c.Contribution))
		}
		return out
	}
	return charts.SWOT(title, items(Strengths), items(Weaknesses), items(Opportunities), items(Threats))
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
