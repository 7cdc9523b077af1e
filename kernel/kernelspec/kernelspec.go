// Package kernelspec finds, writes and starts Jupyter kernels described by
// kernel specs (kernel.json files).
//
// A kernel spec lives in a directory named after the kernel inside a
// "kernels" folder of a Jupyter data directory, for example
// ~/.local/share/jupyter/kernels/founderlab/kernel.json. Its argv is the
// command that starts the kernel, with "{connection_file}" standing for the
// path of the connection file the client writes. [Start] does exactly what a
// Jupyter server does: it picks free loopback ports and a random key, writes
// the connection file, starts the process with the spec's environment, and
// connects a [jupyter.Client] to it.
package kernelspec

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/founderlab/founderlab/internal/atomicfile"
)

// Spec is the content of a kernel.json file.
type Spec struct {
	Argv        []string `json:"argv"`
	DisplayName string   `json:"display_name"`
	Language    string   `json:"language"`
	// InterruptMode is "signal" (SIGINT to the process, the default) or
	// "message" (an interrupt_request on the control channel).
	InterruptMode string            `json:"interrupt_mode,omitempty"`
	Env           map[string]string `json:"env,omitempty"`
	Metadata      map[string]any    `json:"metadata,omitempty"`
}

// UserDataDir returns the user's Jupyter data directory: $JUPYTER_DATA_DIR,
// or the platform default (~/.local/share/jupyter on Linux, honouring
// $XDG_DATA_HOME).
func UserDataDir() (string, error) {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return filepath.Abs(d)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("kernelspec: no home directory: %w", err)
	}
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Jupyter"), nil
	case "windows":
		if d := os.Getenv("APPDATA"); d != "" {
			return filepath.Join(d, "jupyter"), nil
		}
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "jupyter"), nil
	}
	return filepath.Join(home, ".local", "share", "jupyter"), nil
}

// SearchPath returns the Jupyter data directories searched for kernels, in
// order: $JUPYTER_PATH entries, the user data directory, extra (for
// example a virtual environment's share/jupyter), then the system ones.
func SearchPath(extra ...string) []string {
	var dirs []string
	if p := os.Getenv("JUPYTER_PATH"); p != "" {
		dirs = append(dirs, filepath.SplitList(p)...)
	}
	if d, err := UserDataDir(); err == nil {
		dirs = append(dirs, d)
	}
	dirs = append(dirs, extra...)
	dirs = append(dirs, "/usr/local/share/jupyter", "/usr/share/jupyter")
	return dirs
}

// Find returns the spec named name and the directory holding it, searching
// dirs (see [SearchPath]).
func Find(name string, dirs []string) (*Spec, string, error) {
	for _, d := range dirs {
		dir := filepath.Join(d, "kernels", name)
		s, err := Read(dir)
		if err == nil {
			return s, dir, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return nil, "", err
		}
	}
	return nil, "", fmt.Errorf("kernelspec: no kernel named %q in %s (run `founderlab install`)", name, strings.Join(dirs, ", "))
}

// Read reads dir/kernel.json.
func Read(dir string) (*Spec, error) {
	p := filepath.Join(dir, "kernel.json")
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	var s Spec
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("kernelspec: %s: %w", p, err)
	}
	if len(s.Argv) == 0 {
		return nil, fmt.Errorf("kernelspec: %s: empty argv", p)
	}
	return &s, nil
}

// Write writes s as dir/kernel.json, creating dir, atomically.
func Write(dir string, s *Spec) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("kernelspec: %w", err)
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("kernelspec: %w", err)
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "kernel.json"), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("kernelspec: %w", err)
	}
	return nil
}
