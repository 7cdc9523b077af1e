package backend

import (
	"strings"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/graph"
)

func TestNewSimpleGo(t *testing.T) {
	tests := []struct {
		env      string
		wantCfg  string
		wantNote string
	}{
		{env: "go", wantCfg: SimpleGoConfig, wantNote: "$GOMLX_BACKEND"},
		{env: "go:parallelism=1", wantCfg: "go:parallelism=1", wantNote: "$GOMLX_BACKEND"},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			t.Setenv(EnvBackend, tt.env)
			c, err := New()
			if err != nil {
				t.Fatal(err)
			}
			if c.Config != tt.wantCfg || !strings.Contains(c.Note, tt.wantNote) {
				t.Fatalf("New() = %q, %q; want %q, note containing %q", c.Config, c.Note, tt.wantCfg, tt.wantNote)
			}
			got := graph.MustExecOnce(c.Backend, func(x *graph.Node) *graph.Node { return graph.ReduceAllSum(x) }, []float32{1, 2, 3})
			if v := got.Value().(float32); v != 6 {
				t.Fatalf("sum = %v, want 6", v)
			}
		})
	}
}

func TestNewBadEnv(t *testing.T) {
	t.Setenv(EnvBackend, "nosuchbackend")
	_, err := New()
	if err == nil || !strings.Contains(err.Error(), "nosuchbackend") {
		t.Fatalf("New() error = %v, want one naming the bad value", err)
	}
}

func TestFallbackWithoutPlugin(t *testing.T) {
	t.Setenv(EnvBackend, "")
	t.Setenv("PJRT_PLUGIN_LIBRARY_PATH", t.TempDir())
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // no plugin in PluginDir either
	if len(XLAPlugins()) > 0 {
		t.Skip("an XLA plugin is installed system-wide")
	}
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if c.Config != SimpleGoConfig || !strings.Contains(c.Note, "no XLA PJRT plugin") {
		t.Fatalf("New() = %v", c)
	}
}
