package newcomer

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/founderlab/founderlab/internal/testenv"
	"github.com/founderlab/founderlab/kernel/notebook"
)

// fresh clones the committed repository into a temporary directory and
// returns the clone and an empty HOME beside it.
func fresh(t *testing.T) (clone, home string) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test (not in -short mode)")
	}
	root, err := testenv.Root()
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	clone, home = filepath.Join(tmp, "founderlab"), filepath.Join(tmp, "home")
	if out, err := exec.Command("git", "clone", "-q", root, clone).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	if err := os.Mkdir(home, 0o755); err != nil {
		t.Fatal(err)
	}
	return clone, home
}

// userEnv is the environment of a new user: this process's, less every
// FounderLab, Jupyter and XDG setting and the Go proxy settings, with HOME
// set to home. The Go build and module caches stay shared (GOPROXY=off
// proves nothing is downloaded from the Go proxy), and extra is appended.
func userEnv(t *testing.T, home string, extra ...string) []string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	v := strings.Fields(string(out))
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "FOUNDERLAB_") || strings.HasPrefix(k, "JUPYTER") || strings.HasPrefix(k, "XDG_") ||
			strings.HasPrefix(k, "GO") || k == "HOME" || k == "PJRT_PLUGIN_LIBRARY_PATH" || k == "MAKEFLAGS" || k == "MFLAGS" || k == "MAKELEVEL" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "HOME="+home, "GOCACHE="+v[0], "GOMODCACHE="+v[1], "GOPROXY=off", "GOFLAGS=-buildvcs=false")
	return append(env, extra...)
}

// mirror serves dir (laid out as an asset mirror: datasets/NAME/FILE,
// wheels/FILE) on a loopback address standing in for the public sources,
// and counts the files it served.
func mirror(t *testing.T, dir string) (url string, served *atomic.Int64) {
	t.Helper()
	served = new(atomic.Int64)
	fs := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		fs.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, served
}

// checkRan fails the test unless every code cell of the executed notebook
// ran without an error output and at least one chart was drawn, each with
// its static picture.
func checkRan(t *testing.T, path string) {
	t.Helper()
	nb, err := notebook.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	charts := 0
	for i, c := range nb.Cells {
		if c.CellType != notebook.Code || strings.TrimSpace(c.Source) == "" {
			continue
		}
		if c.ExecutionCount == nil {
			t.Errorf("%s: cell %d did not run", filepath.Base(path), i+1)
		}
		for _, o := range c.Outputs {
			if o.OutputType == "error" {
				t.Errorf("%s: cell %d: %s: %s", filepath.Base(path), i+1, o.EName, o.EValue)
			}
			if h, _ := o.Data["text/html"].(string); strings.Contains(h, "data-founderlab-chart") {
				charts++
				if _, ok := o.Data["image/svg+xml"]; !ok {
					t.Errorf("%s: cell %d: a chart without its static picture", filepath.Base(path), i+1)
				}
			}
		}
	}
	if charts == 0 {
		t.Errorf("%s drew no chart", filepath.Base(path))
	}
}

// TestMakeLabOnFreshClone runs the README's main command, `make lab`, on a
// fresh clone with an empty HOME and no data settings, with the data served
// by a local mirror ($FOUNDERLAB_MIRROR). The Makefile's recipe runs
// `$(GO) run ./kernel/cmd/founderlab lab`; GO is pointed at a script that
// records the environment make gives the command and, instead of serving
// JupyterLab, installs the kernel as `lab` does (`founderlab install`, no
// flags) and runs notebook 02 with its quick parameters through it, so the
// kernel sees exactly the environment a learner's JupyterLab would give it.
func TestMakeLabOnFreshClone(t *testing.T) {
	clone, home := fresh(t)
	data := testenv.RequireData(t, "wholesale")
	srvDir := t.TempDir()
	if err := os.Symlink(data, filepath.Join(srvDir, "datasets")); err != nil {
		t.Fatal(err)
	}
	url, served := mirror(t, srvDir)
	root, _ := testenv.Root()
	envOut := filepath.Join(t.TempDir(), "lab.env")
	script := filepath.Join(t.TempDir(), "go-lab")
	body := `#!/bin/sh
env > "` + envOut + `"
[ "$*" = "run ./kernel/cmd/founderlab lab" ] || { echo "make lab ran: go $*" >&2; exit 99; }
go run ./kernel/cmd/founderlab install || exit 1
exec go run ./kernel/cmd/founderlab run -p quick=true --timeout 15m notebooks/02-personas.ipynb
`
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "make", "GO="+script, "lab")
	cmd.Dir = clone
	// ECharts from scripts/test-deps.sh, so that install needs no npm download.
	cmd.Env = userEnv(t, home, "FOUNDERLAB_MIRROR="+url, "FOUNDERLAB_ECHARTS_DIR="+filepath.Join(root, ".cache", "echarts"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	err := cmd.Run()
	t.Logf("make lab (install + notebook 02) took %.0fs", time.Since(start).Seconds())
	if err != nil {
		t.Fatalf("make lab: %v\n%s", err, tailOf(out.String(), 4000))
	}
	labEnv, err := os.ReadFile(envOut)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"FOUNDERLAB_DATA=", "FOUNDERLAB_OFFLINE=", "FOUNDERLAB_SKIPS=", "FOUNDERLAB_ARTIFACTS="} {
		if bytes.Contains(labEnv, []byte("\n"+v)) || bytes.HasPrefix(labEnv, []byte(v)) {
			t.Errorf("make lab gives the kernel the test setting %s…", v)
		}
	}
	got := filepath.Join(home, ".cache", "founderlab", "datasets", "wholesale", "wholesale_customers.csv")
	if _, err := os.Stat(got); err != nil {
		t.Errorf("the data set was not fetched into the user's cache: %v", err)
	}
	if served.Load() == 0 {
		t.Error("the mirror served nothing")
	}
	checkRan(t, filepath.Join(clone, "notebooks", "02-personas.ipynb"))
}

func tailOf(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
