package canvas

import (
	"fmt"

	ec "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/founderlab/founderlab/lib/charts"
)

func (sim *Simulation) months() charts.Series {
	x := make([]float64, len(sim.Months))
	for i, mo := range sim.Months {
		x[i] = float64(mo.Month)
	}
	return charts.Series{Name: "month", Values: x}
}

// RevenueCostChart draws monthly revenue and total cost, with a vertical
// marker at the operating break-even month (when there is one) and the
// cumulative profit.
func (sim *Simulation) RevenueCostChart(title string) *ec.Line {
	rev := charts.Series{Name: "revenue"}
	cost := charts.Series{Name: "total cost"}
	cum := charts.Series{Name: "cumulative profit"}
	for _, mo := range sim.Months {
		rev.Values = append(rev.Values, mo.Revenue)
		cost.Values = append(cost.Values, mo.TotalCost)
		cum.Values = append(cum.Values, mo.Cumulative)
	}
	c := charts.Line(title, sim.months(), rev, cost, cum)
	if sim.BreakEven > 0 && len(c.MultiSeries) > 0 {
		ec.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{
			Name: fmt.Sprintf("break-even: month %d", sim.BreakEven), XAxis: sim.BreakEven})(&c.MultiSeries[0])
		ec.WithMarkLineStyleOpts(opts.MarkLineStyle{Label: &opts.Label{Show: opts.Bool(true), Formatter: "{b}"}})(&c.MultiSeries[0])
	}
	return c
}

// StreamChart draws the revenue of each stream per month as stacked bars.
func (sim *Simulation) StreamChart(title string) *ec.Bar {
	cats := make([]string, len(sim.Months))
	series := make([]charts.Series, len(sim.Model.Streams))
	for i, s := range sim.Model.Streams {
		series[i].Name = s.Name
	}
	for m, mo := range sim.Months {
		cats[m] = fmt.Sprint(mo.Month)
		for i, r := range mo.StreamRevenue {
			series[i].Values = append(series[i].Values, r)
		}
	}
	c := charts.Bar(title, cats, series...)
	c.SetSeriesOptions(ec.WithBarChartOpts(opts.BarChart{Stack: "revenue"}))
	return c
}

// SankeyChart draws the flows of Sankey.
func (sim *Simulation) SankeyChart(title string) *ec.Sankey {
	var links []charts.Link
	for _, l := range sim.Sankey() {
		links = append(links, charts.Link{Source: l.Source, Target: l.Target, Value: l.Value})
	}
	return charts.Sankey(title, links...)
}

// Chart draws the six Van Westendorp curves against price with vertical
// markers at PMC, OPP, IPP and PME.
func (r PSM) Chart(title string) *ec.Line {
	c := charts.Line(title, charts.Series{Name: "price", Values: r.Prices},
		charts.Series{Name: "too cheap", Values: r.TooCheap},
		charts.Series{Name: "cheap", Values: r.Cheap},
		charts.Series{Name: "not cheap", Values: r.NotCheap},
		charts.Series{Name: "expensive", Values: r.Expensive},
		charts.Series{Name: "not expensive", Values: r.NotExpensive},
		charts.Series{Name: "too expensive", Values: r.TooExpensive})
	if len(c.MultiSeries) > 0 {
		var marks []opts.MarkLineNameXAxisItem
		for _, p := range []struct {
			name string
			x    float64
		}{{"PMC", r.PMC}, {"OPP", r.OPP}, {"IPP", r.IPP}, {"PME", r.PME}} {
			if !bad(p.x) {
				marks = append(marks, opts.MarkLineNameXAxisItem{Name: fmt.Sprintf("%s %.2f", p.name, p.x), XAxis: p.x})
			}
		}
		ec.WithMarkLineNameXAxisItemOpts(marks...)(&c.MultiSeries[0])
		ec.WithMarkLineStyleOpts(opts.MarkLineStyle{Label: &opts.Label{Show: opts.Bool(true), Formatter: "{b}"}})(&c.MultiSeries[0])
	}
	return c
}
