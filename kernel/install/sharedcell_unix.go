//go:build unix

package install

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// LockCell takes the build lock of the shared cell directory dir (an
// exclusive lock on the file dir.lock), waiting while another kernel holds
// it, and returns the function that releases it. The lock is released by
// the system too when the process ends, so a killed build never blocks the
// others.
func LockCell(dir string) (unlock func(), err error) {
	f, err := os.OpenFile(dir+".lock", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("install: lock shared cell: %w", err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("install: lock shared cell %s: %w", dir, err)
	}
	return func() { f.Close() }, nil
}

// TryLockCell is LockCell without waiting: ok is false when another
// process holds the lock.
func TryLockCell(dir string) (unlock func(), ok bool, err error) {
	f, err := os.OpenFile(dir+".lock", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, false, fmt.Errorf("install: lock shared cell: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("install: lock shared cell %s: %w", dir, err)
	}
	return func() { f.Close() }, true, nil
}
