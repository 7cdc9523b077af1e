package hub

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/founderlab/founderlab/internal/atomicfile"
)

// Requirements is the pip requirements file, relative to the checkout,
// that pins JupyterHub and the learners' JupyterLab.
const Requirements = "scripts/hub-requirements.txt"

// ProxyPackage is the pinned npm package of JupyterHub's proxy.
const ProxyPackage = "configurable-http-proxy@5.3.0"

// ErrConfig is wrapped by the errors of [Config.Validate].
var ErrConfig = errors.New("hub: bad configuration")

// Config describes one workshop hub.
type Config struct {
	// StateDir holds the hub's database, cookie secret, configuration
	// file and, under learners/, every learner's home directory.
	StateDir string
	// Venv is the virtual environment with jupyterhub and
	// jupyterhub-singleuser (scripts/hub-requirements.txt).
	Venv string
	// Proxy is the configurable-http-proxy executable.
	Proxy string
	// Founderlab is the founderlab executable, which starts each
	// learner's server ("founderlab hub learner").
	Founderlab string
	// Notebooks is the directory copied into each learner's home.
	Notebooks string
	// IP and Port are where the hub listens; "" means 127.0.0.1.
	IP   string
	Port int
	// Password is the workshop's shared password (at least 8 bytes).
	Password string
	// Limits confine each learner's server.
	Limits Limits
	// Env is added to every learner's environment (shared caches; see
	// [SharedEnv]).
	Env map[string]string
	// Debug turns on JupyterHub's debug log.
	Debug bool
}

// MinPassword is the shortest shared password [Config.Validate] accepts.
const MinPassword = 8

// Validate reports the first problem of c, wrapping [ErrConfig].
func (c *Config) Validate() error {
	switch {
	case c.StateDir == "":
		return fmt.Errorf("%w: no state directory", ErrConfig)
	case c.Venv == "":
		return fmt.Errorf("%w: no virtual environment", ErrConfig)
	case c.Proxy == "":
		return fmt.Errorf("%w: no configurable-http-proxy", ErrConfig)
	case c.Founderlab == "":
		return fmt.Errorf("%w: no founderlab executable", ErrConfig)
	case c.Notebooks == "":
		return fmt.Errorf("%w: no notebooks directory", ErrConfig)
	case c.Port <= 0 || c.Port > 65535:
		return fmt.Errorf("%w: port %d out of range", ErrConfig, c.Port)
	case len(c.Password) < MinPassword:
		return fmt.Errorf("%w: the shared password must have at least %d characters", ErrConfig, MinPassword)
	}
	return c.Limits.Validate()
}

func (c *Config) ip() string {
	if c.IP == "" {
		return "127.0.0.1"
	}
	return c.IP
}

// URL is the hub's public address.
func (c *Config) URL() string {
	return fmt.Sprintf("http://%s/", net.JoinHostPort(c.ip(), fmt.Sprint(c.Port)))
}

// LearnersDir is the directory holding the learners' home directories.
func (c *Config) LearnersDir() string { return filepath.Join(c.StateDir, "learners") }

// Home is the home directory of the learner called name.
func (c *Config) Home(name string) string { return filepath.Join(c.LearnersDir(), name) }

// ConfigFile is where [WriteConfig] writes jupyterhub_config.py.
func (c *Config) ConfigFile() string { return filepath.Join(c.StateDir, "jupyterhub_config.py") }

// LearnerCommand is the command JupyterHub runs for each learner's server
// (JupyterHub appends the server's own arguments).
func (c *Config) LearnerCommand() []string {
	argv := []string{c.Founderlab, "hub", "learner", "--notebooks", c.Notebooks}
	argv = append(argv, c.Limits.Flags()...)
	return append(argv, "--", filepath.Join(c.Venv, "bin", "jupyterhub-singleuser"))
}

// py renders v as a Python literal: strings and lists of strings (JSON
// string syntax is Python's), numbers, booleans.
func py(v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "True"
		}
		return "False"
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// WriteConfig writes c's jupyterhub_config.py into c.StateDir (atomically),
// choosing free loopback ports for the hub's internal API and the proxy's
// API, and returns its path.
func WriteConfig(c *Config) (string, error) {
	if err := c.Validate(); err != nil {
		return "", err
	}
	if err := os.MkdirAll(c.LearnersDir(), 0o755); err != nil {
		return "", fmt.Errorf("hub: state directory: %w", err)
	}
	hubPort, err := freePort()
	if err != nil {
		return "", err
	}
	apiPort, err := freePort()
	if err != nil {
		return "", err
	}
	env := map[string]string{}
	for k, v := range c.Env {
		env[k] = v
	}
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("# Written by founderlab hub; changes are overwritten at the next start.")
	w("c = get_config()  # noqa")
	w("c.JupyterHub.bind_url = %s", py(c.URL()))
	w("c.JupyterHub.hub_bind_url = %s", py(fmt.Sprintf("http://127.0.0.1:%d", hubPort)))
	w("c.ConfigurableHTTPProxy.api_url = %s", py(fmt.Sprintf("http://127.0.0.1:%d", apiPort)))
	w("c.ConfigurableHTTPProxy.command = [%s]", py(c.Proxy))
	w("c.JupyterHub.db_url = %s", py("sqlite:///"+filepath.Join(c.StateDir, "jupyterhub.sqlite")))
	w("c.JupyterHub.cookie_secret_file = %s", py(filepath.Join(c.StateDir, "jupyterhub_cookie_secret")))
	w("c.JupyterHub.pid_file = %s", py(filepath.Join(c.StateDir, "jupyterhub.pid")))
	w("c.JupyterHub.cleanup_servers = True")
	w("c.JupyterHub.authenticator_class = 'dummy'")
	w("c.DummyAuthenticator.password = %s", py(c.Password))
	w("c.Authenticator.allow_all = True")
	w("c.JupyterHub.spawner_class = 'jupyterhub.spawner.SimpleLocalProcessSpawner'")
	w("c.SimpleLocalProcessSpawner.home_dir_template = %s", py(filepath.Join(c.LearnersDir(), "{username}")))
	w("c.Spawner.cmd = %s", py(c.LearnerCommand()))
	w("c.Spawner.default_url = '/lab/tree/notebooks/00-welcome.ipynb'")
	w("c.Spawner.environment = %s", py(env))
	if os.Geteuid() == 0 {
		w("c.Spawner.args = ['--allow-root']  # containers and CI run as root")
	}
	// Twenty servers starting at once on two busy cores took more than 300 s
	// (bench/workshop); JupyterHub gives up on a server after these.
	w("c.Spawner.start_timeout = 900")
	w("c.Spawner.http_timeout = 900")
	if c.Limits.Memory > 0 {
		// Informational for LocalProcessSpawner (it sets MEM_LIMIT);
		// "founderlab hub learner" enforces it.
		w("c.Spawner.mem_limit = %d", c.Limits.Memory)
	}
	// Each server listens on a port below the system's ephemeral range. By
	// default JupyterHub picks a free ephemeral port and the server binds
	// it seconds later (Python's start-up; a minute when twenty start at
	// once), while the learners' kernels take their five ports each from
	// the same range the same way: under load a kernel took a server's
	// port and the server never came up (bench/workshop, 20 learners).
	// Ports below the range are never handed out by the system.
	base, span := serverPorts(ephemeralLow())
	w("import socket as _socket")
	w("def _founderlab_server_port(spawner):")
	w("    # A port in [%d, %d) below the ephemeral range, one per learner,", base, base+span)
	w("    # the first free one from the learner's own.")
	w("    for k in range(%d):", span)
	w("        port = %d + (spawner.user.id + %d + k) %% %d", base, hubPort, span)
	w("        with _socket.socket() as s:")
	w("            try:")
	w("                s.bind(('', port))")
	w("            except OSError:")
	w("                continue")
	w("        spawner.port = port")
	w("        return")
	w("c.Spawner.pre_spawn_hook = _founderlab_server_port")
	w("c.JupyterHub.log_level = %s", py(map[bool]string{true: "DEBUG", false: "INFO"}[c.Debug]))
	p := c.ConfigFile()
	if err := atomicfile.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		return "", fmt.Errorf("hub: %w", err)
	}
	return p, nil
}

// ephemeralLow returns the lowest port of the system's ephemeral range
// (Linux's ip_local_port_range), or 32768 where it cannot be read.
func ephemeralLow() int {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 32768
	}
	f := strings.Fields(string(b))
	if len(f) != 2 {
		return 32768
	}
	n, err := strconv.Atoi(f[0])
	if err != nil {
		return 32768
	}
	return n
}

// serverPorts returns the ports [base, base+span) for learners' servers,
// below the ephemeral range starting at low and above the privileged
// ports.
func serverPorts(low int) (base, span int) {
	const want = 10000
	if low-want >= 1024 {
		return low - want, want
	}
	if low > 2048 {
		return 1024, low - 1024
	}
	return 20000, want // an unusual range: leave it to the bind check
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("hub: no free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// FreePort returns a loopback TCP port that was free a moment ago, for a
// hub's Config.Port.
func FreePort() (int, error) { return freePort() }

// NewPassword returns a random shared password of 16 hex digits.
func NewPassword() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Hub is a running JupyterHub.
type Hub struct {
	cfg  *Config
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

// Start writes c's configuration, starts JupyterHub with its output going
// to log (nil discards it) and waits until the hub's REST API answers or
// ctx ends. Stop the hub with [Hub.Close].
func Start(ctx context.Context, c *Config, log io.Writer) (*Hub, error) {
	conf, err := WriteConfig(c)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = io.Discard
	}
	exe := filepath.Join(c.Venv, "bin", "jupyterhub")
	if _, err := os.Stat(exe); err != nil {
		return nil, fmt.Errorf("hub: %w (create the environment with pip install -r %s)", err, Requirements)
	}
	cmd := exec.Command(exe, "-f", conf)
	cmd.Dir = c.StateDir
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// A learner's kernel that outlives its server keeps the log pipe
	// open; Wait must not wait for it.
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("hub: starting jupyterhub: %w", err)
	}
	h := &Hub{cfg: c, cmd: cmd, done: make(chan struct{})}
	go func() { h.err = cmd.Wait(); close(h.done) }()
	if err := h.waitReady(ctx); err != nil {
		h.Close()
		return nil, err
	}
	return h, nil
}

// URL is the hub's public address.
func (h *Hub) URL() string { return h.cfg.URL() }

// Config is the configuration the hub was started with.
func (h *Hub) Config() *Config { return h.cfg }

// Done is closed when the hub process has exited.
func (h *Hub) Done() <-chan struct{} { return h.done }

func (h *Hub) waitReady(ctx context.Context) error {
	url := h.URL() + "hub/api/"
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("hub: waiting for %s: %w", url, ctx.Err())
		case <-h.done:
			return fmt.Errorf("hub: jupyterhub exited while starting: %v", h.err)
		case <-tick.C:
		}
	}
}

// Close stops the hub: JupyterHub stops the learners' servers and the
// proxy on SIGTERM; whatever is left of the hub's process group after 60
// seconds is killed, and so is whatever is left in the learners' control
// groups (kernels that outlived their servers; see [Release]).
func (h *Hub) Close() error {
	select {
	case <-h.done:
	default:
		h.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-h.done:
		case <-time.After(60 * time.Second):
			syscall.Kill(-h.cmd.Process.Pid, syscall.SIGKILL)
			<-h.done
		}
	}
	return Release(h.cfg.Limits.group())
}
