package persona

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
)

// kmeansPlusPlus chooses k seeds from the rows of X by greedy k-means++:
// the first uniformly, every next one as the best (lowest potential) of
// 2+⌊ln k⌋ candidates drawn with probability proportional to the squared
// distance to the nearest seed so far.
func kmeansPlusPlus(X Matrix, k int, rng *rand.Rand, workers int) Matrix {
	n, d := X.Rows, X.Cols
	C := NewMatrix(k, d)
	trials := 2 + int(math.Log(float64(k)))
	first := rng.IntN(n)
	copy(C.Row(0), X.Row(first))
	closest := make([]float64, n)
	sqDistTo(X, X.Row(first), closest, nil, workers)
	cand := make([][]float64, trials)
	for t := range cand {
		cand[t] = make([]float64, n)
	}
	cum := make([]float64, n)
	for c := 1; c < k; c++ {
		var s float64
		for i, v := range closest {
			s += v
			cum[i] = s
		}
		ids := make([]int, trials)
		for t := range ids {
			r := rng.Float64() * s
			ids[t] = min(sort.SearchFloat64s(cum, r), n-1)
			// SearchFloat64s finds the first cum ≥ r; skip zero-weight rows
			// (exact duplicates of a seed) that share the same cum value.
			for ids[t] < n-1 && closest[ids[t]] == 0 && cum[ids[t]] < s {
				ids[t]++
			}
		}
		bestT, bestPot := -1, math.Inf(1)
		for t, id := range ids {
			p := sqDistTo(X, X.Row(id), cand[t], closest, workers)
			if p < bestPot {
				bestT, bestPot = t, p
			}
		}
		copy(closest, cand[bestT])
		copy(C.Row(c), X.Row(ids[bestT]))
	}
	return C
}

// sqDistTo writes ||x_i − c||² (or its minimum with floor[i] when floor is
// non-nil) into out and returns the sum.
func sqDistTo(X Matrix, c []float64, out, floor []float64, workers int) float64 {
	n, d := X.Rows, X.Cols
	var total float64
	var mu sync.Mutex
	parallelFor(n, workers, func(lo, hi int) {
		var s float64
		for i := lo; i < hi; i++ {
			x := X.Data[i*d : i*d+d]
			var v float64
			for t, xv := range x {
				e := xv - c[t]
				v += e * e
			}
			if floor != nil && floor[i] < v {
				v = floor[i]
			}
			out[i] = v
			s += v
		}
		mu.Lock()
		total += s
		mu.Unlock()
	})
	return total
}

// parallelFor calls f on consecutive ranges covering [0, n) from up to
// workers goroutines.
func parallelFor(n, workers int, f func(lo, hi int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunk := max(blockRows, (n+workers-1)/workers)
	if n <= chunk {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(lo, hi)
		}()
	}
	wg.Wait()
}
