package backend

import (
	"archive/zip"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestXLACPUPlugin runs a product and its gradient on XLA's CPU plugin and
// compares with SimpleGo. It needs a CPU PJRT plugin on
// $PJRT_PLUGIN_LIBRARY_PATH (see FindCPUPlugin) and is skipped without one.
func TestXLACPUPlugin(t *testing.T) {
	if !slices.Contains(XLAPlugins(), "cpu") {
		t.Skip("no XLA CPU plugin on $PJRT_PLUGIN_LIBRARY_PATH")
	}
	if err := InstallTrainingFixes(); err != nil {
		t.Fatal(err)
	}
	xb, err := create("xla:cpu")
	if err != nil {
		t.Fatalf("xla:cpu: %v", err)
	}
	defer xb.Finalize()
	sg := simpleGo(t)
	defer sg.Finalize()
	c := dgCases[2]
	r := rand.New(rand.NewPCG(5, 6))
	lhs, rhs, w := randSlice(r, size(c.lhsDims)), randSlice(r, size(c.rhsDims)), randSlice(r, size(c.wantOutputDims))
	lossX, dlX, drX := c.gradients(t, xb, lhs, rhs, w)
	lossS, dlS, drS := c.gradients(t, sg, lhs, rhs, w)
	assertClose(t, "loss", []float64{lossX}, []float64{lossS}, 1e-12)
	assertClose(t, "lhs gradient", dlX, dlS, 1e-12)
	assertClose(t, "rhs gradient", drX, drS, 1e-12)
	t.Logf("XLA CPU plugin from %s", os.Getenv("PJRT_PLUGIN_LIBRARY_PATH"))
}

// TestExtractCPUPlugin builds a small wheel-shaped zip and extracts from it.
func TestExtractCPUPlugin(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		member  string
		wantErr bool
	}{
		{"lammps_jax_pjrt_cpu/pjrt_c_api_cpu_plugin.so", false},
		{"fastatomstruct_xla_cpu/libpjrt_cpu.so", false},
		{"other/libfoo.so", true},
	} {
		wheel := filepath.Join(dir, "w.whl")
		f, err := os.Create(wheel)
		if err != nil {
			t.Fatal(err)
		}
		zw := zip.NewWriter(f)
		w, _ := zw.Create(tc.member)
		payload := "ELF-payload-" + tc.member
		w.Write([]byte(payload))
		zw.Close()
		f.Close()
		out := filepath.Join(dir, "plugins-"+strings.ReplaceAll(tc.member, "/", "_"))
		p, err := ExtractCPUPlugin(wheel, out)
		if tc.wantErr {
			if err == nil {
				t.Errorf("%s: no error", tc.member)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.member, err)
		}
		got, _ := os.ReadFile(p)
		if string(got) != payload || filepath.Base(p) != CPUPluginFile {
			t.Errorf("%s: extracted %s = %q", tc.member, p, got)
		}
		t.Setenv("PJRT_PLUGIN_LIBRARY_PATH", out)
		if found, err := FindCPUPlugin(); err != nil || found != p {
			t.Errorf("FindCPUPlugin() = %q, %v; want %q", found, err, p)
		}
	}
	t.Setenv("PJRT_PLUGIN_LIBRARY_PATH", filepath.Join(dir, "none"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	if _, err := FindCPUPlugin(); err == nil {
		t.Error("FindCPUPlugin found a plugin in an empty place")
	}
}

// TestNewFindsPluginDir checks that New loads a CPU plugin installed in
// PluginDir by its absolute path. It needs a real plugin: set
// $FOUNDERLAB_TEST_PJRT_CPU to its path (the test is skipped otherwise).
func TestNewFindsPluginDir(t *testing.T) {
	src := os.Getenv("FOUNDERLAB_TEST_PJRT_CPU")
	if src == "" {
		t.Skip("$FOUNDERLAB_TEST_PJRT_CPU not set")
	}
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("PJRT_PLUGIN_LIBRARY_PATH", filepath.Join(cache, "empty"))
	t.Setenv(EnvBackend, "")
	dir, err := PluginDir()
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(dir, 0o755)
	if err := os.Symlink(src, filepath.Join(dir, CPUPluginFile)); err != nil {
		t.Fatal(err)
	}
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Backend.Finalize()
	if !strings.HasPrefix(c.Config, "xla:/") {
		t.Errorf("New chose %s, want XLA with the plugin in %s", c, dir)
	}
}
