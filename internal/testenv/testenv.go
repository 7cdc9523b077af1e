// Package testenv holds the test harness: [New] sets up a throw-away
// FounderLab installation for end-to-end tests (it builds the founderlab
// command, installs the kernel into temporary HOME, prefix and Jupyter data
// directories, and gives the environment in which to run it; the Go build
// and module caches are shared with the caller, and GOPROXY=off proves that
// nothing is downloaded), and [RequireData] gives tests the real data sets
// they read, or skips them saying what is missing.
package testenv

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/founderlab/founderlab/datasets"
)

// Env is an installed test environment.
type Env struct {
	// Root is the FounderLab checkout.
	Root string
	// Dir is the temporary directory holding everything else.
	Dir string
	// Bin is the installed founderlab binary.
	Bin string
	// Prefix and JupyterData are where install put things.
	Prefix, JupyterData string
	// Environ is the environment for commands run in this installation.
	Environ []string
}

// Root returns the FounderLab checkout containing the working directory.
func Root() (string, error) {
	d, _ := os.Getwd()
	for {
		if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && bytes.Contains(b, []byte("module github.com/founderlab/founderlab\n")) {
			return d, nil
		}
		p := filepath.Dir(d)
		if p == d {
			return "", fmt.Errorf("testenv: no FounderLab go.mod above the working directory")
		}
		d = p
	}
}

// Require skips (or, under CI, fails) the test when a needed program is missing.
func Require(t testing.TB, what, path string) {
	t.Helper()
	if _, err := os.Stat(path); err == nil {
		return
	}
	if _, err := exec.LookPath(path); err == nil {
		return
	}
	msg := fmt.Sprintf("%s not found at %s: run scripts/test-deps.sh", what, path)
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// New builds and installs FounderLab into a new temporary directory. The
// caller removes Dir when done (see Close).
func New() (*Env, error) {
	root, err := Root()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "founderlab-e2e-")
	if err != nil {
		return nil, err
	}
	e := &Env{Root: root, Dir: dir, Prefix: filepath.Join(dir, "prefix"), JupyterData: filepath.Join(dir, "jupyter")}
	goenv := map[string]string{}
	out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH").Output()
	if err != nil {
		return nil, fmt.Errorf("testenv: go env: %w", err)
	}
	vals := strings.Split(strings.TrimSpace(string(out)), "\n")
	for i, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH"} {
		goenv[k] = vals[i]
	}
	home := filepath.Join(dir, "home")
	os.MkdirAll(home, 0o755)
	// The kernel reads real data from the tests' data directory, found here
	// with the real HOME: the tests fetch into it (RequireData) before the
	// kernel, which never downloads, reads it.
	data, err := DataStore()
	if err != nil {
		return nil, fmt.Errorf("testenv: %w", err)
	}
	env := []string{}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "HOME", "JUPYTER_DATA_DIR", "JUPYTER_PATH", "FOUNDERLAB_PREFIX", "GOPROXY", "GOFLAGS", "XDG_DATA_HOME", "XDG_CACHE_HOME", "GOCACHE", "GOMODCACHE", "GOPATH", datasets.EnvDataDir, datasets.EnvOffline:
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "HOME="+home, "JUPYTER_DATA_DIR="+e.JupyterData, "FOUNDERLAB_PREFIX="+e.Prefix,
		"GOCACHE="+goenv["GOCACHE"], "GOMODCACHE="+goenv["GOMODCACHE"], "GOPATH="+goenv["GOPATH"],
		"GOPROXY=off", datasets.EnvOffline+"=1", datasets.EnvDataDir+"="+data.Dir)
	// Models installed by `founderlab models fetch` live under the real
	// home, which the temporary HOME would hide.
	if os.Getenv("FOUNDERLAB_MODELS") == "" {
		if h, err := os.UserHomeDir(); err == nil {
			env = append(env, "FOUNDERLAB_MODELS="+filepath.Join(h, ".cache", "founderlab", "models"))
		}
	}
	if os.Getenv("FOUNDERLAB_ECHARTS_DIR") == "" {
		env = append(env, "FOUNDERLAB_ECHARTS_DIR="+filepath.Join(root, ".cache", "echarts"))
	}
	if os.Getenv("FOUNDERLAB_KATEX_DIR") == "" {
		env = append(env, "FOUNDERLAB_KATEX_DIR="+filepath.Join(root, ".cache", "katex"))
	}
	e.Environ = env
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "founderlab"), "./kernel/cmd/founderlab")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("testenv: build founderlab: %v\n%s", err, out)
	}
	if out, err := e.Command(context.Background(), filepath.Join(dir, "founderlab"), "install", "--no-echarts", "--no-katex").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("testenv: founderlab install: %v\n%s", err, out)
	}
	e.Bin = filepath.Join(e.Prefix, "bin", "founderlab")
	return e, nil
}

// Command returns a command running in the environment, in the checkout.
func (e *Env) Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = e.Root
	cmd.Env = e.Environ
	cmd.WaitDelay = 10 * time.Second
	dieWithTest(cmd)
	return cmd
}

// Founderlab runs the installed founderlab with args and returns its
// standard output and error.
func (e *Env) Founderlab(ctx context.Context, args ...string) (stdout, stderr string, err error) {
	cmd := e.Command(ctx, e.Bin, args...)
	var o, s bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &s
	err = cmd.Run()
	return o.String(), s.String(), err
}

// Close removes the temporary directory.
func (e *Env) Close() { os.RemoveAll(e.Dir) }

// Main is the body of a TestMain for end-to-end tests: unless -short, it
// installs FounderLab into *env, runs the tests, removes the installation and
// returns the exit code.
//
//	func TestMain(m *testing.M) { os.Exit(testenv.Main(m, &env)) }
func Main(m *testing.M, env **Env) int {
	flag.Parse()
	if !testing.Short() {
		start := time.Now()
		e, err := New()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Fprintf(os.Stderr, "testenv: installed in %s (%.0fs)\n", e.Dir, time.Since(start).Seconds())
		*env = e
		defer e.Close()
	}
	return m.Run()
}
