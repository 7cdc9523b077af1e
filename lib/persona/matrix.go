package persona

import (
	"fmt"
)

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
