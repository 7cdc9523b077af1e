// Command cudalibs lays out XLA's CUDA PJRT plugin and the NVIDIA libraries
// it loads the way go-xla expects them, for docker/Dockerfile.cuda:
//
//	go run ./docker/cudalibs WHEELS_DIR OUT_DIR
//
// It writes OUT_DIR/pjrt_c_api_cuda_plugin.so (the xla_cuda_plugin.so of the
// one jax_cuda12_pjrt-*.whl in WHEELS_DIR) and, beside it, the contents of
// the nvidia/ folder of every nvidia_*.whl (OUT_DIR/cublas/lib/...,
// OUT_DIR/cuda_nvcc/bin/ptxas, ...), the layout the plugin's RPATH expects,
// and links OUT_DIR/bin/ptxas to CUDA's ptxas: the layout bench/gpu.sh
// makes. A wheel entry that would land outside OUT_DIR is an error.
package main

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// PluginFile is the name go-xla loads the CUDA plugin by.
const PluginFile = "pjrt_c_api_cuda_plugin.so"

// maxEntry bounds the size of one file taken from a wheel (cuDNN's largest
// library is under 1 GiB).
const maxEntry = 4 << 30

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: cudalibs WHEELS_DIR OUT_DIR")
		os.Exit(2)
	}
	n, err := layout(os.Args[1], os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "cudalibs:", err)
		os.Exit(1)
	}
	fmt.Printf("cudalibs: the plugin and %d NVIDIA wheels laid out in %s\n", n, os.Args[2])
}

// layout does the work and returns the number of NVIDIA wheels unpacked.
func layout(wheels, out string) (int, error) {
	pjrt, err := filepath.Glob(filepath.Join(wheels, "jax_cuda12_pjrt-*.whl"))
	if err != nil || len(pjrt) != 1 {
		return 0, fmt.Errorf("want one jax_cuda12_pjrt-*.whl in %s, found %d", wheels, len(pjrt))
	}
	if err := unzip(pjrt[0], func(name string) (string, bool) {
		return PluginFile, path.Base(name) == "xla_cuda_plugin.so"
	}, out); err != nil {
		return 0, err
	}
	if _, err := os.Stat(filepath.Join(out, PluginFile)); err != nil {
		return 0, fmt.Errorf("%s holds no xla_cuda_plugin.so", pjrt[0])
	}
	nv, _ := filepath.Glob(filepath.Join(wheels, "nvidia_*.whl"))
	sort.Strings(nv)
	for _, w := range nv {
		if err := unzip(w, func(name string) (string, bool) {
			rel, ok := strings.CutPrefix(name, "nvidia/")
			return rel, ok && !strings.HasSuffix(name, "/")
		}, out); err != nil {
			return 0, err
		}
	}
	ptxas := filepath.Join(out, "cuda_nvcc", "bin", "ptxas")
	if _, err := os.Stat(ptxas); err != nil {
		return 0, fmt.Errorf("no %s (is nvidia-cuda-nvcc-cu12 among the wheels?)", ptxas)
	}
	if err := os.MkdirAll(filepath.Join(out, "bin"), 0o755); err != nil {
		return 0, err
	}
	link := filepath.Join(out, "bin", "ptxas")
	os.Remove(link)
	return len(nv), os.Symlink(filepath.Join("..", "cuda_nvcc", "bin", "ptxas"), link)
}

// unzip writes the entries of the zip file whl that pick maps to a path
// (slash-separated, relative) under out.
func unzip(whl string, pick func(name string) (string, bool), out string) error {
	z, err := zip.OpenReader(whl)
	if err != nil {
		return err
	}
	defer z.Close()
	for _, f := range z.File {
		rel, ok := pick(f.Name)
		if !ok {
			continue
		}
		if !filepath.IsLocal(filepath.FromSlash(rel)) {
			return fmt.Errorf("%s: unsafe path %q", whl, f.Name)
		}
		if f.UncompressedSize64 > maxEntry {
			return fmt.Errorf("%s: %s is %d bytes, over the %d limit", whl, f.Name, f.UncompressedSize64, int64(maxEntry))
		}
		dst := filepath.Join(out, filepath.FromSlash(rel))
		mode := os.FileMode(0o644)
		if strings.Contains(f.Name, "/bin/") || strings.HasSuffix(rel, ".so") {
			mode = 0o755
		}
		if err := write(f, dst, mode); err != nil {
			return fmt.Errorf("%s: %w", whl, err)
		}
	}
	return nil
}

func write(f *zip.File, dst string, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	r, err := f.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	w, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, mode)
	if err != nil {
		return err
	}
	n, err := io.Copy(w, io.LimitReader(r, maxEntry+1))
	if err == nil && n > maxEntry {
		err = errors.New(f.Name + ": larger than its header says")
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}
