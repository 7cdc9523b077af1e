package finetune

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/founderlab/founderlab/lib/tensorboard"
)

// TestLogDir trains a tiny model with Options.LogDir and reads the event
// file back: every step's loss, learning rate and gradient norm and every
// epoch's metrics are there, equal (to float32 precision) to what the
// progress events and the history report.
func TestLogDir(t *testing.T) {
	train, dev, test := synthetic(40, 1), synthetic(16, 2), synthetic(16, 3)
	o := testOptions("")
	o.Epochs = 2
	o.LogDir = filepath.Join(t.TempDir(), "runs", "full")
	tr := newTrainer(t, o)
	var steps []Event
	h, err := tr.Fit(context.Background(), train, dev, test, func(e Event) {
		if e.Kind == EventStep {
			steps = append(steps, e)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := tensorboard.ReadDir(o.LogDir)
	if err != nil {
		t.Fatal(err)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-6*max(1, math.Abs(b)) }
	for _, tag := range []string{TagLoss, TagLearningRate, TagGradNorm} {
		st, vs := tensorboard.Series(got, tag)
		if len(st) != len(steps) {
			t.Fatalf("%s: %d scalars, want one per step (%d)", tag, len(st), len(steps))
		}
		for i, e := range steps {
			want := map[string]float64{TagLoss: e.Loss, TagLearningRate: e.LR, TagGradNorm: e.GradNorm}[tag]
			if st[i] != int64(e.Step) || !near(vs[i], want) {
				t.Errorf("%s[%d] = step %d value %g, want step %d value %g", tag, i, st[i], vs[i], e.Step, want)
			}
		}
	}
	if _, n := tensorboard.Series(got, TagTrainableParams); len(n) != 1 || n[0] != float64(tr.TrainableParams()) {
		t.Errorf("%s = %v, want [%d]", TagTrainableParams, n, tr.TrainableParams())
	}
	sec, err := MedianStepSeconds(o.LogDir)
	if err != nil {
		t.Fatal(err)
	}
	if last := steps[len(steps)-1].Elapsed.Seconds(); !(sec > 0 && sec < last) {
		t.Errorf("MedianStepSeconds = %g, want in (0, %g), the whole run's time", sec, last)
	}
	if _, err := MedianStepSeconds(t.TempDir()); err == nil {
		t.Error("MedianStepSeconds of an empty directory: no error")
	}
	if steps[0].GradNorm <= 0 {
		t.Errorf("first step's gradient norm %g, want > 0", steps[0].GradNorm)
	}
	for _, c := range []struct {
		tag  string
		want func(EpochResult) float64
	}{
		{TagEpochLoss, func(r EpochResult) float64 { return r.TrainLoss }},
		{"dev/loss", func(r EpochResult) float64 { return r.DevLoss }},
		{"dev/accuracy", func(r EpochResult) float64 { return r.Dev.Accuracy }},
		{"dev/f1", func(r EpochResult) float64 { return r.Dev.F1 }},
		{"dev/roc_auc", func(r EpochResult) float64 { return r.Dev.ROCAUC }},
		{"test/accuracy", func(r EpochResult) float64 { return r.Test.Accuracy }},
	} {
		st, vs := tensorboard.Series(got, c.tag)
		if len(st) != len(h.Epochs) {
			t.Fatalf("%s: %d scalars, want one per epoch (%d)", c.tag, len(st), len(h.Epochs))
		}
		for i, r := range h.Epochs {
			if wantStep := int64(i+1) * int64(len(steps)/len(h.Epochs)); st[i] != wantStep || !near(vs[i], c.want(r)) {
				t.Errorf("%s[%d] = step %d value %g, want step %d value %g", c.tag, i, st[i], vs[i], wantStep, c.want(r))
			}
		}
	}
}
