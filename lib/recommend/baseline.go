package recommend

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
)

// ErrNotFitted reports Recommend on a model that has not been fitted.
var ErrNotFitted = errors.New("recommend: model not fitted")

// Popularity recommends the items with the most training positives to
// everyone (minus what they already liked): the baseline every
// personalised model must beat.
type Popularity struct {
	s      *Split
	scores []float64
}

// Fit counts the training positives of each item.
func (p *Popularity) Fit(ctx context.Context, s *Split) error {
	if s.NumTrain() == 0 {
		return ErrNoData
	}
	p.s, p.scores = s, make([]float64, s.NumItems())
	for i, n := range s.Pop {
		p.scores[i] = float64(n)
	}
	return ctx.Err()
}

// Recommend returns the k most popular items the user has not liked.
func (p *Popularity) Recommend(u, k int) ([]Recommendation, error) {
	if err := checkUser(p.s, u, k); err != nil {
		return nil, err
	}
	top := topK(p.scores, trainSet(p.s, u), k)
	out := make([]Recommendation, len(top))
	for r, x := range top {
		out[r] = Recommendation{Item: x.item, Title: p.s.Items[x.item].Title, Score: x.score,
			Reason: popReason(p.s.Pop[x.item])}
	}
	return out, nil
}

// ItemKNN is item-based collaborative filtering: cosine similarity between
// the items' columns of the binary user×item training matrix, keeping each
// item's Neighbors most similar items (0: 100).
type ItemKNN struct {
	Neighbors int

	s    *Split
	nbrs [][]scored // per item: its top neighbours by similarity
}

// Fit computes every item's top neighbours, in parallel over items.
func (m *ItemKNN) Fit(ctx context.Context, s *Split) error {
	if s.NumTrain() == 0 {
		return ErrNoData
	}
	kn := m.Neighbors
	if kn <= 0 {
		kn = 100
	}
	users := make([][]int, s.NumItems()) // item → users who liked it
	for u, tr := range s.Train {
		for _, i := range tr {
			users[i] = append(users[i], u)
		}
	}
	m.s, m.nbrs = s, make([][]scored, s.NumItems())
	parallelFor(ctx, s.NumItems(), func(i int) {
		if len(users[i]) == 0 {
			return
		}
		co := map[int]float64{}
		for _, u := range users[i] {
			for _, j := range s.Train[u] {
				if j != i {
					co[j]++
				}
			}
		}
		cand := make([]scored, 0, len(co))
		for j, c := range co {
			cand = append(cand, scored{j, c / math.Sqrt(float64(len(users[i])*len(users[j])))})
		}
		slices.SortFunc(cand, func(a, b scored) int {
			if better(a, b) {
				return -1
			}
			return 1
		})
		m.nbrs[i] = cand[:min(len(cand), kn)]
	})
	return ctx.Err()
}

// Recommend scores each candidate j by Σ sim(i, j) over the user's liked
// items i that have j among their neighbours; the reason names the liked
// item contributing most.
func (m *ItemKNN) Recommend(u, k int) ([]Recommendation, error) {
	if err := checkUser(m.s, u, k); err != nil {
		return nil, err
	}
	scores := m.scores(u)
	best := make([]scored, m.s.NumItems()) // per candidate: the liked item contributing most
	for _, i := range m.s.Train[u] {
		for _, nb := range m.nbrs[i] {
			if nb.score > best[nb.item].score {
				best[nb.item] = scored{i, nb.score}
			}
		}
	}
	top := topK(scores, trainSet(m.s, u), k)
	out := make([]Recommendation, len(top))
	for r, x := range top {
		reason := popReason(m.s.Pop[x.item])
		if best[x.item].score > 0 {
			reason = "because you liked " + m.s.Items[best[x.item].item].Title
		}
		out[r] = Recommendation{Item: x.item, Title: m.s.Items[x.item].Title, Score: x.score, Reason: reason}
	}
	return out, nil
}

// scores returns the user's score for every item: Σ sim over liked items,
// plus a popularity tie-break of at most 1e-6 (so that users without
// neighbours get the popular items).
func (m *ItemKNN) scores(u int) []float64 {
	scores := popTieBreak(m.s)
	for _, i := range m.s.Train[u] {
		for _, nb := range m.nbrs[i] {
			scores[nb.item] += nb.score
		}
	}
	return scores
}

// popTieBreak returns 1e-6·pop/maxPop per item.
func popTieBreak(s *Split) []float64 {
	out := make([]float64, s.NumItems())
	mx := slices.Max(s.Pop)
	if mx == 0 {
		return out
	}
	for i, n := range s.Pop {
		out[i] = 1e-6 * float64(n) / float64(mx)
	}
	return out
}

// because returns the user's liked item most similar to j.
func (m *ItemKNN) because(u, j int) (int, bool) {
	best, bestSim := -1, 0.0
	for _, i := range m.s.Train[u] {
		for _, nb := range m.nbrs[i] {
			if nb.item == j && nb.score > bestSim {
				best, bestSim = i, nb.score
			}
		}
	}
	return best, best >= 0
}

// popReason is the reason of a recommendation made on popularity alone.
func popReason(n int) string {
	switch n {
	case 0:
		return "nobody has liked it yet"
	case 1:
		return "liked by 1 person"
	}
	return fmt.Sprintf("popular: liked by %d people", n)
}

// scoresFrom returns Σ sim(i, j) over the given items i, for every item j,
// plus the popularity tie-break.
func (m *ItemKNN) scoresFrom(items []int) []float64 {
	scores := popTieBreak(m.s)
	for _, i := range items {
		for _, nb := range m.nbrs[i] {
			scores[nb.item] += nb.score
		}
	}
	return scores
}

// likedReasons returns user u's top k of scores among the items not in
// training, each with the reason "because you liked X" where liked(u, item)
// names X, else the item's popularity.
func likedReasons(s *Split, u, k int, scores []float64, liked func(u, j int) (int, bool)) []Recommendation {
	top := topK(scores, trainSet(s, u), k)
	out := make([]Recommendation, len(top))
	for r, x := range top {
		reason := popReason(s.Pop[x.item])
		if i, ok := liked(u, x.item); ok {
			reason = "because you liked " + s.Items[i].Title
		}
		out[r] = Recommendation{Item: x.item, Title: s.Items[x.item].Title, Score: x.score, Reason: reason}
	}
	return out
}
