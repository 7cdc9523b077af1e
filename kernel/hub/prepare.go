package hub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

// EnsureVenv returns venv after creating it with the pinned JupyterHub and
// JupyterLab of root's Requirements when it has no jupyterhub yet (pip,
// from PyPI). Progress goes to log.
func EnsureVenv(ctx context.Context, root, venv string, log io.Writer) error {
	if _, err := os.Stat(filepath.Join(venv, "bin", "jupyterhub-singleuser")); err == nil {
		return nil
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		return errors.New("hub: python3 is missing: install Python 3.9+ with venv")
	}
	fmt.Fprintf(log, "creating %s with JupyterHub and JupyterLab (pip)\n", venv)
	for _, c := range [][]string{
		{py, "-m", "venv", venv},
		{filepath.Join(venv, "bin", "pip"), "install", "-q", "-r", filepath.Join(root, Requirements)},
	} {
		cmd := exec.CommandContext(ctx, c[0], c[1:]...)
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("hub: %v: %w", c, err)
		}
	}
	return nil
}

// EnsureProxy returns the configurable-http-proxy executable: the one in
// dir (installed there earlier), or on PATH, or else installed into dir
// from npm at the pinned [ProxyPackage].
func EnsureProxy(ctx context.Context, dir string, log io.Writer) (string, error) {
	p := filepath.Join(dir, "node_modules", ".bin", "configurable-http-proxy")
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	if p, err := exec.LookPath("configurable-http-proxy"); err == nil {
		return p, nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", errors.New("hub: configurable-http-proxy is missing and so is npm: install Node.js")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("hub: %w", err)
	}
	fmt.Fprintf(log, "installing %s into %s (npm)\n", ProxyPackage, dir)
	cmd := exec.CommandContext(ctx, npm, "install", "--no-audit", "--no-fund", "--prefix", dir, ProxyPackage)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("hub: npm install %s: %w", ProxyPackage, err)
	}
	return p, nil
}
