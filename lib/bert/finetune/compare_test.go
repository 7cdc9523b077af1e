package finetune

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/founderlab/founderlab/lib/metrics"
	mlctx "github.com/gomlx/gomlx/pkg/ml/context"
)

func TestParseVariant(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Variant
		name string
	}{
		{"full", Variant{Method: MethodFull}, "full"},
		{"lora-r8", Variant{Method: MethodLoRA, Size: 8}, "lora-r8"},
		{" adapter-m64 ", Variant{Method: MethodAdapter, Size: 64}, "adapter-m64"},
		{"lora-r4@5e-4", Variant{Method: MethodLoRA, Size: 4, LearningRate: 5e-4}, "lora-r4@0.0005"},
		{"full@2e-5", Variant{Method: MethodFull, LearningRate: 2e-5}, "full@2e-05"},
		{"lora-r8+pooler@1e-3", Variant{Method: MethodLoRA, Size: 8, Pooler: true, LearningRate: 1e-3}, "lora-r8+pooler@0.001"},
	} {
		got, err := ParseVariant(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseVariant(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
			continue
		}
		if got.String() != c.name {
			t.Errorf("%+v.String() = %q, want %q", got, got.String(), c.name)
		}
		if back, err := ParseVariant(got.String()); err != nil || back != got {
			t.Errorf("ParseVariant(%q) = %+v, %v; want the variant back", got.String(), back, err)
		}
	}
	for _, bad := range []string{"", "lora", "lora-r0", "lora-rx", "adapter-m-1", "prefix-8", "lora-r8@", "lora-r8@-1", "full@inf", "lora-r+pooler", "adapter-m8+pooler", "lora-r8+pool"} {
		if v, err := ParseVariant(bad); !errors.Is(err, ErrVariant) {
			t.Errorf("ParseVariant(%q) = %+v, %v; want ErrVariant", bad, v, err)
		}
	}
}

func TestVariantApply(t *testing.T) {
	base := DefaultOptions()
	o, err := Variant{Method: MethodLoRA, Size: 8, LearningRate: 1e-3}.Apply(base)
	if err != nil || o.LoRA == nil || o.LoRA.Rank != 8 || o.Adapter != nil || o.LearningRate != 1e-3 {
		t.Errorf("lora-r8@1e-3: %+v, %v", o, err)
	}
	if p, err := (Variant{Method: MethodLoRA, Size: 8, Pooler: true}).Apply(base); err != nil || !p.LoRA.TrainPooler {
		t.Errorf("lora-r8+pooler: %+v, %v; want TrainPooler", p.LoRA, err)
	}
	o, err = Variant{Method: MethodAdapter, Size: 16}.Apply(o)
	if err != nil || o.Adapter == nil || o.Adapter.Size != 16 || o.LoRA != nil || o.LearningRate != 1e-3 {
		t.Errorf("adapter-m16 over lora: %+v, %v", o, err)
	}
	if _, err := (Variant{Method: MethodAdapter}).Apply(base); !errors.Is(err, ErrVariant) {
		t.Errorf("adapter without size: %v, want ErrVariant", err)
	}
	if _, err := (Variant{Method: 9}).Apply(base); !errors.Is(err, ErrVariant) {
		t.Errorf("unknown method: %v, want ErrVariant", err)
	}
	if g := Grid([]int{4, 8}, []float64{1e-4, 1e-3, 1e-2}); len(g) != 6 || g[5] != (Variant{Method: MethodLoRA, Size: 8, LearningRate: 1e-2}) {
		t.Errorf("Grid = %v", g)
	}
}

func TestSummarize(t *testing.T) {
	rep := func(acc float64) *metrics.Report { return &metrics.Report{Accuracy: acc, F1: acc / 2} }
	trials := []Trial{
		{Variant: "full", Seed: 1, TrainableParams: 100, StepSeconds: 3, PeakRSSMB: 900, Dev: metrics.Report{Accuracy: 0.9}, Test: rep(0.90)},
		{Variant: "lora-r8", Seed: 1, TrainableParams: 10, StepSeconds: 2, PeakRSSMB: 500, Dev: metrics.Report{Accuracy: 0.8}, Test: rep(0.80)},
		{Variant: "full", Seed: 2, TrainableParams: 100, StepSeconds: 5, PeakRSSMB: 950, Dev: metrics.Report{Accuracy: 0.7}, Test: rep(0.94)},
		{Variant: "full", Seed: 3, TrainableParams: 100, StepSeconds: 4, PeakRSSMB: 920, Dev: metrics.Report{Accuracy: 0.8}, Test: rep(0.92)},
	}
	s := Summarize(trials)
	if len(s) != 2 || s[0].Variant != "full" || s[1].Variant != "lora-r8" {
		t.Fatalf("Summarize = %+v, want full then lora-r8", s)
	}
	f := s[0]
	if f.StepSeconds != 4 || f.PeakRSSMB != 950 || len(f.Seeds) != 3 || f.TrainableParams != 100 {
		t.Errorf("full: %+v", f)
	}
	if math.Abs(f.TestAcc.Mean-0.92) > 1e-12 || math.Abs(f.TestAcc.Std-0.02) > 1e-12 || f.TestAcc.Min != 0.90 || f.TestAcc.Max != 0.94 {
		t.Errorf("full test accuracy %+v, want mean 0.92 std 0.02 in [0.90, 0.94]", f.TestAcc)
	}
	if math.Abs(f.DevAcc.Mean-0.8) > 1e-12 || math.Abs(f.DevAcc.Std-0.1) > 1e-12 {
		t.Errorf("full dev accuracy %+v, want 0.8 ± 0.1", f.DevAcc)
	}
	if got := f.TestAcc.String(); got != "0.920 ± 0.020 (n=3)" {
		t.Errorf("spread String = %q", got)
	}
	if got := s[1].TestAcc.String(); got != "0.800 (n=1)" {
		t.Errorf("one-seed String = %q", got)
	}
	row := s[1].Row(1000)
	if row[1] != "10 (1.00 %)" || row[2] != "2000" || row[3] != "500" || row[7] != "1" {
		t.Errorf("Row = %q", row)
	}
	if row := (Summary{Variant: "full"}).Row(0); row[3] != "—" || row[1] != "0" {
		t.Errorf("Row without peak memory = %q", row)
	}
}

// TestRunTrial runs a LoRA trial of the tiny model and checks its record
// against the trainer's own count, the history and the run directory.
func TestRunTrial(t *testing.T) {
	train, dev := synthetic(48, 1), synthetic(16, 2)
	o := testOptions("")
	o.Epochs, o.LogDir = 2, t.TempDir()
	v := Variant{Method: MethodLoRA, Size: 2, LearningRate: 1e-2}
	var steps int
	tr, err := RunTrial(context.Background(), testBackend(t), tinyConfig(), mlctx.New(), o, v, train, dev, dev, func(e Event) {
		if e.Kind == EventStep {
			steps++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := 2*2*(2*16+16*2) + 16*2 + 2; tr.TrainableParams != want {
		t.Errorf("TrainableParams %d, want %d", tr.TrainableParams, want)
	}
	if steps != 12 || tr.StepSeconds <= 0 || tr.Seconds < tr.StepSeconds*float64(steps-2) {
		t.Errorf("%d steps, median %.4f s, trial %.3f s", steps, tr.StepSeconds, tr.Seconds)
	}
	if tr.BestEpoch < 1 || tr.Test == nil || tr.Dev.N != 16 || tr.Test.Accuracy != tr.Dev.Accuracy {
		t.Errorf("best epoch %d, dev %+v, test %+v (dev and test are the same set)", tr.BestEpoch, tr.Dev, tr.Test)
	}
	if tr.Variant != "lora-r2@0.01" || tr.LearningRate != 1e-2 || tr.Seed != o.Seed {
		t.Errorf("variant %q lr %g seed %d", tr.Variant, tr.LearningRate, tr.Seed)
	}
	if want := filepath.Join(o.LogDir, "lora-r2-lr0.01-seed7"); tr.LogDir != want {
		t.Errorf("LogDir %q, want %q", tr.LogDir, want)
	}
	if sec, err := MedianStepSeconds(tr.LogDir); err != nil || sec <= 0 {
		t.Errorf("event files in %s: %v, %v", tr.LogDir, sec, err)
	}
	if _, err := os.Stat("/proc/self/status"); err == nil && tr.PeakRSSMB <= 0 {
		t.Errorf("PeakRSSMB %g on Linux", tr.PeakRSSMB)
	}
}

// TestTrialFiles round-trips trials through WriteTrials and ReadTrials and
// rebuilds a trial with TrialOf from a run's history and log directory.
func TestTrialFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "trials.json")
	if ts, err := ReadTrials(path); ts != nil || err != nil {
		t.Errorf("missing file: %v, %v; want nil, nil", ts, err)
	}
	o := testOptions("")
	o.Epochs, o.LogDir = 2, filepath.Join(dir, "runs")
	train, dev := synthetic(32, 1), synthetic(16, 2)
	tr, err := RunTrial(context.Background(), testBackend(t), tinyConfig(), mlctx.New(), o, Variant{Method: MethodAdapter, Size: 2}, train, dev, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteTrials(path, []Trial{tr, tr}); err != nil {
		t.Fatal(err)
	}
	back, err := ReadTrials(path)
	if err != nil || len(back) != 2 || back[1].Name() != tr.Name() || back[1].Dev.Accuracy != tr.Dev.Accuracy || back[1].TrainableParams != tr.TrainableParams {
		t.Errorf("ReadTrials = %+v, %v", back, err)
	}
	os.WriteFile(path, []byte("{"), 0o644)
	if _, err := ReadTrials(path); err == nil {
		t.Error("ReadTrials of broken JSON succeeded")
	}
	// The same run rebuilt from its history and event files.
	o.LogDir = filepath.Join(dir, "full")
	full := newTrainer(t, o)
	h, err := full.Fit(context.Background(), train, dev, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := TrialOf("full", o.Seed, h, o.LogDir)
	if err != nil {
		t.Fatal(err)
	}
	if got.TrainableParams != full.TrainableParams() || got.StepSeconds <= 0 || got.Dev.Accuracy != h.Epochs[h.BestEpoch-1].Dev.Accuracy || got.Dev.N != 16 {
		t.Errorf("TrialOf = %+v; trainable %d, history %+v", got, full.TrainableParams(), h)
	}
	if _, err := TrialOf("none", 1, History{}, o.LogDir); err == nil {
		t.Error("TrialOf of an empty history succeeded")
	}
	if _, err := TrialOf("full", 1, h, filepath.Join(dir, "nowhere")); err == nil {
		t.Error("TrialOf of a missing log directory succeeded")
	}
}
