package kernelspec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/founderlab/founderlab/kernel/jupyter"
)

// StartOptions configure [Start].
type StartOptions struct {
	// Name is the kernel name written in the connection file.
	Name string
	// Dir is the kernel's working directory ("" means the current one).
	Dir string
	// Env is added to the process environment after the spec's env.
	Env []string
	// Stderr receives the kernel's standard output and error; nil discards them.
	Stderr io.Writer
	// ReadyTimeout bounds the wait for the kernel's first reply (default 60s).
	ReadyTimeout time.Duration
}

// Kernel is a running kernel process with a connected client.
//
// The kernel runs in its own process group, so that a Ctrl-C on the
// terminal reaches only the program that started it, and so that stopping
// it also stops the programs it started (GoNB runs each cell as a child
// process). Some of those start their own process group (GoNB's gopls), so
// stopping a kernel also kills, on Linux, every process descended from it
// (found through /proc) before or while it is stopped.
type Kernel struct {
	Spec   *Spec
	Client *jupyter.Client
	Conn   *jupyter.ConnectionInfo

	cmd     *exec.Cmd
	tmpDir  string
	done    chan struct{}
	waitErr error
	once    sync.Once
	stopErr error

	mu    sync.Mutex
	known map[int]proc // descendants seen so far, by pid
}

// Start launches the kernel described by spec and waits until it answers.
// When ctx ends first, or the kernel does not become ready, the kernel and
// everything it started are killed.
func Start(ctx context.Context, spec *Spec, opts StartOptions) (*Kernel, error) {
	if len(spec.Argv) == 0 {
		return nil, errors.New("kernelspec: the kernel spec has an empty argv")
	}
	conn, err := jupyter.NewConnectionInfo(opts.Name)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "founderlab-kernel-")
	if err != nil {
		return nil, fmt.Errorf("kernelspec: %w", err)
	}
	connFile := filepath.Join(tmp, "kernel.json")
	if err := conn.WriteFile(connFile); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	argv := make([]string, len(spec.Argv))
	for i, a := range spec.Argv {
		argv[i] = strings.ReplaceAll(a, "{connection_file}", connFile)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = opts.Dir
	cmd.Env = os.Environ()
	for k, v := range spec.Env {
		cmd.Env = append(cmd.Env, k+"="+os.Expand(v, os.Getenv))
	}
	cmd.Env = append(cmd.Env, opts.Env...)
	cmd.Stdout, cmd.Stderr = opts.Stderr, opts.Stderr
	// Own process group: see [Kernel].
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("kernelspec: start %s: %w", argv[0], err)
	}
	k := &Kernel{Spec: spec, Conn: conn, cmd: cmd, tmpDir: tmp, done: make(chan struct{}), known: map[int]proc{}}
	go func() {
		k.waitErr = cmd.Wait()
		close(k.done)
	}()
	timeout := opts.ReadyTimeout
	if timeout == 0 {
		timeout = 60 * time.Second
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ready := make(chan error, 1)
	go func() {
		client, err := jupyter.DialContext(rctx, conn)
		if err == nil {
			k.Client = client
			err = client.WaitReady(rctx)
		}
		ready <- err
	}()
	select {
	case err = <-ready:
	case <-k.done:
		cancel()
		<-ready
		err = fmt.Errorf("kernel exited during start-up: %v", k.waitErr)
	}
	if err != nil {
		k.Kill()
		return nil, fmt.Errorf("kernelspec: %s: %w", argv[0], err)
	}
	return k, nil
}

// Done is closed when the kernel process exits.
func (k *Kernel) Done() <-chan struct{} { return k.done }

// Alive reports whether the kernel process is still running.
func (k *Kernel) Alive() bool {
	select {
	case <-k.done:
		return false
	default:
		return true
	}
}

// Interrupt interrupts the running execution, by signal or by message as
// the spec's interrupt_mode says. With "message" it waits for the kernel's
// reply until ctx ends.
func (k *Kernel) Interrupt(ctx context.Context) error {
	if k.Spec.InterruptMode == "message" {
		return k.Client.Interrupt(ctx)
	}
	return k.cmd.Process.Signal(os.Interrupt)
}

// Grace periods of [Kernel.Shutdown].
const (
	shutdownReplyTimeout = 3 * time.Second // for the shutdown_reply
	shutdownExitTimeout  = 5 * time.Second // for the process to exit after it
	terminateTimeout     = 2 * time.Second // after SIGTERM
)

// Close shuts the kernel down: it is [Kernel.Shutdown] without a deadline
// other than its own grace periods.
func (k *Kernel) Close() error { return k.Shutdown(context.Background()) }

// Shutdown stops the kernel and every process it started, and removes the
// connection file. It asks the kernel to exit with a shutdown_request and
// waits a few seconds for it; when ctx ends before (or has already ended),
// it sends SIGTERM instead and waits at most two seconds. Whatever is left
// then is killed. Only the first call of Shutdown, Close or Kill does the
// work; later ones return its result.
func (k *Kernel) Shutdown(ctx context.Context) error {
	k.once.Do(func() {
		if k.Alive() {
			k.snapshot()
			graceful := ctx.Err() == nil && k.Client != nil
			if graceful {
				sctx, cancel := context.WithTimeout(ctx, shutdownReplyTimeout)
				k.Client.Shutdown(sctx, false)
				cancel()
				select {
				case <-k.done:
				case <-ctx.Done():
					graceful = false
				case <-time.After(shutdownExitTimeout):
				}
			}
			if !graceful && k.Alive() {
				k.snapshot()
				k.cmd.Process.Signal(syscall.SIGTERM)
				select {
				case <-k.done:
				case <-time.After(terminateTimeout):
				}
			}
		}
		k.release()
	})
	return k.stopErr
}

// Kill kills the kernel and every process it started at once, and removes
// the connection file. See [Kernel.Shutdown] for a graceful stop.
func (k *Kernel) Kill() error {
	k.once.Do(k.release)
	return k.stopErr
}

// release kills what is left of the kernel's processes, closes the client
// and removes the connection file.
func (k *Kernel) release() {
	k.kill()
	if k.Client != nil {
		k.Client.Close()
	}
	os.RemoveAll(k.tmpDir)
	if k.waitErr != nil && !errors.Is(k.waitErr, os.ErrProcessDone) {
		var ee *exec.ExitError
		if !errors.As(k.waitErr, &ee) {
			k.stopErr = k.waitErr
		}
	}
}

// kill kills the kernel's process group, every process group and process
// of its known descendants, and waits for the kernel process to be reaped.
func (k *Kernel) kill() {
	pid := k.cmd.Process.Pid
	if k.Alive() {
		k.snapshot()
		syscall.Kill(-pid, syscall.SIGKILL)
		<-k.done
	}
	// Children that outlived the kernel (cell programs) share its group.
	syscall.Kill(-pid, syscall.SIGKILL)
	own := syscall.Getpgrp()
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, p := range k.known {
		if !p.alive() {
			continue
		}
		if p.pgid == p.pid && p.pgid != own && p.pgid > 1 {
			// A group leader the kernel started (gopls): its group too.
			syscall.Kill(-p.pgid, syscall.SIGKILL)
		}
		syscall.Kill(p.pid, syscall.SIGKILL)
	}
}

// snapshot records the kernel's current descendants, to be killed with it
// even when they have left its process group or been orphaned by then.
func (k *Kernel) snapshot() {
	ps := descendants(k.cmd.Process.Pid)
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, p := range ps {
		k.known[p.pid] = p
	}
}

// proc identifies a process: its pid, process group and start time (which
// tells a reused pid from the process it named).
type proc struct {
	pid, ppid, pgid int
	start           string
}

// readProc reads /proc/PID/stat; ok is false when the process is gone, is
// a zombie, or /proc is not there (not Linux).
func readProc(pid int) (p proc, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return p, false
	}
	// pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt
	// majflt cmajflt utime stime cutime cstime priority nice num_threads
	// itrealvalue starttime ...; comm may hold spaces and parentheses.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return p, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 20 || f[0] == "Z" || f[0] == "X" {
		return p, false
	}
	p.pid = pid
	p.ppid, _ = strconv.Atoi(f[1])
	p.pgid, _ = strconv.Atoi(f[2])
	p.start = f[19]
	return p, true
}

// alive reports whether p is still running (and is the same process).
func (p proc) alive() bool {
	q, ok := readProc(p.pid)
	return ok && q.start == p.start
}

// descendants returns the running processes descended from root (not root
// itself), read from /proc; none where /proc is missing.
func descendants(root int) []proc {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]proc{}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if p, ok := readProc(pid); ok {
			children[p.ppid] = append(children[p.ppid], p)
		}
	}
	var out []proc
	queue := []int{root}
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		for _, c := range children[pid] {
			out = append(out, c)
			queue = append(queue, c.pid)
		}
	}
	return out
}
