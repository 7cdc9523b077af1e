package docker

import (
	"context"
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
	readyJS = `(() => { const w = ` + panelJS + `; const k = w && w.sessionContext.session && w.sessionContext.session.kernel; return !!(k && k.connectionStatus === 'connected' && k.status === 'idle'); })()`
	runJS   = `(() => { const w = ` + panelJS + `; window.jupyterapp.shell.activateById(w.id); window.jupyterapp.commands.execute('notebook:run-all-cells'); return true; })()`
	stateJS = `(() => {
  const w = ` + panelJS + `;
  const cells = w.content.model.cells;
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
    Drawn: document.querySelectorAll('[data-founderlab-chart="drawn"]').length};
})()`
)

type labState struct {
	Done, Total, Drawn int
	Busy               bool
	Errors             []string
}

// TestLabInContainer opens the JupyterLab that docker/test.sh started in a
// container at $FOUNDERLAB_DOCKER_LAB_URL (token $FOUNDERLAB_DOCKER_LAB_TOKEN)
// the way a user does — its root URL — and checks that it opens
// 00-welcome.ipynb, that the kernel starts, that every cell runs without an
// error and that the chart draws. It logs the seconds from "run all" to the
// first chart drawn, in a fresh container.
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
	run := time.Now()
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](runJS)); err != nil {
		t.Fatalf("run all cells: %v", err)
	}
	var st labState
	var chart time.Duration
	for deadline := time.Now().Add(5 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
		if st, err = chromedp.Run(bctx, chromedp.Evaluate[labState](stateJS)); err != nil {
			t.Fatal(err)
		}
		if st.Drawn > 0 && chart == 0 {
			chart = time.Since(run)
		}
		if st.Total > 0 && st.Done == st.Total && !st.Busy && st.Drawn > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("cells did not finish, or no chart drew: %+v", st)
		}
	}
	if len(st.Errors) > 0 {
		t.Errorf("error outputs:\n%s", strings.Join(st.Errors, "\n"))
	}
	t.Logf("00-welcome: %d/%d cells ran, %d chart(s) drawn; run all → first chart drawn %.1f s, → all cells done %.1f s",
		st.Done, st.Total, st.Drawn, chart.Seconds(), time.Since(run).Seconds())
}
