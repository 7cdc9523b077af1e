package classifier

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/founderlab/founderlab/lib/textclass"
)

// MaxTextBytes bounds the length of one text: longer texts are an error
// rather than minutes of tokenizing.
const MaxTextBytes = 16 << 10

// ErrBadText is wrapped by the errors for an empty, too long or invalid
// UTF-8 text.
var ErrBadText = errors.New("bad text")

// CheckTexts reports the first text that is empty (after trimming
// spaces), longer than [MaxTextBytes] or not valid UTF-8.
func CheckTexts(texts []string) error {
	for i, t := range texts {
		switch {
		case len(t) > MaxTextBytes:
			return fmt.Errorf("classifier: text %d: %d bytes, at most %d allowed: %w", i, len(t), MaxTextBytes, ErrBadText)
		case !utf8.ValidString(t):
			return fmt.Errorf("classifier: text %d: not valid UTF-8: %w", i, ErrBadText)
		case isBlank(t):
			return fmt.Errorf("classifier: text %d: empty: %w", i, ErrBadText)
		}
	}
	return nil
}

func isBlank(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
	}
	return true
}

// Classifier gives, for each text, the probability of each of its classes
// (in the order of Classes).
type Classifier interface {
	Classes() []string
	Proba(ctx context.Context, texts []string) ([][]float64, error)
}

// Embedder turns texts into sentence embeddings; *bert.Model is one.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// Labels turns category names into indices into the sorted distinct
// names, which it returns too.
func Labels(categories []string) (labels []int, names []string) {
	names = slices.Clone(categories)
	slices.Sort(names)
	names = slices.Compact(names)
	labels = make([]int, len(categories))
	for i, c := range categories {
		labels[i], _ = slices.BinarySearch(names, c)
	}
	return labels, names
}

// Linear is a multinomial logistic regression on embedding vectors, with
// each class's centroid (for [Linear.CentroidScores]) and the training
// vectors (for [Linear.NeighborScores]).
type Linear struct {
	Names     []string
	Model     *textclass.LogReg
	Centroids [][]float64 // unit-length mean embedding of each class
	// Train holds the training vectors scaled to unit length.
	Train [][]float32
}

// LinearOptions configures [FitLinear]; the zero value means C = 10.
type LinearOptions struct {
	C       float64
	MaxIter int
}

// FitLinear fits a [Linear] on embeddings x of texts of the given
// categories.
func FitLinear(ctx context.Context, x [][]float32, categories []string, opt LinearOptions) (*Linear, error) {
	if len(x) != len(categories) {
		return nil, fmt.Errorf("classifier: FitLinear: %d vectors and %d categories", len(x), len(categories))
	}
	if len(x) == 0 {
		return nil, errors.New("classifier: FitLinear: no examples")
	}
	y, names := Labels(categories)
	if len(names) < 2 {
		return nil, fmt.Errorf("classifier: FitLinear: %d class, need at least 2", len(names))
	}
	m, err := matrix(x)
	if err != nil {
		return nil, fmt.Errorf("classifier: FitLinear: %w", err)
	}
	if opt.C == 0 {
		opt.C = 10
	}
	lr, err := textclass.FitDense(ctx, m, y, len(names), textclass.LogRegOptions{C: opt.C, MaxIter: opt.MaxIter})
	if err != nil {
		return nil, fmt.Errorf("classifier: FitLinear: %w", err)
	}
	cent := make([][]float64, len(names))
	for k := range cent {
		cent[k] = make([]float64, m.Cols)
	}
	for i, k := range y {
		for j, v := range m.Row(i) {
			cent[k][j] += v
		}
	}
	for _, c := range cent {
		normalize(c)
	}
	train := make([][]float32, len(x))
	for i, v := range x {
		train[i] = unit32(v)
	}
	return &Linear{Names: names, Model: lr, Centroids: cent, Train: train}, nil
}

// unit32 returns v scaled to unit length (v itself when it is zero).
func unit32(v []float32) []float32 {
	var n float64
	for _, a := range v {
		n += float64(a) * float64(a)
	}
	if n == 0 {
		return slices.Clone(v)
	}
	out := make([]float32, len(v))
	inv := float32(1 / math.Sqrt(n))
	for j, a := range v {
		out[j] = a * inv
	}
	return out
}

// NeighborScores returns max_i cos(x_q, t_i) over the training vectors t_i
// for each embedding x_q: the cosine similarity to the nearest training
// vector (lib/intent's NearestNeighbor in-scope score). It is an
// exhaustive search, O(len(x) · len(Train) · dim), spread over the CPUs.
func (l *Linear) NeighborScores(x [][]float32) []float64 {
	out := make([]float64, len(x))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(x)))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for q := w; q < len(x); q += workers {
				v := unit32(x[q])
				best := float32(math.Inf(-1))
				for _, t := range l.Train {
					best = max(best, dot(v, t))
				}
				out[q] = float64(best)
			}
		}()
	}
	wg.Wait()
	return out
}

// dot returns the dot product of two vectors of equal length.
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return s0 + s1 + s2 + s3
}

// Classes returns the class names, sorted.
func (l *Linear) Classes() []string { return l.Names }

// ProbaVectors returns the class probabilities of each embedding.
func (l *Linear) ProbaVectors(x [][]float32) ([][]float64, error) {
	if len(x) == 0 {
		return nil, nil
	}
	m, err := matrix(x)
	if err != nil {
		return nil, fmt.Errorf("classifier: %w", err)
	}
	p, err := l.Model.ProbaDense(m)
	if err != nil {
		return nil, fmt.Errorf("classifier: %w", err)
	}
	out := make([][]float64, p.Rows)
	for i := range out {
		out[i] = p.Row(i)
	}
	return out, nil
}

// CentroidScores returns max_k cos(x_i, μ_k) for each embedding: the
// cosine similarity to the nearest class centroid (lib/intent's
// CentroidCosine in-scope score).
func (l *Linear) CentroidScores(x [][]float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		var n float64
		for _, a := range v {
			n += float64(a) * float64(a)
		}
		n = math.Sqrt(n)
		best := math.Inf(-1)
		for _, c := range l.Centroids {
			var d float64
			for j, a := range v {
				d += float64(a) * c[j]
			}
			if n > 0 {
				d /= n
			} else {
				d = 0
			}
			best = max(best, d)
		}
		out[i] = best
	}
	return out
}

func matrix(x [][]float32) (textclass.Matrix, error) {
	m := textclass.Matrix{Rows: len(x), Cols: len(x[0])}
	m.Data = make([]float64, 0, m.Rows*m.Cols)
	for i, r := range x {
		if len(r) != m.Cols {
			return textclass.Matrix{}, fmt.Errorf("vector %d has %d values, vector 0 has %d", i, len(r), m.Cols)
		}
		for _, v := range r {
			m.Data = append(m.Data, float64(v))
		}
	}
	return m, nil
}

func normalize(v []float64) {
	var n float64
	for _, a := range v {
		n += a * a
	}
	if n = math.Sqrt(n); n > 0 {
		for j := range v {
			v[j] /= n
		}
	}
}

// Embedding is a [Classifier] made of an [Embedder] and a [Linear] fitted
// on its embeddings.
type Embedding struct {
	Encoder Embedder
	*Linear
}

// Proba embeds texts in one batch and returns their class probabilities.
func (e *Embedding) Proba(ctx context.Context, texts []string) ([][]float64, error) {
	p, _, err := e.ProbaEmbed(ctx, texts)
	return p, err
}

// ProbaEmbed is Proba that also returns the embeddings.
func (e *Embedding) ProbaEmbed(ctx context.Context, texts []string) ([][]float64, [][]float32, error) {
	if err := CheckTexts(texts); err != nil {
		return nil, nil, err
	}
	x, err := e.Encoder.Embed(ctx, texts)
	if err != nil {
		return nil, nil, fmt.Errorf("classifier: embed: %w", err)
	}
	p, err := e.ProbaVectors(x)
	return p, x, err
}

// TFIDF is the bag-of-words baseline as a [Classifier].
type TFIDF struct {
	Names []string
	Model *textclass.Classifier
}

// FitTFIDF fits TF-IDF (terms in at least minDF texts) and logistic
// regression (C = 10) on texts of the given categories.
func FitTFIDF(ctx context.Context, texts, categories []string, minDF int) (*TFIDF, error) {
	if len(texts) != len(categories) {
		return nil, fmt.Errorf("classifier: FitTFIDF: %d texts and %d categories", len(texts), len(categories))
	}
	if err := CheckTexts(texts); err != nil {
		return nil, err
	}
	y, names := Labels(categories)
	c, err := textclass.Fit(ctx, texts, y, len(names), minDF, textclass.LogRegOptions{C: 10})
	if err != nil {
		return nil, fmt.Errorf("classifier: FitTFIDF: %w", err)
	}
	return &TFIDF{Names: names, Model: c}, nil
}

// Classes returns the class names, sorted.
func (t *TFIDF) Classes() []string { return t.Names }

// Proba returns the class probabilities of each text.
func (t *TFIDF) Proba(ctx context.Context, texts []string) ([][]float64, error) {
	if err := CheckTexts(texts); err != nil {
		return nil, err
	}
	out := make([][]float64, len(texts))
	for i, s := range texts {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		out[i] = t.Model.Proba(s)
	}
	return out, nil
}

// Predict returns, for each row of probabilities, the most probable
// class's index and probability.
func Predict(proba [][]float64) (pred []int, conf []float64) {
	pred, conf = make([]int, len(proba)), make([]float64, len(proba))
	for i, p := range proba {
		for k, v := range p {
			if v > conf[i] {
				pred[i], conf[i] = k, v
			}
		}
	}
	return pred, conf
}
