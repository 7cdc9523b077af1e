//go:build !linux

package testenv

import (
	"os/exec"
	"time"
)

// dieWithTest does nothing where the kernel has no parent-death signal.
func dieWithTest(*exec.Cmd) {}

// ReadProc finds nothing where there is no /proc.
func ReadProc(int) (Proc, bool) { return Proc{}, false }

// Procs lists nothing where there is no /proc.
func Procs() []Proc { return nil }

// Alive reports false where there is no /proc to ask.
func (Proc) Alive() bool { return false }

// WaitGone returns nothing where there is no /proc.
func WaitGone([]Proc, time.Duration) []Proc { return nil }
