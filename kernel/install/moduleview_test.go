package install

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func viewLinks(t *testing.T, view string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(view)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, e := range entries {
		target, err := os.Readlink(filepath.Join(view, e.Name()))
		if err != nil {
			t.Errorf("%s in the view is not a link: %v", e.Name(), err)
			continue
		}
		m[e.Name()] = target
	}
	return m
}

func keys(m map[string]string) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, " ")
}

func TestModuleView(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"lib", "datasets", ".venv", ".git", ".cache"} {
		os.Mkdir(filepath.Join(root, d), 0o755)
	}
	os.WriteFile(filepath.Join(root, "go.mod"), []byte("module "+Module+"\n"), 0o644)
	os.WriteFile(filepath.Join(root, "doc.go"), []byte("package founderlab\n"), 0o644)
	view, err := ModuleView(root)
	if err != nil {
		t.Fatal(err)
	}
	if view != ModuleViewDir(root) {
		t.Errorf("view %s, want %s", view, ModuleViewDir(root))
	}
	links := viewLinks(t, view)
	if got := keys(links); got != "datasets doc.go go.mod lib" {
		t.Errorf("view holds %q, want the checkout's entries without the hidden ones", got)
	}
	if links["lib"] != filepath.Join(root, "lib") {
		t.Errorf("lib -> %s, want %s", links["lib"], filepath.Join(root, "lib"))
	}
	// The checkout changes: a new package directory, one removed.
	os.Mkdir(filepath.Join(root, "bench"), 0o755)
	os.Remove(filepath.Join(root, "datasets"))
	if _, err := ModuleView(root); err != nil {
		t.Fatal(err)
	}
	if got := keys(viewLinks(t, view)); got != "bench doc.go go.mod lib" {
		t.Errorf("after the checkout changed the view holds %q", got)
	}
	// A complete view in a directory that cannot be written is used as it is.
	if os.Geteuid() != 0 {
		os.Chmod(view, 0o555)
		defer os.Chmod(view, 0o755)
		if _, err := ModuleView(root); err != nil {
			t.Errorf("complete read-only view: %v", err)
		}
	}
	// Not a module.
	if _, err := ModuleView(t.TempDir()); err == nil {
		t.Error("ModuleView of a directory without go.mod succeeded")
	}
}

// TestWireModuleThroughView wires a work module to a small checkout with a
// virtual environment in it and builds a program importing a package of
// the checkout: the replace directive names the view, the build goes
// through its links, and an edit in the checkout is seen.
func TestWireModuleThroughView(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	root, work := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(root, "go.mod"), []byte("module "+Module+"\n\ngo 1.24\n"), 0o644)
	os.WriteFile(filepath.Join(root, "go.sum"), nil, 0o644)
	os.MkdirAll(filepath.Join(root, "lib", "hello"), 0o755)
	os.MkdirAll(filepath.Join(root, ".venv", "lib"), 0o755)
	src := func(v string) []byte { return []byte("package hello\n\nfunc V() string { return \"" + v + "\" }\n") }
	os.WriteFile(filepath.Join(root, "lib", "hello", "hello.go"), src("v1"), 0o644)
	ctx := context.Background()
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, goBin, args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("mod", "init", "gonb_viewtest")
	if err := WireModule(ctx, goBin, work, root); err != nil {
		t.Fatal(err)
	}
	mod, _ := os.ReadFile(filepath.Join(work, "go.mod"))
	if !strings.Contains(string(mod), Module+" => "+ModuleViewDir(root)) {
		t.Errorf("work go.mod does not replace the module with its view:\n%s", mod)
	}
	os.WriteFile(filepath.Join(work, "main.go"), []byte("package main\n\nimport (\n\t\"fmt\"\n\n\t\""+Module+"/lib/hello\"\n)\n\nfunc main() { fmt.Println(hello.V()) }\n"), 0o644)
	if got := run("run", "."); got != "v1\n" {
		t.Errorf("program printed %q, want v1", got)
	}
	os.WriteFile(filepath.Join(root, "lib", "hello", "hello.go"), src("v2"), 0o644)
	if got := run("run", "."); got != "v2\n" {
		t.Errorf("after editing the checkout the program printed %q, want v2", got)
	}
}
