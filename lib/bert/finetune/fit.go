package finetune

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"time"

	"github.com/founderlab/founderlab/lib/metrics"
	"github.com/founderlab/founderlab/lib/tensorboard"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// EpochResult records one epoch.
type EpochResult struct {
	Epoch     int
	TrainLoss float64
	TrainAcc  float64
	DevLoss   float64
	Dev       metrics.Report
	Test      *metrics.Report `json:",omitempty"`
	Seconds   float64
}

// History is the record of a training run.
type History struct {
	Epochs       []EpochResult
	BestEpoch    int // 1-based; 0 when there is no dev set
	Steps        int
	StoppedEarly bool
	Resumed      bool
}

// bestFile holds the weights of the best dev epoch, for Options.RestoreBest.
const bestFile = "best.safetensors"

// Fit trains on train for the configured number of epochs, evaluating on dev
// (and test, if not nil) after every epoch, and returns the history. With a
// CheckpointDir it resumes from the checkpoint there, if any. When ctx is
// cancelled it writes a checkpoint (if configured) and returns ctx's error
// with the history so far. progress, if not nil, receives an [Event] after
// every update, checkpoint and epoch, and when the run resumes.
func (t *Trainer) Fit(ctx context.Context, train, dev, test []Example, progress func(Event)) (History, error) {
	if err := t.checkSets(train, dev, test); err != nil {
		return History{}, err
	}
	r, err := t.startRun(len(train), progress)
	if err != nil {
		return History{}, err
	}
	h, err := r.loop(ctx, train, dev, test)
	return h, errors.Join(err, r.log.close())
}

// loop runs the epochs of Fit.
func (r *run) loop(ctx context.Context, train, dev, test []Example) (History, error) {
	t := r.t
	for r.st.Epoch < t.opt.Epochs && r.st.Step < r.total {
		epochStart := time.Now()
		if err := r.trainEpoch(ctx, train); err != nil {
			return r.st.History, err
		}
		if err := r.endEpoch(ctx, dev, test, epochStart); err != nil {
			return r.st.History, err
		}
	}
	r.st.History.Steps = r.st.Step
	if err := r.restoreBest(); err != nil {
		return r.st.History, err
	}
	return r.st.History, nil
}

// checkSets validates the training, dev and test examples.
func (t *Trainer) checkSets(train, dev, test []Example) error {
	if len(train) == 0 {
		return errors.New("finetune: no training examples")
	}
	for _, p := range []struct {
		name string
		ex   []Example
	}{{"train", train}, {"dev", dev}, {"test", test}} {
		if err := t.check(p.name, p.ex); err != nil {
			return err
		}
	}
	return nil
}

// run is one call of [Trainer.Fit]: the loop's position (st, what a
// checkpoint holds) and its plan.
type run struct {
	t        *Trainer
	st       trainState
	ckpt     string // checkpoint path; "" without Options.CheckpointDir
	perEpoch int    // batches per epoch
	total    int    // updates planned
	start    time.Time
	progress func(Event)
	log      *runLog // TensorBoard scalars; nil without Options.LogDir
}

// startRun plans the updates, resumes from the checkpoint if there is one
// (or else seeds the random state) and builds the graphs.
func (t *Trainer) startRun(numTrain int, progress func(Event)) (*run, error) {
	if progress == nil {
		progress = func(Event) {}
	}
	// On several devices, a last short batch drops the examples that would
	// not split evenly (at most Devices-1 per epoch); one with none left
	// is not run.
	usable := numTrain - numTrain%t.opt.BatchSize%t.devices
	perEpoch := (usable + t.opt.BatchSize - 1) / t.opt.BatchSize
	total := perEpoch * t.opt.Epochs
	if t.opt.MaxSteps > 0 && t.opt.MaxSteps < total {
		total = t.opt.MaxSteps
	}
	r := &run{t: t, st: trainState{NumTrain: numTrain, Seed: t.opt.Seed}, perEpoch: perEpoch, total: total, progress: progress}
	if err := r.resume(); err != nil {
		return nil, err
	}
	if !r.st.History.Resumed {
		if err := t.vars.SetRNGStateFromSeed(int64(t.opt.Seed)); err != nil {
			return nil, fmt.Errorf("finetune: %w", err)
		}
	}
	if err := t.build(total); err != nil {
		return nil, err
	}
	if t.opt.LogDir != "" {
		w, err := tensorboard.NewWriter(t.opt.LogDir)
		if err != nil {
			return nil, fmt.Errorf("finetune: log: %w", err)
		}
		r.log = &runLog{w: w}
		if err := r.log.start(r.st.Step, t.TrainableParams()); err != nil {
			return nil, errors.Join(err, w.Close())
		}
	}
	r.start = time.Now()
	return r, nil
}

// resume loads the checkpoint of Options.CheckpointDir, if there is one,
// after removing the temporary files a killed writer may have left there. A
// checkpoint of another training set or seed is an error.
func (r *run) resume() error {
	dir := r.t.opt.CheckpointDir
	if dir == "" {
		return nil
	}
	r.ckpt = filepath.Join(dir, CheckpointFile)
	removeStaleTemps(dir)
	if !hasCheckpoint(r.ckpt) {
		return nil
	}
	numTrain, seed := r.st.NumTrain, r.st.Seed
	if err := LoadCheckpoint(r.ckpt, r.t.vars, &r.st); err != nil {
		return err
	}
	if r.st.NumTrain != numTrain || r.st.Seed != seed {
		return fmt.Errorf("finetune: checkpoint %s is for %d training examples and seed %d, not %d and %d",
			r.ckpt, r.st.NumTrain, r.st.Seed, numTrain, seed)
	}
	r.st.History.Resumed = true
	r.progress(r.event(EventResume))
	return nil
}

// event returns an event of the given kind at the run's position.
func (r *run) event(kind EventKind) Event {
	return Event{Kind: kind, Epoch: r.st.Epoch + 1, Epochs: r.t.opt.Epochs, Step: r.st.Step, Steps: r.total}
}

// checkpoint writes the checkpoint, if there is a checkpoint directory, and
// reports it.
func (r *run) checkpoint() error {
	if r.ckpt == "" {
		return nil
	}
	if err := SaveCheckpoint(r.ckpt, r.t.vars, r.st); err != nil {
		return err
	}
	r.progress(r.event(EventCheckpoint))
	return nil
}

// trainEpoch runs the current epoch's remaining batches (all of them, unless
// the run resumed in its middle) in the epoch's seeded order, up to the
// planned number of updates, writing a checkpoint every
// Options.CheckpointEvery updates. When ctx is cancelled it writes a
// checkpoint and returns an error wrapping ctx's.
func (r *run) trainEpoch(ctx context.Context, train []Example) error {
	t, st := r.t, &r.st
	order := epochOrder(t.opt.Seed, st.Epoch, len(train))
	for st.Batch < r.perEpoch && st.Step < r.total {
		if err := ctx.Err(); err != nil {
			if serr := r.checkpoint(); serr != nil {
				return errors.Join(err, serr)
			}
			return fmt.Errorf("finetune: interrupted at step %d: %w", st.Step, err)
		}
		lo := st.Batch * t.opt.BatchSize
		hi := min(lo+t.opt.BatchSize, len(train))
		hi -= (hi - lo) % t.devices // a last short batch must split evenly
		batch := make([]Example, 0, hi-lo)
		for _, k := range order[lo:hi] {
			batch = append(batch, train[k])
		}
		res, err := t.trainStep(batch)
		if err != nil {
			return fmt.Errorf("finetune: step %d: %w", st.Step, err)
		}
		st.LossSum += res.loss * float64(len(batch))
		st.Seen += len(batch)
		st.Correct += res.correct
		st.Step++
		st.Batch++
		e := r.event(EventStep)
		e.Loss, e.LR, e.GradNorm, e.Elapsed = res.loss, res.lr, res.gradNorm, time.Since(r.start)
		if err := r.log.step(e); err != nil {
			return err
		}
		r.progress(e)
		if t.opt.CheckpointEvery > 0 && st.Step%t.opt.CheckpointEvery == 0 && st.Batch < r.perEpoch {
			if err := r.checkpoint(); err != nil {
				return err
			}
		}
	}
	return nil
}

// stepResult is what one update reports.
type stepResult struct {
	loss     float64 // the batch's mean loss
	correct  int     // correct predictions in the batch
	lr       float64 // learning rate applied
	gradNorm float64 // global gradient norm before clipping
}

// trainStep runs one update on batch.
func (t *Trainer) trainStep(batch []Example) (stepResult, error) {
	ids, types, mask, labels := batchTensors(batch)
	var outs []*tensors.Tensor
	var err error
	if t.dp != nil {
		outs, err = t.dp.exec(t.trainExec, ids, types, mask, labels)
	} else {
		outs, err = t.trainExec.Exec(ids, types, mask, labels)
	}
	if err != nil {
		return stepResult{}, err
	}
	loss := float64(tensors.ToScalar[float32](outs[0]))
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return stepResult{}, fmt.Errorf("loss is %v", loss)
	}
	return stepResult{loss: loss, correct: int(tensors.ToScalar[int32](outs[1])),
		lr: tensors.ToScalar[float64](outs[2]), gradNorm: tensors.ToScalar[float64](outs[3])}, nil
}

// endEpoch closes an epoch (or the run, at MaxSteps): it evaluates on dev
// and test, records the result, decides on early stopping, resets the
// running sums, writes the checkpoint and reports the epoch.
func (r *run) endEpoch(ctx context.Context, dev, test []Example, epochStart time.Time) error {
	st := &r.st
	res := EpochResult{Epoch: st.Epoch + 1, TrainLoss: st.LossSum / float64(max(1, st.Seen)), TrainAcc: float64(st.Correct) / float64(max(1, st.Seen))}
	stop := false
	if len(dev) > 0 {
		var err error
		if stop, err = r.evaluateDev(ctx, dev, &res); err != nil {
			return err
		}
	}
	if len(test) > 0 {
		rep, _, err := r.t.Evaluate(ctx, test)
		if err != nil {
			return err
		}
		res.Test = &rep
	}
	res.Seconds = time.Since(epochStart).Seconds()
	st.History.Epochs = append(st.History.Epochs, res)
	st.History.Steps = st.Step
	st.Epoch++
	st.Batch, st.LossSum, st.Seen, st.Correct = 0, 0, 0, 0
	if stop {
		st.History.StoppedEarly = true
		st.Epoch = r.t.opt.Epochs
	}
	if err := r.log.epoch(st.Step, res); err != nil {
		return err
	}
	if err := r.checkpoint(); err != nil {
		return err
	}
	e := r.event(EventEpoch)
	e.Epoch, e.Elapsed, e.Result = res.Epoch, time.Since(r.start), &res
	r.progress(e)
	return nil
}

// evaluateDev scores the model on dev into res and keeps track of the best
// epoch by Options.Metric, saving its weights for Options.RestoreBest. It
// reports whether early stopping ends the run: the metric has not improved
// for Options.EarlyStoppingPatience epochs.
func (r *run) evaluateDev(ctx context.Context, dev []Example, res *EpochResult) (stop bool, err error) {
	t, st := r.t, &r.st
	rep, loss, err := t.Evaluate(ctx, dev)
	if err != nil {
		return false, err
	}
	res.Dev, res.DevLoss = rep, loss
	if m := t.opt.Metric.score(rep, loss); st.History.BestEpoch == 0 || m > st.BestMetric {
		st.BestMetric, st.History.BestEpoch, st.BadEpochs = m, res.Epoch, 0
		if t.opt.CheckpointDir != "" && t.opt.RestoreBest {
			if err := SaveCheckpoint(filepath.Join(t.opt.CheckpointDir, bestFile), t.vars, *st); err != nil {
				return false, err
			}
		}
		return false, nil
	}
	st.BadEpochs++
	return t.opt.EarlyStoppingPatience > 0 && st.BadEpochs >= t.opt.EarlyStoppingPatience, nil
}

// restoreBest loads the best dev epoch's weights when Options.RestoreBest
// asks for them and the last epoch was not the best.
func (r *run) restoreBest() error {
	t, h := r.t, r.st.History
	if !t.opt.RestoreBest || t.opt.CheckpointDir == "" || h.BestEpoch == 0 || h.BestEpoch == len(h.Epochs) {
		return nil
	}
	var best trainState
	return LoadCheckpoint(filepath.Join(t.opt.CheckpointDir, bestFile), t.vars, &best)
}
