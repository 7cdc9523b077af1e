package assets

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testKaTeXPrefix returns the KaTeX installed by scripts/test-deps.sh
// ($FOUNDERLAB_KATEX_DIR, else .cache/katex at the repository root), or
// skips.
func testKaTeXPrefix(t *testing.T) string {
	t.Helper()
	prefix := os.Getenv(EnvKaTeXDir)
	if prefix == "" {
		prefix = filepath.Join("..", "..", ".cache", "katex")
	}
	if _, err := os.Stat(filepath.Join(KaTeXPackage(prefix), "package.json")); err != nil {
		t.Skipf("no KaTeX in %s (scripts/test-deps.sh installs it)", prefix)
	}
	return prefix
}

func TestKaTeXInstalled(t *testing.T) {
	prefix := testKaTeXPrefix(t)
	if err := KaTeXInstalled(prefix); err != nil {
		t.Fatalf("KaTeXInstalled(%s): %v", prefix, err)
	}
	// InstallKaTeX does nothing (no npm run, no network) when it is there.
	t.Setenv("PATH", t.TempDir())
	if err := InstallKaTeX(context.Background(), prefix); err != nil {
		t.Fatalf("InstallKaTeX on an installed prefix: %v", err)
	}
}

// copyKaTeX copies the pinned files and package.json of prefix into a
// new prefix.
func copyKaTeX(t *testing.T, prefix string) string {
	t.Helper()
	dst := t.TempDir()
	names := []string{"package.json"}
	for _, f := range KaTeXFiles {
		names = append(names, f.Name)
	}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(KaTeXPackage(prefix), n))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(KaTeXPackage(dst), n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func TestKaTeXInstalledRejects(t *testing.T) {
	prefix := testKaTeXPrefix(t)
	tests := []struct {
		name   string
		damage func(pkg string) error
		want   string
		is     error
	}{
		{"tampered font", func(pkg string) error {
			return os.WriteFile(filepath.Join(pkg, "dist/fonts/KaTeX_Main-Regular.woff2"), []byte("not a font"), 0o644)
		}, "KaTeX_Main-Regular.woff2", ErrChecksum},
		{"missing stylesheet", func(pkg string) error {
			return os.Remove(filepath.Join(pkg, "dist/katex.min.css"))
		}, "katex.min.css", os.ErrNotExist},
		{"other version", func(pkg string) error {
			return os.WriteFile(filepath.Join(pkg, "package.json"), []byte(`{"version":"0.10.0"}`), 0o644)
		}, `"0.10.0"`, nil},
		{"no package.json", func(pkg string) error {
			return os.Remove(filepath.Join(pkg, "package.json"))
		}, "package.json", os.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := copyKaTeX(t, prefix)
			if err := KaTeXInstalled(dst); err != nil {
				t.Fatalf("copy: %v", err)
			}
			if err := tt.damage(KaTeXPackage(dst)); err != nil {
				t.Fatal(err)
			}
			err := KaTeXInstalled(dst)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("KaTeXInstalled = %v, want an error naming %s", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v does not wrap %v", err, tt.is)
			}
		})
	}
}

func TestInstallKaTeXWithoutNPM(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	err := InstallKaTeX(context.Background(), t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "npm not found") {
		t.Fatalf("InstallKaTeX without npm = %v, want npm not found", err)
	}
}

func TestKaTeXPrefix(t *testing.T) {
	t.Setenv(EnvKaTeXDir, "")
	t.Setenv("XDG_DATA_HOME", "/data")
	if got, err := KaTeXPrefix(); err != nil || got != "/data/founderlab/katex" {
		t.Errorf("KaTeXPrefix with XDG_DATA_HOME = %q, %v", got, err)
	}
	t.Setenv(EnvKaTeXDir, "/opt/katex")
	if got, err := KaTeXPrefix(); err != nil || got != "/opt/katex" {
		t.Errorf("KaTeXPrefix with $%s = %q, %v", EnvKaTeXDir, got, err)
	}
}
