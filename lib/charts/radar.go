package charts

import (
	"math"

	ec "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Radar draws one polygon per series over the named axes: persona centroids
// over features, series[k].Values[j] being centroid k on axes[j]. Each axis
// is scaled to the range of its values over all series (from 0 when all are
// non-negative), so features of different units stay readable.
func Radar(title string, axes []string, series ...Series) *ec.Radar {
	var p problems
	lo := make([]float64, len(axes))
	hi := make([]float64, len(axes))
	for j := range axes {
		lo[j], hi[j] = math.Inf(1), math.Inf(-1)
	}
	c := ec.NewRadar()
	for _, s := range series {
		if len(s.Values) != len(axes) {
			p.addf("series %q has %d values for %d axes", s.Name, len(s.Values), len(axes))
		}
		n := min(len(s.Values), len(axes))
		vals := make([]any, n)
		for j := 0; j < n; j++ {
			vals[j] = value(s.Values[j])
			if finite(s.Values[j]) {
				lo[j] = math.Min(lo[j], s.Values[j])
				hi[j] = math.Max(hi[j], s.Values[j])
			}
		}
		c.AddSeries(s.Name, []opts.RadarData{{Name: s.Name, Value: vals}})
	}
	indicators := make([]map[string]any, len(axes))
	for j, name := range axes {
		a, b := radarBounds(lo[j], hi[j])
		indicators[j] = map[string]any{"name": name, "min": a, "max": b}
	}
	c.SetGlobalOptions(
		ec.WithTitleOpts(titleOf(title, p)),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		ec.WithLegendOpts(legend(len(series))),
	)
	c.Accept(patcher{fn: func(o map[string]any) {
		o["radar"] = map[string]any{"indicator": indicators, "center": []string{"50%", "55%"}, "radius": "62%"}
	}})
	return c
}

// radarBounds returns a [min, max] axis range holding [lo, hi], starting at 0
// when lo >= 0 and padded by 10% of the span otherwise.
func radarBounds(lo, hi float64) (float64, float64) {
	if lo > hi { // no finite value
		return 0, 1
	}
	span := hi - lo
	if span == 0 {
		span = math.Max(math.Abs(hi), 1)
	}
	a := lo - 0.1*span
	if lo >= 0 {
		a = 0
	}
	return niceFloor(a), niceCeil(hi + 0.1*span)
}

// niceCeil rounds v up to two significant digits; niceFloor rounds down.
func niceCeil(v float64) float64  { return nice(v, math.Ceil) }
func niceFloor(v float64) float64 { return nice(v, math.Floor) }

func nice(v float64, round func(float64) float64) float64 {
	if v == 0 || !finite(v) {
		return v
	}
	e := math.Pow(10, math.Floor(math.Log10(math.Abs(v)))-1)
	return round(v/e) * e
}
