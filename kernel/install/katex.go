package install

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/founderlab/founderlab/internal/assets"
)

// KaTeXDir returns where the KaTeX npm package is installed under prefix
// (with the default prefix, the place assets.KaTeXPrefix looks).
func KaTeXDir(prefix string) string { return filepath.Join(prefix, "katex") }

// katexFiles are the KaTeX files a kit carries and an install copies,
// relative to the npm prefix.
func katexFiles() []string {
	rels := []string{"node_modules/katex/package.json"}
	for _, f := range assets.KaTeXFiles {
		rels = append(rels, "node_modules/katex/"+f.Name)
	}
	return rels
}

// installKaTeX installs the pinned KaTeX, which renders the math of HTML
// exports and of the book, into the prefix, unless $FOUNDERLAB_KATEX_DIR
// already names an intact copy: from the kit when installing from one,
// else from npm. The copy is checked against the pinned sha256s.
func installKaTeX(ctx context.Context, opts Options) (string, error) {
	if d := os.Getenv(assets.EnvKaTeXDir); d != "" && assets.KaTeXInstalled(d) == nil {
		return d, nil
	}
	dir := KaTeXDir(opts.Prefix)
	if opts.kit != "" {
		fmt.Fprintf(opts.Log, "installing KaTeX %s from the kit into %s\n", assets.KaTeXVersion, dir)
		if err := copyFiles(filepath.Join(opts.kit, "katex"), dir, katexFiles()); err != nil {
			return "", err
		}
		return dir, assets.KaTeXInstalled(dir)
	}
	if opts.Offline && assets.KaTeXInstalled(dir) != nil {
		return "", fmt.Errorf("KaTeX %s is %w from %s and downloads are off", assets.KaTeXVersion, assets.ErrMissing, dir)
	}
	fmt.Fprintf(opts.Log, "installing KaTeX %s from npm into %s\n", assets.KaTeXVersion, dir)
	if err := assets.InstallKaTeX(ctx, dir); err != nil {
		return "", err
	}
	return dir, nil
}

// katexForKit returns an npm prefix holding an intact KaTeX: the
// configured one, the install prefix's, or a fresh npm install into the
// install prefix.
func katexForKit(ctx context.Context, o Options) (string, error) {
	var cands []string
	if p, err := assets.KaTeXPrefix(); err == nil {
		cands = append(cands, p)
	}
	cands = append(cands, KaTeXDir(o.Prefix))
	for _, p := range cands {
		if assets.KaTeXInstalled(p) == nil {
			return p, nil
		}
	}
	if o.Offline {
		return "", fmt.Errorf("KaTeX %s is %w from %v and downloads are off", assets.KaTeXVersion, assets.ErrMissing, cands)
	}
	dir := KaTeXDir(o.Prefix)
	return dir, assets.InstallKaTeX(ctx, dir)
}
