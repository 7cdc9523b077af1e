//go:build !amd64

package persona

const useAVX2 = false

func distBlock4(x0, x1, x2, x3, ct, cn []float64, d, kp int, out []float64) {
	distBlock4Go(x0, x1, x2, x3, ct, cn, d, kp, out)
}

func addTo(dst, src []float64) { addToGo(dst, src) }

func argmin4(out []float64, kp int, idx *[4]int) { argmin4Go(out, kp, idx) }
