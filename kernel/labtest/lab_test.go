package labtest

import (
	"context"
	"fmt"
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
	Status      string
	Errors      []string
	Charts      int
	Drawn       int
}

// notebookPanel finds the open notebook panel in JupyterLab's main area
// (currentWidget can be null in a headless window that never had focus).
const notebookPanel = `(() => { const a = window.jupyterapp; if (!a) return null; for (const x of a.shell.widgets('main')) { if (x.content && x.sessionContext) return x; } return null; })()`

// stateJS inspects the current notebook in JupyterLab: executed cells,
// kernel status, error outputs, and chart canvases/SVGs with painted pixels.
const stateJS = `(() => {
  const w = (() => { const a = window.jupyterapp; if (!a) return null; for (const x of a.shell.widgets('main')) { if (x.content && x.sessionContext) return x; } return null; })();
  if (!w || !w.content || !w.sessionContext) return {Done:0, Total:-1, Status:"loading", Errors:[], Charts:0, Drawn:0};
  const cells = w.content.model.cells;
  let done = 0, total = 0; const errors = [];
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    if (c.type !== 'code' || c.sharedModel.getSource().trim() === '') continue;
    total++;
    if (c.executionCount !== null) done++;
    const outs = c.outputs.toJSON();
    for (const o of outs) {
      if (o.output_type === 'error') errors.push('cell ' + (i+1) + ': ' + o.ename + ': ' + o.evalue);
      if (o.output_type === 'stream' && o.name === 'stderr') errors.push('cell ' + (i+1) + ' stderr: ' + [].concat(o.text).join(''));
    }
  }
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  let charts = 0, drawn = 0;
  for (const el of document.querySelectorAll('.jp-OutputArea-output canvas, .jp-OutputArea-output svg')) {
    const r = el.getBoundingClientRect();
    if (r.width < 50 || r.height < 50) continue;
    if (el.closest('noscript') || el.closest('[data-static-fallback]')) continue;
    charts++;
    if (el.tagName.toLowerCase() === 'canvas') {
      const ctx = el.getContext('2d');
      const d = ctx.getImageData(0, 0, el.width, el.height).data;
      let painted = 0;
      for (let j = 3; j < d.length; j += 4 * 16) if (d[j] !== 0) painted++;
      if (painted > 100) drawn++;
    } else if (el.querySelectorAll('path, rect, text').length > 5) drawn++;
  }
  return {Done: done, Total: total, Status: k ? k.status : "none", Errors: errors, Charts: charts, Drawn: drawn};
})()`

func TestJupyterLabRunsWelcome(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	root, err := testenv.Root()
	if err != nil {
		t.Fatal(err)
	}
	lab := filepath.Join(root, ".venv", "bin", "jupyter-lab")
	testenv.Require(t, "JupyterLab", lab)
	testenv.Require(t, "Chromium", Chromium)
	env, err := testenv.New()
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	nbDir := copyDir(t, filepath.Join(root, "notebooks"))
	srv, err := StartJupyter(ctx, lab, nbDir, env.Environ, filepath.Join(env.Dir, "jupyter.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()

	bctx, stop := Browser(ctx, filepath.Join(env.Dir, "chromium"))
	defer stop()
	url := fmt.Sprintf("%s/lab/tree/00-welcome.ipynb?token=%s", srv.URL, srv.Token)
	shot := Artifact(t.TempDir(), "jupyterlab-00-welcome.png")
	if err := chromedp.Do(bctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open JupyterLab: %v", err)
	}
	const kernelIdle = `(() => { const w = `+notebookPanel+`; return !!(w && w.sessionContext.session && w.sessionContext.session.kernel && w.sessionContext.session.kernel.connectionStatus === 'connected'); })()`
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](kernelIdle, chromedp.WithPollingTimeout(90*time.Second), chromedp.WithPollingInterval(500*time.Millisecond))); err != nil {
		if png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(shot, png, 0o644)
		}
		probe, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`JSON.stringify({app: !!window.jupyterapp, widget: !!(window.jupyterapp && window.jupyterapp.shell.currentWidget), title: document.title, dialogs: document.querySelectorAll('.jp-Dialog').length, status: (() => { try { const k = `+notebookPanel+`.sessionContext.session.kernel; return k.status + '/' + k.connectionStatus + '/' + k.name } catch (e) { return String(e) } })(), dialogText: Array.from(document.querySelectorAll('.jp-Dialog')).map(d => d.innerText).join('|')})`))
		log, _ := os.ReadFile(filepath.Join(env.Dir, "jupyter.log"))
		t.Fatalf("the notebook's kernel did not start: %v\npage: %s\nscreenshot: %s\njupyter log:\n%s", err, probe, shot, log)
	}
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`(() => { const w = `+notebookPanel+`; window.jupyterapp.shell.activateById(w.id); window.jupyterapp.commands.execute('notebook:run-all-cells'); return true; })()`)); err != nil {
		t.Fatalf("run all cells: %v", err)
	}
	var st cellState
	deadline := time.Now().Add(5 * time.Minute)
	for {
		st, err = chromedp.Run(bctx, chromedp.Evaluate[cellState](stateJS))
		if err != nil {
			t.Fatal(err)
		}
		if st.Total > 0 && st.Done == st.Total && st.Status != "busy" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("cells did not finish: %+v", st)
		}
		time.Sleep(time.Second)
	}
	// Give the chart scripts a moment to draw (ECharts animates).
	for i := 0; i < 20 && (st.Charts == 0 || st.Drawn < st.Charts); i++ {
		time.Sleep(500 * time.Millisecond)
		if s2, err := chromedp.Run(bctx, chromedp.Evaluate[cellState](stateJS)); err == nil {
			st = s2
		}
	}
	if png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100)); err == nil {
		os.WriteFile(shot, png, 0o644)
		t.Logf("screenshot: %s", shot)
	}
	if len(st.Errors) > 0 {
		t.Errorf("error outputs:\n%s", strings.Join(st.Errors, "\n"))
	}
	if st.Charts == 0 || st.Drawn == 0 {
		t.Errorf("no chart drew: %d chart elements, %d with pixels", st.Charts, st.Drawn)
	}
	t.Logf("JupyterLab: %d/%d cells ran, %d charts drew", st.Done, st.Total, st.Drawn)
}
