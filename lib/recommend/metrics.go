package recommend

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
)

// Recommendation is one ranked item with the model's score and a reason a
// person can read ("because you liked Heat (1995)").
type Recommendation struct {
	Item   int // index into Split.Items
	Title  string
	Score  float64
	Reason string
}

// Recommender is a model of the protocol. Fit trains on the split's
// training positives (and may keep the split); Recommend returns the top k
// candidates (items not among user's training positives) by descending
// score. After Fit, Recommend is safe for concurrent use.
type Recommender interface {
	Fit(ctx context.Context, s *Split) error
	Recommend(user, k int) ([]Recommendation, error)
}

// Metrics are a model's scores under the protocol (see the package doc).
type Metrics struct {
	K             int
	Recall        float64 // mean over evaluated users of |top-k ∩ test| / |test|
	NDCG          float64 // mean over evaluated users of DCG@k / IDCG@k
	Coverage      float64 // distinct recommended items / catalogue size
	ColdRecall    float64 // found cold test positives / cold test positives
	Users         int     // users with a test set
	ColdPositives int     // test positives whose item has no training positive
	// UserNDCG is each evaluated user's DCG@k / IDCG@k, in user order
	// (for paired comparisons of two models on one split).
	UserNDCG []float64
}

// Evaluate runs the protocol on a fitted recommender: the top k of every
// user with a test set, scored against that set. Users are ranked in
// parallel.
func Evaluate(ctx context.Context, r Recommender, s *Split, k int) (Metrics, error) {
	if k <= 0 {
		return Metrics{}, fmt.Errorf("recommend: k = %d, want > 0", k)
	}
	tops := make([][]int, s.NumUsers())
	errs := make([]error, s.NumUsers())
	parallelFor(ctx, s.NumUsers(), func(u int) {
		if len(s.Test[u]) == 0 {
			return
		}
		recs, err := r.Recommend(u, k)
		if err != nil {
			errs[u] = err
			return
		}
		tops[u] = make([]int, len(recs))
		for i, x := range recs {
			tops[u][i] = x.Item
		}
	})
	if err := ctx.Err(); err != nil {
		return Metrics{}, err
	}
	for u, err := range errs {
		if err != nil {
			return Metrics{}, fmt.Errorf("recommend: user %d: %w", u, err)
		}
	}
	return Score(s, tops, k), nil
}

// Score computes the protocol's metrics from each user's ranked list
// (tops[u], best first; nil for users without a test set).
func Score(s *Split, tops [][]int, k int) Metrics {
	m := Metrics{K: k}
	shown := map[int]bool{}
	coldFound := 0
	for u, test := range s.Test {
		if len(test) == 0 {
			continue
		}
		m.Users++
		in := make(map[int]bool, len(test))
		for _, i := range test {
			in[i] = true
		}
		top := tops[u]
		if len(top) > k {
			top = top[:k]
		}
		hits, dcg := 0, 0.0
		for r, i := range top {
			shown[i] = true
			if in[i] {
				hits++
				dcg += 1 / math.Log2(float64(r)+2)
			}
		}
		idcg := 0.0
		for r := range min(k, len(test)) {
			idcg += 1 / math.Log2(float64(r)+2)
		}
		m.Recall += float64(hits) / float64(len(test))
		m.NDCG += dcg / idcg
		m.UserNDCG = append(m.UserNDCG, dcg/idcg)
		for _, i := range test {
			if s.Pop[i] == 0 {
				m.ColdPositives++
				if slices.Contains(top, i) {
					coldFound++
				}
			}
		}
	}
	if m.Users > 0 {
		m.Recall /= float64(m.Users)
		m.NDCG /= float64(m.Users)
	}
	if m.ColdPositives > 0 {
		m.ColdRecall = float64(coldFound) / float64(m.ColdPositives)
	}
	if len(s.Items) > 0 {
		m.Coverage = float64(len(shown)) / float64(len(s.Items))
	}
	return m
}

// parallelFor calls f(i) for i in [0, n) on GOMAXPROCS goroutines, stopping
// early when ctx is done.
func parallelFor(ctx context.Context, n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}

// scored is an item and its score, for top-k selection.
type scored struct {
	item  int
	score float64
}

type minHeap []scored

func (h minHeap) Len() int { return len(h) }
func (h minHeap) Less(i, j int) bool {
	if h[i].score != h[j].score {
		return h[i].score < h[j].score
	}
	return h[i].item > h[j].item
}
func (h minHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *minHeap) Push(x any)   { *h = append(*h, x.(scored)) }
func (h *minHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// topK returns the k items with the highest scores, skipping excluded
// ones, best first; ties go to the lower index.
func topK(scores []float64, exclude map[int]bool, k int) []scored {
	h := make(minHeap, 0, k+1)
	for i, sc := range scores {
		if exclude[i] || math.IsNaN(sc) {
			continue
		}
		x := scored{i, sc}
		if len(h) < k {
			heap.Push(&h, x)
		} else if better(x, h[0]) {
			h[0] = x
			heap.Fix(&h, 0)
		}
	}
	out := make([]scored, len(h))
	for i := len(h) - 1; i >= 0; i-- {
		out[i] = heap.Pop(&h).(scored)
	}
	return out
}

func better(a, b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.item < b.item
}

// trainSet returns the user's training positives as a set.
func trainSet(s *Split, u int) map[int]bool {
	m := make(map[int]bool, len(s.Train[u]))
	for _, i := range s.Train[u] {
		m[i] = true
	}
	return m
}

// checkUser validates a user index and k.
func checkUser(s *Split, u, k int) error {
	if s == nil {
		return ErrNotFitted
	}
	if u < 0 || u >= s.NumUsers() {
		return fmt.Errorf("recommend: user %d out of range [0, %d)", u, s.NumUsers())
	}
	if k <= 0 {
		return fmt.Errorf("recommend: k = %d, want > 0", k)
	}
	return nil
}
