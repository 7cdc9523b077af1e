package testenv

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
)

// dieWithTest asks the kernel to send cmd SIGTERM when the test process
// dies, so that a test binary killed by go test's -timeout does not leave
// founderlab run and its kernel behind (founderlab run stops the kernel on
// SIGTERM).
func dieWithTest(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGTERM
}

// Proc is a process found by [Descendants].
type Proc struct {
	PID  int
	Name string // the command name the kernel reports (at most 15 bytes)
}

// Descendants returns the processes below pid (children, their children
// and so on), read from /proc.
func Descendants(pid int) []Proc {
	entries, _ := os.ReadDir("/proc")
	children := map[int][]Proc{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (name) state ppid …; the name may hold spaces and parentheses.
		open, end := bytes.IndexByte(stat, '('), bytes.LastIndexByte(stat, ')')
		if open < 0 || end < open {
			continue
		}
		var state string
		var ppid int
		if _, err := fmt.Sscan(string(stat[end+1:]), &state, &ppid); err != nil {
			continue
		}
		children[ppid] = append(children[ppid], Proc{p, string(stat[open+1 : end])})
	}
	var out []Proc
	var walk func(int)
	walk = func(pid int) {
		for _, c := range children[pid] {
			out = append(out, c)
			walk(c.PID)
		}
	}
	walk(pid)
	return out
}

// Running reports whether process pid exists and is not a zombie (a
// process killed after its parent died waits as a zombie until whatever
// adopted it reaps it, which a container's first process may never do).
func Running(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	// The state follows the command name, which is in parentheses.
	i := bytes.LastIndexByte(stat, ')')
	return i < 0 || !bytes.HasPrefix(stat[i+1:], []byte(" Z"))
}
