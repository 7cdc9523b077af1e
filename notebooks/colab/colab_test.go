// Package colab_test runs setup.ipynb, the Python notebook that installs
// Go, the FounderLab kernel and the library on a hosted notebook (Google
// Colab), on a host that mimics one: a fresh HOME, Python with ipykernel,
// no Go on PATH. The notebook lives in this sub-directory so that the
// chapter tests (notebooks/notebooks_test.go, which runs every
// notebooks/*.ipynb on the Go kernel) and "founderlab book" (which builds
// every notebooks/*.ipynb into the course) leave it alone.
package colab_test

import (
	"archive/zip"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/founderlab/founderlab/kernel/install"
	"github.com/founderlab/founderlab/kernel/notebook"
	"github.com/founderlab/founderlab/kernel/runner"
)

// toolchainZip writes the running Go's GOROOT as the golang.org/toolchain
// module zip a Go proxy serves, under proxy/golang.org/toolchain/@v/, and
// returns the Go version it stands for ("1.26.8").
func toolchainZip(t *testing.T, proxy string) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT", "GOVERSION").Output()
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(out))
	goroot, version := f[0], strings.TrimPrefix(f[1], "go")
	mod := "v0.0.1-go" + version + ".linux-amd64"
	dir := filepath.Join(proxy, "golang.org", "toolchain", "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	zf, err := os.Create(filepath.Join(dir, mod+".zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer zf.Close()
	z := zip.NewWriter(zf)
	prefix := "golang.org/toolchain@" + mod + "/"
	err = filepath.WalkDir(goroot, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(goroot, p)
		if d.IsDir() {
			if rel == "test" || rel == "api" || rel == "doc" {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		w, err := z.CreateHeader(&zip.FileHeader{Name: prefix + filepath.ToSlash(rel), Method: zip.Store})
		if err != nil {
			return err
		}
		src, err := os.Open(p)
		if err != nil {
			return err
		}
		defer src.Close()
		_, err = io.Copy(w, src)
		return err
	})
	if err == nil {
		err = z.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return version
}

// withoutGo returns PATH without the directories holding a go command.
func withoutGo(path string) string {
	var keep []string
	for _, d := range filepath.SplitList(path) {
		if _, err := os.Stat(filepath.Join(d, "go")); err != nil {
			keep = append(keep, d)
		}
	}
	return strings.Join(keep, string(os.PathListSeparator))
}

func TestSetupNotebookOnAPythonOnlyHost(t *testing.T) {
	if testing.Short() {
		t.Skip("installs Go and the kernel from scratch (minutes)")
	}
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("the setup notebook installs the linux-amd64 toolchain")
	}
	wd, _ := os.Getwd()
	root, err := install.FindRoot(wd)
	if err != nil {
		t.Fatal(err)
	}
	// Python with ipykernel and nbclient: a venv whose packages come from
	// the checkout's .venv (scripts/test-deps.sh makes it), so that the
	// setup's --sys-prefix install lands in a throw-away prefix.
	site, _ := filepath.Glob(filepath.Join(root, ".venv", "lib", "python3*", "site-packages"))
	if len(site) != 1 {
		t.Skip("no .venv with Jupyter: run scripts/test-deps.sh")
	}
	tmp := t.TempDir()
	venv := filepath.Join(tmp, "venv")
	if out, err := exec.Command("python3", "-m", "venv", "--without-pip", venv).CombinedOutput(); err != nil {
		t.Fatalf("python3 -m venv: %v\n%s", err, out)
	}
	venvSite, _ := filepath.Glob(filepath.Join(venv, "lib", "python3*", "site-packages"))
	if len(venvSite) != 1 || filepath.Base(filepath.Dir(venvSite[0])) != filepath.Base(filepath.Dir(site[0])) {
		t.Skipf("python3 and .venv differ in version (%v, %v)", venvSite, site)
	}
	if err := os.WriteFile(filepath.Join(venvSite[0], "jupyter.pth"), []byte(site[0]+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	proxy := filepath.Join(tmp, "proxy")
	version := toolchainZip(t, proxy)
	home := filepath.Join(tmp, "home")
	os.MkdirAll(home, 0o755)
	modcache, _ := exec.Command("go", "env", "GOMODCACHE").Output()
	gocache, _ := exec.Command("go", "env", "GOCACHE").Output()
	// The host: a fresh HOME, no Go on PATH. The Go toolchain comes from
	// the (local) proxy; the modules the install builds come from the
	// module cache, offline; the build cache is shared to keep the test
	// short (a cold one only makes the install slower).
	env := []string{
		"HOME=" + home,
		"PATH=" + filepath.Join(venv, "bin") + string(os.PathListSeparator) + withoutGo(os.Getenv("PATH")),
		"GOPROXY=file://" + proxy, "GOSUMDB=off", "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod",
		"GOMODCACHE=" + strings.TrimSpace(string(modcache)), "GOCACHE=" + strings.TrimSpace(string(gocache)),
	}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "FOUNDERLAB_") || k == "LANG" || k == "TMPDIR" {
			env = append(env, kv)
		}
	}
	params := map[string]any{"FOUNDERLAB_SOURCE": root, "GO_VERSION": version, "INSTALL_FLAGS": "--offline", "SWITCH_KERNEL": false}
	pj, _ := json.Marshal(params)
	script := `
import json, sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
params = json.loads(sys.argv[2])
i = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
src = "\n".join(f"{k} = {v!r}" for k, v in params.items())
nb.cells.insert(i + 1, nbformat.v4.new_code_cell(src, metadata={"tags": ["injected-parameters"]}))
NotebookClient(nb, timeout=1800, kernel_name="python3").execute()
nbformat.write(nb, sys.argv[3])
`
	out := filepath.Join(tmp, "setup-executed.ipynb")
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(venv, "bin", "python"), "-c", script,
		filepath.Join(root, "notebooks", "colab", "setup.ipynb"), string(pj), out)
	cmd.Env, cmd.Dir = env, tmp
	start := time.Now()
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("executing setup.ipynb: %v\n%s", err, b)
	}
	t.Logf("setup notebook ran in %v", time.Since(start).Round(time.Second))
	goroot := filepath.Join(home, "sdk", "go"+version)
	if v, err := exec.Command(filepath.Join(goroot, "bin", "go"), "version").Output(); err != nil || !strings.Contains(string(v), "go"+version) {
		t.Fatalf("the installed toolchain: %q, %v", v, err)
	}
	executed, err := notebook.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	last := executed.Cells[len(executed.Cells)-1]
	if len(last.Outputs) == 0 || !strings.Contains(last.Outputs[0].Text, "Go kernel installed") {
		t.Errorf("last cell's output: %+v", last.Outputs)
	}

	// Now the course's first notebook on the kernel the setup installed.
	nb, err := notebook.Read(filepath.Join(root, "notebooks", "00-welcome.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	kenv := append([]string{}, env...)
	kenv[1] = "PATH=" + filepath.Join(goroot, "bin") + string(os.PathListSeparator) + withoutGo(os.Getenv("PATH"))
	_, err = runner.Run(ctx, nb, runner.Options{
		Kernel: "founderlab", SearchPath: []string{filepath.Join(venv, "share", "jupyter")},
		Env: kenv, Dir: tmp, CellTimeout: 15 * time.Minute, Name: "00-welcome",
	})
	if err != nil {
		t.Fatalf("00-welcome on the installed kernel: %v", err)
	}
	var text strings.Builder
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			text.WriteString(o.Text)
		}
	}
	for _, want := range []string{"Hello from Go go" + version, "Hello, founder! counter = 1", "banking77"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("00-welcome's outputs lack %q:\n%.2000s", want, text.String())
		}
	}
}
