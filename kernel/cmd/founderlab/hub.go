package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/founderlab/founderlab/kernel/hub"
	"github.com/founderlab/founderlab/kernel/install"
	"github.com/founderlab/founderlab/kernel/kernelspec"
)

// cmdHub runs a JupyterHub for a workshop ("founderlab hub"), or starts one
// learner's server under the hub ("founderlab hub learner", what the hub's
// spawner runs).
func cmdHub(args []string) error {
	if len(args) > 0 && args[0] == "learner" {
		return cmdHubLearner(args[1:])
	}
	fs := flag.NewFlagSet("hub", flag.ContinueOnError)
	port := fs.Int("port", 8000, "port of the hub")
	ip := fs.String("ip", "127.0.0.1", "address of the hub (0.0.0.0 for a room on the local network)")
	password := fs.String("password", "", "the workshop's shared password (default $FOUNDERLAB_HUB_PASSWORD, else a random one that is printed)")
	state := fs.String("state", "", "hub database and learners' homes (default ~/.local/share/founderlab/hub)")
	venv := fs.String("venv", "", "virtual environment for JupyterHub (default <checkout>/.venv-hub)")
	nbDir := fs.String("notebooks", "", "notebooks every learner gets a copy of (default <checkout>/notebooks)")
	reinstall := fs.Bool("reinstall", false, "run install even if the kernel is already installed")
	debug := fs.Bool("debug", false, "JupyterHub's debug log")
	lim := hub.DefaultLimits()
	lim.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	wd, _ := os.Getwd()
	root, err := install.FindRoot(wd)
	if err != nil {
		return err
	}
	if *venv == "" {
		*venv = filepath.Join(root, ".venv-hub")
	}
	if *nbDir == "" {
		*nbDir = filepath.Join(root, "notebooks")
	}
	if *state == "" {
		prefix, err := install.DefaultPrefix()
		if err != nil {
			return err
		}
		*state = filepath.Join(prefix, "hub")
	}
	if *password == "" {
		*password = os.Getenv("FOUNDERLAB_HUB_PASSWORD")
	}
	generated := *password == ""
	if generated {
		*password = hub.NewPassword()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := hub.EnsureVenv(ctx, root, *venv, os.Stderr); err != nil {
		return err
	}
	proxy, err := hub.EnsureProxy(ctx, filepath.Join(root, ".cache", "hub-proxy"), os.Stderr)
	if err != nil {
		return err
	}
	if *reinstall || !kernelInstalled(root) {
		fmt.Fprintln(os.Stderr, "installing the FounderLab kernel and warming the build cache (first run takes a few minutes)")
		if _, err := install.Install(ctx, install.Options{Root: root, Log: os.Stderr}); err != nil {
			return err
		}
	}
	if lim.Group == "" {
		lim.Group = fmt.Sprintf("founderlab-hub-%d", *port) // one per hub on the machine
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cfg := &hub.Config{
		StateDir: *state, Venv: *venv, Proxy: proxy, Founderlab: exe, Notebooks: *nbDir,
		IP: *ip, Port: *port, Password: *password, Limits: lim, Debug: *debug,
	}
	if cfg.Env, err = hub.SharedEnv(kernelDataDirs()); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "starting JupyterHub on %s (learners' homes in %s)\n", cfg.URL(), cfg.LearnersDir())
	sctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	h, err := hub.Start(sctx, cfg, os.Stderr)
	cancel()
	if err != nil {
		return err
	}
	defer h.Close()
	fmt.Printf("\nWorkshop hub: %s\nLearners log in with any name and the password", cfg.URL())
	if generated {
		fmt.Printf(" %s", *password)
	} else {
		fmt.Print(" you gave")
	}
	fmt.Println(".\nStop with Ctrl-C (learners' servers stop with it; their notebooks stay).")
	select {
	case <-ctx.Done():
		fmt.Fprintln(os.Stderr, "stopping the hub")
		return nil
	case <-h.Done():
		return errors.New("jupyterhub exited (see its log above)")
	}
}

// kernelDataDirs returns the Jupyter data directory holding the installed
// founderlab kernel spec, for the learners' JUPYTER_PATH.
func kernelDataDirs() []string {
	_, dir, err := kernelspec.Find(install.KernelName, kernelspec.SearchPath())
	if err != nil {
		return nil
	}
	// dir is <data>/kernels/founderlab.
	return []string{filepath.Dir(filepath.Dir(dir))}
}

// cmdHubLearner seeds the learner's notebooks, confines the process and
// executes the single-user server given after "--".
func cmdHubLearner(args []string) error {
	fs := flag.NewFlagSet("hub learner", flag.ContinueOnError)
	nbDir := fs.String("notebooks", "", "notebooks to copy into the learner's home")
	var lim hub.Limits
	lim.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	argv := fs.Args()
	if len(argv) == 0 {
		return errors.New("usage: founderlab hub learner [flags] -- SERVER [ARGS...]")
	}
	name, home := os.Getenv("JUPYTERHUB_USER"), os.Getenv("HOME")
	if name == "" || home == "" {
		return errors.New("JUPYTERHUB_USER and HOME must be set (this command is run by the hub's spawner)")
	}
	if *nbDir != "" {
		n, err := hub.SeedNotebooks(*nbDir, home)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "founderlab hub: %s: %d notebook files copied into %s\n", name, n, home)
	}
	enf, err := hub.Confine(name, lim)
	fmt.Fprintf(os.Stderr, "founderlab hub: %s: %v\n", name, enf)
	if err != nil {
		return err
	}
	env := append(os.Environ(), "JUPYTER_RUNTIME_DIR="+hub.RuntimeDir(home))
	return syscall.Exec(argv[0], argv, env)
}
