package charts

import (
	ec "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Pie draws the share of each named value in the whole: values[i] is the
// size of the slice names[i]. Negative and non-finite values are reported.
func Pie(title string, names []string, values []float64) *ec.Pie {
	var p problems
	items := pairs("names", names, values, &p)
	data := make([]opts.PieData, len(items))
	for i, it := range items {
		data[i] = opts.PieData{Name: it.name, Value: value(it.value)}
	}
	c := ec.NewPie()
	c.AddSeries(title, data,
		ec.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b}: {d}%"}),
		ec.WithPieChartOpts(opts.PieChart{Radius: []string{"30%", "65%"}}),
	)
	c.SetGlobalOptions(
		ec.WithTitleOpts(titleOf(title, p)),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		ec.WithLegendOpts(legend(len(data))),
	)
	return c
}

// Funnel draws successive stages of a conversion funnel, widest first:
// values[i] is the count that reached stages[i] (visitors, sign-ups, paying).
func Funnel(title string, stages []string, values []float64) *ec.Funnel {
	var p problems
	items := pairs("stages", stages, values, &p)
	data := make([]opts.FunnelData, len(items))
	for i, it := range items {
		data[i] = opts.FunnelData{Name: it.name, Value: value(it.value)}
	}
	c := ec.NewFunnel()
	c.AddSeries(title, data, ec.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "inside", Formatter: "{b}: {c}"}))
	c.SetGlobalOptions(
		ec.WithTitleOpts(titleOf(title, p)),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		ec.WithLegendOpts(legend(len(data))),
	)
	c.Accept(patcher{fn: func(o map[string]any) {
		// The funnel keeps the given order (ECharts sorts descending by default).
		if s, ok := o["series"].(ec.MultiSeries); ok && len(s) == 1 {
			m := seriesMap(s[0])
			m["sort"] = "none"
			m["top"] = 70
			m["bottom"] = 50
			o["series"] = []any{m}
		}
	}})
	return c
}

type namedValue struct {
	name  string
	value float64
}

// pairs zips names and values, reporting a length mismatch and negative values.
func pairs(what string, names []string, values []float64, p *problems) []namedValue {
	if len(names) != len(values) {
		p.addf("%d %s for %d values", len(names), what, len(values))
	}
	n := min(len(names), len(values))
	out := make([]namedValue, n)
	for i := 0; i < n; i++ {
		if values[i] < 0 {
			p.addf("%q has negative value %g", names[i], values[i])
		}
		out[i] = namedValue{names[i], values[i]}
	}
	return out
}
