package book

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/founderlab/founderlab/internal/assets"
	"github.com/founderlab/founderlab/internal/testenv"
	"github.com/founderlab/founderlab/kernel/labtest"
)

// Size targets of the book of the quick-parameter run.
const (
	maxBook = 10 << 20   // the whole site
	maxPage = 1536 << 10 // one chapter page
)

// cheapChapters are executed by the test itself when no executed
// notebooks are at hand: they need no model and little time.
var cheapChapters = []string{"00-welcome", "03-feasibility", "04-business-model", "05-product-iteration"}

// quickBook builds the book of the quick-parameter run with the founderlab
// command, as users do. The executed notebooks come from the notebook
// test's artifacts ($FOUNDERLAB_ARTIFACTS/notebooks) when every chapter is
// there with the cells of its source; otherwise the test executes the
// cheap chapters (cheapChapters) itself, in a throw-away installation.
func quickBook(t *testing.T) (site string, chapters []string) {
	t.Helper()
	root, err := testenv.Root()
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(root, "notebooks")
	site = filepath.Join(t.TempDir(), "site")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Minute)
	defer cancel()
	katex := os.Getenv(assets.EnvKaTeXDir)
	if katex == "" {
		katex = filepath.Join(root, ".cache", "katex")
	}
	if err := assets.KaTeXInstalled(katex); err != nil {
		testenv.Require(t, "KaTeX", filepath.Join(assets.KaTeXPackage(katex), "dist", "katex.min.js"))
		t.Fatal(err)
	}
	echarts := os.Getenv(assets.EnvEChartsDir)
	if echarts == "" {
		echarts = filepath.Join(root, ".cache", "echarts")
	}
	testenv.Require(t, "ECharts", assets.EChartsLibrary(echarts))

	if art := os.Getenv("FOUNDERLAB_ARTIFACTS"); art != "" {
		from := filepath.Join(art, "notebooks")
		s, err := Build(ctx, Options{Notebooks: src, Out: site, From: from, Editions: []Edition{English}, KaTeXDir: katex, EChartsDir: echarts})
		if err == nil {
			t.Logf("book built from the executed notebooks in %s", from)
			for _, c := range s.Chapters {
				chapters = append(chapters, c.Name)
			}
			return site, chapters
		}
		t.Logf("not every chapter is executed in %s (%v): executing the cheap ones", from, err)
	}

	env, err := testenv.New()
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	nbs := filepath.Join(t.TempDir(), "notebooks")
	if err := os.MkdirAll(nbs, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(src, "data"), filepath.Join(nbs, "data")); err != nil {
		t.Fatal(err)
	}
	for _, name := range cheapChapters {
		b, err := os.ReadFile(filepath.Join(src, name+".ipynb"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(nbs, name+".ipynb"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := env.Command(ctx, env.Bin, "book", "-o", site, "-p", "quick=true", "--lang", "en", "--notebooks", nbs, "--cache", filepath.Join(t.TempDir(), "cache"))
	cmd.Env = append(cmd.Env, assets.EnvKaTeXDir+"="+katex, assets.EnvEChartsDir+"="+echarts)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("founderlab book ran in %.0fs", time.Since(start).Seconds())
	if err != nil {
		t.Fatalf("founderlab book: %v\n%s", err, out)
	}
	return site, cheapChapters
}

// TestBookInBrowser builds the quick book, checks its size and links, and
// reads it in headless Chromium from file:// with every request that would
// leave the machine blocked: the course map links every chapter and shows
// their figures; two chapters with math and charts show KaTeX's rendering
// (no LaTeX source left in the prose, KaTeX's fonts loaded) and drawn
// charts; the next/previous links and the sidebar lead where they say.
func TestBookInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and reads the book (not in -short mode)")
	}
	testenv.Require(t, "chromium", labtest.Chromium)
	site, chapters := quickBook(t)

	// Sizes.
	var total int64
	err := filepath.Walk(site, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !fi.IsDir() {
			total += fi.Size()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("book: %d chapters, %.2f MB", len(chapters), float64(total)/1e6)
	if total > maxBook {
		t.Errorf("the book is %d bytes, over %d", total, maxBook)
	}
	for _, c := range chapters {
		fi, err := os.Stat(filepath.Join(site, c+".html"))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s.html: %.0f kB", c, float64(fi.Size())/1e3)
		if fi.Size() > maxPage {
			t.Errorf("%s.html is %d bytes, over %d", c, fi.Size(), maxPage)
		}
	}
	if dead, err := CheckLinks(site); err != nil || len(dead) > 0 {
		t.Errorf("dead links %v (%v)", dead, err)
	}

	// Chapters with math and charts, read from the built pages.
	var rich []string
	for _, c := range chapters {
		b, _ := os.ReadFile(filepath.Join(site, c+".html"))
		if strings.Contains(string(b), `class="katex"`) && strings.Contains(string(b), `class="founderlab-chart"`) {
			rich = append(rich, c)
		}
	}
	if len(rich) < 2 {
		t.Fatalf("chapters with math and charts: %v, want two", rich)
	}
	rich = rich[:2]

	ctx, cancel := labtest.Browser(context.Background(), t.TempDir())
	defer cancel()
	var mu sync.Mutex
	var blocked, requested []string
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	go func() {
		for ev, err := range chromedp.Events(ctx, fetch.RequestPaused) {
			if err != nil {
				return
			}
			u, _ := url.Parse(ev.Request.URL)
			mu.Lock()
			requested = append(requested, ev.Request.URL)
			mu.Unlock()
			if u != nil && (u.Scheme == "file" || u.Scheme == "data" || u.Scheme == "about" || u.Scheme == "blob") {
				_, _ = chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
				continue
			}
			mu.Lock()
			blocked = append(blocked, ev.Request.URL)
			mu.Unlock()
			_, _ = chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonInternetDisconnected})
		}
	}()
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}}); err != nil {
		t.Fatalf("fetch.enable: %v", err)
	}
	try := func(expr string, v any) error {
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		res, err := chromedp.Run(c, chromedp.Evaluate[any](expr))
		if err != nil {
			return err
		}
		b := fmt.Sprint(res)
		switch p := v.(type) {
		case *string:
			*p = b
		case *float64:
			f, _ := res.(float64)
			*p = f
		case *bool:
			bb, _ := res.(bool)
			*p = bb
		}
		return nil
	}
	eval := func(expr string, v any) {
		t.Helper()
		if err := try(expr, v); err != nil {
			t.Fatalf("evaluate %.60q: %v", expr, err)
		}
	}
	waitFor := func(expr string, what string) {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for {
			var ok bool
			if err := try(expr, &ok); err == nil && ok {
				return // (an error is a page navigating away: try again)
			}
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(250 * time.Millisecond)
		}
	}
	location := func() string {
		var s string
		eval(`location.pathname.split("/").pop()`, &s)
		return s
	}
	open := func(u string) {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		if err := chromedp.Do(c, chromedp.Navigate(u)); err != nil {
			t.Fatalf("open %s: %v", u, err)
		}
		waitFor(`document.readyState === "complete"`, u+" to load")
	}
	click := func(sel string) {
		t.Helper()
		before := location()
		eval(`(() => { const a = document.querySelector(`+fmt.Sprintf("%q", sel)+`); if (a) a.click(); return !!a; })()`, new(bool))
		waitFor(`location.pathname.split("/").pop() !== `+fmt.Sprintf("%q", before)+` && document.readyState === "complete"`, "the link "+sel+" to lead away from "+before)
	}

	// The course map.
	open("file://" + filepath.ToSlash(filepath.Join(site, "index.html")))
	var n float64
	eval(`document.querySelectorAll("main .chapter h3 a").length`, &n)
	if int(n) != len(chapters) {
		t.Errorf("the course map lists %v chapters, want %d", n, len(chapters))
	}
	waitFor(`Array.from(document.querySelectorAll("main .chapter img")).every((i) => i.complete)`, "the key figures")
	eval(`Array.from(document.querySelectorAll("main .chapter img")).filter((i) => i.naturalWidth > 0).length`, &n)
	if n < 2 {
		t.Errorf("%v key figures shown on the course map, want at least 2", n)
	}

	// Two chapters, reached by the course map's links.
	for _, c := range rich {
		open("file://" + filepath.ToSlash(filepath.Join(site, "index.html")))
		click(fmt.Sprintf(`main .chapter h3 a[href="%s.html"]`, c))
		if got := location(); got != c+".html" {
			t.Fatalf("the course map's link led to %s, want %s.html", got, c)
		}
		eval(`document.querySelectorAll(".katex").length`, &n)
		if n == 0 {
			t.Errorf("%s: no KaTeX elements", c)
		}
		var raw string
		eval(`(() => {
  const w = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT, {acceptNode: (x) =>
    x.parentElement.closest("pre, code:not(.fl-math-raw), script, style, .katex, .output") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  const bad = [];
  for (let x = w.nextNode(); x; x = w.nextNode()) {
    const s = x.textContent;
    if (/\$[^\s$][^$]*\$/.test(s) || /\\(frac|sum|begin|mathbb|lVert|alpha)\b/.test(s)) bad.push(s.trim().slice(0, 80));
  }
  return bad.join(" | ");
})()`, &raw)
		if raw != "" {
			t.Errorf("%s: LaTeX source left in the prose: %s", c, raw)
		}
		waitFor(`document.fonts.status === "loaded"`, "fonts")
		var fonts bool
		eval(`document.fonts.check("16px KaTeX_Main") && Array.from(document.fonts).some((f) => f.family.includes("KaTeX") && f.status === "loaded")`, &fonts)
		if !fonts {
			t.Errorf("%s: KaTeX's fonts did not load", c)
		}
		waitFor(`Array.from(document.querySelectorAll(".founderlab-chart")).every((e) => ["drawn", "failed"].includes(e.getAttribute("data-founderlab-chart")))`, c+"'s charts")
		var states string
		eval(`Array.from(document.querySelectorAll(".founderlab-chart")).map((e) => e.getAttribute("data-founderlab-chart")).join(" ")`, &states)
		if strings.Contains(states, "failed") {
			t.Errorf("%s: chart states %s", c, states)
		}
		eval(`(() => { let px = 0; for (const cv of document.querySelectorAll(".founderlab-chart canvas")) {
  const d = cv.getContext("2d").getImageData(0, 0, cv.width, cv.height).data;
  let mine = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) mine++;
  px = Math.max(px, mine); }
  return px; })()`, &n)
		if n < 2000 {
			t.Errorf("%s: the charts painted %v pixels, want a drawing", c, n)
		}
		var tocOK bool
		eval(`Array.from(document.querySelectorAll(".toc a")).every((a) => document.getElementById(decodeURIComponent(a.hash.slice(1))))`, &tocOK)
		if !tocOK {
			t.Errorf("%s: a table-of-contents link has no target", c)
		}

		// Next, then previous, lead back here; the sidebar leads to the map.
		i := indexOf(chapters, c)
		if i+1 < len(chapters) {
			click(`main .pager a[rel="next"]`)
			if got := location(); got != chapters[i+1]+".html" {
				t.Errorf("%s: next led to %s, want %s.html", c, got, chapters[i+1])
			}
			click(`main .pager a[rel="prev"]`)
			if got := location(); got != c+".html" {
				t.Errorf("%s: previous led to %s, want %s.html", chapters[i+1], got, c)
			}
		}
		click(`.sidebar a.home`)
		if got := location(); got != "index.html" {
			t.Errorf("%s: the sidebar's home link led to %s", c, got)
		}
	}
	if len(blocked) > 0 {
		t.Errorf("the book made requests that leave the machine: %v", blocked)
	}
	if shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80)); err == nil {
		if art := os.Getenv("FOUNDERLAB_ARTIFACTS"); art != "" {
			os.WriteFile(filepath.Join(art, "book-index.jpg"), shot, 0o644)
		}
	}
	mu.Lock()
	t.Logf("%d requests, all from the site", len(requested))
	mu.Unlock()
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}
