// Command workshop load-tests "founderlab hub": it starts a real JupyterHub
// on loopback, and N simulated learners at the same time log in through
// the hub's REST API (a token per learner), start their servers, start a
// FounderLab kernel through their server's REST API and execute a
// notebook's code cells over the Jupyter protocol (the kernel's ZeroMQ
// channels, from the connection file in the learner's runtime directory),
// then save the notebook through the contents API and read it back.
//
//	go run ./bench/workshop -users 20 [-notebook notebooks/00-welcome.ipynb] [-cache shared|cold]
//
// It prints one line per learner (login to first output, cell latencies,
// peak memory, failures) and then the summary, one value per line:
// learners, cores, load_before, failed_cells, lost_notebooks, cell_p50_s,
// cell_p95_s, first_output_p50_s, first_output_p95_s, mem_per_user_mib
// (median of the learners' peaks) and mem_per_user_max_mib.
//
// Memory per learner is the sum of the resident sizes of the processes
// whose environment has JUPYTERHUB_USER=<learner> (server, kernel, the
// compiler, the cell's program), sampled every half second; pages shared
// between processes are counted in each.
//
// -cache cold gives the learners' kernels an empty GOCACHE (the first cell
// compiles the standard library and the library's packages); the default
// shares the hub user's warm cache, as "founderlab hub" does.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/founderlab/founderlab/kernel/hub"
	"github.com/founderlab/founderlab/kernel/install"
	"github.com/founderlab/founderlab/kernel/jupyter"
	"github.com/founderlab/founderlab/kernel/kernelspec"
	"github.com/founderlab/founderlab/kernel/notebook"
	"github.com/founderlab/founderlab/kernel/runner"
)

// maxUsers bounds -users: the bench runs on one machine.
const maxUsers = 200

func main() {
	users := flag.Int("users", 20, "simulated learners, all at once")
	nbPath := flag.String("notebook", "notebooks/00-welcome.ipynb", "notebook whose code cells each learner runs")
	cache := flag.String("cache", "shared", "GOCACHE of the learners' kernels: shared (the hub user's, warm) or cold (empty)")
	cellTimeout := flag.Duration("cell-timeout", 10*time.Minute, "limit on one cell")
	hubLog := flag.String("hub-log", "", "file for JupyterHub's log (default: discarded)")
	timeline := flag.Bool("timeline", false, "also print when each learner's kernel was ready and each cell started (UTC), to line up with the go shim's trace ($FOUNDERLAB_SHIM_TRACE)")
	lim := hub.DefaultLimits()
	lim.RegisterFlags(flag.CommandLine)
	flag.Parse()
	log.SetFlags(0)
	if *users < 1 || *users > maxUsers {
		log.Fatalf("-users %d: want 1 to %d", *users, maxUsers)
	}
	if *cache != "shared" && *cache != "cold" {
		log.Fatalf("-cache %q: want shared or cold", *cache)
	}
	if err := run(*users, *nbPath, *cache, *cellTimeout, *hubLog, *timeline, lim); err != nil {
		log.Fatal(err)
	}
}

// learnerResult is what one simulated learner measured.
type learnerResult struct {
	name        string
	firstOutput time.Duration // login start to the first output of the first cell
	ready       time.Duration // login start to the kernel answering
	cells       []time.Duration
	readyAt     time.Time   // when the kernel answered
	cellStarts  []time.Time // when each cell was sent
	failed      int
	lostNB      bool
	peakRSS     int64
	err         error
}

func run(users int, nbPath, cache string, cellTimeout time.Duration, hubLogPath string, timeline bool, lim hub.Limits) error {
	ctx := context.Background()
	wd, _ := os.Getwd()
	root, err := install.FindRoot(wd)
	if err != nil {
		return err
	}
	nb, err := notebook.Read(filepath.Join(root, nbPath))
	if err != nil {
		return err
	}
	_, specDir, err := kernelspec.Find(runner.DefaultKernel, kernelspec.SearchPath())
	if err != nil {
		return fmt.Errorf("%w (run founderlab install first)", err)
	}
	tmp, err := os.MkdirTemp("", "workshop-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	exe := filepath.Join(tmp, "founderlab")
	build := exec.Command("go", "build", "-o", exe, "./kernel/cmd/founderlab")
	build.Dir, build.Stderr = root, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building founderlab: %w", err)
	}
	venv := filepath.Join(root, ".venv-hub")
	if err := hub.EnsureVenv(ctx, root, venv, os.Stderr); err != nil {
		return err
	}
	proxy, err := hub.EnsureProxy(ctx, filepath.Join(root, ".cache", "hub-proxy"), os.Stderr)
	if err != nil {
		return err
	}
	port, err := hub.FreePort()
	if err != nil {
		return err
	}
	cfg := &hub.Config{
		StateDir: filepath.Join(tmp, "hub"), Venv: venv, Proxy: proxy, Founderlab: exe,
		Notebooks: filepath.Join(root, "notebooks"), Port: port, Password: hub.NewPassword(), Limits: lim,
	}
	cfg.Limits.Group = fmt.Sprintf("founderlab-bench-%d", os.Getpid())
	if cfg.Env, err = hub.SharedEnv([]string{filepath.Dir(filepath.Dir(specDir))}); err != nil {
		return err
	}
	if cache == "cold" {
		cfg.Env["GOCACHE"] = filepath.Join(tmp, "gocache-cold")
	}
	hubLog := &syncBuffer{}
	var logw io.Writer = hubLog
	if hubLogPath != "" {
		f, err := os.Create(hubLogPath)
		if err != nil {
			return err
		}
		defer f.Close()
		logw = f
	}
	load0 := loadAvg()
	start := time.Now()
	h, err := hub.Start(ctx, cfg, logw)
	if err != nil {
		return fmt.Errorf("%w\n%s", err, tail(hubLog.String(), 4000))
	}
	defer h.Close()
	log.Printf("hub up in %.1fs at %s; %d learners, GOCACHE %s, %s", time.Since(start).Seconds(), h.URL(), users, cache, cfg.Limits.Flags())

	names := make([]string, users)
	for i := range names {
		names[i] = fmt.Sprintf("learner%02d", i+1)
	}
	mem := newMemSampler(names)
	stopMem := mem.run(500 * time.Millisecond)
	results := make([]*learnerResult, users)
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = learn(ctx, cfg, name, nb, filepath.Base(nbPath), cellTimeout)
		}()
	}
	wg.Wait()
	stopMem()

	var all, firsts []float64
	failed, lost := 0, 0
	var peaks []float64
	fmt.Printf("%-10s %9s %9s %9s %9s %8s %6s %s\n", "learner", "ready_s", "first_s", "cell_p50", "cell_max", "peak_MiB", "failed", "error")
	for _, r := range results {
		r.peakRSS = mem.peak(r.name)
		var cs []float64
		for _, c := range r.cells {
			cs = append(cs, c.Seconds())
		}
		all = append(all, cs...)
		if r.firstOutput > 0 {
			firsts = append(firsts, r.firstOutput.Seconds())
		}
		failed += r.failed
		if r.lostNB {
			lost++
		}
		peaks = append(peaks, float64(r.peakRSS)/(1<<20))
		errs := ""
		if r.err != nil {
			errs = r.err.Error()
		}
		fmt.Printf("%-10s %9.1f %9.1f %9.2f %9.2f %8.0f %6d %s\n", r.name, r.ready.Seconds(), r.firstOutput.Seconds(),
			quantile(cs, 0.5), quantile(cs, 1), float64(r.peakRSS)/(1<<20), r.failed, errs)
	}
	if timeline {
		for _, r := range results {
			fmt.Printf("# timeline %s ready %s cells", r.name, r.readyAt.UTC().Format("15:04:05.000"))
			for k, cs := range r.cellStarts {
				if k < len(r.cells) {
					fmt.Printf(" %s+%.2f", cs.UTC().Format("15:04:05.000"), r.cells[k].Seconds())
				}
			}
			fmt.Println()
		}
	}
	// Per cell of the notebook, across learners: where the time goes.
	var ids []string
	for _, c := range nb.Cells {
		if c.CellType == notebook.Code {
			ids = append(ids, c.ID)
		}
	}
	for k, id := range ids {
		var ts []float64
		for _, r := range results {
			if k < len(r.cells) {
				ts = append(ts, r.cells[k].Seconds())
			}
		}
		fmt.Printf("# cell %d (%s): p50 %.2f s, p95 %.2f s, max %.2f s over %d learners\n", k+1, id, quantile(ts, 0.5), quantile(ts, 0.95), quantile(ts, 1), len(ts))
	}
	fmt.Printf("learners %d\n", users)
	fmt.Printf("cores %d\n", runtime.NumCPU())
	fmt.Printf("load_before %s\n", load0)
	fmt.Printf("load_after %s\n", loadAvg())
	fmt.Printf("failed_cells %d\n", failed)
	fmt.Printf("lost_notebooks %d\n", lost)
	fmt.Printf("cell_p50_s %.2f\n", quantile(all, 0.5))
	fmt.Printf("cell_p95_s %.2f\n", quantile(all, 0.95))
	fmt.Printf("first_output_p50_s %.1f\n", quantile(firsts, 0.5))
	fmt.Printf("first_output_p95_s %.1f\n", quantile(firsts, 0.95))
	fmt.Printf("mem_per_user_mib %.0f\n", quantile(peaks, 0.5))
	fmt.Printf("mem_per_user_max_mib %.0f\n", quantile(peaks, 1))
	if hubLogPath == "" && (failed > 0 || lost > 0) {
		fmt.Fprintf(os.Stderr, "end of the hub's log:\n%s\n", tail(hubLog.String(), 4000))
	}
	return nil
}

// learn is one learner: log in, start the server and a kernel, run every
// code cell of nb, save the notebook and read it back.
func learn(ctx context.Context, cfg *hub.Config, name string, nb *notebook.Notebook, nbFile string, cellTimeout time.Duration) *learnerResult {
	r := &learnerResult{name: name}
	t0 := time.Now()
	codeCells := 0
	for _, c := range nb.Cells {
		if c.CellType == notebook.Code {
			codeCells++
		}
	}
	fail := func(err error) *learnerResult {
		r.err = err
		r.failed = codeCells - len(r.cells) + r.failed
		return r
	}
	sctx, cancel := context.WithTimeout(ctx, 20*time.Minute)
	defer cancel()
	l, err := hub.Login(sctx, cfg.URL(), name, cfg.Password)
	if err != nil {
		return fail(err)
	}
	if err := l.StartServer(sctx); err != nil {
		return fail(err)
	}
	id, err := l.StartKernel(sctx, runner.DefaultKernel)
	if err != nil {
		return fail(err)
	}
	defer l.DeleteKernel(context.Background(), id)
	info, err := jupyter.ReadConnectionFile(filepath.Join(hub.RuntimeDir(cfg.Home(name)), "kernel-"+id+".json"))
	if err != nil {
		return fail(err)
	}
	cl, err := jupyter.DialContext(sctx, info)
	if err != nil {
		return fail(err)
	}
	defer cl.Close()
	if err := cl.WaitReady(sctx); err != nil {
		return fail(err)
	}
	r.ready = time.Since(t0)
	r.readyAt = time.Now()
	for _, c := range nb.Cells {
		if c.CellType != notebook.Code {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, cellTimeout)
		cs := time.Now()
		r.cellStarts = append(r.cellStarts, cs)
		rep, err := cl.Execute(cctx, c.Source, func(m *jupyter.Message) {
			switch m.Header.MsgType {
			case "stream", "display_data", "execute_result", "error":
				if r.firstOutput == 0 {
					r.firstOutput = time.Since(t0)
				}
			}
		})
		cancel()
		r.cells = append(r.cells, time.Since(cs))
		switch {
		case err != nil:
			r.failed++
			r.err = err
		case rep.Status != "ok":
			r.failed++
			r.err = fmt.Errorf("cell %d: %s: %s", len(r.cells), rep.EName, rep.EValue)
		}
	}
	// The notebook survives: save it through the contents API with a
	// marker, read it back, check the marker and the cells.
	path := "notebooks/" + nbFile
	raw, err := l.Notebook(sctx, path)
	if err != nil {
		r.lostNB, r.err = true, err
		return r
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		r.lostNB, r.err = true, err
		return r
	}
	md, _ := doc["metadata"].(map[string]any)
	if md == nil {
		md = map[string]any{}
	}
	md["workshop_bench"] = name
	doc["metadata"] = md
	b, _ := json.Marshal(doc)
	if err := l.SaveNotebook(sctx, path, b); err != nil {
		r.lostNB, r.err = true, err
		return r
	}
	back, err := notebook.Read(filepath.Join(cfg.Home(name), path))
	if err != nil || back.Metadata["workshop_bench"] != name || len(back.Cells) != len(nb.Cells) {
		r.lostNB = true
		r.err = fmt.Errorf("notebook not saved intact: %v", err)
	}
	return r
}

// syncBuffer is a bytes.Buffer safe for the hub's concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	i := int(q*float64(len(s)-1) + 0.5)
	return s[i]
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// memSampler tracks, per learner, the peak of the summed resident size of
// the processes whose environment names that learner.
type memSampler struct {
	mu    sync.Mutex
	peaks map[string]int64
}

func newMemSampler(names []string) *memSampler {
	m := &memSampler{peaks: map[string]int64{}}
	for _, n := range names {
		m.peaks[n] = 0
	}
	return m
}

func (m *memSampler) peak(name string) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.peaks[name]
}

func (m *memSampler) run(every time.Duration) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			m.sample()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

func (m *memSampler) sample() {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	page := int64(os.Getpagesize())
	sums := map[string]int64{}
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil {
			continue
		}
		var user string
		for _, kv := range bytes.Split(env, []byte{0}) {
			if v, ok := bytes.CutPrefix(kv, []byte("JUPYTERHUB_USER=")); ok {
				user = string(v)
				break
			}
		}
		if _, ok := m.peaks[user]; !ok {
			continue
		}
		f, err := os.Open(filepath.Join("/proc", e.Name(), "statm"))
		if err != nil {
			continue
		}
		s := bufio.NewScanner(f)
		if s.Scan() {
			if fs := strings.Fields(s.Text()); len(fs) > 1 {
				if n, err := strconv.ParseInt(fs[1], 10, 64); err == nil {
					sums[user] += n * page
				}
			}
		}
		f.Close()
	}
	m.mu.Lock()
	for u, s := range sums {
		if s > m.peaks[u] {
			m.peaks[u] = s
		}
	}
	m.mu.Unlock()
}
