// Package backend chooses the GoMLX backend that FounderLab's models run on.
//
// GoMLX v0.26 ships two engines: XLA, which compiles graphs through a PJRT
// plugin (a shared library such as pjrt_c_api_cpu_plugin.so or the CUDA
// plugin), and SimpleGo ("go"), a portable pure-Go interpreter. Importing
// GoMLX's backends/default package and calling backends.New without
// $GOMLX_BACKEND tries XLA first, and XLA tries to download its plugin from
// the internet when none is installed. On an offline laptop or a workshop
// machine that fails with an unhelpful error, so FounderLab never relies on
// that default: [New] decides explicitly.
//
// The rules, in order:
//
//  1. If $GOMLX_BACKEND is set (for example "go" or "xla:cpu"), it is used as
//     given; an error names the variable and its value.
//  2. Otherwise, if an XLA PJRT plugin is installed locally (see
//     $PJRT_PLUGIN_LIBRARY_PATH), XLA is used with its preferred plugin.
//  3. Otherwise, if XLA's CPU plugin is installed in [PluginDir] (see
//     [ExtractCPUPlugin]), XLA is used with it.
//  4. Otherwise SimpleGo is used, and [Choice.Note] says why XLA was not.
//
// SimpleGo is configured with parallelism=-1: its bounded worker pool can
// deadlock on two-core machines under heavy DotGeneral work, and the
// unbounded setting cannot.
//
// XLA's automatic plugin download is switched off: this package never touches
// the network.
//
// [New] also installs FounderLab's training fixes ([InstallTrainingFixes]):
// GoMLX v0.26 computes the gradients of Dot and DotGeneral through huge
// broadcasts; the replacements compute them with DotGeneral itself.
package backend

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
	"github.com/gomlx/gomlx/backends/xla"
)

// EnvBackend is the environment variable GoMLX reads to choose a backend.
const EnvBackend = backends.ConfigEnvVar

// SimpleGoConfig is the configuration FounderLab uses for the SimpleGo backend.
const SimpleGoConfig = simplego.BackendName + ":parallelism=-1"

// Choice is a backend together with a human-readable account of how it was chosen.
type Choice struct {
	// Backend is the GoMLX backend to build graphs on.
	Backend backends.Backend
	// Config is the configuration string the backend was created with,
	// in $GOMLX_BACKEND syntax ("go:parallelism=-1", "xla:cpu").
	Config string
	// Note explains the choice in one sentence, e.g. why XLA was not used.
	Note string
}

// String returns the configuration and the note.
func (c Choice) String() string { return c.Config + " (" + c.Note + ")" }

// New chooses and creates a backend following the rules in the package doc.
func New() (Choice, error) {
	xla.EnableAutoInstall(false)
	// Gradients of Dot/DotGeneral as DotGeneral (see InstallTrainingFixes); if
	// this GoMLX version cannot take them, its own slower gradients remain.
	_ = InstallTrainingFixes()
	if cfg, ok := os.LookupEnv(EnvBackend); ok && strings.TrimSpace(cfg) != "" {
		cfg = strings.TrimSpace(cfg)
		if name, _, _ := strings.Cut(cfg, ":"); name == simplego.BackendName && !strings.Contains(cfg, ":") {
			cfg = SimpleGoConfig
		}
		b, err := create(cfg)
		if err != nil {
			return Choice{}, fmt.Errorf("backend: $%s=%q: %w", EnvBackend, os.Getenv(EnvBackend), err)
		}
		return Choice{Backend: b, Config: cfg, Note: "chosen by $" + EnvBackend}, nil
	}
	if plugins := XLAPlugins(); len(plugins) > 0 {
		cfg := xla.BackendName + ":" + plugins[0]
		b, err := create(cfg)
		if err == nil {
			return Choice{Backend: b, Config: cfg, Note: "XLA plugin " + plugins[0] + " found"}, nil
		}
		sg, err2 := create(SimpleGoConfig)
		if err2 != nil {
			return Choice{}, fmt.Errorf("backend: XLA plugin %q failed (%v) and SimpleGo failed: %w", plugins[0], err, err2)
		}
		return Choice{Backend: sg, Config: SimpleGoConfig,
			Note: fmt.Sprintf("XLA plugin %q failed to load (%v); using the pure-Go backend", plugins[0], err)}, nil
	}
	// A CPU plugin installed in PluginDir (by `founderlab install`, see
	// ExtractCPUPlugin) is loaded by its absolute path.
	if p, err := FindCPUPlugin(); err == nil {
		cfg := xla.BackendName + ":" + p
		if b, err := create(cfg); err == nil {
			return Choice{Backend: b, Config: cfg, Note: "XLA CPU plugin found in " + filepath.Dir(p)}, nil
		}
	}
	b, err := create(SimpleGoConfig)
	if err != nil {
		return Choice{}, fmt.Errorf("backend: SimpleGo: %w", err)
	}
	return Choice{Backend: b, Config: SimpleGoConfig,
		Note: "no XLA PJRT plugin installed (set PJRT_PLUGIN_LIBRARY_PATH or run `founderlab doctor`); using the pure-Go backend"}, nil
}

// Must is like [New] but panics on error; it is meant for notebook cells.
func Must() backends.Backend {
	c, err := New()
	if err != nil {
		panic(err)
	}
	return c.Backend
}

// XLAPlugins lists the XLA PJRT plugins installed on this machine, preferred first.
// It never downloads anything.
func XLAPlugins() []string {
	xla.EnableAutoInstall(false)
	return xla.GetAvailablePlugins()
}

// create builds a backend from a $GOMLX_BACKEND-style configuration,
// converting GoMLX's panics into errors.
func create(cfg string) (b backends.Backend, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	if name, _, _ := strings.Cut(cfg, ":"); name == simplego.BackendName {
		return quietly(func() (backends.Backend, error) { return backends.NewWithConfig(cfg) })
	}
	return backends.NewWithConfig(cfg)
}

// quietly runs f with standard output discarded: SimpleGo prints a line when
// its parallelism is configured, which would otherwise appear in every
// notebook cell that trains a model.
func quietly(f func() (backends.Backend, error)) (backends.Backend, error) {
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return f()
	}
	defer devnull.Close()
	saved := os.Stdout
	os.Stdout = devnull
	defer func() { os.Stdout = saved }()
	return f()
}
