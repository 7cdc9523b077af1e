package canvas

import (
	"context"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/lib/charts"

	"github.com/go-echarts/go-echarts/v2/opts"
)

// optionJSON renders a chart's ECharts option as JSON text.
func optionJSON(t *testing.T, c charts.Optioner) string {
	t.Helper()
	s, err := charts.OptionJSON(c)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSimulationCharts(t *testing.T) {
	sim, err := Simulate(context.Background(), handModel())
	if err != nil {
		t.Fatal(err)
	}
	js := optionJSON(t, sim.RevenueCostChart("revenue vs cost"))
	if !strings.Contains(js, `"break-even: month 19"`) || !strings.Contains(js, `"xAxis":19`) {
		t.Errorf("break-even marker missing: %.400s", js)
	}
	b := sim.StreamChart("streams")
	if js := optionJSON(t, b); !strings.Contains(js, `"stack":"revenue"`) {
		t.Errorf("bars not stacked")
	}
	data, ok := b.MultiSeries[0].Data.([]opts.BarData)
	if len(b.MultiSeries) != 1 || !ok || len(data) != 36 || data[0].Value != 1000.0 {
		t.Errorf("stream series: %d series, first month %v", len(b.MultiSeries), data[0].Value)
	}
	if js := optionJSON(t, sim.SankeyChart("flows")); !strings.Contains(js, `"B2C revenue"`) || !strings.Contains(js, `"Funding"`) { // loss-making over 36 months
		t.Errorf("sankey nodes missing: %.300s", js)
	}
}

func TestPSMChart(t *testing.T) {
	r, err := VanWestendorp([]PSMAnswer{{10, 20, 30, 50}, {15, 25, 40, 60}, {20, 30, 45, 70}, {25, 40, 60, 90}, {60, 70, 80, 120}})
	if err != nil {
		t.Fatal(err)
	}
	c := r.Chart("PSM")
	if len(c.MultiSeries) != 6 {
		t.Fatalf("%d curves", len(c.MultiSeries))
	}
	js := optionJSON(t, c)
	for _, w := range []string{`"PMC 23.33"`, `"OPP 53.33"`, `"IPP 36.67"`, `"PME 56.67"`} {
		if !strings.Contains(js, w) {
			t.Errorf("PSM chart lacks marker %s", w)
		}
	}
}
