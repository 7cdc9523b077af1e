package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/founderlab/founderlab/kernel/install"
	"github.com/founderlab/founderlab/kernel/kernelspec"
)

// jupyterRequirements pins the Jupyter front end the lab installs.
const jupyterRequirements = "scripts/jupyter-requirements.txt"

func cmdLab(args []string) error {
	fs := flag.NewFlagSet("lab", flag.ContinueOnError)
	port := fs.Int("port", 8888, "port for JupyterLab on 127.0.0.1")
	venv := fs.String("venv", "", "virtual environment for JupyterLab (default <checkout>/.venv)")
	nbDir := fs.String("notebooks", "", "directory to open (default <checkout>/notebooks)")
	noBrowser := fs.Bool("no-browser", false, "do not open a web browser")
	reinstall := fs.Bool("reinstall", false, "run install even if the kernel is already installed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	wd, _ := os.Getwd()
	root, err := install.FindRoot(wd)
	if err != nil {
		return err
	}
	if *venv == "" {
		*venv = filepath.Join(root, ".venv")
	}
	if *nbDir == "" {
		*nbDir = filepath.Join(root, "notebooks")
	}
	lab, err := ensureJupyter(root, *venv)
	if err != nil {
		return err
	}
	if *reinstall || !kernelInstalled(root) {
		fmt.Fprintln(os.Stderr, "installing the FounderLab kernel (first run takes a few minutes)")
		if _, err := install.Install(context.Background(), install.Options{Root: root, Log: os.Stderr}); err != nil {
			return err
		}
	}
	argv := []string{lab, "--ServerApp.ip=127.0.0.1", fmt.Sprintf("--ServerApp.port=%d", *port),
		"--ServerApp.root_dir=" + *nbDir, "--IdentityProvider.token_length=32",
		// Jupyter's own hidden files, and the notebooks' Go test file,
		// which is not for learners.
		`--ContentsManager.hide_globs=["__pycache__","*.pyc","*.pyo",".DS_Store","*~","*_test.go"]`}
	if *noBrowser {
		argv = append(argv, "--no-browser")
	}
	if os.Geteuid() == 0 {
		argv = append(argv, "--allow-root") // containers and CI run as root
	}
	env := os.Environ()
	confDir := filepath.Join(root, ".cache", "jupyter-config")
	if err := writeLabConfig(confDir); err != nil {
		fmt.Fprintf(os.Stderr, "note: JupyterLab will ask about Jupyter news: %v\n", err)
	} else {
		env = prependPath(env, "JUPYTER_CONFIG_PATH", confDir)
	}
	fmt.Fprintf(os.Stderr, "starting JupyterLab on http://127.0.0.1:%d (token in the URL below)\n", *port)
	return syscall.Exec(lab, argv, env)
}

// labSettingDefaults are JupyterLab setting defaults for the lab we launch.
// A newcomer is not greeted by the "Would you like to get notified about
// official Jupyter news?" pop-up, and nothing is fetched from the news feed
// or checked for updates (the notification plugin's fetchNews "false",
// "Never"; checkForUpdates only acts with fetchNews "true"). These are
// defaults, as in JupyterLab's overrides.json: a choice the person makes
// in Settings › Notifications still wins.
var labSettingDefaults = map[string]any{
	"@jupyterlab/apputils-extension:notification": map[string]any{
		"fetchNews":       "false",
		"checkForUpdates": false,
	},
}

// writeLabConfig writes a Jupyter configuration directory holding
// labconfig/default_setting_overrides.json with labSettingDefaults.
// jupyterlab_server reads that file in every directory of the Jupyter
// config path (settings_utils._get_overrides), so putting dir on
// JUPYTER_CONFIG_PATH applies the defaults to this launch without touching
// the person's own Jupyter configuration or the virtual environment.
func writeLabConfig(dir string) error {
	b, err := json.MarshalIndent(labSettingDefaults, "", "  ")
	if err != nil {
		return err
	}
	p := filepath.Join(dir, "labconfig", "default_setting_overrides.json")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, append(b, '\n'), 0o644)
}

// prependPath returns env with dir first in the path-list variable name.
func prependPath(env []string, name, dir string) []string {
	out := make([]string, 0, len(env)+1)
	val := dir
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			if v != "" {
				val = dir + string(os.PathListSeparator) + v
			}
			continue
		}
		out = append(out, kv)
	}
	return append(out, name+"="+val)
}

// kernelInstalled reports whether the founderlab kernel spec exists and its
// binary is present and points at this checkout.
func kernelInstalled(root string) bool {
	spec, _, err := kernelspec.Find(install.KernelName, kernelspec.SearchPath())
	if err != nil {
		return false
	}
	if _, err := os.Stat(spec.Argv[0]); err != nil {
		return false
	}
	for i, a := range spec.Argv {
		if a == "--root" && i+1 < len(spec.Argv) {
			return spec.Argv[i+1] == root
		}
	}
	return false
}

// ensureJupyter returns the jupyter-lab executable, creating a virtual
// environment with JupyterLab when neither the venv nor PATH has one.
func ensureJupyter(root, venv string) (string, error) {
	lab := filepath.Join(venv, "bin", "jupyter-lab")
	if _, err := os.Stat(lab); err == nil {
		return lab, nil
	}
	if p, err := exec.LookPath("jupyter-lab"); err == nil {
		return p, nil
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		return "", errors.New("JupyterLab is not installed and python3 is missing: install Python 3.9+ or JupyterLab")
	}
	fmt.Fprintf(os.Stderr, "creating %s with JupyterLab (pip)\n", venv)
	for _, c := range [][]string{
		{py, "-m", "venv", venv},
		{filepath.Join(venv, "bin", "pip"), "install", "-q", "-r", filepath.Join(root, jupyterRequirements)},
	} {
		cmd := exec.Command(c[0], c[1:]...)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("%v: %w", c, err)
		}
	}
	return lab, nil
}
