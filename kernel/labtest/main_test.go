package labtest

import (
	"flag"
	"fmt"
	"os"
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
