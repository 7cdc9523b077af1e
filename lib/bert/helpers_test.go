package bert

import (
	"sync"
	"testing"

	"github.com/founderlab/founderlab/lib/backend"
	"github.com/gomlx/gomlx/backends"
	mlctx "github.com/gomlx/gomlx/pkg/ml/context"
)

var (
	testBackendOnce sync.Once
	testBackendVal  backends.Backend
	testBackendErr  error
)

// testBackend returns one backend shared by the package's tests.
func testBackend(t *testing.T) backends.Backend {
	t.Helper()
	testBackendOnce.Do(func() {
		var c backend.Choice
		c, testBackendErr = backend.New()
		testBackendVal = c.Backend
	})
	if testBackendErr != nil {
		t.Fatal(testBackendErr)
	}
	return testBackendVal
}

func newTestVars() *mlctx.Context { return mlctx.New() }
