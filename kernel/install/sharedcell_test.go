package install

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// workDir makes a GoNB-like work directory named name under base with the
// given main.go and go.mod lines after the module directive, plus the
// executable and gopls socket GoNB keeps there.
func workDir(t *testing.T, base, name, main, modRest string) (dir, out string) {
	t.Helper()
	dir = filepath.Join(base, name)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	out = filepath.Join(dir, name)
	files := map[string]string{
		"main.go": main,
		"go.mod":  "module " + name + "\n\ngo 1.24\n" + modRest,
		"go.sum":  "",
		name:      "old executable " + name,
	}
	for f, s := range files {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l, err := net.Listen("unix", filepath.Join(dir, "gopls_socket"))
	if err == nil {
		t.Cleanup(func() { l.Close() })
	}
	return dir, out
}

func TestShareCell(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "cells")
	const prog = "package main\n\nfunc main() { println(1) }\n"
	a, outA := workDir(t, base, "gonb_aaaa", prog, "")
	b, outB := workDir(t, base, "gonb_bbbb", prog, "")
	c, outC := workDir(t, base, "gonb_cccc", prog+"// edited\n", "")
	sa, err := ShareCell(a, outA, root)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := ShareCell(b, outB, root)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := ShareCell(c, outC, root)
	if err != nil {
		t.Fatal(err)
	}
	if sa != sb {
		t.Errorf("two kernels' work directories with the same program share %s and %s, want one directory", sa, sb)
	}
	if sc == sa {
		t.Errorf("an edited cell got the unedited cell's shared directory %s", sc)
	}
	if filepath.Dir(sa) != root {
		t.Errorf("shared directory %s is not under %s", sa, root)
	}
	entries, err := os.ReadDir(sa)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "go.mod go.sum main.go" {
		t.Errorf("shared directory holds %q, want the sources only (no executable, no socket)", got)
	}
	mod, _ := os.ReadFile(filepath.Join(sa, "go.mod"))
	if !strings.HasPrefix(string(mod), "module "+SharedModule+"\n") {
		t.Errorf("shared go.mod = %q, want module %s", mod, SharedModule)
	}
	if m, _ := os.ReadFile(filepath.Join(sa, "main.go")); string(m) != prog {
		t.Errorf("shared main.go = %q, want %q", m, prog)
	}
	// Made before: the same directory again, nothing left behind.
	again, err := ShareCell(a, outA, root)
	if err != nil || again != sa {
		t.Errorf("ShareCell again = %s, %v; want %s", again, err, sa)
	}
	left, _ := filepath.Glob(filepath.Join(root, ".new-*"))
	if len(left) != 0 {
		t.Errorf("temporary copies left behind: %v", left)
	}
}

func TestShareCellRefuses(t *testing.T) {
	const prog = "package main\n\nfunc main() {}\n"
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string)
	}{
		{"subdirectory", func(t *testing.T, dir string) { os.Mkdir(filepath.Join(dir, "pkg"), 0o755) }},
		{"relative replace", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module gonb_x\n\ngo 1.24\n\nreplace example.com/lib => ../lib\n"), 0o644)
		}},
		{"file naming the work directory", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "go.work"), []byte("go 1.24\n\nuse "+dir+"\n"), 0o644)
		}},
		{"too large", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "data.bin"), make([]byte, maxShareBytes+1), 0o644)
		}},
		{"go.mod without module", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "go.mod"), []byte("go 1.24\n"), 0o644)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			dir, out := workDir(t, base, "gonb_x", prog, "")
			tc.setup(t, dir)
			root := filepath.Join(base, "cells")
			if s, err := ShareCell(dir, out, root); !errors.Is(err, ErrNotShareable) {
				t.Errorf("ShareCell = %q, %v; want ErrNotShareable", s, err)
			}
			if entries, _ := os.ReadDir(root); len(entries) != 0 {
				t.Errorf("a refused cell left %d entries in %s", len(entries), root)
			}
		})
	}
	// An absolute replace directive (how the FounderLab module is wired) is fine.
	base := t.TempDir()
	dir, out := workDir(t, base, "gonb_y", prog, "\nreplace example.com/lib => /opt/lib\n")
	if _, err := ShareCell(dir, out, filepath.Join(base, "cells")); err != nil {
		t.Errorf("absolute replace: %v", err)
	}
}

func TestLockCell(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cell")
	unlock, err := LockCell(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := TryLockCell(dir); ok || err != nil {
		t.Fatalf("TryLockCell while locked = %v, %v; want not ok", ok, err)
	}
	done := make(chan struct{})
	go func() {
		u, err := LockCell(dir)
		if err == nil {
			u()
		}
		close(done)
	}()
	select {
	case <-done:
		t.Fatal("LockCell returned while another holder had the lock")
	case <-time.After(200 * time.Millisecond):
	}
	unlock()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("LockCell still waits after the lock was released")
	}
	u, ok, err := TryLockCell(dir)
	if !ok || err != nil {
		t.Fatalf("TryLockCell after release = %v, %v", ok, err)
	}
	u()
}

func TestTrimSharedCells(t *testing.T) {
	root := t.TempDir()
	old := time.Now().Add(-8 * 24 * time.Hour)
	mk := func(name string, mtime time.Time) string {
		p := filepath.Join(root, name)
		os.Mkdir(p, 0o755)
		os.WriteFile(filepath.Join(p, "main.go"), []byte("package main\n"), 0o644)
		os.Chtimes(p, mtime, mtime)
		return p
	}
	stale, fresh, busy, leftover := mk("stale", old), mk("fresh", time.Now()), mk("busy", old), mk(".new-123", old)
	unlock, err := LockCell(busy)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	n, err := TrimSharedCells(root, SharedCellMaxAge)
	if err != nil || n != 1 {
		t.Errorf("TrimSharedCells = %d, %v; want 1 removed", n, err)
	}
	for _, c := range []struct {
		path string
		want bool
	}{{stale, false}, {fresh, true}, {busy, true}, {leftover, false}} {
		if _, err := os.Stat(c.path); (err == nil) != c.want {
			t.Errorf("%s exists = %v, want %v", filepath.Base(c.path), err == nil, c.want)
		}
	}
	// Once a day: a second call right away looks at nothing.
	mk("stale2", old)
	if n, err := TrimSharedCells(root, SharedCellMaxAge); n != 0 || err != nil {
		t.Errorf("second TrimSharedCells within a day = %d, %v; want 0", n, err)
	}
}

// TestSharedCellBuild builds one program from two GoNB-like work
// directories the way the go shim does, with the real go command: the
// second kernel's build is a cache hit, because both build from the same
// shared directory.
func TestSharedCellBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	root := filepath.Join(base, "cells")
	prog := "package main\n\nimport \"fmt\"\n\nconst nonce = " + time.Now().Format("20060102150405.000000000") + "\n\nfunc main() { fmt.Println(\"shared\", nonce > 0) }\n"
	trace := filepath.Join(base, "trace")
	for i, name := range []string{"gonb_k1", "gonb_k2"} {
		dir, out := workDir(t, base, name, prog, "")
		shared, err := ShareCell(dir, out, root)
		if err != nil {
			t.Fatal(err)
		}
		args, ok := CachedBuildArgs([]string{"build", "-o", out}, dir, self)
		if !ok {
			t.Fatal("CachedBuildArgs refused the cell build")
		}
		os.Remove(trace)
		cmd := exec.Command("go", WithInternalLink(args, "")...)
		cmd.Dir = shared
		cmd.Env = append(os.Environ(), EnvShimTrace+"="+trace, "GOPROXY=off")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: go build: %v\n%s", name, err, b)
		}
		got, err := exec.Command(out).Output()
		if err != nil || string(got) != "shared true\n" {
			t.Fatalf("%s: program printed %q, %v", name, got, err)
		}
		tr, _ := os.ReadFile(trace)
		if hit := strings.Contains(string(tr), `"hit":true`); hit != (i == 1) {
			t.Errorf("%s: cache hit %v, want %v (trace %s)", name, hit, i == 1, tr)
		}
	}
}
