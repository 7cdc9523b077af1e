package loop

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/founderlab/founderlab/lib/backend"
	"github.com/founderlab/founderlab/lib/tensorboard"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/datasets"
	"github.com/gomlx/gomlx/pkg/ml/layers"
	"github.com/gomlx/gomlx/pkg/ml/train"
	"github.com/gomlx/gomlx/pkg/ml/train/losses"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"
)

// TestAttach fits y = 2x + 1 with SGD in a train.Loop, logging every 3
// steps, and reads the event file back: the logged steps are 3, 6, 9 and
// the last (10), and their values are the loop's own metric values.
func TestAttach(t *testing.T) {
	t.Setenv(backend.EnvBackend, "go")
	c, err := backend.New()
	if err != nil {
		t.Fatal(err)
	}
	xs := make([][]float32, 32)
	ys := make([][]float32, 32)
	for i := range xs {
		x := float32(i)/16 - 1
		xs[i], ys[i] = []float32{x}, []float32{2*x + 1}
	}
	ds, err := datasets.InMemoryFromData(c.Backend, "line", []any{xs}, []any{ys})
	if err != nil {
		t.Fatal(err)
	}
	ds.BatchSize(8, true).Infinite(true)
	ctx := context.New()
	model := func(ctx *context.Context, _ any, in []*graph.Node) []*graph.Node {
		return []*graph.Node{layers.Dense(ctx, in[0], true, 1)}
	}
	tr := train.NewTrainer(c.Backend, ctx, model, losses.MeanSquaredError, optimizers.StochasticGradientDescent().Done(), nil, nil)
	l := train.NewLoop(tr)
	dir := filepath.Join(t.TempDir(), "sgd")
	w, err := tensorboard.NewWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := Attach(l, w, 0); !errors.Is(err, ErrEvery) {
		t.Errorf("Attach(every 0) = %v, want ErrEvery", err)
	}
	if err := Attach(l, w, 3); err != nil {
		t.Fatal(err)
	}
	want := map[int64]float64{} // batch loss by step
	l.OnStep("record", 0, func(l *train.Loop, m []*tensors.Tensor) error {
		want[int64(l.LoopStep+1)] = shapes.ConvertTo[float64](m[0].Value())
		return nil
	})
	if _, err := l.RunSteps(ds, 10); err != nil {
		t.Fatal(err)
	}
	// Not closed yet: the end of the run has flushed the file.
	got, err := tensorboard.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	tag := TagPrefix + tr.TrainMetrics()[0].Name()
	steps, values := tensorboard.Series(got, tag)
	if wantSteps := []int64{3, 6, 9, 10}; len(steps) != len(wantSteps) {
		t.Fatalf("%s logged at steps %v, want %v", tag, steps, wantSteps)
	}
	for i, s := range steps {
		if s != []int64{3, 6, 9, 10}[i] || float64(float32(want[s])) != values[i] {
			t.Errorf("%s[%d] = step %d value %g, want step %d value %g", tag, i, s, values[i], []int64{3, 6, 9, 10}[i], want[s])
		}
	}
	if values[len(values)-1] >= values[0] {
		t.Errorf("loss did not fall: %v", values)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}
