package labtest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/founderlab/founderlab/internal/testenv"
)

// Chromium is Debian's Chromium binary.
const Chromium = "/usr/bin/chromium"

// Browser starts headless Chromium with the flags this project's machines
// need and returns a chromedp context; cancel stops the browser.
func Browser(ctx context.Context, userDataDir string) (context.Context, context.CancelFunc) {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Chromium),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(userDataDir),
		chromedp.WindowSize(1400, 1800),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	return bctx, func() { cancelBrowser(); cancelAlloc() }
}

// FreePort returns a free TCP port on loopback.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Server is a running Jupyter server.
type Server struct {
	URL, Token string
	cmd        *exec.Cmd
	log        *os.File
	exited     chan struct{}
}

// StartJupyter starts a Jupyter server program (jupyter-lab, or
// jupyter-notebook) on loopback serving rootDir, with env, and waits until
// it answers.
func StartJupyter(ctx context.Context, program, rootDir string, env []string, logPath string, extra ...string) (*Server, error) {
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	token := fmt.Sprintf("t%d", time.Now().UnixNano())
	args := []string{"--no-browser", "--ip=127.0.0.1", fmt.Sprintf("--port=%d", port)}
	if strings.HasSuffix(program, "jupyter-notebook") && isNB6(program) {
		args = append(args, "--NotebookApp.token="+token, "--notebook-dir="+rootDir)
	} else {
		args = append(args, "--ServerApp.token="+token, "--ServerApp.root_dir="+rootDir,
			"--ServerApp.disable_check_xsrf=True", "--LabApp.expose_app_in_browser=True")
	}
	if os.Geteuid() == 0 {
		args = append(args, "--allow-root") // CI and containers run as root
	}
	args = append(args, extra...)
	cmd := exec.CommandContext(ctx, program, args...)
	cmd.Env = env
	// When ctx ends, stop it as Stop does, so that its kernels stop too.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 20 * time.Second
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", program, err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	s := &Server{URL: fmt.Sprintf("http://127.0.0.1:%d", port), Token: token, cmd: cmd, log: log, exited: exited}
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			b, _ := os.ReadFile(logPath)
			return nil, fmt.Errorf("%s exited:\n%s", program, b)
		default:
		}
		resp, err := http.Get(s.URL + "/api/status?token=" + token)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s, nil
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	s.Stop()
	b, _ := os.ReadFile(logPath)
	return nil, fmt.Errorf("%s did not answer within 90s:\n%s", program, b)
}

func isNB6(program string) bool {
	_, err := os.Stat(filepath.Join(filepath.Dir(program), "jupyter-lab"))
	return err != nil
}

// Stop stops the server with SIGTERM, on which Jupyter shuts down its
// kernels before it exits (a single SIGINT only asks for confirmation on a
// terminal, and without one the server carries on, so killing it after that
// left every kernel it had started running). It returns an error naming the
// server's processes that outlived it (kernels, language servers), after
// killing them.
func (s *Server) Stop() error {
	defer s.log.Close()
	if s.cmd.Process == nil {
		return nil
	}
	procs := testenv.Descendants(s.cmd.Process.Pid)
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
	}
	var left []string
	for _, p := range testenv.WaitGone(procs, 10*time.Second) {
		syscall.Kill(p.PID, syscall.SIGKILL)
		left = append(left, fmt.Sprintf("%d (%s)", p.PID, p.Name))
	}
	if len(left) > 0 {
		return fmt.Errorf("labtest: processes of the Jupyter server outlived it: %s", strings.Join(left, ", "))
	}
	return nil
}

// Artifact returns the path for a test artifact (screenshots): under
// $FOUNDERLAB_ARTIFACTS if set, else under fallbackDir.
func Artifact(fallbackDir, name string) string {
	dir := os.Getenv("FOUNDERLAB_ARTIFACTS")
	if dir == "" {
		dir = fallbackDir
	}
	os.MkdirAll(dir, 0o755)
	return filepath.Join(dir, name)
}
