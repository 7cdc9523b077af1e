package finetune

import (
	"fmt"
	"io"
	"time"
)

// Event reports progress to the callback given to [Trainer.Fit]. Fit calls
// it in the training goroutine, so a slow callback slows training.
type Event struct {
	Kind          EventKind
	Epoch, Epochs int // 1-based epoch
	Step, Steps   int // updates done, and planned
	Loss          float64
	LR            float64
	// GradNorm is the global gradient norm of the update, before
	// clipping (set for EventStep).
	GradNorm float64
	Elapsed  time.Duration // since training (or resuming) started
	Result   *EpochResult  // set for EventEpoch
}

// EventKind says what an [Event] reports.
type EventKind uint8

const (
	// EventStep follows every update; Loss, LR and GradNorm are the
	// batch's.
	EventStep EventKind = iota + 1
	// EventEpoch ends an epoch (or the run, at Options.MaxSteps); Result
	// holds its evaluation.
	EventEpoch
	// EventCheckpoint follows every checkpoint written.
	EventCheckpoint
	// EventResume starts a run resumed from a checkpoint, at its step.
	EventResume
)

// Scalars returns the scalars of the event under the TensorBoard tags that
// Options.LogDir writes for it: for EventStep the update's TagLoss,
// TagLearningRate and TagGradNorm; for EventEpoch with a Result the
// epoch's TagEpochLoss and TagEpochAccuracy and its dev and test metrics
// (dev/loss, dev/accuracy, dev/precision, dev/recall, dev/f1, dev/roc_auc
// when computed, and the same test/ tags); nil otherwise. Both are logged
// at e.Step. A live chart fed with these shows what TensorBoard shows.
func (e Event) Scalars() map[string]float64 {
	switch {
	case e.Kind == EventStep:
		return map[string]float64{TagLoss: e.Loss, TagLearningRate: e.LR, TagGradNorm: e.GradNorm}
	case e.Kind == EventEpoch && e.Result != nil:
		return epochScalars(*e.Result)
	}
	return nil
}

// String returns the kind's name: "step", "epoch", "checkpoint" or "resume".
func (k EventKind) String() string {
	switch k {
	case EventStep:
		return "step"
	case EventEpoch:
		return "epoch"
	case EventCheckpoint:
		return "checkpoint"
	case EventResume:
		return "resume"
	}
	return fmt.Sprintf("EventKind(%d)", uint8(k))
}

// Pace describes the speed so far and the time left at that speed, such as
// "0.84 s/step eta 3m0s"; it is empty before the first step.
func (e Event) Pace() string {
	if e.Step == 0 {
		return ""
	}
	per := e.Elapsed / time.Duration(e.Step)
	return fmt.Sprintf("%.2f s/step eta %s", per.Seconds(), (per * time.Duration(e.Steps-e.Step)).Round(time.Second))
}

// Summary describes the epoch on one line: training loss and accuracy, and
// the dev and test metrics when there are such sets, such as
// "train loss 0.5211 acc 0.7310 | dev loss 0.4102 acc 0.8610 f1 0.8421 auc 0.9310".
func (r EpochResult) Summary() string {
	s := fmt.Sprintf("train loss %.4f acc %.4f", r.TrainLoss, r.TrainAcc)
	if r.Dev.N > 0 {
		s += fmt.Sprintf(" | dev loss %.4f acc %.4f f1 %.4f", r.DevLoss, r.Dev.Accuracy, r.Dev.F1)
		if r.Dev.ROCAUC != 0 {
			s += fmt.Sprintf(" auc %.4f", r.Dev.ROCAUC)
		}
	}
	if r.Test != nil {
		s += fmt.Sprintf(" | test acc %.4f f1 %.4f", r.Test.Accuracy, r.Test.F1)
	}
	return s
}

// TerminalProgress returns a progress callback for [Trainer.Fit] that writes
// plain lines on w: one per epoch, one when the run resumes from a
// checkpoint, and for training steps the first, the last and at most one
// per interval:
//
//	epoch 1/5 step 40/255 (16%) loss 0.6412 lr 1.98e-05 0.84 s/step eta 3m0s
//	epoch 1/5 done: train loss 0.5211 acc 0.7310 | dev loss 0.4102 acc 0.8610 f1 0.8421 auc 0.9310 | 3m34s
//
// In a notebook, training.Progress of lib/display/training draws a progress
// bar and a live chart instead.
func TerminalProgress(w io.Writer, interval time.Duration) func(Event) {
	var last time.Time
	return func(e Event) {
		switch e.Kind {
		case EventResume:
			fmt.Fprintf(w, "resuming from checkpoint at step %d/%d (epoch %d/%d)\n", e.Step, e.Steps, e.Epoch, e.Epochs)
		case EventStep:
			if time.Since(last) < interval && e.Step != e.Steps && e.Step != 1 {
				return
			}
			last = time.Now()
			fmt.Fprintf(w, "epoch %d/%d step %d/%d (%d%%) loss %.4f lr %.3g %s\n", e.Epoch, e.Epochs, e.Step, e.Steps,
				100*e.Step/max(1, e.Steps), e.Loss, e.LR, e.Pace())
		case EventEpoch:
			summary := ""
			if e.Result != nil {
				summary = e.Result.Summary()
			}
			fmt.Fprintf(w, "epoch %d/%d done: %s | %s\n", e.Epoch, e.Epochs, summary, e.Elapsed.Round(time.Second))
		}
	}
}

// Progress returns [TerminalProgress] on w with an interval of 10 seconds.
//
// Deprecated: Progress no longer draws the notebook progress bar and chart,
// so that training does not depend on the notebook front end. Use
// training.Progress of github.com/founderlab/founderlab/lib/display/training,
// which draws them in a notebook and writes these lines elsewhere.
func Progress(w io.Writer) func(Event) {
	return TerminalProgress(w, 10*time.Second)
}
