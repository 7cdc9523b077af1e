package textclass

import "math"

// expNonPos returns e^x for x ≤ 0 (as the softmax needs after subtracting
// the largest score), within a relative 5e-16 of math.Exp and about twice as
// fast: x = k·ln 2 + r with |r| ≤ ln 2 / 2, e^r by its Taylor polynomial of
// degree 13 (truncation error below 5e-18) evaluated by Estrin's scheme, and
// 2^k put into the exponent. Arguments below −708, whose results are
// subnormal or 0, and NaN go to math.Exp.
func expNonPos(x float64) float64 {
	if !(x >= -708) {
		return math.Exp(x)
	}
	const (
		log2e = 1.44269504088896338700e+00
		ln2hi = 6.93147180369123816490e-01 // ln 2 in 33 bits: k·ln2hi is exact
		ln2lo = 1.90821492927058770002e-10
	)
	k := float64(int64(x*log2e - 0.5)) // nearest integer, as x ≤ 0
	r := (x - k*ln2hi) - k*ln2lo
	// Estrin's scheme: short dependency chains.
	r2 := r * r
	r4 := r2 * r2
	q0 := (1 + r) + r2*(1.0/2+r*(1.0/6))
	q1 := (1.0/24 + r*(1.0/120)) + r2*(1.0/720+r*(1.0/5040))
	q2 := (1.0/40320 + r*(1.0/362880)) + r2*(1.0/3628800+r*(1.0/39916800))
	q3 := 1.0/479001600 + r*(1.0/6227020800)
	p := (q0 + r4*q1) + (r4*r4)*(q2+r4*q3)
	return math.Float64frombits(math.Float64bits(p) + uint64(int64(k))<<52)
}

// expShiftGo sets z[i] = e^(z[i]−m) and returns Σ z[i] (z[i] ≤ m).
func expShiftGo(z []float64, m float64) float64 {
	s := 0.0
	for i, v := range z {
		e := expNonPos(v - m)
		z[i] = e
		s += e
	}
	return s
}
