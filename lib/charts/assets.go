package charts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// EChartsVersion is the ECharts release that go-echarts v2.6.7 options
// target, pinned for the CDN URL and for the offline install.
const EChartsVersion = "5.4.3"

// CDNURL is the pinned CDN address of ECharts [EChartsVersion], used by [CDN].
const CDNURL = "https://cdn.jsdelivr.net/npm/echarts@" + EChartsVersion + "/dist/echarts.min.js"

// Environment variables read by this package.
const (
	// EnvEChartsDir names the npm prefix holding the offline ECharts
	// (see [EChartsPrefix]).
	EnvEChartsDir = "FOUNDERLAB_ECHARTS_DIR"
	// EnvAssets selects the default asset mode: "inline" (the default),
	// "cdn", or a URL of echarts.min.js (http, https or file).
	EnvAssets = "FOUNDERLAB_CHARTS_ASSETS"
)

// EChartsPrefix returns the npm prefix directory of the offline ECharts:
// $FOUNDERLAB_ECHARTS_DIR if set, else $XDG_DATA_HOME/founderlab/echarts,
// else ~/.local/share/founderlab/echarts. The library is
// <prefix>/node_modules/echarts/dist/echarts.min.js and its license
// <prefix>/node_modules/echarts/LICENSE.
func EChartsPrefix() (string, error) {
	if d := os.Getenv(EnvEChartsDir); d != "" {
		return filepath.Abs(d)
	}
	data := os.Getenv("XDG_DATA_HOME")
	if data == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("charts: locate ECharts: set $%s or $XDG_DATA_HOME: %w", EnvEChartsDir, err)
		}
		data = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(data, "founderlab", "echarts"), nil
}

// LibraryPath returns the path of echarts.min.js under the npm prefix.
func LibraryPath(prefix string) string {
	return filepath.Join(prefix, "node_modules", "echarts", "dist", "echarts.min.js")
}

// LicensePath returns the path of the ECharts license (Apache-2.0) under the
// npm prefix. Inlined copies of the library keep the license header of
// echarts.min.js.
func LicensePath(prefix string) string {
	return filepath.Join(prefix, "node_modules", "echarts", "LICENSE")
}

// InstallECharts installs ECharts [EChartsVersion] from npm into prefix by
// running exactly
//
//	npm install --prefix <prefix> --no-audit --no-fund echarts@5.4.3
//
// It does nothing when that version is already installed there, so it
// works offline after the first run. npm must be on $PATH.
func InstallECharts(ctx context.Context, prefix string) error {
	if prefix == "" {
		return errors.New("charts: install ECharts: empty prefix")
	}
	if v, err := installedVersion(prefix); err == nil && v == EChartsVersion {
		return nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return fmt.Errorf("charts: install ECharts into %s: npm not found on $PATH (install Node.js and npm): %w", prefix, err)
	}
	if err := os.MkdirAll(prefix, 0o755); err != nil {
		return fmt.Errorf("charts: install ECharts: %w", err)
	}
	cmd := exec.CommandContext(ctx, npm, "install", "--prefix", prefix, "--no-audit", "--no-fund", "echarts@"+EChartsVersion)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("charts: %s: %w\n%s", strings.Join(cmd.Args, " "), err, tail(out.String(), 2000))
	}
	v, err := installedVersion(prefix)
	if err != nil {
		return fmt.Errorf("charts: install ECharts into %s: %w", prefix, err)
	}
	if v != EChartsVersion {
		return fmt.Errorf("charts: install ECharts into %s: got version %s, want %s", prefix, v, EChartsVersion)
	}
	return nil
}

// installedVersion reads the version of the echarts package under prefix,
// and checks that the library and its license are present.
func installedVersion(prefix string) (string, error) {
	pkg := filepath.Join(prefix, "node_modules", "echarts", "package.json")
	b, err := os.ReadFile(pkg)
	if err != nil {
		return "", err
	}
	var meta struct {
		Version string `json:"version"`
	}
	if err := jsonUnmarshal(b, &meta); err != nil {
		return "", fmt.Errorf("%s: %w", pkg, err)
	}
	for _, p := range []string{LibraryPath(prefix), LicensePath(prefix)} {
		if _, err := os.Stat(p); err != nil {
			return "", err
		}
	}
	return meta.Version, nil
}

// readLibrary returns echarts.min.js from the npm prefix, checked to be
// version EChartsVersion and safe to place inside a <script> element.
func readLibrary(prefix string) (string, error) {
	v, err := installedVersion(prefix)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("charts: offline ECharts %s is not installed in %s (run `founderlab install`, or call charts.InstallECharts, or choose charts.CDN()): %w", EChartsVersion, prefix, err)
		}
		return "", fmt.Errorf("charts: offline ECharts in %s: %w", prefix, err)
	}
	if v != EChartsVersion {
		return "", fmt.Errorf("charts: offline ECharts in %s is version %s, want %s (run `founderlab install`)", prefix, v, EChartsVersion)
	}
	b, err := os.ReadFile(LibraryPath(prefix))
	if err != nil {
		return "", fmt.Errorf("charts: read ECharts: %w", err)
	}
	lib := string(b)
	if strings.Contains(lib, "<!--") {
		return "", fmt.Errorf("charts: %s contains \"<!--\" and cannot be inlined in a <script> element", LibraryPath(prefix))
	}
	return escapeScriptEnd(lib), nil
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
