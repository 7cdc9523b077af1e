package install

import (
	"os"
	"path/filepath"
	"testing"
)

func TestGetIsNoop(t *testing.T) {
	const gomod = "module gonb_x\n\ngo 1.26\n\nrequire (\n\tgithub.com/founderlab/founderlab v0.0.0-00010101000000-000000000000\n\tgithub.com/gomlx/gomlx v0.26.0\n)\n"
	tests := []struct {
		name, main string
		want       bool
	}{
		{"std only", "package main\nimport \"fmt\"\nfunc main(){fmt.Println()}\n", true},
		{"lib", "package main\nimport (\n\"fmt\"\n\"github.com/founderlab/founderlab/lib/swot\"\n)\n", true},
		{"required module", "package main\nimport \"github.com/gomlx/gomlx/pkg/core/graph\"\n", true},
		{"prefix is not a module", "package main\nimport \"github.com/gomlx/gomlxfoo/x\"\n", false},
		{"new module", "package main\nimport \"github.com/google/uuid\"\n", false},
		{"syntax error", "package main\nimport (\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644)
			os.WriteFile(filepath.Join(dir, "main.go"), []byte(tt.main), 0o644)
			if got := GetIsNoop(dir); got != tt.want {
				t.Fatalf("GetIsNoop = %v, want %v", got, tt.want)
			}
		})
	}
	if GetIsNoop(t.TempDir()) {
		t.Fatal("an empty directory must not skip go get")
	}
}
