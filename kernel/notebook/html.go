package notebook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/founderlab/founderlab/internal/assets"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	goldhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// mimeOrder is the preference order for rendering a display bundle, richest
// first, as Jupyter's front ends do.
var mimeOrder = []string{"text/html", "image/svg+xml", "image/png", "image/jpeg", "text/markdown", "text/latex", "application/json", "text/plain"}

var ansiRE = regexp.MustCompile(`\x1b\[[0-9;]*[a-zA-Z]`)

// HTMLOptions configure how a notebook is rendered as HTML.
type HTMLOptions struct {
	// Math says how the math of Markdown cells ($…$, $$…$$,
	// \begin{align}…\end{align}) is rendered; the zero value is MathAuto.
	Math MathMode
	// KaTeXDir is the npm prefix holding KaTeX; "" means
	// [assets.KaTeXPrefix].
	KaTeXDir string
	// CollapsibleCode puts each code cell's source in an open <details>
	// element, so that readers can fold it away.
	CollapsibleCode bool
}

// Heading is a heading of a Markdown cell.
type Heading struct {
	// Level is 1 for #, 2 for ##, and so on.
	Level int
	// ID is the heading's id attribute, unique in the page.
	ID string
	// Text is its text, math as LaTeX source.
	Text string
}

// Body is a notebook rendered as HTML, to be put in a page: the cells,
// and what the page around them needs.
type Body struct {
	// HTML is the cells, one <div class="cell"> each.
	HTML []byte
	// Headings of the Markdown cells, in order.
	Headings []Heading
	// Math is how math was rendered (MathServer, MathClient or MathRaw);
	// MathCount formulas were found.
	Math      MathMode
	MathCount int
	// MathNote says why math is not rendered on the server, or "".
	MathNote string
	// KaTeXDir is the npm prefix of the KaTeX used, when Math is
	// MathServer or MathClient: the page needs its stylesheet and fonts
	// (and for MathClient its script and [MathClientScript]).
	KaTeXDir string
	// Charts reports chart outputs of lib/charts; ECharts is the first
	// element carrying the ECharts library found in the outputs (taken out
	// of them), or "".
	Charts  bool
	ECharts string
}

// ExportHTML renders nb as one standalone HTML page with the default
// options: see [ExportHTMLContext].
func ExportHTML(nb *Notebook, title string) ([]byte, error) {
	return ExportHTMLContext(context.Background(), nb, title, HTMLOptions{})
}

// ExportHTMLContext renders nb as one standalone HTML page: markdown cells
// as HTML, code cells with their source and outputs. HTML outputs are
// embedded as they are, so their scripts (interactive charts) run when the
// page is opened.
//
// Math is rendered as opts.Math says. Rendered math needs KaTeX's
// stylesheet and fonts: a standalone page carries them inline, only when
// it has math, the WOFF2 fonts as data: URLs — those the rendered math
// uses, or all twenty (about 400 kB) for math rendered in the browser.
//
// The page carries ECharts once, in its head, whatever the outputs carry:
// lib/charts puts the library in a script element marked
// data-founderlab-echarts (in the first chart of a kernel session, or in
// every chart in inline mode); those elements are taken out of the outputs
// and the first one goes into the head. A notebook with charts but no such
// element (its first chart's cell was re-run or cleared) gets the
// ECharts installed by `founderlab install` ([assets.EChartsPrefix]); when
// there is none its charts show their static images.
func ExportHTMLContext(ctx context.Context, nb *Notebook, title string, opts HTMLOptions) ([]byte, error) {
	body, err := RenderBody(ctx, nb, opts)
	if err != nil {
		return nil, err
	}
	head := body.ECharts
	if head == "" && body.Charts {
		head = installedHead()
	}
	mathHead, mathFoot, err := standaloneMath(body)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="founderlab run">
<title>%s</title>
<style>
%s</style>
%s%s</head><body>
`, html.EscapeString(title), PageCSS, mathHead, head)
	if body.MathNote != "" {
		fmt.Fprintf(&b, "<p class=\"fl-math-note\">%s</p>\n", html.EscapeString(body.MathNote))
	}
	b.Write(body.HTML)
	b.WriteString(mathFoot)
	b.WriteString("</body></html>\n")
	return b.Bytes(), nil
}

// PageCSS is the stylesheet of exported pages (cells, prompts, outputs,
// tables, math notices).
const PageCSS = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#1f2328;line-height:1.5}
.cell{margin:1em 0}
.input pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.75em;overflow-x:auto;font-size:13px}
.input summary{cursor:pointer;color:#57606a;font:12px monospace}
.prompt{color:#57606a;font:12px monospace;margin-bottom:2px}
.output pre{margin:.25em 0;padding:.5em;overflow-x:auto;font-size:13px}
.output .stderr{background:#fff5f5}
.output .error{background:#ffebe9;color:#82071e}
.output img{max-width:100%}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:4px 8px}
.katex-display{overflow-x:auto;overflow-y:hidden}
.fl-math-note{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:.5em .75em;font-size:14px}
code.fl-math-display{display:block;margin:1em 0}
`

// standaloneMath returns what a standalone page needs for its math, in
// the head and at the end of the body.
func standaloneMath(body *Body) (head, foot string, err error) {
	if body.Math != MathServer && body.Math != MathClient {
		return "", "", nil
	}
	// Rendered math carries its classes: only the fonts they use are
	// inlined. Math rendered in the browser may use any.
	var keep func(css, family string) bool
	if body.Math == MathServer {
		keep = fontsUsedBy(body.HTML)
	}
	css, err := katexCSS(body.KaTeXDir, inlineFont(body.KaTeXDir), keep)
	if err != nil {
		return "", "", err
	}
	head = "<style data-founderlab-katex=\"" + assets.KaTeXVersion + "\">\n" + string(css) + "\n</style>\n"
	if body.Math == MathClient {
		js, err := os.ReadFile(filepath.Join(assets.KaTeXPackage(body.KaTeXDir), "dist", "katex.min.js"))
		if err != nil {
			return "", "", fmt.Errorf("notebook: %w", err)
		}
		foot = "<script>\n" + scriptEnd.ReplaceAllString(string(js), `<\/$1`) + "\n</script>\n<script>\n" + MathClientScript + "\n</script>\n"
	}
	return head, foot, nil
}

// RenderBody renders the cells of nb as HTML for a page of the caller's
// (the book's pages, or [ExportHTMLContext]'s): Markdown with its math
// (see [HTMLOptions]), code cells with their outputs, the ECharts carriers
// taken out of the outputs and reported in the Body.
func RenderBody(ctx context.Context, nb *Notebook, opts HTMLOptions) (*Body, error) {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(goldhtml.WithUnsafe()),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()))
	body := &Body{}
	body.ECharts, body.Charts = findECharts(nb)
	ids := newHeadingIDs()
	for i := range nb.Cells {
		ids.used["cell-"+strconv.Itoa(i+1)] = true // the cells' own ids
	}
	var spans []mathSpan
	var b bytes.Buffer
	for i, c := range nb.Cells {
		fmt.Fprintf(&b, "<div class=\"cell %s-cell\" id=\"cell-%d\">\n", c.CellType, i+1)
		switch c.CellType {
		case Markdown:
			src := []byte(extractMath(c.Source, &spans))
			pc := parser.NewContext(parser.WithIDs(ids))
			doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
			collectHeadings(doc, src, &body.Headings)
			if err := md.Renderer().Render(&b, src, doc); err != nil {
				return nil, fmt.Errorf("notebook: cell %d: markdown: %w", i+1, err)
			}
		case Raw:
			fmt.Fprintf(&b, "<pre>%s</pre>\n", html.EscapeString(c.Source))
		case Code:
			count := " "
			if c.ExecutionCount != nil {
				count = fmt.Sprint(*c.ExecutionCount)
			}
			code := fmt.Sprintf("<pre><code class=\"language-go\">%s</code></pre>", html.EscapeString(c.Source))
			if opts.CollapsibleCode {
				fmt.Fprintf(&b, "<div class=\"input\"><details open><summary>In [%s]: code</summary>%s</details></div>\n", count, code)
			} else {
				fmt.Fprintf(&b, "<div class=\"input\"><div class=\"prompt\">In [%s]:</div>%s</div>\n", count, code)
			}
			for _, o := range c.Outputs {
				b.WriteString("<div class=\"output\">")
				writeOutput(&b, o, &spans)
				b.WriteString("</div>\n")
			}
		}
		b.WriteString("</div>\n")
	}
	body.MathCount = len(spans)
	for i := range body.Headings {
		body.Headings[i].Text = placeholderRE.ReplaceAllStringFunc(body.Headings[i].Text, func(m string) string {
			n, _ := strconv.Atoi(placeholderRE.FindStringSubmatch(m)[1])
			return spans[n].TeX
		})
	}
	if len(spans) == 0 {
		body.HTML = b.Bytes()
		return body, nil
	}
	rendered, err := renderMath(ctx, spans, opts, body)
	if err != nil {
		return nil, err
	}
	body.HTML = placeholderRE.ReplaceAllFunc(b.Bytes(), func(m []byte) []byte {
		n, err := strconv.Atoi(string(placeholderRE.FindSubmatch(m)[1]))
		if err != nil || n >= len(rendered) {
			return m
		}
		return []byte(rendered[n])
	})
	return body, nil
}

// renderMath renders spans as opts says, recording in body how.
func renderMath(ctx context.Context, spans []mathSpan, opts HTMLOptions, body *Body) ([]string, error) {
	prefix := opts.KaTeXDir
	if prefix == "" {
		p, err := assets.KaTeXPrefix()
		if err != nil && opts.Math != MathRaw && opts.Math != MathAuto {
			return nil, fmt.Errorf("notebook: %w: %w", ErrNoKaTeX, err)
		}
		prefix = p
	}
	mode := opts.Math
	var katexErr error
	if mode != MathRaw {
		if prefix == "" {
			katexErr = errors.New("no KaTeX directory")
		} else {
			katexErr = assets.KaTeXInstalled(prefix)
		}
	}
	if mode == MathAuto {
		_, nodeErr := exec.LookPath("node")
		switch {
		case katexErr != nil:
			mode = MathRaw
			body.MathNote = fmt.Sprintf("Formulas are shown as LaTeX source: KaTeX %s is not installed (%s).", assets.KaTeXVersion, KaTeXInstallCommandFor(prefix))
		case nodeErr != nil:
			mode = MathClient
		default:
			mode = MathServer
		}
	} else if (mode == MathServer || mode == MathClient) && katexErr != nil {
		return nil, fmt.Errorf("notebook: %w: %w", ErrNoKaTeX, katexErr)
	}
	body.Math = mode
	out := make([]string, len(spans))
	switch mode {
	case MathServer:
		body.KaTeXDir = prefix
		return renderServer(ctx, prefix, spans)
	case MathClient:
		body.KaTeXDir = prefix
		for i, s := range spans {
			out[i] = clientMath(s)
		}
	default:
		for i, s := range spans {
			out[i] = rawMath(s)
		}
	}
	return out, nil
}

// KaTeXInstallCommandFor is the command that installs KaTeX where the
// exports look for it.
func KaTeXInstallCommandFor(prefix string) string {
	if prefix == "" {
		prefix = "$" + assets.EnvKaTeXDir
	}
	return assets.KaTeXInstallCommand(prefix)
}

// headingIDs gives the headings of all the cells of a page unique ids.
type headingIDs struct{ used map[string]bool }

func newHeadingIDs() *headingIDs { return &headingIDs{used: map[string]bool{}} }

// Generate makes an id of the heading text: letters and digits (of any
// script) lowercased, runs of anything else as one hyphen.
func (h *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	s := placeholderRE.ReplaceAllString(string(value), "")
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	id := b.String()
	if id == "" {
		id = "section"
	}
	base := id
	for n := 1; h.used[id]; n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	h.used[id] = true
	return []byte(id)
}

// Put records an id given explicitly.
func (h *headingIDs) Put(value []byte) { h.used[string(value)] = true }

// collectHeadings appends the headings of doc.
func collectHeadings(doc ast.Node, src []byte, out *[]Heading) {
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		id, _ := h.AttributeString("id")
		idb, _ := id.([]byte)
		*out = append(*out, Heading{Level: h.Level, ID: string(idb), Text: strings.TrimSpace(plainText(h, src))})
		return ast.WalkSkipChildren, nil
	})
}

// plainText returns the text of n's inline content.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.CodeSpan:
			for l := t.FirstChild(); l != nil; l = l.NextSibling() {
				if tx, ok := l.(*ast.Text); ok {
					b.Write(tx.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

func writeOutput(b *bytes.Buffer, o *Output, spans *[]mathSpan) {
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
			if err := md.Convert([]byte(extractMath(s, spans)), b); err != nil {
				fmt.Fprintf(b, "<pre>%s</pre>", html.EscapeString(s))
			}
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

// findECharts returns the first carrier of ECharts found in the outputs
// of nb, and whether nb has charts.
func findECharts(nb *Notebook) (carrier string, charts bool) {
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			if o.OutputType != "display_data" && o.OutputType != "execute_result" {
				continue
			}
			s, _ := o.Data["text/html"].(string)
			if m := carrierRE.FindString(s); m != "" && carrier == "" {
				carrier = strings.TrimSuffix(m, "\n") + "\n"
			}
			charts = charts || strings.Contains(s, chartMarker)
		}
	}
	return carrier, charts
}

// installedHead returns a carrier made from the installed ECharts, or a
// comment saying why there is none.
func installedHead() string {
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
