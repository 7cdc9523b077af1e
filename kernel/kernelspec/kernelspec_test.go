package kernelspec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFindRead(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	spec := &Spec{Argv: []string{"/bin/k", "{connection_file}"}, DisplayName: "K", Language: "go", InterruptMode: "message"}
	if err := Write(filepath.Join(b, "kernels", "k"), spec); err != nil {
		t.Fatal(err)
	}
	got, dir, err := Find("k", []string{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if dir != filepath.Join(b, "kernels", "k") || got.DisplayName != "K" || got.InterruptMode != "message" {
		t.Fatalf("Find = %+v in %s", got, dir)
	}
	if _, _, err := Find("missing", []string{a, b}); err == nil || !strings.Contains(err.Error(), "founderlab install") {
		t.Fatalf("missing kernel: %v", err)
	}
	// A broken kernel.json is an error naming the file, not "not found".
	bad := filepath.Join(a, "kernels", "k")
	os.MkdirAll(bad, 0o755)
	os.WriteFile(filepath.Join(bad, "kernel.json"), []byte("{"), 0o644)
	if _, _, err := Find("k", []string{a, b}); err == nil || !strings.Contains(err.Error(), filepath.Join(bad, "kernel.json")) {
		t.Fatalf("broken spec: %v", err)
	}
}

func TestSearchPathOrder(t *testing.T) {
	t.Setenv("JUPYTER_PATH", "/p1"+string(os.PathListSeparator)+"/p2")
	t.Setenv("JUPYTER_DATA_DIR", "/user")
	got := SearchPath("/venv/share/jupyter")
	want := []string{"/p1", "/p2", "/user", "/venv/share/jupyter", "/usr/local/share/jupyter", "/usr/share/jupyter"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("SearchPath = %v, want %v", got, want)
	}
}
