// Package textclass is a classical text classifier: TF-IDF features and
// L2-regularised logistic regression. It is the baseline that shows what
// fine-tuning a language model buys, and the classifier for dense features
// such as sentence embeddings.
//
// # TF-IDF
//
// A document is split into lower-case tokens of two or more letters or
// digits. For a vocabulary of the terms seen in at least MinDF training
// documents, a document d becomes the vector
//
//	x_t = tf(t, d) · idf(t),   idf(t) = ln((1 + n) / (1 + df(t))) + 1
//
// where tf is the raw count of t in d, n the number of training documents and
// df(t) the number of them containing t (the "smooth" idf), and the vector is
// then scaled to unit Euclidean length. These are scikit-learn's
// TfidfVectorizer defaults (Manning, Raghavan, Schütze, Introduction to
// Information Retrieval, ch. 6).
//
// # Logistic regression
//
// With K = 2 classes the model is p(y=1|x) = σ(w·x + b); with K > 2 it is the
// softmax p(y=k|x) ∝ exp(w_k·x + b_k). The weights minimise scikit-learn's
// LogisticRegression objective (solver lbfgs)
//
//	f(W, b) = Σ_i s_i·(−log p(y_i | x_i)) / S + ‖W‖² / (2·C·S),   S = Σ_i s_i,
//
// where s_i is the weight of example i's class ([LogRegOptions].ClassWeight,
// 1 by default) and the intercepts b are not penalised: the minimiser of
// Σ_i s_i·(−log p) + ‖W‖²/(2C), scaled by 1/S as scikit-learn does, so the
// same C gives the same coefficients and the stopping rules mean the same.
// It is minimised by L-BFGS (Nocedal & Wright, Numerical Optimization, 2nd
// ed., algorithm 7.4, memory 10) with a strong-Wolfe line search, stopping
// as scipy's L-BFGS-B does for scikit-learn: when the largest gradient
// component is at most Tol, or when an iteration lowers f by at most 64·ε
// relative to max(|f|, 1). The objective is strictly convex in W; softmax
// intercepts are free up to a common shift, and L-BFGS started from zero
// keeps them summing to zero, as scikit-learn's do. So the optimum — and the
// predictions — match scikit-learn's to the solver tolerance.
//
// [FitLogReg] takes sparse vectors (TF-IDF); [FitDense] takes a dense
// [Matrix], one example per row (for example 384-dimensional MiniLM sentence
// embeddings), and [LogReg.ProbaDense] and [LogReg.PredictDense] score
// whole matrices. Both fits share the objective: examples are split into
// blocks of 128 scored on all cores, and the sums are made in a fixed order,
// so a fit is reproducible on a given machine whatever the number of cores.
// On dense features an evaluation is two matrix products, the scores X·Wᵀ
// and the gradient (P − Y)ᵀ·X, computed in 4 × 12 tiles by an AVX2/FMA
// assembly kernel on amd64 (a Go loop elsewhere); on sparse ones each
// non-zero feature updates all K scores. The softmax's exponentials are
// computed four at a time with AVX2 as well. [Scaler] standardises dense
// features like scikit-learn's StandardScaler, and [BalancedClassWeight]
// gives class_weight="balanced". bench/logreg compares FitDense with
// scikit-learn on Banking77's sentence embeddings (see bench/README.md).
//
// Its sub-package lib/textclass/classifier turns these models into
// classifiers of labelled texts with named classes, beside sentence
// embeddings and fine-tuned BERT, behind one interface.
package textclass

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode"
)

// Tokenize splits text into lower-case tokens of at least two letters or
// digits, like scikit-learn's default token pattern `(?u)\b\w\w+\b`.
func Tokenize(text string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
	}) {
		if len([]rune(f)) >= 2 {
			out = append(out, f)
		}
	}
	return out
}

// Sparse is a sparse vector: Value[i] is the coordinate at Index[i]; indices
// are increasing.
type Sparse struct {
	Index []int
	Value []float64
}

// TFIDF maps documents to TF-IDF vectors over a fixed vocabulary.
type TFIDF struct {
	// Terms lists the vocabulary in alphabetical order; term Terms[j] is
	// coordinate j.
	Terms []string
	// IDF[j] is the inverse document frequency of Terms[j].
	IDF   []float64
	index map[string]int
}

// FitTFIDF learns the vocabulary and idf weights of docs, keeping the terms
// that occur in at least minDF documents (minDF ≤ 1 keeps all).
func FitTFIDF(docs []string, minDF int) (*TFIDF, error) {
	if len(docs) == 0 {
		return nil, errors.New("textclass: no documents to fit TF-IDF on")
	}
	df := map[string]int{}
	for _, d := range docs {
		seen := map[string]bool{}
		for _, t := range Tokenize(d) {
			if !seen[t] {
				seen[t] = true
				df[t]++
			}
		}
	}
	v := &TFIDF{index: map[string]int{}}
	for t, n := range df {
		if n >= minDF {
			v.Terms = append(v.Terms, t)
		}
	}
	if len(v.Terms) == 0 {
		return nil, fmt.Errorf("textclass: no term occurs in %d or more of the %d documents", minDF, len(docs))
	}
	sort.Strings(v.Terms)
	n := float64(len(docs))
	v.IDF = make([]float64, len(v.Terms))
	for j, t := range v.Terms {
		v.index[t] = j
		v.IDF[j] = math.Log((1+n)/(1+float64(df[t]))) + 1
	}
	return v, nil
}

// Dim returns the vocabulary size, the length of the vectors.
func (v *TFIDF) Dim() int { return len(v.Terms) }

// Transform returns the unit-length TF-IDF vector of doc; terms outside the
// vocabulary are ignored, and a document with none is the zero vector.
func (v *TFIDF) Transform(doc string) Sparse {
	counts := map[int]float64{}
	for _, t := range Tokenize(doc) {
		if j, ok := v.index[t]; ok {
			counts[j]++
		}
	}
	s := Sparse{Index: make([]int, 0, len(counts))}
	for j := range counts {
		s.Index = append(s.Index, j)
	}
	sort.Ints(s.Index)
	s.Value = make([]float64, len(s.Index))
	norm := 0.0
	for i, j := range s.Index {
		s.Value[i] = counts[j] * v.IDF[j]
		norm += s.Value[i] * s.Value[i]
	}
	if norm > 0 {
		norm = math.Sqrt(norm)
		for i := range s.Value {
			s.Value[i] /= norm
		}
	}
	return s
}

// TransformAll transforms each document.
func (v *TFIDF) TransformAll(docs []string) []Sparse {
	out := make([]Sparse, len(docs))
	for i, d := range docs {
		out[i] = v.Transform(d)
	}
	return out
}
