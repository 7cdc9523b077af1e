package charts

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	ec "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/event"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// jsIdent is the syntax of a JavaScript identifier made of ASCII.
var jsIdent = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

func TestNewIDFormatAndUniqueness(t *testing.T) {
	const n = 20000
	seen := make(map[string]bool, n)
	for i := 0; i < n; i++ {
		id, err := newID()
		if err != nil {
			t.Fatal(err)
		}
		if !idPattern.MatchString(id) || !jsIdent.MatchString(id) {
			t.Fatalf("id %q is not of the form flc_<16 hex> or not a JS identifier", id)
		}
		for _, suffix := range []string{"_chart", "_static", "_note"} {
			if !jsIdent.MatchString(id + suffix) {
				t.Fatalf("derived id %q is not a JS identifier", id+suffix)
			}
		}
		if seen[id] {
			t.Fatalf("id %q repeated after %d ids", id, i)
		}
		seen[id] = true
	}
}

func TestOptionJS(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		want    string
		wantErr string
	}{
		{"plain", `{"a":1,"b":[true,null]}`, `{"a":1,"b":[true,null]}`, ""},
		{"function", `{"formatter":"__f__function (p) { return \"x\" + p.value; }__f__"}`,
			`{"formatter":(function (p) { return "x" + p.value; })}`, ""},
		{"script end in string", `{"text":"</script><b>&"}`, `{"text":"\u003c/script\u003e\u003cb\u003e\u0026"}`, ""},
		{"script end in function", `{"f":"__f__function(){ return '</script>'; }__f__"}`, `{"f":(function(){ return '<\/script>'; })}`, ""},
		{"line separator", "{\"t\":\"a\u2028b\"}", `{"t":"a\u2028b"}`, ""},
		{"marker only inside", `{"t":"say __f__ here"}`, `{"t":"say __f__ here"}`, ""},
		{"escaped quotes in keys", `{"a\"b":"c"}`, `{"a\"b":"c"}`, ""},
		{"empty", "", "", "encode to nothing"},
		{"null", "null\n", "", "encode to nothing"},
		{"invalid", `{"a":}`, "", "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := optionJS(tt.json)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("optionJS(%q) error = %v, want containing %q", tt.json, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("optionJS(%q)\n got %s\nwant %s", tt.json, got, tt.want)
			}
		})
	}
}

// A chart with NaN (built without the builders) is reported, not drawn blank.
func TestNaNChartIsAnError(t *testing.T) {
	bar := ec.NewBar()
	bar.SetXAxis([]string{"a"}).AddSeries("s", []opts.BarData{{Value: nanValue()}})
	_, err := HTML(bar, CDN(), NoStatic())
	if err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Fatalf("HTML of a NaN chart: err = %v, want a NaN error", err)
	}
}

func nanValue() float64 {
	zero := 0.0
	return zero / zero
}

func TestChartScriptShape(t *testing.T) {
	id, _ := newID()
	s := chartScript{ID: id, Option: `{"a":1}`, Theme: "white", Renderer: "canvas", Width: "900px", Height: "500px", Src: CDNURL}
	js, err := s.render()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(js, "(function () {\n") || !strings.HasSuffix(js, "})();\n") {
		t.Errorf("script is not one function scope:\n%s", js)
	}
	if strings.Count(js, id) != 1 {
		t.Errorf("the id should appear once, as a string: %d times", strings.Count(js, id))
	}
	if _, err := (chartScript{ID: "bad id"}).render(); err == nil {
		t.Error("render accepted an invalid id")
	}
	if lc := strings.ToLower(js); strings.Contains(lc, "</script") {
		t.Error("script contains </script")
	}
}

// nodeOrSkip returns node's path, skipping the test when node is absent
// outside CI.
func nodeOrSkip(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("node not found (CI=%s requires it; run scripts/charts-test-deps.sh): %v", os.Getenv("CI"), err)
		}
		t.Skipf("node not found: %v (run scripts/charts-test-deps.sh)", err)
	}
	return p
}

// runNode runs js under node and decodes its last stdout line as JSON into v.
func runNode(t *testing.T, js string, v any) {
	t.Helper()
	node := nodeOrSkip(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "-")
	cmd.Stdin = strings.NewReader(js)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("node: %v\n%s", err, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), v); err != nil {
		t.Fatalf("node output %q: %v\nstderr: %s", out.String(), err, errb.String())
	}
}

// fakeDOM is a node harness: a vm context with window, document and
// elements that record what scripts do to them.
const fakeDOM = `
const vm = require("vm");
function makeContext() {
  const appended = [];
  const elements = {};
  const el = (id) => elements[id] || (elements[id] = {id, style: {}, attrs: {}, textContent: "",
      setAttribute(k, v) { this.attrs[k] = v; }, getAttribute(k) { return this.attrs[k]; }});
  const ctx = {Promise, setTimeout, clearTimeout, console, JSON, Error};
  ctx.window = ctx;
  ctx.document = {
    head: {appendChild(s) { appended.push(s); }},
    createElement(tag) { return {tag}; },
    getElementById(id) { return elements[id] || null; },
  };
  vm.createContext(ctx);
  return {ctx, appended, elements, el};
}
function fakeECharts(log) {
  return {init(host, theme, o) {
    log.push(["init", host.id, theme, o.renderer]);
    return {setOption(opt) { log.push(["setOption", opt]); },
            on(name, a, b) { log.push(["on", name, typeof (b || a)]); },
            resize() {}};
  }};
}
`

func TestLoaderText(t *testing.T) {
	harness := fakeDOM + "const loader = " + jsString(loaderJS) + ";\n" + `
const define = (ctx) => vm.runInContext(loader + "; L", ctx);
(async () => {
  const out = {};
  // 1. echarts already global: page() and load() resolve with no load at all.
  {
    const {ctx, appended} = makeContext();
    ctx.echarts = {init() {}, tag: "global"};
    const L = define(ctx);
    const a = await L.page();
    const b = await L.load("http://x/e.js");
    out.global = {a: a.tag, b: b.tag, appended: appended.length};
  }
  // 2. the page provides: charts wait until a carrier calls provide().
  {
    const {ctx} = makeContext();
    const L = define(ctx);
    const again = define(ctx); // a second display re-defines nothing
    const got = [];
    L.page().then((e) => got.push("first:" + e.tag));
    again.page().then((e) => got.push("second:" + e.tag));
    await new Promise((r) => setTimeout(r, 5));
    const before = got.length;
    L.provide(); // no echarts yet: nothing happens
    await new Promise((r) => setTimeout(r, 5));
    const early = got.length;
    ctx.echarts = {init() {}, tag: "carried"};
    L.provide();
    await new Promise((r) => setTimeout(r, 5));
    const late = await L.page();
    out.page = {same: L === again, before, early, got, late: late.tag, waiting: L.waiting.length};
  }
  // 3. a URL: two charts share one promise and one <script>; the load also
  //    serves the charts waiting for the page.
  {
    const {ctx, appended} = makeContext();
    const L = define(ctx);
    let waiter = "";
    L.page().then((e) => { waiter = e.tag; });
    const p1 = L.load("http://x/e.js");
    const p2 = L.load("http://x/e.js");
    const same = p1 === p2;
    ctx.echarts = {init() {}, tag: "loaded"};
    appended[0].onload();
    const [a, b] = await Promise.all([p1, p2]);
    await new Promise((r) => setTimeout(r, 5));
    out.inflight = {same, appended: appended.length, src: appended[0].src, async: appended[0].async, a: a.tag, b: b.tag, waiter};
  }
  // 4. require.js present: load through require([url]), never a <script>.
  {
    const {ctx, appended} = makeContext();
    const asked = [];
    ctx.define = function () {}; ctx.define.amd = {};
    ctx.require = function (deps, ok, fail) { asked.push(deps); setTimeout(() => ok({init() {}, tag: "amd"}), 1); };
    const L = define(ctx);
    const p1 = L.load("http://x/e.js");
    const p2 = L.load("http://x/e.js");
    const ec = await p1; await p2;
    out.amd = {deps: asked, appended: appended.length, tag: ec.tag, global: ctx.echarts && ctx.echarts.tag};
  }
  // 5. a failed load rejects, then a later chart may try again.
  {
    const {ctx, appended} = makeContext();
    const L = define(ctx);
    let msg = "";
    const p1 = L.load("http://x/e.js");
    appended[0].onerror();
    try { await p1; } catch (e) { msg = e.message; }
    await new Promise((r) => setTimeout(r, 1));
    const p2 = L.load("http://x/e.js");
    out.retry = {msg, fresh: p1 !== p2, appended: appended.length};
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`
	var got struct {
		Global struct {
			A, B     string
			Appended int
		}
		Page struct {
			Same          bool
			Before, Early int
			Got           []string
			Late          string
			Waiting       int
		}
		Inflight struct {
			Same     bool
			Appended int
			Src      string
			Async    bool
			A, B     string
			Waiter   string
		}
		Amd struct {
			Deps     [][]string
			Appended int
			Tag      string
			Global   string
		}
		Retry struct {
			Msg      string
			Fresh    bool
			Appended int
		}
	}
	runNode(t, harness, &got)
	if got.Global.A != "global" || got.Global.B != "global" || got.Global.Appended != 0 {
		t.Errorf("global echarts: got %+v, want the global object and no script", got.Global)
	}
	if !got.Page.Same || got.Page.Before != 0 || got.Page.Early != 0 || strings.Join(got.Page.Got, ",") != "first:carried,second:carried" ||
		got.Page.Late != "carried" || got.Page.Waiting != 0 {
		t.Errorf("waiting for the page: got %+v, want both charts served by provide() once echarts exists", got.Page)
	}
	if !got.Inflight.Same || got.Inflight.Appended != 1 || got.Inflight.Src != "http://x/e.js" || !got.Inflight.Async ||
		got.Inflight.A != "loaded" || got.Inflight.B != "loaded" || got.Inflight.Waiter != "loaded" {
		t.Errorf("in-flight load: got %+v, want one shared promise, one async script, the waiter served", got.Inflight)
	}
	if len(got.Amd.Deps) != 1 || len(got.Amd.Deps[0]) != 1 || got.Amd.Deps[0][0] != "http://x/e.js" ||
		got.Amd.Appended != 0 || got.Amd.Tag != "amd" || got.Amd.Global != "amd" {
		t.Errorf("require.js: got %+v, want one require([url]) and window.echarts set", got.Amd)
	}
	if !strings.Contains(got.Retry.Msg, "could not load ECharts from http://x/e.js") || !got.Retry.Fresh || got.Retry.Appended != 2 {
		t.Errorf("retry after failure: got %+v", got.Retry)
	}
}

// The carrier runs the library with define, exports and module hidden
// (require.js and CommonJS-like pages), only when the page has no ECharts
// yet, and then serves the charts that were waiting.
func TestCarrierScript(t *testing.T) {
	lib := `runs.push([typeof define, typeof exports, typeof module]); this.echarts = {init() {}, tag: "carried"};`
	el := carrierScript(lib)
	if !strings.HasPrefix(el, `<script type="text/javascript" data-founderlab-echarts="5.4.3">`) || !strings.HasSuffix(el, "</script>\n") {
		t.Fatalf("carrier element:\n%s", el)
	}
	body := strings.TrimSuffix(el[strings.Index(el, ">")+1:], "</script>\n")
	harness := fakeDOM + "const loader = " + jsString(loaderJS) + ";\nconst carrier = " + jsString(body) + ";\n" + `
(async () => {
  const {ctx} = makeContext();
  ctx.runs = [];
  ctx.define = function () { throw new Error("define must not be called"); }; ctx.define.amd = {};
  ctx.exports = {}; ctx.module = {exports: {}};
  const L = vm.runInContext(loader + "; L", ctx);
  let served = "";
  L.page().then((e) => { served = e.tag; });
  vm.runInContext(carrier, ctx);
  vm.runInContext(carrier, ctx); // a second carrier on the page does not run the library again
  await new Promise((r) => setTimeout(r, 5));
  // A carrier that runs before any chart defined the loader still sets the global.
  const fresh = makeContext().ctx;
  fresh.runs = [];
  vm.runInContext(carrier, fresh);
  console.log(JSON.stringify({runs: ctx.runs, served, tag: ctx.echarts.tag, fresh: fresh.echarts && fresh.echarts.tag}));
})().catch((e) => { console.error(e); process.exit(1); });
`
	var got struct {
		Runs   [][]string
		Served string
		Tag    string
		Fresh  string
	}
	runNode(t, harness, &got)
	if len(got.Runs) != 1 || strings.Join(got.Runs[0], ",") != "undefined,undefined,undefined" {
		t.Errorf("library runs %v, want once with define, exports and module hidden", got.Runs)
	}
	if got.Served != "carried" || got.Tag != "carried" || got.Fresh != "carried" {
		t.Errorf("carrier: %+v", got)
	}
}

// A chart whose page has no ECharts yet shows its static image, says
// "static" after a while, and draws when a carrier provides the library
// (a cell further up rendered late, as JupyterLab's windowing does).
func TestChartScriptWaitsForPage(t *testing.T) {
	id, _ := newID()
	s := chartScript{ID: id, Option: `{"title":{"text":"w"}}`, Theme: "white", Renderer: "canvas", Width: "90px", Height: "50px"}
	js, err := s.render()
	if err != nil {
		t.Fatal(err)
	}
	harness := fakeDOM + "const script = " + jsString(js) + ";\nconst id = " + jsString(id) + ";\n" + `
(async () => {
  const {ctx, el, elements} = makeContext();
  const timers = [];
  ctx.setTimeout = (f, ms) => { timers.push({f, ms}); return timers.length; };
  ctx.clearTimeout = (n) => { if (timers[n - 1]) timers[n - 1].cleared = true; };
  el(id); el(id + "_chart"); el(id + "_static"); el(id + "_note");
  elements[id].attrs["data-founderlab-chart"] = "pending";
  vm.runInContext(script, ctx);
  await new Promise((r) => setTimeout(r, 5));
  const first = elements[id].attrs["data-founderlab-chart"];
  const ms = timers.length ? timers[0].ms : 0;
  timers[0].f();
  const later = elements[id].attrs["data-founderlab-chart"];
  const staticShown = elements[id + "_static"].style.display || "";
  const log = [];
  ctx.echarts = fakeECharts(log);
  ctx.__founderlabCharts.provide();
  await new Promise((r) => setTimeout(r, 5));
  console.log(JSON.stringify({first, ms, later, staticShown, drawn: elements[id].attrs["data-founderlab-chart"],
    init: log.length > 0, staticAfter: elements[id + "_static"].style.display, note: elements[id + "_note"].textContent}));
})().catch((e) => { console.error(e); process.exit(1); });
`
	var got struct {
		First, Later, StaticShown, Drawn, StaticAfter, Note string
		MS                                                  int
		Init                                                bool
	}
	runNode(t, harness, &got)
	if got.First != "pending" || got.MS != staticAfterMS || got.Later != "static" || got.StaticShown == "none" {
		t.Errorf("while waiting: %+v, want pending, then static after %d ms with the image shown", got, staticAfterMS)
	}
	if got.Drawn != "drawn" || !got.Init || got.StaticAfter != "none" || got.Note != "" {
		t.Errorf("after the library arrived: %+v", got)
	}
}

// TestChartScriptRuns runs a whole chart script against a fake DOM: it
// must draw through echarts.init, keep functions in the option, register
// event handlers on the instance, hide the fallback, mark the container and
// leak no global but the shared loader's.
func TestChartScriptRuns(t *testing.T) {
	bar := ec.NewBar()
	bar.SetGlobalOptions(
		ec.WithTitleOpts(opts.Title{Title: "t"}),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Formatter: opts.FuncOpts("function (p) { return '</script>' + p.name; }")}),
		ec.WithEventListeners(event.Listener{EventName: "click", Handler: opts.FuncOpts("function (p) { %MY_ECHARTS%.resize(); }")}),
	)
	bar.SetXAxis([]string{"a", "b"}).AddSeries("n", []opts.BarData{{Value: 1}, {Value: 2}})
	cfg, err := newConfig([]Option{CDN(), NoStatic()})
	if err != nil {
		t.Fatal(err)
	}
	r, err := render(bar, cfg)
	if err != nil {
		t.Fatal(err)
	}
	harness := fakeDOM + "const script = " + jsString(r.script) + ";\nconst id = " + jsString(r.id) + ";\n" + `
(async () => {
  const {ctx, el, elements} = makeContext();
  const log = [];
  ctx.echarts = fakeECharts(log);
  el(id); el(id + "_chart"); el(id + "_static");
  const before = new Set(Object.keys(ctx));
  vm.runInContext(script, ctx);
  vm.runInContext(script.split(id).join(id), ctx); // the same script twice: no redeclaration error
  await new Promise((r) => setTimeout(r, 5));
  const leaked = Object.keys(ctx).filter((k) => !before.has(k));
  const opt = log.find((e) => e[0] === "setOption")[1];
  console.log(JSON.stringify({
    init: log.find((e) => e[0] === "init"),
    formatter: typeof opt.tooltip.formatter,
    formatted: opt.tooltip.formatter({name: "x"}),
    on: log.filter((e) => e[0] === "on"),
    staticDisplay: elements[id + "_static"].style.display,
    width: elements[id + "_chart"].style.width,
    state: elements[id].attrs["data-founderlab-chart"],
    leaked,
  }));
})().catch((e) => { console.error(e); process.exit(1); });
`
	var got struct {
		Init          []any
		Formatter     string
		Formatted     string
		On            [][]any
		StaticDisplay string
		Width         string
		State         string
		Leaked        []string
	}
	runNode(t, harness, &got)
	if len(got.Init) != 4 || got.Init[1] != r.id+"_chart" || got.Init[2] != "white" || got.Init[3] != "canvas" {
		t.Errorf("init = %v, want on %s_chart with theme white, canvas", got.Init, r.id)
	}
	if got.Formatter != "function" || got.Formatted != "</script>x" {
		t.Errorf("tooltip formatter: type %q, result %q; want a function returning </script>x", got.Formatter, got.Formatted)
	}
	if len(got.On) != 2 || got.On[0][1] != "click" || got.On[0][2] != "function" {
		t.Errorf("event handlers = %v, want click handlers from both runs", got.On)
	}
	if got.StaticDisplay != "none" || got.State != "drawn" || got.Width != "900px" {
		t.Errorf("after drawing: static display %q, state %q, width %q", got.StaticDisplay, got.State, got.Width)
	}
	for _, k := range got.Leaked {
		if k != "__founderlabCharts" {
			t.Errorf("the chart script leaked global %q", k)
		}
	}
}

// A script that runs while its output is not in the document (front ends
// that build outputs detached) finds its elements through its parent.
func TestChartScriptDetached(t *testing.T) {
	id, _ := newID()
	s := chartScript{ID: id, Option: `{"title":{"text":"d"}}`, Theme: "white", Renderer: "canvas", Width: "90px", Height: "50px", Src: CDNURL}
	js, err := s.render()
	if err != nil {
		t.Fatal(err)
	}
	harness := fakeDOM + "const script = " + jsString(js) + ";\nconst id = " + jsString(id) + ";\n" + `
(async () => {
  const {ctx} = makeContext();
  const log = [];
  ctx.echarts = fakeECharts(log);
  // Detached elements: document.getElementById finds none of them.
  const mk = (eid) => ({id: eid, style: {}, attrs: {}, setAttribute(k, v) { this.attrs[k] = v; }});
  const kids = {[id + "_chart"]: mk(id + "_chart"), [id + "_static"]: mk(id + "_static")};
  const box = mk(id);
  box.querySelector = (sel) => kids[sel.slice(1)] || null;
  ctx.document.currentScript = {parentNode: box};
  vm.runInContext(script, ctx);
  await new Promise((r) => setTimeout(r, 5));
  console.log(JSON.stringify({init: log.length > 0 && log[0][1], state: box.attrs["data-founderlab-chart"],
    staticDisplay: kids[id + "_static"].style.display}));
})().catch((e) => { console.error(e); process.exit(1); });
`
	var got struct{ Init, State, StaticDisplay string }
	runNode(t, harness, &got)
	if got.Init != id+"_chart" || got.State != "drawn" || got.StaticDisplay != "none" {
		t.Errorf("detached output: %+v", got)
	}
}

// A chart whose ECharts cannot load keeps its fallback and says why.
func TestChartScriptFailureKeepsFallback(t *testing.T) {
	id, _ := newID()
	s := chartScript{ID: id, Option: `{}`, Theme: "white", Renderer: "canvas", Width: "9px", Height: "9px", Src: "http://unreachable.invalid/e.js"}
	js, err := s.render()
	if err != nil {
		t.Fatal(err)
	}
	harness := fakeDOM + "const script = " + jsString(js) + ";\nconst id = " + jsString(id) + ";\n" + `
(async () => {
  const {ctx, el, elements, appended} = makeContext();
  ctx.console = {error() {}};
  el(id); el(id + "_chart"); el(id + "_static"); el(id + "_note");
  vm.runInContext(script, ctx);
  appended[0].onerror();
  await new Promise((r) => setTimeout(r, 5));
  console.log(JSON.stringify({
    state: elements[id].attrs["data-founderlab-chart"],
    staticDisplay: elements[id + "_static"].style.display || "",
    note: elements[id + "_note"].textContent,
    noteDisplay: elements[id + "_note"].style.display,
  }));
})().catch((e) => { console.error(e); process.exit(1); });
`
	var got struct{ State, StaticDisplay, Note, NoteDisplay string }
	runNode(t, harness, &got)
	if got.State != "failed" || got.StaticDisplay == "none" || got.NoteDisplay != "block" ||
		!strings.Contains(got.Note, "could not load ECharts") || !strings.Contains(got.Note, "static image") {
		t.Errorf("after a failed load: %+v", got)
	}
}

// The packed carrier unpacks the library with the browser's
// DecompressionStream, runs it with define, exports and module hidden,
// once per page, and serves the charts waiting; without
// DecompressionStream it leaves the page alone.
func TestPackedCarrierScript(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(`runs.push([typeof define, typeof exports, typeof module]); this.echarts = {init() {}, tag: "unpacked </script>"};`))
	zw.Close()
	el := packedCarrierScript(base64.StdEncoding.EncodeToString(gz.Bytes()))
	if strings.Count(strings.ToLower(el), "</script") != 1 || !strings.HasPrefix(el, `<script type="text/javascript" data-founderlab-echarts="5.4.3">`) {
		t.Fatalf("packed carrier element:\n%s", el)
	}
	body := strings.TrimSuffix(el[strings.Index(el, ">")+1:], "</script>\n")
	harness := fakeDOM + "const loader = " + jsString(loaderJS) + ";\nconst carrier = " + jsString(body) + ";\n" + `
const web = (ctx) => Object.assign(ctx, {atob, Uint8Array, Blob, Response, DecompressionStream});
(async () => {
  const {ctx} = makeContext();
  web(ctx);
  ctx.runs = [];
  ctx.define = function () { throw new Error("define must not be called"); }; ctx.define.amd = {};
  const L = vm.runInContext(loader + "; L", ctx);
  let served = "";
  L.page().then((e) => { served = e.tag; });
  vm.runInContext(carrier, ctx);
  vm.runInContext(carrier, ctx); // a second carrier while the first unpacks
  for (let i = 0; i < 100 && !served; i++) await new Promise((r) => setTimeout(r, 10));
  vm.runInContext(carrier, ctx); // and one after: the page has ECharts
  await new Promise((r) => setTimeout(r, 20));
  const old = makeContext().ctx; // a browser without DecompressionStream
  Object.assign(old, {atob, Uint8Array, Blob, Response});
  old.console = {error(...a) { old.logged = a.join(" "); }};
  vm.runInContext(carrier, old);
  console.log(JSON.stringify({runs: ctx.runs, served, unpacking: !!ctx.__founderlabChartsUnpacking,
    old: typeof old.echarts, logged: old.logged || ""}));
})().catch((e) => { console.error(e); process.exit(1); });
`
	var got struct {
		Runs      [][]string
		Served    string
		Unpacking bool
		Old       string
		Logged    string
	}
	runNode(t, harness, &got)
	if len(got.Runs) != 1 || strings.Join(got.Runs[0], ",") != "undefined,undefined,undefined" {
		t.Errorf("library runs %v, want once with define, exports and module hidden", got.Runs)
	}
	if got.Served != "unpacked </script>" || got.Unpacking {
		t.Errorf("served %q, still unpacking %v", got.Served, got.Unpacking)
	}
	if got.Old != "undefined" || !strings.Contains(got.Logged, "no DecompressionStream") {
		t.Errorf("without DecompressionStream: echarts %s, logged %q", got.Old, got.Logged)
	}
}
