package notebook

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"sort"
	"strings"

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
func ExportHTML(nb *Notebook, title string) ([]byte, error) {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(goldhtml.WithUnsafe()))
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
</style></head><body>
`, html.EscapeString(title))
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
			b.WriteString(s)
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
