package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/founderlab/founderlab/internal/testenv"
	"github.com/founderlab/founderlab/kernel/install"
	"github.com/founderlab/founderlab/kernel/notebook"
)

// env is the installation shared by the end-to-end tests of this package;
// nil in -short mode.
var env *testenv.Env

func TestMain(m *testing.M) { os.Exit(testenv.Main(m, &env)) }

func needEnv(t *testing.T) *testenv.Env {
	t.Helper()
	if env == nil {
		t.Skip("end-to-end test: needs the kernel installed (not in -short mode)")
	}
	t.Cleanup(func() { checkNoneLeft(t, env) })
	return env
}

// command returns founderlab with args in the test installation, with
// extra environment variables. When ctx ends it gets SIGTERM, which makes
// it shut its kernel down, rather than SIGKILL, which would orphan the
// kernel.
func command(ctx context.Context, e *testenv.Env, extraEnv []string, args ...string) *exec.Cmd {
	cmd := e.Command(ctx, e.Bin, args...)
	cmd.Env = append(cmd.Env, extraEnv...)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	return cmd
}

// founderlab runs founderlab with args and returns its standard output and
// error (see command).
func founderlab(ctx context.Context, e *testenv.Env, args ...string) (stdout, stderr string, err error) {
	cmd := command(ctx, e, nil, args...)
	var o, s bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &s
	err = cmd.Run()
	return o.String(), s.String(), err
}

// lastLine returns the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// installationProcs lists the running processes started in e's
// installation: founderlab, the kernel (gonb), gopls and the cell programs
// all inherit its FOUNDERLAB_PREFIX.
func installationProcs(e *testenv.Env) []testenv.Proc {
	mark := []byte("\x00FOUNDERLAB_PREFIX=" + e.Prefix + "\x00")
	var ps []testenv.Proc
	for _, p := range testenv.Procs() {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", p.PID))
		if err == nil && bytes.Contains(append([]byte{0}, b...), mark) {
			ps = append(ps, p)
		}
	}
	return ps
}

// checkNoneLeft fails the test when a process of the installation is
// still running a few seconds after the test (a kernel, gopls or a cell
// program left behind), and kills them so that a failing test does not
// leave them running either.
func checkNoneLeft(t *testing.T, e *testenv.Env) {
	t.Helper()
	var left []testenv.Proc
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if left = installationProcs(e); len(left) == 0 || time.Now().After(deadline) {
			break
		}
	}
	for _, p := range left {
		t.Errorf("process left behind: pid %d %s: %s", p.PID, p.Name, p.Cmdline)
		syscall.Kill(p.PID, syscall.SIGKILL)
	}
}

// code returns an nbformat code cell.
func code(id string, src string, tags ...string) *notebook.Cell {
	md := map[string]any{}
	if len(tags) > 0 {
		var ts []any
		for _, t := range tags {
			ts = append(ts, t)
		}
		md["tags"] = ts
	}
	return &notebook.Cell{ID: id, CellType: notebook.Code, Source: src, Metadata: md}
}

func writeNotebook(t *testing.T, cells ...*notebook.Cell) string {
	t.Helper()
	nb := &notebook.Notebook{NBFormat: 4, NBFormatMinor: 5, Cells: cells, Metadata: map[string]any{
		"kernelspec": map[string]any{"name": "founderlab", "display_name": "Go (FounderLab)", "language": "go"},
	}}
	p := filepath.Join(t.TempDir(), "test.ipynb")
	if err := notebook.Write(p, nb); err != nil {
		t.Fatal(err)
	}
	return p
}

func streamText(c *notebook.Cell, name string) string {
	var b strings.Builder
	for _, o := range c.Outputs {
		if o.OutputType == "stream" && o.Name == name {
			b.WriteString(o.Text)
		}
	}
	return b.String()
}

func cellByID(t *testing.T, nb *notebook.Notebook, id string) *notebook.Cell {
	t.Helper()
	for _, c := range nb.Cells {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no cell %q", id)
	return nil
}

// robustnessCells: parameters, a library import, a panic, os.Exit(3), a
// compile error, an endless loop, and a cell that must still run afterwards.
func robustnessCells() []*notebook.Cell {
	return []*notebook.Cell{
		code("params", "var (\n\tn = 3\n\twho = \"world\"\n)\n", "parameters"),
		code("hello", "%%\nfmt.Printf(\"hello %s %d\\n\", who, n)\n"),
		code("lib", "import \"github.com/founderlab/founderlab/datasets\"\n\n%%\nc, err := datasets.Lookup(\"wholesale\")\nif err != nil { panic(err) }\nfmt.Println(\"rows:\", c.Rows)\n"),
		code("panics", "%%\npanic(\"boom\")\n"),
		code("exits", "%%\nos.Exit(3)\n"),
		code("typo", "%%\nfmt.Println(\"compiles?\")\nfmt.Println(nosuch)\n"),
		code("loops", "%%\nfor {}\n"),
		code("after", "%%\nfmt.Println(\"still alive\")\n"),
	}
}

func TestRunSurvivesPanicExitAndTimeout(t *testing.T) {
	e := needEnv(t)
	p := writeNotebook(t, robustnessCells()...)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	html := filepath.Join(filepath.Dir(p), "out.html")
	_, stderr, err := founderlab(ctx, e, "run", "--timeout", "20s", "--allow-errors", "-p", "n=7", "-p", "who=gopher", "--html", html, p)
	if err != nil {
		t.Fatalf("run --allow-errors: %v\n%s", err, stderr)
	}
	nb, err := notebook.Read(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := streamText(cellByID(t, nb, "hello"), "stdout"); got != "hello gopher 7\n" {
		t.Errorf("hello cell stdout = %q (parameters not injected?)", got)
	}
	if got := streamText(cellByID(t, nb, "lib"), "stdout"); got != "rows: 440\n" {
		t.Errorf("library cell stdout = %q, stderr %q", got, streamText(cellByID(t, nb, "lib"), "stderr"))
	}
	if got := streamText(cellByID(t, nb, "panics"), "stderr"); !strings.Contains(got, "panic: boom") {
		t.Errorf("panic cell stderr = %q", got)
	}
	if got := streamText(cellByID(t, nb, "exits"), "stderr"); !strings.Contains(got, "exit status 3") {
		t.Errorf("os.Exit cell stderr = %q", got)
	}
	loops := cellByID(t, nb, "loops")
	last := loops.Outputs[len(loops.Outputs)-1]
	if last.OutputType != "error" || last.EName != "CellTimeoutError" {
		t.Errorf("endless loop outputs = %+v, want a CellTimeoutError", loops.Outputs)
	}
	if got := streamText(cellByID(t, nb, "after"), "stdout"); got != "still alive\n" {
		t.Errorf("cell after the failures: stdout = %q", got)
	}
	// Cell 5: the injected parameters cell comes after cell 1. Each
	// progress line gives the first line of its cell's error; the last line
	// names the first failing cell.
	for _, want := range []string{
		"cell 5 (id panics) ... error after",
		": panic: boom\n",
		"cell 6 (id exits) ... error after",
		": exit status 3\n",
		"cell 7 (id typo) ... error after",
		": compile error at line 3: undefined: nosuch\n",
		"cell 8 (id loops) ... timed out after 20s, interrupting ... error after",
		": timed out after 20s\n",
		p + ": cell 5 (id panics) failed: panic: boom (continued: --allow-errors)\n",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	page, err := os.ReadFile(html)
	if err != nil || !bytes.Contains(page, []byte("hello gopher 7")) {
		t.Errorf("HTML export: %v, has output: %v", err, bytes.Contains(page, []byte("hello gopher 7")))
	}
}

func TestRunStopsAtFirstError(t *testing.T) {
	e := needEnv(t)
	cells := robustnessCells()
	p := writeNotebook(t, cells...)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	_, stderr, err := founderlab(ctx, e, "run", "-q", p)
	if err == nil {
		t.Fatal("run succeeded on a notebook with a panicking cell")
	}
	if got, want := lastLine(stderr), "founderlab run: "+p+": cell 4 (id panics) failed: panic: boom"; got != want {
		t.Errorf("last line of stderr = %q, want %q (the notebook, the cell and the panic)", got, want)
	}
	nb, err := notebook.Read(p)
	if err != nil {
		t.Fatal(err)
	}
	if out := cellByID(t, nb, "after").Outputs; len(out) != 0 {
		t.Errorf("cells after the failure ran: %+v", out)
	}
	if got := streamText(cellByID(t, nb, "hello"), "stdout"); got != "hello world 3\n" {
		t.Errorf("outputs before the failure were not saved: %q", got)
	}
}

// TestRunFailureLine checks the one line a person reads when a cell fails:
// the notebook, the cell (number and id) and the first line of the cell's
// actual error.
func TestRunFailureLine(t *testing.T) {
	e := needEnv(t)
	tests := []struct {
		name, src, want string
		args            []string
	}{
		{"panic with an error", "%%\nf, err := os.Open(\"no-such-data.csv\")\nif err != nil {\n\tpanic(err)\n}\nf.Close()\n",
			"panic: open no-such-data.csv: no such file or directory", nil},
		{"panic with several lines", "import \"errors\"\n\n%%\npanic(errors.New(\"datasets: x.csv is missing\\n(no network?)\"))\n",
			"panic: datasets: x.csv is missing", nil},
		{"compile error", "%%\nx := 1\nfmt.Println(\"x\")\n", "compile error at line 2: declared and not used: x", nil},
		{"syntax error", "%%\nfmt.Println(\"a\"\n", "compile error at line 2: missing ',' before newline in argument list", nil},
		{"timeout", "%%\nfor {}\n", "timed out after 5s", []string{"--timeout", "5s"}},
		{"exit status", "%%\nos.Exit(3)\n", "exit status 3", nil},
		{"message and exit", "%%\nfmt.Fprintln(os.Stderr, \"no config file\")\nos.Exit(1)\n", "no config file (exit status 1)", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeNotebook(t, code("hello", "%%\nfmt.Println(\"hello\")\n"), code("fails", tt.src), code("after", "%%\nfmt.Println(\"after\")\n"))
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			_, stderr, err := founderlab(ctx, e, append(append([]string{"run"}, tt.args...), p)...)
			if err == nil {
				t.Fatalf("run succeeded:\n%s", stderr)
			}
			want := "founderlab run: " + p + ": cell 2 (id fails) failed: " + tt.want
			if got := lastLine(stderr); !strings.HasPrefix(got, want) {
				t.Errorf("last line of stderr:\n got %q\nwant %q…\n%s", got, want, stderr)
			}
		})
	}
}

// TestRunRejectsBadFlags checks flags that are refused before anything runs.
func TestRunRejectsBadFlags(t *testing.T) {
	e := needEnv(t)
	p := writeNotebook(t, code("hello", "%%\nfmt.Println(\"hello\")\n"))
	before, _ := os.ReadFile(p)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--timeout", "-5s"}, "--timeout -5s: want a positive duration, or 0 for no limit"},
		{[]string{"--max-output", "-1"}, `invalid size "-1"`},
		{[]string{"--max-output", "12 parsecs"}, `invalid size "12 parsecs"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, stderr, err := founderlab(context.Background(), e, append(append([]string{"run"}, tt.args...), p)...)
			if err == nil || !strings.Contains(stderr, tt.want) {
				t.Errorf("run %v: err %v, stderr %q, want an error saying %q", tt.args, err, stderr, tt.want)
			}
			if strings.Contains(stderr, "[1/1]") {
				t.Errorf("a cell ran:\n%s", stderr)
			}
		})
	}
	if after, _ := os.ReadFile(p); !bytes.Equal(before, after) {
		t.Error("the notebook was modified")
	}
}

// TestRunCapsOutput checks that a cell printing in a loop keeps at most
// --max-output of its stdout, says how much was dropped, that founderlab's
// memory stays bounded, and that the failure line still shows the panic
// that came after the flood.
func TestRunCapsOutput(t *testing.T) {
	e := needEnv(t)
	const lines, width = 400000, 50 // 20 MB of stdout
	src := fmt.Sprintf("%%%%\nline := strings.Repeat(\"x\", %d)\nfor i := 0; i < %d; i++ {\n\tfmt.Println(line)\n}\npanic(\"after the flood\")\n", width-1, lines)
	p := writeNotebook(t, code("flood", src))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := command(ctx, e, nil, "run", "--max-output", "64KiB", p)
	var errBuf bytes.Buffer
	cmd.Stderr = &errBuf
	err := cmd.Run()
	stderr := errBuf.String()
	if err == nil {
		t.Fatal("run succeeded on a panicking cell")
	}
	// Holding the flood would take hundreds of MB (it took 1 GB for 58 MB).
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > 150<<10 {
		t.Errorf("founderlab's peak memory was %d MiB for a %d MB flood", ru.Maxrss>>10, lines*width/1000000)
	}
	if got, want := lastLine(stderr), p+": cell 1 (id flood) failed: panic: after the flood"; !strings.HasSuffix(got, want) {
		t.Errorf("last line of stderr = %q, want …%q", got, want)
	}
	nb, err := notebook.Read(p)
	if err != nil {
		t.Fatal(err)
	}
	out := streamText(cellByID(t, nb, "flood"), "stdout")
	m := regexp.MustCompile(`(?s)^(x{49}\n)+\n… output truncated: (\d+) bytes dropped \(a cell keeps 64 KiB of each stream\)\n$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("stdout is not whole lines and a truncation note: %d bytes, ending %q", len(out), out[max(0, len(out)-200):])
	}
	kept := strings.Index(out, "\n… output truncated")
	dropped, _ := strconv.Atoi(m[2])
	if kept > 64<<10 || kept < 60<<10 || kept+dropped != lines*width {
		t.Errorf("kept %d bytes and dropped %d, want at most 64 KiB kept and %d in all", kept, dropped, lines*width)
	}
	if got := streamText(cellByID(t, nb, "flood"), "stderr"); !strings.Contains(got, "panic: after the flood") {
		t.Errorf("stderr lost the panic: %q", got)
	}
	if st, _ := os.Stat(p); st.Size() > 200<<10 {
		t.Errorf("the notebook has %d bytes", st.Size())
	}
}

// TestRunWritesThroughSymlink checks that a notebook reached through a
// symbolic link is updated where it lives and the link stays a link.
func TestRunWritesThroughSymlink(t *testing.T) {
	e := needEnv(t)
	target := writeNotebook(t, code("hello", "%%\nfmt.Println(\"through the link\")\n"))
	link := filepath.Join(t.TempDir(), "link.ipynb")
	rel, err := filepath.Rel(filepath.Dir(link), target)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(rel, link); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if _, stderr, err := founderlab(ctx, e, "run", "-q", link); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v, %v", fi.Mode(), err)
	}
	nb, err := notebook.Read(target)
	if err != nil {
		t.Fatal(err)
	}
	if got := streamText(cellByID(t, nb, "hello"), "stdout"); got != "through the link\n" {
		t.Errorf("target's output = %q", got)
	}
}

// TestRunFailsFastOnReadOnlyDir checks that a notebook that cannot be
// written back is reported before any cell runs, naming the path.
func TestRunFailsFastOnReadOnlyDir(t *testing.T) {
	e := needEnv(t)
	p := writeNotebook(t, code("hello", "%%\nfmt.Println(\"hello\")\n"))
	dir := filepath.Dir(p)
	if os.Geteuid() == 0 {
		// Root writes into a mode 0555 directory; an immutable one stops it.
		if out, err := exec.Command("chattr", "+i", dir).CombinedOutput(); err != nil {
			t.Skipf("cannot make a directory read-only for root: chattr: %v %s", err, out)
		}
		t.Cleanup(func() { exec.Command("chattr", "-i", dir).Run() })
	} else {
		os.Chmod(dir, 0o555)
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
	}
	start := time.Now()
	_, stderr, err := founderlab(context.Background(), e, "run", p)
	if err == nil {
		t.Fatal("run succeeded with a read-only notebook directory")
	}
	if want := "cannot write " + p + ": cannot create a file in " + dir + ": "; !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q, want it to contain %q", stderr, want)
	}
	if strings.Contains(stderr, "[1/1]") || time.Since(start) > 10*time.Second {
		t.Errorf("the run started (%s):\n%s", time.Since(start), stderr)
	}
}

// TestRunSignals checks Ctrl-C and SIGTERM during `founderlab run`: the
// first Ctrl-C interrupts the running cell and ends the run; a second one,
// or SIGTERM, stops the kernel at once. founderlab exits within seconds,
// the notebook keeps the outputs so far, and no process is left (gonb,
// gopls, the cell's program).
func TestRunSignals(t *testing.T) {
	e := needEnv(t)
	loop := "%%\nfmt.Println(\"looping\")\nfor {\n}\n"
	deaf := "import \"os/signal\"\n\n%%\nsignal.Ignore(os.Interrupt)\nfmt.Println(\"looping\")\nfor {\n}\n"
	tests := []struct {
		name     string
		src      string
		signals  []os.Signal
		within   time.Duration // from the last signal to founderlab's exit
		wantLine string
		wantErr  string // ename of the error output the cell ends with
	}{
		{"ctrl-c interrupts the cell", loop, []os.Signal{os.Interrupt}, 15 * time.Second,
			"cell 2 (id loops) failed: interrupted; the notebook keeps the outputs so far", "CellInterrupted"},
		{"second ctrl-c stops at once", deaf, []os.Signal{os.Interrupt, os.Interrupt}, 5 * time.Second,
			"cell 2 (id loops): stopped by a second Ctrl-C; the notebook keeps the outputs so far", "RunStopped"},
		{"sigterm stops at once", loop, []os.Signal{syscall.SIGTERM}, 5 * time.Second,
			"cell 2 (id loops): stopped by SIGTERM; the notebook keeps the outputs so far", "RunStopped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeNotebook(t, code("hello", "%%\nfmt.Println(\"hello\")\n"), code("loops", tt.src), code("after", "%%\nfmt.Println(\"after\")\n"))
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			cmd := command(ctx, e, nil, "run", p)
			var stderr syncBuffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			// Wait until the loop's program runs.
			var procs []testenv.Proc
			for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(200 * time.Millisecond) {
				procs = testenv.Descendants(cmd.Process.Pid)
				if strings.Contains(stderr.String(), "cell 2 (id loops)") && hasProc(procs, "gonb_") {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the loop did not start; processes %v\n%s", procs, stderr.String())
				}
			}
			for _, name := range []string{"gonb", "gopls", "gonb_"} {
				if !hasProc(procs, name) {
					t.Errorf("no %s process under founderlab: %v", name, procs)
				}
			}
			for i, sig := range tt.signals {
				if i > 0 {
					time.Sleep(time.Second)
				}
				cmd.Process.Signal(sig)
			}
			sent := time.Now()
			select {
			case <-exited:
			case <-time.After(tt.within):
				t.Fatalf("founderlab still runs %s after the signal\n%s", tt.within, stderr.String())
			}
			t.Logf("exited %.1fs after the signal", time.Since(sent).Seconds())
			if code := cmd.ProcessState.ExitCode(); code != 130 {
				t.Errorf("founderlab exited with status %d, want 130 (ended by a signal)", code)
			}
			if got := lastLine(stderr.String()); !strings.HasSuffix(got, p+": "+tt.wantLine) {
				t.Errorf("last line of stderr = %q, want …%q", got, p+": "+tt.wantLine)
			}
			if left := testenv.WaitGone(procs, 5*time.Second); len(left) > 0 {
				t.Errorf("processes left behind: %v", left)
			}
			nb, err := notebook.Read(p)
			if err != nil {
				t.Fatal(err)
			}
			if got := streamText(cellByID(t, nb, "hello"), "stdout"); got != "hello\n" {
				t.Errorf("first cell's output = %q", got)
			}
			loops := cellByID(t, nb, "loops")
			if got := streamText(loops, "stdout"); got != "looping\n" {
				t.Errorf("interrupted cell's output = %q", got)
			}
			if n := len(loops.Outputs); n == 0 || loops.Outputs[n-1].EName != tt.wantErr {
				t.Errorf("interrupted cell's outputs = %+v, want a %s error last", loops.Outputs, tt.wantErr)
			}
			if out := cellByID(t, nb, "after").Outputs; len(out) != 0 {
				t.Errorf("the cell after ran: %+v", out)
			}
		})
	}
}

// hasProc reports whether a process in ps has a name starting with prefix
// ("gonb_" is a cell's program, named after GoNB's work directory).
func hasProc(ps []testenv.Proc, prefix string) bool {
	for _, p := range ps {
		if p.Name == prefix || strings.HasSuffix(prefix, "_") && strings.HasPrefix(p.Name, prefix) {
			return true
		}
	}
	return false
}

func TestRunRejectsBrokenNotebooks(t *testing.T) {
	e := needEnv(t)
	tests := []struct {
		name, content, want string
	}{
		{"invalid json", "{\"cells\": [\n  {\"cell_type\": \"code\",,}\n]}", "invalid JSON at line 2, column"},
		{"nbformat 3", `{"nbformat": 3, "nbformat_minor": 0, "worksheets": []}`, "nbformat 3 is not supported"},
		{"not a notebook", `{"hello": 1}`, "no \"nbformat\" field"},
		{"bad cell type", `{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [{"cell_type": "python", "source": "", "metadata": {}}]}`, "cell 1: unknown cell_type \"python\""},
		{"empty file", ``, "invalid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "broken.ipynb")
			os.WriteFile(p, []byte(tt.content), 0o644)
			before, _ := os.Stat(p)
			_, stderr, err := founderlab(context.Background(), e, "run", p)
			if err == nil {
				t.Fatal("run accepted a broken notebook")
			}
			if !strings.Contains(stderr, p) || !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr = %q, want the path and %q", stderr, tt.want)
			}
			after, _ := os.Stat(p)
			got, _ := os.ReadFile(p)
			if string(got) != tt.content || !after.ModTime().Equal(before.ModTime()) {
				t.Error("the broken notebook was modified")
			}
		})
	}
}

func TestDoctor(t *testing.T) {
	e := needEnv(t)
	stdout, stderr, _ := founderlab(context.Background(), e, "doctor")
	for _, want := range []string{"ok    gonb", "ok    gopls", "ok    goimports", "ok    kernelspec", "xla plugin"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("doctor output lacks %q:\n%s%s", want, stdout, stderr)
		}
	}
}

func TestInstallIdempotentAndUninstall(t *testing.T) {
	e := needEnv(t)
	ctx := context.Background()
	// A second install over the first succeeds and keeps the kernel working.
	if _, stderr, err := founderlab(ctx, e, "install", "--no-warm", "--no-echarts", "--no-katex"); err != nil {
		t.Fatalf("second install: %v\n%s", err, stderr)
	}
	// Uninstall into a separate prefix so the shared installation stays.
	other := t.TempDir()
	jd := filepath.Join(other, "jupyter")
	pfx := filepath.Join(other, "prefix")
	if _, stderr, err := founderlab(ctx, e, "install", "--no-warm", "--no-echarts", "--no-katex", "--prefix", pfx, "--jupyter-data-dir", jd); err != nil {
		t.Fatalf("install: %v\n%s", err, stderr)
	}
	for _, p := range []string{filepath.Join(jd, "kernels", "founderlab", "kernel.json"), filepath.Join(pfx, "bin", "gonb"), filepath.Join(pfx, "shim", "go")} {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("install did not create %s", p)
		}
	}
	if _, stderr, err := founderlab(ctx, e, "uninstall", "--prefix", pfx, "--jupyter-data-dir", jd); err != nil {
		t.Fatalf("uninstall: %v\n%s", err, stderr)
	}
	for _, p := range []string{filepath.Join(jd, "kernels", "founderlab"), install.LabExtensionDir(jd), pfx} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("uninstall left %s", p)
		}
	}
}

// TestLabServesNotebooksWithToken starts `founderlab lab` (with the
// checkout's .venv made by scripts/test-deps.sh) and checks that JupyterLab
// listens on loopback, refuses requests without the token, and offers the
// FounderLab kernel and the notebooks with it.
func TestLabServesNotebooksWithToken(t *testing.T) {
	e := needEnv(t)
	lab := filepath.Join(e.Root, ".venv", "bin", "jupyter-lab")
	testenv.Require(t, "JupyterLab", lab)
	port := freePort(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := e.Command(ctx, e.Bin, "lab", "--no-browser", "--port", fmt.Sprint(port))
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }() // SIGINT would ask for a confirmation
	tokenRE := regexp.MustCompile(`http://127\.0\.0\.1:\d+/lab\?token=([0-9a-f]+)`)
	var token string
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline) && token == ""; time.Sleep(500 * time.Millisecond) {
		if m := tokenRE.FindStringSubmatch(out.String()); m != nil {
			token = m[1]
		}
	}
	if token == "" {
		t.Fatalf("no URL with a token in the output:\n%s", out.String())
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	resp, err := http.Get(base + "/api/contents")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("request without token: %s, want 403", resp.Status)
	}
	get := func(path string) string {
		resp, err := http.Get(base + path + "?token=" + token)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %s", path, resp.Status)
		}
		return string(b)
	}
	if specs := get("/api/kernelspecs"); !strings.Contains(specs, `"founderlab"`) || !strings.Contains(specs, "Go (FounderLab)") {
		t.Errorf("kernel specs lack the FounderLab kernel: %s", specs)
	}
	if files := get("/api/contents"); !strings.Contains(files, "00-welcome.ipynb") {
		t.Errorf("JupyterLab does not serve notebooks/: %s", files)
	} else if strings.Contains(files, "_test.go") {
		t.Errorf("JupyterLab shows learners the notebooks' Go test file: %s", files)
	}
	// The settings the front end gets: defaults that ask no "official
	// Jupyter news?" question (fetchNews "none" would) and check for no
	// updates, and no user setting of the temporary HOME over them.
	var notif struct {
		Schema struct {
			Properties map[string]struct {
				Default any `json:"default"`
			} `json:"properties"`
		} `json:"schema"`
		Settings map[string]any `json:"settings"`
	}
	raw := get("/lab/api/settings/@jupyterlab/apputils-extension:notification")
	if err := json.Unmarshal([]byte(raw), &notif); err != nil {
		t.Fatalf("notification settings: %v\n%s", err, raw)
	}
	props := notif.Schema.Properties
	if props["fetchNews"].Default != "false" || props["checkForUpdates"].Default != false || len(notif.Settings) != 0 {
		t.Errorf("notification settings: fetchNews default %v, checkForUpdates default %v, user settings %v; want \"false\", false and none (no news pop-up)",
			props["fetchNews"].Default, props["checkForUpdates"].Default, notif.Settings)
	}
}

func TestWriteLabConfig(t *testing.T) {
	dir := t.TempDir()
	if err := writeLabConfig(dir); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "labconfig", "default_setting_overrides.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	n := got["@jupyterlab/apputils-extension:notification"]
	if n["fetchNews"] != "false" || n["checkForUpdates"] != false {
		t.Errorf("overrides = %s", b)
	}
}

func TestPrependPath(t *testing.T) {
	tests := []struct {
		env, want []string
	}{
		{[]string{"HOME=/h"}, []string{"HOME=/h", "JUPYTER_CONFIG_PATH=/x"}},
		{[]string{"JUPYTER_CONFIG_PATH="}, []string{"JUPYTER_CONFIG_PATH=/x"}},
		{[]string{"JUPYTER_CONFIG_PATH=/a:/b", "HOME=/h"}, []string{"HOME=/h", "JUPYTER_CONFIG_PATH=/x:/a:/b"}},
	}
	for _, tt := range tests {
		if got := prependPath(tt.env, "JUPYTER_CONFIG_PATH", "/x"); !slices.Equal(got, tt.want) {
			t.Errorf("prependPath(%q) = %q, want %q", tt.env, got, tt.want)
		}
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"1048576", 1 << 20, true}, {"64KiB", 64 << 10, true}, {"1MiB", 1 << 20, true},
		{"1M", 1 << 20, true}, {"2MB", 2e6, true}, {"10kB", 1e4, true}, {"1GiB", 1 << 30, true}, {" 5 MiB ", 5 << 20, true},
		{"-1", 0, false}, {"", 0, false}, {"MiB", 0, false}, {"1.5MiB", 0, false}, {"12 parsecs", 0, false}, {"99999999999GiB", 0, false},
	}
	for _, tt := range tests {
		got, err := parseSize(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d (ok %v)", tt.in, got, err, tt.want, tt.ok)
		}
		if tt.ok {
			// The flag prints its value in a form it reads back.
			f := sizeFlag(got)
			if back, err := parseSize(f.String()); err != nil || back != got {
				t.Errorf("sizeFlag(%d).String() = %q, which parses as %d, %v", got, f.String(), back, err)
			}
		}
	}
}

func TestWritableTargetFollowsLinks(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real", "nb.ipynb")
	os.MkdirAll(filepath.Dir(real), 0o755)
	os.WriteFile(real, []byte("{}"), 0o644)
	os.Symlink("real/nb.ipynb", filepath.Join(dir, "one.ipynb"))
	os.Symlink("one.ipynb", filepath.Join(dir, "two.ipynb"))
	os.Symlink("real/new.ipynb", filepath.Join(dir, "dangling.ipynb"))
	os.Symlink("loop.ipynb", filepath.Join(dir, "loop.ipynb"))
	tests := []struct {
		path, want, err string
	}{
		{"real/nb.ipynb", "real/nb.ipynb", ""},
		{"one.ipynb", "real/nb.ipynb", ""},
		{"two.ipynb", "real/nb.ipynb", ""},
		{"dangling.ipynb", "real/new.ipynb", ""},
		{"new.ipynb", "new.ipynb", ""},
		{"loop.ipynb", "", "too many levels of symbolic links"},
		{"real", "", "it is a directory"},
		{"missing/x.ipynb", "", "cannot create a file in " + filepath.Join(dir, "missing")},
	}
	for _, tt := range tests {
		got, err := writableTarget(filepath.Join(dir, tt.path))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("writableTarget(%s) = %q, %v; want an error with %q", tt.path, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != filepath.Join(dir, tt.want) {
			t.Errorf("writableTarget(%s) = %q, %v; want %s", tt.path, got, err, tt.want)
		}
	}
	if ents, _ := os.ReadDir(filepath.Join(dir, "real")); len(ents) != 1 {
		t.Errorf("the writability check left files: %v", ents)
	}
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLastDisplaysOfACellArrive checks that displays made just before a
// cell's program exits are not lost (GoNB v0.11 stops reading the display
// pipe at exit; the kernel's go shim makes main wait for them).
func TestLastDisplaysOfACellArrive(t *testing.T) {
	e := needEnv(t)
	p := writeNotebook(t, code("many", "import \"github.com/janpfeifer/gonb/gonbui\"\n\n%%\nfor i := 0; i < 5; i++ {\n\tgonbui.DisplayHTML(fmt.Sprintf(\"<p>display %d</p>\", i) + strings.Repeat(\"<!-- padding -->\", 40000))\n}\ngonbui.DisplayMarkdown(\"**last**\")\n"))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if _, stderr, err := founderlab(ctx, e, "run", "-q", p); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr)
	}
	nb, err := notebook.Read(p)
	if err != nil {
		t.Fatal(err)
	}
	outs := cellByID(t, nb, "many").Outputs
	if len(outs) != 6 {
		t.Fatalf("got %d displays, want 6", len(outs))
	}
	if md, _ := outs[5].Data["text/markdown"].(string); md != "**last**" {
		t.Errorf("last display = %+v", outs[5].Data)
	}
}
