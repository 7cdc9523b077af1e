package swot

import (
	"os"
	"os/exec"
	"path/filepath"
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

// Chart lays out the four quadrants, lists every item (escaping ECharts'
// rich-text markup) and marks an empty quadrant.
func TestChart(t *testing.T) {
	c := Chart("SWOT", []string{"Deep expertise", "a {b|c}"}, []string{"No sales team"}, []string{"AI tools"}, nil)
	js := optionJSON(t, c)
	for _, w := range []string{"Strengths", "Deep expertise", "a (b/c)", "Weaknesses", "No sales team", "Opportunities", "AI tools", "Threats", "(none)", `"inverse":true`, `"piecewise"`} {
		if !strings.Contains(js, w) {
			t.Errorf("option lacks %q: %.400s", w, js)
		}
	}
	if strings.Contains(js, "{b|c}") {
		t.Errorf("rich-text markup of an item not escaped")
	}
}

// The SWOT chart is drawn by ECharts itself (server-side, under node) when
// the offline ECharts and node are installed.
func TestChartDraws(t *testing.T) {
	prefix, err := charts.EChartsPrefix()
	if err == nil {
		_, err = os.Stat(filepath.Join(prefix, "node_modules", "echarts", "dist", "echarts.min.js"))
	}
	if err != nil {
		t.Skipf("offline ECharts not installed: %v", err)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skipf("node not found: %v", err)
	}
	c := Chart("SWOT", []string{"Deep expertise"}, []string{"No sales team"}, []string{"AI tools"}, nil)
	b, err := charts.MIMEBundle(c, charts.CDN(), charts.Static(charts.NodeSVG{Prefix: prefix}))
	if err != nil {
		t.Fatal(err)
	}
	svg, _ := b["image/svg+xml"].(string)
	for _, w := range []string{"Strengths", "Deep expertise", "Weaknesses", "Opportunities", "Threats", "(none)"} {
		if !strings.Contains(svg, w) {
			t.Errorf("SVG lacks %q", w)
		}
	}
}

// The SWOT matrix speaks the current language: quadrant names and scores
// in the rich text (built here) and the axes (translated when drawn);
// factor names, which come from the analysis, stay as written.
func TestQuadrantChartLanguage(t *testing.T) {
	prev := charts.CurrentLanguage()
	t.Cleanup(func() { charts.SetLanguage(prev) })
	s, err := handAnalysis().Score()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		l           charts.Language
		want, avoid []string
	}{
		{charts.English, []string{"{h|Strengths}", "score 3.00", `"Helpful"`, `"External"`, "Weighted SWOT", "A (2.67)"}, []string{"优势"}},
		{charts.Chinese, []string{"{h|优势 S}", "{h|威胁 T}", "得分 3.00", `"有利"`, `"外部"`, "加权 SWOT 分析", "A (2.67)"}, []string{"Strengths", "score 3.00", `"Helpful"`, "Weighted SWOT"}},
	}
	for _, c := range cases {
		charts.SetLanguage(c.l)
		js := optionJSON(t, s.QuadrantChart("Weighted SWOT: factors by contribution"))
		for _, w := range c.want {
			if !strings.Contains(js, w) {
				t.Errorf("%v: option lacks %s: %s", c.l, w, js)
			}
		}
		for _, w := range c.avoid {
			if strings.Contains(js, w) {
				t.Errorf("%v: option has %s: %s", c.l, w, js)
			}
		}
	}
	charts.SetLanguage(charts.Chinese)
	if js := optionJSON(t, Chart("t", nil, nil, nil, nil)); !strings.Contains(js, "（无）") {
		t.Errorf("empty quadrant in Chinese: %s", js)
	}
}

// The tables follow the language too; factor names stay as written.
func TestTablesLanguage(t *testing.T) {
	prev := charts.CurrentLanguage()
	t.Cleanup(func() { charts.SetLanguage(prev) })
	s, err := handAnalysis().Score()
	if err != nil {
		t.Fatal(err)
	}
	m, err := TOWS(handAnalysis())
	if err != nil {
		t.Fatal(err)
	}
	tor, err := handCB().Tornado(0.2)
	if err != nil {
		t.Fatal(err)
	}
	render := func() string {
		return s.HTML() + s.FeasibilityHTML(DefaultScale) + m.HTML(2) + tor.HTML()
	}
	charts.SetLanguage(charts.English)
	en := render()
	charts.SetLanguage(charts.Chinese)
	zh := render()
	for _, w := range []string{"Weighted SWOT", "quadrant score S", "Intended (S₊+W₊+T₊)/Σ", ">Opportunities<", "NPV sensitivity (±20 %)"} {
		if !strings.Contains(en, w) || strings.Contains(zh, w) {
			t.Errorf("%q: in English %v, in Chinese %v; want only English", w, strings.Contains(en, w), strings.Contains(zh, w))
		}
	}
	for _, w := range []string{"加权 SWOT 分析", "象限得分 S", "本意读法", ">机会 O<", "NPV 敏感性（±20 %）", "T₋ 技术威胁", ">A<", "0.583"} {
		if !strings.Contains(zh, w) {
			t.Errorf("Chinese tables lack %q", w)
		}
	}
}
