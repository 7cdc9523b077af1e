package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/founderlab/founderlab/internal/assets"
	"github.com/founderlab/founderlab/kernel/book"
	"github.com/founderlab/founderlab/kernel/notebook"
	"github.com/founderlab/founderlab/kernel/runner"
)

func cmdBook(args []string) error {
	flags := flag.NewFlagSet("book", flag.ContinueOnError)
	flags.Usage = func() {
		fmt.Fprintf(flags.Output(), `Usage: founderlab book [flags]

Builds the course as a static web site: executes every chapter notebook
(through the kernel, as "founderlab run" does) and writes a course map,
one page per chapter with its charts and rendered math, and the
Chinese edition beside the English one when notebooks/zh/ exists. The
site works from file:// and any static host; nothing is fetched from
elsewhere.

An executed notebook is kept in the cache with the content hash of its
source and the parameters; a later build reuses it while both match, and
executes the chapters that changed. --from DIR reuses notebooks executed
elsewhere (by "founderlab run" or CI) whose cells match the source's.

Math is rendered with KaTeX %s, installed from npm on first use
(into $%s, default ~/.local/share/founderlab/katex).

`, assets.KaTeXVersion, assets.EnvKaTeXDir)
		flags.PrintDefaults()
	}
	var params paramFlags
	flags.Var(&params, "p", "parameter override name=value (repeatable), e.g. -p quick=true; each chapter gets those its parameters cell declares")
	out := flags.String("o", "book", "write the site into this directory")
	lang := flags.String("lang", "all", "edition: en, zh, or all (every edition whose notebooks exist)")
	dir := flags.String("notebooks", "notebooks", "directory of the chapter notebooks (the Chinese edition in its zh/)")
	from := flags.String("from", "", "directory of executed notebooks to reuse where their cells match the source")
	fromStale := flags.Bool("from-stale", false, "use the --from notebooks even where the source was edited since they were executed")
	cacheDir := flags.String("cache", "", "directory of executed notebooks kept between builds (default: the user cache directory's founderlab/book)")
	noExec := flags.Bool("no-exec", false, "execute nothing: every chapter must come from the cache or --from")
	timeout := flags.Duration("timeout", 10*time.Minute, "per-cell time limit when executing (0: no limit)")
	quiet := flags.Bool("q", false, "no progress lines")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		flags.Usage()
		return fmt.Errorf("unexpected arguments %q", flags.Args())
	}
	eds, all, err := book.ParseEditions(*lang)
	if err != nil {
		return err
	}
	if all {
		eds = nil
	}
	if *cacheDir == "" {
		c, err := os.UserCacheDir()
		if err != nil {
			return fmt.Errorf("no cache directory (use --cache DIR): %w", err)
		}
		*cacheDir = filepath.Join(c, "founderlab", "book")
	}
	var strParams []string
	for _, p := range params {
		strParams = append(strParams, p.Name+"="+p.Value)
	}
	ctx, interrupt, stop := runSignals()
	defer stop()
	opts := book.Options{
		Notebooks: *dir, Out: *out, Editions: eds, Params: strParams,
		Cache: *cacheDir, From: *from, FromStale: *fromStale,
	}
	if !*quiet {
		opts.Progress = os.Stderr
	}
	if !*noExec {
		opts.Execute = func(ctx context.Context, nb *notebook.Notebook, path string, ps []string) error {
			var rps []runner.Param
			for _, s := range ps {
				p, err := runner.ParseParam(s)
				if err != nil {
					return err
				}
				rps = append(rps, p)
			}
			ro := runner.Options{
				CellTimeout: *timeout, Params: rps, Interrupt: interrupt,
				Dir: filepath.Dir(path), Name: path,
			}
			if !*quiet {
				ro.Progress = os.Stderr
			}
			report, err := runner.Run(ctx, nb, ro)
			if err != nil && report != nil && errors.Is(err, runner.ErrCellsFailed) && len(report.Errors) > 0 {
				return fmt.Errorf("%s", report.Errors[0])
			}
			return err
		}
	}
	ensureKaTeX(ctx, *quiet)
	site, err := book.Build(ctx, opts)
	if err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(os.Stderr, "book: %d chapters; open %s\n", len(site.Chapters), site.Index)
	}
	return nil
}

// ensureKaTeX installs the pinned KaTeX from npm when it is missing and
// downloads are allowed, so that the book's math is rendered; without it
// the book shows LaTeX source and says so.
func ensureKaTeX(ctx context.Context, quiet bool) {
	prefix, err := assets.KaTeXPrefix()
	if err != nil || assets.KaTeXInstalled(prefix) == nil || assets.FromEnv().Offline {
		return
	}
	if !quiet {
		fmt.Fprintf(os.Stderr, "book: installing KaTeX %s into %s\n", assets.KaTeXVersion, prefix)
	}
	if err := assets.InstallKaTeX(ctx, prefix); err != nil {
		fmt.Fprintf(os.Stderr, "book: math will show as LaTeX source: %v\n", err)
	}
}
