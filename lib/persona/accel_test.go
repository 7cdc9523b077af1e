package persona_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/lib/persona"
	"github.com/founderlab/founderlab/lib/persona/accel"
)

// The GoMLX engine reproduces scikit-learn's golden fits, as the CPU engine
// does (TestGoldenSynthetic).
func TestGoldenSyntheticGoMLX(t *testing.T) {
	if testing.Short() {
		t.Skip("GoMLX graphs take a while to build")
	}
	var g persona.GoldenSynthetic
	persona.ReadGolden(t, "golden-synthetic.json", &g)
	X, err := persona.MatrixFromRows(g.X)
	if err != nil {
		t.Fatal(err)
	}
	km := persona.KMeans{Engine: persona.EngineGoMLX, Accelerator: accel.New(nil)}
	persona.CheckFit(t, X, persona.FirstN(4), g.Fits[2], km)
	persona.CheckFit(t, X, []int{0, 0, 1, 2}, g.Duplicate, km)
}

func TestGoMLXMatchesCPU(t *testing.T) {
	if testing.Short() {
		t.Skip("GoMLX")
	}
	rng := rand.New(rand.NewPCG(11, 12))
	X, _ := persona.Blobs(rng, 300, 6, 4, 2)
	cpu, err := persona.KMeans{K: 4, Seed: 3, NInit: 2, Engine: persona.EngineCPU}.Fit(context.Background(), X)
	if err != nil {
		t.Fatal(err)
	}
	gx, err := persona.KMeans{K: 4, Seed: 3, NInit: 2, Engine: persona.EngineGoMLX, Accelerator: accel.New(nil)}.Fit(context.Background(), X)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(gx.Engine, "gomlx:") || cpu.Engine != "cpu" {
		t.Fatalf("engines %q and %q", cpu.Engine, gx.Engine)
	}
	if math.Abs(cpu.Inertia-gx.Inertia) > 1e-9*cpu.Inertia || cpu.Iter != gx.Iter {
		t.Fatalf("cpu inertia %v in %d iterations, gomlx %v in %d", cpu.Inertia, cpu.Iter, gx.Inertia, gx.Iter)
	}
	for i := range cpu.Labels {
		if cpu.Labels[i] != gx.Labels[i] {
			t.Fatalf("row %d: cpu label %d, gomlx %d", i, cpu.Labels[i], gx.Labels[i])
		}
	}
}

// Values too large for float64 sums are refused before any graph is built.
func TestGoMLXOverflow(t *testing.T) {
	X := persona.NewMatrix(4, 2)
	copy(X.Data, []float64{1, 2, 3, 4, 1e200, 1, 5, 6})
	_, err := persona.KMeans{K: 2, Engine: persona.EngineGoMLX, Accelerator: accel.New(nil)}.Fit(context.Background(), X)
	if !errors.Is(err, persona.ErrOverflow) || !strings.Contains(err.Error(), "X row 3") {
		t.Fatalf("Fit = %v; want an ErrOverflow naming X row 3", err)
	}
}
