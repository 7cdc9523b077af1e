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
// window.__founderlabECharts(cfg), which returns a promise of the echarts
// object, and works
//   - when echarts is already global (an earlier chart, a page <script>);
//   - when require.js is present (classic Notebook 6, nbconvert HTML):
//     a URL is loaded with require([url]) so that ECharts' UMD wrapper
//     registers with require.js instead of failing with "mismatched anonymous
//     define()", and an inline copy runs with define hidden;
//   - when a load is already in flight: all charts share one promise per
//     page, so two charts never load ECharts twice or race.
//
// A failed load forgets its promise so a later chart can try again.
const loaderJS = `if (typeof window.__founderlabECharts !== "function") {
  window.__founderlabECharts = function (cfg) {
    var root = window;
    var ready = function () {
      return root.echarts && typeof root.echarts.init === "function" ? root.echarts : null;
    };
    if (ready()) { return Promise.resolve(ready()); }
    var state = root.__founderlabEChartsState || (root.__founderlabEChartsState = {});
    if (state.promise) { return state.promise; }
    var p = new Promise(function (resolve, reject) {
      if (cfg.inline) {
        cfg.inline.call(root, undefined, undefined, undefined);
        if (ready()) { resolve(ready()); } else { reject(new Error("the inline ECharts did not define window.echarts")); }
        return;
      }
      if (!cfg.src) { reject(new Error("no ECharts source: the page must load ECharts " + cfg.version)); return; }
      var amd = typeof root.require === "function" && typeof root.define === "function" && root.define.amd;
      if (amd) {
        root.require([cfg.src], function (ec) {
          if (!ready() && ec && typeof ec.init === "function") { root.echarts = ec; }
          if (ready()) { resolve(ready()); } else { reject(new Error("require.js loaded " + cfg.src + " but it is not ECharts")); }
        }, function (err) { reject(new Error("require.js could not load ECharts from " + cfg.src + ": " + err)); });
        return;
      }
      var s = document.createElement("script");
      s.src = cfg.src;
      s.async = true;
      s.onload = function () {
        if (ready()) { resolve(ready()); } else { reject(new Error(cfg.src + " did not define window.echarts")); }
      };
      s.onerror = function () { reject(new Error("could not load ECharts from " + cfg.src)); };
      (document.head || document.documentElement).appendChild(s);
    });
    state.promise = p;
    p.catch(function () { if (state.promise === p) { state.promise = null; } });
    return p;
  };
}
`

// chartScript is the script of one display: it runs in its own function
// scope, loads ECharts through the shared loader, draws the chart in the
// element <id>_chart, hides the static fallback <id>_static and marks the
// container data-founderlab-chart="drawn"; on failure it keeps the fallback
// visible, writes the reason in <id>_note and marks the container "failed".
type chartScript struct {
	ID       string // DOM id of the container; newID's form
	Option   string // JavaScript expression of the option (optionJS)
	Theme    string
	Renderer string // "canvas" or "svg"
	Width    string // CSS length
	Height   string // CSS length
	Src      string // URL of echarts.min.js, or "" for inline or page-provided
	Inline   string // echarts.min.js source, or ""
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
	b.WriteString("var cfg = {version: " + jsString(EChartsVersion) + ", src: " + jsString(s.Src) + ", inline: ")
	if s.Inline != "" {
		// The library runs only if no earlier chart or page loaded ECharts;
		// define, exports and module are hidden so that its UMD wrapper sets
		// window.echarts even under require.js or CommonJS-like globals.
		b.WriteString("function (define, exports, module) {\n")
		b.WriteString(s.Inline)
		b.WriteString("\n}")
	} else {
		b.WriteString("null")
	}
	b.WriteString("};\n")
	fmt.Fprintf(&b, "var id = %s;\n", jsString(s.ID))
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
window.__founderlabECharts(cfg).then(function (echarts) {
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
