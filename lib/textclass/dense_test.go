package textclass

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
)

type denseCase struct {
	Labels    []int       `json:"labels"`
	C         float64     `json:"C"`
	Weight    *string     `json:"class_weight"`
	Coef      [][]float64 `json:"coef"`
	Intercept []float64   `json:"intercept"`
	Proba     [][]float64 `json:"proba"`
	NIter     int         `json:"n_iter"`
}

type denseGolden struct {
	X      [][]float64 `json:"x"`
	Scaler struct {
		Mean  []float64 `json:"mean"`
		Scale []float64 `json:"scale"`
	} `json:"scaler"`
	Multinomial denseCase `json:"multinomial"`
	Binary      denseCase `json:"binary"`
	Balanced    denseCase `json:"balanced"`
	Scaled      denseCase `json:"scaled"`
}

// loadDenseGolden reads the fixture made by scripts/golden-logreg-dense.py.
func loadDenseGolden(t *testing.T) (denseGolden, Matrix) {
	t.Helper()
	data, err := os.ReadFile("testdata/logreg_dense.json")
	if err != nil {
		t.Fatal(err)
	}
	var g denseGolden
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	x, err := NewMatrix(g.X)
	if err != nil {
		t.Fatal(err)
	}
	return g, x
}

// TestFitDenseAgainstScikitLearn compares coefficients, intercepts and
// probabilities with scikit-learn's LogisticRegression (lbfgs, run to its
// tightest stopping rule) on a seeded 300 × 20 fixture
// (scripts/golden-logreg-dense.py), and checks that scikit-learn's solution
// is an optimum of the objective we minimise.
func TestFitDenseAgainstScikitLearn(t *testing.T) {
	g, x := loadDenseGolden(t)
	scaler, err := FitScaler(x)
	if err != nil {
		t.Fatal(err)
	}
	xs, err := scaler.Transform(x)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		x       Matrix
		golden  denseCase
		classes int
	}{
		{"multinomial", x, g.Multinomial, 5},
		{"binary", x, g.Binary, 2},
		{"balanced", x, g.Balanced, 5},
		{"scaled", xs, g.Scaled, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := LogRegOptions{C: tc.golden.C, Tol: 1e-10, MaxIter: 100000}
			if tc.golden.Weight != nil {
				if *tc.golden.Weight != "balanced" {
					t.Fatalf("class_weight %q", *tc.golden.Weight)
				}
				if opt.ClassWeight, err = BalancedClassWeight(tc.golden.Labels, tc.classes); err != nil {
					t.Fatal(err)
				}
			}
			m, err := FitDense(context.Background(), tc.x, tc.golden.Labels, tc.classes, opt)
			if err != nil {
				t.Fatal(err)
			}
			if !m.Converged {
				t.Errorf("not converged after %d iterations", m.Iterations)
			}
			t.Logf("%d iterations (scikit-learn %d)", m.Iterations, tc.golden.NIter)
			if len(m.W) != len(tc.golden.Coef) || len(m.B) != len(tc.golden.Intercept) {
				t.Fatalf("%d weight rows and %d intercepts, want %d and %d", len(m.W), len(m.B), len(tc.golden.Coef), len(tc.golden.Intercept))
			}
			// scikit-learn's coefficients must be an optimum of our
			// objective too (a different penalty scaling or loss would give
			// a gradient of order 1e-2 there) with the same value.
			rows := len(m.W)
			stride := tc.x.Cols + 1
			obj := newObjective(newDenseDesign(tc.x, rows), rows, tc.x.Cols, tc.golden.Labels, opt.ClassWeight, opt.C)
			ours, theirs := make([]float64, rows*stride), make([]float64, rows*stride)
			for r := range rows {
				copy(ours[r*stride:], m.W[r])
				ours[r*stride+tc.x.Cols] = m.B[r]
				copy(theirs[r*stride:], tc.golden.Coef[r])
				theirs[r*stride+tc.x.Cols] = tc.golden.Intercept[r]
			}
			grad := make([]float64, len(ours))
			fOurs := obj.eval(ours, grad)
			fTheirs := obj.eval(theirs, grad)
			if g := maxAbs(grad); g > 2e-6 {
				t.Errorf("gradient of our objective at scikit-learn's optimum: max %g, want ≤ 2e-6", g)
			}
			if math.Abs(fOurs-fTheirs) > 1e-10 {
				t.Errorf("objective %.15g at our optimum, %.15g at scikit-learn's", fOurs, fTheirs)
			}
			// Both stop by the relative-reduction rule before the exact
			// optimum: on this fixture scikit-learn's coefficients are up
			// to 7e-5 from it, ours up to 2e-5.
			for r := range m.W {
				closeAll(t, fmt.Sprintf("coef[%d]", r), m.W[r], tc.golden.Coef[r], 3e-4)
			}
			closeAll(t, "intercept", m.B, tc.golden.Intercept, 3e-4)
			first := Matrix{Rows: 10, Cols: tc.x.Cols, Data: tc.x.Data[:10*tc.x.Cols]}
			p, err := m.ProbaDense(first)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 10 {
				closeAll(t, fmt.Sprintf("proba[%d]", i), p.Row(i), tc.golden.Proba[i], 1e-5)
			}
		})
	}
}

// TestScalerAgainstScikitLearn compares with StandardScaler on the fixture
// with column 7 made constant.
func TestScalerAgainstScikitLearn(t *testing.T) {
	g, x := loadDenseGolden(t)
	x.Data = slices.Clone(x.Data)
	for i := range x.Rows {
		x.Row(i)[7] = 3.25
	}
	s, err := FitScaler(x)
	if err != nil {
		t.Fatal(err)
	}
	closeAll(t, "mean", s.Mean, g.Scaler.Mean, 1e-12)
	closeAll(t, "scale", s.Scale, g.Scaler.Scale, 1e-12)
	if s.Scale[7] != 1 {
		t.Errorf("constant column: scale %v, want 1", s.Scale[7])
	}
	xs, err := s.Transform(x)
	if err != nil {
		t.Fatal(err)
	}
	for j := range xs.Cols {
		sum, sq := 0.0, 0.0
		for i := range xs.Rows {
			v := xs.Data[i*xs.Cols+j]
			sum += v
			sq += v * v
		}
		mean, variance := sum/float64(xs.Rows), sq/float64(xs.Rows)
		want := 1.0
		if j == 7 {
			want = 0
		}
		if math.Abs(mean) > 1e-12 || math.Abs(variance-want) > 1e-12 {
			t.Errorf("column %d after Transform: mean %g, variance %g, want 0 and %g", j, mean, variance, want)
		}
	}
}

// randomProblem makes n seeded examples of d features with labels in
// 0..classes-1: Gaussian clouds of unit variance around random class centres.
func randomProblem(seed uint64, n, d, classes int) (Matrix, []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	centre := make([]float64, classes*d)
	for i := range centre {
		centre[i] = rng.NormFloat64()
	}
	x := Matrix{Rows: n, Cols: d, Data: make([]float64, n*d)}
	y := make([]int, n)
	for i := range n {
		y[i] = rng.IntN(classes)
		for j := range d {
			x.Data[i*d+j] = rng.NormFloat64() + centre[y[i]*d+j]
		}
	}
	return x, y
}

// TestDenseMatchesSparse checks that the dense and sparse code paths
// compute the same objective and gradient (to rounding) at random
// parameters, and fit the same model, for shapes that exercise every
// padding case of the dense layout (rows and columns not multiples of the
// 4 × 12 tile, more classes than one tile, the binary path), with and
// without class weights, and that ProbaDense and PredictDense agree with
// Proba and Predict.
func TestDenseMatchesSparse(t *testing.T) {
	for _, tc := range []struct {
		n, d, classes int
		weights       bool
	}{
		{n: 50, d: 3, classes: 2},
		{n: 257, d: 13, classes: 3},
		{n: 700, d: 24, classes: 14},
		{n: 301, d: 37, classes: 5, weights: true},
		{n: 61, d: 7, classes: 2, weights: true},
	} {
		t.Run(fmt.Sprintf("n%d_d%d_k%d_w%v", tc.n, tc.d, tc.classes, tc.weights), func(t *testing.T) {
			x, y := randomProblem(uint64(tc.n*1000+tc.d), tc.n, tc.d, tc.classes)
			sparse := make([]Sparse, x.Rows)
			for i := range x.Rows {
				for j, v := range x.Row(i) {
					if j%3 != 1 { // leave some features out: zeros in both
						sparse[i].Index = append(sparse[i].Index, j)
						sparse[i].Value = append(sparse[i].Value, v)
					} else {
						x.Data[i*x.Cols+j] = 0
					}
				}
			}
			opt := LogRegOptions{C: 0.5, Tol: 1e-9}
			if tc.weights {
				opt.ClassWeight = make([]float64, tc.classes)
				for k := range opt.ClassWeight {
					opt.ClassWeight[k] = 0.5 + float64(k)
				}
			}
			rows := scoreRows(tc.classes)
			dense := newObjective(newDenseDesign(x, rows), rows, x.Cols, y, opt.ClassWeight, opt.C)
			sp := newObjective(newSparseDesign(sparse, x.Cols, rows), rows, x.Cols, y, opt.ClassWeight, opt.C)
			rng := rand.New(rand.NewPCG(uint64(tc.n), 9))
			theta := make([]float64, rows*(x.Cols+1))
			for i := range theta {
				theta[i] = rng.NormFloat64()
			}
			gd, gs := make([]float64, len(theta)), make([]float64, len(theta))
			fd, fs := dense.eval(theta, gd), sp.eval(theta, gs)
			if math.Abs(fd-fs) > 1e-12*math.Abs(fs) {
				t.Errorf("objective: dense %.17g, sparse %.17g", fd, fs)
			}
			closeAll(t, "gradient", gd, gs, 1e-12)

			// The fits round differently and stop by the relative-reduction
			// rule, so they agree to the solver's accuracy, not to rounding.
			md, err := FitDense(context.Background(), x, y, tc.classes, opt)
			if err != nil {
				t.Fatal(err)
			}
			ms, err := FitLogReg(context.Background(), sparse, y, tc.d, tc.classes, opt)
			if err != nil {
				t.Fatal(err)
			}
			if !md.Converged || !ms.Converged {
				t.Fatalf("converged: dense %v, sparse %v", md.Converged, ms.Converged)
			}
			for r := range md.W {
				closeAll(t, fmt.Sprintf("W[%d]", r), md.W[r], ms.W[r], 1e-5)
			}
			closeAll(t, "B", md.B, ms.B, 1e-5)
			p, err := md.ProbaDense(x)
			if err != nil {
				t.Fatal(err)
			}
			pred, err := md.PredictDense(x)
			if err != nil {
				t.Fatal(err)
			}
			for i := range x.Rows {
				closeAll(t, fmt.Sprintf("proba row %d", i), p.Row(i), md.Proba(sparse[i]), 1e-12)
				if pred[i] != md.Predict(sparse[i]) {
					t.Fatalf("row %d: PredictDense %d, Predict %d", i, pred[i], md.Predict(sparse[i]))
				}
			}
		})
	}
}

// TestObjectiveGradient checks the analytic gradient of the shared
// objective against central differences, dense and sparse, binary and
// multinomial, with class weights.
func TestObjectiveGradient(t *testing.T) {
	for _, classes := range []int{2, 4} {
		x, y := randomProblem(7, 23, 5, classes)
		rows := scoreRows(classes)
		sparse := make([]Sparse, x.Rows)
		for i := range x.Rows {
			for j, v := range x.Row(i) {
				sparse[i].Index = append(sparse[i].Index, j)
				sparse[i].Value = append(sparse[i].Value, v)
			}
		}
		weights := []float64{0.5, 2, 1, 3}[:classes]
		for name, data := range map[string]design{
			"dense":  newDenseDesign(x, rows),
			"sparse": newSparseDesign(sparse, x.Cols, rows),
		} {
			obj := newObjective(data, rows, x.Cols, y, weights, 0.7)
			rng := rand.New(rand.NewPCG(3, 4))
			theta := make([]float64, rows*(x.Cols+1))
			for i := range theta {
				theta[i] = rng.NormFloat64() * 0.3
			}
			grad := make([]float64, len(theta))
			obj.eval(theta, grad)
			scratch := make([]float64, len(theta))
			for i := range theta {
				const h = 1e-6
				saved := theta[i]
				theta[i] = saved + h
				fp := obj.eval(theta, scratch)
				theta[i] = saved - h
				fm := obj.eval(theta, scratch)
				theta[i] = saved
				if num := (fp - fm) / (2 * h); math.Abs(num-grad[i]) > 1e-7 {
					t.Errorf("%s, %d classes: ∂f/∂θ[%d] = %.10f, central difference %.10f", name, classes, i, grad[i], num)
				}
			}
		}
	}
}

// TestGemmTile compares the micro-kernel in use (assembly on amd64 with
// AVX2) with the portable loop and with a direct sum, for both stride
// patterns the objective uses.
func TestGemmTile(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ k, ars, aps, ldb, ldc int }{
		{k: 1, ars: 1, aps: 4, ldb: 12, ldc: 12},
		{k: 7, ars: 7, aps: 1, ldb: 12, ldc: 24},
		{k: 33, ars: 1, aps: 16, ldb: 36, ldc: 13},
		{k: 128, ars: 130, aps: 1, ldb: 12, ldc: 84},
	} {
		a := make([]float64, 3*tc.ars+(tc.k-1)*tc.aps+1)
		b := make([]float64, (tc.k-1)*tc.ldb+tileCols)
		c := make([]float64, 3*tc.ldc+tileCols)
		for _, s := range [][]float64{a, b, c} {
			for i := range s {
				s[i] = rng.NormFloat64()
			}
		}
		want := slices.Clone(c)
		for r := range tileRows {
			for j := range tileCols {
				for p := range tc.k {
					want[r*tc.ldc+j] += a[r*tc.ars+p*tc.aps] * b[p*tc.ldb+j]
				}
			}
		}
		got, gotGo := slices.Clone(c), slices.Clone(c)
		gemmTile(tc.k, a, tc.ars, tc.aps, b, tc.ldb, got, tc.ldc)
		gemmTileGo(tc.k, a, tc.ars, tc.aps, b, tc.ldb, gotGo, tc.ldc)
		closeAll(t, fmt.Sprintf("gemmTile%+v", tc), got, want, 1e-12)
		closeAll(t, fmt.Sprintf("gemmTileGo%+v", tc), gotGo, want, 1e-12)
	}
}

func TestDenseErrors(t *testing.T) {
	ctx := context.Background()
	x := Matrix{Rows: 2, Cols: 2, Data: []float64{1, 2, 3, 4}}
	nan := Matrix{Rows: 2, Cols: 2, Data: []float64{1, 2, math.NaN(), 4}}
	inf := Matrix{Rows: 2, Cols: 2, Data: []float64{1, math.Inf(-1), 3, 4}}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, tc := range []struct {
		name    string
		ctx     context.Context
		x       Matrix
		y       []int
		classes int
		opt     LogRegOptions
		want    string
	}{
		{"NaN feature", ctx, nan, []int{0, 1}, 2, LogRegOptions{}, "row 1, column 0 holds the non-finite value NaN"},
		{"Inf feature", ctx, inf, []int{0, 1}, 2, LogRegOptions{}, "row 0, column 1 holds the non-finite value -Inf"},
		{"short data", ctx, Matrix{Rows: 2, Cols: 2, Data: []float64{1}}, []int{0, 1}, 2, LogRegOptions{}, "2 × 2 matrix has 1 values"},
		{"empty", ctx, Matrix{}, nil, 2, LogRegOptions{}, "matrix is 0 × 0"},
		{"label count", ctx, x, []int{0}, 2, LogRegOptions{}, "2 examples and 1 labels"},
		{"label range", ctx, x, []int{0, 3}, 3, LogRegOptions{}, "example 1 has label 3, outside 0..2"},
		{"one class", ctx, x, []int{0, 0}, 1, LogRegOptions{}, "1 classes, need at least 2"},
		{"negative C", ctx, x, []int{0, 1}, 2, LogRegOptions{C: -1}, "C = -1"},
		{"NaN tol", ctx, x, []int{0, 1}, 2, LogRegOptions{Tol: math.NaN()}, "Tol = NaN"},
		{"weights length", ctx, x, []int{0, 1}, 2, LogRegOptions{ClassWeight: []float64{1}}, "1 class weights for 2 classes"},
		{"negative weight", ctx, x, []int{0, 1}, 2, LogRegOptions{ClassWeight: []float64{1, -2}}, "class 1 has weight -2"},
		{"zero weights", ctx, x, []int{0, 0}, 2, LogRegOptions{ClassWeight: []float64{0, 1}}, "every example weight 0"},
		{"cancelled", cancelled, x, []int{0, 1}, 2, LogRegOptions{}, "fit interrupted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := FitDense(tc.ctx, tc.x, tc.y, tc.classes, tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("FitDense = %v, %v; want an error containing %q", m, err, tc.want)
			}
			if tc.name == "cancelled" && !errors.Is(err, context.Canceled) {
				t.Errorf("error %v does not wrap context.Canceled", err)
			}
		})
	}
	m, err := FitDense(ctx, x, []int{0, 1}, 2, LogRegOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.ProbaDense(Matrix{Rows: 1, Cols: 3, Data: []float64{1, 2, 3}}); err == nil || !strings.Contains(err.Error(), "3 features per row, the model has 2") {
		t.Errorf("ProbaDense with 3 columns: %v", err)
	}
	if _, err := m.PredictDense(nan); err == nil || !strings.Contains(err.Error(), "non-finite") {
		t.Errorf("PredictDense with NaN: %v", err)
	}
	if _, err := NewMatrix([][]float64{{1, 2}, {3}}); err == nil || !strings.Contains(err.Error(), "row 1 has 1 values, row 0 has 2") {
		t.Errorf("NewMatrix ragged: %v", err)
	}
	if _, err := BalancedClassWeight([]int{0, 0, 2}, 3); err == nil || !strings.Contains(err.Error(), "class 1 has no examples") {
		t.Errorf("BalancedClassWeight with an empty class: %v", err)
	}
	if _, err := FitLogReg(ctx, []Sparse{{Index: []int{0}, Value: []float64{math.Inf(1)}}}, []int{0}, 1, 2, LogRegOptions{}); err == nil || !strings.Contains(err.Error(), "non-finite value +Inf at index 0") {
		t.Errorf("FitLogReg with +Inf: %v", err)
	}
	if _, err := FitLogReg(ctx, []Sparse{{Index: []int{4}, Value: []float64{1}}}, []int{0}, 3, 2, LogRegOptions{}); err == nil || !strings.Contains(err.Error(), "index 4, outside 0..2") {
		t.Errorf("FitLogReg with an index past dim: %v", err)
	}
	s, err := FitScaler(x)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transform(Matrix{Rows: 1, Cols: 1, Data: []float64{1}}); err == nil {
		t.Error("Scaler.Transform with the wrong width: no error")
	}
}

func TestBalancedClassWeight(t *testing.T) {
	w, err := BalancedClassWeight([]int{1, 1, 1, 1, 0, 0}, 2)
	if err != nil {
		t.Fatal(err)
	}
	closeAll(t, "weights", w, []float64{1.5, 0.75}, 1e-15) // scikit-learn's docstring example
}

// TestMaxIter checks that a fit cut short reports it.
func TestMaxIter(t *testing.T) {
	x, y := randomProblem(5, 200, 10, 4)
	m, err := FitDense(context.Background(), x, y, 4, LogRegOptions{C: 100, Tol: 1e-12, MaxIter: 3})
	if err != nil {
		t.Fatal(err)
	}
	if m.Converged || m.Iterations != 3 {
		t.Errorf("Converged = %v after %d iterations, want false after 3", m.Converged, m.Iterations)
	}
}

func ExampleFitDense() {
	// Two features; class 0 lies left, class 1 up, class 2 right.
	x, err := NewMatrix([][]float64{
		{-2, 0}, {-1.5, 0.5}, {-2, -0.5},
		{0, 2}, {0.5, 1.5}, {-0.5, 2},
		{2, 0}, {1.5, -0.5}, {2, 0.5},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	y := []int{0, 0, 0, 1, 1, 1, 2, 2, 2}
	m, err := FitDense(context.Background(), x, y, 3, LogRegOptions{C: 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	test, _ := NewMatrix([][]float64{{-3, 0.2}, {0.1, 3}, {3, 0}})
	pred, err := m.PredictDense(test)
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _ := m.ProbaDense(test)
	fmt.Println(pred, m.Converged)
	fmt.Printf("p(class 1 | (0.1, 3)) > 0.9: %v\n", p.Row(1)[1] > 0.9)
	// Output:
	// [0 1 2] true
	// p(class 1 | (0.1, 3)) > 0.9: true
}

// TestExpNonPos checks the softmax's exponential against math.Exp, including
// the edges of its range and the values it hands to math.Exp.
func TestExpNonPos(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	xs := []float64{0, -0x1p-60, -1e-300, -0.3465, -0.3466, -math.Ln2 / 2, -1, -37, -707.99, -708, -708.01, -745, -746, math.Inf(-1)}
	for range 100000 {
		xs = append(xs, -rng.Float64()*40, -rng.Float64()*708)
	}
	for _, x := range xs {
		got, want := expNonPos(x), math.Exp(x)
		if want == 0 {
			if got != 0 {
				t.Fatalf("expNonPos(%v) = %v, want 0", x, got)
			}
			continue
		}
		if rel := math.Abs(got-want) / want; rel > 5e-16 {
			t.Fatalf("expNonPos(%v) = %v, math.Exp %v: relative error %g", x, got, want, rel)
		}
	}
	if got := expNonPos(math.NaN()); !math.IsNaN(got) {
		t.Errorf("expNonPos(NaN) = %v", got)
	}
}

// TestExpShift checks the softmax's vector exponential (AVX2 on amd64)
// against math.Exp for row lengths around the vector width.
func TestExpShift(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for _, n := range []int{1, 3, 4, 5, 8, 77, 84} {
		for range 200 {
			m := rng.NormFloat64() * 10
			z := make([]float64, n)
			for i := range z {
				switch i % 3 {
				case 0:
					z[i] = m - rng.Float64()*40
				case 1:
					z[i] = m - rng.Float64()*800
				default:
					z[i] = m
				}
			}
			want := make([]float64, n)
			sum := 0.0
			for i, v := range z {
				want[i] = math.Exp(v - m)
				sum += want[i]
			}
			got := slices.Clone(z)
			s := expShift(got, m)
			for i := range got {
				if z[i]-m < -708 { // clamped on the AVX2 path: tiny either way
					if got[i] > 3.31e-308 {
						t.Fatalf("n=%d: exp(%v) = %v, want at most e^-708", n, z[i]-m, got[i])
					}
					continue
				}
				if rel := math.Abs(got[i]-want[i]) / want[i]; rel > 5e-16 {
					t.Fatalf("n=%d: exp(%v) = %v, math.Exp %v (relative error %g)", n, z[i]-m, got[i], want[i], rel)
				}
			}
			if math.Abs(s-sum) > 1e-15*sum {
				t.Fatalf("n=%d: sum %v, want %v", n, s, sum)
			}
		}
	}
}

// TestObjectiveOverflow checks that scores overflowing to ±Inf make the
// objective NaN (so that the line search rejects the step) rather than a
// finite wrong value.
func TestObjectiveOverflow(t *testing.T) {
	x := Matrix{Rows: 2, Cols: 2, Data: []float64{1e300, -1e300, 1, 2}}
	for _, classes := range []int{2, 3} {
		rows := scoreRows(classes)
		obj := newObjective(newDenseDesign(x, rows), rows, 2, []int{0, 1}, nil, 1)
		theta := make([]float64, rows*3)
		for i := range theta {
			theta[i] = 1e300 * float64(i%3+1)
		}
		if f := obj.eval(theta, make([]float64, len(theta))); !math.IsNaN(f) && !math.IsInf(f, 1) {
			t.Errorf("%d classes: f = %v at overflowing scores, want NaN or +Inf", classes, f)
		}
	}
}

func TestVectorHelpers(t *testing.T) {
	for _, tc := range []struct {
		a, b []float64
		dot  float64
		max  float64
	}{
		{[]float64{}, []float64{}, 0, 0},
		{[]float64{-3}, []float64{2}, -6, 3},
		{[]float64{1, -2, 3, -4, 5}, []float64{1, 1, 1, 1, 2}, 8, 5},
		{[]float64{1, 2, 3, 4, 5, 6, 7, -9}, []float64{1, 1, 1, 1, 1, 1, 1, 1}, 19, 9},
		{[]float64{1, math.NaN(), 3}, []float64{0, 0, 0}, math.NaN(), math.NaN()},
	} {
		d, m := dot(tc.a, tc.b), maxAbs(tc.a)
		if !(d == tc.dot || math.IsNaN(d) && math.IsNaN(tc.dot)) || !(m == tc.max || math.IsNaN(m) && math.IsNaN(tc.max)) {
			t.Errorf("dot(%v, %v) = %v, maxAbs = %v; want %v and %v", tc.a, tc.b, d, m, tc.dot, tc.max)
		}
	}
}
