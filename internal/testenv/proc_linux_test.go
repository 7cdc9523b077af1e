package testenv

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCommandDiesWithTest starts this test binary as a helper that runs a
// long sleep through Env.Command, kills the helper as go test's -timeout
// would, and checks that the sleep does not outlive it.
func TestCommandDiesWithTest(t *testing.T) {
	if os.Getenv("TESTENV_HELPER") == "1" {
		e := &Env{Root: ".", Environ: os.Environ()}
		cmd := e.Command(context.Background(), "sleep", "60")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		os.Stdout.WriteString(strconv.Itoa(cmd.Process.Pid) + "\n")
		cmd.Wait()
		return
	}
	helper := exec.Command(os.Args[0], "-test.run=^TestCommandDiesWithTest$")
	helper.Env = append(os.Environ(), "TESTENV_HELPER=1")
	out, err := helper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		helper.Process.Kill()
		t.Fatalf("helper printed no pid: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		t.Fatalf("helper printed %q", line)
	}
	helper.Process.Kill()
	helper.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, ok := ReadProc(pid); !ok {
			break
		}
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("the helper's child %d still runs 5 s after the helper was killed", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
