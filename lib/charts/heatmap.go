package charts

import (
	"math"

	ec "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Heatmap draws values[i][j] as the colour of the cell in row yLabels[i]
// and column xLabels[j], with the value written in the cell; row 0 is at the
// top, as in a printed matrix.
func Heatmap(title string, xLabels, yLabels []string, values [][]float64) *ec.HeatMap {
	return heatmap(title, "", "", xLabels, yLabels, values)
}

// ConfusionMatrix draws counts[i][j], the number of examples of true class
// labels[i] predicted as labels[j], as a heatmap with actual classes as rows
// and predicted classes as columns.
func ConfusionMatrix(title string, labels []string, counts [][]int) *ec.HeatMap {
	v := make([][]float64, len(counts))
	for i, row := range counts {
		v[i] = make([]float64, len(row))
		for j, n := range row {
			v[i][j] = float64(n)
		}
	}
	return heatmap(title, "predicted", "actual", labels, labels, v)
}

func heatmap(title, xName, yName string, xLabels, yLabels []string, values [][]float64) *ec.HeatMap {
	var p problems
	if len(values) != len(yLabels) {
		p.addf("%d rows for %d row labels", len(values), len(yLabels))
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	var data []opts.HeatMapData
	for i := 0; i < min(len(values), len(yLabels)); i++ {
		if len(values[i]) != len(xLabels) {
			p.addf("row %d has %d values for %d columns", i, len(values[i]), len(xLabels))
		}
		for j := 0; j < min(len(values[i]), len(xLabels)); j++ {
			v := values[i][j]
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
			data = append(data, opts.HeatMapData{Value: []any{j, i, value(v)}})
		}
	}
	if lo > hi {
		lo, hi = 0, 1
	}
	c := ec.NewHeatMap()
	c.SetXAxis(xLabels)
	c.AddSeries(title, data, ec.WithLabelOpts(opts.Label{Show: opts.Bool(true)}))
	c.SetGlobalOptions(
		ec.WithTitleOpts(titleOf(title, p)),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		ec.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	c.Accept(patcher{fn: func(o map[string]any) {
		o["grid"] = map[string]any{"left": 60, "right": 50, "top": 70, "bottom": 80, "containLabel": true}
		o["xAxis"] = []any{map[string]any{"type": "category", "data": xLabels, "name": xName,
			"nameLocation": "middle", "nameGap": 30, "splitArea": map[string]any{"show": true}}}
		o["yAxis"] = []any{map[string]any{"type": "category", "data": yLabels, "name": yName,
			"inverse": true, "splitArea": map[string]any{"show": true}}}
		o["visualMap"] = []any{map[string]any{"type": "continuous", "min": lo, "max": hi,
			"calculable": true, "orient": "horizontal", "left": "center", "bottom": 0,
			"inRange": map[string]any{"color": []string{"#f7fbff", "#6baed6", "#08306b"}}}}
	}})
	return c
}
