package docker

import (
	"bufio"
	"bytes"
	"go/version"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
)

// root is the checkout: the parent of this package's directory.
const root = ".."

// dockerfiles are the image definitions checked statically.
var dockerfiles = []string{"Dockerfile", "Dockerfile.cuda"}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// instructions returns a Dockerfile's instructions with continuation lines
// joined and comments dropped.
func instructions(src string) []string {
	var out []string
	var cur strings.Builder
	sc := bufio.NewScanner(strings.NewReader(src))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") || (line == "" && cur.Len() == 0) {
			continue
		}
		if s, ok := strings.CutSuffix(line, "\\"); ok {
			cur.WriteString(strings.TrimSpace(s) + " ")
			continue
		}
		cur.WriteString(line)
		out = append(out, cur.String())
		cur.Reset()
	}
	return out
}

// args returns the default values of a Dockerfile's ARG instructions.
func args(src string) map[string]string {
	m := map[string]string{}
	for _, in := range instructions(src) {
		if rest, ok := strings.CutPrefix(in, "ARG "); ok {
			k, v, _ := strings.Cut(rest, "=")
			m[k] = v
		}
	}
	return m
}

func TestGoVersionSatisfiesGoMod(t *testing.T) {
	mf, err := modfile.ParseLax("go.mod", []byte(read(t, filepath.Join(root, "go.mod"))), nil)
	if err != nil {
		t.Fatal(err)
	}
	need := "go" + mf.Go.Version
	if mf.Toolchain != nil && version.Compare(mf.Toolchain.Name, need) > 0 {
		need = mf.Toolchain.Name
	}
	a := args(read(t, "Dockerfile"))
	got := "go" + a["GO_VERSION"]
	if !version.IsValid(got) || version.Compare(got, need) < 0 {
		t.Errorf("Dockerfile: GO_VERSION=%q; go.mod needs %s or newer", a["GO_VERSION"], need)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(a["GO_SHA256"]) {
		t.Errorf("Dockerfile: GO_SHA256=%q is not a sha256", a["GO_SHA256"])
	}
}

func TestNothingFloats(t *testing.T) {
	floating := regexp.MustCompile(`(?i)(@latest\b|:latest\b|--pre\b)`)
	for _, f := range append(dockerfiles, "requirements.txt", "cuda-requirements.txt", "start.sh") {
		for i, line := range strings.Split(read(t, f), "\n") {
			if floating.MatchString(line) {
				t.Errorf("%s:%d: floating version: %s", f, i+1, line)
			}
		}
	}
	for _, f := range dockerfiles {
		a := args(read(t, f))
		for _, in := range instructions(read(t, f)) {
			rest, ok := strings.CutPrefix(in, "FROM ")
			if !ok {
				continue
			}
			img := strings.Fields(rest)[0]
			if name, ok := strings.CutPrefix(img, "${"); ok {
				img = a[strings.TrimSuffix(name, "}")]
			}
			if img == "" || !strings.Contains(img, ":") && !strings.Contains(img, "@sha256:") && !isStage(read(t, f), img) {
				t.Errorf("%s: FROM %s has no tag", f, rest)
			}
		}
	}
}

// isStage reports whether name is a build stage of the Dockerfile src.
func isStage(src, name string) bool {
	for _, in := range instructions(src) {
		if f := strings.Fields(in); len(f) == 4 && f[0] == "FROM" && strings.EqualFold(f[2], "AS") && f[3] == name {
			return true
		}
	}
	return false
}

// pins parses a requirements file of name==version lines.
func pins(t *testing.T, path string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for i, line := range strings.Split(read(t, path), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		spec := strings.Fields(line)[0]
		name, v, ok := strings.Cut(spec, "==")
		if !ok || v == "" || strings.ContainsAny(v, "<>=*,") {
			t.Errorf("%s:%d: %q is not pinned with ==", path, i+1, spec)
			continue
		}
		m[normalize(name)] = v
	}
	return m
}

// normalize is PEP 503's normalisation of a Python package name.
func normalize(name string) string {
	return strings.ToLower(regexp.MustCompile(`[-_.]+`).ReplaceAllString(name, "-"))
}

func TestPythonPackagesPinned(t *testing.T) {
	got := pins(t, "requirements.txt")
	for _, want := range []string{"jupyterlab", "notebook", "jupyterhub", "jupyter-server", "nbconvert"} {
		if got[want] == "" {
			t.Errorf("requirements.txt: %s missing", want)
		}
	}
	// Every package the lab needs outside the image is in it.
	for _, line := range strings.Split(read(t, filepath.Join(root, "scripts", "jupyter-requirements.txt")), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name := regexp.MustCompile(`^[A-Za-z0-9_.-]+`).FindString(line)
		if got[normalize(name)] == "" {
			t.Errorf("requirements.txt lacks %s (scripts/jupyter-requirements.txt: %s)", name, line)
		}
	}
}

func TestCUDAWheelsPinnedWithHashes(t *testing.T) {
	got := pins(t, "cuda-requirements.txt")
	if got["jax-cuda12-pjrt"] == "" || got["nvidia-cuda-nvcc-cu12"] == "" || got["nvidia-cudnn-cu12"] == "" {
		t.Errorf("cuda-requirements.txt lacks the plugin, nvcc (ptxas) or cuDNN: %v", got)
	}
	hash := regexp.MustCompile(`--hash=sha256:[0-9a-f]{64}\b`)
	for i, line := range strings.Split(read(t, "cuda-requirements.txt"), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") && !hash.MatchString(line) {
			t.Errorf("cuda-requirements.txt:%d: no sha256: %s", i+1, line)
		}
	}
}

// TestCopiedFilesExist checks that every file a Dockerfile copies from the
// build context (the checkout's root) is there.
func TestCopiedFilesExist(t *testing.T) {
	for _, f := range dockerfiles {
		for _, in := range instructions(read(t, f)) {
			fields := strings.Fields(in)
			if len(fields) < 3 || fields[0] != "COPY" {
				continue
			}
			var srcs []string
			for _, x := range fields[1 : len(fields)-1] {
				if strings.HasPrefix(x, "--from=") {
					srcs = nil
					break
				}
				if !strings.HasPrefix(x, "--") {
					srcs = append(srcs, x)
				}
			}
			for _, s := range srcs {
				if _, err := os.Stat(filepath.Join(root, s)); err != nil {
					t.Errorf("%s: %s: %v", f, in, err)
				}
			}
		}
	}
}

func TestScriptsExecutable(t *testing.T) {
	for _, f := range []string{"start.sh", "test.sh"} {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode()&0o111 != 0o111 {
			t.Errorf("%s: mode %v, want executable", f, fi.Mode())
		}
	}
}

// TestBinderUsesTheCPUImage checks that Binder (repo2docker) builds the
// same definition as docker/Dockerfile.
func TestBinderUsesTheCPUImage(t *testing.T) {
	binder := filepath.Join(root, ".binder", "Dockerfile")
	target, err := os.Readlink(binder)
	if err != nil {
		t.Fatalf("%s is not a link to docker/Dockerfile: %v", binder, err)
	}
	if target != "../docker/Dockerfile" {
		t.Errorf("%s links to %s, want ../docker/Dockerfile", binder, target)
	}
	if !bytes.Equal([]byte(read(t, binder)), []byte(read(t, "Dockerfile"))) {
		t.Errorf("%s differs from docker/Dockerfile", binder)
	}
}

func TestInstructionsJoinsContinuations(t *testing.T) {
	got := instructions("# c\nFROM a AS b\nRUN x \\\n  && y\n\nCMD [\"z\"]\n")
	want := []string{"FROM a AS b", "RUN x && y", `CMD ["z"]`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("instructions = %q, want %q", got, want)
	}
}
