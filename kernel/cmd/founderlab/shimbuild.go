package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/founderlab/founderlab/kernel/install"
)

// runGo runs the real go command with args and the shim's standard streams
// and returns its exit code.
func runGo(realGo string, args []string) int { return runGoIn("", realGo, args) }

// runGoIn is runGo in the directory dir ("": the shim's own).
func runGoIn(dir, realGo string, args []string) int {
	cmd := exec.Command(realGo, args...)
	cmd.Dir = dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		fmt.Fprintf(os.Stderr, "founderlab go shim: %v\n", err)
		return 1
	}
	return 0
}

// buildCached runs go with the executable cache's arguments, asking for
// Go's internal linker; when that fails other than with a compile error it
// builds again in the default link mode (ev records the retry).
func buildCached(dir, realGo string, args []string, ev *install.ShimEvent) int {
	internal := install.WithInternalLink(args, os.Getenv("GOFLAGS"))
	if len(internal) == len(args) {
		return runGoIn(dir, realGo, args)
	}
	var out bytes.Buffer
	cmd := exec.Command(realGo, internal...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && (!errors.As(err, &ee) || install.NeedsExternalLink(out.Bytes())) {
		ev.Retried = true
		return runGoIn(dir, realGo, args)
	}
	os.Stderr.Write(out.Bytes())
	if err != nil {
		return ee.ExitCode()
	}
	return 0
}

// buildShared builds GoNB's cell in the work directory wd (executable out)
// through the executable cache from the cell's shared directory (see
// install.ShareCell), under that directory's build lock, so that kernels
// building the same program take turns and all but the first find it in
// the build cache. A work directory that cannot be shared, or
// $FOUNDERLAB_EXE_CACHE=private, builds in wd as before.
func buildShared(realGo string, args []string, wd, out string, ev *install.ShimEvent) int {
	if os.Getenv(install.EnvExeCache) == install.ExeCachePrivate || strings.Contains(os.Getenv("GOFLAGS"), "-mod=mod") {
		return buildCached("", realGo, args, ev)
	}
	root := install.SharedCellsDir(goCacheDir())
	shared, err := install.ShareCell(wd, out, root)
	if err != nil {
		if !errors.Is(err, install.ErrNotShareable) {
			fmt.Fprintf(os.Stderr, "founderlab go shim: %v (building in %s)\n", err, wd)
		}
		return buildCached("", realGo, args, ev)
	}
	ev.Shared = true
	if install.CellBuilt(shared) {
		// Linked before: the executable is in the build cache, and builds
		// that only find it need not take turns.
		return buildCached(shared, realGo, args, ev)
	}
	unlock, err := install.LockCell(shared)
	if err != nil {
		ev.Shared = false
		return buildCached("", realGo, args, ev)
	}
	if install.CellBuilt(shared) {
		// Another kernel linked it while this one waited: find it in the
		// cache beside the others, not one after another under the lock.
		unlock()
		return buildCached(shared, realGo, args, ev)
	}
	defer unlock()
	// TrimSharedCells removes unused directories under their lock: after
	// taking it, make sure this one is (still) there.
	if _, err := os.Stat(filepath.Join(shared, "go.mod")); err != nil {
		if shared, err = install.ShareCell(wd, out, root); err != nil {
			ev.Shared = false
			return buildCached("", realGo, args, ev)
		}
	}
	code := buildCached(shared, realGo, args, ev)
	if code == 0 {
		install.MarkCellBuilt(shared)
	}
	install.TrimSharedCells(root, install.SharedCellMaxAge)
	return code
}

// shimPath returns the absolute path by which the go shim was started
// (GoNB runs "go", found on PATH).
func shimPath() (string, error) {
	p := os.Args[0]
	if filepath.Base(p) != "go" {
		return "", fmt.Errorf("founderlab go shim: started as %q, not go", p)
	}
	if !strings.Contains(p, string(filepath.Separator)) {
		lp, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("founderlab go shim: %w", err)
		}
		p = lp
	}
	return filepath.Abs(p)
}

// placeExecutable is the shim run by `go run -exec`: it puts the executable
// go linked or found in its build cache where GoNB runs it.
func placeExecutable(src, dst string) int {
	start := time.Now()
	code := 0
	if err := install.Place(src, dst); err != nil {
		fmt.Fprintf(os.Stderr, "founderlab go shim: %v\n", err)
		code = 1
	}
	if path := os.Getenv(install.EnvShimTrace); path != "" {
		install.AppendShimEvent(path, install.ShimEvent{
			Time: start, Cmd: "place", Dir: filepath.Dir(dst), Hit: install.InBuildCache(src, goCacheDir()),
			Seconds: time.Since(start).Seconds(), Exit: code,
		})
	}
	return code
}

// goCacheDir is the Go build cache's directory as the go command finds it
// without a go env file: $GOCACHE, else the user cache directory's
// go-build. Only the trace uses it.
func goCacheDir() string {
	if d := os.Getenv("GOCACHE"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "go-build")
	}
	return ""
}

// shimTrace records one go command in the trace file of
// $FOUNDERLAB_SHIM_TRACE (nothing when it is unset).
type shimTrace struct {
	path  string
	start time.Time
	ev    install.ShimEvent
}

func newShimTrace(args []string, dir string) *shimTrace {
	t := &shimTrace{path: os.Getenv(install.EnvShimTrace), start: time.Now()}
	t.ev = install.ShimEvent{Time: t.start, Dir: dir}
	if len(args) > 0 {
		t.ev.Cmd = args[0]
	}
	return t
}

// done writes the event with the command's exit code and returns the code.
func (t *shimTrace) done(code int) int {
	if t.path == "" {
		return code
	}
	t.ev.Seconds, t.ev.Exit = time.Since(t.start).Seconds(), code
	if err := install.AppendShimEvent(t.path, t.ev); err != nil {
		fmt.Fprintf(os.Stderr, "founderlab go shim: %v\n", err)
	}
	return code
}
