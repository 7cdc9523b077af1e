package install

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
)

// pseudoVersion is the version the GoNB work module requires the
// FounderLab module at; the replace directive makes the number irrelevant.
const pseudoVersion = "v0.0.0-00010101000000-000000000000"

// WireModule makes the FounderLab module at root importable from the Go
// module in dir: it adds a require and a replace directive to dir/go.mod and
// merges root's go.sum into dir/go.sum. goBin is the real go command.
//
// The replace directive names root's module view ([ModuleView]) when one can
// be made, root itself otherwise.
func WireModule(ctx context.Context, goBin, dir, root string) error {
	target := root
	if view, err := ModuleView(root); err == nil {
		target = view
	}
	gomod := filepath.Join(root, "go.mod")
	data, err := os.ReadFile(gomod)
	if err != nil {
		return fmt.Errorf("install: %w", err)
	}
	mf, err := modfile.ParseLax(gomod, data, nil)
	if err != nil {
		return fmt.Errorf("install: %w", err)
	}
	// The work module lists the library's requirements too: since Go 1.17 a
	// main module's go.mod must name every module that provides a package
	// of its build, or go build asks for "go mod tidy".
	args := []string{"mod", "edit", "-require=" + Module + "@" + pseudoVersion, "-replace=" + Module + "=" + target}
	for _, r := range mf.Require {
		args = append(args, "-require="+r.Mod.Path+"@"+r.Mod.Version)
	}
	cmd := exec.CommandContext(ctx, goBin, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("install: wire %s into %s: %v: %s", root, dir, err, out)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		return fmt.Errorf("install: %w", err)
	}
	have, _ := os.ReadFile(filepath.Join(dir, "go.sum"))
	seen := map[string]bool{}
	for _, l := range strings.Split(string(have), "\n") {
		seen[l] = true
	}
	var b strings.Builder
	b.Write(have)
	for _, l := range strings.Split(string(sum), "\n") {
		if l != "" && !seen[l] {
			b.WriteString(l + "\n")
		}
	}
	return os.WriteFile(filepath.Join(dir, "go.sum"), []byte(b.String()), 0o644)
}

// Warm pre-compiles every package of the library, with GoNB's gonbui, into
// the Go build cache, in a module wired exactly as a kernel's work module
// is, so that the first notebook cell after an install only compiles itself.
func Warm(ctx context.Context, root, goBin string) error { return warm(ctx, root, goBin, nil) }

// warm is Warm with the go commands' environment (nil: inherited).
func warm(ctx context.Context, root, goBin string, env []string) error {
	list := exec.CommandContext(ctx, goBin, "list", "./lib/...", "./datasets/...")
	list.Dir = root
	list.Env = env
	out, err := list.Output()
	if err != nil {
		return fmt.Errorf("install: list library packages: %w", err)
	}
	pkgs := strings.Fields(string(out))
	dir, err := os.MkdirTemp("", "founderlab-warm-")
	if err != nil {
		return fmt.Errorf("install: %w", err)
	}
	defer os.RemoveAll(dir)
	run := func(args ...string) error {
		cmd := exec.CommandContext(ctx, goBin, args...)
		cmd.Dir = dir
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("install: warm: go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return nil
	}
	if err := run("mod", "init", "gonb_warm"); err != nil {
		return err
	}
	if err := WireModule(ctx, goBin, dir, root); err != nil {
		return err
	}
	args := []string{"build", "github.com/janpfeifer/gonb/gonbui"}
	for _, p := range pkgs {
		if !strings.Contains(p, "/internal/") && !strings.HasSuffix(p, "/internal") {
			args = append(args, p)
		}
	}
	// Several packages at once: go build compiles them into the cache and
	// discards the results.
	return run(args...)
}
