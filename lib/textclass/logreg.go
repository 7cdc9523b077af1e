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
}

// LogRegOptions configures [FitLogReg]. The zero value means C = 1,
// tolerance 1e-6 and at most 1000 iterations, as in scikit-learn.
type LogRegOptions struct {
	// C is the inverse regularisation strength (larger: weaker penalty).
	C float64
	// Tol stops the fit when the largest gradient component is below it.
	Tol float64
	// MaxIter bounds the number of L-BFGS iterations.
	MaxIter int
}

// FitLogReg fits a classifier to feature vectors x (of dimension dim) with
// labels y in 0..classes-1. It honours ctx between iterations.
func FitLogReg(ctx context.Context, x []Sparse, y []int, dim, classes int, opt LogRegOptions) (*LogReg, error) {
	if len(x) == 0 || len(x) != len(y) {
		return nil, fmt.Errorf("textclass: %d examples and %d labels", len(x), len(y))
	}
	if classes < 2 {
		return nil, fmt.Errorf("textclass: %d classes, need at least 2", classes)
	}
	for i, v := range y {
		if v < 0 || v >= classes {
			return nil, fmt.Errorf("textclass: example %d has label %d, outside 0..%d", i, v, classes-1)
		}
	}
	if opt.C == 0 {
		opt.C = 1
	}
	if opt.Tol == 0 {
		opt.Tol = 1e-6
	}
	if opt.MaxIter == 0 {
		opt.MaxIter = 1000
	}
	rows := classes
	if classes == 2 {
		rows = 1
	}
	m := &LogReg{Classes: classes, Dim: dim}
	stride := dim + 1 // weights then intercept, per row
	obj := func(theta, grad []float64) float64 {
		clear(grad)
		loss := 0.0
		z := make([]float64, rows)
		for i, xi := range x {
			for r := range rows {
				w := theta[r*stride : r*stride+dim]
				s := theta[r*stride+dim]
				for k, j := range xi.Index {
					s += w[j] * xi.Value[k]
				}
				z[r] = s
			}
			if rows == 1 {
				// −log σ(±z) and its derivative σ(z) − y.
				t := float64(y[i])
				loss += softplus(z[0]) - t*z[0]
				z[0] = sigmoid(z[0]) - t
			} else {
				lse := logSumExp(z)
				loss += lse - z[y[i]]
				for r := range z {
					z[r] = math.Exp(z[r] - lse)
				}
				z[y[i]]--
			}
			for r := range rows {
				g := grad[r*stride : r*stride+dim]
				for k, j := range xi.Index {
					g[j] += z[r] * xi.Value[k]
				}
				grad[r*stride+dim] += z[r]
			}
		}
		for r := range rows {
			for j := range dim {
				w := theta[r*stride+j]
				loss += w * w / (2 * opt.C)
				grad[r*stride+j] += w / opt.C
			}
		}
		return loss
	}
	theta := make([]float64, rows*stride)
	iters, err := lbfgs(ctx, obj, theta, opt.Tol, opt.MaxIter)
	if err != nil {
		return nil, err
	}
	m.Iterations = iters
	for r := range rows {
		m.W = append(m.W, theta[r*stride:r*stride+dim])
		m.B = append(m.B, theta[r*stride+dim])
	}
	return m, nil
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
	p := m.Proba(x)
	best := 0
	for k := range p {
		if p[k] > p[best] {
			best = k
		}
	}
	return best
}

// lbfgs minimises f from x (updated in place) with memory 10, stopping when
// max |∇f| ≤ tol. It returns the number of iterations.
func lbfgs(ctx context.Context, f func(x, g []float64) float64, x []float64, tol float64, maxIter int) (int, error) {
	const mem = 10
	n := len(x)
	g := make([]float64, n)
	fx := f(x, g)
	var sList, yList [][]float64
	var rho []float64
	d := make([]float64, n)
	xNew, gNew := make([]float64, n), make([]float64, n)
	alpha := make([]float64, mem)
	for it := 0; it < maxIter; it++ {
		if err := ctx.Err(); err != nil {
			return it, fmt.Errorf("textclass: fit interrupted: %w", err)
		}
		if maxAbs(g) <= tol {
			return it, nil
		}
		// Two-loop recursion: d = −H·g.
		copy(d, g)
		for i := len(sList) - 1; i >= 0; i-- {
			alpha[i] = rho[i] * dot(sList[i], d)
			axpy(-alpha[i], yList[i], d)
		}
		if k := len(sList) - 1; k >= 0 {
			scale(dot(sList[k], yList[k])/dot(yList[k], yList[k]), d)
		}
		for i := range sList {
			beta := rho[i] * dot(yList[i], d)
			axpy(alpha[i]-beta, sList[i], d)
		}
		scale(-1, d)
		slope := dot(g, d)
		if slope >= 0 { // Not a descent direction: restart with steepest descent.
			copy(d, g)
			scale(-1, d)
			slope = dot(g, d)
			sList, yList, rho = nil, nil, nil
		}
		step := 1.0
		if len(sList) == 0 {
			step = math.Min(1, 1/math.Sqrt(dot(g, g)))
		}
		var fNew float64
		for ls := 0; ; ls++ {
			copy(xNew, x)
			axpy(step, d, xNew)
			fNew = f(xNew, gNew)
			if fNew <= fx+1e-4*step*slope {
				break
			}
			if ls == 60 {
				return it, errors.New("textclass: L-BFGS line search failed")
			}
			step /= 2
		}
		s, y := make([]float64, n), make([]float64, n)
		for i := range s {
			s[i] = xNew[i] - x[i]
			y[i] = gNew[i] - g[i]
		}
		if sy := dot(s, y); sy > 1e-12 {
			if len(sList) == mem {
				sList, yList, rho = sList[1:], yList[1:], rho[1:]
			}
			sList, yList, rho = append(sList, s), append(yList, y), append(rho, 1/sy)
		}
		copy(x, xNew)
		copy(g, gNew)
		fx = fNew
	}
	return maxIter, nil
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func axpy(a float64, x, y []float64) {
	for i := range x {
		y[i] += a * x[i]
	}
}

func scale(a float64, x []float64) {
	for i := range x {
		x[i] *= a
	}
}

func maxAbs(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	return m
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
