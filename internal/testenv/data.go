package testenv

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/kernel/notebook"
)

// Tests that read real data sets get them through [RequireData]. Where the
// data cannot be had, such a test is skipped with a one-line reason, or
// fails when $FOUNDERLAB_REQUIRE_DATA=1 (CI sets it: there the data must be
// there). Each skip is also appended as a line to the file named by
// $FOUNDERLAB_SKIPS, from which `make test` prints a closing count.
const (
	// EnvRequireData names the variable that, set to 1, turns a test's
	// missing real data into a failure.
	EnvRequireData = "FOUNDERLAB_REQUIRE_DATA"
	// EnvSkips names the variable holding the file that each test skipped
	// for missing real data appends a line to.
	EnvSkips = "FOUNDERLAB_SKIPS"
)

// Downloads of missing data sets are bounded: a source that does not
// answer makes the test skip after these times rather than hang.
const (
	dialTimeout  = 10 * time.Second
	fetchTimeout = 2 * time.Minute
)

// DataStore returns the store the tests read real data sets from:
//
//   - $FOUNDERLAB_DATA when set (downloads as $FOUNDERLAB_OFFLINE says);
//   - else ../shared/datasets beside the checkout when it exists (the
//     read-only copies CI has; never downloads);
//   - else the user's data directory [datasets.Dir] with downloads allowed
//     (unless $FOUNDERLAB_OFFLINE), so that data fetched once is reused.
//
// The kernel installed by [New] reads the same directory.
func DataStore() (*datasets.Store, error) {
	if os.Getenv(datasets.EnvDataDir) == "" {
		if root, err := Root(); err == nil {
			shared := filepath.Join(filepath.Dir(root), "shared", "datasets")
			if fi, err := os.Stat(shared); err == nil && fi.IsDir() {
				return &datasets.Store{Dir: shared, Offline: true}, nil
			}
		}
	}
	s, err := datasets.NewStore()
	if err != nil {
		return nil, err
	}
	if s.Client == nil {
		s.Client = &http.Client{Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: dialTimeout}).DialContext,
			TLSHandshakeTimeout:   dialTimeout,
			ResponseHeaderTimeout: 2 * dialTimeout,
		}}
	}
	return s, nil
}

// fetched remembers, per data directory and data set, the outcome of
// making it present, so that a process tries an unreachable source once.
var fetched struct {
	sync.Mutex
	m map[string]error
}

// FetchData makes sure every file of each named data set is present and
// verified in the [DataStore], downloading what is missing when downloads
// are allowed (with a bounded time). It returns the data directory, or an
// error whose text is a one-line reason naming the data set and the fix.
func FetchData(names ...string) (string, error) {
	s, err := DataStore()
	if err != nil {
		return "", fmt.Errorf("needs data sets %s: %v", strings.Join(names, ", "), oneLine(err.Error()))
	}
	fetched.Lock()
	defer fetched.Unlock()
	if fetched.m == nil {
		fetched.m = map[string]error{}
	}
	for _, name := range names {
		key := s.Dir + "\x00" + name
		err, done := fetched.m[key]
		if !done {
			err = fetch(s, name)
			fetched.m[key] = err
		}
		if err != nil {
			return "", missingError(name, s, err)
		}
	}
	return s.Dir, nil
}

// fetch makes sure every file of the data set is present and verified in
// the store, downloading within fetchTimeout.
func fetch(s *datasets.Store, name string) error {
	card, err := datasets.Lookup(name)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
	defer cancel()
	for _, f := range card.Files {
		if _, err := s.Path(ctx, name, f.Name); err != nil {
			return err
		}
	}
	return nil
}

// missingError is the one-line reason for a data set that could not be
// had: what went wrong, in short, and the fix.
func missingError(name string, s *datasets.Store, err error) error {
	var why string
	var operr *net.OpError
	var nerr net.Error
	switch {
	case errors.Is(err, datasets.ErrMissing):
		why = fmt.Sprintf("not in %s and downloads are off ($%s)", s.Dir, datasets.EnvOffline)
	case errors.Is(err, context.DeadlineExceeded):
		why = fmt.Sprintf("not in %s and the download took over %s", s.Dir, fetchTimeout)
	case errors.As(err, &operr):
		why = fmt.Sprintf("not in %s and the download failed (%v)", s.Dir, operr)
	case errors.As(err, &nerr):
		why = fmt.Sprintf("not in %s and the download failed (%v)", s.Dir, nerr)
	default:
		why = oneLine(err.Error())
		for _, p := range []string{"datasets: ", "assets: "} {
			why = strings.TrimPrefix(why, p)
		}
	}
	return fmt.Errorf("needs data set %s: %s; run \"founderlab data fetch %s\" or set %s", name, why, name, datasets.EnvDataDir)
}

// RequireData makes sure the named data sets are present (see [FetchData])
// and points $FOUNDERLAB_DATA at their directory, with downloads off, for
// the rest of the test, so that the package's own loaders read them there.
// It returns the directory. When the data cannot be had the test is skipped
// with the reason (see [MissingData]). Like t.Setenv, it cannot be used in
// parallel tests.
func RequireData(t testing.TB, names ...string) string {
	t.Helper()
	dir, err := FetchData(names...)
	if err != nil {
		MissingData(t, err.Error())
	}
	t.Setenv(datasets.EnvDataDir, dir)
	t.Setenv(datasets.EnvOffline, "1")
	return dir
}

// MissingData ends a test that cannot run for missing real data (a data
// set, a vocabulary, a pretrained model): it fails with reason when
// $FOUNDERLAB_REQUIRE_DATA=1, and otherwise skips with it and appends a
// line naming the test and the reason to the file $FOUNDERLAB_SKIPS.
func MissingData(t testing.TB, reason string) {
	t.Helper()
	reason = oneLine(reason)
	if RequiringData() {
		t.Fatalf("%s ($%s=1: missing data is a failure)", reason, EnvRequireData)
	}
	if err := recordSkip(t.Name(), reason); err != nil {
		t.Logf("testenv: recording the skip: %v", err)
	}
	t.Skip(reason)
}

// RequiringData reports whether $FOUNDERLAB_REQUIRE_DATA=1.
func RequiringData() bool { return os.Getenv(EnvRequireData) == "1" }

// recordSkip appends "<package dir> <test>: <reason>" to $FOUNDERLAB_SKIPS.
func recordSkip(test, reason string) error {
	path := os.Getenv(EnvSkips)
	if path == "" {
		return nil
	}
	pkg, _ := os.Getwd()
	if root, err := Root(); err == nil {
		if rel, err := filepath.Rel(root, pkg); err == nil {
			pkg = filepath.ToSlash(rel)
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	// One write of one line: O_APPEND keeps lines from parallel test
	// processes whole.
	_, err = fmt.Fprintf(f, "%s %s: %s\n", pkg, test, reason)
	return errors.Join(err, f.Close())
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// dataLoaders maps a loader called in a notebook to the data set it reads.
var dataLoaders = map[string]string{
	"LoadWholesale(":       "wholesale",
	"EncodeWholesale(":     "wholesale",
	"LoadSymptom2Disease(": "symptom2disease",
	"LoadBanking77(":       "banking77",
	"LoadFinSentiment(":    "fin-sentiment",
	"LoadMovieLens(":       "movielens-small",
	"LoadNetflix(":         "netflix",
}

// dataCall matches a data set named in a call such as
// datasets.Path(ctx, "wholesale", ...) or store.Fetch(ctx, "netflix").
var dataCall = regexp.MustCompile(`\b(?:Path|Fetch)\(\s*\w+\s*,\s*"([a-z0-9-]+)"`)

// NotebookData returns the data sets the code cells of the notebook at path
// read, by the loaders and datasets calls they contain, sorted.
func NotebookData(path string) ([]string, error) {
	nb, err := notebook.Read(path)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, c := range nb.Cells {
		if c.CellType != notebook.Code {
			continue
		}
		for call, name := range dataLoaders {
			if strings.Contains(c.Source, call) {
				names = append(names, name)
			}
		}
		for _, m := range dataCall.FindAllStringSubmatch(c.Source, -1) {
			if _, err := datasets.Lookup(m[1]); err == nil {
				names = append(names, m[1])
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}
