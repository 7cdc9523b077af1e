package persona

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
)

// compact renumbers labels to 0..m−1 by rank of value (the smallest label
// becomes 0, as scikit-learn's LabelEncoder), returning the new labels and
// m. Negative labels are an error. Memory is O(len(labels)) whatever the
// label values: labels below len(labels) are ranked through an array, larger
// ones through a map (a label of 1<<40 or math.MaxInt is fine).
func compact(labels []int) ([]int, int, error) {
	maxL := -1
	for i, l := range labels {
		if l < 0 {
			return nil, 0, fmt.Errorf("persona: label %d of row %d is negative", l, i+1)
		}
		maxL = max(maxL, l)
	}
	out := make([]int, len(labels))
	if maxL < len(labels) {
		rank := make([]int, maxL+1)
		for _, l := range labels {
			rank[l] = 1
		}
		m := 0
		for l, used := range rank {
			if used == 1 {
				rank[l] = m
				m++
			}
		}
		for i, l := range labels {
			out[i] = rank[l]
		}
		return out, m, nil
	}
	rank := map[int]int{}
	for _, l := range labels {
		rank[l] = 0
	}
	values := make([]int, 0, len(rank))
	for l := range rank {
		values = append(values, l)
	}
	slices.Sort(values)
	for r, l := range values {
		rank[l] = r
	}
	for i, l := range labels {
		out[i] = rank[l]
	}
	return out, len(values), nil
}

// checkLabels validates X and labels for a cluster metric and returns the
// compacted labels and the number of clusters, which must be in 2..N−1.
// Rows too large for squared distances to be summed are an error wrapping
// [ErrOverflow].
func checkLabels(what string, X Matrix, labels []int) ([]int, int, error) {
	if err := X.validate("X"); err != nil {
		return nil, 0, fmt.Errorf("persona: %s: %w", what, err)
	}
	if len(labels) != X.Rows {
		return nil, 0, fmt.Errorf("persona: %s: %d labels for %d rows", what, len(labels), X.Rows)
	}
	if err := checkMagnitude("X", X.Rows, X); err != nil {
		return nil, 0, fmt.Errorf("persona: %s: %w", what, err)
	}
	lab, m, err := compact(labels)
	if err != nil {
		return nil, 0, fmt.Errorf("persona: %s: %w", what, err)
	}
	if m < 2 || m > X.Rows-1 {
		return nil, 0, fmt.Errorf("persona: %s: %d clusters among %d rows; need 2 ≤ clusters ≤ rows−1", what, m, X.Rows)
	}
	return lab, m, nil
}

// Silhouette returns the mean silhouette coefficient of the clustering
// (Rousseeuw 1987). For row i with a(i) the mean Euclidean distance to the
// other rows of its cluster and b(i) the smallest mean distance to the rows
// of another cluster, s(i) = (b − a)/max(a, b), and s(i) = 0 when i is alone
// in its cluster. The cost is O(N²·D) time and O(N·K) memory; use
// [SilhouetteSample] for large N.
func Silhouette(X Matrix, labels []int) (float64, error) {
	lab, m, err := checkLabels("silhouette", X, labels)
	if err != nil {
		return 0, err
	}
	s := silhouetteSamples(X, lab, m)
	return sum(s) / float64(len(s)), nil
}

// SilhouetteSamples returns s(i) for every row (see [Silhouette]).
func SilhouetteSamples(X Matrix, labels []int) ([]float64, error) {
	lab, m, err := checkLabels("silhouette", X, labels)
	if err != nil {
		return nil, err
	}
	return silhouetteSamples(X, lab, m), nil
}

// SilhouetteSample estimates the mean silhouette on a random subset of
// size rows (drawn without replacement with the given seed), computing the
// silhouette of the subset alone as scikit-learn's sample_size does. When
// size ≥ N it is the exact [Silhouette].
func SilhouetteSample(X Matrix, labels []int, size int, seed uint64) (float64, error) {
	if size <= 0 {
		return 0, fmt.Errorf("persona: silhouette: sample size %d, want > 0", size)
	}
	if size >= X.Rows {
		return Silhouette(X, labels)
	}
	if len(labels) != X.Rows {
		return 0, fmt.Errorf("persona: silhouette: %d labels for %d rows", len(labels), X.Rows)
	}
	rng := rand.New(rand.NewPCG(seed, 0x5111))
	idx := rng.Perm(X.Rows)[:size]
	S := NewMatrix(size, X.Cols)
	sl := make([]int, size)
	for i, p := range idx {
		copy(S.Row(i), X.Row(p))
		sl[i] = labels[p]
	}
	return Silhouette(S, sl)
}

func silhouetteSamples(X Matrix, lab []int, m int) []float64 {
	n, d := X.Rows, X.Cols
	size := make([]float64, m)
	for _, l := range lab {
		size[l]++
	}
	out := make([]float64, n)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	rowsPer := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += rowsPer {
		hi := min(lo+rowsPer, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			acc := make([]float64, m)
			for i := lo; i < hi; i++ {
				clear(acc)
				xi := X.Data[i*d : i*d+d]
				for j := 0; j < n; j++ {
					if j == i {
						continue
					}
					xj := X.Data[j*d : j*d+d]
					var s float64
					for t, v := range xi {
						e := v - xj[t]
						s += e * e
					}
					acc[lab[j]] += math.Sqrt(s)
				}
				own := lab[i]
				if size[own] <= 1 {
					out[i] = 0
					continue
				}
				a := acc[own] / (size[own] - 1)
				b := math.Inf(1)
				for c := 0; c < m; c++ {
					if c != own {
						b = math.Min(b, acc[c]/size[c])
					}
				}
				if den := math.Max(a, b); den > 0 {
					out[i] = (b - a) / den
				}
			}
		}()
	}
	wg.Wait()
	return out
}

// clusterMeans returns the mean of every cluster and of all rows.
func clusterMeans(X Matrix, lab []int, m int) (means Matrix, overall []float64, size []float64) {
	d := X.Cols
	means = NewMatrix(m, d)
	overall = make([]float64, d)
	size = make([]float64, m)
	for i, l := range lab {
		size[l]++
		addToGo(means.Data[l*d:l*d+d], X.Row(i))
		addToGo(overall, X.Row(i))
	}
	for c := 0; c < m; c++ {
		for t := 0; t < d; t++ {
			means.Data[c*d+t] /= size[c]
		}
	}
	for t := range overall {
		overall[t] /= float64(X.Rows)
	}
	return means, overall, size
}

// CalinskiHarabasz returns the variance-ratio criterion (Caliński and
// Harabasz 1974): CH = [B/(K−1)] / [W/(N−K)], with B = Σ_k n_k ||μ_k − μ||²
// the between-cluster and W = Σ_k Σ_{x∈C_k} ||x − μ_k||² the within-cluster
// dispersion (μ_k the cluster means). Higher is better; W = 0 gives 1 as in
// scikit-learn.
func CalinskiHarabasz(X Matrix, labels []int) (float64, error) {
	lab, m, err := checkLabels("calinski-harabasz", X, labels)
	if err != nil {
		return 0, err
	}
	means, overall, size := clusterMeans(X, lab, m)
	var between, within float64
	for c := 0; c < m; c++ {
		var s float64
		for t, v := range means.Row(c) {
			e := v - overall[t]
			s += e * e
		}
		between += size[c] * s
	}
	within = rowDist(X, means, lab, nil, 0)
	if within == 0 {
		return 1, nil
	}
	n := float64(X.Rows)
	ch := between * (n - float64(m)) / (within * float64(m-1))
	if !finite(ch) {
		// between·(N−K) may overflow where the ratio does not.
		ch = (between / within) * ((n - float64(m)) / float64(m-1))
	}
	if !finite(ch) {
		return 0, fmt.Errorf("persona: calinski-harabasz: between-cluster dispersion %.3g over within-cluster dispersion %.3g overflows: %w", between, within, ErrOverflow)
	}
	return ch, nil
}

// DaviesBouldin returns the Davies–Bouldin index (1979): with s_k the mean
// Euclidean distance of cluster k's rows to its mean μ_k,
// DB = (1/K) Σ_i max_{j≠i} (s_i + s_j)/||μ_i − μ_j||. Lower is better.
// Coinciding means count as infinitely far apart, and DB is 0 when every s
// is 0 or every mean coincides, as in scikit-learn.
func DaviesBouldin(X Matrix, labels []int) (float64, error) {
	lab, m, err := checkLabels("davies-bouldin", X, labels)
	if err != nil {
		return 0, err
	}
	means, _, size := clusterMeans(X, lab, m)
	d := X.Cols
	intra := make([]float64, m)
	for i, l := range lab {
		x, c := X.Row(i), means.Data[l*d:l*d+d]
		var s float64
		for t, v := range x {
			e := v - c[t]
			s += e * e
		}
		intra[l] += math.Sqrt(s)
	}
	allZeroIntra := true
	for c := range intra {
		intra[c] /= size[c]
		if math.Abs(intra[c]) > 1e-15 {
			allZeroIntra = false
		}
	}
	cd := make([]float64, m*m)
	allZeroDist := true
	for a := 0; a < m; a++ {
		for b := 0; b < m; b++ {
			var s float64
			for t, v := range means.Row(a) {
				e := v - means.At(b, t)
				s += e * e
			}
			cd[a*m+b] = math.Sqrt(s)
			if a != b && math.Abs(cd[a*m+b]) > 1e-15 {
				allZeroDist = false
			}
		}
	}
	if allZeroIntra || allZeroDist {
		return 0, nil
	}
	var total float64
	for a := 0; a < m; a++ {
		worst := 0.0
		for b := 0; b < m; b++ {
			if a == b {
				continue
			}
			dist := cd[a*m+b]
			if dist == 0 {
				continue // infinitely far: ratio 0
			}
			worst = math.Max(worst, (intra[a]+intra[b])/dist)
		}
		total += worst
	}
	if !finite(total) {
		return 0, fmt.Errorf("persona: davies-bouldin: a cluster's spread over the distance to another cluster's mean overflows (means nearly coincide): %w", ErrOverflow)
	}
	return total / float64(m), nil
}

// AdjustedRand returns the adjusted Rand index of two labelings of the same
// rows (Hubert and Arabie 1985): the Rand index corrected for chance, 1 for
// identical partitions (up to renaming), about 0 for independent ones.
func AdjustedRand(a, b []int) (float64, error) {
	if len(a) != len(b) {
		return 0, fmt.Errorf("persona: adjusted rand: %d and %d labels", len(a), len(b))
	}
	if len(a) == 0 {
		return 0, fmt.Errorf("persona: adjusted rand: no labels")
	}
	la, ma, err := compact(a)
	if err != nil {
		return 0, fmt.Errorf("persona: adjusted rand: %w", err)
	}
	lb, mb, err := compact(b)
	if err != nil {
		return 0, fmt.Errorf("persona: adjusted rand: %w", err)
	}
	n := float64(len(a))
	ra := make([]float64, ma)
	rb := make([]float64, mb)
	for i := range la {
		ra[la[i]]++
		rb[lb[i]]++
	}
	pairs := func(x float64) float64 { return x * (x - 1) / 2 }
	var sumIJ, sumA, sumB float64
	// The contingency table is dense when small and a map of its non-zero
	// cells otherwise, so memory stays O(N) (ma·mb can reach N²).
	if ma*mb <= 4*len(a) {
		cont := make([]float64, ma*mb)
		for i := range la {
			cont[la[i]*mb+lb[i]]++
		}
		for _, v := range cont {
			sumIJ += pairs(v)
		}
	} else {
		cont := map[int]float64{}
		for i := range la {
			cont[la[i]*mb+lb[i]]++
		}
		for _, v := range cont {
			sumIJ += pairs(v)
		}
	}
	for _, v := range ra {
		sumA += pairs(v)
	}
	for _, v := range rb {
		sumB += pairs(v)
	}
	total := pairs(n)
	if (ma == mb && (ma == 1 || ma == len(a))) || total == 0 {
		return 1, nil
	}
	expected := sumA * sumB / total
	maxIdx := (sumA + sumB) / 2
	if maxIdx == expected {
		return 1, nil
	}
	return (sumIJ - expected) / (maxIdx - expected), nil
}

// Knee returns the index of the knee (elbow) of a decreasing curve y over
// increasing x: after scaling both axes to [0, 1], the point farthest
// below the straight line from the first to the last point (the Kneedle
// idea of Satopää et al. 2011). It returns 0 for fewer than 3 points.
func Knee(x, y []float64) int {
	n := len(x)
	if n < 3 || len(y) != n {
		return 0
	}
	x0, x1 := x[0], x[n-1]
	ylo, yhi := minMax(y)
	if x1 == x0 || yhi == ylo {
		return 0
	}
	best, bestGap := 0, 0.0
	for i := range x {
		xs := (x[i] - x0) / (x1 - x0)
		ys := (y[i] - ylo) / (yhi - ylo)
		line := (y[0]-ylo)/(yhi-ylo) + xs*((y[n-1]-y[0])/(yhi-ylo))
		if gap := line - ys; gap > bestGap {
			best, bestGap = i, gap
		}
	}
	return best
}
