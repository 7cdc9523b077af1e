package persona

import (
	"fmt"

	"github.com/founderlab/founderlab/internal/overflow"
	"github.com/founderlab/founderlab/lib/metrics"
)

// ErrOverflow reports values so large that a float64 result computed from
// them would overflow to ±Inf (or turn into NaN or 0). Errors wrapping it
// name the input; the remedy is to scale the data, for example with
// [FitEncoder] and [Standardize]. It is the same error as
// [metrics.ErrOverflow], which the cluster metrics of a [Sweep] wrap. Test
// for it with errors.Is.
var ErrOverflow = metrics.ErrOverflow

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

// RowSlices returns the rows as slices sharing the matrix's storage, the
// form package metrics takes: metrics.Silhouette(X.RowSlices(), labels).
func (m Matrix) RowSlices() [][]float64 {
	out := make([][]float64, m.Rows)
	for i := range out {
		out[i] = m.Row(i)
	}
	return out
}

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
// overflow float64; what names m in the error. Every distance that k-means
// and PCA compute is of that kind; the bound (Euclidean row norms up to
// about 1e150) is derived in package internal/overflow.
func checkMagnitude(what string, n int, m Matrix) error {
	return overflow.CheckRows(what, n, m.Rows, m.Row, "e.g. FitEncoder with Standardize")
}
