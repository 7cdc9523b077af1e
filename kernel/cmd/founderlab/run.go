package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
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

// sizeFlag is a byte count written as 1048576, 512KiB, 1MiB, 2MB or 0.
type sizeFlag int64

func (s *sizeFlag) String() string {
	switch n := int64(*s); {
	case n > 0 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + "MiB"
	case n > 0 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + "KiB"
	default:
		return strconv.FormatInt(n, 10)
	}
}
func (s *sizeFlag) Set(v string) error {
	n, err := parseSize(v)
	if err != nil {
		return err
	}
	*s = sizeFlag(n)
	return nil
}

// parseSize parses a byte count with an optional unit: B, KiB, MiB, GiB
// (powers of 1024; K, M and G too) or kB, MB, GB (powers of 1000).
func parseSize(v string) (int64, error) {
	s := strings.TrimSpace(v)
	i := len(s)
	for i > 0 && (s[i-1] < '0' || s[i-1] > '9') {
		i--
	}
	num, unit := s[:i], strings.TrimSpace(s[i:])
	mult := map[string]int64{
		"": 1, "B": 1,
		"K": 1 << 10, "KiB": 1 << 10, "M": 1 << 20, "MiB": 1 << 20, "G": 1 << 30, "GiB": 1 << 30,
		"kB": 1e3, "KB": 1e3, "MB": 1e6, "GB": 1e9,
	}[unit]
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || mult == 0 || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("invalid size %q: want a number of bytes, optionally with a unit (512KiB, 1MiB, 2MB)", v)
	}
	return n * mult, nil
}

// job is one notebook to run, checked before any runs.
type job struct {
	path   string             // as given
	nb     *notebook.Notebook // read and validated
	dst    string             // file the executed notebook replaces (links resolved)
	html   string             // file the HTML export replaces, or ""
	htmlAs string             // the HTML path as given
}

func cmdRun(args []string) error {
	flags := flag.NewFlagSet("run", flag.ContinueOnError)
	flags.Usage = func() {
		fmt.Fprintf(flags.Output(), `Usage: founderlab run [flags] NOTEBOOK.ipynb...

Executes each notebook through the kernel and writes the outputs back.

Ctrl-C interrupts the running cell and stops the run after it; a second
Ctrl-C (or SIGTERM) stops the kernel at once. Either way the notebook is
written with the outputs so far.

`)
		flags.PrintDefaults()
	}
	var params paramFlags
	flags.Var(&params, "p", "parameter override name=value (repeatable); needs a cell tagged \"parameters\"")
	timeout := flags.Duration("timeout", 10*time.Minute, "per-cell time limit; a cell over it is interrupted (0: no limit)")
	maxOutput := sizeFlag(runner.DefaultMaxOutput)
	flags.Var(&maxOutput, "max-output", "keep at most `size` bytes (512KiB, 2MiB, …) of each output stream (stdout, stderr) of a cell; the rest is dropped with a note (0: no limit)")
	allow := flags.Bool("allow-errors", false, "keep running after a failing cell")
	output := flags.String("o", "", "write the executed notebook here instead of in place (one notebook only)")
	html := flags.String("html", "", "also write a standalone HTML export (one notebook only; with several, use --html-dir)")
	htmlDir := flags.String("html-dir", "", "write NAME.html exports into this directory")
	kernel := flags.String("kernel", "", "kernel spec name (default: the notebook's, else founderlab)")
	quiet := flags.Bool("q", false, "no progress lines")
	kernelLog := flags.String("kernel-log", "", "append the kernel's own log to this file")
	if err := flags.Parse(args); err != nil {
		return err
	}
	paths := flags.Args()
	if len(paths) == 0 {
		flags.Usage()
		return errors.New("no notebook given")
	}
	if *timeout < 0 {
		return fmt.Errorf("--timeout %v: want a positive duration, or 0 for no limit", *timeout)
	}
	if len(paths) > 1 && (*output != "" || *html != "") {
		return errors.New("-o and --html take one notebook; use --html-dir for several")
	}

	// Read, validate and check every destination first: a broken notebook
	// is reported and left untouched, and an unwritable destination fails
	// now rather than after the run.
	var jobs []*job
	for _, path := range paths {
		nb, err := notebook.Read(path)
		if err != nil {
			return err
		}
		j := &job{path: path, nb: nb}
		out := path
		if *output != "" {
			out = *output
		}
		if j.dst, err = writableTarget(out); err != nil {
			return err
		}
		j.htmlAs = *html
		if *htmlDir != "" {
			j.htmlAs = filepath.Join(*htmlDir, strings.TrimSuffix(filepath.Base(path), ".ipynb")+".html")
		}
		if j.htmlAs != "" {
			if j.html, err = writableTarget(j.htmlAs); err != nil {
				return err
			}
		}
		jobs = append(jobs, j)
	}

	var log *os.File
	if *kernelLog != "" {
		f, err := os.OpenFile(*kernelLog, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		log = f
	}

	ctx, interrupt, stop := runSignals()
	defer stop()
	var failed []string
	for _, j := range jobs {
		opts := runner.Options{
			Kernel: *kernel, CellTimeout: *timeout, AllowErrors: *allow, Params: params,
			MaxOutput: int64(maxOutput), Interrupt: interrupt,
			Dir: filepath.Dir(j.path), Name: j.path,
		}
		if maxOutput == 0 {
			opts.MaxOutput = -1 // no limit
		}
		if !*quiet {
			opts.Progress = os.Stderr
			fmt.Fprintf(os.Stderr, "%s\n", j.path)
		}
		if log != nil {
			opts.KernelLog = log
		}
		report, runErr := runner.Run(ctx, j.nb, opts)
		if report == nil {
			// Nothing ran (no kernel): the notebook stays as it was.
			return joinLines(append(failed, fmt.Sprintf("%s: %v", j.path, runErr)))
		}
		if err := j.write(); err != nil {
			return err
		}
		switch {
		case runErr == nil:
		case errors.Is(runErr, runner.ErrCellsFailed):
			msg := fmt.Sprintf("%s: %s", j.path, report.Errors[0])
			if *allow {
				fmt.Fprintf(os.Stderr, "%s (continued: --allow-errors)\n", msg)
				continue
			}
			failed = append(failed, msg)
		case errors.Is(runErr, runner.ErrInterrupted):
			msg := fmt.Sprintf("%s: interrupted", j.path)
			if n := len(report.Errors); n > 0 && report.Errors[n-1].Interrupted {
				msg = fmt.Sprintf("%s: %s", j.path, report.Errors[n-1])
			}
			return exitCode{130, joinLines(append(failed, msg+"; the notebook keeps the outputs so far"))}
		case report.Stopped != nil:
			s := report.Stopped
			msg := fmt.Sprintf("%s: cell %d%s: %s; the notebook keeps the outputs so far", j.path, s.Index, idSuffix(s.ID), s.Reason)
			return exitCode{130, joinLines(append(failed, msg))}
		default:
			return joinLines(append(failed, fmt.Sprintf("%s: %v; the notebook keeps the outputs so far", j.path, runErr)))
		}
	}
	if len(failed) > 0 {
		return joinLines(failed)
	}
	return nil
}

// idSuffix returns " (id ID)", or "" for a cell without id.
func idSuffix(id string) string {
	if id == "" {
		return ""
	}
	return " (id " + id + ")"
}

// exitCode is an error that sets the command's exit status: 130, as
// shells report a process ended by Ctrl-C, for a run stopped by a signal.
type exitCode struct {
	code int
	err  error
}

func (e exitCode) Error() string { return e.err.Error() }
func (e exitCode) Unwrap() error { return e.err }

// joinLines returns an error of the messages, one a line.
func joinLines(msgs []string) error { return errors.New(strings.Join(msgs, "\n")) }

// write writes the executed notebook and its HTML export.
func (j *job) write() error {
	if err := notebook.Write(j.dst, j.nb); err != nil {
		return err
	}
	if j.html == "" {
		return nil
	}
	b, err := notebook.ExportHTML(j.nb, filepath.Base(j.path))
	if err != nil {
		return err
	}
	return notebook.WriteFileAtomic(j.html, b)
}

// runSignals turns signals into the run's controls: the first SIGINT
// (Ctrl-C) is sent on interrupt, to interrupt the running cell and end
// the run after it; a second SIGINT, SIGTERM or SIGHUP cancels ctx, which
// stops the kernel at once. stop restores the default handling.
func runSignals() (ctx context.Context, interrupt <-chan struct{}, stop func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	intr := make(chan struct{}, 1)
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		interrupted := false
		for {
			select {
			case <-done:
				return
			case sig := <-sigs:
				if sig == os.Interrupt && !interrupted {
					interrupted = true
					fmt.Fprintln(os.Stderr, "\nfounderlab run: interrupting the running cell (Ctrl-C again to stop at once)")
					select {
					case intr <- struct{}{}:
					default:
					}
					continue
				}
				why := map[os.Signal]string{os.Interrupt: "a second Ctrl-C", syscall.SIGTERM: "SIGTERM", syscall.SIGHUP: "SIGHUP"}[sig]
				cancel(errors.New("stopped by " + why))
			}
		}
	}()
	return ctx, intr, func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
}

// writableTarget returns the file that writing path replaces — path
// itself, or the final target of the symbolic link(s) at path, so that a
// linked notebook is updated where it lives instead of being replaced by a
// copy — after checking that a file can be created next to it (the atomic
// write's temporary file).
func writableTarget(path string) (string, error) {
	target, err := resolveLinks(path)
	if err != nil {
		return "", err
	}
	shown := path
	if target != path {
		shown = fmt.Sprintf("%s (a link to %s)", path, target)
	}
	if fi, err := os.Stat(target); err == nil && fi.IsDir() {
		return "", fmt.Errorf("cannot write %s: it is a directory", shown)
	}
	dir := filepath.Dir(target)
	f, err := os.CreateTemp(dir, "."+filepath.Base(target)+".check-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return "", fmt.Errorf("cannot write %s: cannot create a file in %s: %v", shown, dir, err)
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return target, nil
}

// resolveLinks follows the symbolic links at path (not those of the
// directories above it) to the file they name, which need not exist yet.
func resolveLinks(path string) (string, error) {
	p := path
	for range 40 {
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return p, nil
		}
		t, err := os.Readlink(p)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(t) {
			t = filepath.Join(filepath.Dir(p), t)
		}
		p = t
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", path)
}
