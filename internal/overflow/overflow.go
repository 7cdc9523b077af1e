// Package overflow holds what the numerical packages (lib/persona and
// lib/metrics) share to keep float64 results finite: the error they wrap
// and the bound on the size of the rows of a data matrix.
//
// Every distance that k-means, the cluster metrics and PCA compute is
// between two rows of a matrix X or between a row and a mean of rows, so
// it is at most 2r, r the largest Euclidean row norm, and the largest sum
// of n squared distances is n·(2r)². [CheckRows] asks for
// n·(2r)² ≤ MaxFloat64/2 (a factor 2 to spare for rounding), which any
// data of sensible scale meets: with a million rows r may reach 4e150.
// It computes r as a·√(Σ(x/a)²), a = max|x|, so that the check itself
// cannot overflow.
package overflow

import (
	"errors"
	"fmt"
	"math"
)

// Err reports values so large that a float64 result computed from them
// would overflow to ±Inf (or turn into NaN or 0). persona.ErrOverflow and
// metrics.ErrOverflow are this error, so errors.Is finds either.
var Err = errors.New("float64 overflow")

// CheckRows returns an error wrapping [Err] when sums over n rows of
// squared distances between the rows of a matrix (or means of its rows)
// could overflow float64. The matrix has rows rows, row(i) returning row
// i; what names it in the error and remedy says how to scale it.
func CheckRows(what string, n, rows int, row func(i int) []float64, remedy string) error {
	var a float64
	for i := range rows {
		for _, v := range row(i) {
			a = max(a, math.Abs(v))
		}
	}
	if a == 0 {
		return nil
	}
	ss, worst := 0.0, 0 // the largest Σ(x/a)² of a row, in [1, D]
	for i := range rows {
		var s float64
		for _, v := range row(i) {
			s += (v / a) * (v / a)
		}
		if s > ss {
			ss, worst = s, i
		}
	}
	rmax := math.Sqrt(math.MaxFloat64 / (8 * float64(max(n, 1))))
	if a <= rmax/math.Sqrt(ss) {
		return nil
	}
	return fmt.Errorf("%s row %d: Euclidean norm %.3g exceeds %.3g, the largest for which sums of squared distances over %d rows stay finite in float64; scale the columns first (%s): %w",
		what, worst+1, a*math.Sqrt(ss), rmax, n, remedy, Err)
}
