package recommend

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// Ranker chooses the hybrid's second stage.
type Ranker uint8

const (
	// RankerLogistic is a logistic regression fitted by Newton's method
	// (the default: it ranked better than the MLP on the validation split,
	// see bench/README.md).
	RankerLogistic Ranker = iota
	// RankerMLP is a multilayer perceptron with one hidden layer of 16 tanh
	// units, trained with Adam on the log loss.
	RankerMLP
	// RankerPairwise is a linear score trained on pairs of one user's
	// candidates, a positive and a negative (RankNet with a linear score:
	// a logistic regression on the pairs' feature differences), each user
	// weighing the same.
	RankerPairwise
)

// String returns "logistic", "mlp" or "pairwise".
func (r Ranker) String() string {
	switch r {
	case RankerMLP:
		return "mlp"
	case RankerLogistic:
		return "logistic"
	case RankerPairwise:
		return "pairwise"
	}
	return fmt.Sprintf("Ranker(%d)", uint8(r))
}

// scorer is a trained ranker over standardised features.
type scorer interface {
	// score returns the logit of x.
	score(x []float64) float64
	// contributions returns each feature's share of the score: w_f·x_f
	// for the logistic regression, gradient × input for the MLP.
	contributions(x []float64) []float64
}

// linear is a logistic regression.
type linear struct {
	w []float64
	b float64
}

func (l *linear) score(x []float64) float64 {
	z := l.b
	for f, v := range x {
		z += l.w[f] * v
	}
	return z
}

func (l *linear) contributions(x []float64) []float64 {
	out := make([]float64, len(x))
	for f, v := range x {
		out[f] = l.w[f] * v
	}
	return out
}

// mlp is z = w2·tanh(W1 x + b1) + b2.
type mlp struct {
	in, hidden int
	w1, b1, w2 []float64 // w1: hidden × in, row-major
	b2         float64
}

// MLP's training settings (on standardised features).
const (
	mlpHidden = 16
	mlpEpochs = 20
	mlpBatch  = 256
	mlpLR     = 0.003
	mlpL2     = 1e-4
)

func (m *mlp) hiddenOut(x, h []float64) {
	for k := range m.hidden {
		z := m.b1[k]
		row := m.w1[k*m.in : (k+1)*m.in]
		for f, v := range x {
			z += row[f] * v
		}
		h[k] = math.Tanh(z)
	}
}

func (m *mlp) score(x []float64) float64 {
	h := make([]float64, m.hidden)
	m.hiddenOut(x, h)
	z := m.b2
	for k, v := range h {
		z += m.w2[k] * v
	}
	return z
}

func (m *mlp) contributions(x []float64) []float64 {
	h := make([]float64, m.hidden)
	m.hiddenOut(x, h)
	out := make([]float64, m.in)
	for k, v := range h {
		g := m.w2[k] * (1 - v*v)
		row := m.w1[k*m.in : (k+1)*m.in]
		for f := range out {
			out[f] += g * row[f]
		}
	}
	for f, v := range x {
		out[f] *= v
	}
	return out
}

// fitMLP trains an mlp on (x, y) with mini-batch Adam, seeded.
func fitMLP(ctx context.Context, x [][]float64, y []float64, seed uint64) (*mlp, error) {
	in := len(x[0])
	rng := rand.New(rand.NewPCG(seed, 0x41f))
	m := &mlp{in: in, hidden: mlpHidden, w1: make([]float64, mlpHidden*in), b1: make([]float64, mlpHidden), w2: make([]float64, mlpHidden)}
	for k := range m.w1 {
		m.w1[k] = rng.NormFloat64() / math.Sqrt(float64(in))
	}
	for k := range m.w2 {
		m.w2[k] = rng.NormFloat64() / math.Sqrt(float64(mlpHidden))
	}
	// Parameters as one vector for Adam: w1, b1, w2, b2.
	params := [][]float64{m.w1, m.b1, m.w2}
	n := len(m.w1) + len(m.b1) + len(m.w2) + 1
	grad, mom, vel := make([]float64, n), make([]float64, n), make([]float64, n)
	order := rng.Perm(len(x))
	h, dh := make([]float64, mlpHidden), make([]float64, mlpHidden)
	t := 0
	const b1, b2, eps = 0.9, 0.999, 1e-8
	for range mlpEpochs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		for lo := 0; lo < len(order); lo += mlpBatch {
			batch := order[lo:min(lo+mlpBatch, len(order))]
			clear(grad)
			gw1, gb1, gw2 := grad[:len(m.w1)], grad[len(m.w1):len(m.w1)+mlpHidden], grad[len(m.w1)+mlpHidden:n-1]
			for _, i := range batch {
				m.hiddenOut(x[i], h)
				z := m.b2
				for k, v := range h {
					z += m.w2[k] * v
				}
				d := (1/(1+math.Exp(-z)) - y[i]) / float64(len(batch)) // ∂loss/∂z
				grad[n-1] += d
				for k, v := range h {
					gw2[k] += d * v
					dh[k] = d * m.w2[k] * (1 - v*v)
					gb1[k] += dh[k]
					row := gw1[k*in : (k+1)*in]
					for f, xv := range x[i] {
						row[f] += dh[k] * xv
					}
				}
			}
			for k, w := range m.w1 {
				gw1[k] += mlpL2 * w
			}
			for k, w := range m.w2 {
				gw2[k] += mlpL2 * w
			}
			t++
			c1, c2 := 1-math.Pow(b1, float64(t)), 1-math.Pow(b2, float64(t))
			p := 0
			step := func(w *float64) {
				g := grad[p]
				mom[p] = b1*mom[p] + (1-b1)*g
				vel[p] = b2*vel[p] + (1-b2)*g*g
				*w -= mlpLR * (mom[p] / c1) / (math.Sqrt(vel[p]/c2) + eps)
				p++
			}
			for _, ps := range params {
				for k := range ps {
					step(&ps[k])
				}
			}
			step(&m.b2)
		}
	}
	return m, nil
}

// ParseRanker returns the ranker named s ("logistic", "mlp" or
// "pairwise").
func ParseRanker(s string) (Ranker, error) {
	for _, r := range []Ranker{RankerLogistic, RankerMLP, RankerPairwise} {
		if strings.EqualFold(s, r.String()) {
			return r, nil
		}
	}
	return 0, fmt.Errorf("recommend: unknown ranker %q (want logistic, mlp or pairwise)", s)
}

// pairNegatives is how many of a user's negative candidates are paired
// with each positive by fitPairwise.
const pairNegatives = 50

// fitPairwise fits a linear ranker on pairs (RankNet with a linear score,
// Burges et al. 2005): within each group (a user's candidates,
// x[groups[g]:groups[g+1]]), every positive is paired with pairNegatives
// negatives drawn without replacement (seeded), and a logistic regression
// without bias learns P(positive above negative) = σ(w·(x_pos − x_neg)).
// Each user's pairs weigh 1 in total, as each user does in NDCG@k.
func fitPairwise(x [][]float64, y []float64, groups []int, l2 float64, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 0x9a1))
	var dx [][]float64
	var dy, dc []float64
	for g := range len(groups) - 1 {
		var pos, neg []int
		for i := groups[g]; i < groups[g+1]; i++ {
			if y[i] > 0 {
				pos = append(pos, i)
			} else {
				neg = append(neg, i)
			}
		}
		if len(pos) == 0 || len(neg) == 0 {
			continue
		}
		m := min(pairNegatives, len(neg))
		c := 1 / float64(2*len(pos)*m)
		for _, p := range pos {
			for _, k := range rng.Perm(len(neg))[:m] {
				d := make([]float64, len(x[p]))
				for f := range d {
					d[f] = x[p][f] - x[neg[k]][f]
				}
				// Both orders, so the fitted bias is 0.
				dx = append(dx, d, scale(d, -1))
				dy = append(dy, 1, 0)
				dc = append(dc, c, c)
			}
		}
	}
	if len(dx) == 0 {
		return make([]float64, len(x[0]))
	}
	w, _ := fitLogisticW(dx, dy, dc, l2, 50)
	return w
}

func scale(x []float64, a float64) []float64 {
	out := make([]float64, len(x))
	for k, v := range x {
		out[k] = a * v
	}
	return out
}
