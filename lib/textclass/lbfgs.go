package textclass

import (
	"context"
	"fmt"
	"math"
)

// lbfgsFTol is scikit-learn's ftol for L-BFGS-B: 64 machine epsilons.
const lbfgsFTol = 64 * 0x1p-52

// lbfgsResult reports how a minimisation ended.
type lbfgsResult struct {
	iterations int
	converged  bool
}

// lbfgs minimises f from x (updated in place) by limited-memory BFGS with 10
// correction pairs (Nocedal & Wright, algorithm 7.4) and a line search for
// the strong Wolfe conditions ([lineSearch]). It stops, as scipy's L-BFGS-B does for
// scikit-learn, when max|∇f| ≤ gtol or when an iteration lowers f by at most
// ftol·max(|f_old|, |f_new|, 1) (converged), after maxIter iterations, or when
// the line search fails even along −∇f (not converged; x is the best point
// found). It checks ctx before every iteration. f writes ∇f(x) to g and
// returns f(x).
func lbfgs(ctx context.Context, f func(x, g []float64) float64, x []float64, gtol, ftol float64, maxIter int) (lbfgsResult, error) {
	const mem = 10
	n := len(x)
	g := make([]float64, n)
	fx := f(x, g)
	if math.IsNaN(fx) || math.IsInf(fx, 0) {
		return lbfgsResult{}, fmt.Errorf("textclass: the objective is %v at the starting point", fx)
	}
	if maxAbs(g) <= gtol {
		return lbfgsResult{converged: true}, nil
	}
	var (
		sMem, yMem [mem][]float64
		rho, alpha [mem]float64
		count      int // stored pairs; the newest is at (head+count−1) mod mem
		head       int
	)
	for i := range mem {
		sMem[i], yMem[i] = make([]float64, n), make([]float64, n)
	}
	d := make([]float64, n)
	xNew, gNew := make([]float64, n), make([]float64, n)
	sTmp, yTmp := make([]float64, n), make([]float64, n)
	ls := &lineSearch{f: f, xLo: make([]float64, n), gLo: make([]float64, n)}
	for it := 0; it < maxIter; it++ {
		if err := ctx.Err(); err != nil {
			return lbfgsResult{iterations: it}, fmt.Errorf("textclass: fit interrupted after %d iterations: %w", it, err)
		}
		var fNew float64
		found := false
		for attempt := 0; attempt < 2 && !found; attempt++ {
			// Two-loop recursion: d = −H·g.
			copy(d, g)
			for k := count - 1; k >= 0; k-- {
				i := (head + k) % mem
				alpha[i] = rho[i] * dot(sMem[i], d)
				axpy(-alpha[i], yMem[i], d)
			}
			if count > 0 {
				i := (head + count - 1) % mem
				scale(dot(sMem[i], yMem[i])/dot(yMem[i], yMem[i]), d)
			}
			for k := range count {
				i := (head + k) % mem
				beta := rho[i] * dot(yMem[i], d)
				axpy(alpha[i]-beta, sMem[i], d)
			}
			scale(-1, d)
			slope := dot(g, d)
			if !(slope < 0) { // not a descent direction: restart along −∇f
				copy(d, g)
				scale(-1, d)
				slope = dot(g, d)
				count = 0
			}
			step := 1.0
			if count == 0 {
				step = math.Min(1, 1/math.Sqrt(dot(d, d)))
			}
			fNew, found = ls.search(x, d, fx, slope, step, xNew, gNew)
			if !found {
				if count == 0 {
					return lbfgsResult{iterations: it}, nil
				}
				count = 0 // retry once along −∇f
			}
		}
		if !found {
			return lbfgsResult{iterations: it}, nil
		}
		// Store the correction pair s = Δx, y = Δ∇f when its curvature is
		// safely positive, replacing the oldest when the memory is full.
		for k := range sTmp {
			sTmp[k] = xNew[k] - x[k]
			yTmp[k] = gNew[k] - g[k]
		}
		if sy, yy := dot(sTmp, yTmp), dot(yTmp, yTmp); sy > 0x1p-52*yy {
			i := (head + count) % mem
			if count == mem {
				head = (head + 1) % mem
			} else {
				count++
			}
			sMem[i], sTmp = sTmp, sMem[i]
			yMem[i], yTmp = yTmp, yMem[i]
			rho[i] = 1 / sy
		}
		fOld := fx
		copy(x, xNew)
		copy(g, gNew)
		fx = fNew
		if maxAbs(g) <= gtol || fOld-fx <= ftol*math.Max(math.Max(math.Abs(fOld), math.Abs(fx)), 1) {
			return lbfgsResult{iterations: it + 1, converged: true}, nil
		}
	}
	return lbfgsResult{iterations: maxIter}, nil
}

// lineSearch finds a step a along a descent direction d satisfying the
// strong Wolfe conditions
//
//	f(x + a·d) ≤ f(x) + c1·a·∇f(x)·d,   |∇f(x + a·d)·d| ≤ c2·|∇f(x)·d|
//
// with scipy's L-BFGS-B constants c1 = 1e-3, c2 = 0.9, by bracketing and
// zooming with safeguarded cubic interpolation (Nocedal & Wright,
// algorithms 3.5 and 3.6), in at most 50 evaluations (scikit-learn's maxls).
// The curvature condition keeps every correction pair's sᵀy positive and
// rules out the tiny steps that would end the fit early by the
// relative-reduction rule.
type lineSearch struct {
	f        func(x, g []float64) float64
	xLo, gLo []float64 // the best trial point so far that satisfies the first condition
}

// search tries steps from step; on success xNew and gNew hold the accepted
// point and fNew its value. When no step satisfies both conditions within
// the budget it falls back to the best one with sufficient decrease, and
// reports false only if there is none.
func (ls *lineSearch) search(x, d []float64, fx, slope, step float64, xNew, gNew []float64) (fNew float64, ok bool) {
	const (
		c1      = 1e-3
		c2      = 0.9
		maxLS   = 50
		stepMax = 1e10
	)
	eval := func(a float64) (phi, dphi float64) {
		copy(xNew, x)
		axpy(a, d, xNew)
		phi = ls.f(xNew, gNew)
		return phi, dot(gNew, d)
	}
	aLo, phiLo, dphiLo := 0.0, fx, slope
	var aHi, phiHi, dphiHi float64
	haveLo, bracketed := false, false
	saveLo := func(a, phi, dphi float64) {
		aLo, phiLo, dphiLo, haveLo = a, phi, dphi, true
		copy(ls.xLo, xNew)
		copy(ls.gLo, gNew)
	}
	a := step
	for trial := 0; trial < maxLS; trial++ {
		phi, dphi := eval(a)
		decrease := phi <= fx+c1*a*slope // false for NaN
		switch {
		case !decrease || (trial > 0 && phi >= phiLo):
			aHi, phiHi, dphiHi, bracketed = a, phi, dphi, true
		case math.Abs(dphi) <= -c2*slope:
			return phi, true
		case !bracketed && dphi >= 0:
			aHi, phiHi, dphiHi, bracketed = aLo, phiLo, dphiLo, true
			saveLo(a, phi, dphi)
		case !bracketed:
			saveLo(a, phi, dphi)
			if a >= stepMax {
				return phi, true
			}
			a = math.Min(4*a, stepMax)
			continue
		default:
			if dphi*(aHi-aLo) >= 0 {
				aHi, phiHi, dphiHi = aLo, phiLo, dphiLo
			}
			saveLo(a, phi, dphi)
		}
		if math.Abs(aHi-aLo) <= 1e-12*math.Max(aHi, aLo) {
			break
		}
		a = cubicMin(aLo, phiLo, dphiLo, aHi, phiHi, dphiHi)
	}
	if !haveLo {
		return 0, false
	}
	copy(xNew, ls.xLo)
	copy(gNew, ls.gLo)
	return phiLo, true
}

// cubicMin returns the minimiser of the cubic through the values and slopes
// at a and b (Nocedal & Wright, eq. 3.59), or their midpoint when the cubic
// has none or it lies within a tenth of the interval from either end.
func cubicMin(a, fa, da, b, fb, db float64) float64 {
	lo, hi := math.Min(a, b), math.Max(a, b)
	t := (a + b) / 2
	d1 := da + db - 3*(fa-fb)/(a-b)
	if disc := d1*d1 - da*db; disc >= 0 {
		d2 := math.Copysign(math.Sqrt(disc), b-a)
		t = b - (b-a)*(db+d2-d1)/(db-da+2*d2)
	}
	if w := hi - lo; !(t >= lo+0.1*w && t <= hi-0.1*w) {
		t = (a + b) / 2
	}
	return t
}

// dot is a·b, with four partial sums (the vectors of L-BFGS are long).
func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

func axpy(a float64, x, y []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += a * v
	}
}

func scale(a float64, x []float64) {
	for i := range x {
		x[i] *= a
	}
}

// maxAbs returns max |x_i|, or NaN if some x_i is NaN.
func maxAbs(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		if v < 0 {
			v = -v
		}
		if v > m {
			m = v
		} else if v != v {
			return v
		}
	}
	return m
}
