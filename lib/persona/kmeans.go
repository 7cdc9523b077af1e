package persona

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/gomlx/gomlx/backends"

	"github.com/founderlab/founderlab/lib/backend"
)

// Init chooses how k-means picks its starting centroids.
type Init uint8

const (
	// InitKMeansPlusPlus seeds with greedy k-means++ (the default).
	InitKMeansPlusPlus Init = iota
	// InitFirstRows uses the first K rows of X (deterministic; used by the
	// benchmark to compare with scikit-learn step for step).
	InitFirstRows
	// InitGiven uses KMeans.Centroids.
	InitGiven
)

// String returns the init's name.
func (i Init) String() string {
	switch i {
	case InitKMeansPlusPlus:
		return "k-means++"
	case InitFirstRows:
		return "first-rows"
	case InitGiven:
		return "given"
	}
	return fmt.Sprintf("Init(%d)", uint8(i))
}

// Engine chooses where the Lloyd iterations run.
type Engine uint8

const (
	// EngineAuto uses EngineGoMLX when an accelerator is available (an XLA
	// PJRT plugin other than the CPU one, such as CUDA, is installed or named
	// by $GOMLX_BACKEND) and EngineCPU otherwise, XLA on CPU included.
	EngineAuto Engine = iota
	// EngineCPU uses the blocked CPU kernel (AVX2 assembly on amd64).
	EngineCPU
	// EngineGoMLX builds each Lloyd step as a GoMLX graph and runs it on the
	// backend chosen by lib/backend (or KMeans.Backend).
	EngineGoMLX
)

// String returns the engine's name.
func (e Engine) String() string {
	switch e {
	case EngineAuto:
		return "auto"
	case EngineCPU:
		return "cpu"
	case EngineGoMLX:
		return "gomlx"
	}
	return fmt.Sprintf("Engine(%d)", uint8(e))
}

// KMeans configures a k-means fit. The zero value with K set is a sensible
// default: k-means++ seeding, 10 restarts, up to 300 iterations, Tol 1e-4,
// seed 0, EngineAuto.
type KMeans struct {
	// K is the number of clusters, 1 ≤ K ≤ number of rows.
	K int
	// Init chooses the starting centroids.
	Init Init
	// Centroids are the starting centroids for InitGiven (K × D).
	Centroids Matrix
	// NInit is the number of restarts (k-means++ only); the fit with the
	// lowest inertia wins. 0 means 10.
	NInit int
	// MaxIter bounds the Lloyd iterations per restart (for mini-batch: the
	// passes over the data). 0 means 300 (mini-batch: 100).
	MaxIter int
	// Tol stops the iterations when Σ_k ||μ_k' − μ_k||² ≤ Tol · mean_j Var(x_j)
	// (as scikit-learn). 0 means 1e-4. A negative Tol disables every early
	// stop, so exactly MaxIter iterations run.
	Tol float64
	// Seed makes k-means++ and mini-batch sampling reproducible.
	Seed uint64
	// Engine chooses where the iterations run.
	Engine Engine
	// Backend, for EngineGoMLX, is the GoMLX backend; nil means the one
	// lib/backend chooses.
	Backend backends.Backend
	// BatchSize > 0 selects mini-batch k-means with batches of that size
	// (on the CPU engine; Engine is ignored).
	BatchSize int
	// Workers is the number of goroutines of the CPU engine; 0 means GOMAXPROCS.
	Workers int
}

// Model is a fitted k-means clustering.
type Model struct {
	// Centroids are the K cluster centres (K × D).
	Centroids Matrix
	// Labels assigns every row of X to its nearest centroid.
	Labels []int
	// Sizes counts the rows of every cluster.
	Sizes []int
	// Inertia is J = Σ_i ||x_i − μ_{label(i)}||², computed exactly.
	Inertia float64
	// Iter is the number of Lloyd iterations (mini-batch: steps) of the
	// winning restart.
	Iter int
	// Converged reports whether a stopping rule fired before MaxIter.
	Converged bool
	// Restart is the index of the winning restart; Inertias lists the final
	// inertia of every restart.
	Restart  int
	Inertias []float64
	// Engine says which engine ran ("cpu", "gomlx:<backend>").
	Engine string
}

// Predict assigns each row of X to the nearest centroid.
func (m *Model) Predict(X Matrix) ([]int, error) {
	if err := X.validate("X"); err != nil {
		return nil, err
	}
	if X.Cols != m.Centroids.Cols {
		return nil, fmt.Errorf("persona: predict: X has %d columns, the model %d", X.Cols, m.Centroids.Cols)
	}
	if err := checkMagnitude("X", 1, X); err != nil {
		return nil, fmt.Errorf("persona: predict: %w", err)
	}
	if err := checkMagnitude("centroids", 1, m.Centroids); err != nil {
		return nil, fmt.Errorf("persona: predict: %w", err)
	}
	return nearest(X, m.Centroids), nil
}

// Objective returns J = Σ_k Σ_{x∈C_k} ||x − μ_k||² for the given labels and
// centroids, summing squared differences exactly in float64. Non-finite
// values are an error, and so is a sum that overflows (wrapping
// [ErrOverflow]).
func Objective(X, centroids Matrix, labels []int) (float64, error) {
	if err := X.validate("X"); err != nil {
		return 0, fmt.Errorf("persona: objective: %w", err)
	}
	if err := centroids.validate("centroids"); err != nil {
		return 0, fmt.Errorf("persona: objective: %w", err)
	}
	if len(labels) != X.Rows || X.Cols != centroids.Cols {
		return 0, fmt.Errorf("persona: objective: X is %d×%d, %d labels, centroids %d×%d", X.Rows, X.Cols, len(labels), centroids.Rows, centroids.Cols)
	}
	for i, l := range labels {
		if l < 0 || l >= centroids.Rows {
			return 0, fmt.Errorf("persona: objective: label %d of row %d is outside 0..%d", l, i+1, centroids.Rows-1)
		}
	}
	j := rowDist(X, centroids, labels, nil, 1)
	if !finite(j) {
		return 0, fmt.Errorf("persona: objective: the sum of squared distances overflows (X %d×%d); scale the columns: %w", X.Rows, X.Cols, ErrOverflow)
	}
	return j, nil
}

// lloydEngine is one implementation of Lloyd's assignment step.
type lloydEngine interface {
	// step assigns every row to its nearest centroid of C (labels), counts
	// the rows whose label differs from prev (when non-nil) and, when
	// update is set, returns per-cluster sums (K × D) and counts.
	step(C Matrix, labels, prev []int, update bool) (sums []float64, counts []int, changed int, err error)
	name() string
	close()
}

type cpuEngine struct{ *cpuLloyd }

func (e cpuEngine) step(C Matrix, labels, prev []int, update bool) ([]float64, []int, int, error) {
	s, c, ch := e.cpuLloyd.step(C, labels, prev, update)
	return s, c, ch, nil
}
func (cpuEngine) name() string { return "cpu" }
func (cpuEngine) close()       {}

// settings returns km with defaults filled in.
func (km KMeans) settings() KMeans {
	if km.NInit <= 0 {
		km.NInit = 10
	}
	if km.Init != InitKMeansPlusPlus {
		km.NInit = 1
	}
	if km.MaxIter <= 0 {
		km.MaxIter = 300
		if km.BatchSize > 0 {
			km.MaxIter = 100
		}
	}
	if km.Tol == 0 {
		km.Tol = 1e-4
	}
	if km.Workers <= 0 {
		km.Workers = runtime.GOMAXPROCS(0)
	}
	return km
}

// check validates km against X.
func (km KMeans) check(X Matrix) error {
	if err := X.validate("X"); err != nil {
		return fmt.Errorf("persona: k-means: %w", err)
	}
	if err := checkMagnitude("X", X.Rows, X); err != nil {
		return fmt.Errorf("persona: k-means: %w", err)
	}
	if km.K < 1 {
		return fmt.Errorf("persona: k-means: K = %d, want at least 1", km.K)
	}
	if km.K > X.Rows {
		return fmt.Errorf("persona: k-means: K = %d is more than the %d rows", km.K, X.Rows)
	}
	if math.IsNaN(km.Tol) {
		return fmt.Errorf("persona: k-means: Tol is NaN")
	}
	if km.Init > InitGiven {
		return fmt.Errorf("persona: k-means: unknown init %v", km.Init)
	}
	if km.Init == InitGiven {
		C := km.Centroids
		if C.Rows != km.K || C.Cols != X.Cols {
			return fmt.Errorf("persona: k-means: given centroids are %d×%d, want %d×%d", C.Rows, C.Cols, km.K, X.Cols)
		}
		if err := C.validate("given centroids"); err != nil {
			return fmt.Errorf("persona: k-means: %w", err)
		}
		if err := checkMagnitude("given centroids", X.Rows, C); err != nil {
			return fmt.Errorf("persona: k-means: %w", err)
		}
	}
	if km.Init == InitKMeansPlusPlus {
		if n := distinctRows(X, km.K); n < km.K {
			return fmt.Errorf("persona: k-means: X has only %d distinct rows, fewer than K = %d", n, km.K)
		}
	}
	return nil
}

// distinctRows counts distinct rows of X, stopping once it reaches limit.
func distinctRows(X Matrix, limit int) int {
	seen := map[string]struct{}{}
	key := make([]byte, 8*X.Cols)
	for i := 0; i < X.Rows && len(seen) < limit; i++ {
		for t, v := range X.Row(i) {
			if v == 0 {
				v = 0 // fold −0 into +0
			}
			binary.LittleEndian.PutUint64(key[8*t:], math.Float64bits(v))
		}
		seen[string(key)] = struct{}{}
	}
	return len(seen)
}

// Fit clusters the rows of X. It returns an error for K < 1, K greater
// than the number of rows, fewer distinct rows than K (k-means++), NaN or
// Inf values, an empty X, or cancellation of ctx, and an error wrapping
// [ErrOverflow] when the rows are so large (norms beyond about 1e150) that
// sums of squared distances would overflow float64: scale such data first.
// So Fit never panics on finite input, and a returned model's Inertia is
// finite.
func (km KMeans) Fit(ctx context.Context, X Matrix) (*Model, error) {
	if err := km.check(X); err != nil {
		return nil, err
	}
	km = km.settings()
	if km.BatchSize > 0 {
		return km.fitMiniBatch(ctx, X)
	}
	eng, err := km.engine(X)
	if err != nil {
		return nil, err
	}
	defer eng.close()
	tolAbs := -1.0
	if km.Tol >= 0 {
		tolAbs = km.Tol * meanVariance(X)
	}
	var best *Model
	var inertias []float64
	for r := 0; r < km.NInit; r++ {
		var C0 Matrix
		switch km.Init {
		case InitFirstRows:
			C0 = Matrix{Rows: km.K, Cols: X.Cols, Data: append([]float64(nil), X.Data[:km.K*X.Cols]...)}
		case InitGiven:
			C0 = km.Centroids.Clone()
		default:
			rng := rand.New(rand.NewPCG(km.Seed, uint64(r)))
			C0 = kmeansPlusPlus(X, km.K, rng, km.Workers)
		}
		m, err := lloyd(ctx, eng, X, C0, km.MaxIter, km.Tol < 0, tolAbs, km.Workers)
		if err != nil {
			return nil, err
		}
		inertias = append(inertias, m.Inertia)
		if best == nil || m.Inertia < best.Inertia {
			m.Restart = r
			best = m
		}
	}
	best.Inertias = inertias
	best.Engine = eng.name()
	return best, nil
}

// engine creates the Lloyd engine km asks for.
func (km KMeans) engine(X Matrix) (lloydEngine, error) {
	e := km.Engine
	if e == EngineAuto {
		e = EngineCPU
		if accelerated() {
			e = EngineGoMLX
		}
	}
	switch e {
	case EngineCPU:
		return cpuEngine{newCPULloyd(X, km.K, km.Workers)}, nil
	case EngineGoMLX:
		return newGraphEngine(X, km.K, km.Backend, 0)
	}
	return nil, fmt.Errorf("persona: k-means: unknown engine %v", km.Engine)
}

// accelerated reports whether GoMLX would run on an accelerator (an XLA
// plugin other than the CPU one). On CPUs, XLA included, the blocked CPU
// kernel is faster than a Lloyd step built as a graph.
func accelerated() bool {
	if cfg := strings.TrimSpace(os.Getenv(backend.EnvBackend)); cfg != "" {
		name, plugin, _ := strings.Cut(cfg, ":")
		if name == "go" {
			return false
		}
		if plugin != "" {
			return !strings.HasPrefix(plugin, "cpu")
		}
	}
	for _, p := range backend.XLAPlugins() {
		if p != "cpu" {
			return true
		}
	}
	return false
}

// meanVariance returns the mean over columns of the population variance.
func meanVariance(X Matrix) float64 {
	n, d := X.Rows, X.Cols
	mean := make([]float64, d)
	for i := 0; i < n; i++ {
		for j, v := range X.Data[i*d : i*d+d] {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	var s float64
	for i := 0; i < n; i++ {
		for j, v := range X.Data[i*d : i*d+d] {
			e := v - mean[j]
			s += e * e
		}
	}
	return s / float64(n) / float64(d)
}

// lloyd runs Lloyd's algorithm from C0. With exact set it runs exactly
// maxIter iterations; otherwise it stops when the labels do not change
// (strict convergence) or the squared centre shift is ≤ tolAbs. It then
// reassigns the rows to the final centroids and computes the inertia.
func lloyd(ctx context.Context, eng lloydEngine, X, C0 Matrix, maxIter int, exact bool, tolAbs float64, workers int) (*Model, error) {
	n, d, k := X.Rows, X.Cols, C0.Rows
	C := C0.Clone()
	next := NewMatrix(k, d)
	labels := make([]int, n)
	prev := make([]int, n)
	for i := range prev {
		prev[i] = -1
	}
	var dist []float64
	strict, converged := false, false
	iter := 0
	for iter < maxIter {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("persona: k-means: %w", err)
		}
		sums, counts, changed, err := eng.step(C, labels, prev, true)
		if err != nil {
			return nil, err
		}
		iter++
		if hasEmpty(counts) {
			if dist == nil {
				dist = make([]float64, n)
			}
			relocateEmpty(X, C, labels, sums, counts, dist, workers)
		}
		var shift float64
		for j := 0; j < k; j++ {
			old, nw := C.Row(j), next.Row(j)
			if counts[j] == 0 {
				copy(nw, old)
				continue
			}
			inv := 1 / float64(counts[j])
			for t := range nw {
				nw[t] = sums[j*d+t] * inv
				e := nw[t] - old[t]
				shift += e * e
			}
		}
		C, next = next, C
		if !exact {
			if changed == 0 {
				strict, converged = true, true
				break
			}
			if shift <= tolAbs {
				converged = true
				break
			}
		}
		labels, prev = prev, labels
	}
	if !strict {
		// Reassign to the final centroids (the buffer is overwritten).
		if _, _, _, err := eng.step(C, labels, nil, false); err != nil {
			return nil, err
		}
	}
	sizes := make([]int, k)
	for _, l := range labels {
		sizes[l]++
	}
	inertia := rowDist(X, C, labels, nil, workers)
	return &Model{Centroids: C, Labels: labels, Sizes: sizes, Inertia: inertia, Iter: iter, Converged: converged}, nil
}

func hasEmpty(counts []int) bool {
	for _, c := range counts {
		if c == 0 {
			return true
		}
	}
	return false
}

// relocateEmpty gives every empty cluster the row farthest from its
// assigned centroid (of C, the centroids the labels were computed with),
// moving that row's contribution out of its old cluster's sums, as
// scikit-learn does.
func relocateEmpty(X, C Matrix, labels []int, sums []float64, counts []int, dist []float64, workers int) {
	d := X.Cols
	rowDist(X, C, labels, dist, workers)
	var empty []int
	for j, c := range counts {
		if c == 0 {
			empty = append(empty, j)
		}
	}
	// The len(empty) rows with the largest distances, largest first.
	far := make([]int, 0, len(empty))
	taken := map[int]bool{}
	for range empty {
		best := -1
		for i, v := range dist {
			if taken[i] {
				continue
			}
			if best < 0 || v > dist[best] {
				best = i
			}
		}
		taken[best] = true
		far = append(far, best)
	}
	for e, j := range empty {
		i := far[e]
		x := X.Row(i)
		old := labels[i]
		for t, v := range x {
			sums[old*d+t] -= v
		}
		counts[old]--
		copy(sums[j*d:j*d+d], x)
		counts[j] = 1
	}
}

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
