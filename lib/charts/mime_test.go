package charts

import (
	"encoding/json"
	"strings"
	"testing"

	ec "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/event"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// The bundle's MIMEType document holds what the extension draws: the
// option as go-echarts wrote it (functions still marked), the size, theme
// and renderer, and the listener code with the chart instance named chart.
func TestMIMEDocument(t *testing.T) {
	bar := ec.NewBar()
	bar.SetGlobalOptions(
		ec.WithTitleOpts(opts.Title{Title: "Revenue </script>"}),
		ec.WithInitializationOpts(opts.Initialization{Width: "640px", Height: "360px", Renderer: "svg", Theme: "dark"}),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Formatter: opts.FuncOpts("function (p) { return p.name; }")}),
		ec.WithEventListeners(event.Listener{EventName: "click", Handler: opts.FuncOpts("function (p) { %MY_ECHARTS%.resize(); }")}),
	)
	bar.SetXAxis([]string{"Q1", "Q2"}).AddSeries("2025", []opts.BarData{{Value: 3}, {Value: 4}})
	b, err := MIMEBundle(bar, CDN(), NoStatic())
	if err != nil {
		t.Fatal(err)
	}
	raw, ok := b[MIMEType].(string)
	if !ok {
		t.Fatalf("bundle[%s] is %T, want a JSON string", MIMEType, b[MIMEType])
	}
	var doc struct {
		Version  int
		ECharts  string
		Title    string
		Option   map[string]any
		Width    string
		Height   string
		Theme    string
		Renderer string
		Code     []string
	}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatalf("%s is not JSON: %v\n%.300s", MIMEType, err, raw)
	}
	if doc.Version != 1 || doc.ECharts != EChartsVersion || doc.Title != "Revenue </script>" ||
		doc.Width != "640px" || doc.Height != "360px" || doc.Theme != "dark" || doc.Renderer != "svg" {
		t.Errorf("document header: %+v", doc)
	}
	series, _ := doc.Option["series"].([]any)
	if len(series) != 1 {
		t.Fatalf("option series: %v", doc.Option["series"])
	}
	tip, _ := doc.Option["tooltip"].(map[string]any)
	if f, _ := tip["formatter"].(string); !strings.HasPrefix(f, "__f__") || !strings.Contains(f, "return p.name") {
		t.Errorf("tooltip formatter %q: want the marked function", tip["formatter"])
	}
	if len(doc.Code) != 1 || !strings.Contains(doc.Code[0], `chart.on("click"`) || !strings.Contains(doc.Code[0], "chart.resize()") {
		t.Errorf("code = %q, want the click listener on chart", doc.Code)
	}
	if strings.Contains(raw, "\n") {
		t.Error("document is not compact")
	}
}
