package persona

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/lib/metrics"
)

// huge returns a 6×2 matrix of two blobs whose rows have norms around
// scale, and the same with a scale of 1.
func huge(scale float64) (X, unit Matrix) {
	unit = Matrix{Rows: 6, Cols: 2, Data: []float64{1, 0, 1.1, 0.1, 0.9, -0.1, -1, 0, -1.1, 0.1, -0.9, -0.1}}
	X = unit.Clone()
	for i := range X.Data {
		X.Data[i] *= scale
	}
	return X, unit
}

// TestFitOverflowIsAnError is the regression test for k-means on large
// finite values (≥ 1e154 panicked with "index out of range [-1]" in the
// k-means++ seeding and the CPU kernel; mini-batch and GoMLX returned +Inf
// inertia): every engine and init returns an error wrapping ErrOverflow
// that names the matrix and row.
func TestFitOverflowIsAnError(t *testing.T) {
	ctx := context.Background()
	X, _ := huge(1e200)
	edge, _ := huge(1e154)
	oneRow, _ := huge(1)
	oneRow.Data[7] = 3e160
	given := NewMatrix(2, 2)
	given.Data[0] = 1e300
	small, _ := huge(1)
	for _, tc := range []struct {
		name string
		km   KMeans
		X    Matrix
		want string
	}{
		{"cpu", KMeans{K: 2, Engine: EngineCPU}, X, "k-means: X row 2: Euclidean norm 1.1e+200 exceeds"},
		{"cpu 1e154", KMeans{K: 2, Engine: EngineCPU}, edge, "X row 2"},
		{"one row", KMeans{K: 2, Engine: EngineCPU}, oneRow, "X row 4"},
		{"first rows", KMeans{K: 2, Init: InitFirstRows}, X, "X row 2"},
		{"mini-batch", KMeans{K: 2, BatchSize: 2}, X, "X row 2"},
		{"given centroids", KMeans{K: 2, Init: InitGiven, Centroids: given}, small, "given centroids row 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := tc.km.Fit(ctx, tc.X)
			if !errors.Is(err, ErrOverflow) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "scale the columns") {
				t.Fatalf("Fit = %v, %v; want an ErrOverflow naming %q", m, err, tc.want)
			}
		})
	}
	if _, err := Sweep(ctx, X, Ks(1, 3), KMeans{}, 0); !errors.Is(err, ErrOverflow) || !strings.Contains(err.Error(), "sweep K=1") {
		t.Fatalf("Sweep: %v", err)
	}
}

// TestFitLargeValuesExact checks that values far from the overflow limit
// but far from 1 are clustered exactly as their scaled-down copy: scaling
// by a power of two is exact, so labels match and the inertia scales by
// its square.
func TestFitLargeValuesExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	X, _ := blobs(rng, 300, 3, 3, 0.5)
	scale := math.Ldexp(1, 400) // about 2.6e120
	big := X.Clone()
	for i := range big.Data {
		big.Data[i] *= scale
	}
	for _, km := range []KMeans{{K: 3, Seed: 2}, {K: 3, Seed: 2, BatchSize: 64}} {
		a, err := km.Fit(context.Background(), X)
		if err != nil {
			t.Fatal(err)
		}
		b, err := km.Fit(context.Background(), big)
		if err != nil {
			t.Fatal(err)
		}
		if b.Inertia != a.Inertia*scale*scale || !finite(b.Inertia) {
			t.Fatalf("batch %d: inertia %v at scale 2^400, %v at scale 1", km.BatchSize, b.Inertia, a.Inertia)
		}
		for i := range a.Labels {
			if a.Labels[i] != b.Labels[i] {
				t.Fatalf("batch %d: row %d: label %d at scale 1, %d at scale 2^400", km.BatchSize, i, a.Labels[i], b.Labels[i])
			}
		}
		if s, err := metrics.Silhouette(big.RowSlices(), b.Labels); err != nil || !finite(s) {
			t.Fatalf("silhouette %v, %v", s, err)
		}
	}
}

// TestOverflowOutsideFit covers the other functions that sum squared
// distances: each returns an error wrapping ErrOverflow, never NaN or Inf
// (the cluster metrics: TestClusterMetricsOverflow in lib/metrics). A
// sweep's metrics wrap metrics.ErrOverflow, which is ErrOverflow.
func TestOverflowOutsideFit(t *testing.T) {
	X, _ := huge(1e200)
	labels := []int{0, 0, 0, 1, 1, 1}
	m := &Model{Centroids: Matrix{Rows: 2, Cols: 2, Data: []float64{1e200, 0, -1e200, 0}}}
	for _, tc := range []struct {
		name string
		f    func() error
	}{
		{"pca", func() error { _, err := PCA(X, 1); return err }},
		{"predict", func() error { _, err := m.Predict(X); return err }},
		{"objective", func() error { _, err := Objective(X, m.Centroids, labels); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.f(); !errors.Is(err, ErrOverflow) || !strings.Contains(err.Error(), tc.name) {
				t.Fatalf("%v; want an ErrOverflow naming %s", err, tc.name)
			}
		})
	}
}

// TestFitEncoderOverflow is the regression test for FitEncoder on a
// column whose spread overflows float64, which scaled every value to 0.
func TestFitEncoderOverflow(t *testing.T) {
	tab, err := Read(strings.NewReader("age,plan,spend\n1e308,a,1\n-1e308,b,2\n1e308,a,3\n"), "wide.csv", testSchema)
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range []Scaling{Standardize, MinMax} {
		_, err := FitEncoder(tab, Prep{Columns: []string{"age", "spend"}, Scaling: sc})
		if !errors.Is(err, ErrOverflow) || !strings.Contains(err.Error(), `column "age" of wide.csv`) {
			t.Fatalf("%v: %v; want an ErrOverflow naming the column", sc, err)
		}
	}
	// A column fitted on small values overflows when a new table holds huge ones.
	fit, _ := Read(strings.NewReader("age,plan,spend\n1,a,1\n2,b,2\n"), "fit.csv", testSchema)
	enc, err := FitEncoder(fit, Prep{Columns: []string{"age", "spend"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := enc.Transform(tab); !errors.Is(err, ErrOverflow) || !strings.Contains(err.Error(), `transform wide.csv: row 1, column "age"`) {
		t.Fatalf("transform: %v", err)
	}
}

// TestLongOperationsHonourContext: every fit path and Sweep stop with an
// error wrapping the context's error once it is cancelled.
func TestLongOperationsHonourContext(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 44))
	X, _ := blobs(rng, 500, 3, 3, 0.5)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		run  func() error
	}{
		{"cpu", func() error { _, err := KMeans{K: 3, Engine: EngineCPU}.Fit(ctx, X); return err }},
		{"mini-batch", func() error { _, err := KMeans{K: 3, BatchSize: 50}.Fit(ctx, X); return err }},
		{"first rows", func() error { _, err := KMeans{K: 3, Init: InitFirstRows}.Fit(ctx, X); return err }},
		{"sweep", func() error { _, err := Sweep(ctx, X, Ks(2, 4), KMeans{}, 0); return err }},
	} {
		if err := tc.run(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: %v, want context.Canceled", tc.name, err)
		}
	}
}
