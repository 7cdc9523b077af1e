//go:build !linux

package testenv

import "os/exec"

// dieWithTest does nothing where the kernel has no parent-death signal.
func dieWithTest(*exec.Cmd) {}

// Proc is a process found by [Descendants].
type Proc struct {
	PID  int
	Name string
}

// Descendants returns nothing where there is no /proc.
func Descendants(int) []Proc { return nil }

// Running reports false where there is no /proc to ask.
func Running(int) bool { return false }
