package install

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for the go shim's placing step:
// `go run -exec 'TESTBINARY __founderlab_place' . OUT` runs it with
// PlaceArg, SRC and OUT.
func TestMain(m *testing.M) {
	if len(os.Args) == 4 && os.Args[1] == PlaceArg {
		err := Place(os.Args[2], os.Args[3])
		if trace := os.Getenv(EnvShimTrace); trace != "" {
			gocache, _ := exec.Command("go", "env", "GOCACHE").Output()
			AppendShimEvent(trace, ShimEvent{Cmd: "place", Hit: InBuildCache(os.Args[2], strings.TrimSpace(string(gocache)))})
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestCachedBuildArgs(t *testing.T) {
	const dir, shim = "/tmp/gonb_1", "/home/u/.local/share/founderlab/shim/go"
	tests := []struct {
		name string
		args []string
		shim string
		want []string
	}{
		{"cell build", []string{"build", "-o", "/tmp/gonb_1/gonb_1"}, shim,
			[]string{"run", "-exec", "'" + shim + "' " + PlaceArg, ".", "/tmp/gonb_1/gonb_1"}},
		{"extra flags (%goflags)", []string{"build", "-o", "/tmp/gonb_1/gonb_1", "-gcflags=all=-N -l"}, shim, nil},
		{"test cell", []string{"test", "-c", "-o", "/tmp/gonb_1/gonb_1"}, shim, nil},
		{"wasm cell", []string{"build", "-o", "/tmp/gonb_1/wasm/gonb_cell.wasm"}, shim, nil},
		{"other output", []string{"build", "-o", "/tmp/elsewhere/gonb_1"}, shim, nil},
		{"no output", []string{"build", "./..."}, shim, nil},
		{"relative shim", []string{"build", "-o", "/tmp/gonb_1/gonb_1"}, "shim/go", nil},
		{"quote in shim path", []string{"build", "-o", "/tmp/gonb_1/gonb_1"}, "/home/o'brien/shim/go", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := CachedBuildArgs(tt.args, dir, tt.shim)
			if ok != (tt.want != nil) || fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("CachedBuildArgs(%q) = %q, %v; want %q", tt.args, got, ok, tt.want)
			}
		})
	}
}

func TestPlace(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "cached"), filepath.Join(dir, "out")
	os.WriteFile(src, []byte("new program"), 0o555)
	os.WriteFile(dst, []byte("old program"), 0o755)
	if err := Place(src, dst); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "new program" {
		t.Fatalf("dst = %q", got)
	}
	if fi, _ := os.Stat(dst); fi.Mode().Perm()&0o100 == 0 {
		t.Fatalf("dst mode %v is not executable", fi.Mode())
	}
	// Writing to the placed file must never reach the cache's copy.
	os.Chmod(dst, 0o755)
	os.WriteFile(dst, []byte("scribbled"), 0o755)
	if got, _ := os.ReadFile(src); string(got) != "new program" {
		t.Fatalf("writing dst changed src: %q", got)
	}
	for _, bad := range []string{filepath.Join(dir, "missing"), dir} {
		if err := Place(bad, dst); err == nil {
			t.Errorf("Place(%s) succeeded", bad)
		}
	}
}

// TestPlaceSameProgram: placing the program that is already in place (the
// same Go build ID) leaves the file as it is, as re-running a cell does.
func TestPlaceSameProgram(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if goBuildID(self) == nil {
		t.Skip("the test binary has no ELF Go build ID")
	}
	dst := filepath.Join(t.TempDir(), "out")
	if err := Place(self, dst); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(dst)
	if err := Place(self, dst); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(dst)
	if !os.SameFile(before, after) {
		t.Error("the same program was copied again")
	}
	other := filepath.Join(t.TempDir(), "other")
	os.WriteFile(other, []byte("not a Go program"), 0o755)
	if err := Place(other, dst); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "not a Go program" {
		t.Error("a different file was not placed")
	}
}

func TestReadShimTrace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trace")
	AppendShimEvent(path, ShimEvent{Cmd: "build", Cached: true, Seconds: 1.5})
	AppendShimEvent(path, ShimEvent{Cmd: "place", Hit: true})
	b, _ := os.ReadFile(path)
	evs, err := ReadShimTrace(bytes.NewReader(b))
	if err != nil || len(evs) != 2 || evs[0].Seconds != 1.5 || !evs[0].Cached || !evs[1].Hit {
		t.Fatalf("ReadShimTrace = %+v, %v", evs, err)
	}
	if _, err := ReadShimTrace(strings.NewReader("{\"cmd\":\"build\"}\nnot json\n")); err == nil {
		t.Fatal("a malformed line was accepted")
	}
}

func TestInBuildCache(t *testing.T) {
	tests := []struct {
		path, cache string
		want        bool
	}{
		{"/root/.cache/go-build/fb/fb9d-d/gonb_1", "/root/.cache/go-build", true},
		{"/tmp/go-build1050/b001/exe/gonb_1", "/root/.cache/go-build", false},
		{"/root/.cache/go-build-other/x", "/root/.cache/go-build", false},
		{"/root/.cache/go-build", "/root/.cache/go-build", false},
		{"/x", "", false},
	}
	for _, tt := range tests {
		if got := InBuildCache(tt.path, tt.cache); got != tt.want {
			t.Errorf("InBuildCache(%q, %q) = %v", tt.path, tt.cache, got)
		}
	}
}

// TestExecutableCache builds programs the way the go shim builds GoNB's
// cells, with the real go command: an unchanged program is placed from the
// build cache, and every change of the program or of a library it imports
// through a replace directive gives a new executable, never a stale one.
func TestExecutableCache(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	work, lib := filepath.Join(base, "gonb_cachetest"), filepath.Join(base, "lib")
	os.Mkdir(work, 0o755)
	os.Mkdir(lib, 0o755)
	// A nonce makes the first build a miss, whatever earlier runs cached.
	nonce := time.Now().UnixNano()
	os.WriteFile(filepath.Join(lib, "go.mod"), []byte("module example.com/lib\n\ngo 1.24\n"), 0o644)
	writeLib := func(v string) {
		os.WriteFile(filepath.Join(lib, "lib.go"), []byte("package lib\n\nfunc V() string { return \""+v+"\" }\n"), 0o644)
	}
	writeLib("lib1")
	os.WriteFile(filepath.Join(work, "go.mod"), []byte("module gonb_cachetest\n\ngo 1.24\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => "+lib+"\n"), 0o644)
	writeMain := func(v string) {
		os.WriteFile(filepath.Join(work, "main.go"), []byte(fmt.Sprintf("package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/lib\"\n)\n\nconst nonce = %d\n\nfunc main() { fmt.Println(%q, lib.V()) }\n", nonce, v)), 0o644)
	}
	out := filepath.Join(work, "gonb_cachetest")
	trace := filepath.Join(base, "trace")
	args, ok := CachedBuildArgs([]string{"build", "-o", out}, work, self)
	if !ok {
		t.Fatalf("CachedBuildArgs refused the cell build (test binary %s)", self)
	}
	args = WithInternalLink(args, "")
	build := func() (output string, hit bool) {
		t.Helper()
		os.Remove(trace)
		cmd := exec.Command("go", args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), EnvShimTrace+"="+trace, "GOFLAGS=-mod=mod", "GOPROXY=off")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, b)
		}
		if goBuildID(out) == nil {
			t.Fatal("the placed executable has no Go build ID")
		}
		b, err := exec.Command(out).Output()
		if err != nil {
			t.Fatalf("run the placed executable: %v", err)
		}
		f, _ := os.ReadFile(trace)
		evs, err := ReadShimTrace(bytes.NewReader(f))
		if err != nil || len(evs) != 1 {
			t.Fatalf("trace %+v, %v", evs, err)
		}
		return strings.TrimSpace(string(b)), evs[0].Hit
	}
	steps := []struct {
		name string
		edit func()
		want string
		hit  bool
	}{
		{"first build", func() { writeMain("1") }, "1 lib1", false},
		{"same program again", func() {}, "1 lib1", true},
		{"edited cell", func() { writeMain("2") }, "2 lib1", false},
		{"first cell again", func() { writeMain("1") }, "1 lib1", true},
		{"library source changed", func() { writeLib("lib2") }, "1 lib2", false},
		{"library changed back", func() { writeLib("lib1") }, "1 lib1", true},
	}
	for _, s := range steps {
		s.edit()
		got, hit := build()
		if got != s.want || hit != s.hit {
			t.Errorf("%s: program printed %q (cache hit %v), want %q (hit %v)", s.name, got, hit, s.want, s.hit)
		}
	}
}

func TestWithInternalLink(t *testing.T) {
	run := []string{"run", "-exec", "'/s/go' " + PlaceArg, ".", "/tmp/gonb_1/gonb_1"}
	tests := []struct {
		name    string
		args    []string
		goflags string
		want    []string
	}{
		{"cell build", run, "", append([]string{"run", "-ldflags=-linkmode=internal"}, run[1:]...)},
		{"GOFLAGS with other flags", run, "-mod=mod", append([]string{"run", "-ldflags=-linkmode=internal"}, run[1:]...)},
		{"GOFLAGS sets ldflags", run, "-ldflags=-X=main.v=1", run},
		{"not a go run", []string{"build", "."}, "", []string{"build", "."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := WithInternalLink(tt.args, tt.goflags); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("WithInternalLink = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNeedsExternalLink(t *testing.T) {
	tests := []struct {
		name, output string
		want         bool
	}{
		{"compile error", "# gonb_1\n./main.go:12:3: undefined: x\n", false},
		{"compile error without column", "# gonb_1\nmain.go:12: syntax error\n", false},
		{"internal linker refuses an object", "# gonb_1\nloadelf: $WORK/b001/_pkg_.a(_x002.o): malformed elf file: main(.text)#0: reloc of invalid sym #3 tls shndx=5 type=6\n", true},
		{"linker error", "# gonb_1\n/usr/local/go/pkg/tool/linux_amd64/link: running gcc failed: exit status 1\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NeedsExternalLink([]byte(tt.output)); got != tt.want {
				t.Fatalf("NeedsExternalLink = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestInternalLinkFallback checks on the real toolchain that a cgo program
// Go's internal linker refuses (thread-local C storage) fails in a way
// NeedsExternalLink recognises, and builds in the default link mode.
func TestInternalLinkFallback(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command and gcc")
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("no gcc: cgo cannot be tested")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module gonb_cgo\n\ngo 1.24\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\n/*\nstatic __thread int tls;\nint f(void) { return ++tls; }\n*/\nimport \"C\"\nimport \"fmt\"\n\nfunc main() { fmt.Println(int(C.f())) }\n"), 0o644)
	args := []string{"run", "."}
	cmd := exec.Command("go", WithInternalLink(args, "")...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Skipf("this toolchain links thread-local C storage internally: nothing to fall back from (%s)", out)
	}
	if !NeedsExternalLink(out) {
		t.Fatalf("internal link failure not recognised:\n%s", out)
	}
	cmd = exec.Command("go", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != "1" {
		t.Fatalf("default link mode: %v\n%s", err, out)
	}
}
