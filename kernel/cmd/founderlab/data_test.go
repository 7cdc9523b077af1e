package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/internal/testenv"
)

// TestDataAndModelsCommands drives `founderlab data` and `founderlab models`
// as a user would, with the data served by a local mirror.
func TestDataAndModelsCommands(t *testing.T) {
	data := testenv.RequireData(t, "wholesale")
	bin := filepath.Join(t.TempDir(), "founderlab")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	srv := httptest.NewServer(http.StripPrefix("/datasets/", http.FileServer(http.Dir(data))))
	defer srv.Close()
	home := t.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "FOUNDERLAB_MIRROR=" + srv.URL}
	fl := func(wantOK bool, args ...string) (stdout, stderr string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		if (err == nil) != wantOK {
			t.Fatalf("founderlab %s: err = %v, want ok=%v\n%s%s", strings.Join(args, " "), err, wantOK, o.String(), e.String())
		}
		return o.String(), e.String()
	}
	dir := filepath.Join(home, ".cache", "founderlab", "datasets")
	out, _ := fl(true, "data", "list")
	if !strings.Contains(out, "wholesale") || !strings.Contains(out, "missing") || !strings.Contains(out, dir) {
		t.Errorf("data list on an empty cache:\n%s", out)
	}
	out, errOut := fl(true, "data", "fetch", "wholesale")
	if !strings.Contains(out, "wholesale") || !strings.Contains(errOut, "100%") {
		t.Errorf("data fetch: stdout %q, progress %q", out, errOut)
	}
	if out, _ := fl(true, "data", "verify", "wholesale"); !strings.Contains(out, "present") {
		t.Errorf("data verify after fetch: %s", out)
	}
	if out, _ := fl(true, "data", "path", "wholesale"); strings.TrimSpace(out) != filepath.Join(dir, "wholesale") {
		t.Errorf("data path = %q", out)
	}
	csv := filepath.Join(dir, "wholesale", "wholesale_customers.csv")
	if err := os.WriteFile(csv, []byte("Channel\n1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errOut := fl(false, "data", "verify"); !strings.Contains(out, "DAMAGED") || !strings.Contains(errOut, csv) {
		t.Errorf("verify of a damaged file: %s%s", out, errOut)
	}
	if _, errOut := fl(false, "data", "fetch", "nope"); !strings.Contains(errOut, `unknown data set "nope"`) {
		t.Errorf("unknown data set: %s", errOut)
	}
	env = append(env, "FOUNDERLAB_OFFLINE=1")
	os.Remove(csv)
	if _, errOut := fl(false, "data", "fetch", "wholesale"); !strings.Contains(errOut, "founderlab data fetch wholesale") {
		t.Errorf("offline fetch does not name the fix: %s", errOut)
	}
	if out, _ := fl(true, "models", "list"); !strings.Contains(out, "all-minilm-l6-v2") || !strings.Contains(out, "missing") {
		t.Errorf("models list on an empty cache:\n%s", out)
	}
	if _, errOut := fl(false, "models", "fetch", "all-minilm-l6-v2"); !strings.Contains(errOut, "downloads are off") {
		t.Errorf("offline models fetch: %s", errOut)
	}
	if out, _ := fl(true, "models", "path", "all-MiniLM-L6-v2"); !strings.HasSuffix(strings.TrimSpace(out), filepath.Join("models", "all-MiniLM-L6-v2")) {
		t.Errorf("models path = %q", out)
	}
}
