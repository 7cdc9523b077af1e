package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/founderlab/founderlab/internal/testenv"
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
	return env
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

// robustnessCells: parameters, a library import, a panic, os.Exit(3), an
// endless loop, and a cell that must still run afterwards.
func robustnessCells() []*notebook.Cell {
	return []*notebook.Cell{
		code("params", "var (\n\tn = 3\n\twho = \"world\"\n)\n", "parameters"),
		code("hello", "%%\nfmt.Printf(\"hello %s %d\\n\", who, n)\n"),
		code("lib", "import \"github.com/founderlab/founderlab/datasets\"\n\n%%\nc, err := datasets.Lookup(\"wholesale\")\nif err != nil { panic(err) }\nfmt.Println(\"rows:\", c.Rows)\n"),
		code("panics", "%%\npanic(\"boom\")\n"),
		code("exits", "%%\nos.Exit(3)\n"),
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
	_, stderr, err := e.Founderlab(ctx, "run", "--timeout", "20s", "--allow-errors", "-p", "n=7", "-p", "who=gopher", "--html", html, p)
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
	// Cell 5: the injected parameters cell comes after cell 1.
	for _, want := range []string{"cell 5 (id panics) failed", "exit status 2"} {
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
	_, stderr, err := e.Founderlab(ctx, "run", "-q", p)
	if err == nil {
		t.Fatal("run succeeded on a notebook with a panicking cell")
	}
	if !strings.Contains(stderr, p+": cell 4 (id panics) failed: ProgramExit: the cell's program failed: exit status 2") {
		t.Errorf("error does not name the notebook, cell and error:\n%s", stderr)
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
			_, stderr, err := e.Founderlab(context.Background(), "run", p)
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
	stdout, stderr, _ := e.Founderlab(context.Background(), "doctor")
	for _, want := range []string{"ok    gonb", "ok    gopls", "ok    goimports", "ok    kernelspec", "gomlx backend go", "gomlx backend xla"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("doctor output lacks %q:\n%s%s", want, stdout, stderr)
		}
	}
}

func TestInstallIdempotentAndUninstall(t *testing.T) {
	e := needEnv(t)
	ctx := context.Background()
	// A second install over the first succeeds and keeps the kernel working.
	if _, stderr, err := e.Founderlab(ctx, "install", "--no-warm", "--no-echarts"); err != nil {
		t.Fatalf("second install: %v\n%s", err, stderr)
	}
	// Uninstall into a separate prefix so the shared installation stays.
	other := t.TempDir()
	jd := filepath.Join(other, "jupyter")
	pfx := filepath.Join(other, "prefix")
	if _, stderr, err := e.Founderlab(ctx, "install", "--no-warm", "--no-echarts", "--prefix", pfx, "--jupyter-data-dir", jd); err != nil {
		t.Fatalf("install: %v\n%s", err, stderr)
	}
	for _, p := range []string{filepath.Join(jd, "kernels", "founderlab", "kernel.json"), filepath.Join(pfx, "bin", "gonb"), filepath.Join(pfx, "shim", "go")} {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("install did not create %s", p)
		}
	}
	if _, stderr, err := e.Founderlab(ctx, "uninstall", "--prefix", pfx, "--jupyter-data-dir", jd); err != nil {
		t.Fatalf("uninstall: %v\n%s", err, stderr)
	}
	for _, p := range []string{filepath.Join(jd, "kernels", "founderlab"), pfx} {
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
	if _, stderr, err := e.Founderlab(ctx, "run", "-q", p); err != nil {
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
