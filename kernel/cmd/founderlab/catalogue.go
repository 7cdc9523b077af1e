package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"

	"github.com/founderlab/founderlab/internal/assets"
)

// catalogue is what `founderlab data` and `founderlab models` manage: named
// items that can be listed, fetched, verified and located.
type catalogue struct {
	cmd   string // "data" or "models"
	usage string
	dir   string // where the items live
	names []string
	// lookup checks a name and returns its canonical form.
	lookup func(name string) (string, error)
	// row returns the size and license columns of `list`.
	row func(name string) (size, license string)
	// check says whether an item is present: nil, ErrMissing or ErrChecksum.
	check func(name string) error
	// fetch installs an item and returns its directory.
	fetch func(ctx context.Context, name string) (string, error)
	// path is an item's directory.
	path func(name string) string
}

// signalContext is a context cancelled by Ctrl-C or SIGTERM.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// run runs `founderlab CMD list|fetch|verify|path [NAME...|--all]`.
func (c catalogue) run(args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(os.Stderr, c.usage)
		if len(args) == 0 {
			return errors.New("missing command")
		}
		return nil
	}
	sub := args[0]
	fs := flag.NewFlagSet(c.cmd+" "+sub, flag.ContinueOnError)
	all := fs.Bool("all", false, "every one")
	fs.Usage = func() { fmt.Fprint(os.Stderr, c.usage) }
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var names []string
	for _, n := range fs.Args() {
		name, err := c.lookup(n)
		if err != nil {
			return err
		}
		names = append(names, name)
	}
	if *all || (len(names) == 0 && (sub == "list" || sub == "verify")) {
		names = c.names
	}
	ctx, cancel := signalContext()
	defer cancel()
	switch sub {
	case "list":
		w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "NAME\tSIZE\tSTATUS\tLICENSE")
		for _, n := range names {
			size, license := c.row(n)
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", n, size, status(c.check(n)), license)
		}
		w.Flush()
		fmt.Printf("\n%s directory: %s\n", c.cmd, c.dir)
		return nil
	case "fetch":
		if len(names) == 0 {
			return fmt.Errorf("name what to fetch, or --all (see `founderlab %s list`)", c.cmd)
		}
		for _, n := range names {
			p, err := c.fetch(ctx, n)
			if err != nil {
				return err
			}
			fmt.Printf("%-18s ok  %s\n", n, p)
		}
		return nil
	case "verify":
		bad := 0
		for _, n := range names {
			err := c.check(n)
			fmt.Printf("%-18s %s\n", n, status(err))
			if err != nil && !errors.Is(err, assets.ErrMissing) {
				fmt.Fprintf(os.Stderr, "  %v\n", err)
				bad++
			}
		}
		if bad > 0 {
			return fmt.Errorf("%d damaged: delete what is named above, then `founderlab %s fetch NAME`", bad, c.cmd)
		}
		return nil
	case "path":
		if len(names) != 1 {
			return fmt.Errorf("usage: founderlab %s path NAME", c.cmd)
		}
		fmt.Println(c.path(names[0]))
		return nil
	}
	return fmt.Errorf("unknown %s command %q\n\n%s", c.cmd, sub, c.usage)
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
