package textclass

import (
	"fmt"
	"math"
)

// Scaler standardises features, (x_j − Mean_j) / Scale_j, as scikit-learn's
// StandardScaler does: Mean is the column mean and Scale the column standard
// deviation (dividing by n), or 1 for a column that is constant up to
// rounding. Standardised features make L-BFGS converge in fewer iterations
// and make C act on all features alike.
type Scaler struct {
	Mean, Scale []float64
}

// FitScaler learns the mean and scale of each column of x.
func FitScaler(x Matrix) (*Scaler, error) {
	if err := x.check(); err != nil {
		return nil, err
	}
	n := float64(x.Rows)
	s := &Scaler{Mean: make([]float64, x.Cols), Scale: make([]float64, x.Cols)}
	for i := range x.Rows {
		for j, v := range x.Row(i) {
			s.Mean[j] += v
		}
	}
	for j := range s.Mean {
		s.Mean[j] /= n
	}
	for i := range x.Rows {
		for j, v := range x.Row(i) {
			d := v - s.Mean[j]
			s.Scale[j] += d * d
		}
	}
	const eps = 0x1p-52
	for j, ss := range s.Scale {
		v := ss / n
		// scikit-learn's bound on the rounding error of the variance of a
		// constant column (sklearn.preprocessing._data._is_constant_feature).
		bound := n*eps*v + (n*s.Mean[j]*eps)*(n*s.Mean[j]*eps)
		if v <= bound || v == 0 {
			s.Scale[j] = 1
		} else {
			s.Scale[j] = math.Sqrt(v)
		}
	}
	return s, nil
}

// Transform returns the standardised copy of x.
func (s *Scaler) Transform(x Matrix) (Matrix, error) {
	if err := x.check(); err != nil {
		return Matrix{}, err
	}
	if x.Cols != len(s.Mean) || len(s.Scale) != len(s.Mean) {
		return Matrix{}, fmt.Errorf("textclass: %d columns, the scaler has %d means and %d scales", x.Cols, len(s.Mean), len(s.Scale))
	}
	out := Matrix{Rows: x.Rows, Cols: x.Cols, Data: make([]float64, len(x.Data))}
	for i := range x.Rows {
		o := out.Row(i)
		for j, v := range x.Row(i) {
			o[j] = (v - s.Mean[j]) / s.Scale[j]
		}
	}
	return out, nil
}
