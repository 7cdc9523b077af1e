package hub

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
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
