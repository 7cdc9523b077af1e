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

// Sankey draws flows between named nodes, e.g. customers from acquisition
// channel to plan to retention. Nodes are taken from the links in order of
// first appearance. Links with a non-positive value are reported.
func Sankey(title string, links ...Link) *ec.Sankey {
	var p problems
	seen := map[string]bool{}
	var nodes []opts.SankeyNode
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			nodes = append(nodes, opts.SankeyNode{Name: name})
		}
	}
	ls := make([]map[string]any, 0, len(links))
	for _, l := range links {
		if !(l.Value > 0) || !finite(l.Value) {
			p.addf("link %s→%s has value %g", l.Source, l.Target, l.Value)
			continue
		}
		if l.Source == l.Target {
			p.addf("link %s→%s is a loop", l.Source, l.Target)
			continue
		}
		add(l.Source)
		add(l.Target)
		ls = append(ls, map[string]any{"source": l.Source, "target": l.Target, "value": l.Value})
	}
	c := ec.NewSankey()
	c.AddSeries(title, nodes, nil, ec.WithLabelOpts(opts.Label{Show: opts.Bool(true)}))
	c.SetGlobalOptions(
		ec.WithTitleOpts(titleOf(title, p)),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		ec.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	c.Accept(patcher{fn: func(o map[string]any) {
		if s, ok := o["series"].(ec.MultiSeries); ok && len(s) == 1 {
			m := seriesMap(s[0])
			m["links"] = ls
			m["top"] = 70
			m["emphasis"] = map[string]any{"focus": "adjacency"}
			m["lineStyle"] = map[string]any{"color": "gradient", "curveness": 0.5}
			o["series"] = []any{m}
		}
	}})
	return c
}

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

// SWOT draws a SWOT analysis as four quadrants: strengths (internal,
// helpful) top left, weaknesses (internal, harmful) top right,
// opportunities (external, helpful) bottom left and threats (external,
// harmful) bottom right, each listing its items.
func SWOT(title string, strengths, weaknesses, opportunities, threats []string) *ec.HeatMap {
	type quadrant struct {
		name  string
		x, y  int
		color string
		items []string
	}
	qs := []quadrant{
		{"Strengths", 0, 0, "#d9f0d3", strengths},
		{"Weaknesses", 1, 0, "#fde0c5", weaknesses},
		{"Opportunities", 0, 1, "#d6e6f5", opportunities},
		{"Threats", 1, 1, "#f8d0d0", threats},
	}
	data := make([]map[string]any, len(qs))
	for i, q := range qs {
		var b strings.Builder
		b.WriteString("{h|" + escapeRich(q.name) + "}")
		for _, it := range q.items {
			b.WriteString("\n• " + escapeRich(it))
		}
		if len(q.items) == 0 {
			b.WriteString("\n(none)")
		}
		data[i] = map[string]any{
			"value":     []any{q.x, q.y, i},
			"name":      q.name,
			"itemStyle": map[string]any{"borderColor": "#fff", "borderWidth": 4},
			"label": map[string]any{
				"show": true, "formatter": b.String(), "color": "#222", "fontSize": 13,
				"lineHeight": 20, "width": 380, "overflow": "break",
				"rich": map[string]any{"h": map[string]any{"fontSize": 16, "fontWeight": "bold", "lineHeight": 26}},
			},
		}
	}
	c := ec.NewHeatMap()
	c.SetXAxis([]string{"Helpful", "Harmful"})
	c.AddSeries(title, nil)
	c.SetGlobalOptions(
		ec.WithTitleOpts(opts.Title{Title: title}),
		ec.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	c.Accept(patcher{fn: func(o map[string]any) {
		o["grid"] = map[string]any{"left": 90, "right": 20, "top": 60, "bottom": 40}
		o["xAxis"] = []any{map[string]any{"type": "category", "data": []string{"Helpful", "Harmful"},
			"position": "top", "axisTick": map[string]any{"show": false}, "axisLine": map[string]any{"show": false}}}
		o["yAxis"] = []any{map[string]any{"type": "category", "data": []string{"Internal", "External"},
			"inverse": true, "axisTick": map[string]any{"show": false}, "axisLine": map[string]any{"show": false}}}
		o["series"] = []any{map[string]any{"type": "heatmap", "name": title, "data": data}}
		o["tooltip"] = map[string]any{"show": false}
		// A heatmap takes its colours from a visual map: one piece per quadrant.
		pieces := make([]map[string]any, len(qs))
		for i, q := range qs {
			pieces[i] = map[string]any{"value": i, "color": q.color}
		}
		o["visualMap"] = []any{map[string]any{"type": "piecewise", "show": false, "dimension": 2, "pieces": pieces}}
	}})
	return c
}

// escapeRich escapes the characters that ECharts rich text treats as markup.
func escapeRich(s string) string {
	return strings.NewReplacer("{", "(", "}", ")", "|", "/").Replace(s)
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
