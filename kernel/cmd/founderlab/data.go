package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"text/tabwriter"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/internal/assets"
)

const dataUsage = `usage: founderlab data COMMAND [NAME...]

Commands:
  list              the data sets: name, license, size, present or missing, where
  fetch NAME...     download data sets (--all for every one), checking each file's sha256
  verify [NAME...]  check the files present against their sha256 (default: all)
  path NAME         print the directory of a data set (fetching nothing)

The data directory is $FOUNDERLAB_DATA (default ~/.cache/founderlab/datasets).
Downloads come from each data set's public source, or from $FOUNDERLAB_MIRROR
(a URL or directory laid out as datasets/NAME/FILE, such as an unpacked kit);
$FOUNDERLAB_OFFLINE=1 forbids them.
`

// signalContext is a context cancelled by Ctrl-C or SIGTERM.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func cmdData(args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(os.Stderr, dataUsage)
		if len(args) == 0 {
			return errors.New("missing command")
		}
		return nil
	}
	fs := flag.NewFlagSet("data "+args[0], flag.ContinueOnError)
	all := fs.Bool("all", false, "every data set")
	fs.Usage = func() { fmt.Fprint(os.Stderr, dataUsage) }
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	store, err := datasets.NewStore()
	if err != nil {
		return err
	}
	names := fs.Args()
	if *all || (len(names) == 0 && args[0] != "fetch" && args[0] != "path") {
		names = nil
		for _, c := range datasets.Cards() {
			names = append(names, c.Name)
		}
	}
	for _, n := range names {
		if _, err := datasets.Lookup(n); err != nil {
			return err
		}
	}
	ctx, cancel := signalContext()
	defer cancel()
	switch args[0] {
	case "list":
		w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "NAME\tSIZE\tSTATUS\tLICENSE")
		for _, n := range names {
			c, _ := datasets.Lookup(n)
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", c.Name, assets.FormatBytes(c.Size()), status(store.Status(c.Name)), c.License)
		}
		w.Flush()
		fmt.Printf("\ndata directory: %s\n", store.Dir)
		return nil
	case "fetch":
		if len(names) == 0 {
			return errors.New("name the data sets to fetch, or --all (see `founderlab data list`)")
		}
		store.Progress = os.Stderr
		for _, n := range names {
			if err := store.Fetch(ctx, n); err != nil {
				return err
			}
			fmt.Printf("%-16s ok  %s\n", n, filepath.Join(store.Dir, n))
		}
		return nil
	case "verify":
		bad := 0
		for _, n := range names {
			err := store.Status(n)
			fmt.Printf("%-16s %s\n", n, status(err))
			if err != nil && !errors.Is(err, datasets.ErrMissing) {
				fmt.Fprintf(os.Stderr, "  %v\n", err)
				bad++
			}
		}
		if bad > 0 {
			return fmt.Errorf("%d data set(s) damaged: delete the files named above and fetch them again", bad)
		}
		return nil
	case "path":
		if len(names) != 1 {
			return errors.New("usage: founderlab data path NAME")
		}
		fmt.Println(filepath.Join(store.Dir, names[0]))
		return nil
	}
	return fmt.Errorf("unknown data command %q\n\n%s", args[0], dataUsage)
}

// status is the one-word state of a data set or model.
func status(err error) string {
	switch {
	case err == nil:
		return "present"
	case errors.Is(err, assets.ErrMissing):
		return "missing"
	case errors.Is(err, assets.ErrChecksum):
		return "DAMAGED"
	default:
		return "error: " + err.Error()
	}
}
