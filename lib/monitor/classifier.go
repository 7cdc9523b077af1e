package monitor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/lib/bert"
	"github.com/founderlab/founderlab/lib/bert/finetune"
	"github.com/founderlab/founderlab/lib/metrics"
	"github.com/founderlab/founderlab/lib/textclass/classifier"
)

// Mode names one of the three sentiment classifiers.
type Mode uint8

// The classifiers, from cheapest to most expensive.
const (
	// TFIDF is a bag of words weighted by TF-IDF with a multinomial
	// logistic regression (textclass.Fit).
	TFIDF Mode = iota + 1
	// Embed is a multinomial logistic regression on MiniLM sentence
	// embeddings (mean pooling; textclass.FitDense).
	Embed
	// FineTune is MiniLM fine-tuned end to end with a 3-class head
	// (lib/bert/finetune).
	FineTune
)

// String returns "tfidf", "embed" or "finetune".
func (m Mode) String() string {
	switch m {
	case TFIDF:
		return "tfidf"
	case Embed:
		return "embed"
	case FineTune:
		return "finetune"
	}
	return "Mode(" + strconv.Itoa(int(m)) + ")"
}

// ParseMode is the inverse of [Mode.String].
func ParseMode(s string) (Mode, error) {
	for _, m := range []Mode{TFIDF, Embed, FineTune} {
		if m.String() == s {
			return m, nil
		}
	}
	return 0, fmt.Errorf("monitor: mode %q, want tfidf, embed or finetune", s)
}

// classNames are the labels' names in label order; classifier.Labels sorts
// names, and "bearish" < "bullish" < "neutral", so its class k is label k.
var classNames = []string{datasets.Bearish.String(), datasets.Bullish.String(), datasets.Neutral.String()}

// Classifier gives each text the probability of each sentiment, in the
// order of [datasets.FinLabels] (bearish, bullish, neutral).
type Classifier interface {
	Proba(ctx context.Context, texts []string) ([][]float64, error)
}

// TrainOptions configures [Train]. The zero value trains with the
// defaults: the pretrained [bert.DefaultModel], C = 10, and for
// fine-tuning lib/bert/finetune's defaults with MaxLength 64.
type TrainOptions struct {
	ModelDir string // a BERT model directory ("": bert.Pretrained(DefaultModel))
	C        float64
	FineTune classifier.FineTuneOptions
	// DevEvery puts every DevEvery-th training text in the dev split that
	// picks fine-tuning's best epoch (0: 10; see [DevSplit]).
	DevEvery int
	// Progress receives fine-tuning's events when not nil.
	Progress func(finetune.Event)
}

// Train fits the classifier of the given mode on texts and their labels.
// It uses lib/textclass/classifier's classifiers, whose class order is
// the labels'.
func Train(ctx context.Context, mode Mode, texts []string, labels []datasets.FinLabel, opt TrainOptions) (Classifier, error) {
	if len(texts) != len(labels) {
		return nil, fmt.Errorf("monitor: Train: %d texts and %d labels", len(texts), len(labels))
	}
	cats := make([]string, len(labels))
	seen := map[datasets.FinLabel]bool{}
	for i, l := range labels {
		if int(l) >= len(classNames) {
			return nil, fmt.Errorf("monitor: Train: text %d: label %v", i, l)
		}
		cats[i], seen[l] = classNames[l], true
	}
	if len(seen) != len(classNames) {
		return nil, errors.New("monitor: Train: every label needs training texts")
	}
	if err := classifier.CheckTexts(texts); err != nil {
		return nil, fmt.Errorf("monitor: Train: %w", err)
	}
	switch mode {
	case TFIDF:
		return classifier.FitTFIDF(ctx, texts, cats, 1)
	case Embed, FineTune:
	default:
		return nil, fmt.Errorf("monitor: Train: unknown mode %v", mode)
	}
	dir := opt.ModelDir
	if dir == "" {
		var err error
		if dir, err = bert.Pretrained(ctx, bert.DefaultModel); err != nil {
			return nil, fmt.Errorf("monitor: Train: %w", err)
		}
	}
	if mode == FineTune {
		x, y, devX, devY := DevSplit(texts, labels, opt.DevEvery)
		return classifier.FineTune(ctx, dir, x, names(y), devX, names(devY), opt.FineTune, opt.Progress)
	}
	m, err := bert.Load(dir)
	if err != nil {
		return nil, fmt.Errorf("monitor: Train: %w", err)
	}
	x, err := m.Embed(ctx, texts)
	if err != nil {
		return nil, fmt.Errorf("monitor: Train: embed: %w", err)
	}
	lin, err := classifier.FitLinear(ctx, x, cats, classifier.LinearOptions{C: opt.C})
	if err != nil {
		return nil, fmt.Errorf("monitor: Train: %w", err)
	}
	if !slices.Equal(lin.Names, classNames) {
		return nil, fmt.Errorf("monitor: Train: classes %q", lin.Names)
	}
	return &classifier.Embedding{Encoder: m, Linear: lin}, nil
}

// names returns the class names of labels.
func names(labels []datasets.FinLabel) []string {
	out := make([]string, len(labels))
	for i, l := range labels {
		out[i] = classNames[l]
	}
	return out
}

// Evaluation is a classifier's performance on labelled texts.
type Evaluation struct {
	metrics.Report // Accuracy; Precision, Recall, F1 are macro averages
	// ClassPrecision and ClassRecall are per label, in label order.
	ClassPrecision, ClassRecall []float64
	// TextsPerSecond is the number of texts over the wall time of
	// classifying them in batches.
	TextsPerSecond float64
}

// Evaluate classifies texts in batches of batch (0: 256) and scores them
// against their labels with lib/metrics.
func Evaluate(ctx context.Context, c Classifier, texts []string, labels []datasets.FinLabel, batch int) (Evaluation, error) {
	if len(texts) != len(labels) {
		return Evaluation{}, fmt.Errorf("monitor: Evaluate: %d texts and %d labels", len(texts), len(labels))
	}
	start := time.Now()
	pred, _, err := classify(ctx, c, texts, batch)
	if err != nil {
		return Evaluation{}, fmt.Errorf("monitor: Evaluate: %w", err)
	}
	secs := time.Since(start).Seconds()
	yt, yp := make([]int, len(labels)), make([]int, len(labels))
	for i := range labels {
		yt[i], yp[i] = int(labels[i]), int(pred[i])
	}
	r, err := metrics.Evaluate(len(classNames), yt, yp, nil)
	if err != nil {
		return Evaluation{}, fmt.Errorf("monitor: Evaluate: %w", err)
	}
	e := Evaluation{Report: r}
	for k := range classNames {
		e.ClassPrecision = append(e.ClassPrecision, r.Confusion.Precision(k))
		e.ClassRecall = append(e.ClassRecall, r.Confusion.Recall(k))
	}
	if secs > 0 {
		e.TextsPerSecond = float64(len(texts)) / secs
	}
	return e, nil
}

// Classify returns the most probable label of each text and its
// probability, classifying in batches of batch texts (0: 256).
func Classify(ctx context.Context, c Classifier, texts []string, batch int) ([]datasets.FinLabel, []float64, error) {
	pred, conf, err := classify(ctx, c, texts, batch)
	if err != nil {
		return nil, nil, fmt.Errorf("monitor: %w", err)
	}
	return pred, conf, nil
}

func classify(ctx context.Context, c Classifier, texts []string, batch int) ([]datasets.FinLabel, []float64, error) {
	pred, conf, _, err := classifyProba(ctx, c, texts, batch)
	return pred, conf, err
}

// classifyProba also returns each text's probability of being bearish.
func classifyProba(ctx context.Context, c Classifier, texts []string, batch int) (pred []datasets.FinLabel, conf, bear []float64, err error) {
	if batch <= 0 {
		batch = 256
	}
	pred, conf, bear = make([]datasets.FinLabel, 0, len(texts)), make([]float64, 0, len(texts)), make([]float64, 0, len(texts))
	for lo := 0; lo < len(texts); lo += batch {
		hi := min(lo+batch, len(texts))
		p, err := c.Proba(ctx, texts[lo:hi])
		if err != nil {
			return nil, nil, nil, fmt.Errorf("texts %d to %d: %w", lo, hi-1, err)
		}
		if len(p) != hi-lo {
			return nil, nil, nil, fmt.Errorf("texts %d to %d: %d rows of probabilities", lo, hi-1, len(p))
		}
		for _, row := range p {
			if len(row) != len(classNames) {
				return nil, nil, nil, fmt.Errorf("%d classes, want %d", len(row), len(classNames))
			}
			k := 0
			for j := range row {
				if row[j] > row[k] {
					k = j
				}
			}
			pred, conf, bear = append(pred, datasets.FinLabel(k)), append(conf, row[k]), append(bear, row[datasets.Bearish])
		}
	}
	return pred, conf, bear, nil
}

// ReadLabelled reads a CSV of labelled texts (columns text and label, as
// fin-sentiment's files) with [datasets.ReadFinSentiment]; errors name the
// file and the line.
func ReadLabelled(path string) ([]string, []datasets.FinLabel, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("monitor: %w", err)
	}
	defer f.Close()
	ts, err := datasets.ReadFinSentiment(f)
	if err != nil {
		return nil, nil, fmt.Errorf("monitor: %s: %w", path, err)
	}
	texts, labels := datasets.FinTexts(ts)
	return texts, labels, nil
}

// Sample keeps n of the labelled texts, evenly spaced over them (a file
// sorted by label keeps its balance), or all of them when n is 0 or at
// least their number.
func Sample(texts []string, labels []datasets.FinLabel, n int) ([]string, []datasets.FinLabel) {
	if n <= 0 || n >= len(texts) {
		return texts, labels
	}
	x, y := make([]string, n), make([]datasets.FinLabel, n)
	for i := range x {
		j := i * len(texts) / n
		x[i], y[i] = texts[j], labels[j]
	}
	return x, y
}
