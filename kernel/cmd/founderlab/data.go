package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/internal/assets"
)

const dataUsage = `usage: founderlab data COMMAND [NAME...|--all]

Commands:
  list              the data sets: name, size, present or missing, license; where
  fetch NAME...     download data sets (--all for every one), checking each file's sha256
  verify [NAME...]  check the files present against their sha256 (default: all)
  path NAME         print the directory of a data set (fetching nothing)

The data directory is $FOUNDERLAB_DATA (default ~/.cache/founderlab/datasets).
Downloads come from each data set's public source, or from $FOUNDERLAB_MIRROR
(a URL or directory laid out as datasets/NAME/FILE, such as an unpacked kit);
$FOUNDERLAB_OFFLINE=1 forbids them.
`

func cmdData(args []string) error {
	store, err := datasets.NewStore()
	if err != nil {
		return err
	}
	store.Progress = os.Stderr
	var names []string
	for _, c := range datasets.Cards() {
		names = append(names, c.Name)
	}
	return catalogue{
		cmd: "data", usage: dataUsage, dir: store.Dir, names: names,
		lookup: func(n string) (string, error) {
			c, err := datasets.Lookup(n)
			return c.Name, err
		},
		row: func(n string) (string, string) {
			c, _ := datasets.Lookup(n)
			return assets.FormatBytes(c.Size()), c.License
		},
		check: store.Status,
		fetch: func(ctx context.Context, n string) (string, error) {
			return filepath.Join(store.Dir, n), store.Fetch(ctx, n)
		},
		path: func(n string) string { return filepath.Join(store.Dir, n) },
	}.run(args)
}
