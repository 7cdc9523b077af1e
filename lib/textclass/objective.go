package textclass

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// design is the data side of the objective: n examples whose scores x_i·w_r
// (without intercepts) and gradient contributions Σ_i d_ir x_i it computes
// for a block of consecutive examples. Dense and sparse features implement
// it; the loss, the softmax and the parallel loop are shared.
type design interface {
	// paddedRows is the number of rows the blocks cover: n, or more when
	// the layout pads rows (padding rows have weight 0). Blocks start at
	// multiples of blockRows.
	paddedRows() int
	// ld is the row stride of the score and residual buffers (≥ rows).
	ld() int
	// gradLen is the length of a chunk's gradient buffer.
	gradLen() int
	// pack prepares the weights of θ (row r: dim weights, then the
	// intercept) for scores; it runs before each parallel pass.
	pack(theta []float64)
	// scores sets z[(i−lo)·ld + r] = x_i·w_r for lo ≤ i < hi, r < rows;
	// columns rows…ld−1 must come out 0.
	scores(lo, hi int, z []float64)
	// accumulate adds Σ_{lo≤i<hi} d[(i−lo)·ld + r]·x_i to the gradient
	// buffer g (in the design's layout).
	accumulate(lo, hi int, d, g []float64)
	// unpack adds the weight part of g to grad (θ's layout).
	unpack(g, grad []float64)
}

// blockRows is the number of examples per work item: a block's scores and
// residuals (blockRows × ld values, 86 KB for 77 classes) stay in the L2
// cache from the scores to the gradient product. Measured on 10,003 × 384
// embeddings, 32 to 256 rows perform alike.
const blockRows = 128

// objective is scikit-learn's L2-regularised logistic-regression objective
//
//	f(θ) = Σ_i s_i·ℓ_i(θ) / S + λ·‖W‖²/2,   λ = 1/(C·S),  S = Σ_i s_i,
//
// with s_i the weight of example i's class (1 without class weights) and ℓ_i
// the log-loss of example i. It evaluates f and ∇f over blocks of examples
// on several goroutines. The blocks are grouped into a fixed number of
// chunks, each summed in order into its own buffers, and the chunks are
// added in order, so the result does not depend on the number of goroutines
// or their timing: fits are reproducible.
type objective struct {
	data    design
	rows    int       // 1 (binary, sigmoid) or K (softmax)
	dim     int       // features
	y       []int     // labels, one per padded row
	sw      []float64 // s_i / S, one per padded row (0 for padding)
	lambda  float64   // 1/(C·S)
	blocks  int       // blocks of blockRows examples
	workers int

	z         [][]float64 // per-worker scores and residuals
	g, gb     [][]float64 // per-chunk weight and intercept gradients
	chunkLoss []float64
}

// maxChunks bounds the number of chunks (and gradient buffers), and
// chunkBudget their total size in float64s, except that there are always
// two chunks when there are two blocks (so that two cores can work).
const (
	maxChunks   = 8
	chunkBudget = 1 << 22
)

func newObjective(data design, rows, dim int, y []int, classWeight []float64, c float64) *objective {
	np := data.paddedRows()
	o := &objective{data: data, rows: rows, dim: dim, y: make([]int, np), sw: make([]float64, np)}
	copy(o.y, y)
	s := 0.0
	for i, v := range y {
		w := 1.0
		if classWeight != nil {
			w = classWeight[v]
		}
		o.sw[i] = w
		s += w
	}
	for i := range o.sw {
		o.sw[i] /= s
	}
	o.lambda = 1 / (c * s)
	o.blocks = (np + blockRows - 1) / blockRows
	chunks := max(1, min(o.blocks, max(2, min(maxChunks, chunkBudget/max(1, data.gradLen())))))
	o.workers = max(1, min(runtime.GOMAXPROCS(0), chunks))
	o.z = make([][]float64, o.workers)
	for w := range o.z {
		o.z[w] = make([]float64, blockRows*data.ld())
	}
	o.g, o.gb = make([][]float64, chunks), make([][]float64, chunks)
	for k := range chunks {
		o.g[k] = make([]float64, data.gradLen())
		o.gb[k] = make([]float64, rows)
	}
	o.chunkLoss = make([]float64, chunks)
	return o
}

// eval returns f(θ) and writes ∇f(θ) to grad.
func (o *objective) eval(theta, grad []float64) float64 {
	o.data.pack(theta)
	np := o.data.paddedRows()
	stride := o.dim + 1
	ld := o.data.ld()
	chunks := len(o.g)
	intercepts := make([]float64, o.rows)
	for r := range intercepts {
		intercepts[r] = theta[r*stride+o.dim]
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range o.workers {
		wg.Go(func() {
			z := o.z[w]
			for {
				k := int(next.Add(1)) - 1
				if k >= chunks {
					return
				}
				g, gb := o.g[k], o.gb[k]
				clear(g)
				clear(gb)
				sum := 0.0
				for blk := k * o.blocks / chunks; blk < (k+1)*o.blocks/chunks; blk++ {
					lo, hi := blk*blockRows, min((blk+1)*blockRows, np)
					zb := z[:(hi-lo)*ld]
					o.data.scores(lo, hi, zb)
					for i := lo; i < hi; i++ {
						sum += o.residual(intercepts, i, zb[(i-lo)*ld:(i-lo)*ld+o.rows], gb)
					}
					o.data.accumulate(lo, hi, zb, g)
				}
				o.chunkLoss[k] = sum
			}
		})
	}
	wg.Wait()
	// Add the chunks in order into chunk 0, then move the sum into θ's
	// layout once.
	f := o.chunkLoss[0]
	g0, gb0 := o.g[0], o.gb[0]
	for k := 1; k < chunks; k++ {
		f += o.chunkLoss[k]
		addTo(g0, o.g[k])
		addTo(gb0, o.gb[k])
	}
	clear(grad)
	o.data.unpack(g0, grad)
	for r, v := range gb0 {
		grad[r*stride+o.dim] += v
	}
	for r := range o.rows {
		wr := theta[r*stride : r*stride+o.dim]
		gr := grad[r*stride : r*stride+o.dim]
		for j, v := range wr {
			f += o.lambda / 2 * v * v
			gr[j] += o.lambda * v
		}
	}
	return f
}

// residual adds the intercepts b to the scores z of example i, returns its
// weighted loss s_i·ℓ_i/S and replaces z by ∂(s_i·ℓ_i/S)/∂z (adding it to
// the intercept gradient gb as well).
func (o *objective) residual(b []float64, i int, z, gb []float64) float64 {
	sw := o.sw[i]
	if sw == 0 {
		clear(z)
		return 0
	}
	if o.rows == 1 {
		// −log σ(±z) and its derivative σ(z) − t.
		v := z[0] + b[0]
		t := float64(o.y[i])
		d := sw * (sigmoid(v) - t)
		z[0] = d
		gb[0] += d
		return sw * (softplus(v) - t*v)
	}
	b = b[:len(z)]
	m, total := math.Inf(-1), 0.0
	for r, v := range z {
		v += b[r]
		z[r] = v
		total += v
		if v > m {
			m = v
		}
	}
	if math.IsNaN(total) || math.IsInf(total, 0) {
		// Scores overflowed (a wild line-search trial): the loss is
		// undefined and the step will be rejected.
		return math.NaN()
	}
	zy := z[o.y[i]]
	s := expShift(z, m)
	scale := sw / s
	gb = gb[:len(z)]
	for r := range z {
		z[r] *= scale
		gb[r] += z[r]
	}
	z[o.y[i]] -= sw
	gb[o.y[i]] -= sw
	return sw * (m + math.Log(s) - zy)
}

// addTo adds src to dst element-wise.
func addTo(dst, src []float64) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] += v
	}
}
