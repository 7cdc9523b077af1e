package persona

import "golang.org/x/sys/cpu"

// useAVX2 reports whether the assembly kernels can run on this CPU.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func distBlock4AVX2(x0, x1, x2, x3, ct, cn *float64, d, kp int, out *float64)

//go:noescape
func argmin4AVX2(out *float64, kp int, idx *int)

//go:noescape
func addToAVX2(dst, src *float64, n int)

// distBlock4 computes out[r*kp+j] = cn[j] + Σ_t x_r[t]·ct[t*kp+j] for four
// rows x_r of length d and kp (a multiple of 8) columns of ct.
func distBlock4(x0, x1, x2, x3, ct, cn []float64, d, kp int, out []float64) {
	if useAVX2 {
		_ = x0[d-1]
		_ = x1[d-1]
		_ = x2[d-1]
		_ = x3[d-1]
		_ = ct[d*kp-1]
		_ = cn[kp-1]
		_ = out[4*kp-1]
		distBlock4AVX2(&x0[0], &x1[0], &x2[0], &x3[0], &ct[0], &cn[0], d, kp, &out[0])
		return
	}
	distBlock4Go(x0, x1, x2, x3, ct, cn, d, kp, out)
}

// addTo adds src to dst element-wise.
func addTo(dst, src []float64) {
	if useAVX2 && len(src) > 0 {
		_ = dst[len(src)-1]
		addToAVX2(&dst[0], &src[0], len(src))
		return
	}
	addToGo(dst, src)
}

// argmin4 writes to idx[r] the index of the first smallest of the kp
// values of row r of out (4 rows); entries past the real centroids must be
// +Inf.
func argmin4(out []float64, kp int, idx *[4]int) {
	if useAVX2 && kp <= 64 {
		_ = out[4*kp-1]
		argmin4AVX2(&out[0], kp, &idx[0])
		return
	}
	argmin4Go(out, kp, idx)
}
