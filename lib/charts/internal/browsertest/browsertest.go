// Package browsertest runs chart pages in headless Debian Chromium for
// tests: it starts the browser, serves pages from 127.0.0.1, records every
// request a page makes (and blocks those that would leave the machine),
// waits for charts to draw, measures the pixels they drew and keeps
// screenshots as artifacts.
//
// Tests that need the browser call [New]; without chromium they are
// skipped, except under CI (CI set to anything but "" or "false"), where a
// missing browser fails the test.
package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian installs chromium.
const ChromiumPath = "/usr/bin/chromium"

// InCI reports whether the tests run under CI, where missing dependencies
// are failures rather than skips.
func InCI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "false" && v != "0"
}

// Require skips t (or fails it under CI) with the reason why a dependency
// is missing.
func Require(t testing.TB, ok bool, format string, args ...any) {
	t.Helper()
	if ok {
		return
	}
	msg := fmt.Sprintf(format, args...) + " (scripts/charts-test-deps.sh installs it)"
	if InCI() {
		t.Fatalf("CI: %s", msg)
	}
	t.Skip(msg)
}

// Chromium returns the browser executable: $CHROMIUM if set, else
// /usr/bin/chromium, else chromium on $PATH.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, p := range []string{os.Getenv("CHROMIUM"), ChromiumPath} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	p, err := exec.LookPath("chromium")
	Require(t, err == nil, "chromium not found")
	return p
}

// Artifacts returns the directory for the test's screenshots:
// $FOUNDERLAB_ARTIFACTS/charts if set (created), else t.TempDir().
func Artifacts(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("FOUNDERLAB_ARTIFACTS"); d != "" {
		dir := filepath.Join(d, "charts")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatalf("artifacts: %v", err)
		}
		return dir
	}
	return t.TempDir()
}

// Browser is one headless Chromium for a test.
type Browser struct {
	ctx context.Context
}

// New starts headless Chromium with the flags the lab uses; it is closed
// when the test ends.
func New(t testing.TB) *Browser {
	t.Helper()
	exe := Chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.WindowSize(1100, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	// The first action starts the browser and binds it to ctx: a derived
	// context with a timeout would close the browser when cancelled.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	return &Browser{ctx: ctx}
}

// Tab is one page of the browser, with its requests recorded.
type Tab struct {
	t   testing.TB
	Ctx context.Context

	mu       sync.Mutex
	requests []string // every URL requested, in order
	blocked  []string // non-local URLs that were stopped
}

// NewTab opens a tab. With blockExternal, every request that would leave
// the machine (anything but 127.0.0.1, localhost, [::1], file:, data:,
// blob: and about:) is failed before it is sent, and recorded.
func (b *Browser) NewTab(t testing.TB, blockExternal bool) *Tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	tab := &Tab{t: t, Ctx: ctx}
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("new tab: %v", err)
	}
	sent := chromedp.Events(ctx, network.RequestWillBeSent)
	go func() {
		for ev, err := range sent {
			if err != nil {
				return
			}
			tab.mu.Lock()
			tab.requests = append(tab.requests, ev.Request.URL)
			tab.mu.Unlock()
		}
	}()
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("network.enable: %v", err)
	}
	if blockExternal {
		paused := chromedp.Events(ctx, fetch.RequestPaused)
		go func() {
			for ev, err := range paused {
				if err != nil {
					return
				}
				if Local(ev.Request.URL) {
					_, _ = chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
					continue
				}
				tab.mu.Lock()
				tab.blocked = append(tab.blocked, ev.Request.URL)
				tab.mu.Unlock()
				_, _ = chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
			}
		}()
		if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}}); err != nil {
			t.Fatalf("fetch.enable: %v", err)
		}
	}
	return tab
}

// Local reports whether a request for u stays on this machine.
func Local(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	switch p.Scheme {
	case "data", "blob", "file", "about":
		return true
	case "http", "https", "ws", "wss":
		h := p.Hostname()
		if h == "localhost" {
			return true
		}
		ip := net.ParseIP(h)
		return ip != nil && ip.IsLoopback()
	}
	return false
}

// Requests returns every URL the tab requested so far.
func (tab *Tab) Requests() []string {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	return append([]string(nil), tab.requests...)
}

// External returns the requested URLs that would have left the machine.
func (tab *Tab) External() []string {
	var out []string
	for _, u := range tab.Requests() {
		if !Local(u) {
			out = append(out, u)
		}
	}
	tab.mu.Lock()
	defer tab.mu.Unlock()
	for _, u := range tab.blocked {
		found := false
		for _, o := range out {
			found = found || o == u
		}
		if !found {
			out = append(out, u)
		}
	}
	return out
}

// DisableScripts turns off JavaScript in the tab, as in views that never
// run output scripts.
func (tab *Tab) DisableScripts() {
	tab.t.Helper()
	if _, err := chromedp.Call(tab.Ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		tab.t.Fatalf("disable scripts: %v", err)
	}
}

// Open navigates the tab to u.
func (tab *Tab) Open(u string) {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.Ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		tab.t.Fatalf("open %s: %v", u, err)
	}
}

// Eval evaluates a JavaScript expression and decodes its value into T.
func Eval[T any](tab *Tab, expr string) T {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.Ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tab.t.Fatalf("evaluate %.80q: %v", expr, err)
	}
	return v
}

// ChartState is the state of one chart container of lib/charts.
type ChartState struct {
	ID    string `json:"id"`
	State string `json:"state"` // pending, static (waiting for ECharts), drawn or failed
	Note  string `json:"note"`
}

// WaitCharts waits until the page has n chart containers, each drawn or
// failed, and returns their states.
func (tab *Tab) WaitCharts(n int, timeout time.Duration) []ChartState {
	tab.t.Helper()
	return tab.waitStates(n, timeout, []string{"pending", "static"})
}

// WaitSettled waits until the page has n chart containers and none is
// pending: a chart still waiting for ECharts ("static", showing its
// image) counts as settled.
func (tab *Tab) WaitSettled(n int, timeout time.Duration) []ChartState {
	tab.t.Helper()
	return tab.waitStates(n, timeout, []string{"pending"})
}

// ChartsJS is a JavaScript expression listing the chart containers of a
// document d as ChartStates.
const ChartsJS = `((d) => Array.from(d.querySelectorAll(".founderlab-chart")).map((e) => ({id: e.id,
  state: e.getAttribute("data-founderlab-chart"), note: (d.getElementById(e.id + "_note") || {}).textContent || ""})))`

func (tab *Tab) waitStates(n int, timeout time.Duration, unsettled []string) []ChartState {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.Ctx, timeout)
	defer cancel()
	q, _ := json.Marshal(unsettled)
	expr := fmt.Sprintf(`(() => {
  const s = %s(document);
  if (s.length < %d || s.some((c) => %s.includes(c.state))) return null;
  return s;
})()`, ChartsJS, n, q)
	states, err := chromedp.Run(ctx, chromedp.Poll[[]ChartState](expr, chromedp.WithPollingInterval(50*time.Millisecond)))
	if err != nil {
		now := Eval[[]ChartState](tab, ChartsJS+"(document)")
		tab.t.Fatalf("waiting for %d charts to settle: %v (now: %+v)", n, err, now)
	}
	return states
}

// Drawn is what a chart painted in its element.
type Drawn struct {
	CanvasPixels int `json:"canvasPixels"` // non-transparent pixels of its canvases
	SVGShapes    int `json:"svgShapes"`    // path, text and rect elements of its SVG
}

// Painted reports whether the chart painted something substantial.
func (d Drawn) Painted() bool { return d.CanvasPixels >= 2000 || d.SVGShapes >= 20 }

// Drawing measures what the chart <id> painted in its element <id>_chart.
func (tab *Tab) Drawing(id string) Drawn {
	tab.t.Helper()
	return Eval[Drawn](tab, fmt.Sprintf(`(() => {
  const host = document.getElementById(%q + "_chart");
  const out = {canvasPixels: 0, svgShapes: 0};
  if (!host) return out;
  for (const cv of host.querySelectorAll("canvas")) {
    const d = cv.getContext("2d").getImageData(0, 0, cv.width, cv.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) out.canvasPixels++;
  }
  out.svgShapes = host.querySelectorAll("svg path, svg text, svg rect").length;
  return out;
})()`, id))
}

// ScreenshotElement returns a PNG of the element matched by the CSS selector.
func (tab *Tab) ScreenshotElement(css string) []byte {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.Ctx, 30*time.Second)
	defer cancel()
	b, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(css)))
	if err != nil {
		tab.t.Fatalf("screenshot %s: %v", css, err)
	}
	return b
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// SavePage writes a full-page screenshot as <artifacts>/<test name>-<name>.png
// and returns its path.
func (tab *Tab) SavePage(name string) string {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.Ctx, 30*time.Second)
	defer cancel()
	b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tab.t.Fatalf("screenshot: %v", err)
	}
	return Save(tab.t, name, b)
}

// Save writes png to the artifacts directory and returns its path.
func Save(t testing.TB, name string, pngData []byte) string {
	t.Helper()
	file := unsafeName.ReplaceAllString(t.Name()+"-"+name, "_") + ".png"
	path := filepath.Join(Artifacts(t), file)
	if err := os.WriteFile(path, pngData, 0o644); err != nil {
		t.Fatalf("save screenshot: %v", err)
	}
	t.Logf("screenshot: %s", path)
	return path
}

// Ink counts the pixels of a PNG that differ clearly from white, i.e. what
// was painted on a white page.
func Ink(pngData []byte) (int, error) {
	img, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		return 0, err
	}
	return inkOf(img), nil
}

func inkOf(img image.Image) int {
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

// Server serves files from 127.0.0.1 for the test: path → content. The
// content type follows the extension. delay holds back the answer for the
// paths it names, so that loads overlap.
type Server struct {
	*httptest.Server
	mu    sync.Mutex
	files map[string][]byte
	delay map[string]time.Duration
	hits  map[string]int
}

// Serve starts a Server; it stops when the test ends.
func Serve(t testing.TB, files map[string][]byte, delay map[string]time.Duration) *Server {
	t.Helper()
	s := &Server{files: map[string][]byte{}, delay: map[string]time.Duration{}, hits: map[string]int{}}
	for k, v := range files {
		s.files[k] = v
	}
	for k, v := range delay {
		s.delay[k] = v
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		body, ok := s.files[r.URL.Path]
		d := s.delay[r.URL.Path]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		if d > 0 {
			time.Sleep(d)
		}
		switch {
		case strings.HasSuffix(r.URL.Path, ".js"):
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		case strings.HasSuffix(r.URL.Path, ".html"):
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(body)
	}))
	t.Cleanup(s.Close)
	return s
}

// Set serves content at path from now on.
func (s *Server) Set(path string, content []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[path] = content
}

// Hits returns how many times path was requested.
func (s *Server) Hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// Get returns what the server serves at path.
func (s *Server) Get(path string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.files[path]
}
