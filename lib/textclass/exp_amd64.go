package textclass

//go:noescape
func expShiftAVX2(z *float64, n int, m float64) float64

// expShift sets z[i] = e^(z[i]−m) and returns Σ z[i]; every z[i] must be at
// most m and not NaN. Arguments below −708 give e^−708 ≈ 3.3e-308 on the
// AVX2 path, where expNonPos gives the subnormal or zero e^x: no difference
// to a softmax.
func expShift(z []float64, m float64) float64 {
	n := 0
	s := 0.0
	if useAVX2 {
		if n = len(z) &^ 3; n > 0 {
			s = expShiftAVX2(&z[0], n, m)
		}
	}
	return s + expShiftGo(z[n:], m)
}
