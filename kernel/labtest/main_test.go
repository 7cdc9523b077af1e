package labtest

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/founderlab/founderlab/internal/testenv"
)

var (
	envOnce sync.Once
	envVal  *testenv.Env
	envErr  error
)

// sharedEnv installs FounderLab once for all tests of this package.
func sharedEnv(t *testing.T) *testenv.Env {
	t.Helper()
	envOnce.Do(func() { envVal, envErr = testenv.New() })
	if envErr != nil {
		t.Fatal(envErr)
	}
	return envVal
}

// requireWelcomeData makes sure the data sets 00-welcome reads are in the
// data directory the kernel reads, or skips the test saying what is missing
// (testenv.RequireData).
func requireWelcomeData(t *testing.T, root string) {
	t.Helper()
	need, err := testenv.NotebookData(filepath.Join(root, "notebooks", "00-welcome.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	testenv.RequireData(t, need...)
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if envVal != nil {
		envVal.Close()
	}
	if code != 0 {
		fmt.Fprintln(os.Stderr, "labtest: screenshots are under $FOUNDERLAB_ARTIFACTS")
	}
	os.Exit(code)
}
