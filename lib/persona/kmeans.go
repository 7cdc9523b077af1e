package persona

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
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
	// EngineAuto uses EngineGoMLX when KMeans.Accelerator reports an
	// accelerator (an XLA
	// PJRT plugin other than the CPU one, such as CUDA, is installed or named
	// by $GOMLX_BACKEND) and EngineCPU otherwise, XLA on CPU included.
	EngineAuto Engine = iota
	// EngineCPU uses the blocked CPU kernel (AVX2 assembly on amd64).
	EngineCPU
	// EngineGoMLX runs each Lloyd step on KMeans.Accelerator: with
	// accel.New, as a GoMLX graph on the backend lib/backend chooses.
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
	// Accelerator runs the iterations of EngineGoMLX, and of EngineAuto
	// when it reports an accelerator: accel.New (package
	// lib/persona/accel) builds them as GoMLX graphs. nil means the CPU
	// engine for EngineAuto and an error wrapping [ErrNoAccelerator] for
	// EngineGoMLX.
	Accelerator Accelerator
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
		if km.Accelerator != nil && km.Accelerator.Accelerated() {
			e = EngineGoMLX
		}
	}
	switch e {
	case EngineCPU:
		return cpuEngine{newCPULloyd(X, km.K, km.Workers)}, nil
	case EngineGoMLX:
		if km.Accelerator == nil {
			return nil, fmt.Errorf("persona: k-means: engine %v: %w", e, ErrNoAccelerator)
		}
		s, err := km.Accelerator.Lloyd(X, km.K)
		if err != nil {
			return nil, err
		}
		return accelEngine{s}, nil
	}
	return nil, fmt.Errorf("persona: k-means: unknown engine %v", km.Engine)
}
