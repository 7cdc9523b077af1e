package install

import (
	"context"
	"fmt"
	"os"
	"os/exec"
)

// installEChartsNPM runs npm to install ECharts into the prefix dir.
func installEChartsNPM(ctx context.Context, dir string) error {
	npm, err := exec.LookPath("npm")
	if err != nil {
		return fmt.Errorf("npm not found: install Node.js to get offline charts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, npm, "install", "--prefix", dir, "--no-audit", "--no-fund", "echarts@5.4.3")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("npm install echarts: %v\n%s", err, out)
	}
	return nil
}
