package persona

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// maxNoImprovement is how many mini-batch steps without a lower smoothed
// batch inertia end the fit (scikit-learn uses the same default).
const maxNoImprovement = 10

// fitMiniBatch runs mini-batch k-means (Sculley 2010) on the CPU engine.
// Every step samples BatchSize rows with replacement, assigns them to the
// nearest centroid, and moves centroid j to (n_j·μ_j + Σ batch rows)/(n_j + b_j),
// where n_j counts all rows it has received so far (learning rate 1/n_j).
// Centroids that received nothing during a pass are moved to the batch row
// farthest from its centroid. Unless Tol < 0 the fit stops when the
// exponentially smoothed batch inertia has not improved for 10 steps.
func (km KMeans) fitMiniBatch(ctx context.Context, X Matrix) (*Model, error) {
	n, d, k := X.Rows, X.Cols, km.K
	b := min(km.BatchSize, n)
	if b < k {
		b = min(k, n)
	}
	stepsPerPass := (n + b - 1) / b
	steps := km.MaxIter * stepsPerPass
	B := NewMatrix(b, d)
	eng := newCPULloyd(B, k, km.Workers)
	lab := make([]int, b)
	var best *Model
	var inertias []float64
	for r := 0; r < km.NInit; r++ {
		rng := rand.New(rand.NewPCG(km.Seed, uint64(r)))
		var C Matrix
		switch km.Init {
		case InitFirstRows:
			C = Matrix{Rows: k, Cols: d, Data: append([]float64(nil), X.Data[:k*d]...)}
		case InitGiven:
			C = km.Centroids.Clone()
		default:
			size := min(n, max(3*b, 10*k))
			S := NewMatrix(size, d)
			for i, p := range rng.Perm(n)[:size] {
				copy(S.Row(i), X.Row(p))
			}
			if distinctRows(S, k) < k {
				S = X
			}
			C = kmeansPlusPlus(S, k, rng, km.Workers)
		}
		counts := make([]float64, k)
		hit := make([]bool, k)
		ewa, bestEwa := math.NaN(), math.Inf(1)
		alpha := math.Min(1, 2*float64(b)/float64(n+1))
		noImprove, step := 0, 0
		converged := false
		dist := make([]float64, b)
		for step < steps {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("persona: mini-batch k-means: %w", err)
			}
			for i := 0; i < b; i++ {
				copy(B.Row(i), X.Row(rng.IntN(n)))
			}
			sums, cnt, _ := eng.step(C, lab, nil, true)
			batchInertia := rowDist(B, C, lab, dist, 1) / float64(b)
			for j := 0; j < k; j++ {
				if cnt[j] == 0 {
					continue
				}
				hit[j] = true
				counts[j] += float64(cnt[j])
				c := C.Row(j)
				inv := 1 / counts[j]
				for t := range c {
					c[t] += (sums[j*d+t] - float64(cnt[j])*c[t]) * inv
				}
			}
			step++
			if step%stepsPerPass == 0 {
				for j := 0; j < k; j++ {
					if !hit[j] {
						far := 0
						for i, v := range dist {
							if v > dist[far] {
								far = i
							}
						}
						copy(C.Row(j), B.Row(far))
						dist[far] = -1
						counts[j] = 0
					}
					hit[j] = false
				}
			}
			if km.Tol < 0 {
				continue
			}
			if math.IsNaN(ewa) {
				ewa = batchInertia
			} else {
				ewa = ewa*(1-alpha) + batchInertia*alpha
			}
			if ewa < bestEwa {
				bestEwa, noImprove = ewa, 0
			} else if noImprove++; noImprove >= maxNoImprovement {
				converged = true
				break
			}
		}
		full := newCPULloyd(X, k, km.Workers)
		labels := make([]int, n)
		full.step(C, labels, nil, false)
		sizes := make([]int, k)
		for _, l := range labels {
			sizes[l]++
		}
		m := &Model{Centroids: C, Labels: labels, Sizes: sizes, Inertia: rowDist(X, C, labels, nil, km.Workers),
			Iter: step, Converged: converged, Restart: r}
		inertias = append(inertias, m.Inertia)
		if best == nil || m.Inertia < best.Inertia {
			best = m
		}
	}
	best.Inertias = inertias
	best.Engine = "cpu (mini-batch)"
	return best, nil
}
