package monitor

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/founderlab/founderlab/datasets"
)

// Bins is the number of equal bins of P(bearish) in a [Calibration].
const Bins = 10

// ErrCalibration is wrapped by the errors of a bad [Calibration] or of
// too few labelled texts to make one.
var ErrCalibration = errors.New("bad calibration")

// Calibration says how a classifier's output depends on a text's true
// label, measured on labelled texts it was not trained on. The detector
// uses it to weigh each text's evidence and to estimate the true bearish
// share of the stream from what the classifier says.
type Calibration struct {
	// Bearish[k] and Other[k] are the shares of the bearish and of the
	// other texts whose probability of being bearish falls in bin k, the
	// bins splitting [0, 1] into len(Bearish) equal parts (Bins).
	Bearish, Other []float64
	// Recall is the share of bearish texts classified bearish and
	// FalsePositive that of the other texts: Labels counting uses them.
	Recall, FalsePositive float64
	// Prior is the share of bearish texts among the Texts labelled
	// texts measured.
	Prior float64
	Texts int
}

// defaultBearish and defaultOther are the bin shares of
// DefaultCalibration, as `go run ./bench/monitor -sweep -train train.csv`
// prints them: fin-sentiment's TF-IDF classifier, cross-fitted on the
// 9,543 training texts (CrossCalibrate, 5 folds).
var defaultBearish = []float64{0.188, 0.108, 0.081, 0.066, 0.065, 0.064, 0.076, 0.088, 0.103, 0.161}
var defaultOther = []float64{0.781, 0.103, 0.047, 0.023, 0.017, 0.009, 0.008, 0.005, 0.004, 0.002}

// DefaultCalibration is the calibration used when DetectorOptions has
// none: that of the TF-IDF classifier on fin-sentiment (recall 0.533,
// false positives 0.040 of the other texts).
func DefaultCalibration() *Calibration {
	return &Calibration{Bearish: normalized(defaultBearish), Other: normalized(defaultOther),
		Recall: 0.533, FalsePositive: 0.040, Prior: 1442.0 / 9543, Texts: 9543}
}

// Calibrate classifies labelled texts with c and measures its
// [Calibration]; the texts must not be ones c was trained on. Each bin
// gets half a text of each label more than it saw, so that no bin has a
// likelihood ratio of 0 or infinity. It needs at least 20 bearish and 20
// other texts.
func Calibrate(ctx context.Context, c Classifier, texts []string, labels []datasets.FinLabel) (*Calibration, error) {
	if len(texts) != len(labels) {
		return nil, fmt.Errorf("monitor: Calibrate: %d texts and %d labels", len(texts), len(labels))
	}
	pred, _, bear, err := classifyProba(ctx, c, texts, 256)
	if err != nil {
		return nil, fmt.Errorf("monitor: Calibrate: %w", err)
	}
	cal, err := calibration(pred, bear, labels)
	if err != nil {
		return nil, fmt.Errorf("monitor: Calibrate: %w", err)
	}
	return cal, nil
}

// CrossCalibrate measures the calibration of the classifier that [Train]
// fits on all the texts, none held out, by cross-fitting: it trains folds
// classifiers (at least 2), the f-th on every text but those at positions
// f, f+folds, f+2·folds…, classifies those with it, and calibrates on the
// pooled outputs. Each fold is a training run, so it suits the cheap
// TFIDF mode.
func CrossCalibrate(ctx context.Context, mode Mode, texts []string, labels []datasets.FinLabel, opt TrainOptions, folds int) (*Calibration, error) {
	if len(texts) != len(labels) {
		return nil, fmt.Errorf("monitor: CrossCalibrate: %d texts and %d labels", len(texts), len(labels))
	}
	if folds < 2 || folds > len(texts) {
		return nil, fmt.Errorf("monitor: CrossCalibrate: %d folds of %d texts, want 2 to the number of texts", folds, len(texts))
	}
	var pred []datasets.FinLabel
	var bear []float64
	var held []datasets.FinLabel
	for f := range folds {
		var tx, hx []string
		var ty, hy []datasets.FinLabel
		for i := range texts {
			if i%folds == f {
				hx, hy = append(hx, texts[i]), append(hy, labels[i])
			} else {
				tx, ty = append(tx, texts[i]), append(ty, labels[i])
			}
		}
		c, err := Train(ctx, mode, tx, ty, opt)
		if err != nil {
			return nil, fmt.Errorf("monitor: CrossCalibrate: fold %d: %w", f, err)
		}
		p, _, b, err := classifyProba(ctx, c, hx, 256)
		if err != nil {
			return nil, fmt.Errorf("monitor: CrossCalibrate: fold %d: %w", f, err)
		}
		pred, bear, held = append(pred, p...), append(bear, b...), append(held, hy...)
	}
	cal, err := calibration(pred, bear, held)
	if err != nil {
		return nil, fmt.Errorf("monitor: CrossCalibrate: %w", err)
	}
	return cal, nil
}

// calibration makes a Calibration of texts' predicted labels, bearish
// probabilities and true labels.
func calibration(pred []datasets.FinLabel, bear []float64, labels []datasets.FinLabel) (*Calibration, error) {
	b, o := make([]float64, Bins), make([]float64, Bins)
	var nb, no, tp, fp float64
	for i, l := range labels {
		k := bin(bear[i], Bins)
		hit := 0.0
		if pred[i] == datasets.Bearish {
			hit = 1
		}
		if l == datasets.Bearish {
			b[k]++
			nb++
			tp += hit
		} else {
			o[k]++
			no++
			fp += hit
		}
	}
	if nb < 20 || no < 20 {
		return nil, fmt.Errorf("%w: %g bearish and %g other texts, want at least 20 of each", ErrCalibration, nb, no)
	}
	for k := range b {
		b[k] += 0.5
		o[k] += 0.5
	}
	return &Calibration{Bearish: normalized(b), Other: normalized(o), Recall: (tp + 0.5) / (nb + 1),
		FalsePositive: (fp + 0.5) / (no + 1), Prior: nb / (nb + no), Texts: len(labels)}, nil
}

func normalized(v []float64) []float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x / s
	}
	return out
}

// bin is the bin of a probability among k equal bins of [0, 1].
func bin(p float64, k int) int {
	return min(max(int(p*float64(k)), 0), k-1)
}

// ratios returns the likelihood ratio P(output | bearish) / P(output |
// other) of each of the detector's bins: Bins bins of P(bearish) for
// Probabilities counting, "not classified bearish" and "classified
// bearish" for Labels.
func (c *Calibration) ratios(counting Counting) []float64 {
	if counting == Labels {
		return []float64{(1 - c.Recall) / (1 - c.FalsePositive), c.Recall / c.FalsePositive}
	}
	out := make([]float64, len(c.Bearish))
	for k := range out {
		out[k] = c.Bearish[k] / c.Other[k]
	}
	return out
}

func (c *Calibration) check() error {
	if len(c.Bearish) < 2 || len(c.Bearish) != len(c.Other) {
		return fmt.Errorf("monitor: %w: %d and %d bins, want the same number, at least 2", ErrCalibration, len(c.Bearish), len(c.Other))
	}
	for _, v := range [][]float64{c.Bearish, c.Other} {
		s := 0.0
		for _, x := range v {
			if !(x > 0) || math.IsInf(x, 0) {
				return fmt.Errorf("monitor: %w: bin share %v, want > 0", ErrCalibration, x)
			}
			s += x
		}
		if math.Abs(s-1) > 1e-6 {
			return fmt.Errorf("monitor: %w: bin shares sum to %v, want 1", ErrCalibration, s)
		}
	}
	if !(c.Recall > 0 && c.Recall < 1 && c.FalsePositive > 0 && c.FalsePositive < 1) {
		return fmt.Errorf("monitor: %w: recall %v and false positives %v, want in (0, 1)", ErrCalibration, c.Recall, c.FalsePositive)
	}
	return nil
}

// shareMLE is the maximum-likelihood bearish share of texts whose outputs
// fall in the bins with counts hist, the bins having likelihood ratios lr:
// the EM iteration π ← π·mean(L/(πL + 1 − π)) from start.
func shareMLE(hist, lr []float64, start float64) float64 {
	n := 0.0
	for _, c := range hist {
		n += c
	}
	if n == 0 {
		return start
	}
	p := min(max(start, 1e-3), 0.999)
	for range 200 {
		s := 0.0
		for k, c := range hist {
			s += c * lr[k] / (p*lr[k] + 1 - p)
		}
		next := min(max(p*s/n, 1e-4), 0.9999)
		if math.Abs(next-p) < 1e-7 {
			return next
		}
		p = next
	}
	return p
}
