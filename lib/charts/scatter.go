package charts

import (
	"fmt"

	ec "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Scatter draws points in groups, one colour per group: a 2-D projection
// (PCA, t-SNE) of customers coloured by cluster. See [ScatterBy] to build the
// groups from per-point labels and to name the axes.
func Scatter(title string, groups ...Group) *ec.Scatter {
	return scatter(title, "", "", groups, nil)
}

// ScatterBy draws the points (x.Values[i], y.Values[i]) coloured by
// labels[i], one group per distinct label in order of first appearance;
// labels may be cluster numbers or persona names. x.Name and y.Name name the
// axes.
func ScatterBy[L comparable](title string, x, y Series, labels []L) *ec.Scatter {
	var p problems
	if len(x.Values) != len(y.Values) || len(x.Values) != len(labels) {
		p.addf("%d x, %d y values and %d labels", len(x.Values), len(y.Values), len(labels))
	}
	n := min(len(x.Values), len(y.Values), len(labels))
	index := map[L]int{}
	var groups []Group
	for i := 0; i < n; i++ {
		k, ok := index[labels[i]]
		if !ok {
			k = len(groups)
			index[labels[i]] = k
			groups = append(groups, Group{Name: fmt.Sprint(labels[i])})
		}
		groups[k].X = append(groups[k].X, x.Values[i])
		groups[k].Y = append(groups[k].Y, y.Values[i])
	}
	return scatter(title, x.Name, y.Name, groups, p)
}

func scatter(title, xName, yName string, groups []Group, p problems) *ec.Scatter {
	c := ec.NewScatter()
	for _, g := range groups {
		if len(g.X) != len(g.Y) {
			p.addf("group %q has %d x and %d y values", g.Name, len(g.X), len(g.Y))
		}
		n := min(len(g.X), len(g.Y))
		data := make([]opts.ScatterData, 0, n)
		for i := 0; i < n; i++ {
			if finite(g.X[i]) && finite(g.Y[i]) {
				data = append(data, opts.ScatterData{Value: []float64{g.X[i], g.Y[i]}})
			}
		}
		c.AddSeries(g.Name, data, ec.WithScatterChartOpts(opts.ScatterChart{SymbolSize: 8}))
	}
	c.SetGlobalOptions(
		ec.WithTitleOpts(titleOf(title, p)),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		ec.WithLegendOpts(legend(len(groups))),
	)
	c.Accept(patcher{fn: func(o map[string]any) {
		o["grid"] = gridOption()
		o["xAxis"] = []any{map[string]any{"type": "value", "scale": true, "name": xName, "nameLocation": "middle", "nameGap": 28}}
		o["yAxis"] = []any{map[string]any{"type": "value", "scale": true, "name": yName}}
	}})
	return c
}
