package charts

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/go-echarts/go-echarts/v2/event"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/founderlab/founderlab/internal/atomicfile"
)

// Renderable is any go-echarts chart: *charts.Line, *charts.Bar,
// *charts.HeatMap and the others all have these two methods. Validate
// completes the options (x axis data, legend) and JSONNotEscaped returns
// them as JSON. The chart's size, theme, renderer, event listeners and JS
// functions are read from its go-echarts Initialization, EventListeners and
// JSFunctions fields when it has them.
type Renderable interface {
	Validate()
	JSONNotEscaped() template.HTML
}

// rendered is one chart made ready for display.
type rendered struct {
	id      string
	title   string
	html    string // the fragment
	image   *Image // static image, nil when none
	script  string // the chart script (without <script> tags)
	carrier string // the <script> element carrying the library, or ""
	mime    string // the MIMEType document (JSON)
}

// chartInfo is what render needs from a go-echarts chart.
type chartInfo struct {
	optionJSON    string
	title         string
	width, height string // CSS
	theme, engine string
	listeners     []event.Listener
	functions     []string
}

// inspect validates c and reads its options, recovering from go-echarts
// panics so that none crosses this package's API.
func inspect(c Renderable) (info chartInfo, err error) {
	v := reflect.ValueOf(c)
	if c == nil || (v.Kind() == reflect.Pointer && v.IsNil()) {
		return info, errors.New("charts: nil chart")
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("charts: %T: go-echarts failed: %v", c, r)
		}
	}()
	c.Validate()
	info.optionJSON = string(c.JSONNotEscaped())
	if l := CurrentLanguage(); l != English {
		var missing []string
		if info.optionJSON, missing, err = localize(info.optionJSON, l); err != nil {
			return info, err
		}
		noteUntranslated(missing)
	}
	info.width, info.height, info.theme, info.engine = "", "", "white", "canvas"
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	if v.Kind() == reflect.Struct {
		if f := v.FieldByName("Initialization"); f.IsValid() && f.CanInterface() {
			if in, ok := f.Interface().(opts.Initialization); ok {
				info.width, info.height = in.Width, in.Height
				if in.Theme != "" {
					info.theme = in.Theme
				}
				if in.Renderer == "svg" {
					info.engine = "svg"
				}
			}
		}
		if f := v.FieldByName("EventListeners"); f.IsValid() && f.CanInterface() {
			info.listeners, _ = f.Interface().([]event.Listener)
		}
		if f := v.FieldByName("JSFunctions"); f.IsValid() && f.CanInterface() {
			if fns, ok := f.Interface().(opts.JSFunctions); ok {
				for _, fn := range fns.Fns {
					info.functions = append(info.functions, string(fn))
				}
			}
		}
	}
	var head struct {
		Title json.RawMessage `json:"title"`
	}
	if json.Unmarshal([]byte(info.optionJSON), &head) == nil {
		var t struct {
			Text string `json:"text"`
		}
		var ts []struct {
			Text string `json:"text"`
		}
		if json.Unmarshal(head.Title, &t) == nil {
			info.title = t.Text
		} else if json.Unmarshal(head.Title, &ts) == nil && len(ts) > 0 {
			info.title = ts[0].Text
		}
	}
	return info, nil
}

// cssPixels parses "900px" or "900"; ok is false for other units.
func cssPixels(s string) (int, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "px"))
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return int(n + 0.5), true
}

// noStaticNotice makes the "no static image" notice appear once per process.
var noStaticNotice sync.Once

func render(c Renderable, cfg *config) (*rendered, error) {
	info, err := inspect(c)
	if err != nil {
		return nil, err
	}
	option, err := optionJS(info.optionJSON)
	if err != nil {
		return nil, fmt.Errorf("%w (chart %q)", err, info.title)
	}
	id, err := newID()
	if err != nil {
		return nil, err
	}
	w, h := DefaultWidth, DefaultHeight
	if px, ok := cssPixels(info.width); ok {
		w = px
	}
	if px, ok := cssPixels(info.height); ok {
		h = px
	}
	cssW, cssH := info.width, info.height
	if cssW == "" || cfg.width > 0 {
		if cfg.width > 0 {
			w = cfg.width
		}
		cssW = strconv.Itoa(w) + "px"
	}
	if cssH == "" || cfg.height > 0 {
		if cfg.height > 0 {
			h = cfg.height
		}
		cssH = strconv.Itoa(h) + "px"
	}

	sc := chartScript{ID: id, Option: option, Theme: info.theme, Renderer: info.engine, Width: cssW, Height: cssH}
	for _, l := range info.listeners {
		handler := strings.ReplaceAll(stripFuncMarkers(string(l.Handler)), instancePlaceholder, "chart")
		if l.Query != "" {
			sc.Extra = append(sc.Extra, fmt.Sprintf("chart.on(%s, %s, %s);", jsString(l.EventName), stripFuncMarkers(string(l.Query)), handler))
		} else {
			sc.Extra = append(sc.Extra, fmt.Sprintf("chart.on(%s, %s);", jsString(l.EventName), handler))
		}
	}
	for _, fn := range info.functions {
		sc.Extra = append(sc.Extra, strings.ReplaceAll(stripFuncMarkers(fn), instancePlaceholder, "chart"))
	}
	code := append([]string(nil), sc.Extra...)
	for i, e := range sc.Extra {
		sc.Extra[i] = escapeScriptEnd(e)
	}
	carrier := ""
	switch cfg.assets {
	case AssetInline, AssetShared:
		if cfg.assets == AssetInline || cfg.carry > 0 {
			b64, err := packLibrary(cfg.prefix)
			if err != nil {
				return nil, err
			}
			carrier = packedCarrierScript(b64)
		}
	case AssetCDN, AssetURL:
		sc.Src = cfg.url
	case AssetPage:
	default:
		return nil, fmt.Errorf("charts: unknown asset mode %v", cfg.assets)
	}
	script, err := sc.render()
	if err != nil {
		return nil, err
	}

	mime, err := mimeDocument(info, cssW, cssH, code)
	if err != nil {
		return nil, err
	}
	r := &rendered{id: id, title: info.title, script: script, carrier: carrier, mime: mime}
	staticNote := ""
	if !cfg.noStatic {
		img, err := cfg.static.RenderStatic(cfg.ctx, StaticInput{Option: option, Width: w, Height: h, Theme: info.theme})
		switch {
		case err == nil && (img.MIME == "image/svg+xml" || img.MIME == "image/png") && len(img.Data) > 0:
			r.image = &img
		case err == nil:
			err = fmt.Errorf("charts: static renderer returned %q with %d bytes, want image/svg+xml or image/png", img.MIME, len(img.Data))
			fallthrough
		default:
			if cfg.requireStatic {
				return nil, fmt.Errorf("charts: static image of %q: %w", info.title, err)
			}
			if errors.Is(err, ErrNoStaticRenderer) {
				staticNote = "no static image: " + err.Error()
				cfg.notice.Do(func() {
					fmt.Fprintf(cfg.warn, "charts: charts are drawn without a static fallback image (%v); they still draw where JavaScript runs.\n", err)
				})
			} else {
				staticNote = "static image failed: " + err.Error()
				fmt.Fprintf(cfg.warn, "charts: static image of %q failed: %v\n", info.title, err)
			}
		}
	}
	r.html = fragment(r, w, h, staticNote)
	return r, nil
}

// instancePlaceholder is go-echarts' stand-in for the chart instance in
// event handlers and JS functions.
const instancePlaceholder = "%MY_ECHARTS%"

// fragment lays out one display: the chart element (empty until the script
// draws), the static fallback (visible until the chart draws, and the only
// thing shown where scripts do not run), a note for load errors, the
// library's carrier when this display has one, and the chart script.
func fragment(r *rendered, w, h int, staticNote string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<div id=%q class=\"founderlab-chart\" data-founderlab-chart=\"pending\" style=\"max-width:100%%;overflow-x:auto\">\n", r.id)
	b.WriteString("<!-- ECharts " + EChartsVersion + " (Apache License 2.0, see node_modules/echarts/LICENSE), displayed by github.com/founderlab/founderlab/lib/charts -->\n")
	fmt.Fprintf(&b, "<div id=\"%s_chart\" class=\"founderlab-chart-canvas\" style=\"max-width:100%%\"></div>\n", r.id)
	alt := r.title
	if alt == "" {
		alt = "chart"
	}
	if r.image != nil {
		fmt.Fprintf(&b, "<img id=\"%s_static\" class=\"founderlab-chart-static\" alt=\"%s\" width=\"%d\" height=\"%d\" style=\"max-width:100%%;height:auto\" src=\"data:%s;base64,%s\">\n",
			r.id, html.EscapeString(alt), w, h, r.image.MIME, base64.StdEncoding.EncodeToString(r.image.Data))
	} else {
		fmt.Fprintf(&b, "<div id=\"%s_static\" class=\"founderlab-chart-static\" style=\"font-family:sans-serif;font-size:13px;color:#555;border:1px dashed #bbb;padding:8px\">Chart “%s” is drawn by JavaScript, which did not run here (%s).</div>\n",
			r.id, html.EscapeString(alt), html.EscapeString(staticNote))
	}
	fmt.Fprintf(&b, "<div id=\"%s_note\" class=\"founderlab-chart-note\" style=\"display:none;font-family:sans-serif;font-size:12px;color:#a33\"></div>\n", r.id)
	b.WriteString(r.carrier)
	b.WriteString("<script type=\"text/javascript\">\n")
	b.WriteString(r.script)
	b.WriteString("</script>\n</div>\n")
	return b.String()
}

// HTML returns the HTML fragment that draws c: a container with a fresh
// id, the static fallback image, and a script that loads ECharts (see
// [AssetMode]) and draws the chart in its own function scope. The fragment
// works in notebook outputs and inside any page; every call uses a new id.
// Unless an option or $FOUNDERLAB_CHARTS_ASSETS says otherwise, the
// fragment carries the library itself ([AssetInline]).
func HTML(c Renderable, opts ...Option) (string, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return "", err
	}
	cfg.forFragment()
	r, err := render(c, cfg)
	if err != nil {
		return "", err
	}
	return r.html, nil
}

// MIMEBundle returns the Jupyter display bundle of c: [MIMEType] (the
// chart's option for the JupyterLab extension, as a JSON string), "text/html"
// (the [HTML] fragment), the static image as "image/svg+xml" (a string) or
// "image/png" (base64), when one could be made, and "text/plain". Front
// ends pick the richest type they can show; exports to formats without
// JavaScript use the image.
func MIMEBundle(c Renderable, opts ...Option) (map[string]any, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	cfg.forFragment()
	r, err := render(c, cfg)
	if err != nil {
		return nil, err
	}
	return r.bundle(), nil
}

func (r *rendered) bundle() map[string]any {
	title := r.title
	if title == "" {
		title = "untitled"
	}
	b := map[string]any{
		MIMEType:     r.mime,
		"text/html":  r.html,
		"text/plain": fmt.Sprintf("<ECharts chart %q>", title),
	}
	if r.image != nil {
		switch r.image.MIME {
		case "image/svg+xml":
			b["image/svg+xml"] = string(r.image.Data)
		case "image/png":
			b["image/png"] = base64.StdEncoding.EncodeToString(r.image.Data)
		}
	}
	return b
}

// PageHTML returns a standalone HTML page showing the charts one below the
// other. Unless the charts load ECharts from a URL, the page carries it
// once, in its head.
func PageHTML(title string, cs []Renderable, opts ...Option) (string, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return "", err
	}
	var head string
	if cfg.auto || cfg.assets == AssetInline || cfg.assets == AssetShared {
		lib, err := readLibrary(cfg.prefix)
		if err != nil {
			return "", err
		}
		head = carrierScript(lib)
		cfg.assets, cfg.auto = AssetPage, false
	}
	var body strings.Builder
	for i, c := range cs {
		r, err := render(c, cfg)
		if err != nil {
			return "", fmt.Errorf("charts: page chart %d: %w", i, err)
		}
		if title == "" {
			title = r.title
		}
		body.WriteString(r.html)
	}
	if title == "" {
		title = "Charts"
	}
	return "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>" + html.EscapeString(title) + "</title>\n" +
		"<style>body{font-family:sans-serif;margin:24px} .founderlab-chart{margin:0 auto 32px auto;width:max-content}</style>\n" +
		head + "</head>\n<body>\n" + body.String() + "</body>\n</html>\n", nil
}

// WritePage writes [PageHTML] to path atomically: a temporary file in the
// same directory is written, synced and renamed over path.
func WritePage(path, title string, cs []Renderable, opts ...Option) error {
	page, err := PageHTML(title, cs, opts...)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(path, []byte(page), 0o644); err != nil {
		return fmt.Errorf("charts: write %s: %w", path, err)
	}
	return nil
}

// WriteHTML writes a standalone page showing the charts to path,
// atomically, with the default options; it works from plain Go programs.
// With the default inline assets the page opens offline from file://.
func WriteHTML(path string, cs ...Renderable) error {
	return WritePage(path, "", cs)
}
