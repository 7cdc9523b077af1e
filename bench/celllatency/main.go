// Command celllatency measures how long notebook cells take in FounderLab's
// kernel and in plain GoNB, measured the same way: both kernels are
// installed fresh into a temporary Jupyter data directory, started through
// their kernel specs, and driven with execute requests over the Jupyter
// protocol. It prints, for each kernel, the first cell after the install,
// and p50/p95 over -n runs of a trivial cell, of a cell importing a small
// library package and of a cell importing one that links GoMLX
// (lib/persona/accel): the same cell run again, as a learner re-runs a cell,
// and two such cells run in turn (A, B, A, B…), as a learner goes back to
// an earlier cell or runs a notebook again. FounderLab's kernel runs twice: as installed, and with
// FOUNDERLAB_EXE_CACHE=off (its go shim then links every cell again with
// plain go build instead of taking the unchanged program's executable from
// Go's build cache).
//
//	go run ./bench/celllatency [-n 20] [-lib lib/swot] [-heavy lib/persona/accel]
//
// Plain GoNB cannot import the library on its own: before its library cells
// the benchmark runs the setup a user would need (go mod edit -replace and
// the module's go.sum), which is not counted.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/founderlab/founderlab/kernel/install"
	"github.com/founderlab/founderlab/kernel/jupyter"
	"github.com/founderlab/founderlab/kernel/kernelspec"
)

func main() {
	n := flag.Int("n", 20, "runs per cell kind")
	libPkg := flag.String("lib", "lib/swot", "library package (relative to the module) imported by the library cell")
	libExpr := flag.String("expr", "swot.Kinds", "expression of that package printed by the library cell")
	heavyPkg := flag.String("heavy", "lib/persona/accel", "library package linking GoMLX imported by the heavy cell")
	heavyExpr := flag.String("heavyexpr", "accel.New != nil", "expression of that package printed by the heavy cell")
	flag.Parse()
	log.SetFlags(0)
	ctx := context.Background()
	wd, _ := os.Getwd()
	root, err := install.FindRoot(wd)
	if err != nil {
		log.Fatal(err)
	}
	tmp, err := os.MkdirTemp("", "celllatency-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	jd := filepath.Join(tmp, "jupyter")
	prefix := filepath.Join(tmp, "prefix")
	start := time.Now()
	if _, err := install.Install(ctx, install.Options{Root: root, Prefix: prefix, JupyterDataDir: jd, NoECharts: true}); err != nil {
		log.Fatal(err)
	}
	log.Printf("founderlab install: %.1fs", time.Since(start).Seconds())
	// Plain GoNB, as its README installs it: gonb --install, with the same binaries on PATH.
	bin := filepath.Join(prefix, "bin")
	os.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd := exec.Command(filepath.Join(bin, "gonb"), "--install", "--force_copy")
	cmd.Env = append(os.Environ(), "JUPYTER_DATA_DIR="+jd)
	if out, err := cmd.CombinedOutput(); err != nil {
		log.Fatalf("gonb --install: %v\n%s", err, out)
	}
	pkg := install.Module + "/" + *libPkg
	trivial := "%%\nfmt.Println(1)\n"
	libCell := fmt.Sprintf("import %q\n\n%%%%\nfmt.Println(%s)\n", pkg, *libExpr)
	heavyCell := fmt.Sprintf("import %q\n\n%%%%\nfmt.Println(%s)\n", install.Module+"/"+*heavyPkg, *heavyExpr)
	heavyOther := fmt.Sprintf("import %q\n\n%%%%\nfmt.Println(%s, \"B\")\n", install.Module+"/"+*heavyPkg, *heavyExpr)
	setup := fmt.Sprintf("!*go mod edit -require=%s@v0.0.0-00010101000000-000000000000 -replace=%s=%s && cat %s >> go.sum\n",
		install.Module, install.Module, root, filepath.Join(root, "go.sum"))

	fmt.Printf("%-20s %-10s %-22s %-22s %-22s %-22s\n", "kernel", "first", "trivial p50/p95", "lib cell p50/p95", "GoMLX cell p50/p95", "GoMLX A,B,A… p50/p95")
	for _, k := range []struct {
		label, name, setup string
		env                []string
	}{
		{"founderlab", "founderlab", "", nil},
		{"founderlab no cache", "founderlab", "", []string{install.EnvExeCache + "=off"}},
		{"gonb", "gonb", setup, nil},
	} {
		spec, _, err := kernelspec.Find(k.name, []string{jd})
		if err != nil {
			log.Fatal(err)
		}
		kern, err := kernelspec.Start(ctx, spec, kernelspec.StartOptions{Name: k.name, Dir: tmp, Env: k.env})
		if err != nil {
			log.Fatal(err)
		}
		first := mustRun(ctx, kern.Client, trivial)
		triv := make([]time.Duration, *n)
		for i := range triv {
			triv[i] = mustRun(ctx, kern.Client, trivial)
		}
		if k.setup != "" {
			mustRun(ctx, kern.Client, k.setup)
		}
		mustRun(ctx, kern.Client, libCell) // compile the package once, as a user's first import does
		lib := make([]time.Duration, *n)
		for i := range lib {
			lib[i] = mustRun(ctx, kern.Client, libCell)
		}
		mustRun(ctx, kern.Client, heavyCell)
		heavy := make([]time.Duration, *n)
		for i := range heavy {
			heavy[i] = mustRun(ctx, kern.Client, heavyCell)
		}
		mustRun(ctx, kern.Client, heavyOther)
		turns := make([]time.Duration, *n)
		for i := range turns {
			c := heavyCell
			if i%2 == 1 {
				c = heavyOther
			}
			turns[i] = mustRun(ctx, kern.Client, c)
		}
		kern.Close()
		fmt.Printf("%-20s %-10s %-22s %-22s %-22s %-22s\n", k.label, secs(first),
			secs(pct(triv, 50))+" / "+secs(pct(triv, 95)), secs(pct(lib, 50))+" / "+secs(pct(lib, 95)),
			secs(pct(heavy, 50))+" / "+secs(pct(heavy, 95)), secs(pct(turns, 50))+" / "+secs(pct(turns, 95)))
	}
}

// mustRun executes code and returns its wall time; a failing cell is fatal.
func mustRun(ctx context.Context, c *jupyter.Client, code string) time.Duration {
	var stderr strings.Builder
	start := time.Now()
	rep, err := c.Execute(ctx, code, func(m *jupyter.Message) {
		if m.Header.MsgType == "stream" {
			var s struct{ Name, Text string }
			json.Unmarshal(m.Content, &s)
			if s.Name == "stderr" {
				stderr.WriteString(s.Text)
			}
		}
	})
	d := time.Since(start)
	if err != nil {
		log.Fatal(err)
	}
	if rep.Status != "ok" || strings.Contains(stderr.String(), "exit status") {
		log.Fatalf("cell failed: %s %s\n%s\n%s", rep.EName, rep.EValue, code, stderr.String())
	}
	return d
}

func pct(ds []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p + 99) / 100
	if i > 0 {
		i--
	}
	return s[i]
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }
