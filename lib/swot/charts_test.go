package swot

import (
	"strings"
	"testing"

	"github.com/founderlab/founderlab/lib/charts"
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

func TestTornadoChart(t *testing.T) {
	tor, err := handCB().Tornado(0.2)
	if err != nil {
		t.Fatal(err)
	}
	c := tor.Chart("NPV sensitivity")
	js := optionJSON(t, c)
	// Rows bottom-up: the smallest swing first, the largest (sales) last.
	i, j, k := strings.Index(js, `"discount rate"`), strings.Index(js, `"build"`), strings.Index(js, `"sales"`)
	if i < 0 || j < 0 || k < 0 || !(i < j && j < k) {
		t.Errorf("category order wrong in %s", js)
	}
	if len(c.MultiSeries) != 2 {
		t.Fatalf("%d series", len(c.MultiSeries))
	}
	// The +20 % bar of sales is +0.2·PV(sales) from the base.
	hi := c.MultiSeries[1].Data
	if !strings.Contains(js, `"barGap":"-100%"`) || hi == nil {
		t.Errorf("bars not overlaid: %s", js)
	}
}

func TestQuadrantAndRadarCharts(t *testing.T) {
	s, _ := handAnalysis().Score()
	js := optionJSON(t, s.QuadrantChart("SWOT"))
	for _, w := range []string{"A (2.67)", "D (3.75)", "score 3.00"} {
		if !strings.Contains(js, w) {
			t.Errorf("quadrant chart lacks %q", w)
		}
	}
	r := CriteriaChart("criteria", []Criterion{{Name: "Technical", Score: 4, Max: 5}, {Name: "Legal", Score: 2, Max: 5}})
	js = optionJSON(t, r)
	if !strings.Contains(js, "Technical") || !strings.Contains(js, "maximum") {
		t.Errorf("radar: %s", js)
	}
}

func TestFeatureMatrixChart(t *testing.T) {
	m := &FeatureMatrix{Max: 2, Features: []Feature{{"accuracy", 3}, {"price", 1}},
		Products: []Product{{Name: "us", Ours: true, Scores: map[string]float64{"accuracy": 2}}, {Name: "them", Scores: map[string]float64{"price": 2}}}}
	c := m.Chart("competitors")
	if len(c.MultiSeries) != 2 {
		t.Fatalf("%d series", len(c.MultiSeries))
	}
	if js := optionJSON(t, c); !strings.Contains(js, `"accuracy"`) || !strings.Contains(js, `"them"`) {
		t.Errorf("radar: %.300s", js)
	}
}
