package notebook

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/founderlab/founderlab/internal/assets"
)

// MathMode says how the math of Markdown cells is rendered.
type MathMode int

const (
	// MathAuto renders on the server when node and KaTeX are there, in
	// the browser when only KaTeX is, and shows the LaTeX source with a
	// notice when KaTeX is not installed.
	MathAuto MathMode = iota
	// MathServer renders math to HTML with KaTeX under node at export
	// time: the page needs KaTeX's stylesheet and fonts, and no script.
	MathServer
	// MathClient puts the LaTeX source in marked elements and KaTeX's
	// script renders them when the page is opened.
	MathClient
	// MathRaw shows the LaTeX source as it is.
	MathRaw
)

func (m MathMode) String() string {
	switch m {
	case MathAuto:
		return "auto"
	case MathServer:
		return "server"
	case MathClient:
		return "client"
	case MathRaw:
		return "raw"
	}
	return "MathMode(" + strconv.Itoa(int(m)) + ")"
}

// ErrNoKaTeX reports that math had to be rendered with KaTeX (MathServer
// or MathClient was asked for) and KaTeX or node is missing.
var ErrNoKaTeX = errors.New("KaTeX not available")

// mathSpan is one piece of math found in Markdown.
type mathSpan struct {
	TeX     string `json:"tex"`
	Display bool   `json:"display"`
}

// placeholder stands for math span i in Markdown until the HTML is made:
// letters and digits between brackets that Markdown leaves alone.
func placeholder(i int) string { return "⟦FLMATH" + strconv.Itoa(i) + "⟧" }

var placeholderRE = regexp.MustCompile(`⟦FLMATH([0-9]+)⟧`)

// mathEnvs are the LaTeX environments that are display math on their own.
var mathEnvs = []string{"align", "align*", "alignat", "alignat*", "equation", "equation*", "gather", "gather*", "multline", "multline*"}

// extractMath replaces the math of the Markdown src — $…$, $$…$$ and
// \begin{align}…\end{align} (and the other environments of mathEnvs) —
// by placeholders, appending the spans to *spans, so that the Markdown
// pass cannot touch it (backslashes, underscores and asterisks are TeX).
// Code spans and fenced code blocks are left as they are, as are \$ and a
// $ that opens no math: one followed by a space, or whose closing $ is
// preceded by a space or followed by a digit (so "$5 and $10" is text),
// and inline math contains no backtick (a code span comes first).
// Inline math does not cross a blank line.
func extractMath(src string, spans *[]mathSpan) string {
	var b strings.Builder
	add := func(tex string, display bool) {
		b.WriteString(placeholder(len(*spans)))
		*spans = append(*spans, mathSpan{TeX: tex, Display: display})
	}
	fence := ""
	for i := 0; i < len(src); {
		// Fenced code blocks: at a line start, ``` or ~~~ after spaces.
		if i == 0 || src[i-1] == '\n' {
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				end = len(src)
			} else {
				end += i + 1
			}
			line := strings.TrimLeft(src[i:end], " \t>")
			if fence != "" {
				if strings.HasPrefix(strings.TrimSpace(line), fence) {
					fence = ""
				}
				b.WriteString(src[i:end])
				i = end
				continue
			}
			if strings.HasPrefix(line, "```") || strings.HasPrefix(line, "~~~") {
				fence = line[:3]
				b.WriteString(src[i:end])
				i = end
				continue
			}
		}
		c := src[i]
		switch {
		case c == '\\' && i+1 < len(src) && src[i+1] == '$':
			b.WriteString(`\$`)
			i += 2
			continue
		case c == '\\' && strings.HasPrefix(src[i:], `\begin{`):
			if n := mathEnvAt(src[i:]); n > 0 {
				add(src[i:i+n], true)
				i += n
				continue
			}
		case c == '`':
			n := 0
			for i+n < len(src) && src[i+n] == '`' {
				n++
			}
			run := src[i : i+n]
			if end := strings.Index(src[i+n:], run); end >= 0 {
				b.WriteString(src[i : i+n+end+n])
				i += n + end + n
			} else {
				b.WriteString(run)
				i += n
			}
			continue
		case c == '$' && strings.HasPrefix(src[i:], "$$"):
			if end := closingDollars(src, i+2); end >= 0 {
				add(strings.TrimSpace(src[i+2:end]), true)
				i = end + 2
				continue
			}
		case c == '$':
			if end := closingDollar(src, i+1); end >= 0 {
				add(src[i+1:end], false)
				i = end + 1
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// mathEnvAt returns the length of the \begin{env}…\end{env} of a math
// environment at the start of s, or 0.
func mathEnvAt(s string) int {
	for _, e := range mathEnvs {
		open := `\begin{` + e + `}`
		if !strings.HasPrefix(s, open) {
			continue
		}
		end := strings.Index(s[len(open):], `\end{`+e+`}`)
		if end < 0 {
			return 0
		}
		return len(open) + end + len(`\end{`+e+`}`)
	}
	return 0
}

// closingDollars returns the index of the $$ that closes display math
// opened before from, or -1.
func closingDollars(s string, from int) int {
	for j := from; j+1 < len(s); j++ {
		if s[j] == '\\' {
			j++
			continue
		}
		if s[j] == '$' && s[j+1] == '$' {
			if strings.TrimSpace(s[from:j]) == "" {
				return -1
			}
			return j
		}
	}
	return -1
}

// closingDollar returns the index of the $ that closes inline math opened
// at from-1, or -1 (see extractMath for the rules).
func closingDollar(s string, from int) int {
	if from >= len(s) || s[from] == ' ' || s[from] == '\t' || s[from] == '\n' || s[from] == '$' {
		return -1
	}
	for j := from; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '`':
			return -1 // a code span starts: math does not contain one
		case '\n':
			if rest := strings.TrimLeft(s[j+1:], " \t"); rest == "" || rest[0] == '\n' {
				return -1 // a blank line ends the paragraph
			}
		case '$':
			prev := s[j-1]
			if prev == ' ' || prev == '\t' || prev == '\n' {
				return -1
			}
			if j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' {
				return -1
			}
			return j
		}
	}
	return -1
}

// katexScript renders the JSON array of math spans on stdin with the
// KaTeX module named by $FOUNDERLAB_KATEX_JS and writes a JSON array of
// HTML strings. A span KaTeX cannot parse comes out as KaTeX's error
// element, which shows the source.
//
//go:embed katex-render.js
var katexScript string

// maxKaTeXOutput bounds what the node process may write back.
const maxKaTeXOutput = 256 << 20

// katexTimeout bounds one node run.
const katexTimeout = 2 * time.Minute

// renderServer renders spans to HTML with KaTeX under node.
func renderServer(ctx context.Context, prefix string, spans []mathSpan) ([]string, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("notebook: render math: %w: node not found on $PATH", ErrNoKaTeX)
	}
	in, err := json.Marshal(spans)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, katexTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "-e", katexScript)
	cmd.Env = append(os.Environ(), "FOUNDERLAB_KATEX_JS="+assets.KaTeXPackage(prefix))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("notebook: render math: %w", err)
	}
	b, readErr := io.ReadAll(io.LimitReader(out, maxKaTeXOutput+1))
	waitErr := cmd.Wait()
	if readErr == nil && len(b) > maxKaTeXOutput {
		readErr = fmt.Errorf("more than %d bytes of output", maxKaTeXOutput)
	}
	if err := errors.Join(readErr, waitErr); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 2000 {
			msg = msg[:2000] + "…"
		}
		return nil, fmt.Errorf("notebook: render math with KaTeX under node: %w: %s", err, msg)
	}
	var htmls []string
	if err := json.Unmarshal(b, &htmls); err != nil {
		return nil, fmt.Errorf("notebook: render math: KaTeX output: %w", err)
	}
	if len(htmls) != len(spans) {
		return nil, fmt.Errorf("notebook: render math: KaTeX returned %d results for %d formulas", len(htmls), len(spans))
	}
	return htmls, nil
}

// clientMath is the element that KaTeX's script renders in the browser
// (MathClient), showing the source until it does.
func clientMath(s mathSpan) string {
	if s.Display {
		return `<span class="fl-math fl-math-display">` + html.EscapeString(s.TeX) + `</span>`
	}
	return `<span class="fl-math">` + html.EscapeString(s.TeX) + `</span>`
}

// rawMath shows the source with its delimiters.
func rawMath(s mathSpan) string {
	if s.Display {
		t := s.TeX
		if !strings.HasPrefix(t, `\begin{`) {
			t = "$$" + t + "$$"
		}
		return `<code class="fl-math-raw fl-math-display">` + html.EscapeString(t) + `</code>`
	}
	return `<code class="fl-math-raw">` + html.EscapeString("$"+s.TeX+"$") + `</code>`
}

// MathClientScript renders the math elements of a MathClient page with
// the KaTeX script (which must be loaded before it).
const MathClientScript = `(function () {
  if (!window.katex) { return; }
  var els = document.querySelectorAll("span.fl-math");
  for (var i = 0; i < els.length; i++) {
    var el = els[i];
    window.katex.render(el.textContent, el, {displayMode: el.classList.contains("fl-math-display"), throwOnError: false});
  }
})();`

var fontURLRE = regexp.MustCompile(`url\((fonts/[A-Za-z0-9_-]+)\.(woff2|woff|ttf)\)( format\("[a-z0-9]+"\))?`)
var (
	fontSrcRE  = regexp.MustCompile(`src:([^;}]*)`)
	fontFaceRE = regexp.MustCompile(`@font-face\{[^}]*\}`)
	familyRE   = regexp.MustCompile(`font-family:"?(KaTeX_[A-Za-z0-9]+)`)
	// familyRuleRE matches a rule of KaTeX's stylesheet that sets a font
	// family: its selectors and the family.
	familyRuleRE = regexp.MustCompile(`([^{}@]+)\{[^{}]*font-family:"?(KaTeX_[A-Za-z0-9]+)`)
	cssClassRE   = regexp.MustCompile(`\.([A-Za-z0-9_-]+)`)
	classAttrRE  = regexp.MustCompile(`class="([^"]*)"`)
)

// KaTeXCSS returns KaTeX's stylesheet from the npm prefix with only the
// WOFF2 fonts (those of [assets.KaTeXFiles]), each at fontURL(name), where
// name is the font's file name ("KaTeX_Main-Regular.woff2").
func KaTeXCSS(prefix string, fontURL func(name string) (string, error)) ([]byte, error) {
	return katexCSS(prefix, fontURL, nil)
}

// katexCSS is KaTeXCSS keeping only the @font-face rules of the families
// for which keep returns true (all when keep is nil).
func katexCSS(prefix string, fontURL func(name string) (string, error), keep func(css, family string) bool) ([]byte, error) {
	p := filepath.Join(assets.KaTeXPackage(prefix), "dist", "katex.min.css")
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("notebook: %w", err)
	}
	css := string(b)
	var ferr error
	out := fontFaceRE.ReplaceAllStringFunc(css, func(face string) string {
		if m := familyRE.FindStringSubmatch(face); keep != nil && m != nil && !keep(css, m[1]) {
			return ""
		}
		return fontSrcRE.ReplaceAllStringFunc(face, func(src string) string {
			for _, u := range fontURLRE.FindAllStringSubmatch(src, -1) {
				if u[2] != "woff2" {
					continue
				}
				url, err := fontURL(strings.TrimPrefix(u[1], "fonts/") + ".woff2")
				if err != nil {
					ferr = err
					return src
				}
				return `src:url(` + url + `) format("woff2")`
			}
			return src
		})
	})
	if ferr != nil {
		return nil, ferr
	}
	return []byte(out), nil
}

// fontsUsedBy returns a keep function for katexCSS that keeps the font
// families the rendered math in page can use: KaTeX_Main, the default,
// and every family set by a rule of the stylesheet whose classes all
// appear in the page.
func fontsUsedBy(page []byte) func(css, family string) bool {
	classes := map[string]bool{}
	for _, m := range classAttrRE.FindAllSubmatch(page, -1) {
		for _, c := range strings.Fields(string(m[1])) {
			classes[c] = true
		}
	}
	var used map[string]bool
	return func(css, family string) bool {
		if used == nil {
			used = map[string]bool{"KaTeX_Main": true}
			for _, rule := range familyRuleRE.FindAllStringSubmatch(css, -1) {
				for _, sel := range strings.Split(rule[1], ",") {
					cs := cssClassRE.FindAllStringSubmatch(sel, -1)
					all := len(cs) > 0 // not an @font-face rule
					for _, c := range cs {
						all = all && classes[c[1]]
					}
					if all {
						used[rule[2]] = true
					}
				}
			}
		}
		return used[family]
	}
}

// inlineFont returns a data: URL of the named KaTeX font.
func inlineFont(prefix string) func(string) (string, error) {
	return func(name string) (string, error) {
		b, err := os.ReadFile(filepath.Join(assets.KaTeXPackage(prefix), "dist", "fonts", name))
		if err != nil {
			return "", fmt.Errorf("notebook: KaTeX font: %w", err)
		}
		return "data:font/woff2;base64," + base64.StdEncoding.EncodeToString(b), nil
	}
}
