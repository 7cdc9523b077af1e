package docker

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/founderlab/founderlab/kernel/labtest"
)

// The notebook panel of JupyterLab's application (the image's Jupyter
// configuration exposes it as window.jupyterapp).
const panelJS = `(() => { const a = window.jupyterapp; if (!a) return null; for (const x of a.shell.widgets('main')) { if (x.content && x.sessionContext) return x; } return null; })()`

var (
	openJS  = `(() => { const w = ` + panelJS + `; return w ? w.context.path : ""; })()`
	readyJS = `(() => { const w = ` + panelJS + `; const k = w && w.sessionContext.session && w.sessionContext.session.kernel; return !!(k && k.connectionStatus === 'connected'); })()`
	// codeCellsJS lists the indices of the non-empty code cells.
	codeCellsJS = `(() => { const w = ` + panelJS + `; const out = []; const cells = w.content.model.cells;
  for (let i = 0; i < cells.length; i++) { const c = cells.get(i); if (c.type === 'code' && c.sharedModel.getSource().trim() !== '') out.push(i); }
  return out; })()`
	// runCellJS runs cell %d (without moving on).
	runCellJS = `(() => { const w = ` + panelJS + `; window.jupyterapp.shell.activateById(w.id); w.content.activeCellIndex = %d; window.jupyterapp.commands.execute('notebook:run-cell'); return true; })()`
	// stateJS reports the notebook's state and that of cell %[1]d.
	stateJS = `(() => {
  const w = ` + panelJS + `;
  const cells = w.content.model.cells;
  const cell = cells.get(%[1]d);
  let done = 0, total = 0; const errors = [];
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    if (c.type !== 'code' || c.sharedModel.getSource().trim() === '') continue;
    total++;
    if (c.executionCount !== null) done++;
    for (const o of c.outputs.toJSON()) {
      if (o.output_type === 'error') errors.push('cell ' + (i+1) + ': ' + o.ename + ': ' + o.evalue);
    }
  }
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  return {Done: done, Total: total, Busy: !!(k && k.status === 'busy'), Errors: errors,
    CellDone: cell.executionCount !== null,
    CellChart: cell.outputs.toJSON().some(o => o.data && Object.keys(o.data).some(m => m.includes('founderlab') || m.includes('echarts'))),
    Drawn: document.querySelectorAll('[data-founderlab-chart="drawn"]').length};
})()`
)

type labState struct {
	Done, Total, Drawn        int
	Busy, CellDone, CellChart bool
	Errors                    []string
}

// TestLabInContainer opens the JupyterLab that docker/test.sh started in a
// container at $FOUNDERLAB_DOCKER_LAB_URL (token $FOUNDERLAB_DOCKER_LAB_TOKEN)
// the way a user does — its root URL — and checks that it opens
// 00-welcome.ipynb, that the kernel starts, that every cell runs without an
// error and that the chart draws. It runs the cells one at a time and logs
// each one's seconds, the chart cell's to its chart drawn, in a fresh
// container.
func TestLabInContainer(t *testing.T) {
	url := os.Getenv("FOUNDERLAB_DOCKER_LAB_URL")
	if url == "" {
		t.Skip("FOUNDERLAB_DOCKER_LAB_URL is not set (docker/test.sh sets it)")
	}
	if _, err := os.Stat(labtest.Chromium); err != nil {
		t.Fatalf("Chromium: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	bctx, stop := labtest.Browser(ctx, filepath.Join(t.TempDir(), "chromium"))
	defer stop()
	shot := labtest.Artifact(t.TempDir(), "docker-lab-00-welcome.png")
	screenshot := func() {
		if png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(shot, png, 0o644)
			t.Logf("screenshot: %s", shot)
		}
	}
	defer screenshot()

	if err := chromedp.Do(bctx, chromedp.Navigate(url+"/?token="+os.Getenv("FOUNDERLAB_DOCKER_LAB_TOKEN"))); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	path, err := chromedp.Run(bctx, chromedp.Poll[string](`(() => { const p = `+openJS+`; return p || null; })()`,
		chromedp.WithPollingTimeout(2*time.Minute), chromedp.WithPollingInterval(500*time.Millisecond)))
	if err != nil {
		t.Fatalf("no notebook opened: %v", err)
	}
	if path != "00-welcome.ipynb" {
		t.Errorf("the lab opened %q, want 00-welcome.ipynb", path)
	}
	start := time.Now()
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](readyJS, chromedp.WithPollingTimeout(2*time.Minute), chromedp.WithPollingInterval(200*time.Millisecond))); err != nil {
		t.Fatalf("the kernel did not start: %v", err)
	}
	t.Logf("kernel ready %.1f s after the notebook opened", time.Since(start).Seconds())
	// Run the code cells one at a time, as a user pressing Shift+Enter
	// would, timing each from its start to its outputs (and, for the cell
	// that makes the first chart, to the chart drawn).
	cells, err := chromedp.Run(bctx, chromedp.Evaluate[[]int](codeCellsJS))
	if err != nil || len(cells) == 0 {
		t.Fatalf("no code cells: %v", err)
	}
	run := time.Now()
	var st labState
	var times []string
	for _, i := range cells {
		drawn := st.Drawn
		cell := time.Now()
		if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](fmt.Sprintf(runCellJS, i))); err != nil {
			t.Fatalf("run cell %d: %v", i+1, err)
		}
		for deadline := time.Now().Add(3 * time.Minute); ; time.Sleep(50 * time.Millisecond) {
			if st, err = chromedp.Run(bctx, chromedp.Evaluate[labState](fmt.Sprintf(stateJS, i))); err != nil {
				t.Fatal(err)
			}
			if st.CellDone && !st.Busy && (st.Drawn > drawn || !st.CellChart) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("cell %d did not finish, or its chart did not draw: %+v", i+1, st)
			}
		}
		what := ""
		if st.Drawn > drawn {
			what = ", chart drawn"
		}
		times = append(times, fmt.Sprintf("cell %d %.1f s%s", i+1, time.Since(cell).Seconds(), what))
	}
	t.Logf("00-welcome, one cell at a time: %s", strings.Join(times, "; "))
	if st.Drawn == 0 {
		t.Errorf("no chart drew: %+v", st)
	}
	if len(st.Errors) > 0 {
		t.Errorf("error outputs:\n%s", strings.Join(st.Errors, "\n"))
	}
	t.Logf("00-welcome: %d/%d cells ran in %.1f s, %d chart(s) drawn", st.Done, st.Total, time.Since(run).Seconds(), st.Drawn)
}
