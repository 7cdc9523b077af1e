package charts

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// funcMarker delimits a JavaScript function inside a go-echarts JSON string
// (opts.FuncOpts wraps the code as "__f__<code>__f__").
const funcMarker = "__f__"

// newID returns a fresh DOM id for one display: "flc_" and 16 random hex
// digits, a valid HTML id and JavaScript identifier, so that re-running a
// cell or showing two charts in one cell never reuses an element.
func newID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("charts: new chart id: %w", err)
	}
	return "flc_" + hex.EncodeToString(b[:]), nil
}

// idPattern is what newID produces.
var idPattern = regexp.MustCompile(`^flc_[0-9a-f]{16}$`)

// optionJS turns the JSON of a go-echarts option into a JavaScript
// expression that is safe inside an HTML <script> element: every string
// marked as a function ("__f__…__f__") becomes that code, and every other
// string is re-encoded with <, > and & escaped, so that no value can close
// the script element.
func optionJS(optionJSON string) (string, error) {
	src := strings.TrimSpace(optionJSON)
	if src == "" || src == "null" {
		return "", errors.New("charts: chart options encode to nothing (a NaN or Inf value, or a value JSON cannot encode)")
	}
	if !json.Valid([]byte(src)) {
		return "", fmt.Errorf("charts: chart options are not valid JSON: %.80q", src)
	}
	var out strings.Builder
	for i := 0; i < len(src); {
		c := src[i]
		if c != '"' {
			out.WriteByte(c)
			i++
			continue
		}
		end := stringEnd(src, i)
		var s string
		if err := json.Unmarshal([]byte(src[i:end]), &s); err != nil {
			return "", fmt.Errorf("charts: chart options: string at byte %d: %w", i, err)
		}
		if code, ok := funcCode(s); ok {
			out.WriteString("(" + escapeScriptEnd(code) + ")")
		} else {
			out.WriteString(jsString(s))
		}
		i = end
	}
	return out.String(), nil
}

// stringEnd returns the index just past the JSON string literal starting at
// src[start] == '"'. src is valid JSON.
func stringEnd(src string, start int) int {
	for i := start + 1; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(src)
}

// funcCode returns the code of a go-echarts function string.
func funcCode(s string) (string, bool) {
	if len(s) >= 2*len(funcMarker) && strings.HasPrefix(s, funcMarker) && strings.HasSuffix(s, funcMarker) {
		return strings.TrimSpace(s[len(funcMarker) : len(s)-len(funcMarker)]), true
	}
	return "", false
}

// stripFuncMarkers returns go-echarts code (event handlers, JS functions)
// without its function markers.
func stripFuncMarkers(s string) string {
	return strings.ReplaceAll(s, funcMarker, "")
}

// jsString encodes s as a JavaScript string literal safe inside <script>:
// encoding/json escapes <, >, &, U+2028 and U+2029.
func jsString(s string) string {
	b, _ := json.Marshal(s) // a string always encodes
	return string(b)
}

var scriptEnd = regexp.MustCompile(`(?i)</(script)`)

// escapeScriptEnd rewrites "</script" as "<\/script", which means the same
// in JavaScript strings, regular expressions and comments but does not end
// the HTML script element.
func escapeScriptEnd(code string) string {
	return scriptEnd.ReplaceAllString(code, `<\/$1`)
}

// toMap converts v to a generic JSON object map.
func toMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

// loaderJS is the ECharts loader shared by every display. It defines
// window.__founderlabCharts once per page, with
//   - page(): a promise of the echarts object that the page provides: an
//     earlier chart's carrier, a page <script>, the JupyterLab extension.
//     It resolves at once when window.echarts exists, else when a carrier
//     calls provide(); it never rejects (the static image stays meanwhile);
//   - load(src): a promise of ECharts loaded from a URL, one per URL and
//     page, so that two charts never load ECharts twice or race. When
//     require.js is present (classic Notebook 6, nbconvert HTML) the URL is
//     loaded with require([src]), so that ECharts' UMD wrapper registers
//     with require.js instead of failing with "mismatched anonymous
//     define()". A failed load forgets its promise so that a later chart
//     can try again;
//   - provide(): called by a carrier once window.echarts exists; it
//     resolves every chart waiting in page().
const loaderJS = `var L = window.__founderlabCharts;
if (!L) {
  L = window.__founderlabCharts = {waiting: [], loads: {}};
  L.ready = function () {
    var e = window.echarts;
    return e && typeof e.init === "function" ? e : null;
  };
  L.provide = function () {
    var e = L.ready();
    if (!e) { return; }
    var w = L.waiting;
    L.waiting = [];
    for (var i = 0; i < w.length; i++) { w[i](e); }
  };
  L.page = function () {
    return new Promise(function (resolve) {
      var e = L.ready();
      if (e) { resolve(e); } else { L.waiting.push(resolve); }
    });
  };
  L.load = function (src) {
    if (L.ready()) { return Promise.resolve(L.ready()); }
    if (L.loads[src]) { return L.loads[src]; }
    var p = new Promise(function (resolve, reject) {
      var done = function (what) {
        if (L.ready()) { L.provide(); resolve(L.ready()); } else { reject(new Error(what)); }
      };
      var amd = typeof window.require === "function" && typeof window.define === "function" && window.define.amd;
      if (amd) {
        window.require([src], function (ec) {
          if (!L.ready() && ec && typeof ec.init === "function") { window.echarts = ec; }
          done("require.js loaded " + src + " but it is not ECharts");
        }, function (err) { reject(new Error("require.js could not load ECharts from " + src + ": " + err)); });
        return;
      }
      var s = document.createElement("script");
      s.src = src;
      s.async = true;
      s.onload = function () { done(src + " did not define window.echarts"); };
      s.onerror = function () { reject(new Error("could not load ECharts from " + src)); };
      (document.head || document.documentElement).appendChild(s);
    });
    L.loads[src] = p;
    p.catch(function () { if (L.loads[src] === p) { delete L.loads[src]; } });
    return p;
  };
}
`

// staticAfterMS is how long a chart waits for the page's ECharts before it
// marks itself data-founderlab-chart="static": its static image is what
// the reader sees, and it still draws when the library arrives.
const staticAfterMS = 4000

// carrierAttr marks the script element that carries the library, so that
// exports can keep one copy per file (kernel/notebook does).
const carrierAttr = "data-founderlab-echarts"

// carrierScript returns the <script> element that carries the library lib
// (echarts.min.js, made safe by readLibrary) as it is: it runs the library
// unless the page already has ECharts, with define, exports and module
// hidden so that its UMD wrapper sets window.echarts even under require.js
// or CommonJS-like globals, and then hands it to the charts waiting on the
// page. Pages written by [WritePage] carry it so, in their head.
func carrierScript(lib string) string {
	return "<script type=\"text/javascript\" " + carrierAttr + "=\"" + EChartsVersion + "\">\n" +
		"(function (define, exports, module) {\n" +
		"if (window.echarts && typeof window.echarts.init === \"function\") { return; }\n" +
		lib + "\n}).call(window);\n" +
		"if (window.__founderlabCharts) { window.__founderlabCharts.provide(); }\n" +
		"</script>\n"
}

// packedCarrierScript returns the <script> element that carries the
// library in notebook outputs: gzip-compressed and base64-encoded (packLibrary,
// 440 KB instead of 1 MB). Unless the page already has ECharts or another
// carrier is unpacking it, it decodes the library with the browser's
// DecompressionStream, runs it as carrierScript does (define, exports and
// module hidden) and hands it to the charts waiting on the page. Where the
// browser cannot unpack it (no DecompressionStream, or a policy that
// forbids running code made from a string) the charts keep their static
// images.
func packedCarrierScript(b64 string) string {
	return "<script type=\"text/javascript\" " + carrierAttr + "=\"" + EChartsVersion + "\">\n" +
		`(function () {
var w = window;
var ready = function () { return w.echarts && typeof w.echarts.init === "function"; };
if (ready() || w.__founderlabChartsUnpacking) { return; }
var fail = function (err) {
  w.__founderlabChartsUnpacking = false;
  if (w.console) { w.console.error("founderlab charts: cannot unpack ECharts; charts show their static images:", err); }
};
if (typeof w.DecompressionStream !== "function") { fail("no DecompressionStream in this browser"); return; }
w.__founderlabChartsUnpacking = true;
var s = w.atob("` + b64 + `");
var b = new Uint8Array(s.length);
for (var i = 0; i < s.length; i++) { b[i] = s.charCodeAt(i); }
new w.Response(new w.Blob([b]).stream().pipeThrough(new w.DecompressionStream("gzip"))).text().then(function (src) {
  if (!ready()) { new Function("define", "exports", "module", src + "\n//# sourceURL=echarts-` + EChartsVersion + `.min.js").call(w); }
  w.__founderlabChartsUnpacking = false;
  if (w.__founderlabCharts) { w.__founderlabCharts.provide(); }
}).catch(fail);
})();
</script>
`
}

// chartScript is the script of one display: it runs in its own function
// scope, obtains ECharts through the shared loader (from Src, or from the
// page), draws the chart in the element <id>_chart, hides the static
// fallback <id>_static and marks the container data-founderlab-chart=
// "drawn". Until then the static image shows; after staticAfterMS without
// the library the container says "static". On a failed load it keeps the
// fallback visible, writes the reason in <id>_note and marks "failed".
type chartScript struct {
	ID       string // DOM id of the container; newID's form
	Option   string // JavaScript expression of the option (optionJS)
	Theme    string
	Renderer string // "canvas" or "svg"
	Width    string // CSS length
	Height   string // CSS length
	Src      string // URL of echarts.min.js, or "" to take it from the page
	Extra    []string
}

// render returns the JavaScript (without the <script> tags).
func (s chartScript) render() (string, error) {
	if !idPattern.MatchString(s.ID) {
		return "", fmt.Errorf("charts: invalid chart id %q", s.ID)
	}
	var b strings.Builder
	b.WriteString("(function () {\n")
	b.WriteString(loaderJS)
	fmt.Fprintf(&b, "var id = %s, src = %s;\n", jsString(s.ID), jsString(s.Src))
	// The container is the script's parent when the script runs as part of
	// the output (document.currentScript); that also holds while a front end
	// has not yet attached the output to the document. Otherwise look the
	// elements up by id.
	b.WriteString(`var me = document.currentScript;
var box = me && me.parentNode && me.parentNode.id === id ? me.parentNode : document.getElementById(id);
var find = function (suffix) {
  var e = box && box.querySelector ? box.querySelector("#" + id + suffix) : null;
  return e || document.getElementById(id + suffix);
};
var mark = function (state) { if (box) { box.setAttribute("data-founderlab-chart", state); } };
`)
	fmt.Fprintf(&b, `var wait = setTimeout(function () {
  if (box && box.getAttribute("data-founderlab-chart") === "pending") { mark("static"); }
}, %d);
`, staticAfterMS)
	b.WriteString(`(src ? L.load(src) : L.page()).then(function (echarts) {
  clearTimeout(wait);
  var host = find("_chart");
  if (!host) { throw new Error("element " + id + "_chart not found"); }
`)
	fmt.Fprintf(&b, "  host.style.width = %s;\n  host.style.height = %s;\n", jsString(s.Width), jsString(s.Height))
	fmt.Fprintf(&b, "  var chart = echarts.init(host, %s, {renderer: %s});\n", jsString(s.Theme), jsString(s.Renderer))
	b.WriteString("  var option = " + s.Option + ";\n")
	b.WriteString("  chart.setOption(option);\n")
	for _, e := range s.Extra {
		b.WriteString("  " + e + "\n")
	}
	b.WriteString(`  var still = find("_static");
  if (still) { still.style.display = "none"; }
  if (typeof window.ResizeObserver === "function") {
    new window.ResizeObserver(function () { chart.resize(); }).observe(host);
  }
  mark("drawn");
}).catch(function (err) {
  clearTimeout(wait);
  mark("failed");
  var note = find("_note");
  if (note) {
    note.textContent = "Interactive chart unavailable: " + (err && err.message ? err.message : err) +
      (find("_static") ? " (showing the static image)" : "");
    note.style.display = "block";
  }
  if (window.console) { window.console.error("founderlab charts:", err); }
});
})();
`)
	return b.String(), nil
}
