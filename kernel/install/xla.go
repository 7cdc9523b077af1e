package install

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/lib/backend"
)

// The XLA CPU plugin comes from a PyPI wheel that packages the PJRT CPU
// plugin of OpenXLA (Apache-2.0); go-xla v0.1.4 loads it. See the "XLA on
// CPU" section of bench/README.md for what was tried and measured.
const (
	xlaCPUWheelName   = "lammps-jax-pjrt-cpu"
	xlaCPUWheelVer    = "0.11.2"
	xlaCPUWheelFile   = "lammps_jax_pjrt_cpu-0.11.2-py3-none-manylinux_2_27_x86_64.whl"
	xlaCPUWheelSHA256 = "1319390d948b39f69f7dade496b7c385149d9ca6097a6b62114da113216d9ad1"
)

// installXLACPU puts XLA's CPU PJRT plugin into backend.PluginDir, where
// lib/backend finds it, so that models run on XLA instead of the slower
// pure-Go backend. The wheel is fetched with pip into prefix/wheels (or
// taken from there) and checked against its pinned sha256. It returns the
// plugin's path.
func installXLACPU(ctx context.Context, opts Options) (string, error) {
	if p, err := backend.FindCPUPlugin(); err == nil {
		return p, nil
	}
	dir, err := backend.PluginDir()
	if err != nil {
		return "", err
	}
	wheels := filepath.Join(opts.Prefix, "wheels")
	wheel := filepath.Join(wheels, xlaCPUWheelFile)
	if _, err := os.Stat(wheel); errors.Is(err, os.ErrNotExist) {
		if opts.Offline {
			return "", fmt.Errorf("offline: put %s into %s to install the XLA CPU plugin", xlaCPUWheelFile, wheels)
		}
		py, err := exec.LookPath("python3")
		if err != nil {
			return "", errors.New("python3 (with pip) is needed to download the XLA CPU plugin")
		}
		fmt.Fprintf(opts.Log, "downloading the XLA CPU plugin (%s %s, about 60 MB) with pip\n", xlaCPUWheelName, xlaCPUWheelVer)
		cmd := exec.CommandContext(ctx, py, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
			"--python-version", "3.12", "--platform", "manylinux_2_27_x86_64", "--dest", wheels,
			xlaCPUWheelName+"=="+xlaCPUWheelVer)
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("pip download %s: %v\n%s", xlaCPUWheelName, err, out)
		}
	}
	if err := datasets.VerifySHA256(wheel, xlaCPUWheelSHA256); err != nil {
		return "", err
	}
	return backend.ExtractCPUPlugin(wheel, dir)
}
