package testenv

import (
	"os/exec"
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
