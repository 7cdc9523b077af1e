package notebook_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/founderlab/founderlab/internal/assets"
	"github.com/founderlab/founderlab/kernel/labtest"
	"github.com/founderlab/founderlab/kernel/notebook"
)

const browserMath = `{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[
{"cell_type":"markdown","id":"a","metadata":{},"source":["# Math\n","Transform with $\\log(1+x)$ and minimise\n","\n","$$J = \\sum_{k=1}^{K} \\sum_{x \\in C_k} \\lVert x - \\mu_k \\rVert^2 .$$\n","\n","\\begin{align}a &= b \\\\ c &= d\\end{align}\n"]}]}`

// TestExportMathInBrowser opens standalone exports in headless Chromium
// from file://: with math rendered on the server and in the browser, the
// page shows three KaTeX formulas in KaTeX's fonts and no LaTeX source.
func TestExportMathInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("headless Chromium (not in -short mode)")
	}
	if _, err := os.Stat(labtest.Chromium); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI: %v", err)
		}
		t.Skip(err)
	}
	prefix := os.Getenv(assets.EnvKaTeXDir)
	if prefix == "" {
		prefix, _ = filepath.Abs(filepath.Join("..", "..", ".cache", "katex"))
	}
	if err := assets.KaTeXInstalled(prefix); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI: %v", err)
		}
		t.Skip(err)
	}
	nb, err := notebook.Parse([]byte(browserMath))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := labtest.Browser(context.Background(), t.TempDir())
	defer cancel()
	// The first action starts the browser, bound to ctx (not to the
	// shorter contexts below).
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	modes := []notebook.MathMode{notebook.MathClient}
	if _, err := exec.LookPath("node"); err == nil {
		modes = append(modes, notebook.MathServer)
	}
	for _, mode := range modes {
		t.Run(mode.String(), func(t *testing.T) {
			page, err := notebook.ExportHTMLContext(context.Background(), nb, "math", notebook.HTMLOptions{Math: mode, KaTeXDir: prefix})
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(t.TempDir(), "math.html")
			if err := os.WriteFile(p, page, 0o644); err != nil {
				t.Fatal(err)
			}
			c, cancel := context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			if err := chromedp.Do(c, chromedp.Navigate("file://"+filepath.ToSlash(p))); err != nil {
				t.Fatal(err)
			}
			type result struct {
				Formulas int    `json:"formulas"`
				Display  int    `json:"display"`
				Text     string `json:"text"`
				Font     bool   `json:"font"`
			}
			var r result
			for deadline := time.Now().Add(30 * time.Second); ; {
				r, err = chromedp.Run(c, chromedp.Evaluate[result](`(async () => {
  await document.fonts.ready;
  const body = document.body.cloneNode(true);
  body.querySelectorAll(".katex, script, style").forEach((e) => e.remove());
  return {formulas: document.querySelectorAll(".katex").length, display: document.querySelectorAll(".katex-display").length,
    text: body.textContent, font: Array.from(document.fonts).some((f) => f.family.includes("KaTeX") && f.status === "loaded")};
})()`, chromedp.EvalAwaitPromise))
				if err == nil && r.Formulas == 3 && r.Font || time.Now().After(deadline) {
					break
				}
				time.Sleep(200 * time.Millisecond)
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Formulas != 3 || r.Display != 2 || !r.Font {
				t.Errorf("%d formulas (%d displayed), KaTeX font loaded %v; want 3, 2, true", r.Formulas, r.Display, r.Font)
			}
			for _, raw := range []string{"$", `\log`, `\sum`, `\begin`} {
				if contains(r.Text, raw) {
					t.Errorf("LaTeX source %q left in the page text: %q", raw, r.Text)
				}
			}
		})
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
