package recommend

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Feature names the hybrid ranker's inputs.
var Features = []string{"bpr", "text", "log_popularity", "recency"}

// Hybrid ranks with a logistic regression over standardised features of a
// (user, item) pair: the BPR score, the Text score, ln(1 + training
// positives of the item) and the item's recency (time of its latest training
// positive, scaled to [0, 1] over the training period; 0 when it has none).
// The weights are learned on a validation split ([Split.Validation]): BPR
// and Text are fitted on the split's training part, and each validation
// positive is a positive example against Negatives sampled candidates (half
// drawn in proportion to popularity, as users meet items, half uniformly). BPR and Text are then
// refitted on the whole training set. The reason of a recommendation is
// that of the feature contributing most to its score.
type Hybrid struct {
	BPR       BPR
	Text      Text
	Negatives int // negatives per validation positive (0: 10)
	Seed      uint64

	Weights []float64 // per feature, after Fit (on standardised features)
	Bias    float64
	mean    []float64
	std     []float64

	s      *Split
	bpr    *BPR
	text   *Text
	recent []float64
}

// Fit learns the ranker on a validation split, then refits the base models.
func (h *Hybrid) Fit(ctx context.Context, s *Split) error {
	if s.NumTrain() == 0 {
		return ErrNoData
	}
	v := s.Validation()
	bpr, text := h.BPR, h.Text
	if err := bpr.Fit(ctx, v); err != nil {
		return fmt.Errorf("recommend: hybrid: validation bpr: %w", err)
	}
	if err := text.Fit(ctx, v); err != nil {
		return fmt.Errorf("recommend: hybrid: validation text: %w", err)
	}
	rng := rand.New(rand.NewPCG(h.Seed, 0x4b1d))
	nNeg := h.Negatives
	if nNeg <= 0 {
		nNeg = 10
	}
	recent := recency(v)
	var pairsItems []int // one entry per validation-training positive
	for _, tr := range v.Train {
		pairsItems = append(pairsItems, tr...)
	}
	var x [][]float64
	var y []float64
	for u := range v.NumUsers() {
		if len(v.Test[u]) == 0 || ctx.Err() != nil {
			continue
		}
		bs, ts := bpr.scores(u), text.scores(u)
		seen := trainSet(v, u)
		for _, i := range v.Test[u] {
			seen[i] = true
		}
		feat := func(j int) []float64 {
			return []float64{bs[j], ts[j], math.Log1p(float64(v.Pop[j])), recent[j]}
		}
		for _, i := range v.Test[u] {
			x, y = append(x, feat(i)), append(y, 1)
			for n := range nNeg {
				j := -1
				for j < 0 || seen[j] {
					if n%2 == 0 { // popularity-proportional: what users are exposed to
						j = pairsItems[rng.IntN(len(pairsItems))]
					} else {
						j = rng.IntN(v.NumItems())
					}
				}
				x, y = append(x, feat(j)), append(y, 0)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(y) == 0 {
		return fmt.Errorf("recommend: hybrid: no validation positives: %w", ErrNoData)
	}
	h.mean, h.std = standardise(x)
	h.Weights, h.Bias = fitLogistic(x, y, 1e-3, 500)
	h.bpr, h.text = &h.BPR, &h.Text
	h.text.Embeddings = text.Embeddings
	if err := h.bpr.Fit(ctx, s); err != nil {
		return err
	}
	if err := h.text.Fit(ctx, s); err != nil {
		return err
	}
	h.s, h.recent = s, recency(s)
	return nil
}

// recency returns each item's latest training time scaled to [0, 1].
func recency(s *Split) []float64 {
	out := make([]float64, s.NumItems())
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for _, ts := range s.TrainTime {
		for _, t := range ts {
			lo, hi = min(lo, t), max(hi, t)
		}
	}
	if hi <= lo {
		return out
	}
	for u, tr := range s.Train {
		for k, i := range tr {
			out[i] = max(out[i], float64(s.TrainTime[u][k]-lo)/float64(hi-lo))
		}
	}
	return out
}

// standardise rescales the columns of x in place to mean 0 and standard
// deviation 1, returning the means and deviations.
func standardise(x [][]float64) (mean, std []float64) {
	d := len(x[0])
	mean, std = make([]float64, d), make([]float64, d)
	for _, r := range x {
		for k, v := range r {
			mean[k] += v
		}
	}
	for k := range mean {
		mean[k] /= float64(len(x))
	}
	for _, r := range x {
		for k, v := range r {
			std[k] += (v - mean[k]) * (v - mean[k])
		}
	}
	for k := range std {
		if std[k] = math.Sqrt(std[k] / float64(len(x))); std[k] == 0 {
			std[k] = 1
		}
	}
	for _, r := range x {
		for k := range r {
			r[k] = (r[k] - mean[k]) / std[k]
		}
	}
	return mean, std
}

// fitLogistic minimises the mean log loss plus l2/2‖w‖² by Newton's method
// (iters at most), returning weights and bias.
func fitLogistic(x [][]float64, y []float64, l2 float64, iters int) ([]float64, float64) {
	d := len(x[0]) + 1 // last: bias
	w := make([]float64, d)
	n := float64(len(x))
	for range iters {
		g := make([]float64, d)
		hm := make([][]float64, d)
		for k := range hm {
			hm[k] = make([]float64, d)
		}
		for i, r := range x {
			z := w[d-1]
			for k, v := range r {
				z += w[k] * v
			}
			p := 1 / (1 + math.Exp(-z))
			xi := append(slices.Clone(r), 1)
			for a := range d {
				g[a] += (p - y[i]) * xi[a] / n
				for b := range d {
					hm[a][b] += p * (1 - p) * xi[a] * xi[b] / n
				}
			}
		}
		for a := range d - 1 {
			g[a] += l2 * w[a]
			hm[a][a] += l2
		}
		hm[d-1][d-1] += 1e-9
		step := solve(hm, g)
		norm := 0.0
		for a := range w {
			w[a] -= step[a]
			norm += step[a] * step[a]
		}
		if norm < 1e-18 {
			break
		}
	}
	return w[:d-1], w[d-1]
}

// solve solves a·x = b by Gaussian elimination with partial pivoting (a is
// small and positive definite here).
func solve(a [][]float64, b []float64) []float64 {
	n := len(b)
	m := make([][]float64, n)
	for i := range m {
		m[i] = append(slices.Clone(a[i]), b[i])
	}
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		m[c], m[p] = m[p], m[c]
		if m[c][c] == 0 {
			continue
		}
		for r := c + 1; r < n; r++ {
			f := m[r][c] / m[c][c]
			for k := c; k <= n; k++ {
				m[r][k] -= f * m[c][k]
			}
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		if m[r][r] == 0 {
			continue
		}
		s := m[r][n]
		for k := r + 1; k < n; k++ {
			s -= m[r][k] * x[k]
		}
		x[r] = s / m[r][r]
	}
	return x
}

// Recommend ranks all candidates by the ranker's score.
func (h *Hybrid) Recommend(u, k int) ([]Recommendation, error) {
	if err := checkUser(h.s, u, k); err != nil {
		return nil, err
	}
	bs, ts := h.bpr.scores(u), h.text.scores(u)
	contrib := func(j int) []float64 {
		f := []float64{bs[j], ts[j], math.Log1p(float64(h.s.Pop[j])), h.recent[j]}
		for c := range f {
			f[c] = h.Weights[c] * (f[c] - h.mean[c]) / h.std[c]
		}
		return f
	}
	scores := make([]float64, h.s.NumItems())
	for j := range scores {
		scores[j] = h.Bias
		for _, c := range contrib(j) {
			scores[j] += c
		}
	}
	top := topK(scores, trainSet(h.s, u), k)
	out := make([]Recommendation, len(top))
	for r, x := range top {
		c := contrib(x.item)
		var reason string
		switch slices.Index(c, slices.Max(c)) {
		case 0:
			reason = "people with your taste liked it"
			if i, ok := h.bpr.closestLiked(u, x.item); ok {
				reason = "because you liked " + h.s.Items[i].Title
			}
		case 1:
			reason = h.text.reason(u, x.item)
		case 2:
			reason = fmt.Sprintf("popular: liked by %d people", h.s.Pop[x.item])
		default:
			reason = "recently popular"
		}
		out[r] = Recommendation{Item: x.item, Title: h.s.Items[x.item].Title, Score: x.score, Reason: reason}
	}
	return out, nil
}
