//go:build !unix

package install

import "fmt"

// LockCell reports an error where file locks are not implemented: the go
// shim then builds the cell in its own work directory.
func LockCell(dir string) (unlock func(), err error) {
	return nil, fmt.Errorf("%w: no file locks on this system", ErrNotShareable)
}

// TryLockCell is LockCell without waiting.
func TryLockCell(dir string) (unlock func(), ok bool, err error) {
	return nil, false, fmt.Errorf("%w: no file locks on this system", ErrNotShareable)
}
