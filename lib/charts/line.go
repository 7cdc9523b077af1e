package charts

import (
	ec "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Line draws one line per series against the numeric x positions in x, on
// value axes: the elbow curve of k-means (x = k, a series of inertia) or
// training curves (x = step, series of loss and accuracy). x.Name names the
// x axis; with a single series its name also names the y axis. Points
// beyond len(x.Values) are dropped and reported in the subtitle.
func Line(title string, x Series, series ...Series) *ec.Line {
	var p problems
	c := ec.NewLine()
	for _, s := range series {
		n := min(len(s.Values), len(x.Values))
		if len(s.Values) != len(x.Values) {
			p.addf("series %q has %d values for %d x positions", s.Name, len(s.Values), len(x.Values))
		}
		data := make([]opts.LineData, 0, n)
		for i := 0; i < n; i++ {
			if !finite(x.Values[i]) {
				continue
			}
			data = append(data, opts.LineData{Value: []any{x.Values[i], value(s.Values[i])}})
		}
		c.AddSeries(s.Name, data, ec.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(n <= 60)}))
	}
	yName := ""
	if len(series) == 1 {
		yName = series[0].Name
	}
	c.SetGlobalOptions(
		ec.WithTitleOpts(titleOf(title, p)),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		ec.WithLegendOpts(legend(len(series))),
		ec.WithXAxisOpts(opts.XAxis{Type: "value", Name: x.Name, NameLocation: "middle", NameGap: 28}),
		ec.WithYAxisOpts(opts.YAxis{Type: "value", Name: yName}),
	)
	c.Accept(patcher{fn: func(o map[string]any) {
		o["grid"] = gridOption()
		if xs, ok := o["xAxis"].([]opts.XAxis); ok && len(xs) > 0 {
			// min/max "dataMin"/"dataMax" keeps k = 1..10 from being padded to 0..12.
			o["xAxis"] = []any{axisWithBounds(xs[0], "dataMin", "dataMax")}
		}
		if ys, ok := o["yAxis"].([]opts.YAxis); ok && len(ys) > 0 {
			o["yAxis"] = []any{map[string]any{"type": "value", "name": ys[0].Name, "scale": true}}
		}
	}})
	return c
}

// axisWithBounds returns the x axis as an option map with min and max set.
func axisWithBounds(a opts.XAxis, lo, hi any) map[string]any {
	return map[string]any{
		"type": a.Type, "name": a.Name, "nameLocation": a.NameLocation, "nameGap": a.NameGap,
		"min": lo, "max": hi,
	}
}
