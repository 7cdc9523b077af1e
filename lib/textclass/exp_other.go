//go:build !amd64

package textclass

// expShift sets z[i] = e^(z[i]−m) and returns Σ z[i]; every z[i] must be at
// most m and not NaN.
func expShift(z []float64, m float64) float64 { return expShiftGo(z, m) }
