package persona

// distBlock4Go is the portable version of distBlock4.
func distBlock4Go(x0, x1, x2, x3, ct, cn []float64, d, kp int, out []float64) {
	o0, o1, o2, o3 := out[:kp], out[kp:2*kp], out[2*kp:3*kp], out[3*kp:4*kp]
	copy(o0, cn[:kp])
	copy(o1, cn[:kp])
	copy(o2, cn[:kp])
	copy(o3, cn[:kp])
	for t := 0; t < d; t++ {
		row := ct[t*kp : (t+1)*kp]
		a0, a1, a2, a3 := x0[t], x1[t], x2[t], x3[t]
		for j, c := range row {
			o0[j] += a0 * c
			o1[j] += a1 * c
			o2[j] += a2 * c
			o3[j] += a3 * c
		}
	}
}

// addToGo adds src to dst element-wise.
func addToGo(dst, src []float64) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] += v
	}
}

// argmin4Go is the portable version of argmin4.
func argmin4Go(out []float64, kp int, idx *[4]int) {
	for r := 0; r < 4; r++ {
		row := out[r*kp : (r+1)*kp]
		best, bv := 0, row[0]
		for j := 1; j < len(row); j++ {
			if row[j] < bv {
				best, bv = j, row[j]
			}
		}
		idx[r] = best
	}
}
