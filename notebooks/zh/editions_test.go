// Package zh_test keeps the Chinese edition of the notebooks in step with
// the English one: the same cells with the same code, every Markdown cell
// translated, the same data files, and links that resolve. The editions'
// end-to-end runs are in ../notebooks_test.go.
package zh_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/founderlab/founderlab/kernel/notebook"
	"github.com/founderlab/founderlab/lib/charts"
	_ "github.com/founderlab/founderlab/lib/swot" // notebook 03's chart text
)

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// link matches the target of a Markdown link: [text](target).
var link = regexp.MustCompile(`\]\(([^)\s]+)\)`)

func TestEditionsInStep(t *testing.T) {
	files, err := filepath.Glob("*.ipynb")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Chinese notebooks here: %v", err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(f, ".ipynb"), func(t *testing.T) {
			zh, err := notebook.Read(f)
			if err != nil {
				t.Fatal(err)
			}
			en, err := notebook.Read(filepath.Join("..", f))
			if err != nil {
				t.Fatalf("the English edition: %v", err)
			}
			if len(zh.Cells) != len(en.Cells) {
				t.Fatalf("%d cells, the English edition has %d", len(zh.Cells), len(en.Cells))
			}
			for i, z := range zh.Cells {
				e := en.Cells[i]
				if z.ID != e.ID || z.CellType != e.CellType {
					t.Errorf("cell %d is %s %q, the English edition's is %s %q", i+1, z.CellType, z.ID, e.CellType, e.ID)
					continue
				}
				switch z.CellType {
				case notebook.Code:
					if z.Source != e.Source {
						t.Errorf("code cell %q differs from the English edition's:\n%s\n--- English:\n%s", z.ID, z.Source, e.Source)
					}
					if len(z.Outputs) > 0 {
						t.Errorf("code cell %q is committed with outputs", z.ID)
					}
				case notebook.Markdown:
					if !hasHan(z.Source) {
						t.Errorf("Markdown cell %q is not translated: %.80q", z.ID, z.Source)
					}
					for _, m := range link.FindAllStringSubmatch(z.Source, -1) {
						target := m[1]
						if strings.Contains(target, "://") || strings.HasPrefix(target, "#") {
							continue
						}
						if _, err := os.Stat(strings.SplitN(target, "#", 2)[0]); err != nil {
							t.Errorf("Markdown cell %q links to %s, which is not there: %v", z.ID, target, err)
						}
					}
				}
			}
		})
	}
}

// The code cells read data/… relative to the notebook, so the edition
// carries the same data files, byte for byte.
func TestEditionDataMatches(t *testing.T) {
	en, err := os.ReadDir(filepath.Join("..", "data"))
	if err != nil {
		t.Fatal(err)
	}
	zh, err := os.ReadDir("data")
	if err != nil {
		t.Fatal(err)
	}
	if len(zh) != len(en) {
		t.Errorf("data/ has %d files, ../data/ has %d", len(zh), len(en))
	}
	for _, e := range en {
		want, err := os.ReadFile(filepath.Join("..", "data", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("data", e.Name()))
		if err != nil {
			t.Errorf("data/%s: %v (copy ../data/%[1]s here)", e.Name(), err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("data/%s differs from ../data/%[1]s; copy it again", e.Name())
		}
	}
}

// chartText matches the English text a code cell gives lib/charts: the title
// of a chart builder (a string literal, possibly a fmt.Sprintf format) and
// the name of a column; a literal followed by + is the start of a name.
var chartText = regexp.MustCompile(`charts\.(?:Line|Bar|Scatter|Pie|Radar|Gauge|Sankey|HeatMap|ConfusionMatrix|Col)\((?:fmt\.Sprintf\()?("(?:[^"\\]|\\.)*")(\s*\+)?`)

// verb matches a fmt verb, which the example text replaces by a number.
var verb = regexp.MustCompile(`%[-+ #0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z%]`)

// chartExamples returns examples of the chart text that code draws: each
// literal chartText finds, with its fmt verbs and a trailing + filled in.
func chartExamples(t *testing.T, code string) []string {
	var out []string
	for _, m := range chartText.FindAllStringSubmatch(code, -1) {
		s, err := strconv.Unquote(m[1])
		if err != nil {
			t.Errorf("chart text %s: %v", m[1], err)
			continue
		}
		s = verb.ReplaceAllStringFunc(s, func(v string) string {
			if v == "%%" {
				return "%"
			}
			return "1"
		})
		if m[2] != "" {
			s += "1"
		}
		out = append(out, s)
	}
	return out
}

func TestChartExamples(t *testing.T) {
	code := `charts.Show(charts.Line("Loss per epoch", charts.Col("epoch", ep), charts.Col("index "+name, v)))
charts.Show(charts.ConfusionMatrix(fmt.Sprintf("Test set, epoch %d (%.1f %%)", e, p), labels, counts))
charts.Bar(title, names, charts.Col("say \"hi\"", x))`
	want := []string{"Loss per epoch", "epoch", "index 1", "Test set, epoch 1 (1 %)", "say \"hi\""}
	if got := chartExamples(t, code); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("chartExamples = %q, want %q", got, want)
	}
}

// word matches a word of two letters or more, which a chart text needs
// before it needs translating.
var word = regexp.MustCompile(`\pL{2,}`)

// Every chart title and column name written in a code cell has a Chinese
// message (lib/charts/messages_zh.go, or the chapter package's messages),
// so the Chinese edition draws no English chart text of its own; names
// that come from data or from a package are checked by the end-to-end
// run in ../notebooks_test.go.
func TestChartTextTranslated(t *testing.T) {
	files, err := filepath.Glob("*.ipynb")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Chinese notebooks here: %v", err)
	}
	for _, f := range files {
		nb, err := notebook.Read(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range nb.Cells {
			if c.CellType != notebook.Code {
				continue
			}
			for _, s := range chartExamples(t, c.Source) {
				if !word.MatchString(s) {
					continue // a symbol such as "J" or "x"
				}
				if _, ok := charts.TranslateTo(charts.Chinese, s); !ok {
					t.Errorf("%s: cell %q draws %q, which no Chinese message translates (add it to lib/charts/messages_zh.go or the chapter package's messages.go)", f, c.ID, s)
				}
			}
		}
	}
}
