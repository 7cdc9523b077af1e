package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/founderlab/founderlab/kernel/notebook"
	"github.com/founderlab/founderlab/kernel/runner"
)

type paramFlags []runner.Param

func (p *paramFlags) String() string { return fmt.Sprint(*p) }
func (p *paramFlags) Set(s string) error {
	v, err := runner.ParseParam(s)
	if err != nil {
		return err
	}
	*p = append(*p, v)
	return nil
}

func cmdRun(args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: founderlab run [flags] NOTEBOOK.ipynb...\n\nExecutes each notebook through the kernel and writes the outputs back.\n\n")
		fs.PrintDefaults()
	}
	var params paramFlags
	fs.Var(&params, "p", "parameter override name=value (repeatable); needs a cell tagged \"parameters\"")
	timeout := fs.Duration("timeout", 10*time.Minute, "per-cell time limit; a cell over it is interrupted (0: none)")
	allow := fs.Bool("allow-errors", false, "keep running after a failing cell")
	output := fs.String("o", "", "write the executed notebook here instead of in place (one notebook only)")
	html := fs.String("html", "", "also write a standalone HTML export (one notebook only; with several, use --html-dir)")
	htmlDir := fs.String("html-dir", "", "write NAME.html exports into this directory")
	kernel := fs.String("kernel", "", "kernel spec name (default: the notebook's, else founderlab)")
	quiet := fs.Bool("q", false, "no progress lines")
	kernelLog := fs.String("kernel-log", "", "append the kernel's own log to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	paths := fs.Args()
	if len(paths) == 0 {
		fs.Usage()
		return errors.New("no notebook given")
	}
	if len(paths) > 1 && (*output != "" || *html != "") {
		return errors.New("-o and --html take one notebook; use --html-dir for several")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var failed []string
	for _, path := range paths {
		// Read and validate first: a broken notebook is reported and left untouched.
		nb, err := notebook.Read(path)
		if err != nil {
			return err
		}
		opts := runner.Options{
			Kernel: *kernel, CellTimeout: *timeout, AllowErrors: *allow, Params: params,
			Dir: filepath.Dir(path), Name: path,
		}
		if !*quiet {
			opts.Progress = os.Stderr
			fmt.Fprintf(os.Stderr, "%s\n", path)
		}
		if *kernelLog != "" {
			f, err := os.OpenFile(*kernelLog, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
			if err != nil {
				return err
			}
			defer f.Close()
			opts.KernelLog = f
		}
		_, runErr := runner.Run(ctx, nb, opts)
		if runErr != nil && !errors.Is(runErr, runner.ErrCellsFailed) {
			return fmt.Errorf("%s: %w", path, runErr)
		}
		dst := path
		if *output != "" {
			dst = *output
		}
		if err := notebook.Write(dst, nb); err != nil {
			return err
		}
		hp := *html
		if *htmlDir != "" {
			hp = filepath.Join(*htmlDir, strings.TrimSuffix(filepath.Base(path), ".ipynb")+".html")
		}
		if hp != "" {
			b, err := notebook.ExportHTML(nb, filepath.Base(path))
			if err != nil {
				return err
			}
			if err := notebook.WriteFileAtomic(hp, b); err != nil {
				return err
			}
		}
		if runErr != nil {
			msg := fmt.Sprintf("%s: %v", path, strings.TrimPrefix(runErr.Error(), runner.ErrCellsFailed.Error()+": "))
			if *allow {
				fmt.Fprintf(os.Stderr, "%s (continued: --allow-errors)\n", msg)
				continue
			}
			failed = append(failed, msg)
		}
	}
	if len(failed) > 0 {
		return errors.New(strings.Join(failed, "\n"))
	}
	return nil
}
