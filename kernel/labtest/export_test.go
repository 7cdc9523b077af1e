package labtest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/founderlab/founderlab/internal/testenv"
)

// TestExportsDraw executes 00-welcome headlessly, exports it with our own
// HTML export and with Jupyter's nbconvert (whose page loads require.js and
// so hides a global echarts), opens both from file:// in Chromium, and checks
// that the chart drew from the offline copy of ECharts in the page.
func TestExportsDraw(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	root, err := testenv.Root()
	if err != nil {
		t.Fatal(err)
	}
	nbconvert := filepath.Join(root, ".venv", "bin", "jupyter-nbconvert")
	testenv.Require(t, "nbconvert", nbconvert)
	testenv.Require(t, "Chromium", Chromium)
	requireWelcomeData(t, root)
	env := sharedEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	dir := copyDir(t, filepath.Join(root, "notebooks"))
	executed := filepath.Join(dir, "executed.ipynb")
	ours := filepath.Join(dir, "ours.html")
	if _, stderr, err := env.Founderlab(ctx, "run", "-q", "-o", executed, "--html", ours, filepath.Join(dir, "00-welcome.ipynb")); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr)
	}
	// nbconvert's page loads require.js from a CDN; point it at the local
	// copy so that the page runs as it does for a user with a network.
	requireJS := filepath.Join(root, ".cache", "requirejs", "node_modules", "requirejs", "require.js")
	testenv.Require(t, "require.js", requireJS)
	cmd := exec.CommandContext(ctx, nbconvert, "--to", "html", "--output", "nbconvert",
		"--HTMLExporter.require_js_url=file://"+requireJS, executed)
	cmd.Env = env.Environ
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nbconvert: %v\n%s", err, out)
	}
	bctx, stop := Browser(ctx, filepath.Join(t.TempDir(), "chromium"))
	defer stop()
	for _, page := range []string{ours, filepath.Join(dir, "nbconvert.html")} {
		t.Run(filepath.Base(page), func(t *testing.T) {
			if err := chromedp.Do(bctx, chromedp.Navigate("file://"+page)); err != nil {
				t.Fatal(err)
			}
			const drawn = `document.querySelectorAll('[data-founderlab-chart="drawn"]').length`
			n, err := chromedp.Run(bctx, chromedp.Poll[int](drawn+` > 0 ? `+drawn+` : 0`, chromedp.WithPollingTimeout(60*time.Second)))
			state, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll('[data-founderlab-chart]')).map(e => e.getAttribute('data-founderlab-chart')).join(',')`))
			type counts struct{ Charts, Drawn int }
			ch, _ := chromedp.Run(bctx, chromedp.Evaluate[counts](chartsJS(".founderlab-chart")))
			if png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100)); err == nil {
				os.WriteFile(Artifact(t.TempDir(), "export-"+filepath.Base(page)+".png"), png, 0o644)
			}
			if err != nil || n == 0 || ch.Drawn == 0 {
				t.Fatalf("chart did not draw in %s: %v (states %q, %d of %d chart elements painted)", page, err, state, ch.Drawn, ch.Charts)
			}
			if b, err := os.ReadFile(page); err != nil || strings.Count(string(b), "data-founderlab-echarts") != 1 {
				t.Errorf("%s carries ECharts %d times, want once (err %v)", page, strings.Count(string(b), "data-founderlab-echarts"), err)
			}
			if hasRequire(bctx) != (filepath.Base(page) == "nbconvert.html") {
				t.Errorf("require.js present: %v; want it only in the nbconvert page", hasRequire(bctx))
			}
		})
	}
}

// hasRequire reports whether the page has require.js (which captures the
// UMD build of ECharts, so that no global echarts appears).
func hasRequire(ctx context.Context) bool {
	v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.requirejs === 'function'`))
	return err == nil && v
}
