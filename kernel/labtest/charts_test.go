package labtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/founderlab/founderlab/internal/testenv"
)

// longChartsNotebook is a notebook of n chart cells, each below a tall
// markdown cell, so that JupyterLab's windowing leaves most of them out of
// the page until they are scrolled to. Its first chart is below the first
// screen.
func longChartsNotebook(n int) []byte {
	var cells []map[string]any
	md := func(title string) {
		var b strings.Builder
		b.WriteString("## " + title + "\n\n")
		for i := 0; i < 80; i++ {
			fmt.Fprintf(&b, "Line %d of a long explanation, so that the chart below sits far down the page.\n\n", i+1)
		}
		cells = append(cells, map[string]any{"cell_type": "markdown", "metadata": map[string]any{}, "source": b.String()})
	}
	code := func(src string) {
		cells = append(cells, map[string]any{"cell_type": "code", "metadata": map[string]any{}, "source": src,
			"outputs": []any{}, "execution_count": nil})
	}
	code("import \"github.com/founderlab/founderlab/lib/charts\"\n")
	for i := 1; i <= n; i++ {
		md(fmt.Sprintf("Chart %d", i))
		code(fmt.Sprintf("%%%%\ncharts.Show(charts.Line(\"Chart %d\", charts.Col(\"k\", []int{1, 2, 3, 4, 5, 6}), charts.Col(\"v\", []float64{%d, 5, 3, 8, 2, 9})))\n", i, i))
	}
	for i, c := range cells {
		c["id"] = fmt.Sprintf("c%02d", i)
	}
	b, _ := json.MarshalIndent(map[string]any{
		"cells":    cells,
		"metadata": map[string]any{"kernelspec": map[string]any{"name": "founderlab", "display_name": "Go (FounderLab)", "language": "go"}},
		"nbformat": 4, "nbformat_minor": 5,
	}, "", " ")
	return b
}

// labConfig writes a Jupyter config directory for a JupyterLab launch:
// the notebook's windowing mode "full" (only cells in the viewport are in
// the page) and, with disable, FounderLab's extension turned off.
func labConfig(t *testing.T, disable bool) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "config")
	os.MkdirAll(filepath.Join(dir, "labconfig"), 0o755)
	over := `{"@jupyterlab/notebook-extension:tracker": {"windowingMode": "full"}}`
	if err := os.WriteFile(filepath.Join(dir, "labconfig", "default_setting_overrides.json"), []byte(over), 0o644); err != nil {
		t.Fatal(err)
	}
	if disable {
		pc := `{"disabledExtensions": {"founderlab-echarts": true}}`
		if err := os.WriteFile(filepath.Join(dir, "labconfig", "page_config.json"), []byte(pc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// chartCellJS describes the chart output of notebook cell i (its index in
// the model): whether the cell is in the page, which path shows it
// (mime: the extension; html: the HTML of lib/charts), its state, the
// pixels painted on its canvases, and whether a static image is visible.
func chartCellJS(i int) string {
	return fmt.Sprintf(`(() => {
  const w = %s;
  const cell = w.content.widgets[%d];
  const out = {InPage: !!(cell && cell.node.isConnected), Path: "", State: "", Painted: 0, Static: false};
  if (!out.InPage) return out;
  const mime = cell.node.querySelector('[data-founderlab-renderer="mime"]');
  const html = cell.node.querySelector('.founderlab-chart');
  const el = mime || html;
  if (!el) return out;
  out.Path = mime ? "mime" : "html";
  out.State = el.getAttribute("data-founderlab-chart") || "";
  for (const cv of el.querySelectorAll("canvas")) {
    const d = cv.getContext("2d").getImageData(0, 0, cv.width, cv.height).data;
    for (let j = 3; j < d.length; j += 16) if (d[j] !== 0) out.Painted++;
  }
  for (const img of el.querySelectorAll("img.founderlab-chart-static, img.founderlab-echarts-static")) {
    const r = img.getBoundingClientRect();
    if (getComputedStyle(img).display !== "none" && r.width > 50 && r.height > 50) out.Static = true;
  }
  el.id = el.id || "fl-cell-%d";
  out.ID = el.id;
  return out;
})()`, notebookPanel, i, i)
}

type chartCell struct {
	InPage  bool
	Path    string
	State   string
	Painted int
	Static  bool
	ID      string
}

// ink counts the pixels of a PNG that are clearly not white.
func ink(pngData []byte) int {
	img, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		return 0
	}
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xe000 || g < 0xe000 || bl < 0xe000 {
				n++
			}
		}
	}
	return n
}

// TestLabChartsWindowed runs a long notebook of charts in JupyterLab 4 with
// windowing "full" (cells outside the viewport are not in the page), saves
// it, reopens it (outputs restored from the file), scrolls to its last
// chart first, and then through every chart:
//   - with FounderLab's extension, every chart is drawn by it (the MIME
//     document and the extension's one copy of ECharts);
//   - without it (disabled), charts use their HTML: the last chart, shown
//     before the first chart's cell (which carries ECharts) was ever in
//     the page, shows its static picture (never a blank box), and draws
//     once the first chart's cell has been rendered.
func TestLabChartsWindowed(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	root, err := testenv.Root()
	if err != nil {
		t.Fatal(err)
	}
	testenv.Require(t, "Chromium", Chromium)
	program := filepath.Join(root, ".venv", "bin", "jupyter-lab")
	testenv.Require(t, "JupyterLab", program)
	env := sharedEnv(t)
	for _, tc := range []struct {
		name      string
		extension bool
	}{{"extension", true}, {"html", false}} {
		t.Run(tc.name, func(t *testing.T) {
			runWindowed(t, env, program, tc.extension)
		})
	}
}

func runWindowed(t *testing.T, env *testenv.Env, program string, extension bool) {
	const charts = 5
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Minute)
	defer cancel()
	nbDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(nbDir, "long.ipynb"), longChartsNotebook(charts), 0o644); err != nil {
		t.Fatal(err)
	}
	environ := append(append([]string(nil), env.Environ...), "JUPYTER_CONFIG_PATH="+labConfig(t, !extension))
	srv, err := StartJupyter(ctx, program, nbDir, environ, filepath.Join(t.TempDir(), "jupyter.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := srv.Stop(); err != nil {
			t.Error(err)
		}
	}()
	bctx, stop := Browser(ctx, filepath.Join(t.TempDir(), "chromium"))
	defer stop()
	name := "windowed-" + map[bool]string{true: "extension", false: "html"}[extension]
	shot := func(suffix string) {
		if b, err := chromedp.Run(bctx, chromedp.CaptureScreenshot()); err == nil {
			p := Artifact(t.TempDir(), name+"-"+suffix+".png")
			os.WriteFile(p, b, 0o644)
			t.Logf("screenshot: %s", p)
		}
	}
	open := func() {
		t.Helper()
		if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/lab/tree/long.ipynb?token="+srv.Token)); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(bctx, chromedp.Poll[bool](labReady, chromedp.WithPollingTimeout(2*time.Minute), chromedp.WithPollingInterval(300*time.Millisecond))); err != nil {
			shot("open")
			t.Fatalf("the notebook's kernel did not connect: %v", err)
		}
	}
	eval := func(js string) {
		t.Helper()
		if _, err := chromedp.Run(bctx, chromedp.Evaluate[any](js)); err != nil {
			t.Fatalf("%.80s: %v", js, err)
		}
	}
	cellIndex := func(k int) int { return 2 * k } // chart k (1-based) is cell 2k
	scrollTo := func(i int) {
		t.Helper()
		eval(fmt.Sprintf(`(() => { const w = %s; w.content.activeCellIndex = %d; w.content.scrollToItem(%d, "center"); return true; })()`, notebookPanel, i, i))
	}
	// waitCell waits until cell i shows its chart in a state accepted by ok.
	waitCell := func(i int, what string, ok func(chartCell) bool) chartCell {
		t.Helper()
		var c chartCell
		for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(300 * time.Millisecond) {
			v, err := chromedp.Run(bctx, chromedp.Evaluate[chartCell](chartCellJS(i)))
			if err == nil {
				c = v
				if ok(c) {
					return c
				}
			}
			if time.Now().After(deadline) {
				shot(fmt.Sprintf("cell%d", i))
				t.Fatalf("cell %d: want %s, have %+v (err %v)", i, what, c, err)
			}
			if !c.InPage {
				scrollTo(i)
			}
		}
	}
	drawn := func(c chartCell) bool { return c.State == "drawn" && c.Painted > 100 }

	// Run every cell, then save: JupyterLab signs the notebook, so its
	// outputs come back trusted.
	open()
	eval(labRunAll)
	var st cellState
	for deadline := time.Now().Add(5 * time.Minute); ; time.Sleep(time.Second) {
		v, err := chromedp.Run(bctx, chromedp.Evaluate[cellState](labState))
		if err != nil {
			t.Fatal(err)
		}
		st = v
		if st.Total > 0 && st.Done == st.Total && st.Status != "busy" {
			break
		}
		if time.Now().After(deadline) {
			shot("run")
			t.Fatalf("cells did not finish: %+v", st)
		}
	}
	if len(st.Errors) > 0 {
		t.Fatalf("error outputs:\n%s", strings.Join(st.Errors, "\n"))
	}
	eval(fmt.Sprintf(`(() => { const w = %s; window.__saved = "saving"; w.context.save().then(() => { window.__saved = "saved"; }, (e) => { window.__saved = "failed: " + e; }); return true; })()`, notebookPanel))
	var b []byte
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(500 * time.Millisecond) {
		state, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`String(window.__saved)`))
		b, _ = os.ReadFile(filepath.Join(nbDir, "long.ipynb"))
		if state == "saved" && strings.Contains(string(b), "founderlab-chart") {
			break
		}
		if strings.HasPrefix(state, "failed") || time.Now().After(deadline) {
			shot("save")
			t.Fatalf("save: %s (file %d bytes)", state, len(b))
		}
	}
	if n := strings.Count(string(b), "data-founderlab-echarts"); n != 1 {
		t.Errorf("the saved notebook carries ECharts %d times, want once (the first chart)", n)
	}
	t.Logf("saved notebook: %d bytes for %d charts", len(b), charts)

	// Reopen: a new page, outputs restored from the file; go to the last
	// chart before anything else.
	open()
	last := cellIndex(charts)
	scrollTo(last)
	first := cellIndex(1)
	if extension {
		c := waitCell(last, "drawn by the extension", func(c chartCell) bool { return c.Path == "mime" && drawn(c) })
		t.Logf("last chart: %+v", c)
	} else {
		c := waitCell(last, "its HTML, drawn or showing its picture", func(c chartCell) bool {
			return c.Path == "html" && (drawn(c) || (c.State == "static" && c.Static))
		})
		fc, _ := chromedp.Run(bctx, chromedp.Evaluate[chartCell](chartCellJS(first)))
		mode, _ := chromedp.Run(bctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => { const w = %s; return w.content.notebookConfig.windowingMode + " " + w.content.widgets.map((c, i) => c.node.isConnected ? i : -1).filter((i) => i >= 0).join(","); })()`, notebookPanel)))
		t.Logf("last chart before the first was shown: %+v (first chart in the page: %v; windowing, cells in the page: %s)", c, fc.InPage, mode)
		if c.State == "static" {
			png, err := chromedp.Run(bctx, chromedp.Screenshot(chromedp.CSS("#"+c.ID)))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(Artifact(t.TempDir(), name+"-last-static.png"), png, 0o644)
			if n := ink(png); n < 3000 {
				t.Errorf("the last chart, waiting for ECharts, shows %d inked pixels: a blank box", n)
			}
		}
	}
	shot("last-first")
	// Then every chart from the top: each one draws.
	for k := 1; k <= charts; k++ {
		i := cellIndex(k)
		scrollTo(i)
		want := map[bool]string{true: "mime", false: "html"}[extension]
		waitCell(i, "drawn through "+want, func(c chartCell) bool { return c.Path == want && drawn(c) })
	}
	scrollTo(last)
	waitCell(last, "drawn", drawn)
	shot("all")
}
