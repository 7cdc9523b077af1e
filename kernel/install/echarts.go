package install

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/founderlab/founderlab/lib/charts"
)

// EChartsDir returns where the ECharts npm package is installed under prefix.
func EChartsDir(prefix string) string { return filepath.Join(prefix, "echarts") }

// installECharts installs the ECharts npm package for offline charts into
// the prefix, unless $FOUNDERLAB_ECHARTS_DIR already names an installed copy.
func installECharts(ctx context.Context, opts Options) (string, error) {
	if d := os.Getenv(charts.EnvEChartsDir); d != "" {
		if _, err := os.Stat(charts.LibraryPath(d)); err == nil {
			return d, nil
		}
	}
	dir := EChartsDir(opts.Prefix)
	fmt.Fprintf(opts.Log, "installing ECharts %s from npm into %s\n", charts.EChartsVersion, dir)
	if err := charts.InstallECharts(ctx, dir); err != nil {
		return "", err
	}
	return dir, nil
}
