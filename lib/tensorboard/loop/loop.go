// Package loop logs the metrics of a GoMLX training loop (train.Loop) to
// TensorBoard event files.
//
// A train.Loop calls its OnStep hooks after every training step with the
// values of its trainer's training metrics (the batch loss, the moving
// average of the loss and any metrics given to train.NewTrainer), in the
// order of Trainer.TrainMetrics. [Attach] adds a hook that writes them,
// every n steps and after the last step, as scalars tagged "train/" + the
// metric's name at the loop's step, and flushes the file at the end of
// every run so that TensorBoard sees it:
//
//	w, err := tensorboard.NewWriter("runs/sgd")
//	...
//	loop.Attach(l, w, 10)
//	_, err = l.RunSteps(ds, 1000)
//	err = w.Close()
//
// The package is separate from lib/tensorboard so that the event-file
// core does not depend on GoMLX.
package loop

import (
	"errors"
	"fmt"

	"github.com/founderlab/founderlab/lib/tensorboard"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/train"
)

// ErrEvery reports a non-positive logging interval.
var ErrEvery = errors.New("loop: logging interval must be positive")

// TagPrefix starts the tag of every metric Attach logs.
const TagPrefix = "train/"

// Priority is the priority of Attach's hooks: after the loop's other
// hooks of default priority, so that the values logged are final.
const Priority train.Priority = 100

// Attach makes l write its training metrics to w every n steps and at the
// last step of every run. The caller owns w and closes it after training.
func Attach(l *train.Loop, w *tensorboard.Writer, n int) error {
	if n <= 0 {
		return fmt.Errorf("%w: got %d", ErrEvery, n)
	}
	if l == nil || w == nil {
		return errors.New("loop: nil loop or writer")
	}
	h := &hook{w: w, n: n}
	l.OnStep("tensorboard", Priority, h.onStep)
	l.OnEnd("tensorboard", Priority, h.onEnd)
	return nil
}

// hook writes every n-th step's metrics.
type hook struct {
	w *tensorboard.Writer
	n int
}

// onStep runs after the step with index l.LoopStep; it logs the values at
// step l.LoopStep+1, the number of steps done, as lib/bert/finetune does.
func (h *hook) onStep(l *train.Loop, values []*tensors.Tensor) error {
	done := l.LoopStep + 1
	if done%h.n != 0 && done != l.EndStep {
		return nil
	}
	ms := l.Trainer.TrainMetrics()
	if len(ms) != len(values) {
		return fmt.Errorf("loop: %d metric values for %d train metrics", len(values), len(ms))
	}
	v := make(map[string]float64, len(values))
	for i, t := range values {
		if t.Shape().Size() != 1 || !t.DType().IsFloat() && !t.DType().IsInt() {
			continue // Only numeric scalars are plotted.
		}
		v[TagPrefix+ms[i].Name()] = shapes.ConvertTo[float64](t.Value())
	}
	if err := h.w.Scalars(int64(done), v); err != nil {
		return fmt.Errorf("loop: %w", err)
	}
	return nil
}

// onEnd flushes the event file so that TensorBoard sees the whole run.
func (h *hook) onEnd(*train.Loop, []*tensors.Tensor) error {
	if err := h.w.Flush(); err != nil {
		return fmt.Errorf("loop: %w", err)
	}
	return nil
}
