package persona

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/lib/metrics"
)

func randMatrix(rng *rand.Rand, n, d int) Matrix {
	X := NewMatrix(n, d)
	for i := range X.Data {
		X.Data[i] = rng.NormFloat64() * 3
	}
	return X
}

// blobs returns n points around k well separated centres and the true labels.
func blobs(rng *rand.Rand, n, d, k int, spread float64) (Matrix, []int) {
	centres := randMatrix(rng, k, d)
	for i := range centres.Data {
		centres.Data[i] *= 5
	}
	X := NewMatrix(n, d)
	truth := make([]int, n)
	for i := 0; i < n; i++ {
		c := i % k
		truth[i] = c
		for t := 0; t < d; t++ {
			X.Data[i*d+t] = centres.At(c, t) + rng.NormFloat64()*spread
		}
	}
	return X, truth
}

// TestAssignMatchesNaive checks the blocked kernels (assembly where
// available) against exact nearest-centroid search, for shapes that
// exercise row tails, padded centroid blocks and the portable argmin.
func TestAssignMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ n, d, k int }{
		{1, 1, 1}, {7, 3, 2}, {33, 5, 8}, {130, 16, 9}, {257, 32, 16}, {100, 7, 70}, {5000, 13, 5},
	} {
		X := randMatrix(rng, tc.n, tc.d)
		C := randMatrix(rng, tc.k, tc.d)
		want := nearest(X, C)
		eng := newCPULloyd(X, tc.k, 3)
		labels := make([]int, tc.n)
		sums, counts, _ := eng.step(C, labels, nil, true)
		portable := newCPULloyd(X, tc.k, 2)
		portable.portable = true
		plabels := make([]int, tc.n)
		psums, pcounts, _ := portable.step(C, plabels, nil, true)
		for i := range labels {
			if labels[i] != plabels[i] {
				t.Fatalf("n=%d d=%d k=%d: row %d label %d, portable kernels %d", tc.n, tc.d, tc.k, i, labels[i], plabels[i])
			}
		}
		for j := range counts {
			if counts[j] != pcounts[j] {
				t.Fatalf("count[%d] = %d, portable %d", j, counts[j], pcounts[j])
			}
		}
		for i := range sums {
			if math.Abs(sums[i]-psums[i]) > 1e-9*(1+math.Abs(sums[i])) {
				t.Fatalf("sum[%d] = %v, portable %v", i, sums[i], psums[i])
			}
		}
		wantSums := make([]float64, tc.k*tc.d)
		wantCounts := make([]int, tc.k)
		for i, l := range labels {
			if l != want[i] {
				t.Errorf("n=%d d=%d k=%d: row %d label %d, nearest %d", tc.n, tc.d, tc.k, i, l, want[i])
				break
			}
			wantCounts[l]++
			for c, v := range X.Row(i) {
				wantSums[l*tc.d+c] += v
			}
		}
		for j := range wantCounts {
			if counts[j] != wantCounts[j] {
				t.Errorf("n=%d k=%d: count[%d] = %d, want %d", tc.n, tc.k, j, counts[j], wantCounts[j])
			}
		}
		for i := range wantSums {
			if math.Abs(sums[i]-wantSums[i]) > 1e-9*(1+math.Abs(wantSums[i])) {
				t.Errorf("n=%d k=%d: sum[%d] = %v, want %v", tc.n, tc.k, i, sums[i], wantSums[i])
				break
			}
		}
	}
}

func TestKernelsPortableAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, d := range []int{1, 4, 17, 32} {
		kp := 16
		x := randMatrix(rng, 4, d)
		ct := randMatrix(rng, d, kp).Data
		cn := randMatrix(rng, 1, kp).Data
		a, b := make([]float64, 4*kp), make([]float64, 4*kp)
		distBlock4(x.Row(0), x.Row(1), x.Row(2), x.Row(3), ct, cn, d, kp, a)
		distBlock4Go(x.Row(0), x.Row(1), x.Row(2), x.Row(3), ct, cn, d, kp, b)
		for i := range a {
			if math.Abs(a[i]-b[i]) > 1e-12*(1+math.Abs(b[i])) {
				t.Fatalf("d=%d: out[%d] = %v, portable %v", d, i, a[i], b[i])
			}
		}
		var i1, i2 [4]int
		argmin4(a, kp, &i1)
		argmin4Go(a, kp, &i2)
		if i1 != i2 {
			t.Fatalf("d=%d: argmin %v, portable %v", d, i1, i2)
		}
		src := randMatrix(rng, 1, 2*d+3).Data
		dst1 := randMatrix(rng, 1, 2*d+3).Data
		dst2 := append([]float64(nil), dst1...)
		addTo(dst1, src)
		addToGo(dst2, src)
		for i := range dst1 {
			if dst1[i] != dst2[i] {
				t.Fatalf("addTo[%d] = %v, portable %v", i, dst1[i], dst2[i])
			}
		}
	}
}

func TestArgminTies(t *testing.T) {
	out := make([]float64, 4*16)
	for i := range out {
		out[i] = 5
	}
	for j := 16; j < 32; j++ {
		out[j] = 1 // row 1: all equal → first
	}
	out[2*16+9], out[2*16+12] = 0, 0 // row 2: tie at 9 and 12
	var idx [4]int
	argmin4(out, 16, &idx)
	if idx != [4]int{0, 0, 9, 0} {
		t.Fatalf("argmin = %v, want first minimum of each row [0 0 9 0]", idx)
	}
}

func TestKMeansRecoversBlobs(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	X, truth := blobs(rng, 600, 4, 5, 0.5)
	for _, km := range []KMeans{
		{K: 5, Seed: 1, Engine: EngineCPU},
		{K: 5, Seed: 2, Engine: EngineCPU, NInit: 1},
		{K: 5, Seed: 1, BatchSize: 64},
	} {
		m, err := km.Fit(context.Background(), X)
		if err != nil {
			t.Fatal(err)
		}
		ari, err := metrics.AdjustedRand(truth, m.Labels)
		if err != nil {
			t.Fatal(err)
		}
		if ari < 0.99 {
			t.Errorf("%+v: ARI %v, want ≥ 0.99 on well separated blobs", km, ari)
		}
		if j, _ := Objective(X, m.Centroids, m.Labels); math.Abs(j-m.Inertia) > 1e-9*j {
			t.Errorf("inertia %v, objective %v", m.Inertia, j)
		}
		total := 0
		for _, s := range m.Sizes {
			total += s
		}
		if total != X.Rows || len(m.Inertias) != max(1, km.settings().NInit) {
			t.Errorf("sizes sum %d, %d restarts recorded", total, len(m.Inertias))
		}
	}
}

func TestKMeansDeterministicAndBestOfRestarts(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	X := randMatrix(rng, 400, 3)
	km := KMeans{K: 6, Seed: 42, NInit: 5, Engine: EngineCPU}
	a, err := km.Fit(context.Background(), X)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := km.Fit(context.Background(), X)
	if a.Inertia != b.Inertia || a.Restart != b.Restart {
		t.Fatalf("same seed gave inertia %v and %v", a.Inertia, b.Inertia)
	}
	for _, v := range a.Inertias {
		if v < a.Inertia {
			t.Fatalf("kept inertia %v but a restart reached %v", a.Inertia, v)
		}
	}
	c, _ := KMeans{K: 6, Seed: 43, NInit: 5, Engine: EngineCPU}.Fit(context.Background(), X)
	if c.Inertias[0] == a.Inertias[0] && c.Inertias[1] == a.Inertias[1] {
		t.Fatalf("different seeds gave identical restarts")
	}
}

func TestKMeansPlusPlusSpreadsSeeds(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	X, truth := blobs(rng, 500, 2, 4, 0.1)
	C := kmeansPlusPlus(X, 4, rand.New(rand.NewPCG(1, 0)), 2)
	seen := map[int]bool{}
	for _, l := range nearest(C, X) {
		seen[truth[l]] = true
	}
	if len(seen) != 4 {
		t.Fatalf("k-means++ seeds fell in %d of 4 tight blobs", len(seen))
	}
}

func TestKMeansExactIterations(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	X := randMatrix(rng, 200, 3)
	m, err := KMeans{K: 3, Init: InitFirstRows, MaxIter: 7, Tol: -1}.Fit(context.Background(), X)
	if err != nil {
		t.Fatal(err)
	}
	if m.Iter != 7 || m.Converged {
		t.Fatalf("Tol<0: %d iterations (converged %v), want exactly 7", m.Iter, m.Converged)
	}
	// Running 3 then 4 more iterations from where it stopped gives the same.
	a, _ := KMeans{K: 3, Init: InitFirstRows, MaxIter: 3, Tol: -1}.Fit(context.Background(), X)
	b, _ := KMeans{K: 3, Init: InitGiven, Centroids: a.Centroids, MaxIter: 4, Tol: -1}.Fit(context.Background(), X)
	if math.Abs(b.Inertia-m.Inertia) > 1e-12*m.Inertia {
		t.Fatalf("3+4 iterations: inertia %v, 7 iterations %v", b.Inertia, m.Inertia)
	}
}

func TestKMeansBadInput(t *testing.T) {
	ctx := context.Background()
	X := Matrix{Rows: 3, Cols: 2, Data: []float64{1, 2, 3, 4, 5, 6}}
	nan := X.Clone()
	nan.Data[3] = math.NaN()
	inf := X.Clone()
	inf.Data[4] = math.Inf(-1)
	dup := Matrix{Rows: 3, Cols: 1, Data: []float64{1, 1, 2}}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	for _, tc := range []struct {
		name string
		km   KMeans
		X    Matrix
		ctx  context.Context
		want string
	}{
		{"k zero", KMeans{K: 0}, X, ctx, "K = 0"},
		{"k negative", KMeans{K: -2}, X, ctx, "K = -2"},
		{"k above rows", KMeans{K: 4}, X, ctx, "more than the 3 rows"},
		{"empty", KMeans{K: 1}, Matrix{}, ctx, "empty"},
		{"nan", KMeans{K: 2}, nan, ctx, "row 2, column 2: NaN"},
		{"inf", KMeans{K: 2}, inf, ctx, "row 3, column 1: -Inf"},
		{"distinct", KMeans{K: 3}, dup, ctx, "only 2 distinct rows"},
		{"given shape", KMeans{K: 2, Init: InitGiven, Centroids: NewMatrix(3, 2)}, X, ctx, "given centroids are 3×2"},
		{"canceled", KMeans{K: 2}, X, canceled, "canceled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.km.Fit(tc.ctx, tc.X)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestPredict(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	X, _ := blobs(rng, 200, 3, 3, 0.3)
	m, err := KMeans{K: 3, Seed: 1}.Fit(context.Background(), X)
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.Predict(X)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if got[i] != m.Labels[i] {
			t.Fatalf("row %d: predict %d, fit label %d", i, got[i], m.Labels[i])
		}
	}
	if _, err := m.Predict(NewMatrix(2, 5)); err == nil {
		t.Fatal("predict with wrong width: no error")
	}
}
