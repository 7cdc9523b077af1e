package book

import (
	"context"
	"encoding/base64"
	"fmt"
	"html"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/founderlab/founderlab/kernel/notebook"
)

// Chapter is one chapter of the book.
type Chapter struct {
	// Name is the notebook's file name without ".ipynb" ("02-personas").
	Name    string
	Edition Edition
	// Source is the path of the source notebook.
	Source string
	// Title, Summary (HTML, math rendered) and Seed (the section of the
	// seed it follows, "§3.2.1", or "") describe it on the course map.
	Title       string
	SummaryHTML string
	Seed        string
	// SeedChapter is the seed chapter of Seed (3 for §3.2.1); 0 for none.
	SeedChapter int
	// Figure is the site-relative path of its key figure ("" for none),
	// FigureAlt its description.
	Figure, FigureAlt string
	// Body is the rendered notebook.
	Body *notebook.Body
	// Origin says where the outputs come from ("executed", "reused …").
	Origin string

	nb      *notebook.Notebook
	figure  []byte
	summary string // Markdown
}

// Page returns the chapter page's path in the site ("02-personas.html",
// "zh/02-personas.html").
func (c *Chapter) Page() string {
	return filepath.ToSlash(filepath.Join(c.Edition.Dir(), c.Name+".html"))
}

// builder builds one site.
type builder struct {
	opts Options
	site *Site
}

func (b *builder) chapter(ctx context.Context, e Edition, path string) (*Chapter, error) {
	src, err := notebook.Read(path)
	if err != nil {
		return nil, fmt.Errorf("book: %w", err)
	}
	nb, origin, err := b.executed(ctx, e, path, src)
	if err != nil {
		return nil, err
	}
	c := &Chapter{Name: strings.TrimSuffix(filepath.Base(path), ".ipynb"), Edition: e, Source: path, Origin: origin, nb: nb}
	c.Title, c.summary, c.Seed = describe(src)
	if c.Title == "" {
		c.Title = c.Name
	}
	c.SeedChapter = seedChapter(c.Seed)
	c.Body, err = notebook.RenderBody(ctx, nb, notebook.HTMLOptions{Math: b.opts.Math, KaTeXDir: b.opts.KaTeXDir, CollapsibleCode: true})
	if err != nil {
		return nil, fmt.Errorf("book: %s: %w", path, err)
	}
	c.figure, c.FigureAlt = keyFigure(nb)
	if c.figure != nil {
		c.Figure = filepath.ToSlash(filepath.Join(e.Dir(), "figures", c.Name+".svg"))
		if c.FigureAlt == "" {
			c.FigureAlt = c.Title
		}
	}
	b.progress("%s: %s (%d formulas, math %v)", path, origin, c.Body.MathCount, c.Body.Math)
	return c, nil
}

var (
	h1RE       = regexp.MustCompile(`(?m)^#\s+(.+?)\s*#*\s*$`)
	numberRE   = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*\s*[·.:—–-]\s*`)
	sectionRE  = regexp.MustCompile(`§\s?([0-9]+(?:\.(?:[0-9]+|x))*(?:[–-][0-9]+(?:\.[0-9]+)*)?)`)
	seedChapRE = regexp.MustCompile(`(?i)seed's chapter ([0-9]+)|第\s*([0-9]+)\s*章`)
	// A Chinese full stop ends a sentence with no space after it.
	sentenceRE = regexp.MustCompile(`[.!?](\s|$)|[。！？]`)
)

// describe reads a chapter's title, summary (Markdown) and seed section
// from the notebook's metadata.founderlab, else its first Markdown cell.
func describe(nb *notebook.Notebook) (title, summary, seed string) {
	fl, _ := nb.Metadata["founderlab"].(map[string]any)
	title, _ = fl["title"].(string)
	summary, _ = fl["summary"].(string)
	seed, _ = fl["seed"].(string)
	var first string
	for _, c := range nb.Cells {
		if c.CellType == notebook.Markdown {
			first = c.Source
			break
		}
	}
	if title == "" {
		if m := h1RE.FindStringSubmatch(first); m != nil {
			title = numberRE.ReplaceAllString(m[1], "")
		}
	}
	if summary == "" {
		summary = firstSentence(first)
	}
	if seed == "" {
		if m := sectionRE.FindStringSubmatch(first); m != nil {
			seed = "§" + m[1]
		} else if m := seedChapRE.FindStringSubmatch(first); m != nil {
			seed = "§" + m[1] + m[2]
		}
	}
	return title, summary, seed
}

// firstSentence returns the first sentence of the first paragraph after
// the title of Markdown md.
func firstSentence(md string) string {
	for _, para := range strings.Split(md, "\n\n") {
		p := strings.TrimSpace(para)
		if p == "" || strings.HasPrefix(p, "#") || strings.HasPrefix(p, "-") || strings.HasPrefix(p, "*") || strings.HasPrefix(p, "1.") || strings.HasPrefix(p, "|") || strings.HasPrefix(p, "```") {
			continue
		}
		p = strings.Join(strings.Fields(p), " ")
		// The first sentence, and the second when the first is short.
		end := 0
		for _, loc := range sentenceRE.FindAllStringIndex(p, -1) {
			if strings.HasSuffix(p[:loc[0]], " e.g") || strings.HasSuffix(p[:loc[0]], " i.e") {
				continue
			}
			end = loc[0] + len(strings.TrimSpace(p[loc[0]:loc[1]]))
			if end >= 90 {
				break
			}
		}
		if end > 0 {
			p = p[:end]
		}
		return p
	}
	return ""
}

// seedChapter returns the chapter number of a seed section ("§3.2.1": 3).
func seedChapter(seed string) int {
	s := strings.TrimPrefix(seed, "§")
	if i := strings.IndexAny(s, ".–-"); i >= 0 {
		s = s[:i]
	}
	n, _ := strconv.Atoi(s)
	return n
}

var (
	staticImgRE = regexp.MustCompile(`<img [^>]*class="founderlab-chart-static"[^>]*>`)
	altRE       = regexp.MustCompile(`alt="([^"]*)"`)
)

// keyFigure returns the SVG of a chapter's key figure and its description:
// the output of the first cell tagged "key-figure", else the first chart.
func keyFigure(nb *notebook.Notebook) ([]byte, string) {
	pick := func(tagged bool) ([]byte, string) {
		for _, c := range nb.Cells {
			if c.CellType != notebook.Code || (tagged && !c.HasTag("key-figure")) {
				continue
			}
			for _, o := range c.Outputs {
				svg, _ := o.Data["image/svg+xml"].(string)
				if svg == "" {
					continue
				}
				alt := ""
				h, _ := o.Data["text/html"].(string)
				if img := staticImgRE.FindString(h); img != "" {
					if m := altRE.FindStringSubmatch(img); m != nil {
						alt = html.UnescapeString(m[1])
					}
				}
				if strings.HasPrefix(strings.TrimSpace(svg), "<") {
					return []byte(svg), alt
				}
				if b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(svg)); err == nil {
					return b, alt
				}
			}
		}
		return nil, ""
	}
	if b, alt := pick(true); b != nil {
		return b, alt
	}
	return pick(false)
}
