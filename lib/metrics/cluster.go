package metrics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"github.com/founderlab/founderlab/internal/overflow"
)

// ErrOverflow reports values so large that a float64 result computed from
// them would overflow to ±Inf (or turn into NaN or 0). Errors wrapping it
// name the input; the remedy is to scale the data (standardise the
// columns). It is the same error as persona.ErrOverflow. Test for it with
// errors.Is.
var ErrOverflow = overflow.Err

// finite reports whether x is neither NaN nor ±Inf.
func finite(x float64) bool { return x-x == 0 }

// compact renumbers labels to 0..m−1 by rank of value (the smallest label
// becomes 0, as scikit-learn's LabelEncoder), returning the new labels and
// m. Negative labels are an error. Memory is O(len(labels)) whatever the
// label values: labels below len(labels) are ranked through an array, larger
// ones through a map (a label of 1<<40 or math.MaxInt is fine).
func compact(labels []int) ([]int, int, error) {
	maxL := -1
	for i, l := range labels {
		if l < 0 {
			return nil, 0, fmt.Errorf("label %d of row %d is negative", l, i+1)
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

// checkPoints checks that X is a non-empty matrix of finite values with
// rows of equal length; what names it in errors.
func checkPoints(what string, X [][]float64) error {
	if len(X) == 0 || len(X[0]) == 0 {
		return fmt.Errorf("%s is empty (%d rows)", what, len(X))
	}
	d := len(X[0])
	for i, row := range X {
		if len(row) != d {
			return fmt.Errorf("%s row %d has %d values, row 1 has %d", what, i+1, len(row), d)
		}
		for j, v := range row {
			if !finite(v) {
				return fmt.Errorf("%s row %d, column %d: %v is not finite", what, i+1, j+1, v)
			}
		}
	}
	return nil
}

// checkLabels validates X and labels for a cluster metric and returns the
// compacted labels and the number of clusters, which must be in 2..N−1.
// Rows too large for squared distances to be summed are an error wrapping
// [ErrOverflow].
func checkLabels(what string, X [][]float64, labels []int) ([]int, int, error) {
	if err := checkPoints("X", X); err != nil {
		return nil, 0, fmt.Errorf("metrics: %s: %w", what, err)
	}
	if len(labels) != len(X) {
		return nil, 0, fmt.Errorf("metrics: %s: %d labels for %d rows", what, len(labels), len(X))
	}
	if err := overflow.CheckRows("X", len(X), len(X), func(i int) []float64 { return X[i] }, "e.g. standardise them"); err != nil {
		return nil, 0, fmt.Errorf("metrics: %s: %w", what, err)
	}
	lab, m, err := compact(labels)
	if err != nil {
		return nil, 0, fmt.Errorf("metrics: %s: %w", what, err)
	}
	if m < 2 || m > len(X)-1 {
		return nil, 0, fmt.Errorf("metrics: %s: %d clusters among %d rows; need 2 ≤ clusters ≤ rows−1", what, m, len(X))
	}
	return lab, m, nil
}

// Silhouette returns the mean silhouette coefficient of the clustering of
// the rows of X (Rousseeuw 1987), as scikit-learn's silhouette_score. For
// row i with a(i) the mean Euclidean distance to the other rows of its
// cluster and b(i) the smallest mean distance to the rows of another
// cluster, s(i) = (b − a)/max(a, b), and s(i) = 0 when i is alone in its
// cluster. The cost is O(N²·D) time and O(N·K) memory; use
// [SilhouetteSample] for large N.
func Silhouette(X [][]float64, labels []int) (float64, error) {
	lab, m, err := checkLabels("silhouette", X, labels)
	if err != nil {
		return 0, err
	}
	var sum float64
	for _, v := range silhouetteSamples(X, lab, m) {
		sum += v
	}
	return sum / float64(len(X)), nil
}

// SilhouetteSamples returns s(i) for every row (see [Silhouette]), as
// scikit-learn's silhouette_samples.
func SilhouetteSamples(X [][]float64, labels []int) ([]float64, error) {
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
func SilhouetteSample(X [][]float64, labels []int, size int, seed uint64) (float64, error) {
	if size <= 0 {
		return 0, fmt.Errorf("metrics: silhouette: sample size %d, want > 0", size)
	}
	if size >= len(X) {
		return Silhouette(X, labels)
	}
	if len(labels) != len(X) {
		return 0, fmt.Errorf("metrics: silhouette: %d labels for %d rows", len(labels), len(X))
	}
	rng := rand.New(rand.NewPCG(seed, 0x5111))
	idx := rng.Perm(len(X))[:size]
	S := make([][]float64, size)
	sl := make([]int, size)
	for i, p := range idx {
		S[i], sl[i] = X[p], labels[p]
	}
	return Silhouette(S, sl)
}

func silhouetteSamples(X [][]float64, lab []int, m int) []float64 {
	n := len(X)
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
				xi := X[i]
				for j, xj := range X {
					if j == i {
						continue
					}
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

// clusterMeans returns the mean of every cluster, the mean of all rows
// and the cluster sizes.
func clusterMeans(X [][]float64, lab []int, m int) (means [][]float64, overall, size []float64) {
	d := len(X[0])
	means = make([][]float64, m)
	for c := range means {
		means[c] = make([]float64, d)
	}
	overall = make([]float64, d)
	size = make([]float64, m)
	for i, l := range lab {
		size[l]++
		for t, v := range X[i] {
			means[l][t] += v
			overall[t] += v
		}
	}
	for c, mean := range means {
		for t := range mean {
			mean[t] /= size[c]
		}
	}
	for t := range overall {
		overall[t] /= float64(len(X))
	}
	return means, overall, size
}

// sqDist returns ||x − y||².
func sqDist(x, y []float64) float64 {
	var s float64
	for t, v := range x {
		e := v - y[t]
		s += e * e
	}
	return s
}

// CalinskiHarabasz returns the variance-ratio criterion (Caliński and
// Harabasz 1974), as scikit-learn's calinski_harabasz_score:
// CH = [B/(K−1)] / [W/(N−K)], with B = Σ_k n_k ||μ_k − μ||² the
// between-cluster and W = Σ_k Σ_{x∈C_k} ||x − μ_k||² the within-cluster
// dispersion (μ_k the cluster means, μ the mean of all rows). Higher is
// better; W = 0 gives 1 as in scikit-learn. A ratio beyond float64 is an
// error wrapping [ErrOverflow].
func CalinskiHarabasz(X [][]float64, labels []int) (float64, error) {
	lab, m, err := checkLabels("calinski-harabasz", X, labels)
	if err != nil {
		return 0, err
	}
	means, overall, size := clusterMeans(X, lab, m)
	var between, within float64
	for c, mean := range means {
		between += size[c] * sqDist(mean, overall)
	}
	for i, l := range lab {
		within += sqDist(X[i], means[l])
	}
	if within == 0 {
		return 1, nil
	}
	n := float64(len(X))
	ch := between * (n - float64(m)) / (within * float64(m-1))
	if !finite(ch) {
		// between·(N−K) may overflow where the ratio does not.
		ch = (between / within) * ((n - float64(m)) / float64(m-1))
	}
	if !finite(ch) {
		return 0, fmt.Errorf("metrics: calinski-harabasz: between-cluster dispersion %.3g over within-cluster dispersion %.3g overflows: %w", between, within, ErrOverflow)
	}
	return ch, nil
}

// DaviesBouldin returns the Davies–Bouldin index (1979), as scikit-learn's
// davies_bouldin_score: with s_k the mean Euclidean distance of cluster k's
// rows to its mean μ_k, DB = (1/K) Σ_i max_{j≠i} (s_i + s_j)/||μ_i − μ_j||.
// Lower is better. Coinciding means count as infinitely far apart, and DB
// is 0 when every s is 0 or every mean coincides, as in scikit-learn. A sum
// beyond float64 (means that nearly coincide) is an error wrapping
// [ErrOverflow].
func DaviesBouldin(X [][]float64, labels []int) (float64, error) {
	lab, m, err := checkLabels("davies-bouldin", X, labels)
	if err != nil {
		return 0, err
	}
	means, _, size := clusterMeans(X, lab, m)
	intra := make([]float64, m)
	for i, l := range lab {
		intra[l] += math.Sqrt(sqDist(X[i], means[l]))
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
			cd[a*m+b] = math.Sqrt(sqDist(means[a], means[b]))
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
		return 0, fmt.Errorf("metrics: davies-bouldin: a cluster's spread over the distance to another cluster's mean overflows (means nearly coincide): %w", ErrOverflow)
	}
	return total / float64(m), nil
}

// AdjustedRand returns the adjusted Rand index of two labelings of the same
// rows (Hubert and Arabie 1985), as scikit-learn's adjusted_rand_score: the
// Rand index corrected for chance, 1 for identical partitions (up to
// renaming), about 0 for independent ones. With n_ij the contingency table
// of the two labelings, a_i and b_j its row and column sums and
// C(x) = x(x−1)/2 the pairs among x,
//
//	ARI = (Σ C(n_ij) − E) / ((Σ C(a_i) + Σ C(b_j))/2 − E),  E = Σ C(a_i)·Σ C(b_j) / C(N).
//
// Labels may be any non-negative ints.
func AdjustedRand(a, b []int) (float64, error) {
	if len(a) != len(b) {
		return 0, fmt.Errorf("metrics: adjusted rand: %d and %d labels", len(a), len(b))
	}
	if len(a) == 0 {
		return 0, fmt.Errorf("metrics: adjusted rand: no labels")
	}
	la, ma, err := compact(a)
	if err != nil {
		return 0, fmt.Errorf("metrics: adjusted rand: %w", err)
	}
	lb, mb, err := compact(b)
	if err != nil {
		return 0, fmt.Errorf("metrics: adjusted rand: %w", err)
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
