package hub

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/founderlab/founderlab/internal/atomicfile"
)

// MaxSeedFile bounds the size of one file [SeedNotebooks] copies.
const MaxSeedFile = 64 << 20

// SeedNotebooks copies the course notebooks in src (recursively, except Go
// test files and hidden files) into home/notebooks. A file the learner
// already has is never overwritten, so a restarted server keeps the
// learner's work; a learner who wants a fresh copy deletes theirs. It
// returns the number of files copied.
func SeedNotebooks(src, home string) (int, error) {
	dst := filepath.Join(home, "notebooks")
	n := 0
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		base := d.Name()
		if rel != "." && strings.HasPrefix(base, ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case !d.Type().IsRegular() || strings.HasSuffix(base, "_test.go"):
			return nil
		}
		if _, err := os.Lstat(target); err == nil {
			return nil // the learner's copy wins
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Size() > MaxSeedFile {
			return fmt.Errorf("%s: %d bytes, more than the %d a seeded file may have", p, info.Size(), MaxSeedFile)
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		if _, err := atomicfile.Copy(target, f, 0o644); err != nil {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("hub: seeding notebooks into %s: %w", dst, err)
	}
	return n, nil
}

// RuntimeDir is the Jupyter runtime directory (kernel connection files) of
// a learner whose home is home; "founderlab hub learner" sets
// JUPYTER_RUNTIME_DIR to it.
func RuntimeDir(home string) string {
	return filepath.Join(home, ".local", "share", "jupyter", "runtime")
}

// SharedEnv returns the environment that makes every learner's kernel use
// the hub user's caches rather than empty ones under the learner's HOME:
// the Go build cache (GOCACHE) and module cache (GOPATH, GOMODCACHE), the
// user cache directory (XDG_CACHE_HOME: data sets, models, the XLA plugin),
// the user data directory (XDG_DATA_HOME: ECharts, KaTeX), the Jupyter
// data directories where the kernel spec is (JUPYTER_PATH), and the
// FOUNDERLAB_* settings of the hub's own environment.
func SharedEnv(jupyterPath []string) (map[string]string, error) {
	env := map[string]string{}
	out, err := exec.Command("go", "env", "GOCACHE", "GOPATH", "GOMODCACHE").Output()
	if err != nil {
		return nil, fmt.Errorf("hub: go env: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 3 {
		return nil, fmt.Errorf("hub: go env printed %q", out)
	}
	for i, k := range []string{"GOCACHE", "GOPATH", "GOMODCACHE"} {
		env[k] = lines[i]
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return nil, fmt.Errorf("hub: %w", err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return nil, fmt.Errorf("hub: %w", err)
	}
	env["XDG_CACHE_HOME"] = cache
	env["XDG_DATA_HOME"] = filepath.Join(home, ".local", "share")
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		env["XDG_DATA_HOME"] = d
	}
	if len(jupyterPath) > 0 {
		env["JUPYTER_PATH"] = strings.Join(jupyterPath, string(os.PathListSeparator))
	}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "FOUNDERLAB_") {
			env[k] = v
		}
	}
	return env, nil
}
