package install

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Module view.
//
// GoNB watches the directory a work module's replace directive names: at
// a kernel's first cell it walks that whole tree, following symbolic
// links, to find the directories holding Go files. Pointed at a checkout,
// it walks the checkout's virtual environments and caches too (≈ 200,000
// files in a developer's checkout, ≈ 0.4 s of CPU per kernel; at a
// workshop every learner's kernel does it at the same moment). The kernel's
// work modules therefore replace the FounderLab module with a view of the
// checkout: a directory of symbolic links to the checkout's top-level
// entries, except the hidden ones (.git, .venv*, .cache, …, where no
// package of the module lives). The go command builds through the links;
// edits in the checkout are seen at once, since the links point at the
// files themselves.

// ModuleViewDir returns the directory of root's module view.
func ModuleViewDir(root string) string {
	return filepath.Join(root, ".cache", "founderlab-module")
}

// ModuleView makes, or brings up to date, the module view of the checkout
// root (see ModuleViewDir) and returns its directory. Kernels call it
// concurrently: every change is a rename, atomic. A view that cannot be
// written (a read-only checkout installed by someone else) is returned as
// it is when it is complete, and is an error otherwise.
func ModuleView(root string) (string, error) {
	view := ModuleViewDir(root)
	entries, err := os.ReadDir(root)
	if err != nil {
		return "", fmt.Errorf("install: module view: %w", err)
	}
	want := map[string]string{}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		want[e.Name()] = filepath.Join(root, e.Name())
	}
	if _, ok := want["go.mod"]; !ok {
		return "", fmt.Errorf("install: module view: %s has no go.mod", root)
	}
	if viewCurrent(view, want) {
		return view, nil
	}
	if err := os.MkdirAll(view, 0o755); err != nil {
		return "", fmt.Errorf("install: module view: %w", err)
	}
	for name, target := range want {
		link := filepath.Join(view, name)
		if t, err := os.Readlink(link); err == nil && t == target {
			continue
		}
		tmp := fmt.Sprintf("%s.tmp%d", link, os.Getpid())
		os.Remove(tmp)
		if err := os.Symlink(target, tmp); err != nil {
			return "", fmt.Errorf("install: module view: %w", err)
		}
		if err := os.Rename(tmp, link); err != nil {
			os.Remove(tmp)
			return "", fmt.Errorf("install: module view: %w", err)
		}
	}
	// Entries the checkout no longer has (a package directory removed).
	have, err := os.ReadDir(view)
	if err != nil {
		return "", fmt.Errorf("install: module view: %w", err)
	}
	for _, e := range have {
		if _, ok := want[e.Name()]; !ok && e.Type()&os.ModeSymlink != 0 {
			os.Remove(filepath.Join(view, e.Name()))
		}
	}
	return view, nil
}

// viewCurrent reports whether view holds exactly the links want (name to
// target).
func viewCurrent(view string, want map[string]string) bool {
	have, err := os.ReadDir(view)
	if err != nil {
		return false
	}
	n := 0
	for _, e := range have {
		target, ok := want[e.Name()]
		if !ok {
			return false
		}
		if t, err := os.Readlink(filepath.Join(view, e.Name())); err != nil || t != target {
			return false
		}
		n++
	}
	return n == len(want)
}
