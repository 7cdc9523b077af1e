package iterate

import (
	"fmt"
	"math"
)

// Phi is the standard normal distribution function Φ(z) = ½ erfc(−z/√2).
func Phi(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// PhiInv is the standard normal quantile Φ⁻¹(p) = √2 erf⁻¹(2p − 1),
// for 0 < p < 1 (±Inf at 0 and 1, NaN outside).
func PhiInv(p float64) float64 { return math.Sqrt2 * math.Erfinv(2*p-1) }

// ABTest is the result of a two-proportion z-test: variant B against
// control A.
type ABTest struct {
	XA, NA, XB, NB int
	PA, PB         float64 // conversion rates
	Diff           float64 // PB − PA
	Lift           float64 // Diff / PA (NaN when PA = 0)
	Z              float64 // with the pooled standard error
	PValue         float64 // two-sided
	Level          float64 // confidence level of the interval, e.g. 0.95
	CILow, CIHigh  float64 // Wald interval for Diff (unpooled standard error)
	Significant    bool    // PValue < 1 − Level
	// IntervalA and IntervalB are Wilson intervals of each arm's rate.
	IntervalA, IntervalB [2]float64
}

// Wilson returns the Wilson score interval for a proportion x/n at
// confidence level (Wilson 1927; Newcombe 1998, method 3):
//
//	(p̂ + z²/2n ± z √(p̂q̂/n + z²/4n²)) / (1 + z²/n),  z = Φ⁻¹(1 − (1−level)/2).
//
// Unlike the Wald interval it stays inside [0, 1] and is sensible at
// x = 0 or x = n.
func Wilson(x, n int, level float64) (lo, hi float64, err error) {
	if n <= 0 || x < 0 || x > n {
		return 0, 0, fmt.Errorf("iterate: Wilson interval: need 0 ≤ x ≤ n, n > 0, got %d/%d", x, n)
	}
	if bad(level) || level <= 0 || level >= 1 {
		return 0, 0, fmt.Errorf("iterate: Wilson interval: confidence level must be in (0, 1), got %g", level)
	}
	z := PhiInv(1 - (1-level)/2)
	nn := float64(n)
	p := float64(x) / nn
	den := 1 + z*z/nn
	c := (p + z*z/(2*nn)) / den
	h := z / den * math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn))
	return max(0, c-h), min(1, c+h), nil
}

// ZTest compares conversions xA of nA (control) with xB of nB (variant) at
// confidence level (e.g. 0.95).
func ZTest(xA, nA, xB, nB int, level float64) (ABTest, error) {
	if nA <= 0 || nB <= 0 || xA < 0 || xB < 0 || xA > nA || xB > nB {
		return ABTest{}, fmt.Errorf("iterate: z-test: need 0 ≤ x ≤ n and n > 0, got %d/%d and %d/%d", xA, nA, xB, nB)
	}
	if bad(level) || level <= 0 || level >= 1 {
		return ABTest{}, fmt.Errorf("iterate: z-test: confidence level must be in (0, 1), got %g", level)
	}
	t := ABTest{XA: xA, NA: nA, XB: xB, NB: nB, Level: level}
	t.PA, t.PB = float64(xA)/float64(nA), float64(xB)/float64(nB)
	t.Diff = t.PB - t.PA
	t.Lift = math.NaN()
	if t.PA > 0 {
		t.Lift = t.Diff / t.PA
	}
	p := float64(xA+xB) / float64(nA+nB)
	se0 := math.Sqrt(p * (1 - p) * (1/float64(nA) + 1/float64(nB)))
	switch {
	case se0 > 0:
		t.Z = t.Diff / se0
		t.PValue = 2 * Phi(-math.Abs(t.Z))
	default: // both 0 % or both 100 %: no evidence of a difference
		t.PValue = 1
	}
	se := math.Sqrt(t.PA*(1-t.PA)/float64(nA) + t.PB*(1-t.PB)/float64(nB))
	z := PhiInv(1 - (1-level)/2)
	t.CILow, t.CIHigh = t.Diff-z*se, t.Diff+z*se
	t.Significant = t.PValue < 1-level
	t.IntervalA[0], t.IntervalA[1], _ = Wilson(xA, nA, level)
	t.IntervalB[0], t.IntervalB[1], _ = Wilson(xB, nB, level)
	return t, nil
}

func checkRates(p1, p2, alpha float64) error {
	if bad(p1) || bad(p2) || p1 <= 0 || p1 >= 1 || p2 <= 0 || p2 >= 1 || p1 == p2 {
		return fmt.Errorf("iterate: need two different rates in (0, 1), got %g and %g", p1, p2)
	}
	if bad(alpha) || alpha <= 0 || alpha >= 1 {
		return fmt.Errorf("iterate: significance level must be in (0, 1), got %g", alpha)
	}
	return nil
}

// Power returns the probability that a two-sided test at significance
// alpha detects the difference between rates p1 and p2 with n per group
// (normal approximation, as R's power.prop.test with strict = FALSE).
func Power(p1, p2 float64, n, alpha float64) (float64, error) {
	if err := checkRates(p1, p2, alpha); err != nil {
		return 0, fmt.Errorf("power: %w", err)
	}
	if bad(n) || n <= 0 {
		return 0, fmt.Errorf("iterate: power: n must be positive, got %g", n)
	}
	q1, q2 := 1-p1, 1-p2
	za := PhiInv(1 - alpha/2)
	return Phi((math.Sqrt(n)*math.Abs(p1-p2) - za*math.Sqrt((p1+p2)*(q1+q2)/2)) / math.Sqrt(p1*q1+p2*q2)), nil
}

// SampleSize returns the (fractional) number per group a two-sided test at
// significance alpha needs to detect p1 vs p2 with the given power; round
// it up for a plan.
func SampleSize(p1, p2, alpha, power float64) (float64, error) {
	if err := checkRates(p1, p2, alpha); err != nil {
		return 0, fmt.Errorf("sample size: %w", err)
	}
	if bad(power) || power <= 0 || power >= 1 {
		return 0, fmt.Errorf("iterate: sample size: power must be in (0, 1), got %g", power)
	}
	q1, q2 := 1-p1, 1-p2
	za, zb := PhiInv(1-alpha/2), PhiInv(power)
	num := za*math.Sqrt((p1+p2)*(q1+q2)/2) + zb*math.Sqrt(p1*q1+p2*q2)
	return num * num / ((p1 - p2) * (p1 - p2)), nil
}
