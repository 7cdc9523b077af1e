package notebook

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/internal/assets"
)

func TestExtractMath(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		out   string
		spans []mathSpan
	}{
		{"inline", `a $\log(1+x)$ b`, "a ⟦FLMATH0⟧ b", []mathSpan{{`\log(1+x)`, false}}},
		{"display", "x\n$$J = \\sum_{k=1}^{K} a_k$$\ny", "x\n⟦FLMATH0⟧\ny", []mathSpan{{`J = \sum_{k=1}^{K} a_k`, true}}},
		{"display on lines", "$$\nM = \\frac{\\sum R}{\\sum C},\n$$", "⟦FLMATH0⟧", []mathSpan{{`M = \frac{\sum R}{\sum C},`, true}}},
		{"align", "\\begin{align}a &= b \\\\ c &= d\\end{align} e", "⟦FLMATH0⟧ e", []mathSpan{{`\begin{align}a &= b \\ c &= d\end{align}`, true}}},
		{"two inline", "$J$ and $K$", "⟦FLMATH0⟧ and ⟦FLMATH1⟧", []mathSpan{{"J", false}, {"K", false}}},
		{"across a line", "$C_k = \\{x\n^2\\}$.", "⟦FLMATH0⟧.", []mathSpan{{"C_k = \\{x\n^2\\}", false}}},
		{"not across a paragraph", "$a\n\nb$", "$a\n\nb$", nil},
		{"currency", "costs $5 and $10 a month", "costs $5 and $10 a month", nil},
		{"escaped", `\$x$ stays`, `\$x$ stays`, nil},
		{"code span", "read `$FOUNDERLAB_DATA` and $x$", "read `$FOUNDERLAB_DATA` and ⟦FLMATH0⟧", []mathSpan{{"x", false}}},
		{"fenced code", "```\n$a$\n```\n$b$", "```\n$a$\n```\n⟦FLMATH0⟧", []mathSpan{{"b", false}}},
		{"space after opening", "$ x$", "$ x$", nil},
		{"underscores survive", `$n_t \times$ CAC`, "⟦FLMATH0⟧ CAC", []mathSpan{{`n_t \times`, false}}},
		{"unclosed align", `\begin{align}a`, `\begin{align}a`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var spans []mathSpan
			out := extractMath(tt.src, &spans)
			if out != tt.out {
				t.Errorf("extractMath(%q) = %q, want %q", tt.src, out, tt.out)
			}
			if len(spans) != len(tt.spans) {
				t.Fatalf("spans = %+v, want %+v", spans, tt.spans)
			}
			for i := range spans {
				if spans[i] != tt.spans[i] {
					t.Errorf("span %d = %+v, want %+v", i, spans[i], tt.spans[i])
				}
			}
		})
	}
}

// testKaTeX returns the KaTeX of scripts/test-deps.sh, or skips.
func testKaTeX(t *testing.T) string {
	t.Helper()
	prefix := os.Getenv(assets.EnvKaTeXDir)
	if prefix == "" {
		prefix, _ = filepath.Abs(filepath.Join("..", "..", ".cache", "katex"))
	}
	if err := assets.KaTeXInstalled(prefix); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI: %v (scripts/test-deps.sh installs KaTeX)", err)
		}
		t.Skipf("%v (scripts/test-deps.sh installs KaTeX)", err)
	}
	return prefix
}

const mathNotebook = `{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[
{"cell_type":"markdown","id":"a","metadata":{},"source":["# The $J$ objective\n","Transform with $\\log(1+x)$, where *x* is a_b_c.\n","\n","$$J = \\sum_{k=1}^{K} \\sum_{x \\in C_k} \\lVert x - \\mu_k \\rVert^2 .$$\n","\n","\\begin{align}a &= b \\\\ c &= d\\end{align}\n","\n","It costs $5 and $10, read ` + "`$HOME`" + `."]},
{"cell_type":"code","id":"b","metadata":{},"execution_count":1,"source":["x := \"$a$\""],"outputs":[]}]}`

// proseText returns the page's text outside code, scripts, styles and
// KaTeX's MathML annotations.
func proseText(page string) string {
	for _, re := range []string{`(?s)<script.*?</script>`, `(?s)<style.*?</style>`, `(?s)<code.*?</code>`, `(?s)<annotation.*?</annotation>`, `(?s)<pre.*?</pre>`} {
		page = regexp.MustCompile(re).ReplaceAllString(page, "")
	}
	return regexp.MustCompile(`<[^>]*>`).ReplaceAllString(page, "")
}

func TestExportMathServer(t *testing.T) {
	prefix := testKaTeX(t)
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("no node")
	}
	nb, err := Parse([]byte(mathNotebook))
	if err != nil {
		t.Fatal(err)
	}
	body, err := RenderBody(context.Background(), nb, HTMLOptions{Math: MathServer, KaTeXDir: prefix})
	if err != nil {
		t.Fatal(err)
	}
	if body.Math != MathServer || body.MathCount != 4 {
		t.Errorf("Math = %v, MathCount = %d; want server, 4", body.Math, body.MathCount)
	}
	page := string(body.HTML)
	if n := strings.Count(page, `class="katex"`); n != 4 {
		t.Errorf("%d KaTeX elements, want 4:\n%s", n, page)
	}
	if n := strings.Count(page, `class="katex-display"`); n != 2 {
		t.Errorf("%d display formulas, want 2", n)
	}
	if strings.Contains(page, "katex-error") {
		t.Errorf("KaTeX could not parse a formula:\n%s", page)
	}
	prose := proseText(page)
	if !strings.Contains(prose, "costs $5 and $10") {
		t.Errorf("currency lost: %s", prose)
	}
	prose = strings.ReplaceAll(prose, "$5 and $10", "")
	if strings.Contains(prose, "$") || strings.Contains(prose, `\log`) || strings.Contains(prose, "FLMATH") {
		t.Errorf("raw math left in prose: %s", prose)
	}
	for _, want := range []string{"<em>x</em>", "a_b_c", "<code>$HOME</code>", `x := &#34;$a$&#34;`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if len(body.Headings) != 1 || body.Headings[0].Text != "The J objective" || body.Headings[0].ID != "the-objective" {
		t.Errorf("headings = %+v", body.Headings)
	}

	full, err := ExportHTMLContext(context.Background(), nb, "math", HTMLOptions{Math: MathServer, KaTeXDir: prefix})
	if err != nil {
		t.Fatal(err)
	}
	s := string(full)
	if !strings.Contains(s, "data:font/woff2;base64,") || strings.Contains(s, ".ttf") || strings.Contains(s, "url(fonts/") {
		t.Errorf("standalone page does not carry the WOFF2 fonts inline (or links others)")
	}
	if strings.Contains(s, "<script") {
		t.Errorf("server-rendered math needs no script, the page has one")
	}
}

func TestExportMathClientAndRaw(t *testing.T) {
	prefix := testKaTeX(t)
	nb, _ := Parse([]byte(mathNotebook))
	page, err := ExportHTMLContext(context.Background(), nb, "math", HTMLOptions{Math: MathClient, KaTeXDir: prefix})
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	if n := strings.Count(s, `<span class="fl-math`); n != 4 || !strings.Contains(s, "katex.render(") {
		t.Errorf("client math: %d elements, script %v", n, strings.Contains(s, "katex.render("))
	}

	// No KaTeX: MathAuto shows the source and says why; MathServer fails.
	empty := t.TempDir()
	raw, err := ExportHTMLContext(context.Background(), nb, "math", HTMLOptions{KaTeXDir: empty})
	if err != nil {
		t.Fatal(err)
	}
	s = string(raw)
	if !strings.Contains(s, `class="fl-math-note"`) || !strings.Contains(s, "katex@"+assets.KaTeXVersion) || !strings.Contains(s, `<code class="fl-math-raw">$\log(1+x)$</code>`) {
		t.Errorf("raw math page lacks the notice or the source:\n%s", s)
	}
	if _, err := RenderBody(context.Background(), nb, HTMLOptions{Math: MathServer, KaTeXDir: empty}); !errors.Is(err, ErrNoKaTeX) {
		t.Errorf("MathServer without KaTeX: %v, want ErrNoKaTeX", err)
	}
}

func TestHeadingIDs(t *testing.T) {
	nb, err := Parse([]byte(`{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[
{"cell_type":"markdown","id":"a","metadata":{},"source":["# Cell 1\n","## Summary\n","## Summary\n","## 用户画像 $K$\n"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	body, err := RenderBody(context.Background(), nb, HTMLOptions{Math: MathRaw})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range body.Headings {
		ids = append(ids, h.ID)
	}
	if got := strings.Join(ids, " "); got != "cell-1-1 summary summary-1 用户画像" {
		t.Errorf("heading ids %q", got)
	}
}

func TestInlineFontsUsed(t *testing.T) {
	prefix := testKaTeX(t)
	tests := []struct {
		page string
		want string // families kept, sorted
	}{
		{`<span class="katex"><span class="mord mathnormal">x</span></span>`, "KaTeX_Main KaTeX_Math"},
		{`<span class="katex"><span class="mord mathbb">R</span><span class="mop op-symbol large-op">∑</span></span>`, "KaTeX_AMS KaTeX_Main KaTeX_Size2"},
		{`<span class="katex"><span class="mord">1</span></span>`, "KaTeX_Main"},
	}
	for _, tt := range tests {
		css, err := katexCSS(prefix, func(name string) (string, error) { return name, nil }, fontsUsedBy([]byte(tt.page)))
		if err != nil {
			t.Fatal(err)
		}
		set := map[string]bool{}
		for _, m := range fontFaceRE.FindAllString(string(css), -1) {
			f := familyRE.FindStringSubmatch(m)
			if f == nil {
				t.Fatalf("@font-face without a KaTeX family: %s", m)
			}
			set[f[1]] = true
		}
		var got []string
		for f := range set {
			got = append(got, f)
		}
		sort.Strings(got)
		if strings.Join(got, " ") != tt.want {
			t.Errorf("fonts for %s: %q, want %q", tt.page, got, tt.want)
		}
	}
}

func TestKaTeXCSS(t *testing.T) {
	prefix := testKaTeX(t)
	css, err := KaTeXCSS(prefix, func(name string) (string, error) { return "f/" + name, nil })
	if err != nil {
		t.Fatal(err)
	}
	urls := regexp.MustCompile(`url\(([^)]*)\)`).FindAllStringSubmatch(string(css), -1)
	fonts := 0
	for _, f := range assets.KaTeXFiles {
		if strings.HasSuffix(f.Name, ".woff2") {
			fonts++
		}
	}
	if len(urls) != fonts {
		t.Errorf("%d font URLs, want %d (one per WOFF2 font)", len(urls), fonts)
	}
	for _, u := range urls {
		if !strings.HasPrefix(u[1], "f/KaTeX_") || !strings.HasSuffix(u[1], ".woff2") {
			t.Errorf("font URL %s", u[1])
		}
	}
}
