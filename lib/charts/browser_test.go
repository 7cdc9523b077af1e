package charts_test

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	ec "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/founderlab/founderlab/lib/charts"
	bt "github.com/founderlab/founderlab/lib/charts/internal/browsertest"
)

// The browser tests open pages built from charts.HTML in headless
// Chromium and check, for each chart, that it drew: its container says
// "drawn", its canvas has painted pixels, and a screenshot of it is not
// blank. Screenshots are kept (see browsertest.Artifacts).

const settle = 60 * time.Second

// deps returns the ECharts prefix and the bytes of echarts.min.js and
// require.js, skipping (or failing under CI) when they are missing.
func deps(t *testing.T) (prefix string, echartsJS, requireJS []byte) {
	t.Helper()
	prefix, err := charts.EChartsPrefix()
	bt.Require(t, err == nil, "ECharts prefix: %v", err)
	echartsJS, err = os.ReadFile(charts.LibraryPath(prefix))
	bt.Require(t, err == nil, "ECharts %s: %v", charts.EChartsVersion, err)
	rjs := os.Getenv("FOUNDERLAB_REQUIREJS")
	if rjs == "" {
		rjs = filepath.Join(repoRoot(t), ".cache", "requirejs", "node_modules", "requirejs", "require.js")
	}
	requireJS, err = os.ReadFile(rjs)
	bt.Require(t, err == nil, "require.js: %v", err)
	_, err = exec.LookPath("node")
	bt.Require(t, err == nil, "node (static SVG images): %v", err)
	return prefix, echartsJS, requireJS
}

func repoRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			t.Fatalf("no go.mod above %s", dir)
		}
	}
}

func elbow() *ec.Line {
	return charts.Line("Elbow curve", charts.Col("k", []int{1, 2, 3, 4, 5, 6, 7, 8}),
		charts.Col("inertia", []float64{920, 480, 300, 255, 230, 214, 205, 199}))
}

func confusion() *ec.HeatMap {
	return charts.ConfusionMatrix("Diagnosis", []string{"flu", "cold", "allergy"},
		[][]int{{40, 5, 1}, {6, 30, 2}, {0, 3, 25}})
}

func htmlOf(t *testing.T, c charts.Renderable, o ...charts.Option) string {
	t.Helper()
	f, err := charts.HTML(c, o...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// nbconvertPage mimics the classic nbconvert HTML export: require.js in the
// head, outputs in .output_html divs.
func nbconvertPage(outputs ...string) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>Notebook</title>
<script src="/require.js"></script>
<style>body{margin:16px;background:#fff}.output_html{padding:8px}</style>
</head><body><div id="notebook-container">
`)
	for i, o := range outputs {
		fmt.Fprintf(&b, "<div class=\"cell\"><div class=\"input_prompt\">In [%d]:</div>\n<div class=\"output_area\"><div class=\"output_html rendered_html output_subarea\">\n%s</div></div></div>\n", i+1, o)
	}
	b.WriteString("</div></body></html>\n")
	return b.String()
}

// checkDrawn asserts that every chart drew, with pixels, and that its
// static image was hidden; it saves a screenshot of each chart.
func checkDrawn(t *testing.T, tab *bt.Tab, states []bt.ChartState, want int) {
	t.Helper()
	if len(states) != want {
		t.Fatalf("%d charts on the page, want %d", len(states), want)
	}
	seen := map[string]bool{}
	for _, s := range states {
		if seen[s.ID] {
			t.Errorf("id %s used twice", s.ID)
		}
		seen[s.ID] = true
		if s.State != "drawn" {
			t.Errorf("chart %s: state %q (%s)", s.ID, s.State, s.Note)
			continue
		}
		if d := tab.Drawing(s.ID); !d.Painted() {
			t.Errorf("chart %s painted too little: %+v", s.ID, d)
		}
		shot := tab.ScreenshotElement("#" + s.ID + "_chart")
		bt.Save(t, s.ID, shot)
		if ink, err := bt.Ink(shot); err != nil || ink < 2000 {
			t.Errorf("chart %s: screenshot has %d inked pixels (err %v)", s.ID, ink, err)
		}
		if d := bt.Eval[string](tab, fmt.Sprintf(`(() => { const e = document.getElementById(%q + "_static"); return e ? getComputedStyle(e).display : "absent"; })()`, s.ID)); d != "none" {
			t.Errorf("chart %s: static image display %q after drawing, want none", s.ID, d)
		}
	}
}

// An nbconvert-like page with require.js: the naive <script src> leaves no
// global echarts there, while charts in inline and URL modes draw; two URL
// charts load ECharts once.
func TestBrowserNbconvertRequireJS(t *testing.T) {
	_, echartsJS, requireJS := deps(t)
	b := bt.New(t)
	srv := bt.Serve(t, map[string][]byte{"/require.js": requireJS, "/echarts.min.js": echartsJS},
		map[string]time.Duration{"/echarts.min.js": 300 * time.Millisecond})
	lib := srv.URL + "/echarts.min.js"
	srv.Set("/naive.html", []byte(nbconvertPage(`<script src="/echarts.min.js"></script>`)))
	srv.Set("/inline.html", []byte(nbconvertPage(htmlOf(t, elbow()), htmlOf(t, confusion()))))
	srv.Set("/url.html", []byte(nbconvertPage(htmlOf(t, elbow(), charts.ScriptURL(lib)), htmlOf(t, confusion(), charts.ScriptURL(lib)))))
	srv.Set("/shared.html", []byte(nbconvertPage(htmlOf(t, elbow(), charts.Carrier(true)), htmlOf(t, confusion(), charts.Carrier(false)),
		htmlOf(t, elbow(), charts.Carrier(false)))))

	t.Run("naive script tag fails", func(t *testing.T) {
		tab := b.NewTab(t, true)
		tab.Open(srv.URL + "/naive.html")
		time.Sleep(time.Second)
		amd := bt.Eval[bool](tab, `typeof define === "function" && !!define.amd`)
		got := bt.Eval[string](tab, `typeof window.echarts`)
		if !amd || got != "undefined" {
			t.Fatalf("control: require.js active %v, typeof echarts %q; the page does not reproduce nbconvert's require.js", amd, got)
		}
	})
	t.Run("inline", func(t *testing.T) {
		tab := b.NewTab(t, true)
		tab.Open(srv.URL + "/inline.html")
		checkDrawn(t, tab, tab.WaitCharts(2, settle), 2)
		tab.SavePage("page")
		if ext := tab.External(); len(ext) > 0 {
			t.Errorf("requests left the machine: %v", ext)
		}
	})
	t.Run("shared", func(t *testing.T) {
		// One library for the page, in the first chart's carrier.
		tab := b.NewTab(t, true)
		tab.Open(srv.URL + "/shared.html")
		checkDrawn(t, tab, tab.WaitCharts(3, settle), 3)
		if n := bt.Eval[int](tab, `document.querySelectorAll("script[data-founderlab-echarts]").length`); n != 1 {
			t.Errorf("%d carriers on the page, want 1", n)
		}
		tab.SavePage("page")
	})
	t.Run("url", func(t *testing.T) {
		before := srv.Hits("/echarts.min.js")
		tab := b.NewTab(t, true)
		tab.Open(srv.URL + "/url.html")
		checkDrawn(t, tab, tab.WaitCharts(2, settle), 2)
		tab.SavePage("page")
		if n := srv.Hits("/echarts.min.js") - before; n != 1 {
			t.Errorf("ECharts requested %d times by two charts, want 1", n)
		}
	})
}

var scriptElement = regexp.MustCompile(`(?is)<script\b.*?</script>`)

// Where scripts do not run (an untrusted reopened notebook, a code host's
// preview, nbconvert without JavaScript) the static image shows the chart.
func TestBrowserScriptsStripped(t *testing.T) {
	deps(t)
	b := bt.New(t)
	frag := htmlOf(t, confusion())
	stripped := scriptElement.ReplaceAllString(frag, "")
	if strings.Contains(stripped, "<script") || !strings.Contains(stripped, "data:image/svg+xml;base64,") {
		t.Fatalf("stripping scripts: %.300s", stripped)
	}
	srv := bt.Serve(t, map[string][]byte{
		"/stripped.html": []byte(nbconvertPage(stripped)),
		"/nojs.html":     []byte(nbconvertPage(frag)),
	}, nil)
	for _, page := range []string{"stripped", "nojs"} {
		t.Run(page, func(t *testing.T) {
			tab := b.NewTab(t, true)
			tab.DisableScripts()
			tab.Open(srv.URL + "/" + page + ".html")
			time.Sleep(300 * time.Millisecond)
			tab.SavePage("page")
			img := tab.ScreenshotElement("img.founderlab-chart-static")
			bt.Save(t, "static", img)
			ink, err := bt.Ink(img)
			if err != nil || ink < 5000 {
				t.Errorf("static image shows %d inked pixels (err %v), want a visible chart", ink, err)
			}
			whole := tab.ScreenshotElement(".founderlab-chart")
			if ink2, _ := bt.Ink(whole); ink2 < ink {
				t.Errorf("the chart container shows less (%d) than its image (%d)", ink2, ink)
			}
			if ext := tab.External(); len(ext) > 0 {
				t.Errorf("requests left the machine: %v", ext)
			}
		})
	}
}

// jupyterLikePage inserts outputs the way JupyterLab does: HTML set with
// innerHTML (which runs no script), then each script re-created so that it
// runs, optionally while the output is still detached from the document.
// run(cell, html, replace, detachedMs) is called by Go; a cell id not on
// the page gets a new cell at the end.
const jupyterLikePage = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Lab</title>
<style>body{margin:16px;background:#fff}</style></head><body>
<div class="jp-Cell" id="cell1"><div class="jp-OutputArea" id="out1"></div></div>
<div class="jp-Cell" id="cell2"><div class="jp-OutputArea" id="out2"></div></div>
<script>
window.run = function (cell, html, replace, detachedMs) {
  let area = document.getElementById(cell);
  if (!area) {
    const c = document.createElement("div");
    c.className = "jp-Cell";
    area = document.createElement("div");
    area.className = "jp-OutputArea";
    area.id = cell;
    c.appendChild(area);
    document.body.appendChild(c);
  }
  if (replace) { area.innerHTML = ""; }
  const out = document.createElement("div");
  out.className = "jp-OutputArea-output";
  out.innerHTML = html;
  if (!detachedMs) { area.appendChild(out); }
  for (const old of Array.from(out.querySelectorAll("script"))) {
    const s = document.createElement("script");
    s.type = old.type || "text/javascript";
    s.textContent = old.textContent;
    old.replaceWith(s);
  }
  // An output built while detached is attached later; its scripts run then.
  if (detachedMs) { setTimeout(() => area.appendChild(out), detachedMs); }
  return true;
};
</script></body></html>
`

func runOutput(t *testing.T, tab *bt.Tab, cell, html string, replace bool) {
	t.Helper()
	runOutputDetached(t, tab, cell, html, replace, 0)
}

func runOutputDetached(t *testing.T, tab *bt.Tab, cell, html string, replace bool, detached time.Duration) {
	t.Helper()
	arg, _ := json.Marshal(html)
	if !bt.Eval[bool](tab, fmt.Sprintf("run(%q, %s, %v, %d)", cell, arg, replace, detached.Milliseconds())) {
		t.Fatal("run failed")
	}
}

// A cell re-run: the same chart value displayed again replaces its output,
// and is displayed once more in another cell; every display gets its own
// id and draws. The first output is built detached and attached later.
func TestBrowserCellRerun(t *testing.T) {
	deps(t)
	b := bt.New(t)
	srv := bt.Serve(t, map[string][]byte{"/lab.html": []byte(jupyterLikePage)}, nil)
	tab := b.NewTab(t, true)
	tab.Open(srv.URL + "/lab.html")
	c := elbow()
	runOutputDetached(t, tab, "out1", htmlOf(t, c), false, 300*time.Millisecond)
	first := tab.WaitCharts(1, settle)
	checkDrawn(t, tab, first, 1)
	runOutput(t, tab, "out1", htmlOf(t, c), true) // re-run replaces the output
	runOutput(t, tab, "out2", htmlOf(t, c), false)
	states := tab.WaitCharts(2, settle)
	checkDrawn(t, tab, states, 2)
	for _, s := range states {
		if s.ID == first[0].ID {
			t.Errorf("re-run reused id %s", s.ID)
		}
	}
	tab.SavePage("page")
	if ext := tab.External(); len(ext) > 0 {
		t.Errorf("requests left the machine: %v", ext)
	}
}

// Two charts in one cell output: inline (the second finds the first's
// ECharts) and from a slow URL (both wait on one load), one with the SVG
// renderer.
func TestBrowserTwoChartsOneCell(t *testing.T) {
	_, echartsJS, _ := deps(t)
	b := bt.New(t)
	srv := bt.Serve(t, map[string][]byte{"/lab.html": []byte(jupyterLikePage), "/echarts.min.js": echartsJS},
		map[string]time.Duration{"/echarts.min.js": 500 * time.Millisecond})
	svgGauge := charts.Gauge("Feasibility", "score", 72, 0, 100)
	svgGauge.SetGlobalOptions(ec.WithInitializationOpts(opts.Initialization{Renderer: "svg", Width: "600px", Height: "400px"}))
	lib := srv.URL + "/echarts.min.js"
	cases := []struct {
		name string
		o    []charts.Option
		hits int
	}{
		{"inline", nil, 0},
		{"url", []charts.Option{charts.ScriptURL(lib)}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := srv.Hits("/echarts.min.js")
			tab := b.NewTab(t, true)
			tab.Open(srv.URL + "/lab.html")
			runOutput(t, tab, "out1", htmlOf(t, confusion(), tc.o...)+htmlOf(t, svgGauge, tc.o...), false)
			states := tab.WaitCharts(2, settle)
			checkDrawn(t, tab, states, 2)
			if n := bt.Eval[int](tab, fmt.Sprintf(`document.querySelectorAll("#%s_chart svg").length`, states[1].ID)); n != 1 {
				t.Errorf("the gauge asked for the SVG renderer but has %d <svg>", n)
			}
			tab.SavePage("page")
			if n := srv.Hits("/echarts.min.js") - before; n != tc.hits {
				t.Errorf("ECharts requested %d times, want %d", n, tc.hits)
			}
		})
	}
}

// Fully offline: every request that would leave the machine is observed and
// blocked. The default display and a WriteHTML page (opened from file://)
// make none and draw; a CDN display, as a control, is seen trying and
// falls back to its static image.
func TestBrowserOffline(t *testing.T) {
	prefix, _, _ := deps(t)
	b := bt.New(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	radar := charts.Radar("Personas", []string{"Fresh", "Milk", "Grocery", "Frozen"},
		charts.Col("Cafés", []float64{12000, 3000, 4000, 3000}), charts.Col("Retail", []float64{4000, 9000, 14000, 1500}))
	if err := charts.WriteHTML(page, elbow(), radar); err != nil {
		t.Fatal(err)
	}
	srv := bt.Serve(t, map[string][]byte{"/lab.html": []byte(jupyterLikePage)}, nil)

	t.Run("default display", func(t *testing.T) {
		tab := b.NewTab(t, true)
		tab.Open(srv.URL + "/lab.html")
		runOutput(t, tab, "out1", htmlOf(t, radar), false)
		checkDrawn(t, tab, tab.WaitCharts(1, settle), 1)
		tab.SavePage("page")
		if ext := tab.External(); len(ext) > 0 {
			t.Errorf("requests left the machine: %v", ext)
		}
	})
	t.Run("WriteHTML file", func(t *testing.T) {
		tab := b.NewTab(t, true)
		tab.Open("file://" + page)
		checkDrawn(t, tab, tab.WaitCharts(2, settle), 2)
		tab.SavePage("page")
		if ext := tab.External(); len(ext) > 0 {
			t.Errorf("requests left the machine: %v", ext)
		}
		if len(tab.Requests()) == 0 {
			t.Error("no request was observed at all; the observer is not working")
		}
	})
	t.Run("file URL", func(t *testing.T) {
		// go-echarts drops file:// asset hosts; ScriptURL keeps them.
		lib := "file://" + charts.LibraryPath(prefix)
		doc := filepath.Join(dir, "file-url.html")
		if err := charts.WritePage(doc, "file URL", []charts.Renderable{elbow()}, charts.ScriptURL(lib)); err != nil {
			t.Fatal(err)
		}
		tab := b.NewTab(t, true)
		tab.Open("file://" + doc)
		checkDrawn(t, tab, tab.WaitCharts(1, settle), 1)
		found := false
		for _, u := range tab.Requests() {
			found = found || u == lib
		}
		if !found {
			t.Errorf("ECharts was not loaded from %s; requests: %v", lib, tab.Requests())
		}
		if ext := tab.External(); len(ext) > 0 {
			t.Errorf("requests left the machine: %v", ext)
		}
	})
	t.Run("CDN control", func(t *testing.T) {
		tab := b.NewTab(t, true)
		tab.Open(srv.URL + "/lab.html")
		runOutput(t, tab, "out1", htmlOf(t, radar, charts.CDN()), false)
		states := tab.WaitCharts(1, settle)
		tab.SavePage("page")
		ext := tab.External()
		if len(ext) != 1 || ext[0] != charts.CDNURL {
			t.Errorf("observed external requests %v, want only %s", ext, charts.CDNURL)
		}
		if states[0].State != "failed" || !strings.Contains(states[0].Note, "could not load ECharts") {
			t.Errorf("blocked CDN: state %+v, want failed with a note", states[0])
		}
		img := tab.ScreenshotElement("#" + states[0].ID + "_static")
		if ink, err := bt.Ink(img); err != nil || ink < 5000 {
			t.Errorf("fallback image after a failed load: %d inked pixels (err %v)", ink, err)
		}
	})
}

// checkStatic asserts that a chart still waiting for ECharts shows its
// static picture: state "static", the image displayed, and inked pixels on
// screen where the chart stands (never a blank box).
func checkStatic(t *testing.T, tab *bt.Tab, s bt.ChartState) {
	t.Helper()
	if s.State != "static" {
		t.Errorf("chart %s: state %q (%s), want static", s.ID, s.State, s.Note)
		return
	}
	if d := bt.Eval[string](tab, fmt.Sprintf(`getComputedStyle(document.getElementById(%q + "_static")).display`, s.ID)); d == "none" {
		t.Errorf("chart %s waits for ECharts with its image hidden", s.ID)
	}
	shot := tab.ScreenshotElement("#" + s.ID)
	bt.Save(t, s.ID+"-static", shot)
	if ink, err := bt.Ink(shot); err != nil || ink < 5000 {
		t.Errorf("chart %s waiting for ECharts shows %d inked pixels (err %v): a blank box", s.ID, ink, err)
	}
}

// Shared mode in a JupyterLab-like page: one carrier serves every chart.
// With windowing, cells further down can render before the first chart's
// carrier: those charts show their static pictures and draw as soon as the
// carrier's cell renders.
func TestBrowserSharedOncePerPage(t *testing.T) {
	deps(t)
	b := bt.New(t)
	srv := bt.Serve(t, map[string][]byte{"/lab.html": []byte(jupyterLikePage)}, nil)
	carrier := htmlOf(t, elbow(), charts.Carrier(true))
	second, third := htmlOf(t, confusion(), charts.Carrier(false)), htmlOf(t, elbow(), charts.Carrier(false))
	if len(second) > 80_000 || len(third) > 80_000 {
		t.Fatalf("displays without the library are %d and %d bytes", len(second), len(third))
	}
	t.Run("in order", func(t *testing.T) {
		tab := b.NewTab(t, true)
		tab.Open(srv.URL + "/lab.html")
		runOutput(t, tab, "out1", carrier, false)
		runOutput(t, tab, "out2", second, false)
		runOutput(t, tab, "out3", third, false)
		checkDrawn(t, tab, tab.WaitCharts(3, settle), 3)
		tab.SavePage("page")
		if ext := tab.External(); len(ext) > 0 {
			t.Errorf("requests left the machine: %v", ext)
		}
	})
	t.Run("last chart first", func(t *testing.T) {
		tab := b.NewTab(t, true)
		tab.Open(srv.URL + "/lab.html")
		runOutput(t, tab, "out3", third, false)
		runOutput(t, tab, "out2", second, false)
		waiting := tab.WaitSettled(2, settle)
		for _, s := range waiting {
			checkStatic(t, tab, s)
		}
		tab.SavePage("waiting")
		runOutput(t, tab, "out1", carrier, false)
		checkDrawn(t, tab, tab.WaitCharts(3, settle), 3)
		tab.SavePage("drawn")
	})
}

// colabLikePage shows every output in its own iframe, as Colab does: a
// library loaded by one output is not seen by the others. (The frames are
// same-origin here so that the test can look inside; Colab's are
// cross-origin, which isolates them further.)
func colabLikePage(outputs ...string) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>Colab-like</title>
<style>body{margin:16px;background:#fff} iframe{display:block;border:0;width:960px;height:580px;margin-bottom:8px}</style>
</head><body>
`)
	for i, o := range outputs {
		doc := "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:0;background:#fff\">\n" + o + "</body></html>"
		fmt.Fprintf(&b, "<iframe id=\"out%d\" srcdoc=\"%s\"></iframe>\n", i+1, html.EscapeString(doc))
	}
	b.WriteString("</body></html>\n")
	return b.String()
}

// frameStates lists the charts of every iframe of the page.
const frameStates = `Array.from(document.querySelectorAll("iframe")).map((f) => f.contentDocument ? ` + bt.ChartsJS + `(f.contentDocument) : [])`

// waitFrames waits until each of the n frames has one chart that is not
// pending (and, with drawn, not static either) and returns their states.
func waitFrames(t *testing.T, tab *bt.Tab, n int, drawn bool) []bt.ChartState {
	t.Helper()
	deadline := time.Now().Add(settle)
	for {
		var out []bt.ChartState
		for _, f := range bt.Eval[[][]bt.ChartState](tab, frameStates) {
			out = append(out, f...)
		}
		ok := len(out) == n
		for _, s := range out {
			ok = ok && s.State != "pending" && (!drawn || s.State != "static")
		}
		if ok {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("frames did not settle: %+v", out)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// framePainted reports the painted pixels of the chart canvases in frame i.
func framePainted(t *testing.T, tab *bt.Tab, i int) int {
	return bt.Eval[int](tab, fmt.Sprintf(`(() => {
  const d = document.querySelectorAll("iframe")[%d].contentDocument;
  let n = 0;
  for (const cv of d.querySelectorAll(".founderlab-chart-canvas canvas")) {
    const px = cv.getContext("2d").getImageData(0, 0, cv.width, cv.height).data;
    for (let j = 3; j < px.length; j += 4) if (px[j] > 0) n++;
  }
  return n;
})()`, i))
}

// Outputs in isolated iframes (Colab): shared mode cannot serve them (the
// frames after the carrier's keep their static pictures, never a blank
// box), which is why Display loads ECharts from a URL in every output
// there (the CDN; a local URL stands in for it here) or, when told,
// inlines it in every output.
func TestBrowserIsolatedIframes(t *testing.T) {
	_, echartsJS, _ := deps(t)
	b := bt.New(t)
	srv := bt.Serve(t, map[string][]byte{"/echarts.min.js": echartsJS}, nil)
	lib := srv.URL + "/echarts.min.js"
	srv.Set("/shared.html", []byte(colabLikePage(htmlOf(t, elbow(), charts.Carrier(true)), htmlOf(t, confusion(), charts.Carrier(false)), htmlOf(t, elbow(), charts.Carrier(false)))))
	srv.Set("/url.html", []byte(colabLikePage(htmlOf(t, elbow(), charts.ScriptURL(lib)), htmlOf(t, confusion(), charts.ScriptURL(lib)), htmlOf(t, elbow(), charts.ScriptURL(lib)))))
	srv.Set("/inline.html", []byte(colabLikePage(htmlOf(t, elbow(), charts.Inline()), htmlOf(t, confusion(), charts.Inline()))))

	t.Run("shared control", func(t *testing.T) {
		tab := b.NewTab(t, true)
		tab.Open(srv.URL + "/shared.html")
		states := waitFrames(t, tab, 3, false)
		tab.SavePage("page")
		if states[0].State != "drawn" || framePainted(t, tab, 0) < 2000 {
			t.Errorf("the carrier's frame: %+v", states[0])
		}
		for i, s := range states[1:] {
			if s.State != "static" {
				t.Errorf("frame %d: state %q, want static (its frame cannot see the carrier's ECharts)", i+2, s.State)
			}
			shot := tab.ScreenshotElement(fmt.Sprintf("#out%d", i+2))
			bt.Save(t, fmt.Sprintf("frame%d", i+2), shot)
			if ink, err := bt.Ink(shot); err != nil || ink < 5000 {
				t.Errorf("frame %d waiting for ECharts shows %d inked pixels (err %v): a blank box", i+2, ink, err)
			}
		}
	})
	for _, tc := range []struct{ name, page string }{{"url", "/url.html"}, {"inline", "/inline.html"}} {
		t.Run(tc.name, func(t *testing.T) {
			tab := b.NewTab(t, true)
			tab.Open(srv.URL + tc.page)
			n := strings.Count(string(srv.Get(tc.page)), "<iframe")
			states := waitFrames(t, tab, n, true)
			tab.SavePage("page")
			for i, s := range states {
				if s.State != "drawn" {
					t.Errorf("frame %d: state %q (%s)", i+1, s.State, s.Note)
				} else if px := framePainted(t, tab, i); px < 2000 {
					t.Errorf("frame %d painted %d pixels", i+1, px)
				}
			}
			if ext := tab.External(); len(ext) > 0 {
				t.Errorf("requests left the machine: %v", ext)
			}
		})
	}
}
