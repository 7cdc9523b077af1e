package textclass

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// Matrix is a dense matrix of float64 stored row by row: element (i, j) is
// Data[i*Cols+j]. Each row is one example's feature vector (such as a
// sentence embedding).
type Matrix struct {
	Rows, Cols int
	Data       []float64
}

// NewMatrix copies rows, which must all have the same length, into a
// [Matrix].
func NewMatrix(rows [][]float64) (Matrix, error) {
	if len(rows) == 0 {
		return Matrix{}, errors.New("textclass: no rows")
	}
	m := Matrix{Rows: len(rows), Cols: len(rows[0])}
	m.Data = make([]float64, 0, m.Rows*m.Cols)
	for i, r := range rows {
		if len(r) != m.Cols {
			return Matrix{}, fmt.Errorf("textclass: row %d has %d values, row 0 has %d", i, len(r), m.Cols)
		}
		m.Data = append(m.Data, r...)
	}
	return m, nil
}

// Row returns row i of m (sharing m's storage).
func (m Matrix) Row(i int) []float64 { return m.Data[i*m.Cols : (i+1)*m.Cols : (i+1)*m.Cols] }

// check reports a malformed matrix or a non-finite element.
func (m Matrix) check() error {
	if m.Rows < 1 || m.Cols < 1 {
		return fmt.Errorf("textclass: matrix is %d × %d, need at least one row and column", m.Rows, m.Cols)
	}
	if len(m.Data) != m.Rows*m.Cols {
		return fmt.Errorf("textclass: %d × %d matrix has %d values", m.Rows, m.Cols, len(m.Data))
	}
	for k, v := range m.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("textclass: row %d, column %d holds the non-finite value %v", k/m.Cols, k%m.Cols, v)
		}
	}
	return nil
}

// FitDense fits a classifier to the rows of x (one example per row, such as
// sentence embeddings) with labels y in 0..classes-1, minimising
// scikit-learn's LogisticRegression objective (see the package
// documentation) by L-BFGS. The objective and its gradient are two matrix
// products per evaluation, computed in cache-sized blocks of examples on all
// cores. Non-finite features are an error. It honours ctx between
// iterations.
func FitDense(ctx context.Context, x Matrix, y []int, classes int, opt LogRegOptions) (*LogReg, error) {
	opt, err := opt.withDefaults(classes)
	if err != nil {
		return nil, err
	}
	if err := x.check(); err != nil {
		return nil, err
	}
	if err := checkLabels(x.Rows, y, classes, opt.ClassWeight); err != nil {
		return nil, err
	}
	rows := scoreRows(classes)
	return fit(ctx, newDenseDesign(x, rows), rows, x.Cols, classes, y, opt)
}

// ProbaDense returns the class probabilities of each row of x, as a matrix
// of x.Rows rows and Classes columns. Rows are scored in blocks on all cores
// with the same kernels as the fit.
func (m *LogReg) ProbaDense(x Matrix) (Matrix, error) {
	if err := x.check(); err != nil {
		return Matrix{}, err
	}
	if x.Cols != m.Dim {
		return Matrix{}, fmt.Errorf("textclass: %d features per row, the model has %d", x.Cols, m.Dim)
	}
	rows := len(m.W)
	if rows != scoreRows(m.Classes) || len(m.B) != rows {
		return Matrix{}, fmt.Errorf("textclass: model for %d classes has %d weight rows and %d intercepts", m.Classes, rows, len(m.B))
	}
	stride := m.Dim + 1
	theta := make([]float64, rows*stride)
	for r, w := range m.W {
		if len(w) != m.Dim {
			return Matrix{}, fmt.Errorf("textclass: weight row %d has %d values, want %d", r, len(w), m.Dim)
		}
		copy(theta[r*stride:], w)
	}
	data := newDenseDesign(x, rows)
	data.pack(theta)
	out := Matrix{Rows: x.Rows, Cols: m.Classes, Data: make([]float64, x.Rows*m.Classes)}
	ld := data.ld()
	var next atomic.Int64
	var wg sync.WaitGroup
	np := data.paddedRows()
	workers := max(1, min(runtime.GOMAXPROCS(0), (np+blockRows-1)/blockRows))
	for range workers {
		wg.Go(func() {
			z := make([]float64, blockRows*ld)
			for {
				lo := int(next.Add(blockRows)) - blockRows
				if lo >= np {
					return
				}
				hi := min(lo+blockRows, np)
				data.scores(lo, hi, z[:(hi-lo)*ld])
				for i := lo; i < min(hi, x.Rows); i++ {
					zi := z[(i-lo)*ld : (i-lo)*ld+rows]
					for r := range zi {
						zi[r] += m.B[r]
					}
					copy(out.Row(i), m.probaFromScores(zi))
				}
			}
		})
	}
	wg.Wait()
	return out, nil
}

// PredictDense returns the most probable class of each row of x (the
// lowest on ties).
func (m *LogReg) PredictDense(x Matrix) ([]int, error) {
	p, err := m.ProbaDense(x)
	if err != nil {
		return nil, err
	}
	pred := make([]int, p.Rows)
	for i := range pred {
		pred[i] = argmax(p.Row(i))
	}
	return pred, nil
}

// denseDesign holds a copy of the examples padded with zeros to np rows (a
// multiple of tileRows) and dp columns (a multiple of tileCols), so that
// every product runs in whole 4 × 12 tiles.
//
// With K > 2 classes the scores Z = X·Wᵀ use Wᵀ packed in strips of 12
// classes (each strip dp × 12, contiguous), and the gradient Dᵀ·X is
// accumulated in a kr × dp buffer (kr = K rounded up to 4). With one weight
// row (K = 2) both products are dot products and axpys.
type denseDesign struct {
	x            []float64
	n, np, d, dp int
	rows, kp, kr int
	wp           []float64
}

func newDenseDesign(x Matrix, rows int) *denseDesign {
	dd := &denseDesign{n: x.Rows, d: x.Cols, rows: rows}
	dd.np = roundUp(x.Rows, tileRows)
	if rows == 1 {
		dd.dp, dd.kp, dd.kr = x.Cols, 1, 1
	} else {
		dd.dp, dd.kp, dd.kr = roundUp(x.Cols, tileCols), roundUp(rows, tileCols), roundUp(rows, tileRows)
	}
	dd.x = make([]float64, dd.np*dd.dp)
	if dd.dp == dd.d {
		copy(dd.x, x.Data)
	} else {
		for i := range x.Rows {
			copy(dd.x[i*dd.dp:], x.Row(i))
		}
	}
	dd.wp = make([]float64, dd.kp*dd.dp)
	return dd
}

func roundUp(n, m int) int { return (n + m - 1) / m * m }

func (dd *denseDesign) paddedRows() int { return dd.np }
func (dd *denseDesign) ld() int         { return dd.kp }
func (dd *denseDesign) gradLen() int    { return dd.kr * dd.dp }

func (dd *denseDesign) pack(theta []float64) {
	stride := dd.d + 1
	if dd.rows == 1 {
		copy(dd.wp, theta[:dd.d])
		return
	}
	// Strip t holds classes 12t…12t+11: wp[t·dp·12 + p·12 + c] = W[12t+c][p].
	for r := range dd.rows {
		t, c := r/tileCols, r%tileCols
		strip := dd.wp[t*dd.dp*tileCols:]
		for p, v := range theta[r*stride : r*stride+dd.d] {
			strip[p*tileCols+c] = v
		}
	}
}

func (dd *denseDesign) scores(lo, hi int, z []float64) {
	if dd.rows == 1 {
		for i := lo; i < hi; i++ {
			z[i-lo] = dot(dd.x[i*dd.dp:(i+1)*dd.dp], dd.wp)
		}
		return
	}
	clear(z)
	for i := lo; i < hi; i += tileRows {
		a := dd.x[i*dd.dp:]
		c := z[(i-lo)*dd.kp:]
		for t := 0; t < dd.kp; t += tileCols {
			gemmTile(dd.dp, a, dd.dp, 1, dd.wp[t*dd.dp:], tileCols, c[t:], dd.kp)
		}
	}
}

func (dd *denseDesign) accumulate(lo, hi int, d, g []float64) {
	if dd.rows == 1 {
		for i := lo; i < hi; i++ {
			if v := d[i-lo]; v != 0 {
				axpy(v, dd.x[i*dd.dp:(i+1)*dd.dp], g)
			}
		}
		return
	}
	// g[r][j] += Σ_i d[i][r]·x[i][j]: A(r, i) = d[i·kp + r], B = X's rows.
	b := dd.x[lo*dd.dp:]
	for j := 0; j < dd.dp; j += tileCols {
		for r := 0; r < dd.kr; r += tileRows {
			gemmTile(hi-lo, d[r:], 1, dd.kp, b[j:], dd.dp, g[r*dd.dp+j:], dd.dp)
		}
	}
}

func (dd *denseDesign) unpack(g, grad []float64) {
	stride := dd.d + 1
	for r := range dd.rows {
		gr := grad[r*stride : r*stride+dd.d]
		for j, v := range g[r*dd.dp : r*dd.dp+dd.d] {
			gr[j] += v
		}
	}
}
