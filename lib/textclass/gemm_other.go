//go:build !amd64

package textclass

// gemmTile adds to the 4 × 12 tile at c (row stride ldc) the product of the
// 4 × k block of A and the k × 12 block of B (see gemm.go).
func gemmTile(k int, a []float64, ars, aps int, b []float64, ldb int, c []float64, ldc int) {
	gemmTileGo(k, a, ars, aps, b, ldb, c, ldc)
}
