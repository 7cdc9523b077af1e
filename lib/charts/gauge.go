package charts

import (
	ec "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Gauge draws the value v on a dial from lo to hi, e.g. a feasibility score
// out of 100; name labels the value.
func Gauge(title, name string, v, lo, hi float64) *ec.Gauge {
	var p problems
	if !(lo < hi) {
		p.addf("gauge range [%g, %g] is empty", lo, hi)
	}
	if finite(v) && (v < lo || v > hi) {
		p.addf("value %g is outside [%g, %g]", v, lo, hi)
	}
	c := ec.NewGauge()
	c.AddSeries(title, []opts.GaugeData{{Name: name, Value: value(v)}})
	c.SetGlobalOptions(
		ec.WithTitleOpts(titleOf(title, p)),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		ec.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	c.Accept(patcher{fn: func(o map[string]any) {
		if s, ok := o["series"].(ec.MultiSeries); ok && len(s) == 1 {
			m := seriesMap(s[0])
			m["min"], m["max"] = lo, hi
			m["center"] = []string{"50%", "60%"}
			m["detail"] = map[string]any{"valueAnimation": true, "formatter": "{value}"}
			m["progress"] = map[string]any{"show": true}
			o["series"] = []any{m}
		}
	}})
	return c
}
