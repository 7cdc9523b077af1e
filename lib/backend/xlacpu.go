package backend

// XLA on CPU: where a PJRT CPU plugin comes from and how to put it in place.
//
// go-xla (GoMLX's XLA engine) loads plugins named pjrt_c_api_<name>_plugin.so
// from the directories in $PJRT_PLUGIN_LIBRARY_PATH, read once when the
// process starts. Google's jaxlib wheels do not ship the CPU client as a
// PJRT plugin, but two PyPI packages ship XLA's CPU PJRT plugin as a plain
// shared library exporting GetPjrtApi, and both load in go-xla v0.1.4:
//
//	lammps-jax-pjrt-cpu     lammps_jax_pjrt_cpu/pjrt_c_api_cpu_plugin.so   (Apache-2.0)
//	fastatomstruct-xla-cpu  fastatomstruct_xla_cpu/libpjrt_cpu.so
//
// [ExtractCPUPlugin] copies the library out of such a wheel into a directory
// under the name go-xla expects; [FindCPUPlugin] finds an installed one.

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// CPUPluginFile is the file name go-xla looks for to load XLA's CPU plugin.
const CPUPluginFile = "pjrt_c_api_cpu_plugin.so"

// cpuPluginMembers are the paths of the CPU plugin inside the known wheels.
var cpuPluginMembers = []string{
	"lammps_jax_pjrt_cpu/pjrt_c_api_cpu_plugin.so",
	"fastatomstruct_xla_cpu/libpjrt_cpu.so",
}

// PluginDir returns the directory FounderLab installs PJRT plugins into:
// "founderlab/pjrt" under the user's cache directory
// (~/.cache/founderlab/pjrt on Linux).
func PluginDir() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("backend: no user cache directory: %w", err)
	}
	return filepath.Join(cache, "founderlab", "pjrt"), nil
}

// FindCPUPlugin returns the path of an XLA CPU PJRT plugin: the first
// CPUPluginFile in the directories of $PJRT_PLUGIN_LIBRARY_PATH, then in
// [PluginDir], then in extra. It returns an error listing the places searched
// when there is none. A plugin found outside $PJRT_PLUGIN_LIBRARY_PATH is used
// by [New] only once that variable names its directory when the process starts.
func FindCPUPlugin(extra ...string) (string, error) {
	var dirs []string
	for _, d := range strings.Split(os.Getenv("PJRT_PLUGIN_LIBRARY_PATH"), ":") {
		if d != "" {
			dirs = append(dirs, d)
		}
	}
	if d, err := PluginDir(); err == nil {
		dirs = append(dirs, d)
	}
	dirs = append(dirs, extra...)
	for _, d := range dirs {
		p := filepath.Join(d, CPUPluginFile)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, nil
		}
	}
	return "", fmt.Errorf("backend: no %s in %v (install one with ExtractCPUPlugin from the PyPI wheel lammps-jax-pjrt-cpu)", CPUPluginFile, dirs)
}

// ExtractCPUPlugin copies XLA's CPU PJRT plugin out of a wheel file (a zip
// archive; see the list in this file's comment) into dir as CPUPluginFile,
// atomically, and returns its path. dir is created if needed.
func ExtractCPUPlugin(wheel, dir string) (path string, err error) {
	zr, err := zip.OpenReader(wheel)
	if err != nil {
		return "", fmt.Errorf("backend: open wheel %s: %w", wheel, err)
	}
	defer zr.Close()
	var member *zip.File
	for _, f := range zr.File {
		for _, name := range cpuPluginMembers {
			if f.Name == name {
				member = f
			}
		}
	}
	if member == nil {
		return "", fmt.Errorf("backend: wheel %s holds none of %v", wheel, cpuPluginMembers)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("backend: create %s: %w", dir, err)
	}
	path = filepath.Join(dir, CPUPluginFile)
	src, err := member.Open()
	if err != nil {
		return "", fmt.Errorf("backend: read %s in %s: %w", member.Name, wheel, err)
	}
	defer src.Close()
	if err := writeAtomic(path, src, 0o755); err != nil {
		return "", fmt.Errorf("backend: extract %s from %s: %w", member.Name, wheel, err)
	}
	return path, nil
}

// writeAtomic writes r to path through a temporary file in the same
// directory, synced and renamed into place.
func writeAtomic(path string, r io.Reader, perm os.FileMode) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = io.Copy(tmp, r); err != nil {
		return err
	}
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, derr := os.Open(filepath.Dir(path)); derr == nil {
		defer d.Close()
		if serr := d.Sync(); serr != nil && !errors.Is(serr, os.ErrInvalid) {
			return serr
		}
	}
	return nil
}
