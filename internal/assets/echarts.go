package assets

import (
	"bytes"
	"context"
	"encoding/json"
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

// EnvEChartsDir names the npm prefix holding the offline ECharts.
const EnvEChartsDir = "FOUNDERLAB_ECHARTS_DIR"

// EChartsPrefix returns the npm prefix directory of the offline ECharts:
// $FOUNDERLAB_ECHARTS_DIR if set, else $XDG_DATA_HOME/founderlab/echarts,
// else ~/.local/share/founderlab/echarts.
func EChartsPrefix() (string, error) {
	if d := os.Getenv(EnvEChartsDir); d != "" {
		return filepath.Abs(d)
	}
	data := os.Getenv("XDG_DATA_HOME")
	if data == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("assets: locate ECharts: set $%s or $XDG_DATA_HOME: %w", EnvEChartsDir, err)
		}
		data = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(data, "founderlab", "echarts"), nil
}

// EChartsFiles are the files of the npm package that FounderLab uses,
// relative to the npm prefix.
var EChartsFiles = []string{
	"node_modules/echarts/package.json",
	"node_modules/echarts/LICENSE",
	"node_modules/echarts/dist/echarts.min.js",
}

// EChartsLibrary returns the path of echarts.min.js under the npm prefix.
func EChartsLibrary(prefix string) string {
	return filepath.Join(prefix, "node_modules", "echarts", "dist", "echarts.min.js")
}

// EChartsLicense returns the path of the ECharts license under the prefix.
func EChartsLicense(prefix string) string {
	return filepath.Join(prefix, "node_modules", "echarts", "LICENSE")
}

// EChartsInstalled returns the version of the echarts package under
// prefix, checking that the library and its license are present.
func EChartsInstalled(prefix string) (string, error) {
	for _, rel := range EChartsFiles {
		if _, err := os.Stat(filepath.Join(prefix, filepath.FromSlash(rel))); err != nil {
			return "", fmt.Errorf("assets: ECharts in %s: %w", prefix, err)
		}
	}
	pkg := filepath.Join(prefix, "node_modules", "echarts", "package.json")
	b, err := os.ReadFile(pkg)
	if err != nil {
		return "", fmt.Errorf("assets: %w", err)
	}
	var meta struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(b, &meta); err != nil {
		return "", fmt.Errorf("assets: %s: %w", pkg, err)
	}
	return meta.Version, nil
}

// InstallECharts installs ECharts EChartsVersion from npm into prefix by
// running exactly
//
//	npm install --prefix <prefix> --no-audit --no-fund echarts@5.4.3
//
// It does nothing when that version is already installed there, so it
// works offline after the first run. npm must be on $PATH.
func InstallECharts(ctx context.Context, prefix string) error {
	if prefix == "" {
		return errors.New("assets: install ECharts: empty prefix")
	}
	if v, err := EChartsInstalled(prefix); err == nil && v == EChartsVersion {
		return nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return fmt.Errorf("assets: install ECharts into %s: npm not found on $PATH (install Node.js and npm): %w", prefix, err)
	}
	if err := os.MkdirAll(prefix, 0o755); err != nil {
		return fmt.Errorf("assets: install ECharts: %w", err)
	}
	cmd := exec.CommandContext(ctx, npm, "install", "--prefix", prefix, "--no-audit", "--no-fund", "echarts@"+EChartsVersion)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		s := out.String()
		if len(s) > 2000 {
			s = "…" + s[len(s)-2000:]
		}
		return fmt.Errorf("assets: %s: %w\n%s", strings.Join(cmd.Args, " "), err, s)
	}
	v, err := EChartsInstalled(prefix)
	if err != nil {
		return fmt.Errorf("assets: install ECharts into %s: %w", prefix, err)
	}
	if v != EChartsVersion {
		return fmt.Errorf("assets: install ECharts into %s: got version %s, want %s", prefix, v, EChartsVersion)
	}
	return nil
}
