package notebook

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/founderlab/founderlab/internal/assets"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	goldhtml "github.com/yuin/goldmark/renderer/html"
)

// mimeOrder is the preference order for rendering a display bundle, richest
// first, as Jupyter's front ends do.
var mimeOrder = []string{"text/html", "image/svg+xml", "image/png", "image/jpeg", "text/markdown", "text/latex", "application/json", "text/plain"}

var ansiRE = regexp.MustCompile(`\x1b\[[0-9;]*[a-zA-Z]`)

// ExportHTML renders nb as one standalone HTML page: markdown cells as HTML,
// code cells with their source and outputs. HTML outputs are embedded as they
// are, so their scripts (interactive charts) run when the page is opened.
//
// The page carries ECharts once, in its head, whatever the outputs carry:
// lib/charts puts the library in a script element marked
// data-founderlab-echarts (in the first chart of a kernel session, or in
// every chart in inline mode); those elements are taken out of the outputs
// and the first one goes into the head. A notebook with charts but no such
// element (its first chart's cell was re-run or cleared) gets the
// ECharts installed by `founderlab install` ([assets.EChartsPrefix]); when
// there is none its charts show their static images.
func ExportHTML(nb *Notebook, title string) ([]byte, error) {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(goldhtml.WithUnsafe()))
	head := echartsHead(nb)
	var b bytes.Buffer
	fmt.Fprintf(&b, `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="founderlab run">
<title>%s</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#1f2328;line-height:1.5}
.cell{margin:1em 0}
.input pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.75em;overflow-x:auto;font-size:13px}
.prompt{color:#57606a;font:12px monospace;margin-bottom:2px}
.output pre{margin:.25em 0;padding:.5em;overflow-x:auto;font-size:13px}
.output .stderr{background:#fff5f5}
.output .error{background:#ffebe9;color:#82071e}
.output img{max-width:100%%}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:4px 8px}
</style>
%s</head><body>
`, html.EscapeString(title), head)
	for i, c := range nb.Cells {
		fmt.Fprintf(&b, "<div class=\"cell %s-cell\" id=\"cell-%d\">\n", c.CellType, i+1)
		switch c.CellType {
		case Markdown:
			if err := md.Convert([]byte(c.Source), &b); err != nil {
				return nil, fmt.Errorf("notebook: cell %d: markdown: %w", i+1, err)
			}
		case Raw:
			fmt.Fprintf(&b, "<pre>%s</pre>\n", html.EscapeString(c.Source))
		case Code:
			count := " "
			if c.ExecutionCount != nil {
				count = fmt.Sprint(*c.ExecutionCount)
			}
			fmt.Fprintf(&b, "<div class=\"input\"><div class=\"prompt\">In [%s]:</div><pre><code class=\"language-go\">%s</code></pre></div>\n", count, html.EscapeString(c.Source))
			for _, o := range c.Outputs {
				b.WriteString("<div class=\"output\">")
				writeOutput(&b, o)
				b.WriteString("</div>\n")
			}
		}
		b.WriteString("</div>\n")
	}
	b.WriteString("</body></html>\n")
	return b.Bytes(), nil
}

func writeOutput(b *bytes.Buffer, o *Output) {
	switch o.OutputType {
	case "stream":
		fmt.Fprintf(b, "<pre class=\"%s\">%s</pre>", html.EscapeString(o.Name), html.EscapeString(ansiRE.ReplaceAllString(o.Text, "")))
	case "error":
		tb := strings.Join(o.Traceback, "\n")
		if tb == "" {
			tb = o.EName + ": " + o.EValue
		}
		fmt.Fprintf(b, "<pre class=\"error\">%s</pre>", html.EscapeString(ansiRE.ReplaceAllString(tb, "")))
	case "display_data", "execute_result":
		mime := pickMIME(o.Data)
		v := o.Data[mime]
		s, _ := v.(string)
		switch mime {
		case "text/html":
			b.WriteString(carrierRE.ReplaceAllString(s, ""))
		case "image/svg+xml":
			b.WriteString(s)
		case "image/png", "image/jpeg":
			fmt.Fprintf(b, "<img src=\"data:%s;base64,%s\">", mime, strings.TrimSpace(s))
		case "text/markdown":
			md := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(goldhtml.WithUnsafe()))
			md.Convert([]byte(s), b)
		case "":
		default:
			if s == "" {
				s = fmt.Sprint(v)
			}
			fmt.Fprintf(b, "<pre>%s</pre>", html.EscapeString(s))
		}
	}
}

func pickMIME(data map[string]any) string {
	for _, m := range mimeOrder {
		if _, ok := data[m]; ok {
			return m
		}
	}
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > 0 {
		return keys[0]
	}
	return ""
}

// carrierRE matches the script element by which lib/charts carries
// ECharts (its carrierScript): the library inside has every "</script"
// escaped, so the element ends at the first "</script>".
var carrierRE = regexp.MustCompile(`(?s)<script type="text/javascript" data-founderlab-echarts="[^"]*">.*?</script>\n?`)

// chartMarker is in every chart display of lib/charts.
const chartMarker = `class="founderlab-chart"`

// echartsHead returns what the page's head needs for the charts of nb: the
// first carrier of ECharts found in its outputs, else one made from the
// installed ECharts, else nothing (no charts, or no ECharts to be had).
func echartsHead(nb *Notebook) string {
	charts := false
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			if o.OutputType != "display_data" && o.OutputType != "execute_result" {
				continue
			}
			s, _ := o.Data["text/html"].(string)
			if m := carrierRE.FindString(s); m != "" {
				return strings.TrimSuffix(m, "\n") + "\n"
			}
			charts = charts || strings.Contains(s, chartMarker)
		}
	}
	if !charts {
		return ""
	}
	carrier, err := installedCarrier()
	if err != nil {
		return "<!-- charts show their static images: " + strings.ReplaceAll(err.Error(), "--", "- -") + " -->\n"
	}
	return carrier
}

var scriptEnd = regexp.MustCompile(`(?i)</(script)`)

// installedCarrier returns a carrier of the ECharts installed by
// `founderlab install`, the same element as lib/charts makes.
func installedCarrier() (string, error) {
	prefix, err := assets.EChartsPrefix()
	if err != nil {
		return "", err
	}
	v, err := assets.EChartsInstalled(prefix)
	if err != nil {
		return "", fmt.Errorf("no ECharts installed (founderlab install): %w", err)
	}
	if v != assets.EChartsVersion {
		return "", fmt.Errorf("ECharts %s installed in %s, want %s", v, prefix, assets.EChartsVersion)
	}
	lib, err := os.ReadFile(assets.EChartsLibrary(prefix))
	if err != nil {
		return "", err
	}
	if bytes.Contains(lib, []byte("<!--")) {
		return "", errors.New(assets.EChartsLibrary(prefix) + " contains \"<!--\" and cannot be inlined")
	}
	return "<script type=\"text/javascript\" data-founderlab-echarts=\"" + v + "\">\n" +
		"(function (define, exports, module) {\n" +
		"if (window.echarts && typeof window.echarts.init === \"function\") { return; }\n" +
		scriptEnd.ReplaceAllString(string(lib), `<\/$1`) + "\n}).call(window);\n" +
		"if (window.__founderlabCharts) { window.__founderlabCharts.provide(); }\n" +
		"</script>\n", nil
}
