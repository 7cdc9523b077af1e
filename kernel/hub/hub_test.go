package hub

import (
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseBytes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true},
		{"1048576", 1 << 20, true},
		{"512MiB", 512 << 20, true},
		{"2GiB", 2 << 30, true},
		{"1.5G", 3 << 29, true},
		{" 64 K ", 64 << 10, true},
		{"-1", 0, false},
		{"lots", 0, false},
		{"9999999999G", 0, false},
	} {
		got, err := ParseBytes(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestLimitsFlagsRoundTrip(t *testing.T) {
	want := Limits{Memory: 768 << 20, CPUs: 0.5, CPUTime: 90 * time.Second, Group: "g"}
	var got Limits
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	got.RegisterFlags(fs)
	if err := fs.Parse(want.Flags()); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("round trip: got %+v, want %+v", got, want)
	}
}

func TestValidate(t *testing.T) {
	good := Config{StateDir: "s", Venv: "v", Proxy: "p", Founderlab: "f", Notebooks: "n", Port: 8000, Password: "12345678"}
	if err := good.Validate(); err != nil {
		t.Fatalf("good config: %v", err)
	}
	for name, mutate := range map[string]func(*Config){
		"short password": func(c *Config) { c.Password = "short" },
		"no state":       func(c *Config) { c.StateDir = "" },
		"port":           func(c *Config) { c.Port = 70000 },
		"negative limit": func(c *Config) { c.Limits.Memory = -1 },
		"group with /":   func(c *Config) { c.Limits.Group = "a/b" },
	} {
		c := good
		mutate(&c)
		if err := c.Validate(); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: got %v, want ErrConfig", name, err)
		}
	}
}

func TestWriteConfig(t *testing.T) {
	dir := t.TempDir()
	c := &Config{StateDir: dir, Venv: "/v", Proxy: "/p/chp", Founderlab: "/bin/founderlab", Notebooks: "/nb",
		Port: 8123, Password: `pa"ss'word\`, Limits: Limits{Memory: 1 << 30, CPUs: 1, CPUTime: time.Minute},
		Env: map[string]string{"GOCACHE": "/cache/go-build"}}
	p, err := WriteConfig(c)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{
		`c.JupyterHub.bind_url = "http://127.0.0.1:8123/"`,
		`c.DummyAuthenticator.password = "pa\"ss'word\\"`,
		`c.JupyterHub.spawner_class = 'jupyterhub.spawner.SimpleLocalProcessSpawner'`,
		`c.SimpleLocalProcessSpawner.home_dir_template = "` + filepath.Join(dir, "learners") + `/{username}"`,
		`"/bin/founderlab","hub","learner","--notebooks","/nb","--memory","1073741824"`,
		`"--","/v/bin/jupyterhub-singleuser"]`,
		`"GOCACHE":"/cache/go-build"`,
		`c.Spawner.mem_limit = 1073741824`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("config lacks %s\n%s", want, s)
		}
	}
	if info, _ := os.Stat(p); info.Mode().Perm() != 0o600 {
		t.Errorf("config mode %v: it holds the password, want 0600", info.Mode().Perm())
	}
}

func TestSeedNotebooksKeepsLearnersWork(t *testing.T) {
	src, home := t.TempDir(), t.TempDir()
	files := map[string]string{
		"00-welcome.ipynb":     "course",
		"data/notes.txt":       "data",
		"notebooks_test.go":    "package notebooks",
		".ipynb_checkpoints/x": "hidden",
	}
	for name, body := range files {
		p := filepath.Join(src, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	n, err := SeedNotebooks(src, home)
	if err != nil || n != 2 {
		t.Fatalf("first seed: %d files, %v; want 2", n, err)
	}
	mine := filepath.Join(home, "notebooks", "00-welcome.ipynb")
	if err := os.WriteFile(mine, []byte("learner's work"), 0o644); err != nil {
		t.Fatal(err)
	}
	if n, err := SeedNotebooks(src, home); err != nil || n != 0 {
		t.Fatalf("second seed: %d files, %v; want 0", n, err)
	}
	if b, _ := os.ReadFile(mine); string(b) != "learner's work" {
		t.Errorf("learner's notebook overwritten: %q", b)
	}
	for _, gone := range []string{"notebooks_test.go", ".ipynb_checkpoints"} {
		if _, err := os.Stat(filepath.Join(home, "notebooks", gone)); err == nil {
			t.Errorf("%s was copied", gone)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(home, "notebooks", "data", "notes.txt")); string(b) != "data" {
		t.Errorf("data/notes.txt: %q", b)
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{"ada": "ada", "a/b": "a_b", "..": "_..", "李": "___", "x.y-z_1": "x.y-z_1"} {
		if got := safeName(in); got != want {
			t.Errorf("safeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEnforcedString(t *testing.T) {
	e := Enforced{CPUTime: true, CgroupErr: errors.New("read-only file system")}
	want := "limits in force: CPU time per process; control groups unavailable: read-only file system"
	if got := e.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestPinsAgree checks that the proxy scripts/test-deps.sh installs is the
// one EnsureProxy installs, and that JupyterHub is pinned exactly.
func TestPinsAgree(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"../../scripts/test-deps.sh", ProxyPackage},
		{"../../scripts/test-deps.sh", Requirements},
		{"../../" + Requirements, "jupyterhub=="},
	} {
		b, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), tc.want) {
			t.Errorf("%s does not mention %s", tc.file, tc.want)
		}
	}
}

func TestServerPorts(t *testing.T) {
	for _, tc := range []struct{ low, base, span int }{
		{32768, 22768, 10000},
		{49152, 39152, 10000},
		{5000, 1024, 3976},
		{1500, 20000, 10000},
	} {
		if b, s := serverPorts(tc.low); b != tc.base || s != tc.span {
			t.Errorf("serverPorts(%d) = %d, %d; want %d, %d", tc.low, b, s, tc.base, tc.span)
		}
	}
}

// TestServerPortHook runs the config's pre-spawn hook in Python, as
// JupyterHub does: thirty learners get thirty different ports, all below
// the ephemeral range, and a port already taken is skipped.
func TestServerPortHook(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3")
	}
	dir := t.TempDir()
	c := &Config{StateDir: dir, Venv: "/v", Proxy: "/p/chp", Founderlab: "/bin/founderlab", Notebooks: "/nb",
		Port: 8123, Password: "a-long-password", Limits: DefaultLimits()}
	p, err := WriteConfig(c)
	if err != nil {
		t.Fatal(err)
	}
	base, span := serverPorts(ephemeralLow())
	// Occupy the port the first learner would get, to see it skipped.
	script := `
import socket, sys, types
class C:
    def __getattr__(self, k):
        v = C(); object.__setattr__(self, k, v); return v
c = C()
g = {"get_config": lambda: c}
exec(open(sys.argv[1]).read(), g)
hook = c.Spawner.pre_spawn_hook
ports = []
taken = None
for uid in range(1, 31):
    sp = types.SimpleNamespace(user=types.SimpleNamespace(id=uid), port=0)
    hook(sp)
    if uid == 1:
        taken = socket.socket(); taken.bind(("", sp.port)); first = sp.port
        sp2 = types.SimpleNamespace(user=types.SimpleNamespace(id=1), port=0)
        hook(sp2)
        print("retaken", sp2.port != first)
    ports.append(sp.port)
print("ports", " ".join(map(str, ports)))
`
	out, err := exec.Command(py, "-c", script, p).CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	var ports []int
	seen := map[int]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		switch f[0] {
		case "retaken":
			if f[1] != "True" {
				t.Errorf("a learner whose port is taken got it again")
			}
		case "ports":
			for _, s := range f[1:] {
				n, _ := strconv.Atoi(s)
				ports = append(ports, n)
			}
		}
	}
	if len(ports) != 30 {
		t.Fatalf("hook gave %d ports, want 30:\n%s", len(ports), out)
	}
	for _, n := range ports {
		if n < base || n >= base+span || n >= ephemeralLow() {
			t.Errorf("port %d outside [%d, %d) or in the ephemeral range", n, base, base+span)
		}
		if seen[n] {
			t.Errorf("port %d given twice", n)
		}
		seen[n] = true
	}
}
