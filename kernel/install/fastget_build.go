package install

import (
	"bytes"
	"debug/elf"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/founderlab/founderlab/internal/atomicfile"
)

// Executable cache.
//
// GoNB builds every cell with `go build -o DIR/NAME` in its work directory
// DIR (named NAME), and go build links the program again each time, even
// when nothing changed: a re-run cell, or a notebook run a second time,
// pays the whole link (seconds for a program that imports the library).
// Since Go 1.24, `go run` keeps the executables it links in the Go build
// cache, under the link's action ID: the hash Go itself computes over every
// input of the build (each source file of the program and of every package
// it imports, go.mod, go.sum, the replace directives' directories, flags,
// the toolchain, GOOS/GOARCH, CGO_* and the other build environment). The
// kernel's go shim turns GoNB's build into
//
//	go run -exec 'SHIM __founderlab_place' . DIR/NAME
//
// whose "program" is the shim placing the (cached or freshly linked)
// executable at DIR/NAME. A rebuild of an unchanged program is then a cache
// hit, and any change to any input is a different action ID and a new link:
// the cache cannot serve a stale binary because its key is Go's own.
//
// Go run links without DWARF debug information (as -ldflags=-s -w does):
// a miss also links faster. Panics still print their stack trace with file
// and line (that needs only the runtime's pclntab). A build with flags of
// its own (GoNB's %goflags, e.g. -gcflags=all=-N -l for a debugger) is
// left to go build as it was.
//
// A program that imports go-xla (cgo) is linked by gcc by default (Go's
// "external" link mode); the shim asks for Go's internal linker
// ([WithInternalLink]), which links such a cell about a fifth faster, and
// links again the default way when the internal linker refuses a program
// ([NeedsExternalLink]).

// PlaceArg is the first argument with which the go shim, run by `go run
// -exec`, copies the executable it is given to the path after it.
const PlaceArg = "__founderlab_place"

// EnvExeCache, set to "off", makes the go shim build cells with plain go
// build (for measuring the cache against no cache).
const EnvExeCache = "FOUNDERLAB_EXE_CACHE"

// EnvShimTrace names a file to which the go shim appends one JSON line
// ([ShimEvent]) per go command it runs and per executable it places. For
// measurements (bench/rerun); unset, nothing is written.
const EnvShimTrace = "FOUNDERLAB_SHIM_TRACE"

// CachedBuildArgs returns the go command arguments that build GoNB's cell
// program through the executable cache, for a go command invoked with args
// in the work directory dir; shim is the absolute path of the go shim. ok
// is false when args are anything but GoNB's plain cell build
// `build -o dir/base(dir)` (a test cell, a wasm cell, extra build flags),
// or when the shim's path cannot be quoted: then the command runs as it is.
func CachedBuildArgs(args []string, dir, shim string) (goArgs []string, ok bool) {
	if len(args) != 3 || args[0] != "build" || args[1] != "-o" {
		return nil, false
	}
	out := args[2]
	if !filepath.IsAbs(dir) || filepath.Clean(out) != filepath.Join(dir, filepath.Base(dir)) {
		return nil, false
	}
	if !filepath.IsAbs(shim) || strings.ContainsAny(shim, `'"`) {
		return nil, false
	}
	// -exec is split like a shell would, with quotes around fields.
	return []string{"run", "-exec", "'" + shim + "' " + PlaceArg, ".", out}, true
}

// WithInternalLink returns the go run arguments of CachedBuildArgs with
// -ldflags=-linkmode=internal, or goArgs unchanged when goflags (the
// value of $GOFLAGS) sets linker flags of its own, which a command-line
// -ldflags would replace.
func WithInternalLink(goArgs []string, goflags string) []string {
	if len(goArgs) == 0 || goArgs[0] != "run" || strings.Contains(goflags, "-ldflags") {
		return goArgs
	}
	return append([]string{"run", "-ldflags=-linkmode=internal"}, goArgs[1:]...)
}

// sourceError matches a compiler's report of an error in a source file
// ("./main.go:12:3: undefined: x").
var sourceError = regexp.MustCompile(`(?m)^\S+\.go:\d+(:\d+)?: `)

// NeedsExternalLink reports whether a build made with WithInternalLink that
// failed with output should be tried again in the default link mode: when
// the output names no error in a source file, the failure came from
// linking (Go's internal linker refuses some cgo objects, e.g.
// "loadelf: … malformed elf file") or from something that fails the same
// way again. A compile error is shown at once.
func NeedsExternalLink(output []byte) bool { return !sourceError.Match(output) }

// Place copies the executable src to dst, replacing dst atomically (a
// program still running from the old dst keeps its file). It copies rather
// than links, so that nothing written to dst can ever change the build
// cache's copy. When dst already is that program (the same Go build ID,
// which names the link's inputs and the executable's content, as go build
// itself checks before linking to an existing output) it is left as it is.
func Place(src, dst string) error {
	if id := goBuildID(src); id != nil && bytes.Equal(id, goBuildID(dst)) {
		return nil
	}
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("install: place executable: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("install: place executable: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("install: place executable: %s is not a regular file", src)
	}
	if _, err := atomicfile.Copy(dst, f, 0o755); err != nil {
		return fmt.Errorf("install: place executable %s: %w", dst, err)
	}
	return nil
}

// ShimEvent is one line of the go shim's trace (see [EnvShimTrace]).
type ShimEvent struct {
	// Time is when the command started.
	Time time.Time `json:"time"`
	// Cmd is "build" (a cell build, Cached telling how), "get" (Skipped
	// when nothing was missing), "place" (Hit: the executable came from
	// the build cache), or the go subcommand.
	Cmd    string `json:"cmd"`
	Dir    string `json:"dir,omitempty"`
	Cached bool   `json:"cached,omitempty"`
	// Shared: the cell was built from its shared directory (ShareCell).
	Shared  bool `json:"shared,omitempty"`
	Skipped bool `json:"skipped,omitempty"`
	Hit     bool `json:"hit,omitempty"`
	// Retried: the build with Go's internal linker failed (not with a
	// compile error) and ran again in the default link mode.
	Retried bool    `json:"retried,omitempty"`
	Seconds float64 `json:"seconds"`
	Exit    int     `json:"exit"`
}

// AppendShimEvent appends e as one JSON line to the trace file path. A
// trace is a log read after the run, appended to by several processes at
// once (each line in one write with O_APPEND), so it is not written
// through atomicfile.
func AppendShimEvent(path string, e ShimEvent) error {
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("install: trace: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("install: trace: %w", err)
	}
	_, err = f.Write(append(b, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("install: trace: %w", err)
	}
	return nil
}

// ErrBadTrace is returned by ReadShimTrace for a line that is not a
// ShimEvent.
var ErrBadTrace = errors.New("install: malformed shim trace line")

// ReadShimTrace reads the events of a trace written by AppendShimEvent.
func ReadShimTrace(r io.Reader) ([]ShimEvent, error) {
	var evs []ShimEvent
	dec := json.NewDecoder(r)
	for n := 1; ; n++ {
		var e ShimEvent
		if err := dec.Decode(&e); err == io.EOF {
			return evs, nil
		} else if err != nil {
			return evs, fmt.Errorf("%w %d: %v", ErrBadTrace, n, err)
		}
		evs = append(evs, e)
	}
}

// InBuildCache reports whether the file path lies in the Go build cache
// gocache (the directory `go env GOCACHE` names): where `go run` finds an
// executable it linked before.
func InBuildCache(path, gocache string) bool {
	if gocache == "" {
		return false
	}
	rel, err := filepath.Rel(gocache, path)
	return err == nil && rel != "." && !strings.HasPrefix(rel, "..")
}

// goBuildID returns the Go build ID note of the ELF executable path, or
// nil when it has none (another format, not a Go program, unreadable).
func goBuildID(path string) []byte {
	f, err := elf.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	sec := f.Section(".note.go.buildid")
	if sec == nil {
		return nil
	}
	b, err := sec.Data()
	if err != nil || len(b) == 0 {
		return nil
	}
	return b
}
