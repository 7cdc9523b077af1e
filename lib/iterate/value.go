package iterate

import (
	"errors"
	"fmt"
	"math"
)

func bad(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }

// ErrOverflow reports a result that float64 cannot hold: beyond its
// largest value, or so small that it would round to 0. Errors wrapping it
// name the input. Test for it with errors.Is.
var ErrOverflow = errors.New("result out of float64 range")

// Value runs the seed's value model Vₖ = Vₖ₋₁ + α(Rₖ − Vₖ₋₁) over the
// feedback R₁…Rₙ from the start value v0, returning V₁…Vₙ.
func Value(feedback []float64, alpha, v0 float64) ([]float64, error) {
	if bad(alpha) || alpha <= 0 || alpha > 1 {
		return nil, fmt.Errorf("iterate: value model: α must be in (0, 1], got %g", alpha)
	}
	if bad(v0) {
		return nil, fmt.Errorf("iterate: value model: start value %g is not finite", v0)
	}
	out := make([]float64, len(feedback))
	v := v0
	for k, r := range feedback {
		if bad(r) {
			return nil, fmt.Errorf("iterate: value model: feedback[%d] = %g is not finite", k, r)
		}
		v += alpha * (r - v)
		out[k] = v
	}
	return out, nil
}

// AlphaForHalfLife returns the α whose weights halve every h readings:
// α = 1 − 2^(−1/h).
func AlphaForHalfLife(h float64) float64 { return 1 - math.Pow(2, -1/h) }

// HalfLife returns ln ½ / ln(1−α), the number of readings after which a
// reading's weight has halved.
func HalfLife(alpha float64) float64 { return math.Log(0.5) / math.Log(1-alpha) }

// EffectiveWindow returns (2−α)/α, the length of the simple moving average
// whose readings have the same mean age as the exponential one.
func EffectiveWindow(alpha float64) float64 { return (2 - alpha) / alpha }

// StartValue returns the mean of the first m readings (all when fewer),
// a start value V₀ free of the bias of an arbitrary prior.
func StartValue(feedback []float64, m int) (float64, error) {
	m = min(m, len(feedback))
	if m < 1 {
		return 0, fmt.Errorf("iterate: start value: no feedback")
	}
	s := 0.0
	for _, r := range feedback[:m] {
		s += r
	}
	return s / float64(m), nil
}

// PredictionError returns the one-step-ahead squared error Σₖ (Rₖ − Vₖ₋₁)²
// of the value model with smoothing alpha from v0: how well each value
// predicted the next reading.
func PredictionError(feedback []float64, alpha, v0 float64) (float64, error) {
	v, err := Value(feedback, alpha, v0)
	if err != nil {
		return 0, err
	}
	prev, sse := v0, 0.0
	for k, r := range feedback {
		sse += (r - prev) * (r - prev)
		prev = v[k]
	}
	return sse, nil
}

// Fit is the result of FitAlpha.
type Fit struct {
	Alpha float64
	SSE   float64   // Σ (Rₖ − Vₖ₋₁)² at Alpha
	Grid  []float64 // the α values tried
	Loss  []float64 // SSE per α in Grid
}

// FitAlpha returns the α in (0, 1] that minimises the one-step-ahead
// squared prediction error Σₖ (Rₖ − Vₖ₋₁)² of the value model from v0,
// searched on a grid of `steps` evenly spaced values (1/steps … 1).
func FitAlpha(feedback []float64, v0 float64, steps int) (Fit, error) {
	if len(feedback) == 0 {
		return Fit{}, fmt.Errorf("iterate: fit α: no feedback")
	}
	if steps < 2 {
		return Fit{}, fmt.Errorf("iterate: fit α: need at least 2 grid steps, got %d", steps)
	}
	f := Fit{SSE: math.Inf(1)}
	for i := 1; i <= steps; i++ {
		a := float64(i) / float64(steps)
		sse, err := PredictionError(feedback, a, v0)
		if err != nil {
			return Fit{}, fmt.Errorf("iterate: fit α: %w", err)
		}
		f.Grid = append(f.Grid, a)
		f.Loss = append(f.Loss, sse)
		if sse < f.SSE {
			f.Alpha, f.SSE = a, sse
		}
	}
	return f, nil
}
