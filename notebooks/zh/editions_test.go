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
	"strings"
	"testing"
	"unicode"

	"github.com/founderlab/founderlab/kernel/notebook"
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
