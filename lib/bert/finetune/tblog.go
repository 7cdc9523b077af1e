package finetune

import (
	"fmt"
	"path/filepath"
	"slices"

	"github.com/founderlab/founderlab/lib/metrics"
	"github.com/founderlab/founderlab/lib/tensorboard"
)

// Tags of the scalars Fit writes with Options.LogDir.
const (
	TagLoss          = "train/loss"
	TagLearningRate  = "train/learning_rate"
	TagGradNorm      = "train/grad_norm"
	TagEpochLoss     = "train/epoch_loss"
	TagEpochAccuracy = "train/epoch_accuracy"
	// TagTrainableParams records Trainer.TrainableParams at the run's
	// first step (0, or the step it resumes at).
	TagTrainableParams = "model/trainable_params"
)

// runLog writes a run's scalars to a TensorBoard event file. Its methods
// do nothing on a nil *runLog (no Options.LogDir).
type runLog struct {
	w *tensorboard.Writer
}

// step logs one update's loss, learning rate and gradient norm.
func (l *runLog) step(e Event) error {
	if l == nil {
		return nil
	}
	err := l.w.Scalars(int64(e.Step), e.Scalars())
	if err != nil {
		return fmt.Errorf("finetune: log: %w", err)
	}
	return nil
}

// epoch logs an epoch's training averages and its dev and test metrics at
// the update step that ended it, and flushes the file so that TensorBoard
// sees the epoch.
func (l *runLog) epoch(step int, r EpochResult) error {
	if l == nil {
		return nil
	}
	if err := l.w.Scalars(int64(step), epochScalars(r)); err != nil {
		return fmt.Errorf("finetune: log: %w", err)
	}
	if err := l.w.Flush(); err != nil {
		return fmt.Errorf("finetune: log: %w", err)
	}
	return nil
}

// epochScalars returns an epoch's training averages and its dev and test
// metrics by tag.
func epochScalars(r EpochResult) map[string]float64 {
	v := map[string]float64{TagEpochLoss: r.TrainLoss, TagEpochAccuracy: r.TrainAcc}
	if r.Dev.N > 0 {
		reportScalars(v, "dev/", r.Dev)
		v["dev/loss"] = r.DevLoss
	}
	if r.Test != nil {
		reportScalars(v, "test/", *r.Test)
	}
	return v
}

// reportScalars adds a report's metrics under prefix: accuracy, precision,
// recall, f1 and, when computed, roc_auc.
func reportScalars(v map[string]float64, prefix string, r metrics.Report) {
	v[prefix+"accuracy"] = r.Accuracy
	v[prefix+"precision"] = r.Precision
	v[prefix+"recall"] = r.Recall
	v[prefix+"f1"] = r.F1
	if r.ROCAUC != 0 {
		v[prefix+"roc_auc"] = r.ROCAUC
	}
}

// start logs the number of trainable parameters at the run's first step.
func (l *runLog) start(step, trainable int) error {
	if l == nil {
		return nil
	}
	if err := l.w.Scalar(int64(step), TagTrainableParams, float64(trainable)); err != nil {
		return fmt.Errorf("finetune: log: %w", err)
	}
	return nil
}

// MedianStepSeconds returns the median wall time between consecutive
// updates of the runs logged in the TensorBoard run directory dir (with
// Options.LogDir): the differences of the train/loss wall times of steps
// s and s+1 within each event file. Evaluations between epochs fall in
// few gaps and do not move the median much; the first step, which
// compiles the graph, has no predecessor. It is an error if dir holds
// fewer than two consecutive steps.
func MedianStepSeconds(dir string) (float64, error) {
	files, err := filepath.Glob(filepath.Join(dir, "events.out.tfevents.*"))
	if err != nil {
		return 0, fmt.Errorf("finetune: step times: %w", err)
	}
	var gaps []float64
	for _, f := range files {
		scalars, err := tensorboard.ReadScalars(f)
		if err != nil {
			return 0, fmt.Errorf("finetune: step times: %w", err)
		}
		var prev tensorboard.Scalar
		for _, s := range scalars {
			if s.Tag != TagLoss {
				continue
			}
			if prev.Tag != "" && s.Step == prev.Step+1 {
				gaps = append(gaps, s.Wall-prev.Wall)
			}
			prev = s
		}
	}
	if len(gaps) == 0 {
		return 0, fmt.Errorf("finetune: step times: %s has no two consecutive steps logged", dir)
	}
	slices.Sort(gaps)
	return gaps[len(gaps)/2], nil
}

// close closes the event file.
func (l *runLog) close() error {
	if l == nil {
		return nil
	}
	if err := l.w.Close(); err != nil {
		return fmt.Errorf("finetune: log: %w", err)
	}
	return nil
}
