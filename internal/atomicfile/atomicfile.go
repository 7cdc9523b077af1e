// Package atomicfile writes files so that a reader sees either the old
// content or the complete new content, never a part: the data go to a
// temporary file in the destination's directory, which is synced, given its
// permissions, renamed over the destination, and the directory synced so
// that the rename survives a crash.
//
// A destination that is a symbolic link is written through: the link stays
// and its target gets the new content.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFile writes data to path atomically with permissions perm.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}, perm)
}

// Copy writes everything r yields to path atomically with permissions perm
// and returns the number of bytes written.
func Copy(path string, r io.Reader, perm os.FileMode) (n int64, err error) {
	err = Write(path, func(w io.Writer) error {
		n, err = io.Copy(w, r)
		return err
	}, perm)
	return n, err
}

// Write calls fill with a writer on a temporary file beside path and, when
// fill returns nil, moves the file into place. On any error the temporary
// file is removed and path is untouched.
func Write(path string, fill func(io.Writer) error, perm os.FileMode) (err error) {
	if target, lerr := filepath.EvalSymlinks(path); lerr == nil {
		path = target
	} else if fi, serr := os.Lstat(path); serr == nil && fi.Mode()&os.ModeSymlink != 0 {
		// A dangling link: write where it points.
		if t, rerr := os.Readlink(path); rerr == nil {
			if !filepath.IsAbs(t) {
				t = filepath.Join(filepath.Dir(path), t)
			}
			path = t
		}
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = fill(tmp); err != nil {
		return err
	}
	if err = tmp.Chmod(perm); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("atomicfile: sync %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	return SyncDir(dir)
}

// SyncDir flushes a directory's entries (a rename or a new file in it) to
// disk. File systems that cannot sync directories are not an error.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("atomicfile: sync %s: %w", dir, err)
	}
	return nil
}
