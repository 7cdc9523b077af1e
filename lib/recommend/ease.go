package recommend

import (
	"context"
	"fmt"
)

// EASE is EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for
// Sparse Data"): an item-item weight matrix B with zero diagonal that
// reconstructs the binary user×item matrix X, minimising
// ‖X − XB‖² + λ‖B‖², in closed form: with P = (XᵀX + λI)⁻¹,
// B_ij = −P_ij / P_jj. A user's score for j is Σ_{i∈train(u)} B_ij. Only
// items with at least MinPop training positives take part (the inverse
// costs n³); the others rank below every item that takes part. Fitting
// is deterministic.
type EASE struct {
	Lambda float64 // λ (0: 200)
	MinPop int     // training positives an item needs to take part (0: 10, or 1 when fewer than 2 items have 10)

	s     *Split
	index []int // item → row of B, or −1
	items []int // row → item
	b     []float64
}

// Fit computes B from the training positives.
func (m *EASE) Fit(ctx context.Context, s *Split) error {
	if s.NumTrain() == 0 {
		return ErrNoData
	}
	lambda, minPop := m.Lambda, m.MinPop
	if lambda <= 0 {
		lambda = 200
	}
	if minPop <= 0 {
		minPop = 10
		n := 0
		for _, p := range s.Pop {
			if p >= minPop {
				n++
			}
		}
		if n < 2 {
			minPop = 1
		}
	}
	return m.fit(ctx, s, lambda, minPop)
}

func (m *EASE) fit(ctx context.Context, s *Split, lambda float64, minPop int) error {
	m.s = s
	m.index = make([]int, s.NumItems())
	m.items = m.items[:0]
	for i, n := range s.Pop {
		m.index[i] = -1
		if n >= minPop {
			m.index[i] = len(m.items)
			m.items = append(m.items, i)
		}
	}
	n := len(m.items)
	if n == 0 {
		return fmt.Errorf("recommend: ease: no item with %d training positives: %w", minPop, ErrNoData)
	}
	g := make([]float64, n*n)
	for _, tr := range s.Train {
		var rows []int
		for _, i := range tr {
			if r := m.index[i]; r >= 0 {
				rows = append(rows, r)
			}
		}
		for _, a := range rows {
			for _, b := range rows {
				g[a*n+b]++
			}
		}
	}
	for a := range n {
		g[a*n+a] += lambda
	}
	if err := invertSPD(ctx, g, n); err != nil {
		return err
	}
	for a := range n {
		for b := range n {
			if a != b {
				g[a*n+b] = -g[a*n+b] / g[b*n+b]
			}
		}
	}
	for a := range n {
		g[a*n+a] = 0
	}
	m.b = g
	return ctx.Err()
}

// scores returns Σ_{i∈train(u)} B_ij for every item j.
func (m *EASE) scores(u int) []float64 { return m.scoresFrom(m.s.Train[u]) }

// scoresFrom returns Σ_{i∈items} B_ij for every item j.
func (m *EASE) scoresFrom(items []int) []float64 {
	out := popTieBreak(m.s)
	for j := range out {
		if m.index[j] < 0 {
			out[j] -= 1e9 // below every item that takes part
		}
	}
	n := len(m.items)
	for _, i := range items {
		r := m.index[i]
		if r < 0 {
			continue
		}
		row := m.b[r*n : (r+1)*n]
		for c, v := range row {
			out[m.items[c]] += v
		}
	}
	return out
}

// Recommend returns the user's top k by Σ B_ij; the reason names the liked
// item i with the largest weight B_ij.
func (m *EASE) Recommend(u, k int) ([]Recommendation, error) {
	if err := checkUser(m.s, u, k); err != nil {
		return nil, err
	}
	return likedReasons(m.s, u, k, m.scores(u), m.because), nil
}

// because returns the user's liked item with the largest positive weight
// towards j.
func (m *EASE) because(u, j int) (int, bool) {
	c := m.index[j]
	if c < 0 {
		return -1, false
	}
	n := len(m.items)
	best, bestW := -1, 0.0
	for _, i := range m.s.Train[u] {
		if r := m.index[i]; r >= 0 && m.b[r*n+c] > bestW {
			best, bestW = i, m.b[r*n+c]
		}
	}
	return best, best >= 0
}

// invertSPD inverts the symmetric positive definite n×n matrix a in place
// by Gauss–Jordan elimination without pivoting (stable for such matrices),
// the row updates of each pivot in parallel.
func invertSPD(ctx context.Context, a []float64, n int) error {
	for k := range n {
		if err := ctx.Err(); err != nil {
			return err
		}
		rk := a[k*n : (k+1)*n]
		p := rk[k]
		if p <= 0 {
			return fmt.Errorf("recommend: ease: matrix not positive definite at row %d", k)
		}
		inv := 1 / p
		for c := range rk {
			rk[c] *= inv
		}
		rk[k] = inv
		parallelFor(ctx, n, func(i int) {
			if i == k {
				return
			}
			ri := a[i*n : (i+1)*n]
			f := ri[k]
			if f == 0 {
				return
			}
			ri[k] = 0
			for c, v := range rk {
				ri[c] -= f * v
			}
		})
	}
	return nil
}
