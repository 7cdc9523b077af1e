package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
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

// ReadProc reads /proc/PID; ok is false when the process is gone or a
// zombie (a process killed after its parent died waits as a zombie until
// whatever adopted it reaps it, which a container's first process may
// never do).
func ReadProc(pid int) (p Proc, ok bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return p, false
	}
	// pid (comm) state ppid … starttime (field 22); comm may hold spaces
	// and parentheses.
	s := string(b)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return p, false
	}
	f := strings.Fields(s[end+1:])
	if len(f) < 20 || f[0] == "Z" || f[0] == "X" {
		return p, false
	}
	p.PID, p.Name, p.Start = pid, s[open+1:end], f[19]
	p.PPID, _ = strconv.Atoi(f[1])
	cl, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	p.Cmdline = strings.TrimSpace(strings.ReplaceAll(string(cl), "\x00", " "))
	return p, true
}

// Procs lists the running processes.
func Procs() []Proc {
	ents, _ := os.ReadDir("/proc")
	var ps []Proc
	for _, e := range ents {
		if pid, err := strconv.Atoi(e.Name()); err == nil {
			if p, ok := ReadProc(pid); ok {
				ps = append(ps, p)
			}
		}
	}
	return ps
}

// Alive reports whether p still runs (and is the same process).
func (p Proc) Alive() bool {
	q, ok := ReadProc(p.PID)
	return ok && q.Start == p.Start
}

// WaitGone waits up to d for every process of ps to end and returns those
// still running.
func WaitGone(ps []Proc, d time.Duration) []Proc {
	var left []Proc
	for deadline := time.Now().Add(d); ; time.Sleep(100 * time.Millisecond) {
		left = left[:0]
		for _, p := range ps {
			if p.Alive() {
				left = append(left, p)
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
	}
}
