package install

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/founderlab/founderlab/internal/assets"
)

// EChartsDir returns where the ECharts npm package is installed under prefix.
func EChartsDir(prefix string) string { return filepath.Join(prefix, "echarts") }

// installECharts installs the ECharts npm package for offline charts into
// the prefix, unless $FOUNDERLAB_ECHARTS_DIR already names an installed
// copy: from the kit when installing from one, else from npm.
func installECharts(ctx context.Context, opts Options) (string, error) {
	if d := os.Getenv(assets.EnvEChartsDir); d != "" {
		if v, err := assets.EChartsInstalled(d); err == nil && v == assets.EChartsVersion {
			return d, nil
		}
	}
	dir := EChartsDir(opts.Prefix)
	if opts.kit != "" {
		fmt.Fprintf(opts.Log, "installing ECharts %s from the kit into %s\n", assets.EChartsVersion, dir)
		return dir, copyFiles(filepath.Join(opts.kit, "echarts"), dir, assets.EChartsFiles)
	}
	fmt.Fprintf(opts.Log, "installing ECharts %s from npm into %s\n", assets.EChartsVersion, dir)
	if err := assets.InstallECharts(ctx, dir); err != nil {
		return "", err
	}
	return dir, nil
}
