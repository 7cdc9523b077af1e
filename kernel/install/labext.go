package install

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/founderlab/founderlab/internal/assets"
	"github.com/founderlab/founderlab/internal/atomicfile"
)

// LabExtensionName is the name of FounderLab's JupyterLab extension, the
// MIME renderer of lib/charts' application/vnd.founderlab.echarts+json
// outputs for JupyterLab 4 and Notebook 7. Its TypeScript source is
// kernel/labextension; the federated build of it (about 15 KB, without
// ECharts) is committed in kernel/labextension/prebuilt and rebuilt with
// `make labextension`.
const LabExtensionName = "founderlab-echarts"

// LabExtensionSource is the prebuilt extension in the checkout.
func LabExtensionSource(root string) string {
	return filepath.Join(root, "kernel", "labextension", "prebuilt")
}

// LabExtensionDir is where the extension is installed in a Jupyter data
// directory: JupyterLab and Notebook 7 load every labextensions/<name>/
// they find there, with no `jupyter lab build`.
func LabExtensionDir(jupyterDataDir string) string {
	return filepath.Join(jupyterDataDir, "labextensions", LabExtensionName)
}

// labExtensionFiles returns the files of the prebuilt extension (relative,
// slash-separated), checking that the entry point its package.json names
// is among them.
func labExtensionFiles(src string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(src, "package.json"))
	if err != nil {
		return nil, fmt.Errorf("install: lab extension: %w", err)
	}
	var pkg struct {
		Name       string `json:"name"`
		JupyterLab struct {
			Build struct {
				Load string `json:"load"`
			} `json:"_build"`
		} `json:"jupyterlab"`
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		return nil, fmt.Errorf("install: lab extension %s: %w", src, err)
	}
	if pkg.Name != LabExtensionName || pkg.JupyterLab.Build.Load == "" {
		return nil, fmt.Errorf("install: lab extension %s: package %q with entry %q is not a build of %s", src, pkg.Name, pkg.JupyterLab.Build.Load, LabExtensionName)
	}
	var files []string
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("install: lab extension: %w", err)
	}
	found := false
	for _, f := range files {
		found = found || f == pkg.JupyterLab.Build.Load
	}
	if !found {
		return nil, fmt.Errorf("install: lab extension %s: entry %s is missing", src, pkg.JupyterLab.Build.Load)
	}
	return files, nil
}

// installLabExtension puts the extension into the Jupyter data directory:
// the prebuilt files from the checkout, and ECharts' echarts.min.js and
// license from echartsDir (an npm prefix; "" means the one installed for
// this prefix, or $FOUNDERLAB_ECHARTS_DIR) into its static/ directory,
// where the extension fetches the library once per page. It needs no node,
// no npm and no network: the prebuilt files come with the checkout and
// ECharts with `founderlab install` (from npm, or from a workshop kit). The
// directory is replaced whole, so a reinstall leaves no stale files.
func installLabExtension(opts Options, echartsDir string) (string, error) {
	if echartsDir == "" {
		for _, d := range []string{os.Getenv(assets.EnvEChartsDir), EChartsDir(opts.Prefix)} {
			if v, err := assets.EChartsInstalled(d); d != "" && err == nil && v == assets.EChartsVersion {
				echartsDir = d
				break
			}
		}
	}
	if v, err := assets.EChartsInstalled(echartsDir); echartsDir == "" || err != nil || v != assets.EChartsVersion {
		return "", fmt.Errorf("install: lab extension: ECharts %s is not installed (its charts need it)", assets.EChartsVersion)
	}
	src := LabExtensionSource(opts.Root)
	files, err := labExtensionFiles(src)
	if err != nil {
		return "", err
	}
	dst := LabExtensionDir(opts.JupyterDataDir)
	parent := filepath.Dir(dst)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("install: lab extension: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+LabExtensionName+".new-")
	if err != nil {
		return "", fmt.Errorf("install: lab extension: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", fmt.Errorf("install: lab extension: %w", err)
	}
	if err := copyFiles(src, tmp, files); err != nil {
		return "", err
	}
	if err := copyFileAs(assets.EChartsLibrary(echartsDir), filepath.Join(tmp, "static", "echarts.min.js")); err != nil {
		return "", err
	}
	if err := copyFileAs(assets.EChartsLicense(echartsDir), filepath.Join(tmp, "static", "echarts.LICENSE.txt")); err != nil {
		return "", err
	}
	old := ""
	if _, err := os.Stat(dst); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dst, old); err != nil {
			return "", fmt.Errorf("install: lab extension: %w", err)
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		if old != "" {
			os.Rename(old, dst)
		}
		return "", fmt.Errorf("install: lab extension: %w", err)
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return dst, nil
}

// copyFileAs copies the file src to dst.
func copyFileAs(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("install: lab extension: %w", err)
	}
	defer in.Close()
	if _, err := atomicfile.Copy(dst, in, 0o644); err != nil {
		return fmt.Errorf("install: lab extension: %w", err)
	}
	return nil
}

// UninstallLabExtension removes the extension from a Jupyter data
// directory; a missing one is no error.
func UninstallLabExtension(jupyterDataDir string) error {
	if err := os.RemoveAll(LabExtensionDir(jupyterDataDir)); err != nil {
		return fmt.Errorf("uninstall: lab extension: %w", err)
	}
	return nil
}

// LabExtensionSourceFiles are the files of kernel/labextension that the
// prebuilt extension is built from, relative to that directory; `make
// labextension` records their sha256 in prebuilt.sha256.
var LabExtensionSourceFiles = []string{"package.json", "package-lock.json", "tsconfig.json", "src/index.ts"}

// CheckLabExtensionBuild reports an error when the prebuilt extension in
// the checkout was not built from the source files as they are now (their
// sha256 differ from those recorded in kernel/labextension/prebuilt.sha256).
func CheckLabExtensionBuild(root string) error {
	dir := filepath.Join(root, "kernel", "labextension")
	rec, err := os.ReadFile(filepath.Join(dir, "prebuilt.sha256"))
	if err != nil {
		return fmt.Errorf("lab extension: %w (run make labextension)", err)
	}
	want := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(rec)), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			return fmt.Errorf("lab extension: prebuilt.sha256: bad line %q", line)
		}
		want[name] = sum
	}
	var errs []error
	for _, f := range LabExtensionSourceFiles {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != want[f] {
			errs = append(errs, fmt.Errorf("%s changed since the prebuilt extension was built", f))
		}
	}
	if len(want) != len(LabExtensionSourceFiles) {
		errs = append(errs, fmt.Errorf("prebuilt.sha256 lists %d files, want %d", len(want), len(LabExtensionSourceFiles)))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("lab extension: kernel/labextension/prebuilt is stale (run make labextension): %w", err)
	}
	return nil
}
