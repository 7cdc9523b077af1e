package iterate

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

func TestCharts(t *testing.T) {
	c, err := ValueChart("value", []float64{1, 2, 3}, []float64{4, 8, 0}, 0, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.MultiSeries) != 2 {
		t.Fatalf("%d series", len(c.MultiSeries))
	}
	if js := optionJSON(t, c); !strings.Contains(js, "α = 0.50") || !strings.Contains(js, "2.5") {
		t.Errorf("value chart: %.400s", js)
	}
	if _, err := ValueChart("value", nil, []float64{1}, 0, 2); err == nil {
		t.Error("α = 2: no error")
	}
	steps, _ := Funnel([]Step{{"visit", 1000}, {"pay", 20}})
	if js := optionJSON(t, FunnelChart("funnel", steps)); !strings.Contains(js, "pay (2 %)") {
		t.Errorf("funnel: %.300s", js)
	}
	ab, _ := ZTest(81, 263, 15, 148, 0.95)
	js := optionJSON(t, IntervalChart("A/B", []string{"form"}, ab))
	// Boxes span the Wilson limits in percent: 25.53–36.62 for arm A.
	for _, w := range []string{"form: A", "form: B", "25.528", "36.620"} {
		if !strings.Contains(js, w) {
			t.Errorf("interval chart lacks %q: %.600s", w, js)
		}
	}
}
