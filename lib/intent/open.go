package intent

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/founderlab/founderlab/lib/textclass/classifier"
)

// Scorer names an in-scope score: the larger, the more likely the query
// belongs to one of the known intents.
type Scorer int

const (
	// MaxProb is the maximum softmax probability max_k p_k.
	MaxProb Scorer = iota
	// CentroidCosine is the cosine similarity of the embedding to the
	// nearest intent centroid, max_k cos(e, μ_k).
	CentroidCosine
	// NearestNeighbor is the cosine similarity of the embedding to the
	// nearest training query's, max_i cos(e, e_i).
	NearestNeighbor
)

const numScorers = 3

// Scorers lists the scorers in order.
var Scorers = []Scorer{MaxProb, CentroidCosine, NearestNeighbor}

// String returns the scorer's name as the notebook shows it.
func (s Scorer) String() string {
	switch s {
	case MaxProb:
		return "max softmax probability"
	case CentroidCosine:
		return "centroid cosine"
	case NearestNeighbor:
		return "nearest-neighbour cosine"
	}
	return fmt.Sprintf("Scorer(%d)", int(s))
}

// Quantile returns the threshold τ that rejects a fraction r of the given
// in-scope scores: the ⌊r·n⌋-th smallest score (counting from 0), so that
// at most ⌊r·n⌋ of them lie strictly below τ (exactly that many when the
// scores are distinct). r must lie in [0, 1).
func Quantile(scores []float64, r float64) (float64, error) {
	if len(scores) == 0 {
		return 0, errors.New("intent: Quantile: no scores")
	}
	if !(r >= 0 && r < 1) {
		return 0, fmt.Errorf("intent: Quantile: rate %v is not in [0, 1)", r)
	}
	s := slices.Clone(scores)
	slices.Sort(s)
	return s[int(math.Floor(r*float64(len(s))))], nil
}

// Rejected returns the fraction of scores strictly below tau.
func Rejected(scores []float64, tau float64) float64 {
	if len(scores) == 0 {
		return math.NaN()
	}
	n := 0
	for _, s := range scores {
		if s < tau {
			n++
		}
	}
	return float64(n) / float64(len(scores))
}

// OpenOptions configures [Evaluate]. The zero value means 25 % of the
// intents held out, 10 % of the known intents' training queries for
// validation, a 5 % target false-rejection rate and seeds 1…5.
type OpenOptions struct {
	UnknownFraction float64
	ValFraction     float64
	TargetFRR       float64
	Seeds           []uint64
	Linear          classifier.LinearOptions
}

func (o OpenOptions) withDefaults() (OpenOptions, error) {
	if o.UnknownFraction == 0 {
		o.UnknownFraction = 0.25
	}
	if o.ValFraction == 0 {
		o.ValFraction = 0.1
	}
	if o.TargetFRR == 0 {
		o.TargetFRR = 0.05
	}
	if o.Seeds == nil {
		o.Seeds = []uint64{1, 2, 3, 4, 5}
	}
	for name, f := range map[string]float64{"UnknownFraction": o.UnknownFraction, "ValFraction": o.ValFraction, "TargetFRR": o.TargetFRR} {
		if !(f > 0 && f < 1) {
			return o, fmt.Errorf("intent: OpenOptions.%s = %v, want a fraction in (0, 1)", name, f)
		}
	}
	return o, nil
}

// OpenResult is one seed of the open-intent protocol, measured on the test
// queries.
type OpenResult struct {
	Seed    uint64
	Unknown []string // the intents held out of training
	// Accuracy is the closed-set accuracy on the known intents' test
	// queries (no rejection).
	Accuracy float64
	// Threshold, FalseRejection and OOSRecall are indexed by [Scorer]: τ
	// from the validation queries, the fraction of known-intent test
	// queries rejected, the fraction of held-out-intent test queries
	// rejected.
	Threshold, FalseRejection, OOSRecall [numScorers]float64
	// KnownScores and UnknownScores hold each scorer's test scores, for
	// trade-off curves ([TradeOff]).
	KnownScores, UnknownScores [numScorers][]float64
}

// Evaluate runs the open-intent protocol (see the package documentation)
// on precomputed embeddings, once per seed: hold out a random fraction of
// the intents, fit a [classifier.Linear] on the rest of the known intents' training
// queries, set each scorer's threshold on the validation part for the
// target false-rejection rate, and measure on the test queries. Test
// queries of intents absent from training are out of scope in every seed.
func Evaluate(ctx context.Context, trainX [][]float32, trainCats []string, testX [][]float32, testCats []string, opt OpenOptions) ([]OpenResult, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(trainX) != len(trainCats) || len(testX) != len(testCats) {
		return nil, fmt.Errorf("intent: Evaluate: %d/%d training and %d/%d test vectors/categories", len(trainX), len(trainCats), len(testX), len(testCats))
	}
	_, names := classifier.Labels(trainCats)
	nUnknown, err := heldOutCount(names, opt)
	if err != nil {
		return nil, fmt.Errorf("intent: Evaluate: %w", err)
	}
	var out []OpenResult
	for _, seed := range opt.Seeds {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("intent: Evaluate: %w", err)
		}
		r, err := evaluateSeed(ctx, seed, names, nUnknown, trainX, trainCats, testX, testCats, opt)
		if err != nil {
			return nil, fmt.Errorf("intent: Evaluate: seed %d: %w", seed, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// heldOut is one seed's split of the training queries: the intents held
// out as unknown, and the indices of the known intents' queries kept for
// fitting and for validation.
type heldOut struct {
	unknown  map[string]bool
	fit, val []int
}

// splitHeldOut holds a seeded random nUnknown of the intents names out and
// keeps a fraction valFraction of the other intents' queries for
// validation.
func splitHeldOut(seed uint64, names []string, nUnknown int, cats []string, valFraction float64) heldOut {
	rng := rand.New(rand.NewPCG(seed, 0x1a2b3c4d))
	perm := slices.Clone(names)
	rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
	h := heldOut{unknown: map[string]bool{}}
	for _, n := range perm[:nUnknown] {
		h.unknown[n] = true
	}
	var known []int
	for i, c := range cats {
		if !h.unknown[c] {
			known = append(known, i)
		}
	}
	rng.Shuffle(len(known), func(i, j int) { known[i], known[j] = known[j], known[i] })
	nVal := max(1, int(valFraction*float64(len(known))))
	h.val, h.fit = known[:nVal], known[nVal:]
	return h
}

func pick[T any](xs []T, idx []int) []T {
	out := make([]T, len(idx))
	for j, i := range idx {
		out[j] = xs[i]
	}
	return out
}

func evaluateSeed(ctx context.Context, seed uint64, names []string, nUnknown int, trainX [][]float32, trainCats []string, testX [][]float32, testCats []string, opt OpenOptions) (OpenResult, error) {
	h := splitHeldOut(seed, names, nUnknown, trainCats, opt.ValFraction)
	res := OpenResult{Seed: seed, Unknown: slices.Sorted(maps.Keys(h.unknown))}
	fitX, fitC, valX := pick(trainX, h.fit), pick(trainCats, h.fit), pick(trainX, h.val)
	lin, err := classifier.FitLinear(ctx, fitX, fitC, opt.Linear)
	if err != nil {
		return res, err
	}
	valScores, _, err := scores(lin, valX)
	if err != nil {
		return res, err
	}
	for _, s := range Scorers {
		if res.Threshold[s], err = Quantile(valScores[s], opt.TargetFRR); err != nil {
			return res, err
		}
	}
	var inX, outX [][]float32
	var inC []string
	for i, c := range testCats {
		if _, ok := slices.BinarySearch(lin.Names, c); ok {
			inX, inC = append(inX, testX[i]), append(inC, c)
		} else {
			outX = append(outX, testX[i])
		}
	}
	if len(inX) == 0 || len(outX) == 0 {
		return res, fmt.Errorf("%d in-scope and %d out-of-scope test queries: need both", len(inX), len(outX))
	}
	inScores, pred, err := scores(lin, inX)
	if err != nil {
		return res, err
	}
	outScores, _, err := scores(lin, outX)
	if err != nil {
		return res, err
	}
	right := 0
	for i, p := range pred {
		if lin.Names[p] == inC[i] {
			right++
		}
	}
	res.Accuracy = float64(right) / float64(len(inX))
	for _, s := range Scorers {
		res.FalseRejection[s] = Rejected(inScores[s], res.Threshold[s])
		res.OOSRecall[s] = Rejected(outScores[s], res.Threshold[s])
		res.KnownScores[s], res.UnknownScores[s] = inScores[s], outScores[s]
	}
	return res, nil
}

// scores returns every scorer's scores of embeddings x and the predicted
// class of each.
func scores(l *classifier.Linear, x [][]float32) (scores [numScorers][]float64, pred []int, err error) {
	p, err := l.ProbaVectors(x)
	if err != nil {
		return scores, nil, err
	}
	pred, _ = classifier.Predict(p)
	for _, s := range Scorers {
		if scores[s], err = s.Score(l, p, x); err != nil {
			return scores, nil, err
		}
	}
	return scores, pred, nil
}

// Score returns scorer s's in-scope score of each embedding of x, whose
// class probabilities under l are p (from l.ProbaVectors).
func (s Scorer) Score(l *classifier.Linear, p [][]float64, x [][]float32) ([]float64, error) {
	if len(p) != len(x) {
		return nil, fmt.Errorf("intent: Score: %d probability rows for %d vectors", len(p), len(x))
	}
	switch s {
	case MaxProb:
		_, conf := classifier.Predict(p)
		return conf, nil
	case CentroidCosine:
		return l.CentroidScores(x), nil
	case NearestNeighbor:
		return l.NeighborScores(x), nil
	}
	return nil, fmt.Errorf("intent: Score: unknown scorer %v", s)
}

// Stat is a mean and a sample standard deviation (n − 1 in the
// denominator; 0 for a single value).
type Stat struct{ Mean, SD float64 }

// String formats the stat as "0.912 ± 0.008".
func (s Stat) String() string { return fmt.Sprintf("%.3f ± %.3f", s.Mean, s.SD) }

// MeanSD returns the mean and sample standard deviation of xs.
func MeanSD(xs []float64) Stat {
	if len(xs) == 0 {
		return Stat{math.NaN(), math.NaN()}
	}
	var m float64
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	if len(xs) == 1 {
		return Stat{m, 0}
	}
	var ss float64
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	return Stat{m, math.Sqrt(ss / float64(len(xs)-1))}
}

// Summary is [Evaluate]'s results over seeds for one scorer.
type Summary struct {
	Scorer                                         Scorer
	Seeds                                          int
	Accuracy, Threshold, FalseRejection, OOSRecall Stat
}

// Summarize returns the mean ± sd over seeds for each scorer.
func Summarize(results []OpenResult) []Summary {
	var out []Summary
	for _, s := range Scorers {
		var acc, tau, frr, rec []float64
		for _, r := range results {
			acc, tau = append(acc, r.Accuracy), append(tau, r.Threshold[s])
			frr, rec = append(frr, r.FalseRejection[s]), append(rec, r.OOSRecall[s])
		}
		out = append(out, Summary{Scorer: s, Seeds: len(results), Accuracy: MeanSD(acc), Threshold: MeanSD(tau), FalseRejection: MeanSD(frr), OOSRecall: MeanSD(rec)})
	}
	return out
}

// Threshold returns the threshold of the final assistant for scorer s:
// the mean over seeds of the per-seed thresholds of [Evaluate].
func Threshold(results []OpenResult, s Scorer) (float64, error) {
	if len(results) == 0 {
		return 0, errors.New("intent: Threshold: no results")
	}
	var t []float64
	for _, r := range results {
		t = append(t, r.Threshold[s])
	}
	return MeanSD(t).Mean, nil
}

// Point is one threshold of a trade-off curve.
type Point struct {
	Threshold, FalseRejection, OOSRecall float64
}

// TradeOff returns the false rejection of in-scope scores and the recall
// of out-of-scope scores as the threshold takes each of n+1 evenly spaced
// values from the smallest to the largest score.
func TradeOff(inScope, outScope []float64, n int) []Point {
	all := append(slices.Clone(inScope), outScope...)
	if len(all) == 0 || n < 1 {
		return nil
	}
	lo, hi := slices.Min(all), slices.Max(all)
	out := make([]Point, 0, n+1)
	for i := range n + 1 {
		t := lo + (hi-lo)*float64(i)/float64(n)
		out = append(out, Point{t, Rejected(inScope, t), Rejected(outScope, t)})
	}
	return out
}

// RecallAt returns, for each target false-rejection rate r, the
// out-of-scope recall at the threshold [Quantile](inScope, r): the
// trade-off curve of a scorer without choosing thresholds by hand.
func RecallAt(inScope, outScope []float64, rates []float64) ([]float64, error) {
	out := make([]float64, len(rates))
	for i, r := range rates {
		t, err := Quantile(inScope, r)
		if err != nil {
			return nil, err
		}
		out[i] = Rejected(outScope, t)
	}
	return out, nil
}

// CalibrateVectors returns the threshold of scorer s for a [classifier.Linear]
// classifier to be fitted on all of trainX, from the training data alone:
// for each seed of opt, hold a random opt.UnknownFraction of the intents
// out, fit on the rest of the known intents' queries, and take the
// opt.TargetFRR quantile of the scores of their validation part; the
// threshold is the mean over seeds. It is [Evaluate]'s calibration without
// test data.
func CalibrateVectors(ctx context.Context, trainX [][]float32, trainCats []string, s Scorer, opt OpenOptions) (float64, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return 0, err
	}
	if len(trainX) != len(trainCats) {
		return 0, fmt.Errorf("intent: CalibrateVectors: %d vectors and %d categories", len(trainX), len(trainCats))
	}
	_, names := classifier.Labels(trainCats)
	nUnknown, err := heldOutCount(names, opt)
	if err != nil {
		return 0, fmt.Errorf("intent: CalibrateVectors: %w", err)
	}
	var taus []float64
	for _, seed := range opt.Seeds {
		if err := ctx.Err(); err != nil {
			return 0, fmt.Errorf("intent: CalibrateVectors: %w", err)
		}
		h := splitHeldOut(seed, names, nUnknown, trainCats, opt.ValFraction)
		lin, err := classifier.FitLinear(ctx, pick(trainX, h.fit), pick(trainCats, h.fit), opt.Linear)
		if err != nil {
			return 0, fmt.Errorf("intent: CalibrateVectors: seed %d: %w", seed, err)
		}
		valX := pick(trainX, h.val)
		p, err := lin.ProbaVectors(valX)
		if err != nil {
			return 0, fmt.Errorf("intent: CalibrateVectors: seed %d: %w", seed, err)
		}
		sc, err := s.Score(lin, p, valX)
		if err != nil {
			return 0, fmt.Errorf("intent: CalibrateVectors: %w", err)
		}
		tau, err := Quantile(sc, opt.TargetFRR)
		if err != nil {
			return 0, fmt.Errorf("intent: CalibrateVectors: %w", err)
		}
		taus = append(taus, tau)
	}
	return MeanSD(taus).Mean, nil
}

// FitFunc fits a [classifier.Classifier] on labelled texts.
type FitFunc func(ctx context.Context, texts, categories []string) (classifier.Classifier, error)

// CalibrateTexts is [CalibrateVectors] for any classifier fitted on texts
// by fit, with the [MaxProb] score.
func CalibrateTexts(ctx context.Context, texts, categories []string, fit FitFunc, opt OpenOptions) (float64, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return 0, err
	}
	if len(texts) != len(categories) {
		return 0, fmt.Errorf("intent: CalibrateTexts: %d texts and %d categories", len(texts), len(categories))
	}
	_, names := classifier.Labels(categories)
	nUnknown, err := heldOutCount(names, opt)
	if err != nil {
		return 0, fmt.Errorf("intent: CalibrateTexts: %w", err)
	}
	var taus []float64
	for _, seed := range opt.Seeds {
		if err := ctx.Err(); err != nil {
			return 0, fmt.Errorf("intent: CalibrateTexts: %w", err)
		}
		h := splitHeldOut(seed, names, nUnknown, categories, opt.ValFraction)
		c, err := fit(ctx, pick(texts, h.fit), pick(categories, h.fit))
		if err != nil {
			return 0, fmt.Errorf("intent: CalibrateTexts: seed %d: %w", seed, err)
		}
		p, err := c.Proba(ctx, pick(texts, h.val))
		if err != nil {
			return 0, fmt.Errorf("intent: CalibrateTexts: seed %d: %w", seed, err)
		}
		_, conf := classifier.Predict(p)
		tau, err := Quantile(conf, opt.TargetFRR)
		if err != nil {
			return 0, fmt.Errorf("intent: CalibrateTexts: %w", err)
		}
		taus = append(taus, tau)
	}
	return MeanSD(taus).Mean, nil
}

func heldOutCount(names []string, opt OpenOptions) (int, error) {
	n := int(math.Round(opt.UnknownFraction * float64(len(names))))
	if n < 1 || len(names)-n < 2 {
		return 0, fmt.Errorf("%d intents, %d held out: need at least 1 held out and 2 known", len(names), n)
	}
	return n, nil
}

// DefaultTargetFRR is the in-scope false-rejection rate the calibration
// aims at by default.
const DefaultTargetFRR = 0.05

// DefaultScorer is the scorer of bench/intent and of the notebook's
// assistant.
const DefaultScorer = NearestNeighbor
