package persona

import (
	"errors"
	"fmt"
	"math"
)

// ErrOverflow reports values so large that a float64 result computed from
// them would overflow to ±Inf (or turn into NaN or 0). Errors wrapping it
// name the input; the remedy is to scale the data, for example with
// [FitEncoder] and [Standardize]. Test for it with errors.Is.
var ErrOverflow = errors.New("float64 overflow")

// Matrix is a dense row-major matrix of float64: element (i, j) is
// Data[i*Cols+j]. Rows are points, columns features.
type Matrix struct {
	Rows, Cols int
	Data       []float64
}

// NewMatrix returns a zero Rows×Cols matrix.
func NewMatrix(rows, cols int) Matrix {
	return Matrix{Rows: rows, Cols: cols, Data: make([]float64, rows*cols)}
}

// MatrixFromRows copies a slice of equal-length rows into a Matrix.
func MatrixFromRows(rows [][]float64) (Matrix, error) {
	if len(rows) == 0 {
		return Matrix{}, fmt.Errorf("persona: no rows")
	}
	d := len(rows[0])
	m := NewMatrix(len(rows), d)
	for i, r := range rows {
		if len(r) != d {
			return Matrix{}, fmt.Errorf("persona: row %d has %d values, row 1 has %d", i+1, len(r), d)
		}
		copy(m.Data[i*d:], r)
	}
	return m, nil
}

// Row returns row i as a slice sharing the matrix's storage.
func (m Matrix) Row(i int) []float64 { return m.Data[i*m.Cols : (i+1)*m.Cols : (i+1)*m.Cols] }

// At returns element (i, j).
func (m Matrix) At(i, j int) float64 { return m.Data[i*m.Cols+j] }

// Clone returns a deep copy.
func (m Matrix) Clone() Matrix {
	return Matrix{Rows: m.Rows, Cols: m.Cols, Data: append([]float64(nil), m.Data...)}
}

// validate checks the shape and that every value is finite; what names the
// matrix in errors.
func (m Matrix) validate(what string) error {
	if m.Rows <= 0 || m.Cols <= 0 {
		return fmt.Errorf("persona: %s is empty (%d×%d)", what, m.Rows, m.Cols)
	}
	if len(m.Data) != m.Rows*m.Cols {
		return fmt.Errorf("persona: %s is %d×%d but holds %d values", what, m.Rows, m.Cols, len(m.Data))
	}
	for i, v := range m.Data {
		if v-v != 0 { // NaN or ±Inf

			return fmt.Errorf("persona: %s row %d, column %d: %v is not finite", what, i/m.Cols+1, i%m.Cols+1, v)
		}
	}
	return nil
}

// finite reports whether x is neither NaN nor ±Inf.
func finite(x float64) bool { return x-x == 0 }

// checkMagnitude returns an error wrapping [ErrOverflow] when sums over n
// rows of squared distances between rows of m (or means of its rows) could
// overflow float64; what names m in the error.
//
// Every distance that k-means, the cluster metrics and PCA compute is
// between two rows of X or between a row and a mean of rows, so it is at
// most 2r, r the largest Euclidean row norm, and the largest sum is
// n·(2r)². The check asks for n·(2r)² ≤ MaxFloat64/2 (a factor 2 to spare
// for rounding), which any data of sensible scale meets: with a million
// rows r may reach 4e150. r is computed as a·√(Σ(x/a)²), a = max|x|, so
// that the check itself cannot overflow.
func checkMagnitude(what string, n int, m Matrix) error {
	var a float64
	for _, v := range m.Data {
		a = max(a, math.Abs(v))
	}
	if a == 0 {
		return nil
	}
	ss, row := 0.0, 0 // the largest Σ(x/a)² of a row, in [1, D]
	for i := 0; i < m.Rows; i++ {
		var s float64
		for _, v := range m.Row(i) {
			s += (v / a) * (v / a)
		}
		if s > ss {
			ss, row = s, i
		}
	}
	rmax := math.Sqrt(math.MaxFloat64 / (8 * float64(max(n, 1))))
	if a <= rmax/math.Sqrt(ss) {
		return nil
	}
	return fmt.Errorf("%s row %d: Euclidean norm %.3g exceeds %.3g, the largest for which sums of squared distances over %d rows stay finite in float64; scale the columns first (e.g. FitEncoder with Standardize): %w",
		what, row+1, a*math.Sqrt(ss), rmax, n, ErrOverflow)
}
