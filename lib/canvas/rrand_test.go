package canvas

import (
	"math"
	"slices"
	"testing"
)

// rRand reproduces the default random number generator of R ≥ 3.6
// (RNGkind "Mersenne-Twister", "Inversion", "Rejection") so that tests can
// regenerate, from their seed, the simulated survey data of published R
// worked examples instead of committing that data. It covers what those
// examples call: set.seed, runif, rnorm, round(x, digits), sample with
// replacement and probabilities, and sample without replacement.
//
// The algorithms are the published ones: MT19937 (Matsumoto & Nishimura
// 1998) seeded the way R's set.seed scrambles an integer seed (a linear
// congruential generator x ← 69069·x + 1, 50 warm-up steps), normal
// deviates by inversion of a 2^27-refined uniform with Wichura's AS 241
// quantile (Applied Statistics 37, 1988), and unbiased integer draws by
// rejection from the next power of two.
type rRand struct {
	mt  [624]uint32
	mti int
}

// newRRand is set.seed(seed).
func newRRand(seed uint32) *rRand {
	r := &rRand{}
	for j := 0; j < 50; j++ {
		seed = 69069*seed + 1
	}
	// R fills 625 words: the first is the position word, which set.seed
	// then resets to 624 ("regenerate before the first draw").
	seed = 69069*seed + 1
	for j := range r.mt {
		seed = 69069*seed + 1
		r.mt[j] = seed
	}
	r.mti = 624
	return r
}

func (r *rRand) genrand() float64 {
	const (
		n, m  = 624, 397
		upper = 0x80000000
		lower = 0x7fffffff
	)
	mag := [2]uint32{0, 0x9908b0df}
	if r.mti >= n {
		kk := 0
		for ; kk < n-m; kk++ {
			y := r.mt[kk]&upper | r.mt[kk+1]&lower
			r.mt[kk] = r.mt[kk+m] ^ y>>1 ^ mag[y&1]
		}
		for ; kk < n-1; kk++ {
			y := r.mt[kk]&upper | r.mt[kk+1]&lower
			r.mt[kk] = r.mt[kk+m-n] ^ y>>1 ^ mag[y&1]
		}
		y := r.mt[n-1]&upper | r.mt[0]&lower
		r.mt[n-1] = r.mt[m-1] ^ y>>1 ^ mag[y&1]
		r.mti = 0
	}
	y := r.mt[r.mti]
	r.mti++
	y ^= y >> 11
	y ^= y << 7 & 0x9d2c5680
	y ^= y << 15 & 0xefc60000
	y ^= y >> 18
	return float64(y) * 2.3283064365386963e-10
}

// unif is unif_rand: a uniform on the open interval (0, 1).
func (r *rRand) unif() float64 {
	const half = 0.5 * 2.328306437080797e-10
	x := r.genrand()
	switch {
	case x <= 0:
		return half
	case 1-x <= 0:
		return 1 - half
	}
	return x
}

// norm is norm_rand by inversion.
func (r *rRand) norm() float64 {
	const big = 134217728 // 2^27
	u := r.unif()
	u = float64(int(big*u)) + r.unif()
	return qnormAS241(u / big)
}

// rnorm is rnorm(n, mean, sd).
func (r *rRand) rnorm(n int, mean, sd float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = mean + sd*r.norm()
	}
	return out
}

// unifIndex is R_unif_index: a uniform integer in [0, n) by rejection.
func (r *rRand) unifIndex(n int) int {
	if n <= 0 {
		return 0
	}
	bits := int(math.Ceil(math.Log2(float64(n))))
	for {
		var v int64
		for k := 0; k <= bits; k += 16 {
			v = 65536*v + int64(math.Floor(r.unif()*65536))
		}
		v &= 1<<bits - 1
		if int64(n) > v {
			return int(v)
		}
	}
}

// sampleIndex is sample.int(n, k) without replacement (1-based results).
func (r *rRand) sampleIndex(n, k int) []int {
	x := make([]int, n)
	for i := range x {
		x[i] = i
	}
	out := make([]int, k)
	for i := range out {
		j := r.unifIndex(n)
		out[i] = x[j] + 1
		n--
		x[j] = x[n]
	}
	return out
}

// sampleProb is sample.int(len(p), k, replace = TRUE, prob = p) for a small
// number of categories (1-based results): the categories are ordered by
// decreasing probability with R's heap sort (which decides the order of
// ties), and each draw walks the cumulative probabilities.
func (r *rRand) sampleProb(p []float64, k int) []int {
	n := len(p)
	var sum float64
	for _, v := range p {
		sum += v
	}
	a := make([]float64, n+1) // 1-based, as in the heap sort
	perm := make([]int, n+1)
	for i := range p {
		a[i+1] = p[i] / sum
		perm[i+1] = i + 1
	}
	revsort(a, perm, n)
	for i := 2; i <= n; i++ {
		a[i] += a[i-1]
	}
	out := make([]int, k)
	for i := range out {
		u := r.unif()
		j := 1
		for ; j < n; j++ {
			if u <= a[j] {
				break
			}
		}
		out[i] = perm[j]
	}
	return out
}

// revsort sorts a[1..n] into decreasing order by heap sort, permuting ib
// alongside; it is not stable, and R's sampling depends on how it orders
// equal probabilities.
func revsort(a []float64, ib []int, n int) {
	if n <= 1 {
		return
	}
	l, ir := n/2+1, n
	for {
		var ra float64
		var ii int
		if l > 1 {
			l--
			ra, ii = a[l], ib[l]
		} else {
			ra, ii = a[ir], ib[ir]
			a[ir], ib[ir] = a[1], ib[1]
			ir--
			if ir == 1 {
				a[1], ib[1] = ra, ii
				return
			}
		}
		i, j := l, l<<1
		for j <= ir {
			if j < ir && a[j] > a[j+1] {
				j++
			}
			if ra > a[j] {
				a[i], ib[i] = a[j], ib[j]
				i = j
				j += j
			} else {
				j = ir + 1
			}
		}
		a[i], ib[i] = ra, ii
	}
}

// rRound is R's round(x, digits) for digits > 0 (R ≥ 4.0.0): of the two
// candidates ⌊x·10^d⌋/10^d and ⌈x·10^d⌉/10^d it returns the nearer, and on
// a tie the one with an even last digit.
func rRound(x float64, digits int) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	sgn := 1.0
	if x < 0 {
		sgn, x = -1, -x
	}
	p10 := math.Pow(10, float64(digits))
	x10 := p10 * x
	i10 := math.Floor(x10)
	xd, xu := i10/p10, math.Ceil(x10)/p10
	du, dd := xu-x, x-xd
	if du < dd || (du == dd && math.Mod(i10, 2) == 1) {
		return sgn * xu
	}
	return sgn * xd
}

// qnormAS241 is the standard normal quantile by Wichura's algorithm AS 241
// (PPND16), accurate to about 1e-16.
func qnormAS241(p float64) float64 {
	q := p - 0.5
	if math.Abs(q) <= 0.425 {
		r := 0.180625 - q*q
		return q * (((((((r*2509.0809287301226727+33430.575583588128105)*r+67265.770927008700853)*r+
			45921.953931549871457)*r+13731.693765509461125)*r+1971.5909503065514427)*r+
			133.14166789178437745)*r + 3.387132872796366608) /
			(((((((r*5226.495278852545925+28729.085735721942674)*r+39307.89580009271061)*r+
				21213.794301586595867)*r+5394.1960214247511077)*r+687.1870074920579083)*r+
				42.313330701600911252)*r + 1)
	}
	r := p
	if q > 0 {
		r = 1 - p
	}
	r = math.Sqrt(-math.Log(r))
	var v float64
	if r <= 5 {
		r -= 1.6
		v = (((((((r*7.7454501427834140764e-4+0.0227238449892691845833)*r+0.24178072517745061177)*r+
			1.27045825245236838258)*r+3.64784832476320460504)*r+5.7694972214606914055)*r+
			4.6303378461565452959)*r + 1.42343711074968357734) /
			(((((((r*1.05075007164441684324e-9+5.475938084995344946e-4)*r+0.0151986665636164571966)*r+
				0.14810397642748007459)*r+0.68976733498510000455)*r+1.6763848301838038494)*r+
				2.05319162663775882187)*r + 1)
	} else {
		r -= 5
		v = (((((((r*2.01033439929228813265e-7+2.71155556874348757815e-5)*r+0.0012426609473880784386)*r+
			0.026532189526576123093)*r+0.29656057182850489123)*r+1.7848265399172913358)*r+
			5.4637849111641143699)*r + 6.6579046435011037772) /
			(((((((r*2.04426310338993978564e-15+1.4215117583164458887e-7)*r+1.8463183175100546818e-5)*r+
				7.868691311456132591e-4)*r+0.0148753612908506148525)*r+0.13692988092273580531)*r+
				0.59983220655588793769)*r + 1)
	}
	if q < 0 {
		v = -v
	}
	return v
}

// TestRRand pins the generator to values printed by R 4.2.2:
//
//	set.seed(20); runif(3)   # 0.87752138869836926 0.76853320864029229 0.27896313834935427
//	set.seed(20); rnorm(3)   # 1.16268528978379759 -0.58592446589305092 1.78546500331661395
//	set.seed(42); sample(10, 4)                                        # 1 5 10 8
//	set.seed(42); sample(c("a","b"), 8, replace=TRUE, prob=c(.5,.5))   # a a b a a a a b
//	round(c(2.675, 7.215, 0.125, 16.815, 1.005), 2)  # 2.67 7.22 0.12 16.82 1
func TestRRand(t *testing.T) {
	r := newRRand(20)
	for i, want := range []float64{0.87752138869836926, 0.76853320864029229, 0.27896313834935427} {
		if got := r.unif(); got != want {
			t.Errorf("runif[%d] = %.17g, want %.17g", i, got, want)
		}
	}
	for i, want := range []float64{1.16268528978379759, -0.58592446589305092, 1.78546500331661395} {
		if got := newRRand(20).rnorm(3, 0, 1)[i]; math.Abs(got-want) > 1e-15 {
			t.Errorf("rnorm[%d] = %.17g, want %.17g", i, got, want)
		}
	}
	if got := newRRand(42).sampleIndex(10, 4); !slices.Equal(got, []int{1, 5, 10, 8}) {
		t.Errorf("sample(10, 4) = %v", got)
	}
	if got := newRRand(42).sampleProb([]float64{.5, .5}, 8); !slices.Equal(got, []int{1, 1, 2, 1, 1, 1, 1, 2}) {
		t.Errorf("sample(prob) = %v", got)
	}
	for _, c := range [][2]float64{{2.675, 2.67}, {7.215, 7.22}, {0.125, 0.12}, {16.815, 16.82}, {1.005, 1}} {
		if got := rRound(c[0], 2); got != c[1] {
			t.Errorf("round(%g, 2) = %.17g, want %g", c[0], got, c[1])
		}
	}
}
