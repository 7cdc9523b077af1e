package charts

import (
	"fmt"
	"math"
	"strings"

	ec "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Number is the set of element types accepted by [Col].
type Number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 |
		~float32 | ~float64
}

// Series is a named column of numbers: one line of a [Line] chart, one
// colour of bars in a [Bar] chart, one polygon of a [Radar] chart, or the x
// positions of a [Line] chart. NaN and ±Inf values are drawn as gaps.
type Series struct {
	Name   string
	Values []float64
}

// Col returns the Series name with values converted to float64, so that a
// notebook can pass []int steps or []float32 losses without a loop:
//
//	charts.Line("Training", charts.Col("step", steps), charts.Col("loss", losses))
func Col[T Number](name string, values []T) Series {
	f := make([]float64, len(values))
	for i, v := range values {
		f[i] = float64(v)
	}
	return Series{Name: name, Values: f}
}

// Group is one named set of points of a [Scatter] chart; X[i], Y[i] is a point.
type Group struct {
	Name string
	X, Y []float64
}

// Link is one flow of a [Sankey] diagram: Value units go from Source to Target.
// Nodes are named by the links that use them.
type Link struct {
	Source, Target string
	Value          float64
}

// Default chart size in pixels, used by every builder; [Size] overrides it
// at display time.
const (
	DefaultWidth  = 900
	DefaultHeight = 500
)

// problems collects the input mistakes of one builder call. They are shown
// as the chart's subtitle, so a mistake is visible where the chart is.
type problems []string

func (p *problems) addf(format string, args ...any) {
	*p = append(*p, fmt.Sprintf(format, args...))
}

func (p problems) subtitle() string {
	if len(p) == 0 {
		return ""
	}
	const maxShown = 3
	shown := p
	if len(shown) > maxShown {
		shown = shown[:maxShown]
	}
	s := "⚠ " + strings.Join(shown, "; ")
	if len(p) > maxShown {
		s += fmt.Sprintf(" (and %d more)", len(p)-maxShown)
	}
	return s
}

// value returns v as a JSON-encodable ECharts value: NaN and ±Inf, which
// JSON cannot encode, become "-", ECharts' mark for a missing value.
func value(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "-"
	}
	return v
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// patcher is a go-echarts configuration visitor that edits the final option
// map, for the options that go-echarts' typed structs cannot express (an
// inverse category axis, per-item labels, float gauge bounds).
type patcher struct {
	ec.BaseConfigurationVisitor
	fn func(option map[string]any)
}

// Visit implements ec.ConfigurationVisitor.
func (p patcher) Visit(option map[string]any) { p.fn(option) }

// Patch returns a go-echarts configuration visitor that calls fn with the
// chart's final option map, for options that go-echarts' typed structs
// cannot express. Domain packages drawing their own charts use it as
//
//	c.Accept(charts.Patch(func(o map[string]any) { o["tooltip"] = ... }))
func Patch(fn func(option map[string]any)) ec.ConfigurationVisitor { return patcher{fn: fn} }

// titleOf returns the title options shared by every builder.
func titleOf(text string, p problems) opts.Title {
	t := opts.Title{Title: text, Subtitle: p.subtitle()}
	if len(p) > 0 {
		t.SubtitleStyle = &opts.TextStyle{Color: "#c23531"}
	}
	return t
}

// legend returns a legend at the bottom, shown when there is more than one name.
func legend(n int) opts.Legend {
	return opts.Legend{Show: opts.Bool(n > 1), Bottom: "0"}
}

// gridOption is the plot area used by the rectangular builders: room for
// the title above and for the legend and axis name below. A fresh map each
// time, so no chart shares option state with another.
func gridOption() map[string]any {
	return map[string]any{"left": 60, "right": 50, "top": 70, "bottom": 60, "containLabel": true}
}

// seriesMap converts one go-echarts series to a generic option map, so a
// patcher can add keys that the typed struct lacks.
func seriesMap(s ec.SingleSeries) map[string]any {
	m, err := toMap(s)
	if err != nil {
		// SingleSeries holds only JSON-encodable values built above.
		return map[string]any{"type": s.Type, "name": s.Name, "data": s.Data}
	}
	return m
}
