package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/founderlab/founderlab/kernel/install"
	"github.com/founderlab/founderlab/kernel/notebook"
)

// TestEditedCellNeverRunsStaleBinary runs, in the real kernel, cells whose
// programs repeat and change: a cell printing 1, one printing 2, the first
// again (its program is unchanged: the executable comes from the build
// cache), then a cell importing a library from a local directory (wired
// with a replace directive, as the FounderLab module is), a cell editing
// that library's source, and the same importing cell again, which must see
// the edit. A panic still prints its stack trace without debug information.
func TestEditedCellNeverRunsStaleBinary(t *testing.T) {
	e := needEnv(t)
	lib := t.TempDir()
	nonce := time.Now().UnixNano()
	libSource := func(v string) []byte {
		return fmt.Appendf(nil, "package lib\n\n// nonce: %d\n\nfunc V() string { return %q }\n", nonce, v)
	}
	os.WriteFile(filepath.Join(lib, "go.mod"), []byte("module example.com/lib\n\ngo 1.24\n"), 0o644)
	os.WriteFile(filepath.Join(lib, "lib.go"), libSource("lib v1"), 0o644)
	os.WriteFile(filepath.Join(lib, "lib.go.v2"), libSource("lib v2"), 0o644)
	useLib := "import \"example.com/lib\"\n\n%%\nfmt.Println(lib.V())\n"
	p := writeNotebook(t,
		code("one", "%%\nfmt.Println(1)\n"),
		code("two", "%%\nfmt.Println(2)\n"),
		code("oneagain", "%%\nfmt.Println(1)\n"),
		code("wire", "!*go mod edit -require=example.com/lib@v0.0.0 -replace=example.com/lib="+lib+"\n"),
		code("lib1", useLib),
		code("edit", "!cp "+filepath.Join(lib, "lib.go.v2")+" "+filepath.Join(lib, "lib.go")+"\n"),
		code("lib2", useLib),
		code("panics", "func explode() { panic(\"boom\") }\n\n%%\nexplode()\n"),
	)
	trace := filepath.Join(t.TempDir(), "trace")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := command(ctx, e, []string{install.EnvShimTrace + "=" + trace}, "run", "--allow-errors", p)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	nb, err := notebook.Read(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ id, want string }{
		{"one", "1\n"}, {"two", "2\n"}, {"oneagain", "1\n"}, {"lib1", "lib v1\n"}, {"lib2", "lib v2\n"},
	} {
		cell := cellByID(t, nb, c.id)
		if got := streamText(cell, "stdout"); got != c.want {
			t.Errorf("cell %s printed %q, want %q (stderr %q)", c.id, got, c.want, streamText(cell, "stderr"))
		}
	}
	panics := streamText(cellByID(t, nb, "panics"), "stderr")
	for _, want := range []string{"panic: boom", "goroutine 1 [running]", "main.explode(", "main.go:", "main.main()"} {
		if !strings.Contains(panics, want) {
			t.Errorf("panic cell's stderr lacks %q:\n%s", want, panics)
		}
	}
	f, err := os.ReadFile(trace)
	if err != nil {
		t.Fatalf("the go shim wrote no trace: %v", err)
	}
	evs, err := install.ReadShimTrace(bytes.NewReader(f))
	if err != nil {
		t.Fatal(err)
	}
	var builds, places []install.ShimEvent
	for _, ev := range evs {
		switch ev.Cmd {
		case "build":
			builds = append(builds, ev)
		case "place":
			places = append(places, ev)
		}
	}
	// One build per Go cell: one, two, oneagain, lib1, lib2, panics.
	if len(builds) != 6 || len(places) != 6 {
		t.Fatalf("%d builds and %d placed executables, want 6 of each; trace:\n%s", len(builds), len(places), f)
	}
	for i, b := range builds {
		if !b.Cached || b.Exit != 0 {
			t.Errorf("build %d: cached %v, exit %d", i+1, b.Cached, b.Exit)
		}
	}
	if !places[2].Hit {
		t.Errorf("re-running cell one's unchanged program linked it again (no cache hit); trace:\n%s", f)
	}
	if places[4].Hit {
		t.Errorf("the cell after the library edit got a cached executable; trace:\n%s", f)
	}
}
