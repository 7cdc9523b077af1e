package finetune

import (
	"fmt"
	"math"

	"github.com/founderlab/founderlab/lib/bert"
	"github.com/founderlab/founderlab/lib/metrics"
)

// Options configures fine-tuning. [DefaultOptions] gives the chapter's
// settings (those of the seed notebook and transformers' Trainer).
type Options struct {
	Epochs    int
	BatchSize int
	// LearningRate is AdamW's peak learning rate.
	LearningRate float64
	// Schedule shapes the learning rate over the steps: the zero value,
	// ScheduleLinear, warms up over WarmupRatio of the steps and decays
	// linearly to 0; ScheduleConstant keeps LearningRate at every step.
	Schedule Schedule
	// WeightDecay is AdamW's decoupled weight decay, applied to every weight
	// except biases and LayerNorm parameters.
	WeightDecay float64
	// WarmupRatio is the share of all steps spent warming the learning rate
	// up linearly from 0 under ScheduleLinear; it must be 0 under
	// ScheduleConstant.
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
	// Metric is the dev metric that selects the best epoch (the zero
	// value is MetricF1).
	Metric Metric
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
	// LogDir, if set, is a TensorBoard run directory: Fit writes the
	// scalars of every update (train/loss, train/learning_rate,
	// train/grad_norm) and of every evaluation (train/epoch_loss,
	// train/epoch_accuracy, dev/loss, dev/accuracy, dev/precision,
	// dev/recall, dev/f1, dev/roc_auc and the same test/ tags) into a new
	// event file there, at the update step, through lib/tensorboard. Give
	// each run its own directory under one parent and point
	// `tensorboard --logdir` at the parent to compare runs; a run resumed
	// from a checkpoint adds a second event file to its directory.
	LogDir string
	// LoRA, if not nil, fine-tunes with low-rank adapters instead of all
	// weights (see bert.LoRA): the base model is frozen — its weights get
	// no gradient and no optimizer state — and only the adapters' A and B
	// matrices and the classifier head (and, with LoRA.TrainPooler, the
	// pooler) are trained. Export then writes the
	// merged model and ExportAdapter the PEFT adapter.
	LoRA *bert.LoRA
	// Adapter, if not nil, fine-tunes bottleneck adapters (bert.Adapter:
	// Houlsby et al., 2019) instead of all weights: the base model is
	// frozen and only the adapters, the classifier head and, unless
	// Adapter.FreezeLayerNorm, the LayerNorm parameters are trained. It
	// cannot be combined with LoRA. Adapters cannot be merged into the
	// base weights, so Export refuses such a model.
	Adapter *bert.Adapter
	// Devices is the number of devices each training step runs on, data
	// parallel: the batch is split evenly over a one-axis device mesh
	// (BatchSize must be a multiple of Devices), the parameters and the
	// optimizer state are replicated, and XLA reduces the gradients across
	// devices. 0 means [DefaultDevices] (all of an accelerator's devices, 1
	// on CPU), lowered to the most that split BatchSize evenly. More than 1
	// needs the XLA backend. Evaluation runs on one
	// device. See "Several devices" in the package documentation.
	Devices int
}

// DefaultOptions returns the chapter's settings: 5 epochs, batch 16, AdamW
// with learning rate 2e-5 decaying linearly to 0 (ScheduleLinear, no
// warm-up) and weight decay 0.01, clipping at 1.0, best epoch by dev F1.
func DefaultOptions() Options {
	return Options{Epochs: 5, BatchSize: 16, LearningRate: 2e-5, WeightDecay: 0.01,
		MaxGradNorm: 1, Seed: 42, Metric: MetricF1, RestoreBest: true}
}

// Metric is the dev metric that selects the best epoch and drives early
// stopping.
type Metric uint8

const (
	// MetricF1 is the F1 score: of class 1 for two classes, the macro
	// average for more (as lib/metrics reports it); the default.
	MetricF1 Metric = iota
	// MetricAccuracy is the share of correct predictions.
	MetricAccuracy
	// MetricROCAUC is the area under the ROC curve (two classes only; 0
	// otherwise).
	MetricROCAUC
	// MetricLoss is the mean cross-entropy; lower is better.
	MetricLoss
)

// String returns the metric's name as transformers' metric_for_best_model
// spells it: "f1", "accuracy", "roc_auc" or "loss".
func (m Metric) String() string {
	switch m {
	case MetricF1:
		return "f1"
	case MetricAccuracy:
		return "accuracy"
	case MetricROCAUC:
		return "roc_auc"
	case MetricLoss:
		return "loss"
	}
	return fmt.Sprintf("Metric(%d)", uint8(m))
}

// valid reports whether m is one of the metrics above.
func (m Metric) valid() bool { return m <= MetricLoss }

// score is the metric's value for a dev report and mean loss, oriented so
// that higher is better.
func (m Metric) score(r metrics.Report, loss float64) float64 {
	switch m {
	case MetricAccuracy:
		return r.Accuracy
	case MetricROCAUC:
		return r.ROCAUC
	case MetricLoss:
		return -loss
	}
	return r.F1
}

// Schedule is the learning-rate schedule: the multiplier s(t) of
// Options.LearningRate at update t = 0, 1, …, T−1 of a run of T updates
// (see [AdamW]).
type Schedule uint8

const (
	// ScheduleLinear is transformers' Trainer default
	// (get_linear_schedule_with_warmup): with W = round(WarmupRatio·T)
	// warm-up steps, s(t) = t/W for t < W, then (T − t)/(T − W), falling
	// linearly to 0 after the last update. The zero value.
	ScheduleLinear Schedule = iota
	// ScheduleConstant keeps s(t) = 1: AdamW at a fixed learning rate, no
	// warm-up and no decay (transformers' "constant" schedule).
	ScheduleConstant
)

// String returns the schedule's name as transformers' lr_scheduler_type
// spells it: "linear" or "constant".
func (s Schedule) String() string {
	switch s {
	case ScheduleLinear:
		return "linear"
	case ScheduleConstant:
		return "constant"
	}
	return fmt.Sprintf("Schedule(%d)", uint8(s))
}

// ParseSchedule returns the schedule named name, as String spells it.
func ParseSchedule(name string) (Schedule, error) {
	for _, s := range []Schedule{ScheduleLinear, ScheduleConstant} {
		if name == s.String() {
			return s, nil
		}
	}
	return 0, fmt.Errorf("finetune: schedule %q: unknown (want \"linear\" or \"constant\")", name)
}

// adamW returns the optimizer of a run of totalSteps updates with o's
// learning rate, schedule, weight decay and clipping.
func (o Options) adamW(totalSteps int) (AdamW, error) {
	a := NewAdamW(o.LearningRate, o.WeightDecay)
	a.MaxGradNorm = o.MaxGradNorm
	switch o.Schedule {
	case ScheduleLinear:
		a.TotalSteps = totalSteps
		a.WarmupSteps = int(math.Round(o.WarmupRatio * float64(totalSteps)))
	case ScheduleConstant:
		if o.WarmupRatio != 0 {
			return AdamW{}, fmt.Errorf("finetune: schedule constant has no warm-up, but WarmupRatio is %g (set it to 0)", o.WarmupRatio)
		}
	default:
		return AdamW{}, fmt.Errorf("finetune: unknown schedule %v (want ScheduleLinear or ScheduleConstant)", o.Schedule)
	}
	return a, nil
}
