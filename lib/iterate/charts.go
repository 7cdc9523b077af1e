package iterate

import (
	"fmt"

	ec "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/founderlab/founderlab/lib/charts"
)

// ValueChart draws the raw feedback against x (e.g. week numbers) and the
// value model's curve for each α, all from the start value v0.
func ValueChart(title string, x, feedback []float64, v0 float64, alphas ...float64) (*ec.Line, error) {
	series := []charts.Series{{Name: "feedback Rₖ", Values: feedback}}
	for _, a := range alphas {
		v, err := Value(feedback, a, v0)
		if err != nil {
			return nil, err
		}
		series = append(series, charts.Series{Name: fmt.Sprintf("Vₖ, α = %.2f", a), Values: v})
	}
	return charts.Line(title, charts.Series{Name: "week", Values: x}, series...), nil
}

// FunnelChart draws the funnel's counts, widest first.
func FunnelChart(title string, steps []StepResult) *ec.Funnel {
	names := make([]string, len(steps))
	counts := make([]float64, len(steps))
	for i, s := range steps {
		names[i] = fmt.Sprintf("%s (%.0f %%)", s.Name, 100*s.FromStart)
		counts[i] = s.Count
	}
	return charts.Funnel(title, names, counts)
}

// IntervalChart draws each arm's conversion rate (dot) with its Wilson
// interval (box from the lower to the upper limit), two arms per test.
func IntervalChart(title string, names []string, tests ...ABTest) *ec.Kline {
	var cats []string
	var boxes []opts.KlineData
	var dots []opts.ScatterData
	for i, t := range tests {
		name := fmt.Sprintf("test %d", i+1)
		if i < len(names) {
			name = names[i]
		}
		for _, arm := range []struct {
			label string
			p     float64
			ci    [2]float64
		}{{"A", t.PA, t.IntervalA}, {"B", t.PB, t.IntervalB}} {
			cats = append(cats, fmt.Sprintf("%s: %s", name, arm.label))
			lo, hi := 100*arm.ci[0], 100*arm.ci[1]
			boxes = append(boxes, opts.KlineData{Value: [4]float64{lo, hi, lo, hi}})
			dots = append(dots, opts.ScatterData{Value: 100 * arm.p, SymbolSize: 10})
		}
	}
	level := 0.95
	if len(tests) > 0 {
		level = tests[0].Level
	}
	k := ec.NewKLine()
	k.SetGlobalOptions(
		ec.WithTitleOpts(opts.Title{Title: title, Subtitle: fmt.Sprintf("conversion rate (%%) with %.0f %% Wilson intervals", 100*level)}),
		ec.WithInitializationOpts(opts.Initialization{Width: fmt.Sprintf("%dpx", charts.DefaultWidth), Height: fmt.Sprintf("%dpx", charts.DefaultHeight)}),
		ec.WithYAxisOpts(opts.YAxis{Type: "value", Scale: opts.Bool(true), AxisLabel: &opts.AxisLabel{Formatter: "{value} %"}}),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		ec.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
	)
	k.SetXAxis(cats).AddSeries("interval", boxes, ec.WithItemStyleOpts(opts.ItemStyle{
		Color: "#c6d4f0", Color0: "#c6d4f0", BorderColor: "#5470c6", BorderColor0: "#5470c6"}))
	s := ec.NewScatter()
	s.SetXAxis(cats).AddSeries("rate", dots, ec.WithItemStyleOpts(opts.ItemStyle{Color: "#ee6666"}))
	k.Overlap(s)
	return k
}
