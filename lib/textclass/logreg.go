package textclass

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
)

// LogReg is a fitted logistic-regression classifier over Dim features.
type LogReg struct {
	// Classes is the number of classes K.
	Classes int
	// Dim is the number of features.
	Dim int
	// W holds the weights: one row of Dim values for K = 2 (the positive
	// class), otherwise one row per class.
	W [][]float64
	// B holds the intercepts, one per row of W.
	B []float64
	// Iterations is the number of L-BFGS iterations the fit took.
	Iterations int
	// Converged reports whether the fit met a stopping rule (see
	// [LogRegOptions]) rather than running out of iterations or line
	// search, as scikit-learn's ConvergenceWarning does.
	Converged bool
}

// LogRegOptions configures [FitLogReg] and [FitDense]. The zero value means
// C = 1, tolerance 1e-4 (scikit-learn's defaults), at most 1000 iterations
// and no class weights.
type LogRegOptions struct {
	// C is the inverse regularisation strength (larger: weaker penalty).
	C float64
	// Tol stops the fit when the largest component of the gradient of the
	// objective (see the package documentation; it is averaged over the
	// examples) is at most Tol: scikit-learn's tol, passed to L-BFGS-B as
	// gtol. The fit also stops when an iteration lowers the objective by at
	// most 64·ε relative to max(|f|, 1) (scikit-learn's ftol).
	Tol float64
	// MaxIter bounds the number of L-BFGS iterations (scikit-learn's
	// max_iter, whose default is 100).
	MaxIter int
	// ClassWeight, when not nil, holds one weight per class: example i's
	// loss counts ClassWeight[y_i] times, as scikit-learn's class_weight.
	// [BalancedClassWeight] gives class_weight="balanced".
	ClassWeight []float64
}

// withDefaults validates opt for classes classes and fills in defaults.
func (opt LogRegOptions) withDefaults(classes int) (LogRegOptions, error) {
	if opt.C == 0 {
		opt.C = 1
	}
	if opt.Tol == 0 {
		opt.Tol = 1e-4
	}
	if opt.MaxIter == 0 {
		opt.MaxIter = 1000
	}
	if !(opt.C > 0) || math.IsInf(opt.C, 0) {
		return opt, fmt.Errorf("textclass: C = %v, need a finite positive value", opt.C)
	}
	if !(opt.Tol > 0) || math.IsInf(opt.Tol, 0) {
		return opt, fmt.Errorf("textclass: Tol = %v, need a finite positive value", opt.Tol)
	}
	if opt.MaxIter < 0 {
		return opt, fmt.Errorf("textclass: MaxIter = %d, need a positive value", opt.MaxIter)
	}
	if opt.ClassWeight != nil {
		if len(opt.ClassWeight) != classes {
			return opt, fmt.Errorf("textclass: %d class weights for %d classes", len(opt.ClassWeight), classes)
		}
		for k, w := range opt.ClassWeight {
			if !(w >= 0) || math.IsInf(w, 0) {
				return opt, fmt.Errorf("textclass: class %d has weight %v, need a finite value ≥ 0", k, w)
			}
		}
	}
	return opt, nil
}

// checkLabels validates n examples' labels y against classes and the class
// weights, which must give the examples a positive total weight.
func checkLabels(n int, y []int, classes int, classWeight []float64) error {
	if n == 0 || n != len(y) {
		return fmt.Errorf("textclass: %d examples and %d labels", n, len(y))
	}
	if classes < 2 {
		return fmt.Errorf("textclass: %d classes, need at least 2", classes)
	}
	total := 0.0
	for i, v := range y {
		if v < 0 || v >= classes {
			return fmt.Errorf("textclass: example %d has label %d, outside 0..%d", i, v, classes-1)
		}
		if classWeight == nil {
			total++
		} else {
			total += classWeight[v]
		}
	}
	if !(total > 0) {
		return errors.New("textclass: the class weights give every example weight 0")
	}
	return nil
}

// BalancedClassWeight returns scikit-learn's class_weight="balanced" for
// labels y in 0..classes-1: n / (classes · n_k) for class k with n_k
// examples. Every class must occur.
func BalancedClassWeight(y []int, classes int) ([]float64, error) {
	if classes < 1 {
		return nil, fmt.Errorf("textclass: %d classes", classes)
	}
	count := make([]int, classes)
	for i, v := range y {
		if v < 0 || v >= classes {
			return nil, fmt.Errorf("textclass: example %d has label %d, outside 0..%d", i, v, classes-1)
		}
		count[v]++
	}
	w := make([]float64, classes)
	for k, c := range count {
		if c == 0 {
			return nil, fmt.Errorf("textclass: balanced class weights: class %d has no examples", k)
		}
		w[k] = float64(len(y)) / float64(classes*c)
	}
	return w, nil
}

// FitLogReg fits a classifier to sparse feature vectors x (of dimension dim)
// with labels y in 0..classes-1, minimising scikit-learn's objective (see
// the package documentation) by L-BFGS on all cores. It honours ctx between
// iterations.
func FitLogReg(ctx context.Context, x []Sparse, y []int, dim, classes int, opt LogRegOptions) (*LogReg, error) {
	opt, err := opt.withDefaults(classes)
	if err != nil {
		return nil, err
	}
	if err := checkLabels(len(x), y, classes, opt.ClassWeight); err != nil {
		return nil, err
	}
	if dim < 1 {
		return nil, fmt.Errorf("textclass: dimension %d, need at least 1", dim)
	}
	for i, xi := range x {
		if len(xi.Index) != len(xi.Value) {
			return nil, fmt.Errorf("textclass: example %d has %d indices and %d values", i, len(xi.Index), len(xi.Value))
		}
		for k, j := range xi.Index {
			if j < 0 || j >= dim {
				return nil, fmt.Errorf("textclass: example %d has index %d, outside 0..%d", i, j, dim-1)
			}
			if v := xi.Value[k]; math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("textclass: example %d has the non-finite value %v at index %d", i, v, j)
			}
		}
	}
	rows := scoreRows(classes)
	return fit(ctx, newSparseDesign(x, dim, rows), rows, dim, classes, y, opt)
}

// scoreRows is the number of weight rows for classes classes.
func scoreRows(classes int) int {
	if classes == 2 {
		return 1
	}
	return classes
}

// fit minimises the objective over data and returns the model.
func fit(ctx context.Context, data design, rows, dim, classes int, y []int, opt LogRegOptions) (*LogReg, error) {
	obj := newObjective(data, rows, dim, y, opt.ClassWeight, opt.C)
	stride := dim + 1 // weights then intercept, per row
	theta := make([]float64, rows*stride)
	res, err := lbfgs(ctx, obj.eval, theta, opt.Tol, lbfgsFTol, opt.MaxIter)
	if err != nil {
		return nil, err
	}
	m := &LogReg{Classes: classes, Dim: dim, Iterations: res.iterations, Converged: res.converged}
	for r := range rows {
		m.W = append(m.W, theta[r*stride:r*stride+dim:r*stride+dim])
		m.B = append(m.B, theta[r*stride+dim])
	}
	return m, nil
}

// sparseDesign holds sparse examples; the weights are packed as Wᵀ
// (dim × rows) so that a non-zero feature updates all scores at once.
type sparseDesign struct {
	x         []Sparse
	dim, rows int
	wt        []float64
}

func newSparseDesign(x []Sparse, dim, rows int) *sparseDesign {
	return &sparseDesign{x: x, dim: dim, rows: rows, wt: make([]float64, dim*rows)}
}

func (s *sparseDesign) paddedRows() int { return len(s.x) }
func (s *sparseDesign) ld() int         { return s.rows }
func (s *sparseDesign) gradLen() int    { return s.dim * s.rows }

func (s *sparseDesign) pack(theta []float64) {
	stride := s.dim + 1
	for r := range s.rows {
		for j, v := range theta[r*stride : r*stride+s.dim] {
			s.wt[j*s.rows+r] = v
		}
	}
}

func (s *sparseDesign) scores(lo, hi int, z []float64) {
	clear(z)
	for i := lo; i < hi; i++ {
		zi := z[(i-lo)*s.rows : (i-lo+1)*s.rows]
		xi := s.x[i]
		for k, j := range xi.Index {
			v := xi.Value[k]
			w := s.wt[j*s.rows : (j+1)*s.rows]
			w = w[:len(zi)]
			for r, wr := range w {
				zi[r] += v * wr
			}
		}
	}
}

func (s *sparseDesign) accumulate(lo, hi int, d, g []float64) {
	for i := lo; i < hi; i++ {
		di := d[(i-lo)*s.rows : (i-lo+1)*s.rows]
		xi := s.x[i]
		for k, j := range xi.Index {
			v := xi.Value[k]
			gj := g[j*s.rows : (j+1)*s.rows]
			gj = gj[:len(di)]
			for r, dr := range di {
				gj[r] += v * dr
			}
		}
	}
}

func (s *sparseDesign) unpack(g, grad []float64) {
	stride := s.dim + 1
	for j := range s.dim {
		for r, v := range g[j*s.rows : (j+1)*s.rows] {
			grad[r*stride+j] += v
		}
	}
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// softplus returns log(1 + e^z) without overflow.
func softplus(z float64) float64 {
	if z > 0 {
		return z + math.Log1p(math.Exp(-z))
	}
	return math.Log1p(math.Exp(z))
}

func logSumExp(z []float64) float64 {
	m := math.Inf(-1)
	for _, v := range z {
		m = math.Max(m, v)
	}
	s := 0.0
	for _, v := range z {
		s += math.Exp(v - m)
	}
	return m + math.Log(s)
}

// Proba returns the class probabilities of x.
func (m *LogReg) Proba(x Sparse) []float64 {
	z := make([]float64, len(m.W))
	for r, w := range m.W {
		s := m.B[r]
		for k, j := range x.Index {
			if j < len(w) {
				s += w[j] * x.Value[k]
			}
		}
		z[r] = s
	}
	return m.probaFromScores(z)
}

// probaFromScores turns the scores z (one per row of W, intercepts
// included) into class probabilities, reusing z when K > 2.
func (m *LogReg) probaFromScores(z []float64) []float64 {
	if m.Classes == 2 {
		p := sigmoid(z[0])
		return []float64{1 - p, p}
	}
	lse := logSumExp(z)
	for r := range z {
		z[r] = math.Exp(z[r] - lse)
	}
	return z
}

// Predict returns the most probable class of x (the lowest on ties).
func (m *LogReg) Predict(x Sparse) int {
	return argmax(m.Proba(x))
}

// argmax returns the index of the first largest value of p.
func argmax(p []float64) int {
	best := 0
	for k := range p {
		if p[k] > p[best] {
			best = k
		}
	}
	return best
}

// Classifier is a TF-IDF vectoriser followed by logistic regression.
type Classifier struct {
	Vectorizer *TFIDF
	Model      *LogReg
}

// Fit fits a [Classifier] on texts with labels in 0..classes-1, keeping terms
// seen in at least minDF texts.
func Fit(ctx context.Context, texts []string, labels []int, classes, minDF int, opt LogRegOptions) (*Classifier, error) {
	v, err := FitTFIDF(texts, minDF)
	if err != nil {
		return nil, err
	}
	m, err := FitLogReg(ctx, v.TransformAll(texts), labels, v.Dim(), classes, opt)
	if err != nil {
		return nil, err
	}
	return &Classifier{Vectorizer: v, Model: m}, nil
}

// Proba returns the class probabilities of text.
func (c *Classifier) Proba(text string) []float64 { return c.Model.Proba(c.Vectorizer.Transform(text)) }

// Predict returns the most probable class of text.
func (c *Classifier) Predict(text string) int { return c.Model.Predict(c.Vectorizer.Transform(text)) }

// PredictAll returns, for each text, its predicted class and its
// probability of class 1 (the score used for ROC curves in binary tasks).
func (c *Classifier) PredictAll(texts []string) (pred []int, score []float64) {
	pred, score = make([]int, len(texts)), make([]float64, len(texts))
	for i, t := range texts {
		p := c.Proba(t)
		score[i] = p[1]
		for k := range p {
			if p[k] > p[pred[i]] {
				pred[i] = k
			}
		}
	}
	return pred, score
}

// TopTerms returns, for a binary model, the n terms with the largest weights
// towards class 1 (positive) and towards class 0 (negative).
func (c *Classifier) TopTerms(n int) (positive, negative []string) {
	if c.Model.Classes != 2 {
		return nil, nil
	}
	w := c.Model.W[0]
	idx := make([]int, len(w))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return w[idx[a]] > w[idx[b]] })
	for i := 0; i < n && i < len(idx); i++ {
		positive = append(positive, c.Vectorizer.Terms[idx[i]])
		negative = append(negative, c.Vectorizer.Terms[idx[len(idx)-1-i]])
	}
	return positive, negative
}

// String describes the classifier.
func (c *Classifier) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "TF-IDF (%d terms) + logistic regression (%d classes, %d L-BFGS iterations)",
		c.Vectorizer.Dim(), c.Model.Classes, c.Model.Iterations)
	return b.String()
}
