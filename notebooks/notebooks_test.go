// Package notebooks_test executes every chapter notebook end to end through
// the real kernel, the way `founderlab run` does for users, with the quick
// parameters that keep a CI run short.
package notebooks_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/founderlab/founderlab/internal/testenv"
	"github.com/founderlab/founderlab/kernel/notebook"
)

var env *testenv.Env

func TestMain(m *testing.M) { os.Exit(testenv.Main(m, &env)) }

// quick holds each notebook's CI parameters; every notebook in this
// directory must have an entry, so a new chapter cannot go untested.
var quick = map[string][]string{
	"00-welcome.ipynb":                nil,
	"02-personas.ipynb":               {"quick=true"},
	"03-feasibility.ipynb":            nil,
	"04-business-model.ipynb":         nil,
	"05-product-iteration.ipynb":      nil,
	"06-bert-medical-diagnosis.ipynb": {"epochs=1", "trainLimit=48", "evalLimit=32", "maxLength=48", "loraRanks=4", "adapterSizes=8", "gridRanks=4", "gridLearningRates=5e-4,1e-3"},
	"07-customer-service.ipynb":       {"quick=true"},
	"08-sentiment-monitoring.ipynb":   {"quick=true"},
	"09-recommendation.ipynb":         {"quick=true"},
}

// copyTree copies the notebooks and their data into a scratch directory so
// that runs never modify the repository.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if strings.HasSuffix(p, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestEveryNotebookHasQuickParameters(t *testing.T) {
	files, _ := filepath.Glob("*.ipynb")
	if len(files) < 6 {
		t.Fatalf("found %d notebooks", len(files))
	}
	for _, f := range files {
		if _, ok := quick[f]; !ok {
			t.Errorf("%s: add its quick parameters to the table in notebooks_test.go", f)
		}
		if _, err := notebook.Read(f); err != nil {
			t.Error(err)
		}
	}
}

func TestNotebooksRunEndToEnd(t *testing.T) {
	if env == nil {
		t.Skip("end-to-end test (not in -short mode)")
	}
	files, _ := filepath.Glob("*.ipynb")
	// The Chinese edition (zh/) runs with its English namesake's parameters.
	zh, _ := filepath.Glob("zh/*.ipynb")
	files = append(files, zh...)
	for _, f := range files {
		t.Run(strings.TrimSuffix(f, ".ipynb"), func(t *testing.T) {
			// The kernel reads real data from the directory testenv gave it,
			// which RequireData fills (or the notebook is skipped).
			need, err := testenv.NotebookData(f)
			if err != nil {
				t.Fatal(err)
			}
			testenv.RequireData(t, need...)
			dir := t.TempDir()
			copyTree(t, ".", dir)
			p := filepath.Join(dir, f)
			html := filepath.Join(dir, "export.html")
			args := []string{"run", "-q", "--timeout", "20m", "--html", html}
			for _, kv := range quick[filepath.Base(f)] {
				args = append(args, "-p", kv)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 40*time.Minute)
			defer cancel()
			start := time.Now()
			_, stderr, err := env.Founderlab(ctx, append(args, p)...)
			t.Logf("%s ran in %.0fs", f, time.Since(start).Seconds())
			nb, rerr := notebook.Read(p)
			if rerr != nil {
				t.Fatalf("executed notebook is not valid: %v", rerr)
			}
			if art := os.Getenv("FOUNDERLAB_ARTIFACTS"); art != "" {
				a := filepath.Join(art, "notebooks", f) // f may be zh/…
				os.MkdirAll(filepath.Dir(a), 0o755)
				if err := notebook.Write(a, nb); err != nil {
					t.Errorf("artifact: %v", err)
				}
			}
			if err != nil {
				t.Fatalf("founderlab run: %v\n%s", err, stderr)
			}
			var displays, charts, statics int
			for i, c := range nb.Cells {
				if c.CellType != notebook.Code || strings.TrimSpace(c.Source) == "" {
					continue
				}
				if c.ExecutionCount == nil {
					t.Errorf("cell %d did not run", i+1)
				}
				for _, o := range c.Outputs {
					switch o.OutputType {
					case "error":
						t.Errorf("cell %d: %s: %s", i+1, o.EName, o.EValue)
					case "stream":
						if o.Name == "stderr" && strings.Contains(o.Text, "panic:") {
							t.Errorf("cell %d stderr: %s", i+1, o.Text)
						}
					case "display_data", "execute_result":
						displays++
						if h, _ := o.Data["text/html"].(string); strings.Contains(h, "data-founderlab-chart") {
							charts++
							if title, _ := o.Data["text/plain"].(string); strings.HasPrefix(f, "zh/") && !hasHan(title) {
								t.Errorf("cell %d: the Chinese edition drew a chart without Chinese text: %s", i+1, title)
							}
							if _, ok := o.Data["image/svg+xml"]; ok {
								statics++
							}
						}
					}
				}
			}
			if displays == 0 {
				t.Error("the notebook displayed nothing")
			}
			if charts == 0 {
				t.Error("the notebook drew no chart")
			}
			if statics != charts {
				t.Errorf("%d of %d charts carry a static SVG picture for exports", statics, charts)
			}
			if b, err := os.ReadFile(html); err != nil || len(b) == 0 {
				t.Errorf("HTML export: %v", err)
			}
			if want, ok := expectedOutputs[f]; ok {
				for id, text := range want {
					if got := cellText(nb, id); !strings.Contains(got, text) {
						t.Errorf("cell %q: output %q lacks %q", id, got, text)
					}
				}
			}
			t.Logf("%d displays, %d charts", displays, charts)
		})
	}
}

// expectedOutputs pins outputs that must appear, by notebook and cell id.
var expectedOutputs = map[string]map[string]string{
	"00-welcome.ipynb": {
		"hello": "Hello from Go go1.",
		"use":   "Hello, founder! counter = 1",
		"bang":  "go version go1.",
		"cards": "wholesale        440 rows",
		"draw":  "400 simulated survey answers from 4 personas\n<ECharts chart \"Age and monthly spend by persona\">",
	},
	// The live training chart, redrawn in place, ends at the last of 3 steps.
	"06-bert-medical-diagnosis.ipynb": {
		"c10": "<ECharts chart \"Training: step 3/3\">",
	},
	// The same chart in the Chinese edition (lib/display/training/messages.go).
	"zh/06-bert-medical-diagnosis.ipynb": {
		"c10": "<ECharts chart \"训练：第 3/3 步\">",
	},
}

// cellText returns the stream text and text/plain outputs of a cell.
func cellText(nb *notebook.Notebook, id string) string {
	var b strings.Builder
	for _, c := range nb.Cells {
		if c.ID != id {
			continue
		}
		for _, o := range c.Outputs {
			b.WriteString(o.Text)
			if s, ok := o.Data["text/plain"].(string); ok {
				b.WriteString(s)
			}
		}
	}
	return b.String()
}

// hasHan reports whether s contains a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
