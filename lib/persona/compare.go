package persona

import (
	"context"
	"fmt"
)

// EngineComparison is the same k-means fitted on the CPU engine and on
// the GoMLX engine ([CompareEngines]).
type EngineComparison struct {
	// CPU and GoMLX are the objectives J of the two fits.
	CPU, GoMLX float64
	// Engine names the engine the second fit ran on ("gomlx:<backend>").
	Engine string
	// Same counts the points given the same label by both fits, of Count.
	Same, Count int
}

// CompareEngines fits km on X with [EngineCPU] and with [EngineGoMLX] on
// acc (km's own Engine and Accelerator are ignored), and reports both
// objectives and how many labels agree. Both fits start from the same
// seeds, so on the same data they agree up to floating-point rounding.
// acc must not be nil: package lib/persona/accel provides one.
func CompareEngines(ctx context.Context, X Matrix, km KMeans, acc Accelerator) (EngineComparison, error) {
	if acc == nil {
		return EngineComparison{}, fmt.Errorf("persona: compare engines: %w", ErrNoAccelerator)
	}
	km.Engine, km.Accelerator = EngineCPU, nil
	cpu, err := km.Fit(ctx, X)
	if err != nil {
		return EngineComparison{}, fmt.Errorf("persona: compare engines: cpu: %w", err)
	}
	km.Engine, km.Accelerator = EngineGoMLX, acc
	gx, err := km.Fit(ctx, X)
	if err != nil {
		return EngineComparison{}, fmt.Errorf("persona: compare engines: gomlx: %w", err)
	}
	c := EngineComparison{CPU: cpu.Inertia, GoMLX: gx.Inertia, Engine: gx.Engine, Count: len(cpu.Labels)}
	for i, l := range cpu.Labels {
		if l == gx.Labels[i] {
			c.Same++
		}
	}
	return c, nil
}
