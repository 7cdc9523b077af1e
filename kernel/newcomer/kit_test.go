package newcomer

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/internal/assets"
	"github.com/founderlab/founderlab/internal/testenv"
	"github.com/founderlab/founderlab/kernel/install"
)

// kitNotebooks are the notebooks run from a kit install, with their quick
// parameters: one that reads a data set and one that needs the pretrained
// model. (Every chapter notebook is run by package notebooks; the README
// records a run of all of them from a kit.)
var kitNotebooks = map[string][]string{
	"02-personas.ipynb":               {"quick=true"},
	"06-bert-medical-diagnosis.ipynb": {"epochs=1", "trainLimit=48", "evalLimit=32", "maxLength=48", "loraRanks=4", "adapterSizes=8", "gridRanks=4", "gridLearningRates=5e-4,1e-3"},
}

// TestWorkshopKit packs a kit from this machine's caches (no network:
// GOPROXY=off, FOUNDERLAB_OFFLINE=1), installs it with `founderlab install
// --from` into an empty HOME with an empty Go module cache, no network and
// no data settings, and runs a data notebook and the BERT notebook with the
// installed kernel.
func TestWorkshopKit(t *testing.T) {
	clone, home := fresh(t)
	var names []string
	for _, c := range datasets.Cards() {
		names = append(names, c.Name)
	}
	data := testenv.RequireData(t, names...)
	models, err := assets.ModelsDir()
	if err != nil {
		t.Fatal(err)
	}
	if err := assets.MiniLM.Check(filepath.Join(models, assets.MiniLM.Dir)); err != nil {
		testenv.MissingData(t, "needs the pretrained model: "+err.Error())
	}
	root, _ := testenv.Root()
	tmp := t.TempDir()
	kit := filepath.Join(tmp, "kit.tar")
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Minute)
	defer cancel()
	run := func(env []string, name string, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir, cmd.Env, cmd.WaitDelay = clone, env, 10*time.Second
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, tailOf(out.String(), 4000))
		}
		t.Logf("%s %s: %.0fs", filepath.Base(name), strings.Join(args, " "), time.Since(start).Seconds())
		return out.String()
	}
	bin := filepath.Join(tmp, "founderlab")
	run(userEnv(t, home), "go", "build", "-o", bin, "./kernel/cmd/founderlab")

	// Pack on the "teacher's" machine: its data, model and Go module caches.
	pack := []string{"pack", "-o", kit}
	if _, err := os.Stat(filepath.Join(defaultWheels(t), assets.XLACPUWheel.Name)); err != nil {
		t.Logf("no cached XLA CPU plugin wheel: the kit leaves it out (--no-xla)")
		pack = append(pack, "--no-xla")
	}
	teacher := userEnv(t, t.TempDir(), "FOUNDERLAB_OFFLINE=1", "FOUNDERLAB_DATA="+data, "FOUNDERLAB_MODELS="+models,
		"FOUNDERLAB_PREFIX="+filepath.Dir(defaultWheels(t)), "FOUNDERLAB_ECHARTS_DIR="+filepath.Join(root, ".cache", "echarts"),
		"FOUNDERLAB_KATEX_DIR="+filepath.Join(root, ".cache", "katex"))
	t.Log(strings.TrimSpace(lastLine(run(teacher, bin, pack...))))
	st, err := os.Stat(kit)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("kit: %s", assets.FormatBytes(st.Size()))
	// Packing leaves the teacher's checkout as it was (it once added
	// lines to go.sum).
	if out := run(teacher, "git", "status", "--porcelain", "--untracked-files=no"); strings.TrimSpace(out) != "" {
		t.Errorf("pack changed the checkout:\n%s", out)
	}

	// Install on a learner's machine: nothing cached, no network.
	learner := userEnv(t, home, "FOUNDERLAB_OFFLINE=1")
	modcache := filepath.Join(tmp, "gomodcache")
	t.Cleanup(func() { install.RemoveModuleCache(modcache) }) // before TempDir's own cleanup
	for i, kv := range learner {
		if strings.HasPrefix(kv, "GOMODCACHE=") {
			learner[i] = "GOMODCACHE=" + modcache
		}
	}
	// The learner starts from the kit alone: its static founderlab.
	learnerBin := filepath.Join(tmp, "learner")
	os.Mkdir(learnerBin, 0o755)
	run(learner, "tar", "-xf", kit, "-C", learnerBin, "founderlab")
	run(learner, filepath.Join(learnerBin, "founderlab"), "install", "--from", kit)
	if _, err := os.Stat(filepath.Join(home, ".cache", "founderlab", "datasets", "movielens-small", "ratings.csv")); err != nil {
		t.Errorf("data sets not installed from the kit: %v", err)
	}
	installed := filepath.Join(home, ".local", "share", "founderlab", "bin", "founderlab")
	doctor := exec.CommandContext(ctx, installed, "doctor")
	doctor.Dir, doctor.Env = clone, learner
	out, _ := doctor.CombinedOutput()
	for _, want := range []string{"ok    data wholesale", "ok    model all-minilm-l6-v2"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("doctor after the kit install lacks %q:\n%s", want, out)
		}
	}
	for nb, params := range kitNotebooks {
		args := []string{"run", "--timeout", "20m"}
		for _, p := range params {
			args = append(args, "-p", p)
		}
		run(learner, installed, append(args, filepath.Join("notebooks", nb))...)
		checkRan(t, filepath.Join(clone, "notebooks", nb))
	}
}

// defaultWheels is where `founderlab install` keeps wheels for this user.
func defaultWheels(t *testing.T) string {
	if p := os.Getenv("FOUNDERLAB_PREFIX"); p != "" {
		return filepath.Join(p, "wheels")
	}
	h, err := os.UserHomeDir()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(h, ".local", "share", "founderlab", "wheels")
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	return s[strings.LastIndexByte(s, '\n')+1:]
}
