package book

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/kernel/notebook"
)

func mdNotebook(t *testing.T, meta string, cells ...string) *notebook.Notebook {
	t.Helper()
	nb := &notebook.Notebook{NBFormat: 4, NBFormatMinor: 5, Metadata: map[string]any{}}
	if meta != "" {
		nb.Metadata["founderlab"] = map[string]any{"summary": meta}
	}
	for i, c := range cells {
		typ := notebook.Markdown
		if strings.HasPrefix(c, "//go") {
			typ = notebook.Code
		}
		nb.Cells = append(nb.Cells, &notebook.Cell{ID: "c" + string(rune('a'+i)), CellType: typ, Source: c, Metadata: map[string]any{}})
	}
	return nb
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		name                 string
		nb                   *notebook.Notebook
		title, summary, seed string
		seedChapter          int
	}{
		{"numbered title and section", mdNotebook(t, "", "# 2 · Personas: k-means\n\nA team rarely has one user. The seed's chapter on **profiles** (§3.2.1) asks us to build them.\n\n1. Data"),
			"Personas: k-means", "A team rarely has one user. The seed's chapter on **profiles** (§3.2.1) asks us to build them.", "§3.2.1", 3},
		{"long first sentence, range", mdNotebook(t, "", "# 3 · Feasibility\n\nThis notebook works through the feasibility chapter of the seed (§3.2.2–3.2.4) on its running example. More."),
			"Feasibility", "This notebook works through the feasibility chapter of the seed (§3.2.2–3.2.4) on its running example.", "§3.2.2–3.2.4", 3},
		{"seed's chapter", mdNotebook(t, "", "# 6 · BERT\n\nThe seed's chapter 5 fine-tunes a pretrained BERT to read a patient's description of their symptoms."),
			"BERT", "The seed's chapter 5 fine-tunes a pretrained BERT to read a patient's description of their symptoms.", "§5", 5},
		{"no section", mdNotebook(t, "", "# Welcome to FounderLab\n\nFounderLab notebooks run **Go** through GoNB, a Jupyter kernel that compiles each cell.\nThis notebook shows the rules."),
			"Welcome to FounderLab", "FounderLab notebooks run **Go** through GoNB, a Jupyter kernel that compiles each cell. This notebook shows the rules.", "", 0},
		{"Chinese", mdNotebook(t, "", "# 2 · 用户画像\n\n本章对应原书第 3 章。我们用 k-means 聚类。"),
			"用户画像", "本章对应原书第 3 章。我们用 k-means 聚类。", "§3", 3},
		{"Chinese, no space after the full stop", mdNotebook(t, "", "# 5 · 产品迭代\n\n笔记本 03 中的诊断平台已在试点诊所推出了 MVP，本笔记本沿着原文的产品迭代一章展开。输入是 [`data/`](data/) 中手写的示例文件。"),
			"产品迭代", "笔记本 03 中的诊断平台已在试点诊所推出了 MVP，本笔记本沿着原文的产品迭代一章展开。", "", 0},
		{"metadata summary", mdNotebook(t, "From the metadata.", "# T\n\nNot this."), "T", "From the metadata.", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			title, summary, seed := describe(tt.nb)
			if title != tt.title || summary != tt.summary || seed != tt.seed || seedChapter(seed) != tt.seedChapter {
				t.Errorf("describe = %q, %q, %q (chapter %d); want %q, %q, %q (%d)", title, summary, seed, seedChapter(seed), tt.title, tt.summary, tt.seed, tt.seedChapter)
			}
		})
	}
}

func TestContentHash(t *testing.T) {
	src := mdNotebook(t, "", "# T", "//go\nfmt.Println(1)")
	run := mdNotebook(t, "", "# T", "//go\nfmt.Println(1)")
	n := 3
	run.Cells[1].ExecutionCount = &n
	run.Cells[1].Outputs = []*notebook.Output{{OutputType: "stream", Name: "stdout", Text: "1\n"}}
	injected := &notebook.Cell{CellType: notebook.Code, Source: "quick = true", Metadata: map[string]any{"tags": []any{"injected-parameters"}}}
	run.Cells = append(run.Cells[:1], append([]*notebook.Cell{injected}, run.Cells[1:]...)...)
	if ContentHash(src) != ContentHash(run) {
		t.Errorf("an executed copy hashes differently from its source")
	}
	edited := mdNotebook(t, "", "# T", "//go\nfmt.Println(2)")
	if ContentHash(src) == ContentHash(edited) {
		t.Errorf("an edited notebook hashes as its source")
	}
}

// writeNotebook writes nb at dir/name.
func writeNotebook(t *testing.T, dir, name string, nb *notebook.Notebook) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := notebook.Write(p, nb); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestBuildReuse builds a small book twice with an executor that records
// what it runs: the second build reuses every chapter, an edited chapter
// is executed again, and without an executor a stale chapter is an error.
func TestBuildReuse(t *testing.T) {
	dir := t.TempDir()
	nbs := filepath.Join(dir, "notebooks")
	alpha := mdNotebook(t, "", "# 1 · Alpha\n\nAlpha's first sentence is long enough to stand alone as a summary of it.\n\n## Part one\n\nSee [the next one](02-b.ipynb#part) and [data](data/x.csv).", "//go\nvar quick = false")
	alpha.Cells[1].Metadata["tags"] = []any{"parameters"}
	writeNotebook(t, nbs, "01-a.ipynb", alpha)
	writeNotebook(t, nbs, "02-b.ipynb", mdNotebook(t, "", "# 2 · Beta\n\nBeta (§4.1) is about money; it has no math.\n\n## Part", "//go\nfmt.Println(2)"))
	writeNotebook(t, filepath.Join(nbs, "zh"), "01-a.ipynb", mdNotebook(t, "", "# 1 · 甲\n\n甲章的摘要。", "//go\nfmt.Println(1)"))
	var ran []string
	exec := func(ctx context.Context, nb *notebook.Notebook, path string, params []string) error {
		ran = append(ran, filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path))
		want := ""
		if strings.HasSuffix(path, "notebooks/01-a.ipynb") {
			want = "quick=true" // the one chapter that declares it
		}
		if strings.Join(params, " ") != want {
			t.Errorf("%s ran with %q, want %q", path, params, want)
		}
		for _, c := range nb.Cells {
			if c.CellType == notebook.Code {
				n := 1
				c.ExecutionCount = &n
				c.Outputs = []*notebook.Output{{OutputType: "stream", Name: "stdout", Text: "ran " + c.Source + "\n"}}
			}
		}
		return nil
	}
	opts := Options{Notebooks: nbs, Out: filepath.Join(dir, "site"), Cache: filepath.Join(dir, "cache"), Params: []string{"quick=true"}, Execute: exec, Math: notebook.MathRaw}
	site, err := Build(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if want := "notebooks/01-a.ipynb notebooks/02-b.ipynb zh/01-a.ipynb"; strings.Join(ran, " ") != want {
		t.Errorf("first build ran %q, want %q", ran, want)
	}
	if len(site.Chapters) != 3 || len(site.Pages(English)) != 2 || len(site.Pages(Chinese)) != 1 {
		t.Fatalf("chapters %d, pages en %v zh %v", len(site.Chapters), site.Pages(English), site.Pages(Chinese))
	}
	page := readFile(t, filepath.Join(opts.Out, "01-a.html"))
	for _, want := range []string{`<a rel="next" href="02-b.html">`, `<a href="#part-one">Part one</a>`, `href="02-b.html#part"`, `class="repo-link"`, "ran //go", `href="zh/01-a.html"`, `<details open>`} {
		if !strings.Contains(page, want) {
			t.Errorf("01-a.html lacks %q", want)
		}
	}
	index := readFile(t, filepath.Join(opts.Out, "index.html"))
	for _, want := range []string{"Alpha's first sentence is long enough", "§4.1", "Seed chapter 4", `href="zh/index.html"`} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	if zh := readFile(t, filepath.Join(opts.Out, "zh", "01-a.html")); !strings.Contains(zh, `lang="zh"`) || !strings.Contains(zh, `href="../01-a.html"`) || !strings.Contains(zh, `href="../assets/book.css"`) {
		t.Errorf("zh/01-a.html is not a Chinese page linking to its English namesake and the shared assets")
	}

	ran = nil
	if _, err := Build(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if len(ran) != 0 {
		t.Errorf("second build ran %q, want every chapter reused", ran)
	}
	writeNotebook(t, nbs, "02-b.ipynb", mdNotebook(t, "", "# 2 · Beta\n\nBeta, edited.\n\n## Part", "//go\nfmt.Println(3)"))
	if _, err := Build(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if strings.Join(ran, " ") != "notebooks/02-b.ipynb" {
		t.Errorf("after an edit the build ran %q, want only the edited chapter", ran)
	}
	opts.Params = []string{"quick=false"}
	opts.Execute = nil
	if _, err := Build(context.Background(), opts); !errors.Is(err, ErrNotExecuted) {
		t.Errorf("other parameters, no executor: %v, want ErrNotExecuted", err)
	}

	// --from: copies executed elsewhere are used where their cells match.
	opts.From, opts.Cache, opts.Params = filepath.Join(dir, "cache"), "", []string{"quick=true"}
	if _, err := Build(context.Background(), opts); err != nil {
		t.Errorf("build from the executed copies: %v", err)
	}
	writeNotebook(t, nbs, "02-b.ipynb", mdNotebook(t, "", "# 2 · Beta\n\nBeta, edited again.\n\n## Part", "//go\nfmt.Println(4)"))
	if _, err := Build(context.Background(), opts); !errors.Is(err, ErrNotExecuted) {
		t.Errorf("an edited chapter was taken from --from: %v", err)
	}
	opts.FromStale = true
	if _, err := Build(context.Background(), opts); err != nil {
		t.Errorf("--from-stale: %v", err)
	}
	if page := readFile(t, filepath.Join(opts.Out, "02-b.html")); strings.Contains(page, "edited again") || !strings.Contains(page, "ran //go\nfmt.Println(3)") {
		t.Errorf("--from-stale: 02-b.html is not the executed copy as it is")
	}
	if _, err := Build(context.Background(), Options{Notebooks: filepath.Join(dir, "none"), Out: opts.Out}); err == nil {
		t.Errorf("a missing notebooks directory built a book")
	}
	if _, err := Build(context.Background(), Options{Notebooks: nbs, Out: opts.Out, Editions: []Edition{Chinese}, From: opts.From, Math: notebook.MathRaw}); err != nil {
		t.Errorf("--lang zh: %v", err)
	}
	empty := filepath.Join(dir, "empty")
	os.MkdirAll(empty, 0o755)
	if _, err := Build(context.Background(), Options{Notebooks: empty, Out: opts.Out}); !errors.Is(err, ErrNoChapters) {
		t.Errorf("empty notebooks directory: %v, want ErrNoChapters", err)
	}
}

func TestApplicable(t *testing.T) {
	nb := mdNotebook(t, "", "# T", "//go\nvar quick = false // fast\nvar (\n\tk = 3\n\tseed uint64 = 1\n)\nconst n = 2")
	nb.Cells[1].Metadata["tags"] = []any{"parameters"}
	got := Applicable(nb, []string{"quick=true", "epochs=1", "seed=7", "n=3"})
	if strings.Join(got, " ") != "quick=true seed=7 n=3" {
		t.Errorf("Applicable = %q", got)
	}
	if got := Applicable(mdNotebook(t, "", "# T"), []string{"quick=true"}); len(got) != 0 {
		t.Errorf("a notebook without parameters cell takes %q", got)
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCheckLinks(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"index.html":     `<a href="a.html#x">a</a> <a href="https://example.org/">out</a> <img src="fig.svg"> <a href="#top" id="top">top</a>`,
		"a.html":         `<h2 id="x">X</h2><a href="missing.html">m</a><a href="index.html#nope">n</a><script src="https://cdn.example/lib.js"></script><a href="../up.html">u</a><link rel="stylesheet" href="/abs.css">`,
		"fig.svg":        `<svg/>`,
		"assets/s.css":   `@font-face{src:url(fonts/f.woff2) format("woff2")} .x{background:url(data:image/png;base64,AA==)}`,
		"assets/fonts/g": ``,
	}
	for name, s := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dead, err := CheckLinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"a.html: missing.html":               "no such file",
		"a.html: index.html#nope":            "no element with id nope",
		"a.html: https://cdn.example/lib.js": "loaded from outside the site",
		"a.html: ../up.html":                 "leads out of the site",
		"a.html: /abs.css":                   "absolute path",
		"assets/s.css: fonts/f.woff2":        "no such file",
	}
	got := map[string]string{}
	for _, d := range dead {
		got[d.Page+": "+d.Ref] = d.Reason
	}
	for k, reason := range want {
		if !strings.HasPrefix(got[k], reason) {
			t.Errorf("%s: got %q, want %q", k, got[k], reason)
		}
	}
	if len(dead) != len(want) {
		t.Errorf("dead links %v, want %d", dead, len(want))
	}
}
