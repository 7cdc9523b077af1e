package persona

import (
	"context"
	"fmt"
	"math"

	"github.com/founderlab/founderlab/lib/metrics"
)

// SweepPoint is the outcome of one K in a [Sweep].
type SweepPoint struct {
	K int
	// Inertia is the k-means objective J of the best restart.
	Inertia float64
	// Silhouette, CalinskiHarabasz and DaviesBouldin score the clustering;
	// they are NaN for K = 1, where they are undefined.
	Silhouette       float64
	CalinskiHarabasz float64
	DaviesBouldin    float64
	// Model is the fitted clustering.
	Model *Model
}

// Selection summarises a sweep over K.
type Selection struct {
	Points []SweepPoint
	// Knee is the K at the elbow of the inertia curve: [Knee] of log J over
	// K. The logarithm matters: J falls by factors, and on a linear scale
	// the first big drop hides a later, sharper elbow.
	Knee int
	// BestSilhouette, BestCalinskiHarabasz and BestDaviesBouldin are the K
	// each criterion prefers (highest, highest, lowest); 0 when no K ≥ 2 ran.
	BestSilhouette, BestCalinskiHarabasz, BestDaviesBouldin int
	// SilhouetteSampled reports whether the silhouette was estimated on a
	// sample of SilhouetteSample rows.
	SilhouetteSampled bool
	SilhouetteSample  int
}

// Point returns the sweep point for k, or nil.
func (s *Selection) Point(k int) *SweepPoint {
	for i := range s.Points {
		if s.Points[i].K == k {
			return &s.Points[i]
		}
	}
	return nil
}

// Ks returns the integers from..to inclusive.
func Ks(from, to int) []int {
	var out []int
	for k := from; k <= to; k++ {
		out = append(out, k)
	}
	return out
}

// DefaultSilhouetteSample is the sample size [Sweep] uses for the
// silhouette when X has more rows.
const DefaultSilhouetteSample = 4000

// Sweep fits base (with K replaced) for every k in ks, in increasing
// order, and scores each clustering with [metrics.SilhouetteSample],
// [metrics.CalinskiHarabasz] and [metrics.DaviesBouldin]. The silhouette is exact when X has at
// most sample rows and estimated on a seeded sample of that size otherwise
// (sample ≤ 0 means [DefaultSilhouetteSample]).
func Sweep(ctx context.Context, X Matrix, ks []int, base KMeans, sample int) (*Selection, error) {
	if len(ks) == 0 {
		return nil, fmt.Errorf("persona: sweep: no K values")
	}
	for i, k := range ks {
		if i > 0 && k <= ks[i-1] {
			return nil, fmt.Errorf("persona: sweep: K values must increase, got %v", ks)
		}
	}
	if sample <= 0 {
		sample = DefaultSilhouetteSample
	}
	sel := &Selection{SilhouetteSampled: X.Rows > sample, SilhouetteSample: min(sample, X.Rows)}
	rows := X.RowSlices()
	for _, k := range ks {
		km := base
		km.K = k
		m, err := km.Fit(ctx, X)
		if err != nil {
			return nil, fmt.Errorf("persona: sweep K=%d: %w", k, err)
		}
		p := SweepPoint{K: k, Inertia: m.Inertia, Model: m, Silhouette: math.NaN(), CalinskiHarabasz: math.NaN(), DaviesBouldin: math.NaN()}
		if nonEmptyClusters(m.Sizes) >= 2 {
			if p.Silhouette, err = metrics.SilhouetteSample(rows, m.Labels, sample, base.Seed); err != nil {
				return nil, fmt.Errorf("persona: sweep K=%d: %w", k, err)
			}
			if p.CalinskiHarabasz, err = metrics.CalinskiHarabasz(rows, m.Labels); err != nil {
				return nil, fmt.Errorf("persona: sweep K=%d: %w", k, err)
			}
			if p.DaviesBouldin, err = metrics.DaviesBouldin(rows, m.Labels); err != nil {
				return nil, fmt.Errorf("persona: sweep K=%d: %w", k, err)
			}
		}
		sel.Points = append(sel.Points, p)
	}
	xs := make([]float64, len(sel.Points))
	ys := make([]float64, len(sel.Points))
	for i, p := range sel.Points {
		xs[i], ys[i] = float64(p.K), math.Log(math.Max(p.Inertia, 1e-300))
	}
	sel.Knee = sel.Points[Knee(xs, ys)].K
	bs, bc, bd := math.Inf(-1), math.Inf(-1), math.Inf(1)
	for _, p := range sel.Points {
		if math.IsNaN(p.Silhouette) {
			continue
		}
		if p.Silhouette > bs {
			bs, sel.BestSilhouette = p.Silhouette, p.K
		}
		if p.CalinskiHarabasz > bc {
			bc, sel.BestCalinskiHarabasz = p.CalinskiHarabasz, p.K
		}
		if p.DaviesBouldin < bd {
			bd, sel.BestDaviesBouldin = p.DaviesBouldin, p.K
		}
	}
	return sel, nil
}

func nonEmptyClusters(sizes []int) int {
	n := 0
	for _, s := range sizes {
		if s > 0 {
			n++
		}
	}
	return n
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
