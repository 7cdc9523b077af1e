package assets

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/founderlab/founderlab/internal/atomicfile"
)

// maxMember bounds the size of one file extracted from a wheel, whatever
// its header claims.
const maxMember = 2 << 30

// extractMember copies the member named name out of the zip archive (a
// wheel) at archive to dst, atomically, with permissions perm.
func extractMember(archive, name, dst string, perm os.FileMode) error {
	zr, err := zip.OpenReader(archive)
	if err != nil {
		return fmt.Errorf("assets: open %s: %w", archive, err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == name {
			return copyMember(archive, f, dst, perm)
		}
	}
	return fmt.Errorf("assets: %s has no member %s", archive, name)
}

// extractTree copies every member of the zip archive under prefix (a
// directory inside it, ending in "/") into dir, keeping the relative
// paths. Members whose relative path would leave dir are an error.
func extractTree(archive, prefix, dir string) (n int, err error) {
	zr, err := zip.OpenReader(archive)
	if err != nil {
		return 0, fmt.Errorf("assets: open %s: %w", archive, err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, prefix) || strings.HasSuffix(f.Name, "/") {
			continue
		}
		rel := path.Clean(strings.TrimPrefix(f.Name, prefix))
		if rel == "." || strings.HasPrefix(rel, "../") || rel == ".." || path.IsAbs(rel) {
			return n, fmt.Errorf("assets: %s: unsafe member path %q", archive, f.Name)
		}
		dst := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return n, fmt.Errorf("assets: %w", err)
		}
		if err := copyMember(archive, f, dst, 0o644); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func copyMember(archive string, f *zip.File, dst string, perm os.FileMode) error {
	if f.UncompressedSize64 > maxMember {
		return fmt.Errorf("assets: %s: member %s claims %d bytes, more than the %d allowed", archive, f.Name, f.UncompressedSize64, int64(maxMember))
	}
	r, err := f.Open()
	if err != nil {
		return fmt.Errorf("assets: %s: %s: %w", archive, f.Name, err)
	}
	defer r.Close()
	n, err := atomicfile.Copy(dst, io.LimitReader(r, maxMember+1), perm)
	if err != nil {
		return fmt.Errorf("assets: extract %s from %s: %w", f.Name, archive, err)
	}
	if n > maxMember {
		os.Remove(dst)
		return fmt.Errorf("assets: %s: member %s is larger than %d bytes", archive, f.Name, int64(maxMember))
	}
	return nil
}
