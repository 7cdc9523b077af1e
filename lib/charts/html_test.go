package charts

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/founderlab/founderlab/internal/assets"
)

// prefixOrSkip returns the npm prefix of an installed ECharts, skipping the
// test when there is none outside CI.
func prefixOrSkip(t *testing.T) string {
	t.Helper()
	p, err := EChartsPrefix()
	if err == nil {
		var v string
		if v, err = assets.EChartsInstalled(p); err == nil && v != EChartsVersion {
			err = errors.New("version " + v)
		}
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("ECharts %s not installed (%v); run scripts/charts-test-deps.sh", EChartsVersion, err)
		}
		t.Skipf("ECharts %s not installed (%v); run scripts/charts-test-deps.sh", EChartsVersion, err)
	}
	return p
}

// Every builder's chart is drawn by ECharts itself (server-side, under
// node) and the picture carries its title and labels.
func TestBuildersDrawWithECharts(t *testing.T) {
	prefix := prefixOrSkip(t)
	nodeOrSkip(t)
	tests := []struct {
		name  string
		chart Renderable
		want  []string
	}{
		{"line/elbow", Line("Elbow curve", Col("k", []int{1, 2, 3, 4}), Col("inertia", []float64{90, 40, 25, 21})), []string{"Elbow curve", ">k<", "inertia"}},
		{"line/training with NaN", Line("Training", Col("step", []int{0, 10, 20}), Col("loss", []float64{2, math.NaN(), 0.5}), Col("accuracy", []float64{0.1, 0.5, 0.9})), []string{"Training", "loss", "accuracy"}},
		{"scatter", ScatterBy("Customers", Col("PC1", []float64{1, 2, 3}), Col("PC2", []float64{3, 1, 2}), []string{"Cafés", "Retail", "Cafés"}), []string{"Customers", "PC1", "PC2", "Cafés", "Retail"}},
		{"radar", Radar("Personas", []string{"Fresh", "Milk", "Grocery"}, Col("Cafés", []float64{12000, 3000, 4000}), Col("Retail", []float64{4000, 9000, 14000})), []string{"Personas", "Fresh", "Grocery", "Retail"}},
		{"confusion", ConfusionMatrix("Diagnosis", []string{"flu", "cold"}, [][]int{{41, 3}, {5, 37}}), []string{"Diagnosis", "predicted", "actual", "flu", ">41<", ">37<"}},
		{"heatmap", Heatmap("Corr", []string{"x", "y"}, []string{"u", "v"}, [][]float64{{1, 0.25}, {0.25, 1}}), []string{"Corr", ">0.25<"}},
		{"bar", Bar("Revenue", []string{"Q1", "Q2"}, Col("2025", []float64{3, 4})), []string{"Revenue", ">Q1<", ">Q2<"}},
		{"pie", Pie("Channels", []string{"Horeca", "Retail"}, []float64{298, 142}), []string{"Channels", "Horeca"}},
		{"funnel", Funnel("Conversion", []string{"Visit", "Sign-up", "Paying"}, []float64{1000, 120, 18}), []string{"Conversion", "Sign-up: 120"}},
		{"sankey", Sankey("Acquisition", Link{"Ads", "Trial", 50}, Link{"Referral", "Trial", 30}, Link{"Trial", "Paid", 20}), []string{"Acquisition", "Referral", "Paid"}},
		{"gauge", Gauge("Feasibility", "score", 72, 0, 100), []string{"Feasibility", ">72<", "score"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := inspect(tt.chart)
			if err != nil {
				t.Fatal(err)
			}
			option, err := optionJS(info.optionJSON)
			if err != nil {
				t.Fatal(err)
			}
			img, err := NodeSVG{Prefix: prefix}.RenderStatic(context.Background(), StaticInput{Option: option, Width: 900, Height: 500})
			if err != nil {
				t.Fatal(err)
			}
			svg := string(img.Data)
			for _, w := range tt.want {
				if !strings.Contains(svg, w) {
					t.Errorf("SVG lacks %q", w)
				}
			}
			if n := strings.Count(svg, "<path"); n < 3 {
				t.Errorf("SVG has %d paths; nothing was drawn", n)
			}
			if strings.Contains(svg, "⚠") {
				t.Errorf("valid input reported a problem")
			}
		})
	}
}

// A prefix holding only the files FounderLab installs from a workshop kit
// (assets.EChartsFiles: package.json, LICENSE, echarts.min.js) renders too.
func TestNodeSVGFromKitFiles(t *testing.T) {
	prefix := prefixOrSkip(t)
	kit := t.TempDir()
	for _, rel := range assets.EChartsFiles {
		b, err := os.ReadFile(filepath.Join(prefix, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(kit, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	info, err := inspect(Bar("Kit", []string{"a", "b"}, Col("v", []int{1, 2})))
	if err != nil {
		t.Fatal(err)
	}
	option, err := optionJS(info.optionJSON)
	if err != nil {
		t.Fatal(err)
	}
	img, err := NodeSVG{Prefix: kit}.RenderStatic(context.Background(), StaticInput{Option: option, Width: 400, Height: 300})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(img.Data), "Kit") {
		t.Errorf("SVG lacks the title: %.200s", img.Data)
	}
}

func TestBuildersReportMistakes(t *testing.T) {
	tests := []struct {
		name     string
		subtitle string
		want     string
	}{
		{"line", Line("t", Col("x", []int{1, 2, 3}), Col("y", []int{1, 2})).Title.Subtitle, `series "y" has 2 values for 3 x positions`},
		{"bar", Bar("t", []string{"a"}, Col("y", []int{1, 2})).Title.Subtitle, `series "y" has 2 values for 1 categories`},
		{"pie length", Pie("t", []string{"a", "b"}, []float64{1}).Title.Subtitle, "2 names for 1 values"},
		{"pie negative", Pie("t", []string{"a"}, []float64{-1}).Title.Subtitle, `"a" has negative value -1`},
		{"funnel", Funnel("t", []string{"a"}, []float64{1, 2}).Title.Subtitle, "1 stages for 2 values"},
		{"scatterby", ScatterBy("t", Col("x", []int{1}), Col("y", []int{1, 2}), []int{0}).Title.Subtitle, "1 x, 2 y values and 1 labels"},
		{"scatter", Scatter("t", Group{Name: "g", X: []float64{1}}).Title.Subtitle, `group "g" has 1 x and 0 y values`},
		{"radar", Radar("t", []string{"a", "b"}, Col("p", []int{1})).Title.Subtitle, `series "p" has 1 values for 2 axes`},
		{"heatmap rows", Heatmap("t", []string{"a"}, []string{"r", "s"}, [][]float64{{1}}).Title.Subtitle, "1 rows for 2 row labels"},
		{"heatmap cols", Heatmap("t", []string{"a", "b"}, []string{"r"}, [][]float64{{1}}).Title.Subtitle, "row 0 has 1 values for 2 columns"},
		{"sankey", Sankey("t", Link{"a", "b", 0}).Title.Subtitle, "link a→b has value 0"},
		{"sankey loop", Sankey("t", Link{"a", "a", 1}).Title.Subtitle, "link a→a is a loop"},
		{"gauge", Gauge("t", "v", 120, 0, 100).Title.Subtitle, "value 120 is outside [0, 100]"},
		{"many", Pie("t", []string{"a", "b", "c", "d"}, []float64{-1, -2, -3, -4}).Title.Subtitle, "(and 1 more)"},
	}
	for _, tt := range tests {
		if !strings.HasPrefix(tt.subtitle, "⚠ ") || !strings.Contains(tt.subtitle, tt.want) {
			t.Errorf("%s: subtitle %q, want it to report %q", tt.name, tt.subtitle, tt.want)
		}
	}
	if s := Line("t", Col("x", []int{1}), Col("y", []int{1})).Title.Subtitle; s != "" {
		t.Errorf("valid line has subtitle %q", s)
	}
}

func TestScatterByGroupsInFirstSeenOrder(t *testing.T) {
	c := ScatterBy("t", Col("x", []int{1, 2, 3, 4}), Col("y", []int{5, 6, 7, 8}), []string{"b", "a", "b", "c"})
	var names []string
	for _, s := range c.MultiSeries {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, ","); got != "b,a,c" {
		t.Fatalf("groups %s, want b,a,c", got)
	}
	js := string(c.JSONNotEscaped())
	if !strings.Contains(js, `[1,5]`) || !strings.Contains(js, `[3,7]`) || !strings.Contains(js, `[2,6]`) {
		t.Errorf("points missing from option: %s", js)
	}
}

func TestRadarBounds(t *testing.T) {
	tests := []struct{ lo, hi, wantLo, wantHi float64 }{
		{0, 100, 0, 110},
		{1200, 14000, 0, 16000},
		{-1.5, 2, -1.9, 2.4},
		{5, 5, 0, 5.5},
		{math.Inf(1), math.Inf(-1), 0, 1},
	}
	for _, tt := range tests {
		lo, hi := radarBounds(tt.lo, tt.hi)
		if math.Abs(lo-tt.wantLo) > 1e-9 || math.Abs(hi-tt.wantHi) > 1e-9 {
			t.Errorf("radarBounds(%g, %g) = %g, %g; want %g, %g", tt.lo, tt.hi, lo, hi, tt.wantLo, tt.wantHi)
		}
		if lo > tt.lo || hi < tt.hi && !math.IsInf(tt.hi, -1) {
			t.Errorf("radarBounds(%g, %g) = [%g, %g] does not hold the data", tt.lo, tt.hi, lo, hi)
		}
	}
}

var (
	idAttr  = regexp.MustCompile(`<div id="(flc_[0-9a-f]{16})" class="founderlab-chart"`)
	imgAttr = regexp.MustCompile(`<img id="(flc_[0-9a-f]{16})_static" [^>]*src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)">`)
)

func TestHTMLFragment(t *testing.T) {
	prefix := prefixOrSkip(t)
	nodeOrSkip(t)
	c := Bar("Revenue <Q>", []string{"Q1", "Q2"}, Col("2025", []float64{3, 4}))
	f1, err := HTML(c, EChartsDir(prefix))
	if err != nil {
		t.Fatal(err)
	}
	f2, err := HTML(c, EChartsDir(prefix))
	if err != nil {
		t.Fatal(err)
	}
	m1, m2 := idAttr.FindStringSubmatch(f1), idAttr.FindStringSubmatch(f2)
	if m1 == nil || m2 == nil || m1[1] == m2[1] {
		t.Fatalf("two displays of one chart must have two fresh ids: %v, %v", m1, m2)
	}
	img := imgAttr.FindStringSubmatch(f1)
	if img == nil || img[1] != m1[1] {
		t.Fatalf("fragment lacks its static SVG image")
	}
	svg, err := base64.StdEncoding.DecodeString(img[2])
	if err != nil || !bytes.HasPrefix(svg, []byte("<svg")) || !bytes.Contains(svg, []byte("Revenue &lt;Q&gt;")) {
		t.Errorf("static image is not the chart's SVG (err %v): %.200s", err, svg)
	}
	if !strings.Contains(f1, `alt="Revenue &lt;Q&gt;"`) {
		t.Errorf("alt text is not the escaped title")
	}
	// A fragment carries the library by default, packed, with its license
	// header, in its own script element marked for exports.
	lib := unpackCarrier(t, f1)
	if want, _ := os.ReadFile(LibraryPath(prefix)); !bytes.Equal(lib, want) || !bytes.Contains(lib, []byte("Licensed to the Apache Software Foundation")) {
		t.Errorf("inline fragment does not carry ECharts %s (%d bytes unpacked) with its license header", EChartsVersion, len(lib))
	}
	// The chart element precedes the image, then come the carrier and the
	// chart script.
	iChart, iImg := strings.Index(f1, m1[1]+"_chart"), strings.Index(f1, "<img")
	iCarrier, iScript := strings.Index(f1, `<script type="text/javascript" data-founderlab-echarts="5.4.3">`), strings.LastIndex(f1, "<script")
	if !(iChart < iImg && iImg < iCarrier && iCarrier < iScript) {
		t.Errorf("layout order chart %d, image %d, carrier %d, script %d", iChart, iImg, iCarrier, iScript)
	}
	if n := strings.Count(strings.ToLower(f1), "</script"); n != 2 {
		t.Errorf("fragment has %d </script, want 2 (carrier, chart)", n)
	}
}

// packedPayload finds the base64 of a packed carrier.
var packedPayload = regexp.MustCompile(`atob\("([A-Za-z0-9+/=]+)"\)`)

// unpackCarrier returns the library a fragment's packed carrier holds.
func unpackCarrier(t *testing.T, fragment string) []byte {
	t.Helper()
	m := packedPayload.FindStringSubmatch(fragment)
	if m == nil {
		t.Fatalf("no packed carrier in the fragment:\n%.300s", fragment)
	}
	gz, err := base64.StdEncoding.DecodeString(m[1])
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// In shared mode only the carrier holds the library: a display that is
// not the carrier is small and waits for the page's ECharts.
func TestSharedCarrier(t *testing.T) {
	prefix := prefixOrSkip(t)
	c := Bar("Revenue", []string{"Q1", "Q2"}, Col("2025", []float64{3, 4}))
	with, err := HTML(c, EChartsDir(prefix), NoStatic(), Carrier(true))
	if err != nil {
		t.Fatal(err)
	}
	without, err := HTML(c, EChartsDir(prefix), NoStatic(), Carrier(false))
	if err != nil {
		t.Fatal(err)
	}
	lib, err := os.ReadFile(LibraryPath(prefix))
	if err != nil {
		t.Fatal(err)
	}
	if got := unpackCarrier(t, with); !bytes.Equal(got, lib) || strings.Count(with, `data-founderlab-echarts="5.4.3"`) != 1 {
		t.Errorf("carrier: %d bytes unpacked for a %d-byte library, %d carriers", len(got), len(lib), strings.Count(with, "data-founderlab-echarts"))
	}
	if len(with) > len(lib)/2 {
		t.Errorf("the carrier is %d bytes for a %d-byte library: not packed", len(with), len(lib))
	}
	if len(without) > 8000 || strings.Contains(without, "data-founderlab-echarts") || strings.Contains(without, `t.version="5.4.3"`) {
		t.Errorf("a display that does not carry the library has %d bytes:\n%.400s", len(without), without)
	}
	if !strings.Contains(without, `src = ""`) || !strings.Contains(without, "L.page()") {
		t.Errorf("a display without the library must wait for the page's ECharts:\n%s", without)
	}
	// Shared() outside a notebook session carries the library (no session
	// to share it with); $FOUNDERLAB_CHARTS_ASSETS=shared likewise.
	for _, o := range [][]Option{{Shared()}, nil} {
		if o == nil {
			t.Setenv(EnvAssets, "shared")
		}
		f, err := HTML(c, append(o, EChartsDir(prefix), NoStatic())...)
		if err != nil || strings.Count(f, "data-founderlab-echarts") != 1 {
			t.Errorf("shared fragment outside a session (options %d): err %v, %d carriers", len(o), err, strings.Count(f, "data-founderlab-echarts"))
		}
	}
}

// The first display of a kernel session carries the library: the first
// process to create the marker in $GONB_TMP_DIR wins, a failed display
// gives the claim back, and without a session every display carries.
func TestClaimCarrier(t *testing.T) {
	t.Setenv("GONB_TMP_DIR", "")
	if carry, _ := claimCarrier(); !carry {
		t.Error("without a GoNB session a display must carry the library")
	}
	dir := t.TempDir()
	t.Setenv("GONB_TMP_DIR", dir)
	first, release := claimCarrier()
	second, _ := claimCarrier()
	if !first || second {
		t.Fatalf("first claim %v, second %v; want true, false", first, second)
	}
	release()
	if again, _ := claimCarrier(); !again {
		t.Error("after a released claim the next display must carry the library")
	}
	var wg sync.WaitGroup
	wins := make(chan bool, 16)
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); c, _ := claimCarrier(); wins <- c }()
	}
	wg.Wait()
	close(wins)
	n := 0
	for w := range wins {
		if w {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d concurrent displays claimed the session, want 1", n)
	}
}

func TestDetectFrontend(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want Frontend
	}{
		{nil, Frontend{Name: "jupyter"}},
		{map[string]string{"COLAB_RELEASE_TAG": "release-colab_20250101-060000_RC00"}, Frontend{Name: "colab", IsolatedOutputs: true}},
		{map[string]string{"COLAB_BACKEND_VERSION": "x"}, Frontend{Name: "colab", IsolatedOutputs: true}},
		{map[string]string{"VSCODE_PID": "1234"}, Frontend{Name: "vscode"}},
		{map[string]string{"VSCODE_CWD": "/w"}, Frontend{Name: "vscode"}},
		{map[string]string{"VSCODE_PID": "1234", "TERM_PROGRAM": "vscode"}, Frontend{Name: "jupyter"}},
		{map[string]string{"JPY_PARENT_PID": "9"}, Frontend{Name: "jupyter"}},
	}
	for _, tt := range tests {
		if got := detectFrontend(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("env %v: %+v, want %+v", tt.env, got, tt.want)
		}
	}
	// What Display chooses with no mode set.
	for _, tt := range []struct {
		fe   Frontend
		want AssetMode
	}{{Frontend{Name: "jupyter"}, AssetShared}, {Frontend{Name: "vscode"}, AssetShared}, {Frontend{Name: "colab", IsolatedOutputs: true}, AssetCDN}} {
		cfg, err := newConfig(nil)
		if err != nil {
			t.Fatal(err)
		}
		cfg.forDisplay(tt.fe)
		if cfg.assets != tt.want || (tt.want == AssetCDN && cfg.url != CDNURL) {
			t.Errorf("%s: mode %v (%s), want %v", tt.fe.Name, cfg.assets, cfg.url, tt.want)
		}
	}
	// An explicit mode wins over the front end.
	cfg, _ := newConfig([]Option{Inline()})
	if cfg.forDisplay(Frontend{Name: "colab", IsolatedOutputs: true}); cfg.assets != AssetInline {
		t.Errorf("Inline() in Colab: mode %v", cfg.assets)
	}
	t.Setenv(EnvAssets, "https://mirror.example/e.js")
	cfg, _ = newConfig(nil)
	if cfg.forDisplay(Frontend{Name: "colab", IsolatedOutputs: true}); cfg.assets != AssetURL || cfg.url != "https://mirror.example/e.js" {
		t.Errorf("$%s=URL in Colab: mode %v %s", EnvAssets, cfg.assets, cfg.url)
	}
}

func TestAssetModes(t *testing.T) {
	c := Gauge("g", "v", 1, 0, 2)
	cdn, err := HTML(c, CDN(), NoStatic())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cdn, `src = "`+CDNURL+`"`) || strings.Contains(cdn, `t.version="5.4.3"`) || strings.Contains(cdn, "data-founderlab-echarts") {
		t.Errorf("CDN fragment should load %s and not inline the library", CDNURL)
	}
	u, err := HTML(c, ScriptURL("file:///opt/echarts.min.js"), NoStatic())
	if err != nil || !strings.Contains(u, `src = "file:///opt/echarts.min.js"`) {
		t.Errorf("file URL must be kept (err %v)", err)
	}
	t.Setenv(EnvAssets, "cdn")
	if f, err := HTML(c, NoStatic()); err != nil || !strings.Contains(f, CDNURL) {
		t.Errorf("$%s=cdn: err %v", EnvAssets, err)
	}
	t.Setenv(EnvAssets, "https://mirror.example/echarts.min.js")
	if f, err := HTML(c, NoStatic()); err != nil || !strings.Contains(f, "https://mirror.example/echarts.min.js") {
		t.Errorf("$%s=URL: err %v", EnvAssets, err)
	}
	t.Setenv(EnvAssets, "bogus")
	if _, err := HTML(c, NoStatic()); err == nil || !strings.Contains(err.Error(), EnvAssets) {
		t.Errorf("$%s=bogus: err %v, want an error naming the variable", EnvAssets, err)
	}
	t.Setenv(EnvAssets, "")
	empty := t.TempDir()
	if _, err := HTML(c, EChartsDir(empty), Inline(), NoStatic()); err == nil || !strings.Contains(err.Error(), "founderlab install") {
		t.Errorf("inline without an install: err %v, want advice to run founderlab install", err)
	}
	// The default mode falls back to the CDN (TestNoOfflineEChartsFallsBackToCDN).
	if f, err := HTML(c, EChartsDir(empty), NoStatic()); err != nil || !strings.Contains(f, CDNURL) {
		t.Errorf("default mode without an install: err %v, want the CDN", err)
	}
	if f, err := HTML(c, CDN(), NoStatic(), Size(320, 200)); err != nil || !strings.Contains(f, `host.style.width = "320px"`) || !strings.Contains(f, `host.style.height = "200px"`) {
		t.Errorf("Size(320, 200) not applied (err %v)", err)
	}
}

type pngRenderer struct{ calls int }

func (p *pngRenderer) RenderStatic(ctx context.Context, in StaticInput) (Image, error) {
	p.calls++
	if in.Width != 640 || in.Height != 480 || !strings.HasPrefix(in.Option, "{") {
		return Image{}, errors.New("unexpected input")
	}
	return Image{MIME: "image/png", Data: []byte("\x89PNG fake")}, nil
}

type failingRenderer struct{}

func (failingRenderer) RenderStatic(context.Context, StaticInput) (Image, error) {
	return Image{}, errors.New("boom")
}

func TestStaticRenderers(t *testing.T) {
	c := Pie("p", []string{"a"}, []float64{1})
	r := &pngRenderer{}
	b, err := MIMEBundle(c, CDN(), Static(r), Size(640, 480))
	if err != nil {
		t.Fatal(err)
	}
	if r.calls != 1 || b["image/png"] != base64.StdEncoding.EncodeToString([]byte("\x89PNG fake")) {
		t.Errorf("PNG renderer: %d calls, bundle png %v", r.calls, b["image/png"])
	}
	if _, ok := b["image/svg+xml"]; ok {
		t.Error("bundle has SVG from a PNG renderer")
	}
	if html := b["text/html"].(string); !strings.Contains(html, "data:image/png;base64,") {
		t.Error("fragment does not show the PNG")
	}
	if txt := b["text/plain"]; txt != `<ECharts chart "p">` {
		t.Errorf("text/plain = %v", txt)
	}
	if _, err := MIMEBundle(c, CDN(), Static(failingRenderer{})); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("an explicit static renderer's failure must fail the display: %v", err)
	}
	b, err = MIMEBundle(c, CDN(), NoStatic())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := b[MIMEType]; len(b) != 3 || !ok {
		t.Errorf("NoStatic bundle has %d types, want %s, text/html and text/plain", len(b), MIMEType)
	}
}

// Without node the chart still draws, a text stands where the image would
// be, and the notice is printed once however many charts are shown.
func TestNoNodeNoticeOnce(t *testing.T) {
	cfg, err := newConfig([]Option{CDN()})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	cfg.warn, cfg.notice = &buf, &sync.Once{}
	cfg.static = NodeSVG{Node: filepath.Join(t.TempDir(), "no-node-here")}
	for i := 0; i < 3; i++ {
		r, err := render(Bar("b", []string{"a"}, Col("v", []int{1})), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if r.image != nil || !strings.Contains(r.html, "is drawn by JavaScript, which did not run here") ||
			!strings.Contains(r.html, "no-node-here") || !strings.Contains(r.script, "echarts.init") {
			t.Fatalf("display without node:\n%.600s", r.html)
		}
		if _, ok := r.bundle()["image/svg+xml"]; ok {
			t.Fatal("bundle has an image without a renderer")
		}
	}
	if n := strings.Count(buf.String(), "without a static fallback image"); n != 1 {
		t.Errorf("notice printed %d times, want once:\n%s", n, buf.String())
	}
}

func TestWriteHTML(t *testing.T) {
	prefix := prefixOrSkip(t)
	t.Setenv(EnvEChartsDir, prefix)
	dir := t.TempDir()
	path := filepath.Join(dir, "page.html")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	a := Line("A", Col("x", []int{1, 2}), Col("y", []int{3, 4}))
	b := Pie("B", []string{"u", "v"}, []float64{1, 2})
	if err := WriteHTML(path, a, b); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	if n := strings.Count(s, `t.version="5.4.3"`); n != 1 {
		t.Errorf("page carries ECharts %d times, want once", n)
	}
	if n := len(idAttr.FindAllString(s, -1)); n != 2 {
		t.Errorf("page has %d charts, want 2", n)
	}
	if !strings.HasPrefix(s, "<!DOCTYPE html>") || !strings.Contains(s, "<title>A</title>") {
		t.Errorf("page head: %.200s", s)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after an atomic write, want 1", len(entries))
	}
	if err := WriteHTML(filepath.Join(dir, "missing", "p.html"), a); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
	entries, _ = os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("a failed write left %d entries", len(entries))
	}
}

func TestEChartsPrefix(t *testing.T) {
	t.Setenv(EnvEChartsDir, "/opt/ec")
	if p, _ := EChartsPrefix(); p != "/opt/ec" {
		t.Errorf("with $%s: %q", EnvEChartsDir, p)
	}
	t.Setenv(EnvEChartsDir, "")
	t.Setenv("XDG_DATA_HOME", "/xdg")
	if p, _ := EChartsPrefix(); p != "/xdg/founderlab/echarts" {
		t.Errorf("with $XDG_DATA_HOME: %q", p)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/u")
	if p, _ := EChartsPrefix(); p != "/home/u/.local/share/founderlab/echarts" {
		t.Errorf("default: %q", p)
	}
	if LibraryPath("/p") != "/p/node_modules/echarts/dist/echarts.min.js" || LicensePath("/p") != "/p/node_modules/echarts/LICENSE" {
		t.Error("library or license path")
	}
}

func TestInstallECharts(t *testing.T) {
	prefix := prefixOrSkip(t)
	t.Setenv("PATH", "") // an installed prefix needs no npm and no network
	if err := InstallECharts(context.Background(), prefix); err != nil {
		t.Fatalf("InstallECharts on an installed prefix: %v", err)
	}
	err := InstallECharts(context.Background(), t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "npm not found") {
		t.Errorf("without npm: %v", err)
	}
	if err := InstallECharts(context.Background(), ""); err == nil {
		t.Error("empty prefix accepted")
	}
}

func TestDisplayOutsideNotebook(t *testing.T) {
	if err := Display(Gauge("g", "v", 1, 0, 2)); !errors.Is(err, ErrNotNotebook) {
		t.Errorf("Display outside GoNB: %v, want ErrNotNotebook", err)
	}
	if _, err := HTML(nil); err == nil {
		t.Error("HTML(nil) succeeded")
	}
}

// Without an offline ECharts (no `founderlab install`, or npm missing when
// it ran), a chart in the default mode still displays: it loads ECharts
// from the pinned CDN, and a notice says so once. An explicit inline mode
// still fails, naming the fix.
func TestNoOfflineEChartsFallsBackToCDN(t *testing.T) {
	t.Setenv(EnvEChartsDir, filepath.Join(t.TempDir(), "none"))
	t.Setenv(EnvAssets, "")
	cdnNotice = sync.Once{} // the notice is once per process: let this test see it
	var warn bytes.Buffer
	cfg, err := newConfig([]Option{func(c *config) { c.warn = &warn }})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.auto || cfg.assets != AssetCDN || cfg.url != CDNURL {
		t.Fatalf("mode = %v (auto %v, url %q), want the CDN", cfg.assets, cfg.auto, cfg.url)
	}
	if !strings.Contains(warn.String(), "founderlab install") || !strings.Contains(warn.String(), CDNURL) {
		t.Errorf("notice %q does not name the fix and the CDN", warn.String())
	}
	b, err := MIMEBundle(Bar("b", []string{"a"}, Col("v", []int{1})))
	if err != nil {
		t.Fatalf("a chart without offline ECharts: %v", err)
	}
	if h := b["text/html"].(string); !strings.Contains(h, CDNURL) {
		t.Errorf("the chart does not load ECharts from the CDN: %.300s", h)
	}
	if _, err := MIMEBundle(Bar("b", []string{"a"}, Col("v", []int{1})), Inline()); err == nil || !strings.Contains(err.Error(), "founderlab install") {
		t.Errorf("explicit inline without ECharts: %v", err)
	}
}
