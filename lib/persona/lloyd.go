package persona

import (
	"context"
	"errors"
	"fmt"
)

// lloydEngine is one implementation of Lloyd's assignment step.
type lloydEngine interface {
	// step assigns every row to its nearest centroid of C (labels), counts
	// the rows whose label differs from prev (when non-nil) and, when
	// update is set, returns per-cluster sums (K × D) and counts.
	step(C Matrix, labels, prev []int, update bool) (sums []float64, counts []int, changed int, err error)
	name() string
	close()
}

// Accelerator runs Lloyd's assignment step away from the CPU engine, for
// [EngineGoMLX] (and [EngineAuto] when Accelerated reports true). Package
// lib/persona/accel provides one over GoMLX; it is a package of its own so
// that programs clustering on the CPU do not link GoMLX.
type Accelerator interface {
	// Lloyd prepares the assignment step for the rows of X and k
	// centroids (uploading X once).
	Lloyd(X Matrix, k int) (LloydStep, error)
	// Accelerated reports whether the steps run on an accelerator, where
	// they beat the CPU engine.
	Accelerated() bool
}

// LloydStep is Lloyd's assignment step prepared for one matrix X.
type LloydStep interface {
	// Step assigns every row of X to its nearest centroid of C, writing
	// labels; counts the rows whose label differs from prev (when prev is
	// non-nil); and, when update is set, returns the per-cluster sums
	// (K × D, row-major) and counts.
	Step(C Matrix, labels, prev []int, update bool) (sums []float64, counts []int, changed int, err error)
	// Name says where the steps run, such as "gomlx:xla:cuda"; it becomes
	// Model.Engine.
	Name() string
	// Close frees what Lloyd prepared.
	Close()
}

// ErrNoAccelerator is wrapped by Fit's error when EngineGoMLX is asked for
// without a KMeans.Accelerator.
var ErrNoAccelerator = errors.New("no KMeans.Accelerator (accel.New of lib/persona/accel runs GoMLX)")

// accelEngine adapts a LloydStep to the engine interface of lloyd.
type accelEngine struct{ s LloydStep }

func (e accelEngine) step(C Matrix, labels, prev []int, update bool) ([]float64, []int, int, error) {
	return e.s.Step(C, labels, prev, update)
}
func (e accelEngine) name() string { return e.s.Name() }
func (e accelEngine) close()       { e.s.Close() }

type cpuEngine struct{ *cpuLloyd }

func (e cpuEngine) step(C Matrix, labels, prev []int, update bool) ([]float64, []int, int, error) {
	s, c, ch := e.cpuLloyd.step(C, labels, prev, update)
	return s, c, ch, nil
}
func (cpuEngine) name() string { return "cpu" }
func (cpuEngine) close()       {}

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
