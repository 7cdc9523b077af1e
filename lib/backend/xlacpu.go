package backend

// XLA on CPU: where a PJRT CPU plugin comes from and how to put it in place.
// The pins and the file handling live in internal/assets, shared with the
// founderlab command (which must not link GoMLX); these are the library's
// names for them.

import "github.com/founderlab/founderlab/internal/assets"

// CPUPluginFile is the file name go-xla looks for to load XLA's CPU plugin.
const CPUPluginFile = assets.CPUPluginFile

// PluginDir returns the directory FounderLab installs PJRT plugins into:
// "founderlab/pjrt" under the user's cache directory
// (~/.cache/founderlab/pjrt on Linux).
func PluginDir() (string, error) { return assets.PluginDir() }

// FindCPUPlugin returns the path of an XLA CPU PJRT plugin: the first
// CPUPluginFile in the directories of $PJRT_PLUGIN_LIBRARY_PATH, then in
// [PluginDir], then in extra. It returns an error listing the places searched
// when there is none. A plugin found outside $PJRT_PLUGIN_LIBRARY_PATH is used
// by [New] only once that variable names its directory when the process starts.
func FindCPUPlugin(extra ...string) (string, error) { return assets.FindCPUPlugin(extra...) }

// ExtractCPUPlugin copies XLA's CPU PJRT plugin out of a wheel file (the
// PyPI wheels lammps-jax-pjrt-cpu or fastatomstruct-xla-cpu, zip archives)
// into dir as CPUPluginFile, atomically, and returns its path. dir is
// created if needed.
func ExtractCPUPlugin(wheel, dir string) (path string, err error) {
	return assets.ExtractCPUPlugin(wheel, dir)
}
