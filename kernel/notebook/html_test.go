package notebook

import (
	"os"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/internal/assets"
	"github.com/founderlab/founderlab/lib/charts"
)

// echartsOrSkip makes sure the offline ECharts is installed, skipping (or
// failing under CI) when it is not.
func echartsOrSkip(t *testing.T) string {
	t.Helper()
	p, err := assets.EChartsPrefix()
	if err == nil {
		_, err = assets.EChartsInstalled(p)
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("ECharts not installed: %v (scripts/test-deps.sh)", err)
		}
		t.Skipf("ECharts not installed: %v (scripts/test-deps.sh)", err)
	}
	return p
}

func chartNotebook(t *testing.T, htmls ...string) *Notebook {
	t.Helper()
	nb := &Notebook{}
	for i, h := range htmls {
		n := i + 1
		nb.Cells = append(nb.Cells, &Cell{CellType: Code, Source: "charts.Show(c)", ExecutionCount: &n, Outputs: []*Output{
			{OutputType: "display_data", Data: map[string]any{"text/html": h, charts.MIMEType: "{}", "text/plain": "<ECharts chart>"}},
		}})
	}
	return nb
}

func chartHTML(t *testing.T, o ...charts.Option) string {
	t.Helper()
	h, err := charts.HTML(charts.Bar("Revenue", []string{"Q1", "Q2"}, charts.Col("2025", []float64{3, 4})), append(o, charts.NoStatic())...)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

const libMark = `t.version="5.4.3"` // inside echarts.min.js 5.4.3

// The export carries ECharts once, in its head, however many outputs
// carry it; the charts stay in place.
func TestExportHTMLOneECharts(t *testing.T) {
	echartsOrSkip(t)
	nb := chartNotebook(t, chartHTML(t, charts.Inline()), chartHTML(t, charts.Inline()), chartHTML(t, charts.Carrier(false)))
	out, err := ExportHTML(nb, "charts")
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	head, body, ok := strings.Cut(s, "<body>")
	if !ok {
		t.Fatal("no <body>")
	}
	if n := strings.Count(s, "data-founderlab-echarts"); n != 1 || strings.Count(head, "data-founderlab-echarts") != 1 {
		t.Errorf("page carries ECharts %d times (%d in the head), want once, in the head", n, strings.Count(head, "data-founderlab-echarts"))
	}
	if first := carrierRE.FindString(nb.Cells[0].Outputs[0].Data["text/html"].(string)); first == "" || !strings.Contains(head, first) {
		t.Error("the head does not hold the first output's carrier")
	}
	if n := strings.Count(body, `class="founderlab-chart"`); n != 3 {
		t.Errorf("%d charts in the body, want 3", n)
	}
	if len(s) > 1_200_000 {
		t.Errorf("export of 3 charts is %d bytes", len(s))
	}
}

// Outputs without a carrier (the first chart's cell was re-run) get the
// installed ECharts, in the very element lib/charts makes; without charts
// the page has no library; without an installed ECharts a note says the
// charts show their static images.
func TestExportHTMLInstalledECharts(t *testing.T) {
	echartsOrSkip(t)
	if carrierRE.FindString(chartHTML(t, charts.Inline())) == "" {
		t.Fatal("no carrier found in a lib/charts fragment")
	}
	out, err := ExportHTML(chartNotebook(t, chartHTML(t, charts.Carrier(false)), chartHTML(t, charts.Carrier(false))), "c")
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(string(out), "<body>")
	if strings.Count(head, "data-founderlab-echarts") != 1 || strings.Count(head, libMark) != 1 || strings.Count(string(out), libMark) != 1 {
		t.Errorf("the head does not carry the installed ECharts once")
	}

	plain, err := ExportHTML(&Notebook{Cells: []*Cell{{CellType: Markdown, Source: "# hi"}}}, "p")
	if err != nil || strings.Contains(string(plain), "<script") {
		t.Errorf("a page without charts has scripts (err %v)", err)
	}

	t.Setenv(assets.EnvEChartsDir, t.TempDir())
	out, err = ExportHTML(chartNotebook(t, chartHTML(t, charts.Carrier(false))), "c")
	if err != nil {
		t.Fatal(err)
	}
	if s := string(out); strings.Contains(s, libMark) || !strings.Contains(s, "charts show their static images") {
		t.Errorf("without ECharts: %.600s", s)
	}
}
