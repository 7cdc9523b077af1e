package book

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/founderlab/founderlab/kernel/notebook"
)

// Edition is a language edition of the course.
type Edition int

const (
	// English is the edition in notebooks/.
	English Edition = iota
	// Chinese is the edition in notebooks/zh/.
	Chinese
)

// Editions lists every edition, English first.
var Editions = []Edition{English, Chinese}

// Code returns the edition's language code, "en" or "zh".
func (e Edition) Code() string {
	if e == Chinese {
		return "zh"
	}
	return "en"
}

// Dir returns the edition's directory below the notebooks directory and
// the site: "" for English, "zh" for Chinese.
func (e Edition) Dir() string {
	if e == Chinese {
		return "zh"
	}
	return ""
}

func (e Edition) String() string { return e.Code() }

// ParseEditions parses the --lang value: "en", "zh" or "all" (every
// edition whose notebooks exist).
func ParseEditions(s string) (eds []Edition, all bool, err error) {
	switch s {
	case "en":
		return []Edition{English}, false, nil
	case "zh":
		return []Edition{Chinese}, false, nil
	case "all", "":
		return Editions, true, nil
	}
	return nil, false, fmt.Errorf("book: language %q: want en, zh or all", s)
}

// Executor executes nb, read from path, in place, the way `founderlab
// run` does, with the parameters ("name=value") that nb declares.
type Executor func(ctx context.Context, nb *notebook.Notebook, path string, params []string) error

// Options configure [Build].
type Options struct {
	// Notebooks is the directory of the English chapter notebooks; the
	// Chinese edition is in its zh/ subdirectory.
	Notebooks string
	// Out is the site directory; it is created if needed.
	Out string
	// Editions to build; nil means every edition whose notebooks exist.
	// An edition asked for by name whose directory is missing is an error.
	Editions []Edition
	// Params are the parameters ("quick=true") the notebooks are executed
	// with: each notebook gets those its cell tagged "parameters" declares
	// (see [Applicable]), and the executed copy records them for reuse.
	Params []string
	// Execute runs a notebook; nil means nothing is executed, and a
	// chapter without a reusable executed copy is an error.
	Execute Executor
	// Cache is the directory of executed copies kept for later builds
	// ("" keeps none).
	Cache string
	// From is a directory of notebooks executed elsewhere, reused when
	// their content hash matches the source ("" for none); From/zh for the
	// Chinese edition.
	From string
	// FromStale uses a notebook of From even when its cells differ from
	// the source's (the source was edited since it was executed); the
	// progress says which.
	FromStale bool
	// Math says how math is rendered (notebook.MathAuto: on the server
	// when node and KaTeX are there).
	Math notebook.MathMode
	// KaTeXDir and EChartsDir are the npm prefixes of KaTeX and ECharts;
	// "" means assets.KaTeXPrefix and assets.EChartsPrefix.
	KaTeXDir, EChartsDir string
	// Progress receives one line per chapter; nil means none.
	Progress io.Writer
}

// Errors callers branch on.
var (
	// ErrNoChapters: the notebooks directory holds no notebook.
	ErrNoChapters = errors.New("no chapter notebooks")
	// ErrNotExecuted: a chapter has no reusable executed copy and
	// Options.Execute is nil.
	ErrNotExecuted = errors.New("not executed")
	// ErrDeadLinks: the built site has links to files or anchors that are
	// not there.
	ErrDeadLinks = errors.New("dead links")
)

// Site describes a built book.
type Site struct {
	// Dir is the site directory; Index its English course map (or the
	// first edition's).
	Dir, Index string
	// Chapters of every edition, in order.
	Chapters []*Chapter
}

// Pages returns the paths of the chapter pages of edition e.
func (s *Site) Pages(e Edition) []string {
	var ps []string
	for _, c := range s.Chapters {
		if c.Edition == e {
			ps = append(ps, filepath.Join(s.Dir, c.Page()))
		}
	}
	return ps
}

// Build executes (or reuses) every chapter notebook and writes the site.
func Build(ctx context.Context, opts Options) (*Site, error) {
	if opts.Notebooks == "" || opts.Out == "" {
		return nil, errors.New("book: Options.Notebooks and Options.Out are required")
	}
	eds, named := opts.Editions, true
	if eds == nil {
		eds, named = Editions, false
	}
	b := &builder{opts: opts, site: &Site{Dir: opts.Out}}
	for _, e := range eds {
		dir := filepath.Join(opts.Notebooks, e.Dir())
		paths, err := chapterPaths(dir)
		if errors.Is(err, os.ErrNotExist) && !named && e != English {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("book: %s edition: %w", e, err)
		}
		if len(paths) == 0 {
			if !named && e != English {
				continue
			}
			return nil, fmt.Errorf("book: %s edition: %s: %w", e, dir, ErrNoChapters)
		}
		for _, p := range paths {
			c, err := b.chapter(ctx, e, p)
			if err != nil {
				return nil, err
			}
			b.site.Chapters = append(b.site.Chapters, c)
		}
	}
	if len(b.site.Chapters) == 0 {
		return nil, fmt.Errorf("book: %s: %w", opts.Notebooks, ErrNoChapters)
	}
	if err := b.write(ctx); err != nil {
		return nil, err
	}
	dead, err := CheckLinks(opts.Out)
	if err != nil {
		return nil, err
	}
	if len(dead) > 0 {
		msgs := make([]string, 0, len(dead))
		for i, d := range dead {
			if i == 10 {
				msgs = append(msgs, fmt.Sprintf("… and %d more", len(dead)-10))
				break
			}
			msgs = append(msgs, d.String())
		}
		return b.site, fmt.Errorf("book: %s: %w:\n%s", opts.Out, ErrDeadLinks, strings.Join(msgs, "\n"))
	}
	return b.site, nil
}

// chapterPaths lists the notebooks of dir in file-name order.
func chapterPaths(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var ps []string
	for _, e := range ents {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".ipynb") && !strings.HasPrefix(e.Name(), ".") {
			ps = append(ps, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(ps)
	return ps, nil
}

// ContentHash returns the hex sha256 of nb's cells' types and sources,
// leaving out outputs, execution counts, metadata and cells tagged
// "injected-parameters": it is the same for a notebook and its executed
// copies.
func ContentHash(nb *notebook.Notebook) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, c := range nb.Cells {
		if c.HasTag("injected-parameters") {
			continue
		}
		enc.Encode([2]string{c.CellType, c.Source})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// record is what an executed copy records in metadata.founderlab.book.
type record struct {
	Source string   `json:"source_sha256"`
	Params []string `json:"params"`
}

func readRecord(nb *notebook.Notebook) (record, bool) {
	fl, _ := nb.Metadata["founderlab"].(map[string]any)
	raw, ok := fl["book"]
	if !ok {
		return record{}, false
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return record{}, false
	}
	var r record
	if json.Unmarshal(b, &r) != nil || r.Source == "" {
		return record{}, false
	}
	return r, true
}

func writeRecord(nb *notebook.Notebook, r record) {
	if nb.Metadata == nil {
		nb.Metadata = map[string]any{}
	}
	fl, _ := nb.Metadata["founderlab"].(map[string]any)
	if fl == nil {
		fl = map[string]any{}
		nb.Metadata["founderlab"] = fl
	}
	params := make([]any, len(r.Params))
	for i, p := range r.Params {
		params[i] = p
	}
	fl["book"] = map[string]any{"source_sha256": r.Source, "params": params}
}

// Applicable returns the parameters of params ("name=value") whose names
// nb declares as top-level var or const in its cell tagged "parameters",
// in the order given: a book's -p quick=true applies to the chapters that
// have a quick mode, and the others run with their defaults.
func Applicable(nb *notebook.Notebook, params []string) []string {
	declared := map[string]bool{}
	for _, c := range nb.Cells {
		if c.CellType != notebook.Code || !c.HasTag("parameters") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), "parameters", "package p\n"+c.Source, 0)
		if err != nil {
			continue
		}
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && (gd.Tok == token.VAR || gd.Tok == token.CONST) {
				for _, spec := range gd.Specs {
					for _, n := range spec.(*ast.ValueSpec).Names {
						declared[n.Name] = true
					}
				}
			}
		}
	}
	var out []string
	for _, p := range params {
		name, _, _ := strings.Cut(p, "=")
		if declared[strings.TrimSpace(name)] {
			out = append(out, p)
		}
	}
	return out
}

func sameParams(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// executed returns the executed copy of the source notebook at path:
// from the cache, from Options.From, or executed now.
func (b *builder) executed(ctx context.Context, e Edition, path string, src *notebook.Notebook) (*notebook.Notebook, string, error) {
	hash := ContentHash(src)
	params := Applicable(src, b.opts.Params)
	want := record{Source: hash, Params: params}
	name := filepath.Base(path)
	var cached string
	if b.opts.Cache != "" {
		cached = filepath.Join(b.opts.Cache, e.Dir(), name)
		if nb, err := notebook.Read(cached); err == nil {
			if r, ok := readRecord(nb); ok && r.Source == hash && sameParams(r.Params, want.Params) {
				return nb, "reused " + cached, nil
			}
		}
	}
	if b.opts.From != "" {
		p := filepath.Join(b.opts.From, e.Dir(), name)
		if nb, err := notebook.Read(p); err == nil && ContentHash(nb) == hash {
			return nb, "from " + p, nil
		} else if err == nil && b.opts.FromStale {
			b.progress("%s: %s was executed from other sources; used as it is", path, p)
			return nb, "from " + p + " (stale)", nil
		} else if err == nil {
			b.progress("%s: %s was executed from other sources; not used", path, p)
		}
	}
	if b.opts.Execute == nil {
		return nil, "", fmt.Errorf("book: %s: %w (no executed copy with its content hash in the cache or --from, and executing is off)", path, ErrNotExecuted)
	}
	nb, err := notebook.Read(path) // a fresh copy to execute
	if err != nil {
		return nil, "", err
	}
	b.progress("%s: executing", path)
	if err := b.opts.Execute(ctx, nb, path, params); err != nil {
		return nil, "", fmt.Errorf("book: execute %s: %w", path, err)
	}
	writeRecord(nb, want)
	if cached != "" {
		if err := os.MkdirAll(filepath.Dir(cached), 0o755); err != nil {
			return nil, "", fmt.Errorf("book: cache: %w", err)
		}
		if err := notebook.Write(cached, nb); err != nil {
			return nil, "", err
		}
	}
	return nb, "executed", nil
}

func (b *builder) progress(format string, args ...any) {
	if b.opts.Progress != nil {
		fmt.Fprintf(b.opts.Progress, format+"\n", args...)
	}
}
