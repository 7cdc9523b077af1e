// Package install sets up FounderLab's Jupyter kernel: it builds GoNB and
// the Go tools it drives (gopls, goimports) from the versions pinned in the
// repository's go.mod files, writes the "founderlab" kernel spec, and wires
// the kernel so that every package of the FounderLab module can be imported
// from a notebook with no setup cell and no network.
//
// # How the library becomes importable
//
// GoNB compiles each cell in a fresh temporary Go module that it creates
// with `go mod init`. The kernel spec starts `founderlab kernel`, which puts
// a shim directory first on the kernel's PATH. The shim's "go" is the
// founderlab binary itself: it passes commands to the real go, with three
// exceptions in a GoNB work directory. It skips a `go get` that would change
// nothing ([GetIsNoop]); it builds a cell's program through Go's executable
// cache, from a copy of the work directory named by its content, so that
// an unchanged program is not linked again, nor the same cell in another
// kernel ([ShareCell], fastget_build.go, sharedcell.go); and after `go mod
// init` it adds
//
//	require github.com/founderlab/founderlab v0.0.0-...
//	replace github.com/founderlab/founderlab => <the checkout's module view>
//
// and the checkout's go.sum, so that imports of lib/... and datasets resolve
// to the local source and their dependencies to the module cache that the
// install step filled. The module view ([ModuleView]) is a directory of
// links to the checkout's non-hidden entries, so that GoNB's file watcher
// does not walk the checkout's virtual environments. Editing the library is
// picked up by the next cell.
//
// # Layout
//
// Everything goes under a prefix (default ~/.local/share/founderlab):
// bin/ holds founderlab, gonb, gopls and goimports; shim/go links to
// bin/founderlab; echarts/ holds the ECharts npm package used for offline
// charts; wheels/ the PyPI wheel XLA's CPU plugin comes from; install.json
// records what was installed for `uninstall` and `doctor`. The kernel spec
// goes to <jupyter data dir>/kernels/founderlab, and the XLA CPU plugin to
// lib/backend's PluginDir (~/.cache/founderlab/pjrt), where models find it.
// With $FOUNDERLAB_OFFLINE or --offline nothing is downloaded: the plugin is
// installed only from a wheel already in wheels/.
package install

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/founderlab/founderlab/internal/atomicfile"
	"github.com/founderlab/founderlab/kernel/kernelspec"
)

// Module is the FounderLab module path.
const Module = "github.com/founderlab/founderlab"

// KernelName and DisplayName name the installed kernel.
const (
	KernelName  = "founderlab"
	DisplayName = "Go (FounderLab)"
)

// Options configure [Install] and [Uninstall].
type Options struct {
	// Root is the FounderLab checkout; "" means [FindRoot] from the working directory.
	Root string
	// Prefix is where binaries and assets go; "" means [DefaultPrefix].
	Prefix string
	// JupyterDataDir receives kernels/founderlab; "" means the user's
	// Jupyter data directory (kernelspec.UserDataDir).
	JupyterDataDir string
	// NoWarm skips pre-compiling the library into the Go build cache.
	NoWarm bool
	// NoECharts skips installing the ECharts npm package.
	NoECharts bool
	// NoKaTeX skips installing the KaTeX npm package (math in HTML
	// exports and the book).
	NoKaTeX bool
	// NoXLA skips installing XLA's CPU plugin (models then run on the
	// pure-Go backend).
	NoXLA bool
	// Offline forbids downloads (default: $FOUNDERLAB_OFFLINE).
	Offline bool
	// From, when not empty, is a workshop kit (a tar file written by
	// [Pack]) to install from without network: Go modules, the XLA CPU
	// plugin, ECharts, the data sets and the pretrained models all come
	// from it.
	From string
	// Log receives progress lines; nil discards them.
	Log io.Writer

	kit    string   // the unpacked kit, while installing from one
	mirror string   // a mirror URL for assets (the kit's)
	goEnv  []string // extra environment for go commands (the kit's module proxy)
}

// Manifest records an installation.
type Manifest struct {
	Root        string    `json:"root"`
	Prefix      string    `json:"prefix"`
	KernelDir   string    `json:"kernel_dir"`
	Binaries    []string  `json:"binaries"`
	ECharts     string    `json:"echarts,omitempty"`
	KaTeX       string    `json:"katex,omitempty"`
	XLAPlugin   string    `json:"xla_plugin,omitempty"`
	Kit         string    `json:"kit,omitempty"`
	GoVersion   string    `json:"go_version"`
	InstalledAt time.Time `json:"installed_at"`
}

// DefaultPrefix returns ~/.local/share/founderlab (honouring $XDG_DATA_HOME)
// or $FOUNDERLAB_PREFIX when set.
func DefaultPrefix() (string, error) {
	if p := os.Getenv("FOUNDERLAB_PREFIX"); p != "" {
		return filepath.Abs(p)
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "founderlab"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("install: no home directory: %w", err)
	}
	return filepath.Join(home, ".local", "share", "founderlab"), nil
}

// FindRoot returns the FounderLab checkout: $FOUNDERLAB_ROOT, or the nearest
// directory at or above dir whose go.mod declares the FounderLab module.
func FindRoot(dir string) (string, error) {
	if r := os.Getenv("FOUNDERLAB_ROOT"); r != "" {
		return filepath.Abs(r)
	}
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if isRoot(d) {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("install: %s is not inside a FounderLab checkout (no go.mod for %s above it); run from the repository or set $FOUNDERLAB_ROOT", dir, Module)
		}
		d = parent
	}
}

func isRoot(d string) bool {
	f, err := os.Open(filepath.Join(d, "go.mod"))
	if err != nil {
		return false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if strings.TrimSpace(s.Text()) == "module "+Module {
			return true
		}
	}
	return false
}

func (o *Options) resolve() error {
	var err error
	if o.Root == "" {
		wd, _ := os.Getwd()
		if o.Root, err = FindRoot(wd); err != nil {
			return err
		}
	}
	if o.Prefix == "" {
		if o.Prefix, err = DefaultPrefix(); err != nil {
			return err
		}
	}
	if o.JupyterDataDir == "" {
		if o.JupyterDataDir, err = kernelspec.UserDataDir(); err != nil {
			return err
		}
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if off := os.Getenv("FOUNDERLAB_OFFLINE"); off != "" && off != "0" {
		o.Offline = true
	}
	return nil
}

// KernelDir returns the directory of the founderlab kernel spec.
func (o *Options) KernelDir() string { return filepath.Join(o.JupyterDataDir, "kernels", KernelName) }

// tool is a binary built from a pinned module.
type tool struct {
	name, pkg, moduleDir string // moduleDir relative to the root
}

func tools() []tool {
	return []tool{
		{"founderlab", "./kernel/cmd/founderlab", "."},
		{"gonb", "github.com/janpfeifer/gonb", "."},
		{"gopls", "golang.org/x/tools/gopls", "kernel/tools/gopls"},
		{"goimports", "golang.org/x/tools/cmd/goimports", "kernel/tools/goimports"},
	}
}

// Install performs the installation. It is idempotent: running it again
// rebuilds what changed and rewrites the kernel spec.
func Install(ctx context.Context, opts Options) (*Manifest, error) {
	if err := opts.resolve(); err != nil {
		return nil, err
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		return nil, errors.New("install: the go command is not on PATH; install Go 1.26 or newer from https://go.dev/dl")
	}
	bin := filepath.Join(opts.Prefix, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return nil, fmt.Errorf("install: %w", err)
	}
	if opts.From != "" {
		fmt.Fprintf(opts.Log, "unpacking the kit %s\n", opts.From)
		dir, err := unpackKit(opts.From, opts.Prefix)
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		opts.kit, opts.mirror = dir, "file://"+dir
		opts.Offline = true
		opts.goEnv = []string{"GOPROXY=file://" + filepath.Join(dir, "goproxy"), "GOSUMDB=off", "GOFLAGS=-mod=mod"}
	}
	m := &Manifest{Root: opts.Root, Prefix: opts.Prefix, KernelDir: opts.KernelDir(), InstalledAt: time.Now().UTC(), Kit: opts.From}
	if out, err := exec.CommandContext(ctx, goBin, "env", "GOVERSION").Output(); err == nil {
		m.GoVersion = strings.TrimSpace(string(out))
	}
	for _, t := range tools() {
		fmt.Fprintf(opts.Log, "building %s (%s)\n", t.name, t.pkg)
		dst := filepath.Join(bin, t.name)
		tmp := dst + ".new"
		cmd := exec.CommandContext(ctx, goBin, "build", "-o", tmp, t.pkg)
		cmd.Dir = filepath.Join(opts.Root, t.moduleDir)
		cmd.Env = opts.environ()
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("install: build %s: %v\n%s", t.name, err, out)
		}
		if err := os.Rename(tmp, dst); err != nil {
			return nil, fmt.Errorf("install: %w", err)
		}
		m.Binaries = append(m.Binaries, dst)
	}
	shim := filepath.Join(opts.Prefix, "shim")
	if err := os.MkdirAll(shim, 0o755); err != nil {
		return nil, fmt.Errorf("install: %w", err)
	}
	link := filepath.Join(shim, "go")
	os.Remove(link)
	if err := os.Symlink(filepath.Join(bin, "founderlab"), link); err != nil {
		return nil, fmt.Errorf("install: go shim: %w", err)
	}
	spec := &kernelspec.Spec{
		Argv:          []string{filepath.Join(bin, "founderlab"), "kernel", "--root", opts.Root, "--prefix", opts.Prefix, "--connection-file", "{connection_file}"},
		DisplayName:   DisplayName,
		Language:      "go",
		InterruptMode: "message",
		Metadata:      map[string]any{"founderlab": map[string]any{"root": opts.Root, "prefix": opts.Prefix}},
	}
	fmt.Fprintf(opts.Log, "writing kernel spec %s\n", opts.KernelDir())
	if err := kernelspec.Write(opts.KernelDir(), spec); err != nil {
		return nil, err
	}
	if !opts.NoECharts {
		dir, err := installECharts(ctx, opts)
		if err != nil {
			fmt.Fprintf(opts.Log, "warning: %v (charts will load ECharts from the CDN instead)\n", err)
		} else {
			m.ECharts = dir
		}
	}
	if !opts.NoKaTeX {
		dir, err := installKaTeX(ctx, opts)
		if err != nil {
			fmt.Fprintf(opts.Log, "warning: %v (HTML exports will show math as LaTeX source)\n", err)
		} else {
			m.KaTeX = dir
		}
	}
	if dir, err := installLabExtension(opts, m.ECharts); err != nil {
		fmt.Fprintf(opts.Log, "note: %v (JupyterLab and Notebook 7 draw charts from their HTML instead)\n", err)
	} else {
		fmt.Fprintf(opts.Log, "JupyterLab extension %s: %s\n", LabExtensionName, dir)
	}
	if !opts.NoXLA && runtime.GOOS == "linux" && runtime.GOARCH == "amd64" {
		p, err := installXLACPU(ctx, opts)
		if err != nil {
			fmt.Fprintf(opts.Log, "note: XLA CPU plugin not installed (%v); models run on the pure-Go backend\n", err)
		} else {
			fmt.Fprintf(opts.Log, "XLA CPU plugin: %s\n", p)
			m.XLAPlugin = p
		}
	}
	if !opts.NoWarm {
		fmt.Fprintf(opts.Log, "pre-compiling the library into the Go build cache\n")
		if err := warm(ctx, opts.Root, goBin, opts.environ()); err != nil {
			fmt.Fprintf(opts.Log, "warning: %v\n(the first cell that imports a broken package will show the same error)\n", err)
		}
	}
	if opts.kit != "" {
		if err := installKitContent(ctx, opts); err != nil {
			return nil, err
		}
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := atomicfile.WriteFile(filepath.Join(opts.Prefix, "install.json"), b, 0o644); err != nil {
		return nil, fmt.Errorf("install: %w", err)
	}
	fmt.Fprintf(opts.Log, "installed kernel %q (%s)\n", KernelName, DisplayName)
	return m, nil
}

// Uninstall removes the kernel spec and everything under the prefix that
// Install created. It does not touch the Go build or module caches.
func Uninstall(opts Options) error {
	if err := opts.resolveNoRoot(); err != nil {
		return err
	}
	if err := os.RemoveAll(opts.KernelDir()); err != nil {
		return fmt.Errorf("uninstall: %w", err)
	}
	if err := UninstallLabExtension(opts.JupyterDataDir); err != nil {
		return err
	}
	if m, err := ReadManifest(opts.Prefix); err == nil && m.XLAPlugin != "" {
		os.Remove(m.XLAPlugin)
	}
	for _, p := range []string{"bin", "shim", "echarts", "katex", "wheels", "install.json"} {
		if err := os.RemoveAll(filepath.Join(opts.Prefix, p)); err != nil {
			return fmt.Errorf("uninstall: %w", err)
		}
	}
	os.Remove(opts.Prefix) // only if empty
	return nil
}

func (o *Options) resolveNoRoot() error {
	if o.Root == "" {
		o.Root = "-"
	}
	err := o.resolve()
	if o.Root == "-" {
		o.Root = ""
	}
	return err
}

// ReadManifest reads the install.json under prefix.
func ReadManifest(prefix string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(prefix, "install.json"))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("install: %s: %w", filepath.Join(prefix, "install.json"), err)
	}
	return &m, nil
}

// environ is the environment of the go commands install runs.
func (o *Options) environ() []string {
	if len(o.goEnv) == 0 {
		return nil // inherit
	}
	return append(os.Environ(), o.goEnv...)
}
