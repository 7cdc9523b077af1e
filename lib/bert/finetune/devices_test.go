package finetune

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"testing"

	"github.com/founderlab/founderlab/lib/backend"
	"github.com/gomlx/gomlx/backends"
	mlctx "github.com/gomlx/gomlx/pkg/ml/context"
)

// xlaCPU returns a backend on XLA's CPU plugin, which exposes several host
// devices, or skips the test when the plugin is not installed.
func xlaCPU(t testing.TB) backends.Backend {
	t.Helper()
	p, err := backend.FindCPUPlugin()
	if err != nil {
		t.Skipf("no XLA CPU plugin: %v", err)
	}
	if err := backend.InstallTrainingFixes(); err != nil {
		t.Fatal(err)
	}
	b, err := backends.NewWithConfig("xla:" + p)
	if err != nil {
		t.Fatalf("xla:%s: %v", p, err)
	}
	t.Cleanup(b.Finalize)
	if b.NumDevices() < 2 {
		t.Skipf("the XLA CPU plugin exposes %d device", b.NumDevices())
	}
	return b
}

// Parity tolerances of TestDataParallelParity: the two runs add the
// per-example terms of the loss and of the gradients in a different order
// (each device reduces its half, then the all-reduce adds the halves), so
// float32 rounding differs; AdamW divides by sqrt(v), which amplifies the
// difference for parameters with tiny gradients.
const (
	parityLossTol   = 1e-4 // relative, per step
	parityWeightTol = 1e-3 // absolute, after the run, weights of order 0.02–1
)

// TestDataParallelParity trains the same tiny model with the same seed and
// data and the same global batch on 1 and on 2 devices of XLA's CPU plugin
// and compares every step's loss and the final weights. A checkpoint
// written on 2 devices then resumes on 1.
func TestDataParallelParity(t *testing.T) {
	if testing.Short() {
		t.Skip("trains twice on XLA")
	}
	b := xlaCPU(t)
	train := synthetic(48, 3)
	// run trains on devices; with stopAt > 0 it is interrupted after that
	// step (writing a checkpoint to dir).
	run := func(devices int, dir string, stopAt int) ([]float64, map[string][]float32) {
		o := testOptions(dir)
		o.Epochs, o.Devices = 2, devices
		tr, err := NewTrainer(b, tinyConfig(), mlctx.New(), o)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Devices() != devices {
			t.Fatalf("Devices() = %d, want %d", tr.Devices(), devices)
		}
		var losses []float64
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		_, err = tr.Fit(ctx, train, nil, nil, func(e Event) {
			if e.Kind == EventStep {
				losses = append(losses, e.Loss)
				if e.Step == stopAt {
					cancel()
				}
			}
		})
		if stopAt > 0 && !errors.Is(err, context.Canceled) || stopAt == 0 && err != nil {
			t.Fatalf("%d devices, stop at %d: %v", devices, stopAt, err)
		}
		return losses, weights(tr.Vars())
	}
	l1, w1 := run(1, "", 0)
	l2, w2 := run(2, "", 0)
	if len(l1) != 12 || len(l2) != len(l1) {
		t.Fatalf("steps: %d on 1 device, %d on 2, want 12", len(l1), len(l2))
	}
	worst := 0.0
	for i := range l1 {
		d := math.Abs(l1[i]-l2[i]) / math.Abs(l1[i])
		worst = max(worst, d)
		if d > parityLossTol {
			t.Errorf("step %d: loss %.7f on 1 device, %.7f on 2 (relative difference %.2g > %g)", i+1, l1[i], l2[i], d, parityLossTol)
		}
	}
	t.Logf("losses on 1 and 2 devices: largest relative difference %.3g over %d steps", worst, len(l1))
	if l1[len(l1)-1] >= l1[0] {
		t.Errorf("loss did not fall: %.4f → %.4f", l1[0], l1[len(l1)-1])
	}
	compareWeights(t, "1 vs 2 devices", w1, w2)

	// Interrupted after 4 steps on 2 devices, resumed on 1.
	dir := t.TempDir()
	run(2, dir, 4)
	lr, wr := run(1, dir, 0)
	if len(lr) != len(l1)-4 {
		t.Fatalf("resumed run took %d steps, want %d", len(lr), len(l1)-4)
	}
	compareWeights(t, "resumed on 1 after 2", w1, wr)
}

func compareWeights(t *testing.T, what string, a, b map[string][]float32) {
	t.Helper()
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("%s: %d and %d weights", what, len(a), len(b))
	}
	worst, where := 0.0, ""
	for k, x := range a {
		y, ok := b[k]
		if !ok || len(y) != len(x) {
			t.Fatalf("%s: weight %s missing or reshaped", what, k)
		}
		for i := range x {
			if d := math.Abs(float64(x[i] - y[i])); d > worst {
				worst, where = d, k
			}
		}
	}
	t.Logf("%s: largest weight difference %.3g (%s)", what, worst, where)
	if worst > parityWeightTol {
		t.Errorf("%s: weights differ by %.3g in %s, more than %g", what, worst, where, parityWeightTol)
	}
}

// TestDevicesOption checks the errors of Options.Devices.
func TestDevicesOption(t *testing.T) {
	sg := testBackend(t)
	for _, tc := range []struct {
		name    string
		b       backends.Backend
		devices int
		batch   int
	}{
		{"negative", sg, -1, 8},
		{"SimpleGo has no mesh", sg, 2, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := testOptions("")
			o.Devices, o.BatchSize = tc.devices, tc.batch
			_, err := NewTrainer(tc.b, tinyConfig(), mlctx.New(), o)
			if !errors.Is(err, ErrDevices) {
				t.Fatalf("err = %v, want ErrDevices", err)
			}
		})
	}
	if DefaultDevices(sg) != 1 {
		t.Errorf("DefaultDevices(SimpleGo) = %d, want 1", DefaultDevices(sg))
	}
	xb := xlaCPU(t)
	if DefaultDevices(xb) != 1 {
		t.Errorf("DefaultDevices(XLA CPU) = %d, want 1", DefaultDevices(xb))
	}
	for _, tc := range []struct {
		name           string
		devices, batch int
	}{
		{"more than the backend has", xb.NumDevices() + 1, 8 * (xb.NumDevices() + 1)},
		{"batch does not split", 2, 7},
	} {
		t.Run("XLA "+tc.name, func(t *testing.T) {
			o := testOptions("")
			o.Devices, o.BatchSize = tc.devices, tc.batch
			_, err := NewTrainer(xb, tinyConfig(), mlctx.New(), o)
			if !errors.Is(err, ErrDevices) {
				t.Fatalf("err = %v, want ErrDevices", err)
			}
		})
	}
}

// TestDataParallelShortBatch trains one epoch of 19 examples in batches of
// 8 on 2 devices: the last batch of 3 drops one example to split evenly,
// and runs as a batch of 2 (a second compiled graph). The dev evaluation
// (on one device) and the checkpoint then read the replicated weights.
func TestDataParallelShortBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles two graphs on XLA")
	}
	b := xlaCPU(t)
	o := testOptions(t.TempDir())
	o.Epochs, o.Devices = 1, 2
	tr, err := NewTrainer(b, tinyConfig(), mlctx.New(), o)
	if err != nil {
		t.Fatal(err)
	}
	dev := synthetic(8, 5)
	h, err := tr.Fit(context.Background(), synthetic(19, 4), dev, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if h.Steps != 3 || len(h.Epochs) != 1 {
		t.Fatalf("%d steps, %d epochs; want 3 and 1", h.Steps, len(h.Epochs))
	}
	if l := h.Epochs[0].TrainLoss; math.IsNaN(l) || l <= 0 {
		t.Errorf("train loss %v", l)
	}
	if l := h.Epochs[0].DevLoss; math.IsNaN(l) || l <= 0 {
		t.Errorf("dev loss %v", l)
	}
	// The checkpoint holds the trained weights: loaded into a fresh context
	// they equal the trainer's.
	ctx := mlctx.New()
	var st trainState
	if err := LoadCheckpoint(filepath.Join(o.CheckpointDir, CheckpointFile), ctx, &st); err != nil {
		t.Fatal(err)
	}
	if st.Step != 3 {
		t.Errorf("checkpoint at step %d, want 3", st.Step)
	}
	compareWeights(t, "checkpoint vs trainer", weights(tr.Vars()), weights(ctx))
}
