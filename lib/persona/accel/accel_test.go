package accel

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/founderlab/founderlab/lib/backend"
	"github.com/founderlab/founderlab/lib/persona"
)

func TestAcceleratedOnlyForAccelerators(t *testing.T) {
	tests := []struct {
		env  string
		want bool
	}{
		{"go", false},
		{"go:parallelism=1", false},
		{"xla:cpu", false},
		{"xla:cuda", true},
		{"stablehlo:cuda", true},
	}
	for _, tt := range tests {
		t.Setenv(backend.EnvBackend, tt.env)
		if got := New(nil).Accelerated(); got != tt.want {
			t.Errorf("$%s=%q: Accelerated() = %v, want %v", backend.EnvBackend, tt.env, got, tt.want)
		}
	}
}

// TestChunks runs the graph over several row chunks (the last one shorter)
// and compares the fit with the CPU engine's.
func TestChunks(t *testing.T) {
	if testing.Short() {
		t.Skip("GoMLX")
	}
	rng := rand.New(rand.NewPCG(17, 18))
	X := persona.NewMatrix(250, 5)
	for i := range X.Rows {
		for j := range X.Cols {
			X.Data[i*X.Cols+j] = float64(3*(i%3)) + rng.NormFloat64()
		}
	}
	a := &Accelerator{chunkRows: 64}
	s, err := a.Lloyd(X, 3)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.(*step).chunks); n != 4 {
		t.Fatalf("%d chunks, want 4", n)
	}
	s.Close()
	ctx := context.Background()
	km := persona.KMeans{K: 3, Init: persona.InitFirstRows, NInit: 1, Tol: math.SmallestNonzeroFloat64}
	km.Engine, km.Accelerator = persona.EngineGoMLX, a
	g, err := km.Fit(ctx, X)
	if err != nil {
		t.Fatal(err)
	}
	km.Engine, km.Accelerator = persona.EngineCPU, nil
	c, err := km.Fit(ctx, X)
	if err != nil {
		t.Fatal(err)
	}
	if g.Iter != c.Iter || math.Abs(g.Inertia-c.Inertia) > 1e-9*c.Inertia {
		t.Fatalf("gomlx: J %v in %d iterations; cpu: J %v in %d", g.Inertia, g.Iter, c.Inertia, c.Iter)
	}
	for i := range g.Labels {
		if g.Labels[i] != c.Labels[i] {
			t.Fatalf("row %d: gomlx %d, cpu %d", i, g.Labels[i], c.Labels[i])
		}
	}
}
