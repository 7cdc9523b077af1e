package persona_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/founderlab/founderlab/lib/persona"
	"github.com/founderlab/founderlab/lib/persona/accel"
)

func TestCompareEngines(t *testing.T) {
	if testing.Short() {
		t.Skip("GoMLX")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	X, _ := persona.Blobs(rng, 200, 5, 3, 2)
	// km's own engine is ignored: the CPU fit runs on the CPU engine even when km asks for GoMLX.
	km := persona.KMeans{K: 3, Seed: 2, NInit: 2, Engine: persona.EngineGoMLX}
	c, err := persona.CompareEngines(context.Background(), X, km, accel.New(nil))
	if err != nil {
		t.Fatal(err)
	}
	cpu, err := persona.KMeans{K: 3, Seed: 2, NInit: 2, Engine: persona.EngineCPU}.Fit(context.Background(), X)
	if err != nil {
		t.Fatal(err)
	}
	if c.CPU != cpu.Inertia {
		t.Errorf("CPU J = %v, want the CPU engine's %v", c.CPU, cpu.Inertia)
	}
	if math.Abs(c.GoMLX-c.CPU) > 1e-6*c.CPU || c.Same != 200 || c.Count != 200 {
		t.Errorf("CompareEngines = %+v, want J equal within 1e-6 and 200 of 200 labels equal", c)
	}
	if len(c.Engine) < 6 || c.Engine[:6] != "gomlx:" {
		t.Errorf("Engine = %q, want gomlx:<backend>", c.Engine)
	}
}
