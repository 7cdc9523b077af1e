package hub

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/founderlab/founderlab/internal/testenv"
	"github.com/founderlab/founderlab/kernel/install"
	"github.com/founderlab/founderlab/kernel/jupyter"
	"github.com/founderlab/founderlab/kernel/kernelspec"
)

// lockedBuffer collects the hub's log from its concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// kernelInstall is the FounderLab installation the live tests' learners
// use: this checkout's kernel, installed once into a temporary directory
// (testenv.New), so that the tests never depend on, nor skip for lack of,
// a kernel installed on the machine.
var kernelInstall struct {
	once sync.Once
	env  *testenv.Env
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if kernelInstall.env != nil {
		kernelInstall.env.Close()
	}
	os.Exit(code)
}

// testKernelSpec returns the directory of the kernel spec of kernelInstall.
func testKernelSpec(t *testing.T) string {
	t.Helper()
	kernelInstall.once.Do(func() { kernelInstall.env, kernelInstall.err = testenv.New() })
	if kernelInstall.err != nil {
		t.Fatalf("installing the kernel for the test: %v", kernelInstall.err)
	}
	_, dir, err := kernelspec.Find("founderlab", []string{kernelInstall.env.JupyterData})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// startTestHub starts a real JupyterHub with the checkout's .venv-hub and
// proxy (scripts/test-deps.sh installs both) and the installed kernel.
func startTestHub(t *testing.T, lim Limits) (*Config, *lockedBuffer) {
	t.Helper()
	wd, _ := os.Getwd()
	root, err := install.FindRoot(wd)
	if err != nil {
		t.Fatal(err)
	}
	venv := filepath.Join(root, ".venv-hub")
	proxy := filepath.Join(root, ".cache", "hub-proxy", "node_modules", ".bin", "configurable-http-proxy")
	testenv.Require(t, "JupyterHub (.venv-hub)", filepath.Join(venv, "bin", "jupyterhub"))
	testenv.Require(t, "configurable-http-proxy", proxy)
	specDir := testKernelSpec(t)
	tmp := t.TempDir()
	exe := filepath.Join(tmp, "founderlab")
	build := exec.Command("go", "build", "-o", exe, "./kernel/cmd/founderlab")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	port, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	lim.Group = "founderlab-hubtest-" + filepath.Base(tmp)
	cfg := &Config{StateDir: filepath.Join(tmp, "hub"), Venv: venv, Proxy: proxy, Founderlab: exe,
		Notebooks: filepath.Join(root, "notebooks"), Port: port, Password: NewPassword(), Limits: lim}
	if cfg.Env, err = SharedEnv([]string{filepath.Dir(filepath.Dir(specDir))}); err != nil {
		t.Fatal(err)
	}
	log := &lockedBuffer{}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	h, err := Start(ctx, cfg, log)
	if err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	t.Cleanup(func() {
		h.Close()
		if t.Failed() {
			s := log.String()
			if len(s) > 8000 {
				s = s[len(s)-8000:]
			}
			t.Logf("hub log (end):\n%s", s)
		}
	})
	return cfg, log
}

// session is a learner with a running kernel.
type session struct {
	*Learner
	kernel *jupyter.Client
}

func openSession(t *testing.T, cfg *Config, name string) *session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	l, err := Login(ctx, cfg.URL(), name, cfg.Password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Login(ctx, cfg.URL(), name, "wrong password"); err == nil {
		t.Errorf("%s logged in with a wrong password", name)
	}
	if err := l.StartServer(ctx); err != nil {
		t.Fatal(err)
	}
	id, err := l.StartKernel(ctx, "founderlab")
	if err != nil {
		t.Fatal(err)
	}
	info, err := jupyter.ReadConnectionFile(filepath.Join(RuntimeDir(cfg.Home(name)), "kernel-"+id+".json"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := jupyter.DialContext(ctx, info)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	return &session{Learner: l, kernel: c}
}

// run executes code and returns the reply status and everything printed.
func (s *session) run(t *testing.T, timeout time.Duration, code string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var out strings.Builder
	var mu sync.Mutex
	rep, err := s.kernel.Execute(ctx, code, func(m *jupyter.Message) {
		mu.Lock()
		defer mu.Unlock()
		out.Write(m.Content)
	})
	if err != nil {
		t.Fatalf("%s: %v", s.Name, err)
	}
	mu.Lock()
	defer mu.Unlock()
	return rep.Status, out.String()
}

// TestRunawayLearnerIsContained runs, on a real hub, one learner's cell
// that allocates without bound and then one that loops forever, while
// another learner works: the other learner's cells complete, the runaway
// cells are ended by the memory ceiling and the CPU-time limit, and the
// runaway learner's kernel still answers afterwards.
func TestRunawayLearnerIsContained(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a JupyterHub and two learners' servers (minutes)")
	}
	cfg, _ := startTestHub(t, Limits{Memory: 768 << 20, CPUs: 1, CPUTime: 45 * time.Second})
	hog := openSession(t, cfg, "hog")
	calm := openSession(t, cfg, "calm")
	for _, s := range []*session{hog, calm} {
		if st, out := s.run(t, 5*time.Minute, "%%\nfmt.Println(\"ready\")\n"); st != "ok" || !strings.Contains(out, "ready") {
			t.Fatalf("%s: warm-up cell: %s %s", s.Name, st, out)
		}
	}
	var wg sync.WaitGroup
	var memStatus, memOut, loopStatus, loopOut string
	var loopTook time.Duration
	wg.Add(1)
	go func() {
		defer wg.Done()
		memStatus, memOut = hog.run(t, 5*time.Minute, "%%\nvar keep [][]byte\nfor {\n\tb := make([]byte, 32<<20)\n\tfor i := range b {\n\t\tb[i] = 1\n\t}\n\tkeep = append(keep, b)\n}\n")
		start := time.Now()
		loopStatus, loopOut = hog.run(t, 10*time.Minute, "%%\nfor {\n}\n")
		loopTook = time.Since(start)
	}()
	// The other learner works meanwhile.
	time.Sleep(2 * time.Second)
	for i := range 3 {
		st, out := calm.run(t, 3*time.Minute, "%%\nfmt.Println(\"calm\", 6*7)\n")
		if st != "ok" || !strings.Contains(out, "calm 42") {
			t.Errorf("calm learner's cell %d while the other one runs away: %s %s", i+1, st, out)
		}
	}
	wg.Wait()
	killed := func(status, out string) bool {
		return status != "ok" || strings.Contains(out, "killed") || strings.Contains(out, "signal")
	}
	if !killed(memStatus, memOut) {
		t.Errorf("allocating cell was not stopped: %s %s", memStatus, memOut)
	}
	if !killed(loopStatus, loopOut) {
		t.Errorf("looping cell was not stopped: %s %s", loopStatus, loopOut)
	}
	t.Logf("allocating cell: %s %.300s", memStatus, memOut)
	t.Logf("looping cell ended after %v: %s %.300s", loopTook.Round(time.Second), loopStatus, loopOut)
	if st, out := hog.run(t, 3*time.Minute, "%%\nfmt.Println(\"still here\")\n"); st != "ok" || !strings.Contains(out, "still here") {
		t.Errorf("runaway learner's kernel after the runaway cells: %s %s", st, out)
	}
	// Each learner has a private copy of the notebooks.
	for _, name := range []string{"hog", "calm"} {
		if _, err := os.Stat(filepath.Join(cfg.Home(name), "notebooks", "00-welcome.ipynb")); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
