package kernelspec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
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
type Kernel struct {
	Spec   *Spec
	Client *jupyter.Client
	Conn   *jupyter.ConnectionInfo

	cmd     *exec.Cmd
	tmpDir  string
	done    chan struct{}
	waitErr error
	once    sync.Once
}

// Start launches the kernel described by spec and waits until it answers.
func Start(ctx context.Context, spec *Spec, opts StartOptions) (*Kernel, error) {
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
	// Own process group, so that stopping the kernel also stops the programs
	// it started (GoNB runs each cell as a child process).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("kernelspec: start %s: %w", argv[0], err)
	}
	k := &Kernel{Spec: spec, Conn: conn, cmd: cmd, tmpDir: tmp, done: make(chan struct{})}
	go func() {
		k.waitErr = cmd.Wait()
		close(k.done)
	}()
	client, err := jupyter.Dial(conn)
	if err != nil {
		k.kill()
		return nil, err
	}
	k.Client = client
	timeout := opts.ReadyTimeout
	if timeout == 0 {
		timeout = 60 * time.Second
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ready := make(chan error, 1)
	go func() { ready <- client.WaitReady(rctx) }()
	select {
	case err = <-ready:
	case <-k.done:
		err = fmt.Errorf("kernel exited during start-up: %v", k.waitErr)
	}
	if err != nil {
		k.Close()
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
// the spec's interrupt_mode says.
func (k *Kernel) Interrupt(ctx context.Context) error {
	if k.Spec.InterruptMode == "message" {
		return k.Client.Interrupt(ctx)
	}
	return k.cmd.Process.Signal(os.Interrupt)
}

// Close asks the kernel to shut down, kills its process group if it does not
// exit within a few seconds, and removes the connection file.
func (k *Kernel) Close() error {
	var err error
	k.once.Do(func() {
		if k.Client != nil && k.Alive() {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			k.Client.Shutdown(ctx, false)
			cancel()
			select {
			case <-k.done:
			case <-time.After(5 * time.Second):
			}
		}
		k.kill()
		if k.Client != nil {
			k.Client.Close()
		}
		os.RemoveAll(k.tmpDir)
		if k.waitErr != nil && !errors.Is(k.waitErr, os.ErrProcessDone) {
			var ee *exec.ExitError
			if !errors.As(k.waitErr, &ee) {
				err = k.waitErr
			}
		}
	})
	return err
}

func (k *Kernel) kill() {
	if k.Alive() {
		syscall.Kill(-k.cmd.Process.Pid, syscall.SIGKILL)
		<-k.done
	}
	// Children that outlived the kernel (cell programs) share its group.
	syscall.Kill(-k.cmd.Process.Pid, syscall.SIGKILL)
}
