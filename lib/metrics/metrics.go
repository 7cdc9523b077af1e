package metrics

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Confusion is a confusion matrix over K classes.
type Confusion struct {
	// Counts[t][p] is the number of examples of true class t predicted as p.
	Counts [][]int
}

// NewConfusion counts the pairs (yTrue[i], yPred[i]) over numClasses classes.
// It returns an error if the slices differ in length, are empty, or hold a
// class outside 0..numClasses-1.
func NewConfusion(numClasses int, yTrue, yPred []int) (Confusion, error) {
	if numClasses < 2 {
		return Confusion{}, fmt.Errorf("metrics: %d classes, need at least 2", numClasses)
	}
	if len(yTrue) != len(yPred) {
		return Confusion{}, fmt.Errorf("metrics: %d true labels but %d predictions", len(yTrue), len(yPred))
	}
	if len(yTrue) == 0 {
		return Confusion{}, errors.New("metrics: no examples")
	}
	c := Confusion{Counts: make([][]int, numClasses)}
	for i := range c.Counts {
		c.Counts[i] = make([]int, numClasses)
	}
	for i := range yTrue {
		t, p := yTrue[i], yPred[i]
		if t < 0 || t >= numClasses || p < 0 || p >= numClasses {
			return Confusion{}, fmt.Errorf("metrics: example %d: true %d, predicted %d: classes must be in 0..%d", i, t, p, numClasses-1)
		}
		c.Counts[t][p]++
	}
	return c, nil
}

// NumClasses returns K.
func (c Confusion) NumClasses() int { return len(c.Counts) }

// Total returns the number of examples.
func (c Confusion) Total() int {
	n := 0
	for _, row := range c.Counts {
		for _, v := range row {
			n += v
		}
	}
	return n
}

// Support returns the number of examples whose true class is class.
func (c Confusion) Support(class int) int {
	n := 0
	for _, v := range c.Counts[class] {
		n += v
	}
	return n
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Accuracy returns the share of examples predicted correctly.
func (c Confusion) Accuracy() float64 {
	right := 0
	for i := range c.Counts {
		right += c.Counts[i][i]
	}
	return ratio(right, c.Total())
}

// Precision returns TP/(TP+FP) for class, or 0 if class was never predicted.
func (c Confusion) Precision(class int) float64 {
	predicted := 0
	for t := range c.Counts {
		predicted += c.Counts[t][class]
	}
	return ratio(c.Counts[class][class], predicted)
}

// Recall returns TP/(TP+FN) for class, or 0 if class has no examples.
func (c Confusion) Recall(class int) float64 {
	return ratio(c.Counts[class][class], c.Support(class))
}

// F1 returns the harmonic mean of precision and recall for class (0 when both are 0).
func (c Confusion) F1(class int) float64 {
	p, r := c.Precision(class), c.Recall(class)
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// MacroF1 returns the unweighted mean of the per-class F1 scores.
func (c Confusion) MacroF1() float64 {
	s := 0.0
	for k := range c.Counts {
		s += c.F1(k)
	}
	return s / float64(len(c.Counts))
}

// WeightedF1 returns the mean of the per-class F1 scores weighted by support.
func (c Confusion) WeightedF1() float64 {
	s := 0.0
	for k := range c.Counts {
		s += c.F1(k) * float64(c.Support(k))
	}
	return s / float64(c.Total())
}

// String formats the matrix as rows of true classes and columns of predictions.
func (c Confusion) String() string {
	var b strings.Builder
	b.WriteString("true\\pred")
	for p := range c.Counts {
		fmt.Fprintf(&b, "\t%d", p)
	}
	for t, row := range c.Counts {
		fmt.Fprintf(&b, "\n%d", t)
		for _, v := range row {
			fmt.Fprintf(&b, "\t%d", v)
		}
	}
	return b.String()
}

// ROCCurve is a receiver operating characteristic curve: the points
// (FPR[i], TPR[i]) obtained by predicting positive when score ≥ Thresholds[i].
// The first point is (0, 0) with threshold +Inf.
type ROCCurve struct {
	FPR, TPR, Thresholds []float64
}

func checkBinary(yTrue []int, scores []float64) (pos, neg int, err error) {
	if len(yTrue) != len(scores) {
		return 0, 0, fmt.Errorf("metrics: %d labels but %d scores", len(yTrue), len(scores))
	}
	for i, y := range yTrue {
		switch y {
		case 1:
			pos++
		case 0:
			neg++
		default:
			return 0, 0, fmt.Errorf("metrics: example %d has label %d; ROC needs labels 0 and 1", i, y)
		}
	}
	if pos == 0 || neg == 0 {
		return 0, 0, fmt.Errorf("metrics: ROC needs both classes, got %d positive and %d negative examples", pos, neg)
	}
	return pos, neg, nil
}

// ROC returns the ROC curve of scores (higher means more likely positive)
// against binary labels yTrue (0 or 1), with one point per distinct score.
func ROC(yTrue []int, scores []float64) (ROCCurve, error) {
	pos, neg, err := checkBinary(yTrue, scores)
	if err != nil {
		return ROCCurve{}, err
	}
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
	curve := ROCCurve{FPR: []float64{0}, TPR: []float64{0}, Thresholds: []float64{math.Inf(1)}}
	tp, fp := 0, 0
	for i, k := range idx {
		if yTrue[k] == 1 {
			tp++
		} else {
			fp++
		}
		if i+1 < len(idx) && scores[idx[i+1]] == scores[k] {
			continue // Tied scores make one point.
		}
		curve.FPR = append(curve.FPR, float64(fp)/float64(neg))
		curve.TPR = append(curve.TPR, float64(tp)/float64(pos))
		curve.Thresholds = append(curve.Thresholds, scores[k])
	}
	return curve, nil
}

// AUC returns the area under the curve by the trapezoidal rule.
func (r ROCCurve) AUC() float64 {
	a := 0.0
	for i := 1; i < len(r.FPR); i++ {
		a += (r.FPR[i] - r.FPR[i-1]) * (r.TPR[i] + r.TPR[i-1]) / 2
	}
	return a
}

// ROCAUC returns the area under the ROC curve of scores against binary labels.
func ROCAUC(yTrue []int, scores []float64) (float64, error) {
	r, err := ROC(yTrue, scores)
	if err != nil {
		return 0, err
	}
	return r.AUC(), nil
}

// Report gathers the metrics of one evaluation. For a binary task
// Precision, Recall and F1 are those of the positive class 1 and ROCAUC is
// set when scores are given; for more classes they are macro averages and
// ROCAUC is 0.
type Report struct {
	N         int
	Accuracy  float64
	Precision float64
	Recall    float64
	F1        float64
	ROCAUC    float64
	Confusion Confusion
}

// Evaluate computes a [Report]. scores, if not nil, holds each example's
// score for class 1 (a probability or a logit difference); it is used only
// when numClasses is 2.
func Evaluate(numClasses int, yTrue, yPred []int, scores []float64) (Report, error) {
	c, err := NewConfusion(numClasses, yTrue, yPred)
	if err != nil {
		return Report{}, err
	}
	r := Report{N: c.Total(), Accuracy: c.Accuracy(), Confusion: c}
	if numClasses == 2 {
		r.Precision, r.Recall, r.F1 = c.Precision(1), c.Recall(1), c.F1(1)
		if scores != nil {
			if r.ROCAUC, err = ROCAUC(yTrue, scores); err != nil {
				return Report{}, err
			}
		}
		return r, nil
	}
	for k := range numClasses {
		r.Precision += c.Precision(k) / float64(numClasses)
		r.Recall += c.Recall(k) / float64(numClasses)
	}
	r.F1 = c.MacroF1()
	return r, nil
}

// String formats the report on one line.
func (r Report) String() string {
	s := fmt.Sprintf("n=%d accuracy=%.4f precision=%.4f recall=%.4f f1=%.4f", r.N, r.Accuracy, r.Precision, r.Recall, r.F1)
	if r.ROCAUC != 0 {
		s += fmt.Sprintf(" roc_auc=%.4f", r.ROCAUC)
	}
	return s
}
