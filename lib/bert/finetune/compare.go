package finetune

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/founderlab/founderlab/internal/atomicfile"
	"github.com/founderlab/founderlab/internal/rss"
	"github.com/founderlab/founderlab/lib/bert"
	"github.com/founderlab/founderlab/lib/metrics"
	"github.com/founderlab/founderlab/lib/tensorboard"
	"github.com/gomlx/gomlx/backends"
	mlctx "github.com/gomlx/gomlx/pkg/ml/context"
)

// Method is a way of fine-tuning: all weights, LoRA or bottleneck adapters.
type Method uint8

const (
	// MethodFull trains every weight.
	MethodFull Method = iota
	// MethodLoRA trains low-rank adapters (bert.DefaultLoRA of the
	// variant's size) and the classifier head.
	MethodLoRA
	// MethodAdapter trains bottleneck adapters (bert.Adapter of the
	// variant's size), the LayerNorms and the classifier head.
	MethodAdapter
)

// String returns "full", "lora" or "adapter".
func (m Method) String() string {
	switch m {
	case MethodFull:
		return "full"
	case MethodLoRA:
		return "lora"
	case MethodAdapter:
		return "adapter"
	}
	return fmt.Sprintf("Method(%d)", uint8(m))
}

// Variant is one fine-tuning setup of a comparison: a method, its size
// (LoRA rank or adapter bottleneck; 0 for full fine-tuning) and,
// optionally, a learning rate of its own.
type Variant struct {
	Method Method
	Size   int
	// Pooler, for LoRA, also trains the pooler (bert.LoRA.TrainPooler).
	Pooler bool
	// LearningRate, if positive, replaces Options.LearningRate.
	LearningRate float64
}

// ErrVariant is wrapped by the errors of [ParseVariant] and of invalid
// variants.
var ErrVariant = errors.New("finetune: invalid variant")

// ParseVariant reads a variant written as [Variant.String] writes it:
// "full", "lora-r8", "lora-r8+pooler" (LoRA that also trains the pooler),
// "adapter-m64", each optionally followed by "@<learning rate>", such as
// "lora-r8@5e-4".
func ParseVariant(s string) (Variant, error) {
	var v Variant
	spec, lr, hasLR := strings.Cut(strings.TrimSpace(s), "@")
	if hasLR {
		f, err := strconv.ParseFloat(lr, 64)
		if err != nil || !(f > 0) || math.IsInf(f, 0) {
			return v, fmt.Errorf("%w %q: learning rate %q, want a positive number", ErrVariant, s, lr)
		}
		v.LearningRate = f
	}
	var num string
	switch {
	case spec == "full":
		v.Method = MethodFull
		return v, nil
	case strings.HasPrefix(spec, "lora-r"):
		v.Method, num = MethodLoRA, strings.TrimPrefix(spec, "lora-r")
		num, v.Pooler = strings.CutSuffix(num, "+pooler")
	case strings.HasPrefix(spec, "adapter-m"):
		v.Method, num = MethodAdapter, strings.TrimPrefix(spec, "adapter-m")
	default:
		return v, fmt.Errorf("%w %q: want full, lora-r<rank>[+pooler] or adapter-m<size>, optionally @<learning rate>", ErrVariant, s)
	}
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 {
		return v, fmt.Errorf("%w %q: size %q, want a positive integer", ErrVariant, s, num)
	}
	v.Size = n
	return v, nil
}

// String names the variant: "full", "lora-r8" or "adapter-m64", with
// "@<learning rate>" when it has one.
func (v Variant) String() string {
	s := v.Method.String()
	switch v.Method {
	case MethodLoRA:
		s += fmt.Sprintf("-r%d", v.Size)
		if v.Pooler {
			s += "+pooler"
		}
	case MethodAdapter:
		s += fmt.Sprintf("-m%d", v.Size)
	}
	if v.LearningRate > 0 {
		s += "@" + strconv.FormatFloat(v.LearningRate, 'g', -1, 64)
	}
	return s
}

// Apply returns opt set up for the variant: Options.LoRA or
// Options.Adapter, and the learning rate.
func (v Variant) Apply(opt Options) (Options, error) {
	opt.LoRA, opt.Adapter = nil, nil
	switch v.Method {
	case MethodFull:
	case MethodLoRA:
		l := bert.DefaultLoRA(v.Size)
		l.TrainPooler = v.Pooler
		opt.LoRA = &l
	case MethodAdapter:
		opt.Adapter = &bert.Adapter{Size: v.Size}
	default:
		return opt, fmt.Errorf("%w: unknown method %v", ErrVariant, v.Method)
	}
	if v.Method != MethodFull && v.Size <= 0 {
		return opt, fmt.Errorf("%w %s: size %d, want > 0", ErrVariant, v, v.Size)
	}
	if v.LearningRate > 0 {
		opt.LearningRate = v.LearningRate
	}
	return opt, nil
}

// Grid returns the LoRA variants of every rank with every learning rate,
// ranks outermost: the grid of a small hyper-parameter search.
func Grid(ranks []int, learningRates []float64) []Variant {
	var vs []Variant
	for _, r := range ranks {
		for _, lr := range learningRates {
			vs = append(vs, Variant{Method: MethodLoRA, Size: r, LearningRate: lr})
		}
	}
	return vs
}

// Trial is the record of one training run of a comparison: one variant
// and one seed.
type Trial struct {
	Variant         string
	Seed            uint64
	LearningRate    float64
	TrainableParams int
	// StepSeconds is the median wall time of an update, without the
	// first update of the run (which compiles the graph) and the
	// evaluations between epochs.
	StepSeconds float64
	// PeakRSSMB is the process's peak resident memory during the trial,
	// in MiB (0 where the system does not report it). On Linux the peak is
	// reset when the trial starts, but memory the process kept from
	// earlier work still counts: run each trial in a process of its own
	// (as bench/peft does) to compare methods.
	PeakRSSMB float64
	// BestEpoch is the best dev epoch (1-based), whose scores Dev and Test
	// hold.
	BestEpoch int
	Dev       metrics.Report
	Test      *metrics.Report `json:",omitempty"`
	Seconds   float64         // of the whole trial, evaluations included
	LogDir    string          `json:",omitempty"`
}

// Name is the trial's run name, "<variant>-seed<seed>", which is also its
// TensorBoard run directory under the comparison's log directory.
func (t Trial) Name() string { return TrialName(t.Variant, t.Seed) }

// TrialName returns "<variant>-seed<seed>" with the variant's "@" written
// as "-lr" so that the name is a plain directory name.
func TrialName(variant string, seed uint64) string {
	return fmt.Sprintf("%s-seed%d", strings.ReplaceAll(variant, "@", "-lr"), seed)
}

// RunTrial fine-tunes the model in vars (fresh pretrained weights: the
// trial changes them) with variant v and opt's other settings, with seed
// opt.Seed, and returns its record. If opt.LogDir is set it is the parent
// of the trial's TensorBoard run directory, [TrialName]. progress, if not
// nil, receives the trial's events.
func RunTrial(ctx context.Context, b backends.Backend, cfg bert.Config, vars *mlctx.Context, opt Options, v Variant,
	train, dev, test []Example, progress func(Event)) (Trial, error) {
	opt, err := v.Apply(opt)
	if err != nil {
		return Trial{}, err
	}
	tr := Trial{Variant: v.String(), Seed: opt.Seed, LearningRate: opt.LearningRate}
	if opt.LogDir != "" {
		opt.LogDir = filepath.Join(opt.LogDir, tr.Name())
		tr.LogDir = opt.LogDir
	}
	start := time.Now()
	rss.ResetPeak()
	t, err := NewTrainer(b, cfg, vars, opt)
	if err != nil {
		return tr, err
	}
	tr.TrainableParams = t.TrainableParams()
	var gaps []float64
	var last time.Time
	h, err := t.Fit(ctx, train, dev, test, func(e Event) {
		now := time.Now()
		switch e.Kind {
		case EventStep:
			if !last.IsZero() {
				gaps = append(gaps, now.Sub(last).Seconds())
			}
			last = now
		case EventEpoch:
			last = time.Time{} // the next gap would include the evaluation
		}
		if progress != nil {
			progress(e)
		}
	})
	tr.Seconds = time.Since(start).Seconds()
	tr.PeakRSSMB = rss.PeakMiB()
	if err != nil {
		return tr, fmt.Errorf("finetune: trial %s: %w", tr.Name(), err)
	}
	if len(gaps) > 0 {
		slices.Sort(gaps)
		tr.StepSeconds = gaps[len(gaps)/2]
	}
	best := h.BestEpoch
	if best == 0 {
		best = len(h.Epochs)
	}
	if best > 0 {
		e := h.Epochs[best-1]
		tr.BestEpoch, tr.Dev, tr.Test = best, e.Dev, e.Test
	}
	return tr, nil
}

// Spread summarises one score over the seeds of a variant.
type Spread struct {
	Mean, Min, Max float64
	// Std is the sample standard deviation (0 for one seed).
	Std float64
	N   int
}

// String writes the spread as "0.944 ± 0.006 (n=3)": the mean and the
// sample standard deviation, or "0.944 (n=1)" for one value.
func (s Spread) String() string {
	if s.N < 2 {
		return fmt.Sprintf("%.3f (n=%d)", s.Mean, s.N)
	}
	return fmt.Sprintf("%.3f ± %.3f (n=%d)", s.Mean, s.Std, s.N)
}

// spreadOf computes the spread of xs (empty: the zero Spread).
func spreadOf(xs []float64) Spread {
	if len(xs) == 0 {
		return Spread{}
	}
	s := Spread{N: len(xs), Min: xs[0], Max: xs[0]}
	for _, x := range xs {
		s.Mean += x
		s.Min, s.Max = min(s.Min, x), max(s.Max, x)
	}
	s.Mean /= float64(len(xs))
	if len(xs) > 1 {
		for _, x := range xs {
			s.Std += (x - s.Mean) * (x - s.Mean)
		}
		s.Std = math.Sqrt(s.Std / float64(len(xs)-1))
	}
	return s
}

// Summary is a variant's line of a comparison: its trials' scores over
// seeds.
type Summary struct {
	Variant         string
	TrainableParams int
	// StepSeconds is the median of the trials' median step times.
	StepSeconds float64
	// PeakRSSMB is the largest of the trials' peaks.
	PeakRSSMB        float64
	DevAcc, TestAcc  Spread
	TestF1           Spread
	Seeds            []uint64
	MeanTrialSeconds float64
}

// Summarize groups trials by variant, in the order each variant first
// appears, and summarises each group.
func Summarize(trials []Trial) []Summary {
	var order []string
	groups := map[string][]Trial{}
	for _, t := range trials {
		if _, ok := groups[t.Variant]; !ok {
			order = append(order, t.Variant)
		}
		groups[t.Variant] = append(groups[t.Variant], t)
	}
	out := make([]Summary, 0, len(order))
	for _, name := range order {
		g := groups[name]
		s := Summary{Variant: name, TrainableParams: g[0].TrainableParams}
		var dev, test, f1, steps []float64
		for _, t := range g {
			s.Seeds = append(s.Seeds, t.Seed)
			dev, steps = append(dev, t.Dev.Accuracy), append(steps, t.StepSeconds)
			if t.Test != nil {
				test, f1 = append(test, t.Test.Accuracy), append(f1, t.Test.F1)
			}
			s.PeakRSSMB = max(s.PeakRSSMB, t.PeakRSSMB)
			s.MeanTrialSeconds += t.Seconds / float64(len(g))
		}
		slices.Sort(steps)
		s.StepSeconds = steps[len(steps)/2]
		s.DevAcc, s.TestAcc, s.TestF1 = spreadOf(dev), spreadOf(test), spreadOf(f1)
		out = append(out, s)
	}
	return out
}

// ComparisonHeader is the header of [Summary.Row].
var ComparisonHeader = []string{"variant", "trainable parameters", "ms per step", "peak RSS (MiB)", "dev accuracy", "test accuracy", "test F1", "seeds"}

// Row formats the summary for a table under [ComparisonHeader]; total is
// the model's parameter count, for the trainable share (0 leaves it out).
// A peak memory of 0 (not measured) is written "—".
func (s Summary) Row(total int) []string {
	params := fmt.Sprint(s.TrainableParams)
	if total > 0 {
		params += fmt.Sprintf(" (%.2f %%)", 100*float64(s.TrainableParams)/float64(total))
	}
	seeds := make([]string, len(s.Seeds))
	for i, sd := range s.Seeds {
		seeds[i] = fmt.Sprint(sd)
	}
	peak := "—" // not measured
	if s.PeakRSSMB > 0 {
		peak = fmt.Sprintf("%.0f", s.PeakRSSMB)
	}
	return []string{s.Variant, params, fmt.Sprintf("%.0f", 1000*s.StepSeconds), peak,
		s.DevAcc.String(), s.TestAcc.String(), s.TestF1.String(), strings.Join(seeds, ",")}
}

// WriteTrials writes trials to path as an indented JSON array, atomically.
func WriteTrials(path string, trials []Trial) error {
	data, err := json.MarshalIndent(trials, "", " ")
	if err != nil {
		return fmt.Errorf("finetune: write trials: %w", err)
	}
	if err := atomicfile.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("finetune: write trials: %w", err)
	}
	return nil
}

// ReadTrials reads a file written by [WriteTrials]. A missing file holds no
// trials (nil, nil).
func ReadTrials(path string) ([]Trial, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("finetune: read trials: %w", err)
	}
	var ts []Trial
	if err := json.Unmarshal(data, &ts); err != nil {
		return nil, fmt.Errorf("finetune: read trials %s: %w", path, err)
	}
	return ts, nil
}

// TrialOf makes the record of a run trained outside [RunTrial] (such as
// a notebook's main fine-tuning, with checkpoints) from its history and
// its TensorBoard run directory logDir: the trainable parameters logged
// there, the median step time of its event files ([MedianStepSeconds])
// and the scores of the best dev epoch. Its peak memory is unknown (0).
func TrialOf(variant string, seed uint64, h History, logDir string) (Trial, error) {
	t := Trial{Variant: variant, Seed: seed, BestEpoch: h.BestEpoch, LogDir: logDir}
	if t.BestEpoch == 0 {
		t.BestEpoch = len(h.Epochs)
	}
	if t.BestEpoch == 0 || t.BestEpoch > len(h.Epochs) {
		return t, fmt.Errorf("finetune: trial %s: history has no epoch %d", variant, t.BestEpoch)
	}
	e := h.Epochs[t.BestEpoch-1]
	t.Dev, t.Test = e.Dev, e.Test
	scalars, err := tensorboard.ReadDir(logDir)
	if err != nil {
		return t, fmt.Errorf("finetune: trial %s: %w", variant, err)
	}
	if _, n := tensorboard.Series(scalars, TagTrainableParams); len(n) > 0 {
		t.TrainableParams = int(n[len(n)-1])
	} else {
		return t, fmt.Errorf("finetune: trial %s: %s logs no %s", variant, logDir, TagTrainableParams)
	}
	if t.StepSeconds, err = MedianStepSeconds(logDir); err != nil {
		return t, err
	}
	return t, nil
}
