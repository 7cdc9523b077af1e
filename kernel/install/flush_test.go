package install

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestPrepareBuild(t *testing.T) {
	const plain = "package main\n\nimport (\n\t\"flag\"\n\t\"fmt\"\n)\n\nfunc main() {\n\tflag.Parse()\nfmt.Println(1)\n}\n"
	const display = "package main\n\nimport (\n\t\"flag\"\n\t\"github.com/founderlab/founderlab/lib/charts\"\n)\n\nfunc main() {\n\tflag.Parse()\ncharts.Show(nil)\n}\n"
	tests := []struct {
		name, src string
		flush     bool
	}{
		{"plain cell", plain, false},
		{"displaying cell", display, true},
		{"gonbui cell", bytes.NewBufferString(plain).String()[:len("package main\n\nimport (\n")] + "\t\"github.com/janpfeifer/gonb/gonbui\"\n" + plain[len("package main\n\nimport (\n"):], true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, FlushFile), []byte("stale"), 0o644)
			os.WriteFile(filepath.Join(dir, "main.go"), []byte(tt.src), 0o644)
			if err := PrepareBuild(dir); err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(filepath.Join(dir, "main.go"))
			_, err := os.Stat(filepath.Join(dir, FlushFile))
			if tt.flush != (err == nil) || tt.flush != bytes.Contains(got, []byte("defer founderlabFlush()")) {
				t.Fatalf("flush file present: %v, main:\n%s", err == nil, got)
			}
			if bytes.Count(got, []byte("\n")) != bytes.Count([]byte(tt.src), []byte("\n")) {
				t.Fatal("line numbers of main.go changed")
			}
		})
	}
}
