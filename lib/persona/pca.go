package persona

import (
	"fmt"
	"math"
	"sort"
)

// Projection is a principal component analysis of a matrix: the rows
// projected onto the leading principal axes.
type Projection struct {
	// Points are the projected rows (N × dims).
	Points Matrix
	// Components are the principal axes as unit rows (dims × D), each with
	// its largest-magnitude coordinate positive so the result is unique.
	Components Matrix
	// Variance is the variance along each axis (eigenvalues of the
	// population covariance), and Explained its share of the total.
	Variance, Explained []float64
	// Mean is the column mean subtracted before projecting.
	Mean []float64
}

// PCA projects X onto its dims leading principal components: the
// eigenvectors of the D×D covariance matrix Σ = (1/N) Σ_i (x_i − x̄)(x_i − x̄)ᵀ
// with the largest eigenvalues, found with the cyclic Jacobi method.
func PCA(X Matrix, dims int) (*Projection, error) {
	if err := X.validate("X"); err != nil {
		return nil, fmt.Errorf("persona: pca: %w", err)
	}
	if err := checkMagnitude("X", X.Rows, X); err != nil {
		return nil, fmt.Errorf("persona: pca: %w", err)
	}
	d := X.Cols
	if dims < 1 || dims > d {
		return nil, fmt.Errorf("persona: pca: %d components of %d columns", dims, d)
	}
	mean := make([]float64, d)
	for i := 0; i < X.Rows; i++ {
		addToGo(mean, X.Row(i))
	}
	for j := range mean {
		mean[j] /= float64(X.Rows)
	}
	cov := make([]float64, d*d)
	cx := make([]float64, d)
	for i := 0; i < X.Rows; i++ {
		for j, v := range X.Row(i) {
			cx[j] = v - mean[j]
		}
		for a := 0; a < d; a++ {
			for b := a; b < d; b++ {
				cov[a*d+b] += cx[a] * cx[b]
			}
		}
	}
	for a := 0; a < d; a++ {
		for b := a; b < d; b++ {
			cov[a*d+b] /= float64(X.Rows)
			cov[b*d+a] = cov[a*d+b]
		}
	}
	vals, vecs := jacobiEigen(cov, d)
	order := make([]int, d)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return vals[order[a]] > vals[order[b]] })
	var total float64
	for _, v := range vals {
		total += math.Max(v, 0)
	}
	p := &Projection{Points: NewMatrix(X.Rows, dims), Components: NewMatrix(dims, d), Mean: mean,
		Variance: make([]float64, dims), Explained: make([]float64, dims)}
	for c := 0; c < dims; c++ {
		e := order[c]
		comp := p.Components.Row(c)
		big := 0
		for j := 0; j < d; j++ {
			comp[j] = vecs[j*d+e]
			if math.Abs(comp[j]) > math.Abs(comp[big]) {
				big = j
			}
		}
		if comp[big] < 0 {
			for j := range comp {
				comp[j] = -comp[j]
			}
		}
		p.Variance[c] = math.Max(vals[e], 0)
		if total > 0 {
			p.Explained[c] = p.Variance[c] / total
		}
	}
	for i := 0; i < X.Rows; i++ {
		x := X.Row(i)
		for c := 0; c < dims; c++ {
			var s float64
			for j, v := range p.Components.Row(c) {
				s += (x[j] - mean[j]) * v
			}
			p.Points.Data[i*dims+c] = s
		}
	}
	return p, nil
}

// jacobiEigen diagonalises the symmetric n×n matrix a (row-major, it is
// overwritten) by cyclic Jacobi rotations. It returns the eigenvalues and
// the eigenvectors as the columns of v.
func jacobiEigen(a []float64, n int) (vals, v []float64) {
	v = make([]float64, n*n)
	for i := 0; i < n; i++ {
		v[i*n+i] = 1
	}
	for sweep := 0; sweep < 100; sweep++ {
		var off float64
		for p := 0; p < n; p++ {
			for q := p + 1; q < n; q++ {
				off += a[p*n+q] * a[p*n+q]
			}
		}
		if off < 1e-30 {
			break
		}
		for p := 0; p < n; p++ {
			for q := p + 1; q < n; q++ {
				apq := a[p*n+q]
				if math.Abs(apq) < 1e-300 {
					continue
				}
				theta := (a[q*n+q] - a[p*n+p]) / (2 * apq)
				t := math.Copysign(1, theta) / (math.Abs(theta) + math.Sqrt(theta*theta+1))
				c := 1 / math.Sqrt(t*t+1)
				s := t * c
				for k := 0; k < n; k++ { // columns p and q
					akp, akq := a[k*n+p], a[k*n+q]
					a[k*n+p] = c*akp - s*akq
					a[k*n+q] = s*akp + c*akq
				}
				for k := 0; k < n; k++ { // rows p and q
					apk, aqk := a[p*n+k], a[q*n+k]
					a[p*n+k] = c*apk - s*aqk
					a[q*n+k] = s*apk + c*aqk
				}
				for k := 0; k < n; k++ {
					vkp, vkq := v[k*n+p], v[k*n+q]
					v[k*n+p] = c*vkp - s*vkq
					v[k*n+q] = s*vkp + c*vkq
				}
			}
		}
	}
	vals = make([]float64, n)
	for i := 0; i < n; i++ {
		vals[i] = a[i*n+i]
	}
	return vals, v
}
