package finetune

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/founderlab/founderlab/internal/atomicfile"
	"github.com/founderlab/founderlab/lib/backend"
	"github.com/founderlab/founderlab/lib/bert"
	"github.com/founderlab/founderlab/lib/metrics"
	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	mlctx "github.com/gomlx/gomlx/pkg/ml/context"
)

// Example is one tokenized, labelled sequence. All examples given to a
// [Trainer] must have the same length (pad them to a fixed maximum length).
type Example struct {
	InputIDs []int32
	// TokenTypeIDs may be nil (all zeros).
	TokenTypeIDs []int32
	// AttentionMask is 1 for real tokens and 0 for padding; nil means all 1.
	AttentionMask []int32
	// Label is the class, 0..NumLabels-1.
	Label int
}

// Options configures fine-tuning. [DefaultOptions] gives the chapter's
// settings (those of the seed notebook and transformers' Trainer).
type Options struct {
	Epochs    int
	BatchSize int
	// LearningRate is AdamW's peak learning rate.
	LearningRate float64
	// WeightDecay is AdamW's decoupled weight decay, applied to every weight
	// except biases and LayerNorm parameters.
	WeightDecay float64
	// WarmupRatio is the share of all steps spent warming the learning rate
	// up linearly from 0; it then decays linearly to 0 at the last step.
	WarmupRatio float64
	// MaxGradNorm clips the global gradient norm (0: no clipping).
	MaxGradNorm float64
	// Seed fixes the shuffling of every epoch, dropout and the
	// initialisation of new weights (the classifier head).
	Seed uint64
	// MaxSteps, if positive, stops training after that many updates.
	MaxSteps int
	// EarlyStoppingPatience, if positive, stops training when the dev
	// metric has not improved for that many epochs.
	EarlyStoppingPatience int
	// Metric is the dev metric that selects the best epoch: "f1",
	// "accuracy", "roc_auc" or "loss" (lower is better).
	Metric string
	// RestoreBest reloads the weights of the best dev epoch when training
	// ends. It needs CheckpointDir, where they are kept as best.safetensors.
	RestoreBest bool
	// CheckpointDir, if set, holds checkpoint.safetensors (written at the
	// end of every epoch, every CheckpointEvery steps, and when ctx is
	// cancelled) and best.safetensors; Fit resumes from it.
	CheckpointDir   string
	CheckpointEvery int
	// EvalBatchSize is the batch size for evaluation (0: 2·BatchSize).
	EvalBatchSize int
}

// DefaultOptions returns the chapter's settings: 5 epochs, batch 16, AdamW
// with learning rate 2e-5 and weight decay 0.01, no warm-up, clipping at 1.0,
// best epoch by dev F1.
func DefaultOptions() Options {
	return Options{Epochs: 5, BatchSize: 16, LearningRate: 2e-5, WeightDecay: 0.01,
		MaxGradNorm: 1, Seed: 42, Metric: "f1", RestoreBest: true}
}

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

// Event reports progress to the callback given to [Trainer.Fit].
type Event struct {
	// Kind is "step", "epoch" (Result set), "checkpoint" or "resume".
	Kind          string
	Epoch, Epochs int // 1-based epoch
	Step, Steps   int // updates done, and planned
	Loss          float64
	LR            float64
	Elapsed       time.Duration
	Result        *EpochResult
}

// Trainer fine-tunes BertForSequenceClassification.
type Trainer struct {
	cfg       bert.Config
	vars      *mlctx.Context
	backend   backends.Backend
	opt       Options
	adam      AdamW
	trainExec *mlctx.Exec
	evalExec  *mlctx.Exec
}

// trainState is the JSON part of a checkpoint: where the run stands.
type trainState struct {
	Epoch, Batch, Step int
	LossSum            float64
	Correct, Seen      int
	History            History
	BestMetric         float64
	BadEpochs          int
	NumTrain           int
	Seed               uint64
}

// NewTrainer prepares fine-tuning of the model whose weights are in vars
// (for example bert.Model.Vars after loading a pretrained checkpoint; the
// classifier head is created if missing) on backend b.
func NewTrainer(b backends.Backend, cfg bert.Config, vars *mlctx.Context, opt Options) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("finetune: %w", err)
	}
	if opt.Epochs <= 0 || opt.BatchSize <= 0 || opt.LearningRate <= 0 {
		return nil, fmt.Errorf("finetune: need positive Epochs, BatchSize and LearningRate, got %d, %d, %g", opt.Epochs, opt.BatchSize, opt.LearningRate)
	}
	switch opt.Metric {
	case "":
		opt.Metric = "f1"
	case "f1", "accuracy", "roc_auc", "loss":
	default:
		return nil, fmt.Errorf("finetune: unknown metric %q (want f1, accuracy, roc_auc or loss)", opt.Metric)
	}
	if opt.EvalBatchSize == 0 {
		opt.EvalBatchSize = 2 * opt.BatchSize
	}
	if vars == nil {
		return nil, errors.New("finetune: nil variables context")
	}
	vars.SetParam(mlctx.ParamInitialSeed, int64(opt.Seed))
	// Fast DotGeneral gradients and the Rsqrt gradient LayerNorm needs, in
	// case the backend was not made by backend.New (which installs them).
	if err := backend.InstallTrainingFixes(); err != nil {
		return nil, err
	}
	return &Trainer{cfg: cfg, vars: vars, backend: b, opt: opt}, nil
}

// Vars returns the context holding the model (and optimizer) variables.
func (t *Trainer) Vars() *mlctx.Context { return t.vars }

// Config returns the model configuration.
func (t *Trainer) Config() bert.Config { return t.cfg }

func (t *Trainer) build(totalSteps int) error {
	t.adam = NewAdamW(t.opt.LearningRate, t.opt.WeightDecay)
	t.adam.MaxGradNorm = t.opt.MaxGradNorm
	t.adam.TotalSteps = totalSteps
	t.adam.WarmupSteps = int(math.Round(t.opt.WarmupRatio * float64(totalSteps)))
	cfg := t.cfg
	numLabels := cfg.NumLabels()
	adam := t.adam
	var err error
	t.trainExec, err = mlctx.NewExec(t.backend, t.vars.Checked(false), func(ctx *mlctx.Context, ids, types, mask, labels *graph.Node) (loss, correct, lr *graph.Node) {
		g := ids.Graph()
		ctx.SetTraining(g, true)
		logits := bert.ClassifierLogits(ctx, &cfg, ids, types, mask)
		loss, correct = lossAndCorrect(logits, labels, numLabels)
		var vars []*mlctx.Variable
		var values []*graph.Node
		for v := range ctx.IterVariables() {
			if v.Trainable && v.InUseByGraph(g) && !strings.HasPrefix(v.Scope(), OptimizerScope) {
				vars = append(vars, v)
				values = append(values, v.ValueGraph(g))
			}
		}
		grads := graph.Gradient(loss, values...)
		_, lr, err := adam.Apply(ctx, vars, grads)
		if err != nil {
			panic(err)
		}
		return loss, correct, lr
	})
	if err != nil {
		return fmt.Errorf("finetune: training graph: %w", err)
	}
	t.evalExec, err = mlctx.NewExec(t.backend, t.vars.Checked(false), func(ctx *mlctx.Context, ids, types, mask *graph.Node) *graph.Node {
		ctx.SetTraining(ids.Graph(), false)
		return bert.ClassifierLogits(ctx, &cfg, ids, types, mask)
	})
	if err != nil {
		return fmt.Errorf("finetune: evaluation graph: %w", err)
	}
	return nil
}

// lossAndCorrect returns the mean softmax cross-entropy and the number of
// correct argmax predictions.
func lossAndCorrect(logits, labels *graph.Node, numLabels int) (loss, correct *graph.Node) {
	oneHot := graph.OneHot(labels, numLabels, logits.DType())
	logp := graph.LogSoftmax(logits, -1)
	loss = graph.Neg(graph.ReduceAllMean(graph.ReduceSum(graph.Mul(oneHot, logp), -1)))
	pred := graph.ArgMax(graph.StopGradient(logits), -1, labels.DType())
	correct = graph.ReduceAllSum(graph.ConvertDType(graph.Equal(pred, labels), dtypes.Int32))
	return loss, correct
}

// batchTensors turns examples into the model's input tensors.
func batchTensors(ex []Example) (ids, types, mask *tensors.Tensor, labels *tensors.Tensor) {
	n, s := len(ex), len(ex[0].InputIDs)
	idf, tf, mf := make([]int32, 0, n*s), make([]int32, 0, n*s), make([]int32, 0, n*s)
	lab := make([]int32, n)
	for i, e := range ex {
		idf = append(idf, e.InputIDs...)
		if e.TokenTypeIDs != nil {
			tf = append(tf, e.TokenTypeIDs...)
		} else {
			tf = append(tf, make([]int32, s)...)
		}
		if e.AttentionMask != nil {
			mf = append(mf, e.AttentionMask...)
		} else {
			for range s {
				mf = append(mf, 1)
			}
		}
		lab[i] = int32(e.Label)
	}
	return tensors.FromFlatDataAndDimensions(idf, n, s), tensors.FromFlatDataAndDimensions(tf, n, s),
		tensors.FromFlatDataAndDimensions(mf, n, s), tensors.FromFlatDataAndDimensions(lab, n)
}

func (t *Trainer) check(name string, ex []Example) error {
	if len(ex) == 0 {
		return nil
	}
	s := len(ex[0].InputIDs)
	for i, e := range ex {
		if len(e.InputIDs) != s || (e.TokenTypeIDs != nil && len(e.TokenTypeIDs) != s) || (e.AttentionMask != nil && len(e.AttentionMask) != s) {
			return fmt.Errorf("finetune: %s example %d has length %d, want %d like the first (pad all to one length)", name, i, len(e.InputIDs), s)
		}
		if e.Label < 0 || e.Label >= t.cfg.NumLabels() {
			return fmt.Errorf("finetune: %s example %d has label %d, want 0..%d", name, i, e.Label, t.cfg.NumLabels()-1)
		}
	}
	if s > t.cfg.MaxPositionEmbeddings {
		return fmt.Errorf("finetune: %s sequences have %d tokens, the model takes at most %d", name, s, t.cfg.MaxPositionEmbeddings)
	}
	return nil
}

// epochOrder is the seeded permutation of n examples for an epoch.
func epochOrder(seed uint64, epoch, n int) []int {
	return rand.New(rand.NewPCG(seed, uint64(epoch)+1)).Perm(n)
}

// Fit trains on train for the configured number of epochs, evaluating on dev
// (and test, if not nil) after every epoch, and returns the history. With a
// CheckpointDir it resumes from the checkpoint there, if any. When ctx is
// cancelled it writes a checkpoint (if configured) and returns ctx's error
// with the history so far.
func (t *Trainer) Fit(ctx context.Context, train, dev, test []Example, progress func(Event)) (History, error) {
	if len(train) == 0 {
		return History{}, errors.New("finetune: no training examples")
	}
	for _, p := range []struct {
		name string
		ex   []Example
	}{{"train", train}, {"dev", dev}, {"test", test}} {
		if err := t.check(p.name, p.ex); err != nil {
			return History{}, err
		}
	}
	if progress == nil {
		progress = func(Event) {}
	}
	perEpoch := (len(train) + t.opt.BatchSize - 1) / t.opt.BatchSize
	total := perEpoch * t.opt.Epochs
	if t.opt.MaxSteps > 0 && t.opt.MaxSteps < total {
		total = t.opt.MaxSteps
	}
	st := trainState{NumTrain: len(train), Seed: t.opt.Seed}
	ckpt := ""
	if t.opt.CheckpointDir != "" {
		ckpt = filepath.Join(t.opt.CheckpointDir, CheckpointFile)
		removeStaleTemps(t.opt.CheckpointDir)
		if hasCheckpoint(ckpt) {
			if err := LoadCheckpoint(ckpt, t.vars, &st); err != nil {
				return History{}, err
			}
			if st.NumTrain != len(train) || st.Seed != t.opt.Seed {
				return History{}, fmt.Errorf("finetune: checkpoint %s is for %d training examples and seed %d, not %d and %d",
					ckpt, st.NumTrain, st.Seed, len(train), t.opt.Seed)
			}
			st.History.Resumed = true
			progress(Event{Kind: "resume", Epoch: st.Epoch + 1, Epochs: t.opt.Epochs, Step: st.Step, Steps: total})
		}
	}
	if !st.History.Resumed {
		if err := t.vars.SetRNGStateFromSeed(int64(t.opt.Seed)); err != nil {
			return History{}, fmt.Errorf("finetune: %w", err)
		}
	}
	if err := t.build(total); err != nil {
		return History{}, err
	}
	save := func() error {
		if ckpt == "" {
			return nil
		}
		if err := SaveCheckpoint(ckpt, t.vars, st); err != nil {
			return err
		}
		progress(Event{Kind: "checkpoint", Epoch: st.Epoch + 1, Epochs: t.opt.Epochs, Step: st.Step, Steps: total})
		return nil
	}
	start := time.Now()
	for st.Epoch < t.opt.Epochs && st.Step < total {
		epochStart := time.Now()
		order := epochOrder(t.opt.Seed, st.Epoch, len(train))
		for st.Batch < perEpoch && st.Step < total {
			if err := ctx.Err(); err != nil {
				if serr := save(); serr != nil {
					return st.History, errors.Join(err, serr)
				}
				return st.History, fmt.Errorf("finetune: interrupted at step %d: %w", st.Step, err)
			}
			lo := st.Batch * t.opt.BatchSize
			hi := min(lo+t.opt.BatchSize, len(train))
			batch := make([]Example, 0, hi-lo)
			for _, k := range order[lo:hi] {
				batch = append(batch, train[k])
			}
			ids, types, mask, labels := batchTensors(batch)
			outs, err := t.trainExec.Exec(ids, types, mask, labels)
			if err != nil {
				return st.History, fmt.Errorf("finetune: step %d: %w", st.Step, err)
			}
			loss := float64(tensors.ToScalar[float32](outs[0]))
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				return st.History, fmt.Errorf("finetune: step %d: loss is %v", st.Step, loss)
			}
			st.LossSum += loss * float64(len(batch))
			st.Seen += len(batch)
			st.Correct += int(tensors.ToScalar[int32](outs[1]))
			st.Step++
			st.Batch++
			progress(Event{Kind: "step", Epoch: st.Epoch + 1, Epochs: t.opt.Epochs, Step: st.Step, Steps: total,
				Loss: loss, LR: tensors.ToScalar[float64](outs[2]), Elapsed: time.Since(start)})
			if t.opt.CheckpointEvery > 0 && st.Step%t.opt.CheckpointEvery == 0 && st.Batch < perEpoch {
				if err := save(); err != nil {
					return st.History, err
				}
			}
		}
		// End of the epoch (or of MaxSteps): evaluate.
		res := EpochResult{Epoch: st.Epoch + 1, TrainLoss: st.LossSum / float64(max(1, st.Seen)), TrainAcc: float64(st.Correct) / float64(max(1, st.Seen))}
		stop := false
		if len(dev) > 0 {
			r, l, err := t.Evaluate(ctx, dev)
			if err != nil {
				return st.History, err
			}
			res.Dev, res.DevLoss = r, l
			m := metricValue(t.opt.Metric, r, l)
			if st.History.BestEpoch == 0 || m > st.BestMetric {
				st.BestMetric, st.History.BestEpoch, st.BadEpochs = m, res.Epoch, 0
				if t.opt.CheckpointDir != "" && t.opt.RestoreBest {
					if err := SaveCheckpoint(filepath.Join(t.opt.CheckpointDir, "best.safetensors"), t.vars, st); err != nil {
						return st.History, err
					}
				}
			} else {
				st.BadEpochs++
				if t.opt.EarlyStoppingPatience > 0 && st.BadEpochs >= t.opt.EarlyStoppingPatience {
					stop = true
				}
			}
		}
		if len(test) > 0 {
			r, _, err := t.Evaluate(ctx, test)
			if err != nil {
				return st.History, err
			}
			res.Test = &r
		}
		res.Seconds = time.Since(epochStart).Seconds()
		st.History.Epochs = append(st.History.Epochs, res)
		st.History.Steps = st.Step
		st.Epoch++
		st.Batch, st.LossSum, st.Seen, st.Correct = 0, 0, 0, 0
		if stop {
			st.History.StoppedEarly = true
			st.Epoch = t.opt.Epochs
		}
		if err := save(); err != nil {
			return st.History, err
		}
		progress(Event{Kind: "epoch", Epoch: res.Epoch, Epochs: t.opt.Epochs, Step: st.Step, Steps: total, Elapsed: time.Since(start), Result: &res})
	}
	st.History.Steps = st.Step
	if t.opt.RestoreBest && t.opt.CheckpointDir != "" && st.History.BestEpoch > 0 && st.History.BestEpoch != len(st.History.Epochs) {
		var best trainState
		if err := LoadCheckpoint(filepath.Join(t.opt.CheckpointDir, "best.safetensors"), t.vars, &best); err != nil {
			return st.History, err
		}
	}
	return st.History, nil
}

func metricValue(name string, r metrics.Report, loss float64) float64 {
	switch name {
	case "accuracy":
		return r.Accuracy
	case "roc_auc":
		return r.ROCAUC
	case "loss":
		return -loss
	}
	return r.F1
}

// Predict returns the class probabilities (softmax of the logits) of each example.
func (t *Trainer) Predict(ctx context.Context, ex []Example) ([][]float64, error) {
	if t.evalExec == nil {
		if err := t.build(1); err != nil {
			return nil, err
		}
	}
	if err := t.check("predict", ex); err != nil {
		return nil, err
	}
	out := make([][]float64, 0, len(ex))
	for lo := 0; lo < len(ex); lo += t.opt.EvalBatchSize {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hi := min(lo+t.opt.EvalBatchSize, len(ex))
		ids, types, mask, _ := batchTensors(ex[lo:hi])
		res, err := t.evalExec.Exec(ids, types, mask)
		if err != nil {
			return nil, fmt.Errorf("finetune: predict: %w", err)
		}
		logits := tensors.MustCopyFlatData[float32](res[0])
		k := t.cfg.NumLabels()
		for i := range hi - lo {
			out = append(out, softmax(logits[i*k:(i+1)*k]))
		}
	}
	return out, nil
}

func softmax(z []float32) []float64 {
	m := math.Inf(-1)
	for _, v := range z {
		m = math.Max(m, float64(v))
	}
	p := make([]float64, len(z))
	s := 0.0
	for i, v := range z {
		p[i] = math.Exp(float64(v) - m)
		s += p[i]
	}
	for i := range p {
		p[i] /= s
	}
	return p
}

// Evaluate returns the metrics of the model on ex (for two labels, ROC-AUC
// uses the probability of label 1) and the mean cross-entropy loss.
func (t *Trainer) Evaluate(ctx context.Context, ex []Example) (metrics.Report, float64, error) {
	probs, err := t.Predict(ctx, ex)
	if err != nil {
		return metrics.Report{}, 0, err
	}
	k := t.cfg.NumLabels()
	yTrue, yPred := make([]int, len(ex)), make([]int, len(ex))
	var scores []float64
	if k == 2 {
		scores = make([]float64, len(ex))
	}
	loss := 0.0
	for i, p := range probs {
		yTrue[i] = ex[i].Label
		for c := range p {
			if p[c] > p[yPred[i]] {
				yPred[i] = c
			}
		}
		if scores != nil {
			scores[i] = p[1]
		}
		loss -= math.Log(max(p[ex[i].Label], 1e-45))
	}
	hasBoth := false
	for _, y := range yTrue {
		if y != yTrue[0] {
			hasBoth = true
		}
	}
	if !hasBoth {
		scores = nil // ROC needs both classes.
	}
	r, err := metrics.Evaluate(k, yTrue, yPred, scores)
	if err != nil {
		return metrics.Report{}, 0, fmt.Errorf("finetune: evaluate: %w", err)
	}
	return r, loss / float64(len(ex)), nil
}

// Export writes the fine-tuned model as a Hugging Face model directory
// (config.json and model.safetensors with BertForSequenceClassification
// names) and copies the tokenizer files found in tokenizerDir (vocab.txt,
// tokenizer.json, tokenizer_config.json, special_tokens_map.json), if not
// empty. transformers' AutoModelForSequenceClassification and AutoTokenizer
// load the result.
func (t *Trainer) Export(dir, tokenizerDir string) error {
	cfg := t.cfg
	if len(cfg.Architectures) == 0 {
		cfg.Architectures = []string{"BertForSequenceClassification"}
	}
	if cfg.ProblemType == "" {
		cfg.ProblemType = "single_label_classification"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("finetune: export: %w", err)
	}
	if err := bert.Save(dir, t.vars, &cfg, true); err != nil {
		return fmt.Errorf("finetune: export %s: %w", dir, err)
	}
	if tokenizerDir == "" {
		return nil
	}
	for _, name := range []string{"vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"} {
		data, err := os.ReadFile(filepath.Join(tokenizerDir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("finetune: export tokenizer: %w", err)
		}
		if err := atomicfile.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return fmt.Errorf("finetune: export tokenizer: %w", err)
		}
	}
	return nil
}

// NewExample makes an Example from a tokenizer's output (ids, segment ids
// and attention mask as ints, as lib/bert/tokenizer's Encoding holds them);
// typeIDs and mask may be nil.
func NewExample(ids, typeIDs, mask []int, label int) Example {
	conv := func(x []int) []int32 {
		if x == nil {
			return nil
		}
		out := make([]int32, len(x))
		for i, v := range x {
			out[i] = int32(v)
		}
		return out
	}
	return Example{InputIDs: conv(ids), TokenTypeIDs: conv(typeIDs), AttentionMask: conv(mask), Label: label}
}
