// Command rerun measures what a second "Run all" of a notebook costs in the
// same kernel, against the first: GoNB builds every cell's program again on
// each run, so only what the cells keep in GoNB's cache
// (github.com/janpfeifer/gonb/cache) and the links the go shim's executable
// cache spares make the second run cheaper. A link is spared only when the
// cell's program is byte-identical to one built before, and GoNB's program
// for a cell holds every top-level declaration made so far: a notebook whose
// cells after the first few declare nothing (notebook 02) rebuilds nothing
// on its second run.
//
//	go run ./bench/rerun [-p name=value]... [-kernel founderlab] notebooks/02-personas.ipynb
//
// It runs the notebook's code cells twice in one kernel session (one
// [runner.Run] of the cells followed by a copy of them) and prints each
// cell's time in both runs, the totals and their ratio first/second. With
// -p, the parameters are injected after the parameters cell of the first
// run as `founderlab run -p` does, and the second run leaves out the
// parameters cell (re-running it would reset them); the parameters cell and
// the injected cell are then left out of both totals, so both sum the same
// cells. The kernel session gets a fresh $TMPDIR, so GoNB's cache starts
// empty. The kernel must be installed (founderlab install).
//
// The kernel's go shim traces its commands ($FOUNDERLAB_SHIM_TRACE, see
// kernel/install.ShimEvent): each cell's row also gives the seconds its
// program took to build and whether the executable came from Go's build
// cache ("hit"). FOUNDERLAB_EXE_CACHE=off in the environment measures the
// shim without the executable cache (plain go build).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/founderlab/founderlab/kernel/install"
	"github.com/founderlab/founderlab/kernel/notebook"
	"github.com/founderlab/founderlab/kernel/runner"
)

type params []runner.Param

func (p *params) String() string { return fmt.Sprint(*p) }
func (p *params) Set(s string) error {
	v, err := runner.ParseParam(s)
	if err != nil {
		return err
	}
	*p = append(*p, v)
	return nil
}

func main() {
	var ps params
	flag.Var(&ps, "p", "parameter name=value (repeatable)")
	kernel := flag.String("kernel", "", "kernel spec name (default: the notebook's)")
	timeout := flag.Duration("timeout", 20*time.Minute, "limit per cell")
	flag.Parse()
	log.SetFlags(0)
	if flag.NArg() != 1 {
		log.Fatal("usage: rerun [-p name=value]... notebook.ipynb")
	}
	path := flag.Arg(0)
	nb, err := notebook.Read(path)
	if err != nil {
		log.Fatal(err)
	}
	var code []*notebook.Cell
	for _, c := range nb.Cells {
		if c.CellType == notebook.Code {
			code = append(code, c)
		}
	}
	// The second run: a copy of the code cells, without the parameters
	// cell when parameters are injected.
	cells := append([]*notebook.Cell(nil), code...)
	skipFirst := map[int]bool{} // 1-based positions in the run notebook left out of the totals
	for i, c := range code {
		if len(ps) > 0 && c.HasTag("parameters") {
			skipFirst[i+1], skipFirst[i+2] = true, true // it and the injected cell after it
			continue
		}
		cp := *c
		cp.ID = notebook.NewCellID()
		cp.Metadata = map[string]any{}
		cells = append(cells, &cp)
	}
	nb.Cells = cells
	first := len(code)
	if len(ps) > 0 {
		first++ // the injected cell
	}
	// GoNB's cache lives under os.TempDir(): a fresh one makes the first
	// run start cold, whatever earlier sessions cached.
	tmp, err := os.MkdirTemp("", "rerun-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	start := time.Now()
	rep, err := runner.Run(context.Background(), nb, runner.Options{
		Kernel: *kernel, CellTimeout: *timeout, Params: ps, MaxOutput: -1,
		Dir: filepath.Dir(path), Name: path, Progress: os.Stderr,
		Env: []string{"TMPDIR=" + tmp, install.EnvShimTrace + "=" + filepath.Join(tmp, "shim-trace")},
	})
	if err != nil {
		os.RemoveAll(tmp)
		log.Fatal(err)
	}
	wall := time.Since(start)
	builds, err := readBuilds(filepath.Join(tmp, "shim-trace"))
	if err != nil {
		log.Print(err)
	}
	if len(builds) != len(nb.Cells) {
		log.Printf("%d cell builds traced for %d cells: build columns left out", len(builds), len(nb.Cells))
		builds = nil
	}
	var b1, b2 float64
	buildText := func(i int, sum *float64) string {
		if builds == nil {
			return ""
		}
		b := builds[i-1]
		*sum += b.seconds
		hit := ""
		if b.hit {
			hit = " hit"
		}
		return fmt.Sprintf(" %5.1fs%-4s", b.seconds, hit)
	}
	var t1, t2 time.Duration
	fmt.Printf("%s, %d code cells, run twice in one kernel (%s)\n", path, len(code), paramText(ps))
	if builds != nil {
		fmt.Printf("%-5s %10s %10s %10s %10s  %s\n", "cell", "first", "build", "second", "build", "first line")
	} else {
		fmt.Printf("%-5s %10s %10s  %s\n", "cell", "first", "second", "first line")
	}
	second := first + 1
	for i := 1; i <= first; i++ {
		d1 := rep.Durations[i]
		if skipFirst[i] {
			fmt.Printf("%-5d %9.1fs%s %10s  %s (left out)\n", i, d1.Seconds(), buildText(i, new(float64)), "", firstLine(nb.Cells[i-1].Source))
			continue
		}
		d2 := rep.Durations[second]
		t1 += d1
		t2 += d2
		fmt.Printf("%-5d %9.1fs%s %9.1fs%s  %s\n", i, d1.Seconds(), buildText(i, &b1), d2.Seconds(), buildText(second, &b2), firstLine(nb.Cells[i-1].Source))
		second++
	}
	fmt.Printf("total %9.1fs %9.1fs  (kernel session %.1fs)\n", t1.Seconds(), t2.Seconds(), wall.Seconds())
	if builds != nil {
		fmt.Printf("builds %9.1fs %9.1fs\n", b1, b2)
	}
	fmt.Printf("first/second = %.2f\n", t1.Seconds()/t2.Seconds())
}

// cellBuild is what the go shim's trace says of one cell's build.
type cellBuild struct {
	seconds float64
	hit     bool // the executable came from the build cache
}

// readBuilds returns the cell builds of a go shim trace in order; a
// "place" event (written while its build runs) gives the build's hit.
func readBuilds(path string) ([]cellBuild, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("shim trace: %w", err)
	}
	defer f.Close()
	evs, err := install.ReadShimTrace(f)
	if err != nil {
		return nil, err
	}
	var bs []cellBuild
	hit := false
	for _, e := range evs {
		switch e.Cmd {
		case "place":
			hit = e.Hit
		case "build":
			bs = append(bs, cellBuild{seconds: e.Seconds, hit: hit})
			hit = false
		}
	}
	return bs, nil
}

func paramText(ps params) string {
	if len(ps) == 0 {
		return "default parameters"
	}
	var s []string
	for _, p := range ps {
		s = append(s, p.Name+"="+p.Value)
	}
	return strings.Join(s, " ")
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && l != "%%" {
			if len(l) > 60 {
				l = l[:60] + "…"
			}
			return l
		}
	}
	return ""
}
