package textclass

// The matrix-product kernel of the dense objective. Both products of one
// evaluation, the scores Z = X·Wᵀ and the gradient G = Dᵀ·X, are computed in
// tiles of 4 × 12 by one micro-kernel,
//
//	C[r][j] += Σ_{p<k} A(r, p) · B[p][j],   r < 4, j < 12,
//
// where A(r, p) = a[r·ars + p·aps] may be strided either way (rows of X for
// the scores, columns of D for the gradient) and B is row-major with row
// stride ldb. On amd64 with AVX2 and FMA it is assembly (12 vector
// accumulators, three loads of B and four broadcasts of A per step);
// elsewhere it is the Go loop below.

const (
	tileRows = 4  // rows of a C tile
	tileCols = 12 // columns of a C tile
)

// gemmTileGo is the portable micro-kernel; see gemmTile.
func gemmTileGo(k int, a []float64, ars, aps int, b []float64, ldb int, c []float64, ldc int) {
	for r := range tileRows {
		var acc [tileCols]float64
		for p := range k {
			v := a[r*ars+p*aps]
			bp := b[p*ldb : p*ldb+tileCols]
			for j := range acc {
				acc[j] += v * bp[j]
			}
		}
		cr := c[r*ldc : r*ldc+tileCols]
		for j := range acc {
			cr[j] += acc[j]
		}
	}
}
