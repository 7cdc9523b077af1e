package install

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
)

// Shared cell builds.
//
// The executable cache (see [CachedBuildArgs]) is keyed by Go's action ID,
// and Go puts the package's directory into the action ID of a program
// built without -trimpath. Every GoNB kernel has its own work directory
// (/tmp/gonb_<random>) and module (gonb_<random>), so the same cell run by
// twenty learners of a workshop, or by two kernels of one user, is
// compiled and linked twenty times, each a few seconds of CPU.
//
// The go shim therefore builds a cell's program from a shared copy of its
// work directory: the files of the work directory (main.go, go.mod, go.sum
// and whatever else GoNB or the user put there), the module renamed to
// [SharedModule], copied into SHARED/<hash>, where the hash is taken over
// those files' names and contents. Identical programs get identical
// directories, hence identical action IDs, and all but the first build are
// cache hits. The first builds of one directory take turns under a file
// lock ([LockCell]): the second learner waits for the first link and then
// finds it in the cache instead of linking the same program at the same
// moment. Once a build succeeded ([MarkCellBuilt]) the others find the
// executable in the cache without the lock, at the same time.
//
// Nothing can go stale: the hash covers every file of the work directory,
// and Go's action ID covers everything else (the library's sources through
// the replace directive, the toolchain, the environment). A work directory
// that a copy would not reproduce is built in place, as before
// ([ErrNotShareable]): one with subdirectories, a relative replace
// directive, a file that names the work directory, or more than
// [maxShareBytes] of files.

// SharedModule is the module path of every shared cell directory.
const SharedModule = "gonb_shared"

// ExeCachePrivate, as the value of $FOUNDERLAB_EXE_CACHE, keeps the
// executable cache but builds each kernel's cells in its own work
// directory (no sharing between kernels; for measurements).
const ExeCachePrivate = "private"

// ErrNotShareable is returned by ShareCell for a work directory that a copy
// would not build the same way.
var ErrNotShareable = errors.New("install: cell work directory cannot be shared")

// maxShareBytes bounds the files copied into a shared cell directory; a
// larger work directory is built in place.
const maxShareBytes = 8 << 20

// SharedCellMaxAge is how long a shared cell directory stays unused before
// TrimSharedCells removes it (Go's build cache trims after five days).
const SharedCellMaxAge = 7 * 24 * time.Hour

// SharedCellsDir returns the directory holding shared cell directories for
// the Go build cache directory gocache: its sibling founderlab-cells, so
// that kernels sharing a build cache (a workshop's learners) share it too.
func SharedCellsDir(gocache string) string {
	return filepath.Join(filepath.Dir(filepath.Clean(gocache)), "founderlab-cells")
}

// ShareCell returns the shared directory, under root, holding a copy of
// the cell work directory dir except out (the executable GoNB builds), and
// creates it if needed. The copy's module is renamed to SharedModule. It
// returns an error wrapping ErrNotShareable when the copy would not build
// as dir does.
func ShareCell(dir, out, root string) (string, error) {
	files, err := cellFiles(dir, out)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "founderlab shared cell v1\n")
	for _, f := range files {
		fmt.Fprintf(h, "%q %d\n", f.name, len(f.data))
		h.Write(f.data)
	}
	shared := filepath.Join(root, hex.EncodeToString(h.Sum(nil))[:32])
	now := time.Now()
	if os.Chtimes(shared, now, now) == nil {
		return shared, nil // made before (by this or another kernel)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", fmt.Errorf("install: shared cell: %w", err)
	}
	tmp, err := os.MkdirTemp(root, ".new-")
	if err != nil {
		return "", fmt.Errorf("install: shared cell: %w", err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(tmp, f.name), f.data, 0o644); err != nil {
			os.RemoveAll(tmp)
			return "", fmt.Errorf("install: shared cell: %w", err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("install: shared cell: %w", err)
	}
	// Rename is atomic: another kernel sees the whole directory or none.
	// When one made it first, its copy is the same and this one goes.
	if err := os.Rename(tmp, shared); err != nil {
		os.RemoveAll(tmp)
		if _, serr := os.Stat(shared); serr != nil {
			return "", fmt.Errorf("install: shared cell: %w", err)
		}
	}
	return shared, nil
}

type cellFile struct {
	name string
	data []byte
}

// cellFiles reads the files of the work directory dir, except the
// executable out and non-regular files (GoNB's gopls socket), sorted by
// name, with go.mod's module renamed to SharedModule.
func cellFiles(dir, out string) ([]cellFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("install: shared cell: %w", err)
	}
	var files []cellFile
	total := 0
	for _, e := range entries {
		name := e.Name()
		path := filepath.Join(dir, name)
		if path == filepath.Clean(out) {
			continue
		}
		if e.IsDir() {
			return nil, fmt.Errorf("%w: %s is a directory", ErrNotShareable, path)
		}
		if !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return nil, fmt.Errorf("install: shared cell: %w", err)
		}
		if total += int(info.Size()); total > maxShareBytes {
			return nil, fmt.Errorf("%w: more than %d bytes of files in %s", ErrNotShareable, maxShareBytes, dir)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("install: shared cell: %w", err)
		}
		if bytes.Contains(data, []byte(dir)) {
			return nil, fmt.Errorf("%w: %s names the work directory", ErrNotShareable, path)
		}
		if name == "go.mod" {
			if data, err = sharedGoMod(path, data); err != nil {
				return nil, err
			}
		}
		files = append(files, cellFile{name, data})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	return files, nil
}

// sharedGoMod returns the go.mod data with the module renamed to
// SharedModule, or an error when a replace directive names a relative
// directory (a copy elsewhere would resolve it elsewhere).
func sharedGoMod(path string, data []byte) ([]byte, error) {
	mf, err := modfile.Parse(path, data, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotShareable, err)
	}
	for _, r := range mf.Replace {
		if r.New.Version == "" && !filepath.IsAbs(r.New.Path) {
			return nil, fmt.Errorf("%w: %s: replace %s => %s is relative", ErrNotShareable, path, r.Old.Path, r.New.Path)
		}
	}
	if mf.Module == nil {
		return nil, fmt.Errorf("%w: %s has no module directive", ErrNotShareable, path)
	}
	if err := mf.AddModuleStmt(SharedModule); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotShareable, err)
	}
	return modfile.Format(mf.Syntax), nil
}

// CellBuilt reports whether a build from the shared cell directory dir has
// succeeded before (MarkCellBuilt): its executable is then in the build
// cache, unless Go trimmed it since, in which case the next build links it
// again; either way the result is right, and only the waiting differs.
func CellBuilt(dir string) bool {
	_, err := os.Stat(dir + ".built")
	return err == nil
}

// MarkCellBuilt records that a build from the shared cell directory dir
// succeeded, so that later builds of the same program skip the build lock.
func MarkCellBuilt(dir string) error {
	if err := os.WriteFile(dir+".built", nil, 0o644); err != nil {
		return fmt.Errorf("install: shared cell: %w", err)
	}
	return nil
}

// TrimSharedCells removes the shared cell directories under root unused
// (see ShareCell, which touches a directory at each use) for longer than
// maxAge, and leftovers of interrupted copies; a directory in use (its
// lock held) is kept. It runs at most once a day per root (a stamp file
// records the last run) and returns the number removed.
func TrimSharedCells(root string, maxAge time.Duration) (int, error) {
	stamp := filepath.Join(root, ".trimmed")
	if fi, err := os.Stat(stamp); err == nil && time.Since(fi.ModTime()) < 24*time.Hour {
		return 0, nil
	}
	if err := os.WriteFile(stamp, nil, 0o644); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return 0, nil // no shared cells yet
		}
		return 0, fmt.Errorf("install: trim shared cells: %w", err)
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return 0, fmt.Errorf("install: trim shared cells: %w", err)
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < maxAge {
			continue
		}
		path := filepath.Join(root, e.Name())
		if strings.HasPrefix(e.Name(), ".new-") {
			os.RemoveAll(path)
			continue
		}
		unlock, ok, err := TryLockCell(path)
		if err != nil || !ok {
			continue
		}
		if os.RemoveAll(path) == nil {
			n++
		}
		os.Remove(path + ".built")
		unlock()
		os.Remove(path + ".lock")
	}
	return n, nil
}
