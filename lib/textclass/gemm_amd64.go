package textclass

import "golang.org/x/sys/cpu"

// useAVX2 reports whether the assembly kernel can run on this CPU.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func gemmTileAVX2(k int, a *float64, ars, aps int, b *float64, ldb int, c *float64, ldc int)

// gemmTile adds to the 4 × 12 tile at c (row stride ldc) the product of the
// 4 × k block of A and the k × 12 block of B; see gemm.go for the
// strides. The slices must hold every element the strides reach.
func gemmTile(k int, a []float64, ars, aps int, b []float64, ldb int, c []float64, ldc int) {
	if k <= 0 {
		return
	}
	if useAVX2 {
		_ = a[3*ars+(k-1)*aps]
		_ = b[(k-1)*ldb+tileCols-1]
		_ = c[3*ldc+tileCols-1]
		gemmTileAVX2(k, &a[0], ars, aps, &b[0], ldb, &c[0], ldc)
		return
	}
	gemmTileGo(k, a, ars, aps, b, ldb, c, ldc)
}
