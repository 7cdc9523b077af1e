package book

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/founderlab/founderlab/internal/assets"
	"github.com/founderlab/founderlab/internal/atomicfile"
	"github.com/founderlab/founderlab/kernel/notebook"
)

// words are the words of the site's frame in each edition.
type words struct {
	Book, Contents, OnThisPage, Previous, Next, Notebook, NotebookNote, Start, SeedChapter, Other, CourseMap string
}

var editionWords = map[Edition]words{
	English: {
		Book: "FounderLab: the course", Contents: "Chapters", OnThisPage: "On this page",
		Previous: "Previous", Next: "Next", Notebook: "Notebook",
		NotebookNote: "open it in FounderLab (founderlab lab) to run it",
		Start:        "Getting started", SeedChapter: "Seed chapter %d", Other: "中文版",
		CourseMap: "Course map",
	},
	Chinese: {
		Book: "FounderLab 课程", Contents: "章节", OnThisPage: "本页内容",
		Previous: "上一章", Next: "下一章", Notebook: "笔记本",
		NotebookNote: "在 FounderLab（founderlab lab）中打开即可运行",
		Start:        "入门", SeedChapter: "原书第 %d 章", Other: "English",
		CourseMap: "课程地图",
	},
}

// write writes the pages, the course maps, the figures, the notebooks
// and the shared assets.
func (b *builder) write(ctx context.Context) error {
	out := b.opts.Out
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("book: %w", err)
	}
	charts, katex, client := false, "", false
	for _, c := range b.site.Chapters {
		charts = charts || c.Body.Charts
		if c.Body.Math == notebook.MathServer || c.Body.Math == notebook.MathClient {
			katex = c.Body.KaTeXDir
			client = client || c.Body.Math == notebook.MathClient
		}
	}
	if err := b.writeAssets(charts, katex, client); err != nil {
		return err
	}
	byEd := map[Edition][]*Chapter{}
	for _, c := range b.site.Chapters {
		byEd[c.Edition] = append(byEd[c.Edition], c)
	}
	for _, e := range Editions {
		chs := byEd[e]
		if len(chs) == 0 {
			continue
		}
		other := Chinese
		if e == Chinese {
			other = English
		}
		otherNames := map[string]bool{}
		for _, c := range byEd[other] {
			otherNames[c.Name] = true
		}
		if err := b.summaries(ctx, chs); err != nil {
			return err
		}
		for i, c := range chs {
			if err := b.writeChapter(chs, i, otherNames, other); err != nil {
				return err
			}
			if c.figure != nil {
				if err := writeFile(filepath.Join(out, filepath.FromSlash(c.Figure)), c.figure); err != nil {
					return err
				}
			}
			srcBytes, err := os.ReadFile(c.Source)
			if err != nil {
				return fmt.Errorf("book: %w", err)
			}
			if err := writeFile(filepath.Join(out, e.Dir(), "notebooks", c.Name+".ipynb"), srcBytes); err != nil {
				return err
			}
		}
		if err := b.writeIndex(e, chs, len(byEd[other]) > 0, other); err != nil {
			return err
		}
		if b.site.Index == "" {
			b.site.Index = filepath.Join(out, e.Dir(), "index.html")
		}
	}
	return nil
}

// summaries renders the chapters' summaries, math included, in one pass.
func (b *builder) summaries(ctx context.Context, chs []*Chapter) error {
	nb := &notebook.Notebook{NBFormat: 4, NBFormatMinor: 5, Metadata: map[string]any{}}
	for _, c := range chs {
		nb.Cells = append(nb.Cells, &notebook.Cell{CellType: notebook.Markdown, Source: c.summary})
	}
	body, err := notebook.RenderBody(ctx, nb, notebook.HTMLOptions{Math: b.opts.Math, KaTeXDir: b.opts.KaTeXDir})
	if err != nil {
		return fmt.Errorf("book: summaries: %w", err)
	}
	parts := cellRE.FindAllSubmatch(body.HTML, -1)
	if len(parts) != len(chs) {
		return fmt.Errorf("book: summaries: %d rendered for %d chapters", len(parts), len(chs))
	}
	for i, c := range chs {
		s := strings.TrimSpace(string(parts[i][1]))
		s = strings.TrimSuffix(strings.TrimPrefix(s, "<p>"), "</p>")
		c.SummaryHTML = s
	}
	return nil
}

var cellRE = regexp.MustCompile(`(?s)<div class="cell markdown-cell" id="cell-[0-9]+">\n(.*?)</div>\n`)

// writeFile writes a file of the site atomically, making its directory.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("book: %w", err)
	}
	if err := atomicfile.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("book: write %s: %w", path, err)
	}
	return nil
}

// writeAssets writes the stylesheet, ECharts (once for the site, when a
// chapter has charts) and KaTeX's stylesheet, fonts and script.
func (b *builder) writeAssets(charts bool, katex string, client bool) error {
	dir := filepath.Join(b.opts.Out, "assets")
	if err := writeFile(filepath.Join(dir, "book.css"), []byte(notebook.PageCSS+bookCSS)); err != nil {
		return err
	}
	if charts {
		js, license, err := b.echarts()
		if err != nil {
			b.progress("book: charts show their static images: %v", err)
		} else {
			if err := writeFile(filepath.Join(dir, "echarts.js"), js); err != nil {
				return err
			}
			if err := writeFile(filepath.Join(dir, "echarts-LICENSE.txt"), license); err != nil {
				return err
			}
		}
	}
	if katex == "" {
		return nil
	}
	pkg := assets.KaTeXPackage(katex)
	css, err := notebook.KaTeXCSS(katex, func(name string) (string, error) { return "fonts/" + name, nil })
	if err != nil {
		return fmt.Errorf("book: %w", err)
	}
	if err := writeFile(filepath.Join(dir, "katex", "katex.css"), css); err != nil {
		return err
	}
	for _, f := range assets.KaTeXFiles {
		var dst string
		switch {
		case strings.HasSuffix(f.Name, ".woff2"):
			dst = filepath.Join(dir, "katex", "fonts", filepath.Base(f.Name))
		case f.Name == "LICENSE":
			dst = filepath.Join(dir, "katex", "LICENSE.txt")
		case f.Name == "dist/katex.min.js" && client:
			dst = filepath.Join(dir, "katex", "katex.min.js")
		default:
			continue
		}
		data, err := os.ReadFile(filepath.Join(pkg, filepath.FromSlash(f.Name)))
		if err != nil {
			return fmt.Errorf("book: %w", err)
		}
		if err := writeFile(dst, data); err != nil {
			return err
		}
	}
	return nil
}

// echarts returns the site's ECharts script — the library wrapped as
// lib/charts carries it, so that charts waiting for it draw when it
// loads — and its license.
func (b *builder) echarts() (js, license []byte, err error) {
	prefix := b.opts.EChartsDir
	if prefix == "" {
		if prefix, err = assets.EChartsPrefix(); err != nil {
			return nil, nil, err
		}
	}
	v, err := assets.EChartsInstalled(prefix)
	if err != nil {
		return nil, nil, fmt.Errorf("no ECharts installed (founderlab install): %w", err)
	}
	if v != assets.EChartsVersion {
		return nil, nil, fmt.Errorf("ECharts %s installed in %s, want %s", v, prefix, assets.EChartsVersion)
	}
	lib, err := os.ReadFile(assets.EChartsLibrary(prefix))
	if err != nil {
		return nil, nil, err
	}
	license, err = os.ReadFile(assets.EChartsLicense(prefix))
	if err != nil {
		return nil, nil, err
	}
	var w bytes.Buffer
	fmt.Fprintf(&w, "/* ECharts %s (Apache License 2.0, see echarts-LICENSE.txt), shared by every page of the FounderLab book */\n", v)
	w.WriteString("(function (define, exports, module) {\nif (window.echarts && typeof window.echarts.init === \"function\") { return; }\n")
	w.Write(lib)
	w.WriteString("\n}).call(window);\nif (window.__founderlabCharts) { window.__founderlabCharts.provide(); }\n")
	return w.Bytes(), license, nil
}

// frame is what the page templates need.
type frame struct {
	Lang     string
	W        words
	Root     string // from the page to the site root: "" or "../"
	Title    string
	Chapters []*Chapter
	Current  string
	KaTeX    bool
	Client   bool
	Charts   bool
	OtherURL string
	Prev     *Chapter
	Next     *Chapter
	Chapter  *Chapter
	TOC      []notebook.Heading
	Body     template.HTML
	Notebook string
	MathNote string
	Groups   []group
	ClientJS template.JS
}

type group struct {
	Title    string
	Chapters []*Chapter
}

func (b *builder) writeChapter(chs []*Chapter, i int, otherNames map[string]bool, other Edition) error {
	c := chs[i]
	f := b.frame(c.Edition, chs)
	f.Title, f.Current, f.Chapter = c.Title, c.Name, c
	f.KaTeX = c.Body.Math == notebook.MathServer || c.Body.Math == notebook.MathClient
	f.Client = c.Body.Math == notebook.MathClient
	f.Charts = c.Body.Charts
	if _, err := os.Stat(filepath.Join(b.opts.Out, "assets", "echarts.js")); err != nil {
		f.Charts = false
	}
	if i > 0 {
		f.Prev = chs[i-1]
	}
	if i+1 < len(chs) {
		f.Next = chs[i+1]
	}
	if otherNames[c.Name] {
		f.OtherURL = otherRoot(c.Edition) + other.Dir() + pathSep(other) + c.Name + ".html"
	}
	for _, h := range c.Body.Headings {
		if h.Level == 2 || h.Level == 3 {
			f.TOC = append(f.TOC, h)
		}
	}
	f.Body = template.HTML(b.localLinks(c, chs, c.Body.HTML))
	f.Notebook = "notebooks/" + c.Name + ".ipynb"
	f.MathNote = c.Body.MathNote
	var w bytes.Buffer
	if err := pageTmpl.Execute(&w, f); err != nil {
		return fmt.Errorf("book: %s: %w", c.Page(), err)
	}
	return writeFile(filepath.Join(b.opts.Out, filepath.FromSlash(c.Page())), w.Bytes())
}

func pathSep(e Edition) string {
	if e.Dir() == "" {
		return ""
	}
	return "/"
}

// otherRoot is the path from a page of edition e to the site root.
func otherRoot(e Edition) string {
	if e.Dir() == "" {
		return ""
	}
	return "../"
}

func (b *builder) frame(e Edition, chs []*Chapter) frame {
	return frame{Lang: e.Code(), W: editionWords[e], Root: otherRoot(e), Chapters: chs, ClientJS: template.JS(notebook.MathClientScript)}
}

func (b *builder) writeIndex(e Edition, chs []*Chapter, hasOther bool, other Edition) error {
	f := b.frame(e, chs)
	f.Title = f.W.CourseMap
	if hasOther {
		f.OtherURL = otherRoot(e) + other.Dir() + pathSep(other) + "index.html"
	}
	for _, c := range chs {
		f.KaTeX = f.KaTeX || strings.Contains(c.SummaryHTML, `class="katex"`)
		f.Client = f.Client || strings.Contains(c.SummaryHTML, `class="fl-math`)
		title := f.W.Start
		if c.SeedChapter > 0 {
			title = fmt.Sprintf(f.W.SeedChapter, c.SeedChapter)
		}
		if n := len(f.Groups); n > 0 && f.Groups[n-1].Title == title {
			f.Groups[n-1].Chapters = append(f.Groups[n-1].Chapters, c)
		} else {
			f.Groups = append(f.Groups, group{Title: title, Chapters: []*Chapter{c}})
		}
	}
	if f.Client {
		if _, err := os.Stat(filepath.Join(b.opts.Out, "assets", "katex", "katex.min.js")); err != nil {
			f.Client = false
		}
	}
	var w bytes.Buffer
	if err := indexTmpl.Execute(&w, f); err != nil {
		return fmt.Errorf("book: index: %w", err)
	}
	return writeFile(filepath.Join(b.opts.Out, e.Dir(), "index.html"), w.Bytes())
}

var hrefRE = regexp.MustCompile(`<a href="([^"#:]*?)(#[^"]*)?"`)

// localLinks rewrites the relative links of a chapter's Markdown: to
// another chapter's notebook, to its page; to other files of the
// repository (data/), which the site does not carry, to plain text.
func (b *builder) localLinks(c *Chapter, chs []*Chapter, body []byte) []byte {
	names := map[string]bool{}
	for _, o := range chs {
		names[o.Name] = true
	}
	return hrefRE.ReplaceAllFunc(body, func(m []byte) []byte {
		sm := hrefRE.FindSubmatch(m)
		target, frag := string(sm[1]), string(sm[2])
		if target == "" {
			return m // #anchor in the page
		}
		name := strings.TrimSuffix(filepath.Base(target), ".ipynb")
		if strings.HasSuffix(target, ".ipynb") && names[name] {
			return []byte(`<a href="` + template.HTMLEscapeString(name) + `.html` + frag + `"`)
		}
		return []byte(`<a class="repo-link" title="` + template.HTMLEscapeString("notebooks/"+target) + ` in the FounderLab repository"`)
	})
}

const bookCSS = `
body{max-width:none;margin:0;padding:0}
.book{display:flex;align-items:flex-start}
.sidebar{position:sticky;top:0;flex:0 0 250px;height:100vh;overflow-y:auto;box-sizing:border-box;padding:1em;border-right:1px solid #d0d7de;background:#f6f8fa;font-size:14px}
.sidebar ol{padding-left:1.2em}.sidebar li{margin:.3em 0}.sidebar .current>a{font-weight:600;color:#1f2328}
.sidebar .home{font-weight:600;display:block;margin-bottom:.5em}
main{flex:1;min-width:0;max-width:1000px;padding:0 2em 3em}
.pager{display:flex;justify-content:space-between;margin:1em 0;font-size:14px}
.toc{border:1px solid #d0d7de;border-radius:6px;padding:.5em 1em;margin:1em 0;font-size:14px}
.toc ul{margin:.25em 0;padding-left:1.2em}.toc .l3{margin-left:1em}
.toc h2{font-size:15px;margin:.25em 0}
.source{font-size:14px;color:#57606a}
.map .chapter{display:flex;gap:1em;border:1px solid #d0d7de;border-radius:6px;padding:.75em;margin:.75em 0}
.map .chapter>a{flex:0 0 min(300px,40%)}.map .chapter img{display:block;width:100%;height:auto;border:1px solid #eee}
.map .seed{color:#57606a;font-size:13px}
a.repo-link{text-decoration:underline dotted}
@media (max-width:800px){.book{display:block}.sidebar{position:static;height:auto;border-right:0}}
`

var funcs = template.FuncMap{
	"safe": func(s string) template.HTML { return template.HTML(s) },
}

var pageTmpl = template.Must(template.New("page").Funcs(funcs).Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="founderlab book">
<title>{{.Title}} · {{.W.Book}}</title>
<link rel="stylesheet" href="{{.Root}}assets/book.css">
{{if .KaTeX}}<link rel="stylesheet" href="{{.Root}}assets/katex/katex.css">
{{end}}</head><body><div class="book">
{{template "sidebar" .}}
<main>
{{template "pager" .}}
<p class="source">{{.W.Notebook}}: <a href="{{.Notebook}}" download>{{.Chapter.Name}}.ipynb</a> — {{.W.NotebookNote}}{{if .OtherURL}} · <a href="{{.OtherURL}}" hreflang="{{if eq .Lang "en"}}zh{{else}}en{{end}}">{{.W.Other}}</a>{{end}}</p>
{{if .MathNote}}<p class="fl-math-note">{{.MathNote}}</p>
{{end}}{{if .TOC}}<nav class="toc"><h2>{{.W.OnThisPage}}</h2><ul>
{{range .TOC}}<li class="l{{.Level}}"><a href="#{{.ID}}">{{.Text}}</a></li>
{{end}}</ul></nav>
{{end}}{{.Body}}
{{template "pager" .}}
</main></div>
{{if .Charts}}<script src="{{.Root}}assets/echarts.js"></script>
{{end}}{{if .Client}}<script src="{{.Root}}assets/katex/katex.min.js"></script>
<script>{{.ClientJS}}</script>
{{end}}</body></html>
{{define "sidebar"}}<nav class="sidebar"><a class="home" href="index.html">{{.W.Book}}</a>
<div>{{.W.Contents}}</div><ol>
{{range .Chapters}}<li{{if eq .Name $.Current}} class="current"{{end}}><a href="{{.Name}}.html">{{.Title}}</a></li>
{{end}}</ol>{{if .OtherURL}}<p><a href="{{.OtherURL}}">{{.W.Other}}</a></p>{{end}}</nav>{{end}}
{{define "pager"}}<nav class="pager"><span>{{with .Prev}}<a rel="prev" href="{{.Name}}.html">← {{$.W.Previous}}: {{.Title}}</a>{{end}}</span><span><a href="index.html">{{.W.CourseMap}}</a></span><span>{{with .Next}}<a rel="next" href="{{.Name}}.html">{{$.W.Next}}: {{.Title}} →</a>{{end}}</span></nav>{{end}}
`))

var indexTmpl = template.Must(template.Must(pageTmpl.Clone()).New("index").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="founderlab book">
<title>{{.W.Book}}</title>
<link rel="stylesheet" href="{{.Root}}assets/book.css">
{{if .KaTeX}}<link rel="stylesheet" href="{{.Root}}assets/katex/katex.css">
{{end}}</head><body><div class="book">
{{template "sidebar" .}}
<main class="map">
<h1>{{.W.Book}}</h1>
{{range .Groups}}<section><h2>{{.Title}}</h2>
{{range .Chapters}}<div class="chapter">{{if .Figure}}<a href="{{.Name}}.html"><img src="{{$.Root}}{{.Figure}}" alt="{{.FigureAlt}}" loading="lazy"></a>{{end}}<div>
<h3><a href="{{.Name}}.html">{{.Title}}</a></h3>
{{if .Seed}}<div class="seed">{{.Seed}}</div>{{end}}
<p>{{safe .SummaryHTML}}</p></div></div>
{{end}}</section>
{{end}}</main></div>
{{if .Client}}<script src="{{.Root}}assets/katex/katex.min.js"></script>
<script>{{.ClientJS}}</script>
{{end}}</body></html>
`))
