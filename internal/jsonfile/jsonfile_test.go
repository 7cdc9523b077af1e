package jsonfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteRead(t *testing.T) {
	p := filepath.Join(t.TempDir(), "v.json")
	in := map[string]int{"a": 1, "b": 2}
	if err := Write(p, in); err != nil {
		t.Fatal(err)
	}
	out, err := Read[map[string]int](p, 1<<10)
	if err != nil || len(out) != 2 || out["b"] != 2 {
		t.Fatalf("Read = %v, %v", out, err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	if _, err := Read[map[string]int](p, 4); err == nil || !strings.Contains(err.Error(), "more than the 4 allowed") {
		t.Errorf("oversized file: %v", err)
	}
	os.WriteFile(p, []byte("[1"), 0o644)
	if _, err := Read[map[string]int](p, 1<<10); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("broken file: %v", err)
	}
}
