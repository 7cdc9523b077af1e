package main

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// wheel writes a zip file with the given entries (name → content).
func wheel(t *testing.T, path string, entries map[string]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	z := zip.NewWriter(f)
	for name, body := range entries {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func TestLayout(t *testing.T) {
	pjrt := map[string]string{"jax_plugins/xla_cuda12/xla_cuda_plugin.so": "plugin", "jax_plugins/xla_cuda12/__init__.py": ""}
	nvcc := map[string]string{"nvidia/cuda_nvcc/bin/ptxas": "ptxas", "nvidia/cuda_nvcc/nvvm/libdevice/libdevice.10.bc": "bc", "nvidia_cuda_nvcc_cu12-12.9.86.dist-info/METADATA": "m"}
	cublas := map[string]string{"nvidia/cublas/lib/libcublas.so.12": "cublas"}
	for _, tc := range []struct {
		name    string
		wheels  map[string]map[string]string
		want    map[string]string // path under out → content
		wantErr string
	}{
		{name: "complete",
			wheels: map[string]map[string]string{"jax_cuda12_pjrt-0.11.2-py3-none-x.whl": pjrt, "nvidia_cuda_nvcc_cu12-12.9.86-py3-none-x.whl": nvcc, "nvidia_cublas_cu12-1-py3-none-x.whl": cublas},
			want:   map[string]string{PluginFile: "plugin", "cuda_nvcc/bin/ptxas": "ptxas", "bin/ptxas": "ptxas", "cuda_nvcc/nvvm/libdevice/libdevice.10.bc": "bc", "cublas/lib/libcublas.so.12": "cublas"}},
		{name: "no plugin wheel", wheels: map[string]map[string]string{"nvidia_cublas_cu12-1-py3-none-x.whl": cublas}, wantErr: "want one jax_cuda12_pjrt"},
		{name: "no ptxas", wheels: map[string]map[string]string{"jax_cuda12_pjrt-0.11.2-py3-none-x.whl": pjrt, "nvidia_cublas_cu12-1-py3-none-x.whl": cublas}, wantErr: "ptxas"},
		{name: "path escapes", wheels: map[string]map[string]string{"jax_cuda12_pjrt-0.11.2-py3-none-x.whl": pjrt, "nvidia_evil-1-py3-none-x.whl": {"nvidia/../../etc/x": "x"}}, wantErr: "unsafe path"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, out := t.TempDir(), t.TempDir()
			for name, entries := range tc.wheels {
				wheel(t, filepath.Join(in, name), entries)
			}
			n, err := layout(in, out)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n != 2 {
				t.Errorf("%d NVIDIA wheels, want 2", n)
			}
			for rel, want := range tc.want {
				b, err := os.ReadFile(filepath.Join(out, rel))
				if err != nil || string(b) != want {
					t.Errorf("%s = %q, %v; want %q", rel, b, err, want)
				}
			}
			if fi, err := os.Stat(filepath.Join(out, "cuda_nvcc/bin/ptxas")); err != nil || fi.Mode()&0o111 == 0 {
				t.Errorf("ptxas not executable: %v %v", fi, err)
			}
			if _, err := os.Stat(filepath.Join(out, "nvidia_cuda_nvcc_cu12-12.9.86.dist-info")); err == nil {
				t.Errorf("dist-info copied")
			}
		})
	}
}
