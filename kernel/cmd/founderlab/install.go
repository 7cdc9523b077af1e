package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"

	"github.com/founderlab/founderlab/kernel/install"
)

func installFlags(name string, args []string, withBuild bool) (install.Options, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	var o install.Options
	fs.StringVar(&o.Prefix, "prefix", "", "where binaries and assets go (default ~/.local/share/founderlab or $FOUNDERLAB_PREFIX)")
	fs.StringVar(&o.JupyterDataDir, "jupyter-data-dir", "", "Jupyter data directory for the kernel spec (default $JUPYTER_DATA_DIR or ~/.local/share/jupyter)")
	sysPrefix := fs.String("sys-prefix", "", "install the kernel spec under DIR/share/jupyter (for a virtual environment), like `jupyter kernelspec install --prefix`")
	if withBuild {
		fs.BoolVar(&o.NoWarm, "no-warm", false, "do not pre-compile the library")
		fs.BoolVar(&o.NoECharts, "no-echarts", false, "do not install ECharts from npm")
		fs.BoolVar(&o.NoKaTeX, "no-katex", false, "do not install KaTeX from npm (math in HTML exports)")
		fs.BoolVar(&o.NoXLA, "no-xla", false, "do not install XLA's CPU plugin (models then run on the pure-Go backend)")
		fs.BoolVar(&o.Offline, "offline", false, "download nothing (also $FOUNDERLAB_OFFLINE=1)")
		fs.StringVar(&o.From, "from", "", "install from a workshop kit written by `founderlab pack` (no network needed)")
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if *sysPrefix != "" && o.JupyterDataDir == "" {
		o.JupyterDataDir = filepath.Join(*sysPrefix, "share", "jupyter")
	}
	o.Log = os.Stderr
	return o, nil
}

func cmdInstall(args []string) error {
	o, err := installFlags("install", args, true)
	if err != nil {
		return err
	}
	_, err = install.Install(context.Background(), o)
	return err
}

func cmdUninstall(args []string) error {
	o, err := installFlags("uninstall", args, false)
	if err != nil {
		return err
	}
	return install.Uninstall(o)
}
