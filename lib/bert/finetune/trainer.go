package finetune

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/founderlab/founderlab/lib/backend"
	"github.com/founderlab/founderlab/lib/bert"
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

// Trainer fine-tunes BertForSequenceClassification.
type Trainer struct {
	cfg       bert.Config
	vars      *mlctx.Context
	backend   backends.Backend
	opt       Options
	adam      AdamW
	trainExec *mlctx.Exec
	evalExec  *mlctx.Exec
	devices   int           // devices the training step runs on
	dp        *dataParallel // nil on one device
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
	if _, err := opt.adamW(1); err != nil {
		return nil, err
	}
	if !opt.Metric.valid() {
		return nil, fmt.Errorf("finetune: unknown metric %v (want MetricF1, MetricAccuracy, MetricROCAUC or MetricLoss)", opt.Metric)
	}
	if opt.EvalBatchSize == 0 {
		opt.EvalBatchSize = 2 * opt.BatchSize
	}
	if vars == nil {
		return nil, errors.New("finetune: nil variables context")
	}
	if opt.LoRA != nil {
		if err := opt.LoRA.Validate(); err != nil {
			return nil, fmt.Errorf("finetune: %w", err)
		}
		l := *opt.LoRA
		cfg.LoRA = &l
	}
	if opt.Adapter != nil {
		if opt.LoRA != nil {
			return nil, errors.New("finetune: Options.LoRA and Options.Adapter are both set; choose one method")
		}
		if err := opt.Adapter.Validate(); err != nil {
			return nil, fmt.Errorf("finetune: %w", err)
		}
		a := *opt.Adapter
		cfg.Adapter = &a
	}
	devices, err := resolveDevices(b, opt)
	if err != nil {
		return nil, err
	}
	var dp *dataParallel
	if devices > 1 {
		if dp, err = newDataParallel(devices); err != nil {
			return nil, err
		}
	}
	vars.SetParam(mlctx.ParamInitialSeed, int64(opt.Seed))
	// Fast DotGeneral gradients and the Rsqrt gradient LayerNorm needs, in
	// case the backend was not made by backend.New (which installs them).
	if err := backend.InstallTrainingFixes(); err != nil {
		return nil, err
	}
	return &Trainer{cfg: cfg, vars: vars, backend: b, opt: opt, devices: devices, dp: dp}, nil
}

// Vars returns the context holding the model (and optimizer) variables.
func (t *Trainer) Vars() *mlctx.Context { return t.vars }

// Devices returns the number of devices each training step runs on
// (Options.Devices, or [DefaultDevices] when that is 0).
func (t *Trainer) Devices() int { return t.devices }

// Config returns the model configuration.
func (t *Trainer) Config() bert.Config { return t.cfg }

func (t *Trainer) build(totalSteps int) error {
	var err error
	if t.adam, err = t.opt.adamW(totalSteps); err != nil {
		return err
	}
	cfg := t.cfg
	numLabels := cfg.NumLabels()
	adam := t.adam
	t.trainExec, err = mlctx.NewExec(t.backend, t.vars.Checked(false), func(ctx *mlctx.Context, ids, types, mask, labels *graph.Node) []*graph.Node {
		g := ids.Graph()
		ctx.SetTraining(g, true)
		logits := bert.ClassifierLogits(ctx, &cfg, ids, types, mask)
		loss, correct := lossAndCorrect(logits, labels, numLabels)
		var vars []*mlctx.Variable
		var values []*graph.Node
		for v := range ctx.IterVariables() {
			if v.Trainable && v.InUseByGraph(g) && !strings.HasPrefix(v.Scope(), OptimizerScope) && trained(&cfg, v) {
				vars = append(vars, v)
				values = append(values, v.ValueGraph(g))
			}
		}
		grads := graph.Gradient(loss, values...)
		gradNorm, lr, err := adam.Apply(ctx, vars, grads)
		if err != nil {
			panic(err)
		}
		return []*graph.Node{loss, correct, lr, gradNorm}
	})
	if err != nil {
		return fmt.Errorf("finetune: training graph: %w", err)
	}
	if t.dp != nil {
		t.dp.configure(t.trainExec, 4)
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

// trained reports whether fine-tuning updates the variable: every one
// without LoRA or adapters; with LoRA only the adapters and the classifier
// head; with adapters those, and the LayerNorms unless frozen. The
// others are left out of the gradient, so the backward pass computes no
// gradient for them (GoMLX builds the backward graph only along paths to
// the variables asked for, and the backends skip nodes no output uses).
func trained(cfg *bert.Config, v *mlctx.Variable) bool {
	switch {
	case cfg.LoRA != nil:
		return bert.IsLoRAVariable(v.Scope(), v.Name()) || bert.IsClassifierVariable(v.Scope()) ||
			(cfg.LoRA.TrainPooler && bert.IsPoolerVariable(v.Scope()))
	case cfg.Adapter != nil:
		return bert.IsAdapterVariable(v.Scope()) || bert.IsClassifierVariable(v.Scope()) ||
			(!cfg.Adapter.FreezeLayerNorm && bert.IsLayerNormVariable(v.Scope()))
	}
	return true
}

// TrainableParams returns the number of parameters that fine-tuning
// updates: all of the model's without LoRA or adapters; with LoRA those of
// the adapters and the classifier head (and the pooler with
// LoRA.TrainPooler); with bottleneck adapters those of
// the adapters, the classifier head and (unless frozen) the LayerNorms.
func (t *Trainer) TrainableParams() int {
	cfg := t.cfg
	ps := bert.Parameters(&cfg, true)
	if cfg.LoRA != nil {
		head := ps[len(ps)-2:] // classifier weight and bias
		if cfg.LoRA.TrainPooler {
			head = ps[len(ps)-4:] // and the pooler's, just before
		}
		ps = append(bert.LoRAParameters(&cfg), head...)
	}
	if cfg.Adapter != nil {
		head := ps[len(ps)-2:]
		ps = bert.AdapterParameters(&cfg)
		if !cfg.Adapter.FreezeLayerNorm {
			ps = append(ps, bert.LayerNormParameters(&cfg)...)
		}
		ps = append(ps, head...)
	}
	n := 0
	for _, p := range ps {
		k := 1
		for _, d := range p.Shape {
			k *= d
		}
		n += k
	}
	return n
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
