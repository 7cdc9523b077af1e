package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestStaticBinary keeps the founderlab command a small static binary that
// a workshop can copy onto any Linux machine: it links nothing of the ML
// stack (GoMLX, go-xla's cgo code, lib/...) and builds with CGO_ENABLED=0.
func TestStaticBinary(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.Contains(p, "gomlx") || strings.HasPrefix(p, "github.com/founderlab/founderlab/lib/") {
			t.Errorf("founderlab links %s", p)
		}
	}
	bin := filepath.Join(t.TempDir(), "founderlab")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build: %v\n%s", err, out)
	}
}
