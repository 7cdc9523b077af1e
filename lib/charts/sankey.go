package charts

import (
	ec "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

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
