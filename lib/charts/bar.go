package charts

import (
	ec "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Bar draws one bar per category for each series, side by side: counts per
// cluster, revenue per channel, metric per model. Series values are paired
// with categories by index.
func Bar(title string, categories []string, series ...Series) *ec.Bar {
	var p problems
	c := ec.NewBar()
	c.SetXAxis(categories)
	for _, s := range series {
		if len(s.Values) != len(categories) {
			p.addf("series %q has %d values for %d categories", s.Name, len(s.Values), len(categories))
		}
		n := min(len(s.Values), len(categories))
		data := make([]opts.BarData, n)
		for i := 0; i < n; i++ {
			data[i] = opts.BarData{Value: value(s.Values[i])}
		}
		c.AddSeries(s.Name, data)
	}
	c.SetGlobalOptions(
		ec.WithTitleOpts(titleOf(title, p)),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		ec.WithLegendOpts(legend(len(series))),
	)
	if len(categories) > 8 {
		// Show every category name, slanted, instead of letting ECharts
		// drop most of them.
		c.SetGlobalOptions(ec.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 40}}))
	}
	c.Accept(patcher{fn: func(o map[string]any) { o["grid"] = gridOption() }})
	return c
}
