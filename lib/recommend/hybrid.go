package recommend

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
)

// Features names the hybrid ranker's inputs, in order (a subset of the
// features the candidates get, chosen on the validation split).
var Features = []string{"bpr", "itemknn", "itemknn_recent", "ease", "ease_recent", "seq", "text",
	"log_popularity", "log_popularity_near", "recency"}

// featureCols are the indices of Features in allFeatures.
var featureCols = func() []int {
	out := make([]int, len(Features))
	for k, f := range Features {
		out[k] = slices.Index(allFeatures, f)
	}
	return out
}()

// pick returns the ranker's features from all of a candidate's.
func pick(all []float64) []float64 {
	out := make([]float64, len(featureCols))
	for k, c := range featureCols {
		out[k] = all[c]
	}
	return out
}

// popWindow is the time window of the "popularity near" feature: a year.
const popWindow = 365 * 24 * 3600

// Hybrid is a two-stage recommender. Candidates are the union of each base
// model's top Candidates (BPR, item-kNN over the whole history and over
// the latest 10 positives, EASE, Text, and the items most liked in the
// year before and the year after the user's last training positive); a
// ranker (logistic regression by default, a pairwise one or a small MLP:
// [Ranker]) scores them on standardised [Features]: the base scores; a
// "what comes next" score (seq: how often other users liked the item
// among their next 10 positives after one of this user's latest 10
// positives, as a fraction of that positive's likes); ln(1 + training
// positives of the item), ln(1 + its training positives in the year
// before the user's last training positive) and the item's recency (time
// of its latest training positive, scaled to [0, 1] over the training
// period). The base scores are standardised over each user's candidates
// first, so that users with long and short histories share one scale. The
// ranker is learned on a validation split ([Split.Validation]): the base
// models are fitted on its training part, and every candidate of a
// validation user is an example, positive when it is among the user's
// validation positives — so the ranker learns on the same candidate
// distribution it later ranks. The base models are then refitted on the
// whole training set. A recommendation's reason is that of the feature
// contributing most to its score (w_f·x_f for the linear rankers,
// gradient × input for the MLP).
type Hybrid struct {
	BPR        BPR
	Text       Text
	Candidates int // per base model (0: 100)
	// ColdSlots is how many of the last places of a top-k list go to the
	// items with the best zero-shot text score (the pretrained match to the
	// user's profile, without the fine-tuned term, which learns what rated
	// items look like) that nobody has liked in training
	// (0: 1; negative: none). Behaviour gives the ranker nothing to learn
	// about such items, so without reserved places they are never shown.
	ColdSlots int
	Ranker    Ranker // the second stage (RankerLogistic by default)
	Seed      uint64

	// Weights and Bias are the linear ranker's, per feature of
	// [Features], after Fit (on standardised features; Bias is 0 for the
	// pairwise ranker); nil for the MLP.
	Weights []float64
	Bias    float64
	rank    scorer
	mean    []float64
	std     []float64

	s    *Split
	base bases
}

// bases are the fitted base models of a split and its item statistics.
type bases struct {
	s      *Split
	bpr    *BPR
	knn    *ItemKNN
	text   *Text
	ease   *EASE
	seq    *sequence
	recent []float64
	times  [][]int64 // per item: sorted training times
}

func fitBases(ctx context.Context, s *Split, bpr BPR, text Text) (bases, error) {
	b := bases{s: s, bpr: &bpr, knn: &ItemKNN{}, text: &text}
	if err := b.bpr.Fit(ctx, s); err != nil {
		return b, fmt.Errorf("recommend: hybrid: bpr: %w", err)
	}
	if err := b.knn.Fit(ctx, s); err != nil {
		return b, fmt.Errorf("recommend: hybrid: itemknn: %w", err)
	}
	if err := b.text.Fit(ctx, s); err != nil {
		return b, fmt.Errorf("recommend: hybrid: text: %w", err)
	}
	b.ease = &EASE{}
	if err := b.ease.Fit(ctx, s); err != nil {
		return b, fmt.Errorf("recommend: hybrid: %w", err)
	}
	b.seq = newSequence(s, seqWindow, seqLast)
	b.recent = recency(s)
	b.times = make([][]int64, s.NumItems())
	for u, tr := range s.Train {
		for k, i := range tr {
			b.times[i] = append(b.times[i], s.TrainTime[u][k])
		}
	}
	for _, ts := range b.times {
		slices.Sort(ts)
	}
	return b, nil
}

// Time windows of the popularity features.
const (
	day   = 24 * 3600
	month = 30 * day
)

// allFeatures names every feature [bases.candidates] computes, in order;
// [Features] is the subset the ranker uses.
var allFeatures = []string{
	"bpr", "itemknn", "text", "itemknn_recent", "ease", "ease_recent", "seq", // base scores, standardised per user
	"log_popularity", "log_popularity_near", "log_popularity_after",
	"log_popularity_month_before", "log_popularity_month_after",
	"recency", "item_age", "log_activity",
}

// zFeatures is how many leading features are standardised per user.
const zFeatures = 7

// candidateSources names the scores whose top items are a user's
// candidates (each of allFeatures' base scores, or "near" and "after": the
// items most liked in the year before and after the user's last training
// positive).
var candidateSources = []string{"bpr", "itemknn", "text", "itemknn_recent", "ease", "near", "after"}

// recentItems is how many of a user's latest training positives the
// "itemknn_recent" score looks at.
const recentItems = 10

// count returns how many of the sorted times lie in [lo, hi).
func count(times []int64, lo, hi int64) int {
	a, _ := slices.BinarySearch(times, lo)
	b, _ := slices.BinarySearch(times, hi)
	return b - a
}

// candidates returns the user's candidate items and their raw features
// (all of allFeatures).
func (b *bases) candidates(u, n int) ([]int, [][]float64) {
	seen := trainSet(b.s, u)
	tr := b.s.Train[u]
	bs, ks, ts, es := b.bpr.scores(u), b.knn.scores(u), b.text.scores(u), b.ease.scores(u)
	kr := b.knn.scoresFrom(tr[max(0, len(tr)-recentItems):])
	er := b.ease.scoresFrom(tr[max(0, len(tr)-recentItems):])
	sq := b.seq.scores(u)
	for _, sc := range [][]float64{es, er} {
		for j, v := range sc {
			if v < -1e8 { // items outside EASE score 0 as a feature
				sc[j] = v + 1e9
			}
		}
	}
	nItems := b.s.NumItems()
	near, after := make([]float64, nItems), make([]float64, nItems)
	var last int64
	if tt := b.s.TrainTime[u]; len(tt) > 0 {
		last = tt[len(tt)-1]
		for j, times := range b.times {
			near[j] = math.Log1p(float64(count(times, last-popWindow, last+1)))
			after[j] = math.Log1p(float64(count(times, last+1, last+popWindow)))
		}
	}
	in := map[int]bool{}
	var items []int
	source := map[string][]float64{"bpr": bs, "itemknn": ks, "text": ts, "itemknn_recent": kr,
		"ease": es, "ease_recent": er, "seq": sq, "near": near, "after": after}
	for _, name := range candidateSources {
		for _, x := range topK(source[name], seen, n) {
			if !in[x.item] {
				in[x.item] = true
				items = append(items, x.item)
			}
		}
	}
	slices.Sort(items)
	feats := make([][]float64, len(items))
	act := math.Log1p(float64(len(tr)))
	for c, j := range items {
		times := b.times[j]
		age := 0.0 // years since the item's first training positive, at the user's last
		if len(times) > 0 && last > 0 {
			age = max(-2, min(20, float64(last-times[0])/popWindow))
		}
		feats[c] = []float64{bs[j], ks[j], ts[j], kr[j], es[j], er[j], sq[j],
			math.Log1p(float64(b.s.Pop[j])), near[j], after[j],
			math.Log1p(float64(count(times, last-month, last+1))), math.Log1p(float64(count(times, last+1, last+month))),
			b.recent[j], age, act}
	}
	// The base scores are put on one scale across users: centred and
	// scaled over the user's candidates (a long history inflates item-kNN
	// sums, for instance).
	for f := range zFeatures {
		var mean, sq float64
		for _, x := range feats {
			mean += x[f]
		}
		mean /= float64(len(feats))
		for _, x := range feats {
			sq += (x[f] - mean) * (x[f] - mean)
		}
		sd := math.Sqrt(sq / float64(len(feats)))
		if sd == 0 {
			sd = 1
		}
		for _, x := range feats {
			x[f] = (x[f] - mean) / sd
		}
	}
	return items, feats
}

// Fit learns the ranker on a validation split, then refits the base models.
func (h *Hybrid) Fit(ctx context.Context, s *Split) error {
	if s.NumTrain() == 0 {
		return ErrNoData
	}
	n := h.Candidates
	if n <= 0 {
		n = 100
	}
	v := s.Validation()
	vb, err := fitBases(ctx, v, h.BPR, h.Text)
	if err != nil {
		return err
	}
	var x [][]float64
	var y []float64
	var groups []int // where each user's candidates start in x
	for u := range v.NumUsers() {
		if len(v.Test[u]) == 0 || ctx.Err() != nil {
			continue
		}
		groups = append(groups, len(x))
		items, feats := vb.candidates(u, n)
		for c, j := range items {
			x = append(x, pick(feats[c]))
			if slices.Contains(v.Test[u], j) {
				y = append(y, 1)
			} else {
				y = append(y, 0)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if !slices.Contains(y, 1) {
		return fmt.Errorf("recommend: hybrid: no validation positive among the candidates: %w", ErrNoData)
	}
	h.mean, h.std = standardise(x)
	h.Weights, h.Bias = nil, 0
	switch h.Ranker {
	case RankerLogistic:
		h.Weights, h.Bias = fitLogistic(x, y, 1e-3, 50)
		h.rank = &linear{h.Weights, h.Bias}
	case RankerPairwise:
		h.Weights = fitPairwise(x, y, append(groups, len(x)), 1e-3, h.Seed)
		h.rank = &linear{h.Weights, 0}
	case RankerMLP:
		if h.rank, err = fitMLP(ctx, x, y, h.Seed); err != nil {
			return err
		}
	default:
		return fmt.Errorf("recommend: hybrid: unknown %v", h.Ranker)
	}
	text := h.Text
	text.Embeddings = vb.text.Embeddings
	if h.base, err = fitBases(ctx, s, h.BPR, text); err != nil {
		return err
	}
	h.s = s
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
	return fitLogisticW(x, y, nil, l2, iters)
}

// fitLogisticW is fitLogistic with a weight per example (nil: all 1): it
// minimises Σ_i c_i·logloss_i / Σ_i c_i + l2/2‖w‖².
func fitLogisticW(x [][]float64, y, c []float64, l2 float64, iters int) ([]float64, float64) {
	d := len(x[0]) + 1 // last: bias
	w := make([]float64, d)
	n := float64(len(x))
	if c != nil {
		n = 0
		for _, v := range c {
			n += v
		}
	}
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
			ci := 1 / n
			if c != nil {
				ci = c[i] / n
			}
			for a := range d {
				g[a] += (p - y[i]) * xi[a] * ci
				for b := range d {
					hm[a][b] += p * (1 - p) * xi[a] * xi[b] * ci
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

// Recommend ranks the user's candidates by the ranker's score.
func (h *Hybrid) Recommend(u, k int) ([]Recommendation, error) {
	if err := checkUser(h.s, u, k); err != nil {
		return nil, err
	}
	n := h.Candidates
	if n <= 0 {
		n = 100
	}
	items, feats := h.base.candidates(u, max(n, k))
	contrib := make([][]float64, len(items))
	scores := make([]float64, h.s.NumItems())
	for j := range scores {
		scores[j] = math.Inf(-1)
	}
	for c, j := range items {
		x := pick(feats[c])
		for f, v := range x {
			x[f] = (v - h.mean[f]) / h.std[f]
		}
		scores[j] = h.rank.score(x)
		contrib[c] = h.rank.contributions(x)
	}
	cold := h.ColdSlots
	if cold == 0 {
		cold = 1
	}
	cold = max(0, min(cold, k-1))
	seen := trainSet(h.s, u)
	var coldPicks []scored
	if cold > 0 {
		ts := h.base.text.zeroShotScores(u)
		unseen := maps.Clone(seen)
		for j := range ts {
			if h.s.Pop[j] > 0 {
				unseen[j] = true
			}
		}
		coldPicks = topK(ts, unseen, cold)
	}
	out := make([]Recommendation, 0, k)
	for _, x := range topK(scores, seen, k-len(coldPicks)) {
		if math.IsInf(x.score, -1) {
			break
		}
		c := contrib[slices.Index(items, x.item)]
		out = append(out, Recommendation{Item: x.item, Title: h.s.Items[x.item].Title, Score: x.score, Reason: h.reason(u, x.item, c)})
	}
	for _, x := range coldPicks {
		out = append(out, Recommendation{Item: x.item, Title: h.s.Items[x.item].Title, Score: x.score, // the zero-shot text score
			Reason: "new (nobody has liked it yet): " + h.base.text.reason(u, x.item)})
	}
	return out, nil
}

func (h *Hybrid) reason(u, j int, contrib []float64) string {
	switch Features[slices.Index(contrib, slices.Max(contrib))] {
	case "bpr":
		if i, ok := h.base.bpr.closestLiked(u, j); ok {
			return "because you liked " + h.s.Items[i].Title
		}
	case "itemknn", "itemknn_recent":
		if i, ok := h.base.knn.because(u, j); ok {
			return "people who liked " + h.s.Items[i].Title + " liked it"
		}
	case "ease", "ease_recent":
		if i, ok := h.base.ease.because(u, j); ok {
			return "because you liked " + h.s.Items[i].Title
		}
	case "seq":
		if i, ok := h.base.seq.because(u, j); ok {
			return "people who liked " + h.s.Items[i].Title + " went on to like it"
		}
	case "text":
		return h.base.text.reason(u, j)
	case "log_popularity_near", "log_popularity_month_before":
		return fmt.Sprintf("popular around your time: liked by %d people", h.s.Pop[j])
	case "log_popularity_after", "log_popularity_month_after":
		return fmt.Sprintf("popular just after your latest ratings: liked by %d people", h.s.Pop[j])
	case "recency", "item_age":
		return "recently popular"
	}
	return popReason(h.s.Pop[j])
}
