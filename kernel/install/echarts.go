package install

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// EChartsDir returns where the ECharts npm package is installed under prefix.
func EChartsDir(prefix string) string { return filepath.Join(prefix, "echarts") }

// installECharts installs the ECharts npm package for offline charts,
// unless it is already there.
func installECharts(ctx context.Context, opts Options) (string, error) {
	dir := EChartsDir(opts.Prefix)
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "echarts", "dist", "echarts.min.js")); err == nil {
		return dir, nil
	}
	fmt.Fprintf(opts.Log, "installing ECharts from npm into %s\n", dir)
	if err := installEChartsNPM(ctx, dir); err != nil {
		return "", err
	}
	return dir, nil
}
