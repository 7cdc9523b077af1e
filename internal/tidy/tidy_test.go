package tidy

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/internal/testenv"
)

// TestGoModTidy fails when `go mod tidy` would change go.mod (a missing or
// unused requirement, a wrong // indirect mark) or add checksums to go.sum.
// Checksums that tidy would drop from go.sum are only logged: `go mod
// download`, which scripts/test-deps.sh runs, records some that tidy does not
// need, and they do no harm.
func TestGoModTidy(t *testing.T) {
	if testing.Short() {
		t.Skip("loads every package of the module and of its dependencies' tests; skipped in -short mode")
	}
	root, err := testenv.Root()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "mod", "tidy", "-diff")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -mod=mod"), "GOPROXY=off", "GOWORK=off")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if err == nil {
		return
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("go mod tidy -diff: %v", err)
	}
	if stdout.Len() == 0 {
		if strings.Contains(stderr.String(), "GOPROXY=off") {
			t.Skipf("go mod tidy needs modules that are not in the module cache (the tests of dependencies import them), "+
				"and this test does not download; run `go mod tidy -diff` once with network to fetch them:\n%s", lookupErrors(stderr.String(), 3))
		}
		t.Fatalf("go mod tidy -diff failed: %v\n%s", err, stderr.String())
	}
	goMod, missingSums, extraSums := splitDiff(stdout.String())
	if goMod != "" {
		t.Errorf("go mod tidy would change go.mod; run `go mod tidy` and commit go.mod and go.sum:\n%s", goMod)
	}
	if len(missingSums) > 0 {
		t.Errorf("go.sum lacks checksums that go mod tidy would add; run `go mod tidy`:\n%s", strings.Join(missingSums, "\n"))
	}
	if len(extraSums) > 0 {
		t.Logf("go.sum holds %d checksums that go mod tidy would drop (harmless)", len(extraSums))
	}
}

// splitDiff splits the unified diffs that `go mod tidy -diff` prints into
// the diff of go.mod, the go.sum lines tidy would add and those it would
// remove.
func splitDiff(diff string) (goMod string, added, removed []string) {
	var mod strings.Builder
	file := ""
	for _, line := range strings.SplitAfter(diff, "\n") {
		if name, ok := strings.CutPrefix(line, "diff "); ok {
			file = "go.sum"
			if strings.HasSuffix(strings.TrimSpace(name), "go.mod") {
				file = "go.mod"
			}
		}
		if file == "go.mod" {
			mod.WriteString(line)
			continue
		}
		switch {
		case strings.HasPrefix(line, "+++"), strings.HasPrefix(line, "---"):
		case strings.HasPrefix(line, "+"):
			added = append(added, strings.TrimSpace(line[1:]))
		case strings.HasPrefix(line, "-"):
			removed = append(removed, strings.TrimSpace(line[1:]))
		}
	}
	return mod.String(), added, removed
}

// lookupErrors returns the first n lines of stderr that name a module the
// go command could not look up offline, and how many there were.
func lookupErrors(stderr string, n int) string {
	var found []string
	for _, line := range strings.Split(stderr, "\n") {
		if strings.Contains(line, "GOPROXY=off") {
			found = append(found, strings.TrimSpace(line))
		}
	}
	if len(found) > n {
		found = append(found[:n], fmt.Sprintf("(%d in all)", len(found)))
	}
	return strings.Join(found, "\n")
}

func TestSplitDiff(t *testing.T) {
	diff := `diff current/go.mod tidy/go.mod
--- current/go.mod
+++ tidy/go.mod
@@ -3,6 +3,6 @@
-	example.com/a v1.0.0 // indirect
+	example.com/a v1.0.0
diff current/go.sum tidy/go.sum
--- current/go.sum
+++ tidy/go.sum
@@ -1,3 +1,3 @@
 example.com/a v1.0.0 h1:x=
-example.com/b v1.0.0/go.mod h1:y=
+example.com/c v1.0.0 h1:z=
`
	mod, added, removed := splitDiff(diff)
	if !strings.HasPrefix(mod, "diff current/go.mod") || !strings.Contains(mod, "+\texample.com/a v1.0.0\n") || strings.Contains(mod, "go.sum") {
		t.Errorf("go.mod diff:\n%s", mod)
	}
	if len(added) != 1 || added[0] != "example.com/c v1.0.0 h1:z=" {
		t.Errorf("added %q", added)
	}
	if len(removed) != 1 || removed[0] != "example.com/b v1.0.0/go.mod h1:y=" {
		t.Errorf("removed %q", removed)
	}
	if mod, added, removed := splitDiff("diff current/go.sum tidy/go.sum\n--- current/go.sum\n+++ tidy/go.sum\n-x h1:a=\n"); mod != "" || added != nil || len(removed) != 1 {
		t.Errorf("go.sum-only diff: %q %q %q", mod, added, removed)
	}
}
