package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/kernel/install"
	"github.com/founderlab/founderlab/kernel/kernelspec"
	"github.com/founderlab/founderlab/lib/backend"
)

type check struct {
	status string // ok, warn, FAIL
	what   string
	detail string
	fix    string
}

func cmdDoctor(args []string) error {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	prefix := fs.String("prefix", "", "install prefix to check (default as install)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	checks := diagnose(*prefix)
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	failed := 0
	for _, c := range checks {
		fmt.Fprintf(w, "%s\t%s\t%s\n", c.status, c.what, c.detail)
		if c.fix != "" && c.status != "ok" {
			fmt.Fprintf(w, "\t\tfix: %s\n", c.fix)
		}
		if c.status == "FAIL" {
			failed++
		}
	}
	w.Flush()
	if failed > 0 {
		return fmt.Errorf("%d problem(s) found", failed)
	}
	return nil
}

func diagnose(prefix string) []check {
	var cs []check
	add := func(status, what, detail, fix string) { cs = append(cs, check{status, what, detail, fix}) }

	goBin, err := exec.LookPath("go")
	if err != nil {
		add("FAIL", "go", "not on PATH", "install Go 1.26+ from https://go.dev/dl")
	} else {
		out, _ := exec.Command(goBin, "env", "GOVERSION").Output()
		v := strings.TrimSpace(string(out))
		st, fix := "ok", ""
		if v < "go1.26" {
			st, fix = "FAIL", "FounderLab needs Go 1.26 or newer"
		}
		add(st, "go", v+" ("+goBin+")", fix)
	}

	wd, _ := os.Getwd()
	root, err := install.FindRoot(wd)
	if err != nil {
		add("FAIL", "checkout", err.Error(), "cd into the FounderLab repository or set $FOUNDERLAB_ROOT")
	} else {
		add("ok", "checkout", root, "")
	}

	if prefix == "" {
		prefix, _ = install.DefaultPrefix()
	}
	m, err := install.ReadManifest(prefix)
	if err != nil {
		add("FAIL", "install", "no installation in "+prefix, "run `go run ./kernel/cmd/founderlab install`")
	} else {
		add("ok", "install", fmt.Sprintf("%s (root %s, %s)", prefix, m.Root, m.InstalledAt.Format("2006-01-02 15:04")), "")
		if root != "" && m.Root != root {
			add("warn", "install", "installed for another checkout: "+m.Root, "run `founderlab install` from this checkout")
		}
	}
	for _, t := range []string{"gonb", "gopls", "goimports"} {
		p := filepath.Join(prefix, "bin", t)
		args := []string{"version"}
		if t == "gonb" {
			args = []string{"--version"}
		} else if t == "goimports" {
			args = nil
		}
		if _, err := os.Stat(p); err != nil {
			add("FAIL", t, "missing: "+p, "run `founderlab install`")
			continue
		}
		detail := p
		if args != nil {
			if out, err := exec.Command(p, args...).CombinedOutput(); err == nil {
				detail += " — " + firstLineOf(string(out))
			}
		}
		add("ok", t, detail, "")
	}

	spec, dir, err := kernelspec.Find(install.KernelName, kernelspec.SearchPath())
	if err != nil {
		add("FAIL", "kernelspec", err.Error(), "run `founderlab install`")
	} else if _, err := os.Stat(spec.Argv[0]); err != nil {
		add("FAIL", "kernelspec", dir+": its program "+spec.Argv[0]+" is missing", "run `founderlab install`")
	} else {
		add("ok", "kernelspec", fmt.Sprintf("%q in %s", spec.DisplayName, dir), "")
	}

	lab := ""
	if root != "" {
		if p := filepath.Join(root, ".venv", "bin", "jupyter-lab"); fileExists(p) {
			lab = p
		}
	}
	if lab == "" {
		lab, _ = exec.LookPath("jupyter-lab")
	}
	if lab == "" {
		add("warn", "jupyter", "JupyterLab not found", "`founderlab lab` creates .venv with it, or pip install jupyterlab")
	} else {
		out, _ := exec.Command(lab, "--version").Output()
		add("ok", "jupyter", "JupyterLab "+strings.TrimSpace(string(out))+" ("+lab+")", "")
	}

	ech := install.EChartsDir(prefix)
	if d := os.Getenv("FOUNDERLAB_ECHARTS_DIR"); d != "" {
		ech = d
	}
	if fileExists(filepath.Join(ech, "node_modules", "echarts", "dist", "echarts.min.js")) {
		add("ok", "echarts", "offline ECharts in "+ech, "")
	} else {
		add("warn", "echarts", "no offline ECharts in "+ech+"; charts load it from the CDN", "install Node.js (npm) and run `founderlab install`")
	}
	if p, err := exec.LookPath("node"); err == nil {
		add("ok", "node", p+" (static SVG pictures of charts)", "")
	} else {
		add("warn", "node", "not found: charts get no static picture for exports", "install Node.js")
	}

	add("ok", "gomlx backend go", "SimpleGo (pure Go) is always available", "")
	if plugins := backend.XLAPlugins(); len(plugins) > 0 {
		add("ok", "gomlx backend xla", "PJRT plugins: "+strings.Join(plugins, ", "), "")
	} else if p, err := backend.FindCPUPlugin(); err == nil {
		add("ok", "gomlx backend xla", "XLA CPU plugin "+p, "")
	} else {
		add("warn", "gomlx backend xla", "no PJRT plugin found (models run on the slower pure-Go backend)", "run `founderlab install` online (it fetches XLA's CPU plugin), or set $PJRT_PLUGIN_LIBRARY_PATH; see bench/README.md")
	}
	if c, err := backend.New(); err != nil {
		add("FAIL", "gomlx backend", err.Error(), "unset or fix $GOMLX_BACKEND")
	} else {
		add("ok", "gomlx backend", "default: "+c.String(), "")
	}

	dataDir, err := datasets.Dir()
	if err != nil {
		add("FAIL", "data", err.Error(), "set $FOUNDERLAB_DATA")
	} else {
		store := &datasets.Store{Dir: dataDir, Offline: true}
		var have, missing []string
		for _, c := range datasets.Cards() {
			if err := store.Fetch(context.Background(), c.Name); err != nil {
				if errors.Is(err, os.ErrNotExist) || strings.Contains(err.Error(), "missing") {
					missing = append(missing, c.Name)
				} else {
					add("FAIL", "data "+c.Name, err.Error(), "delete the file to download it again")
				}
				continue
			}
			have = append(have, c.Name)
		}
		detail := fmt.Sprintf("%s: present %v", dataDir, have)
		st, fix := "ok", ""
		if len(missing) > 0 {
			st = "warn"
			detail += fmt.Sprintf(", missing %v", missing)
			fix = "notebooks download missing data sets on first use; offline, set $FOUNDERLAB_DATA to a directory that has them"
		}
		add(st, "data", detail, fix)
	}
	return cs
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func firstLineOf(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
