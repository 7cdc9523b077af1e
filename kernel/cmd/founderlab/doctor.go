package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/internal/assets"
	"github.com/founderlab/founderlab/kernel/install"
	"github.com/founderlab/founderlab/kernel/kernelspec"
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
	if d := os.Getenv(assets.EnvEChartsDir); d != "" {
		ech = d
	}
	if fileExists(filepath.Join(ech, "node_modules", "echarts", "dist", "echarts.min.js")) {
		add("ok", "echarts", "offline ECharts in "+ech, "")
	} else {
		add("warn", "echarts", "no offline ECharts in "+ech+"; charts load it from the CDN", "install Node.js (npm) and run `founderlab install`")
	}
	ktx := install.KaTeXDir(prefix)
	if d := os.Getenv(assets.EnvKaTeXDir); d != "" {
		ktx = d
	}
	if err := assets.KaTeXInstalled(ktx); err == nil {
		add("ok", "katex", "KaTeX "+assets.KaTeXVersion+" in "+ktx+" (math in HTML exports and the book)", "")
	} else {
		add("warn", "katex", fmt.Sprintf("%v; HTML exports show math as LaTeX source", err), "install Node.js (npm) and run `founderlab install`")
	}
	if dir != "" {
		ext := install.LabExtensionDir(filepath.Dir(filepath.Dir(dir)))
		if fileExists(filepath.Join(ext, "package.json")) {
			add("ok", "lab extension", "charts renderer for JupyterLab 4 and Notebook 7 in "+ext, "")
		} else {
			add("warn", "lab extension", "not installed in "+ext+": JupyterLab draws charts through their HTML instead", "run `founderlab install`")
		}
	}
	if p, err := exec.LookPath("node"); err == nil {
		add("ok", "node", p+" (static SVG pictures of charts)", "")
	} else {
		add("warn", "node", "not found: charts get no static picture for exports", "install Node.js")
	}

	if v := os.Getenv("GOMLX_BACKEND"); v != "" {
		add("ok", "gomlx backend", "$GOMLX_BACKEND="+v+" (chosen by the environment)", "")
	}
	if p, err := assets.FindCPUPlugin(); err == nil {
		add("ok", "xla plugin", "XLA CPU plugin "+p, "")
	} else if plugins := assets.PJRTPlugins(); len(plugins) > 0 {
		add("ok", "xla plugin", "PJRT plugins: "+strings.Join(plugins, ", "), "")
	} else {
		add("warn", "xla plugin", "no PJRT plugin found: models run on the pure-Go backend, 5-20x slower", "run `founderlab install` (it fetches XLA's CPU plugin, about 63 MB), or set $PJRT_PLUGIN_LIBRARY_PATH")
	}

	store, err := datasets.NewStore()
	if err != nil {
		add("FAIL", "data", err.Error(), "set $FOUNDERLAB_DATA")
	} else {
		for _, c := range datasets.Cards() {
			where := filepath.Join(store.Dir, c.Name)
			switch err := store.Status(c.Name); {
			case err == nil:
				add("ok", "data "+c.Name, where, "")
			case errors.Is(err, datasets.ErrMissing):
				fix := "founderlab data fetch " + c.Name + " (notebooks also download it on first use)"
				if store.Offline {
					fix = "founderlab data fetch " + c.Name + " where there is network (downloads are off here), or install from a workshop kit"
				}
				add("warn", "data "+c.Name, "missing in "+where, fix)
			default:
				add("FAIL", "data "+c.Name, err.Error(), "delete the damaged file, then founderlab data fetch "+c.Name)
			}
		}
	}
	if dir, err := assets.ModelsDir(); err != nil {
		add("FAIL", "models", err.Error(), "set $FOUNDERLAB_MODELS")
	} else {
		for _, m := range assets.Models() {
			where := filepath.Join(dir, m.Dir)
			switch err := m.Check(where); {
			case err == nil:
				add("ok", "model "+m.Name, where, "")
			case errors.Is(err, assets.ErrMissing):
				add("warn", "model "+m.Name, "missing in "+where+" (the BERT chapters need it)", "founderlab models fetch "+m.Name)
			default:
				add("FAIL", "model "+m.Name, err.Error(), "delete "+where+", then founderlab models fetch "+m.Name)
			}
		}
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
