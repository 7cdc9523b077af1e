package install

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/internal/assets"
)

func checkoutRoot(t *testing.T) string {
	t.Helper()
	wd, _ := os.Getwd()
	root, err := FindRoot(wd)
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// The committed build matches the committed source; a changed source
// makes the check fail with the advice to rebuild.
func TestLabExtensionPrebuiltIsCurrent(t *testing.T) {
	root := checkoutRoot(t)
	if err := CheckLabExtensionBuild(root); err != nil {
		t.Fatal(err)
	}
	fake := t.TempDir()
	dir := filepath.Join(fake, "kernel", "labextension")
	for _, f := range append([]string{"prebuilt.sha256"}, LabExtensionSourceFiles...) {
		b, err := os.ReadFile(filepath.Join(root, "kernel", "labextension", filepath.FromSlash(f)))
		if err != nil {
			t.Fatal(err)
		}
		if f == "src/index.ts" {
			b = append(b, "\n// edited\n"...)
		}
		os.MkdirAll(filepath.Dir(filepath.Join(dir, filepath.FromSlash(f))), 0o755)
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	err := CheckLabExtensionBuild(fake)
	if err == nil || !strings.Contains(err.Error(), "src/index.ts changed") || !strings.Contains(err.Error(), "make labextension") {
		t.Errorf("an edited source: %v", err)
	}
}

func echartsPrefixOrSkip(t *testing.T) string {
	t.Helper()
	p, err := assets.EChartsPrefix()
	if err == nil {
		var v string
		if v, err = assets.EChartsInstalled(p); err == nil && v != assets.EChartsVersion {
			t.Skipf("ECharts %s installed, want %s", v, assets.EChartsVersion)
		}
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("ECharts not installed: %v (scripts/test-deps.sh)", err)
		}
		t.Skipf("ECharts not installed: %v (scripts/test-deps.sh)", err)
	}
	return p
}

// Install puts the prebuilt files and ECharts into
// <data>/labextensions/founderlab-echarts, with no node and no network;
// a reinstall replaces the directory whole; without ECharts it says so.
func TestInstallLabExtension(t *testing.T) {
	root := checkoutRoot(t)
	ec := echartsPrefixOrSkip(t)
	t.Setenv("PATH", "") // no node, no npm
	data := t.TempDir()
	opts := Options{Root: root, Prefix: t.TempDir(), JupyterDataDir: data}
	dir, err := installLabExtension(opts, ec)
	if err != nil {
		t.Fatal(err)
	}
	if dir != filepath.Join(data, "labextensions", "founderlab-echarts") {
		t.Errorf("installed into %s", dir)
	}
	var pkg struct {
		Name       string
		JupyterLab struct {
			MimeExtension bool                  `json:"mimeExtension"`
			Build         struct{ Load string } `json:"_build"`
		} `json:"jupyterlab"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil || json.Unmarshal(b, &pkg) != nil || pkg.Name != LabExtensionName || !pkg.JupyterLab.MimeExtension {
		t.Fatalf("package.json: %v %+v", err, pkg)
	}
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(pkg.JupyterLab.Build.Load))); err != nil {
		t.Errorf("entry point: %v", err)
	}
	lib, _ := os.ReadFile(assets.EChartsLibrary(ec))
	if got, err := os.ReadFile(filepath.Join(dir, "static", "echarts.min.js")); err != nil || !bytes.Equal(got, lib) {
		t.Errorf("static/echarts.min.js is not the installed ECharts (err %v)", err)
	}
	if lic, err := os.ReadFile(filepath.Join(dir, "static", "echarts.LICENSE.txt")); err != nil || !bytes.Contains(lic, []byte("Apache License")) {
		t.Errorf("ECharts license: %v", err)
	}
	// A reinstall replaces the directory: a stale file goes, nothing is left beside it.
	os.WriteFile(filepath.Join(dir, "static", "remoteEntry.stale.js"), []byte("x"), 0o644)
	if _, err := installLabExtension(opts, ec); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "static", "remoteEntry.stale.js")); err == nil {
		t.Error("a stale file survived the reinstall")
	}
	if entries, _ := os.ReadDir(filepath.Join(data, "labextensions")); len(entries) != 1 {
		t.Errorf("labextensions holds %d entries, want 1", len(entries))
	}
	// Without ECharts: an error naming it, and nothing installed.
	t.Setenv(assets.EnvEChartsDir, "")
	other := Options{Root: root, Prefix: t.TempDir(), JupyterDataDir: t.TempDir()}
	if _, err := installLabExtension(other, ""); err == nil || !strings.Contains(err.Error(), "ECharts") {
		t.Errorf("without ECharts: %v", err)
	}
	if _, err := os.Stat(LabExtensionDir(other.JupyterDataDir)); err == nil {
		t.Error("installed without ECharts")
	}
	if err := UninstallLabExtension(data); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("uninstall left the extension")
	}
}
