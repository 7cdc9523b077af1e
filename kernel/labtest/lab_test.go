package labtest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/founderlab/founderlab/internal/testenv"
)

// copyDir copies the notebooks into a scratch directory, so that the
// browser session's autosave never touches the repository.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644)
	}
	return dst
}

// cellState is what the page reports about the open notebook.
type cellState struct {
	Done, Total int
	Max         int // highest execution count
	Status      string
	Errors      []string
	Charts      int
	Drawn       int
}

// chartsJS counts chart canvases/SVGs in outputs (not the static fallback
// images) and those with painted pixels; sel selects output areas.
func chartsJS(sel string) string {
	return `(() => {
  let charts = 0, drawn = 0;
  for (const el of document.querySelectorAll('` + sel + ` canvas, ` + sel + ` svg')) {
    const r = el.getBoundingClientRect();
    if (r.width < 50 || r.height < 50) continue;
    if (el.closest('noscript') || el.closest('[data-static-fallback]') || el.closest('.founderlab-chart-static')) continue;
    charts++;
    if (el.tagName.toLowerCase() === 'canvas') {
      const d = el.getContext('2d').getImageData(0, 0, el.width, el.height).data;
      let painted = 0;
      for (let j = 3; j < d.length; j += 4 * 16) if (d[j] !== 0) painted++;
      if (painted > 100) drawn++;
    } else if (el.querySelectorAll('path, rect, text').length > 5) drawn++;
  }
  return {charts, drawn};
})()`
}

// frontEnd describes how to drive one Jupyter front end.
type frontEnd struct {
	name    string // for messages and the screenshot
	venv    string // virtual environment under the checkout
	program string // server program in venv/bin
	path    string // URL path of the notebook
	args    []string
	ready   string // JS: true when the notebook's kernel is connected
	runAll  string // JS: run every cell, return true
	state   string // JS: {Done, Total, Status, Errors}
	outSel  string // CSS selector of output areas
	rerun   bool   // run all cells a second time
	drawnBy string // what draws the charts: "mime" (FounderLab's extension) or "html"
}

// The JupyterLab 4 and Notebook 7 application (exposed with
// expose_app_in_browser) and its notebook panel.
const notebookPanel = `(() => { const a = window.jupyterapp; if (!a) return null; for (const x of a.shell.widgets('main')) { if (x.content && x.sessionContext) return x; } return null; })()`

var (
	labReady  = `(() => { const w = ` + notebookPanel + `; return !!(w && w.sessionContext.session && w.sessionContext.session.kernel && w.sessionContext.session.kernel.connectionStatus === 'connected'); })()`
	labRunAll = `(() => { const w = ` + notebookPanel + `; window.jupyterapp.shell.activateById(w.id); window.jupyterapp.commands.execute('notebook:run-all-cells'); return true; })()`
	labState  = `(() => {
  const w = ` + notebookPanel + `;
  const cells = w.content.model.cells;
  let done = 0, total = 0, max = 0; const errors = [];
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    if (c.type !== 'code' || c.sharedModel.getSource().trim() === '') continue;
    total++;
    if (c.executionCount !== null) { done++; max = Math.max(max, c.executionCount); }
    for (const o of c.outputs.toJSON()) {
      if (o.output_type === 'error') errors.push('cell ' + (i+1) + ': ' + o.ename + ': ' + o.evalue);
      if (o.output_type === 'stream' && o.name === 'stderr') errors.push('cell ' + (i+1) + ' stderr: ' + [].concat(o.text).join(''));
    }
  }
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  return {Done: done, Total: total, Max: max, Status: k ? k.status : "none", Errors: errors};
})()`
	// Classic Notebook 6 exposes the global Jupyter object.
	nb6Ready  = `!!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())`
	nb6RunAll = `(Jupyter.notebook.execute_all_cells(), true)`
	nb6State  = `(() => {
  let done = 0, total = 0; const errors = [];
  Jupyter.notebook.get_cells().forEach((c, i) => {
    if (c.cell_type !== 'code' || c.get_text().trim() === '') return;
    total++;
    if (typeof c.input_prompt_number === 'number') done++;
    for (const o of c.output_area.outputs) {
      if (o.output_type === 'error') errors.push('cell ' + (i+1) + ': ' + o.ename + ': ' + o.evalue);
      if (o.output_type === 'stream' && o.name === 'stderr') errors.push('cell ' + (i+1) + ' stderr: ' + o.text);
    }
  });
  return {Done: done, Total: total, Status: Jupyter.notebook.kernel_busy ? "busy" : "idle", Errors: errors};
})()`
)

var frontEnds = []frontEnd{
	{name: "jupyterlab4", venv: ".venv", program: "jupyter-lab", path: "/lab/tree/00-welcome.ipynb",
		ready: labReady, runAll: labRunAll, state: labState, outSel: ".jp-OutputArea-output", rerun: true, drawnBy: "mime"},
	{name: "notebook7", venv: ".venv", program: "jupyter-notebook", path: "/notebooks/00-welcome.ipynb",
		args:  []string{"--JupyterNotebookApp.expose_app_in_browser=True"},
		ready: labReady, runAll: labRunAll, state: labState, outSel: ".jp-OutputArea-output", drawnBy: "mime"},
	{name: "notebook6", venv: ".venv-nb6", program: "jupyter-notebook", path: "/notebooks/00-welcome.ipynb",
		ready: nb6Ready, runAll: nb6RunAll, state: nb6State, outSel: ".output_area", drawnBy: "html"},
}

// TestFrontEndsRunWelcome opens 00-welcome in each Jupyter front end, runs
// every cell through the real kernel, and checks that no cell failed and
// that the chart drew (painted pixels, not the static fallback).
func TestFrontEndsRunWelcome(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	root, err := testenv.Root()
	if err != nil {
		t.Fatal(err)
	}
	testenv.Require(t, "Chromium", Chromium)
	requireWelcomeData(t, root)
	env := sharedEnv(t)
	for _, fe := range frontEnds {
		t.Run(fe.name, func(t *testing.T) {
			program := filepath.Join(root, fe.venv, "bin", fe.program)
			testenv.Require(t, fe.name, program)
			runFrontEnd(t, env, root, program, fe)
		})
	}
}

func runFrontEnd(t *testing.T, env *testenv.Env, root, program string, fe frontEnd) {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	nbDir := copyDir(t, filepath.Join(root, "notebooks"))
	logPath := filepath.Join(t.TempDir(), "jupyter.log")
	srv, err := StartJupyter(ctx, program, nbDir, env.Environ, logPath, fe.args...)
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
	shot := Artifact(t.TempDir(), fe.name+"-00-welcome.png")
	screenshot := func() {
		if png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(shot, png, 0o644)
			t.Logf("screenshot: %s", shot)
		}
	}
	if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+fe.path+"?token="+srv.Token)); err != nil {
		t.Fatalf("open %s: %v", fe.name, err)
	}
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](fe.ready, chromedp.WithPollingTimeout(2*time.Minute), chromedp.WithPollingInterval(500*time.Millisecond))); err != nil {
		screenshot()
		log, _ := os.ReadFile(logPath)
		t.Fatalf("%s: the notebook's kernel did not connect: %v\njupyter log:\n%s", fe.name, err, log)
	}
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](fe.runAll)); err != nil {
		t.Fatalf("run all cells: %v", err)
	}
	var st cellState
	deadline := time.Now().Add(5 * time.Minute)
	for {
		st, err = chromedp.Run(bctx, chromedp.Evaluate[cellState](fe.state))
		if err != nil {
			t.Fatal(err)
		}
		if st.Total > 0 && st.Done == st.Total && st.Status != "busy" {
			break
		}
		if time.Now().After(deadline) {
			screenshot()
			t.Fatalf("cells did not finish: %+v", st)
		}
		time.Sleep(time.Second)
	}
	// Give the chart scripts a moment to draw (ECharts animates).
	type counts struct{ Charts, Drawn int }
	var ch counts
	for i := 0; i < 30; i++ {
		if c, err := chromedp.Run(bctx, chromedp.Evaluate[counts](chartsJS(fe.outSel))); err == nil {
			ch = c
		}
		if ch.Charts > 0 && ch.Drawn == ch.Charts {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if fe.rerun {
		// Run every cell again: the chart cell's new output must draw too
		// (a fresh element id, the loader's promise reused).
		if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](fe.runAll)); err != nil {
			t.Fatalf("run all cells again: %v", err)
		}
		first := st.Max
		for deadline := time.Now().Add(3 * time.Minute); ; time.Sleep(time.Second) {
			if st, err = chromedp.Run(bctx, chromedp.Evaluate[cellState](fe.state)); err != nil {
				t.Fatal(err)
			}
			c, _ := chromedp.Run(bctx, chromedp.Evaluate[counts](chartsJS(fe.outSel)))
			if st.Max >= first+st.Total && st.Status != "busy" && c.Charts > 0 && c.Drawn == c.Charts {
				ch = c
				break
			}
			if time.Now().After(deadline) {
				screenshot()
				t.Fatalf("after re-running the cells: %+v, charts %+v", st, c)
			}
		}
	}
	screenshot()
	if len(st.Errors) > 0 {
		t.Errorf("error outputs:\n%s", strings.Join(st.Errors, "\n"))
	}
	if ch.Charts == 0 || ch.Drawn == 0 {
		t.Errorf("no chart drew: %d chart elements, %d with pixels", ch.Charts, ch.Drawn)
	}
	// JupyterLab 4 and Notebook 7 draw through FounderLab's extension
	// (installed by founderlab install), Notebook 6 through the HTML.
	type paths struct{ Mime, HTML int }
	by, err := chromedp.Run(bctx, chromedp.Evaluate[paths](`({
  Mime: document.querySelectorAll('[data-founderlab-renderer="mime"][data-founderlab-chart="drawn"]').length,
  HTML: document.querySelectorAll('.founderlab-chart[data-founderlab-chart="drawn"]').length})`))
	if err != nil {
		t.Fatal(err)
	}
	if (fe.drawnBy == "mime" && (by.Mime == 0 || by.HTML != 0)) || (fe.drawnBy == "html" && (by.HTML == 0 || by.Mime != 0)) {
		t.Errorf("charts drawn by the extension: %d, by their HTML: %d; want them drawn by %s", by.Mime, by.HTML, fe.drawnBy)
	}
	t.Logf("%s: %d/%d cells ran, %d of %d charts drew (%d by the extension, %d by their HTML)", fe.name, st.Done, st.Total, ch.Drawn, ch.Charts, by.Mime, by.HTML)
}
