package persona

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// cpuLloyd runs the assignment and update steps of Lloyd's algorithm on the
// CPU. Rows are handed out in blocks of blockRows to the workers; each
// worker keeps its own per-cluster sums and counts (K·D values), so memory
// beyond X is O(workers·K·D).
type cpuLloyd struct {
	X       Matrix
	k       int
	kp      int // k rounded up to a multiple of 8
	workers int
	// portable forces the pure-Go kernels (tests compare them with the
	// assembly ones end to end).
	portable bool

	ct []float64 // −2·Cᵀ, d × kp
	cn []float64 // ||c_j||², kp

	parts []cpuPart
}

// cpuPart is one worker's accumulators.
type cpuPart struct {
	sums    []float64 // k × d
	counts  []int
	changed int
	buf     []float64 // 4 × kp distances
}

const blockRows = 2048

func newCPULloyd(X Matrix, k, workers int) *cpuLloyd {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if nb := (X.Rows + blockRows - 1) / blockRows; workers > nb {
		workers = nb
	}
	kp := (k + 7) &^ 7
	c := &cpuLloyd{X: X, k: k, kp: kp, workers: workers,
		ct: make([]float64, X.Cols*kp), cn: make([]float64, kp), parts: make([]cpuPart, workers)}
	for w := range c.parts {
		c.parts[w] = cpuPart{sums: make([]float64, k*X.Cols), counts: make([]int, k), buf: make([]float64, 4*kp)}
	}
	return c
}

// setCentroids loads C (k × d) into the kernel's layout.
func (c *cpuLloyd) setCentroids(C Matrix) {
	kp := c.kp
	clear(c.ct)
	clear(c.cn)
	for j := 0; j < c.k; j++ {
		row := C.Row(j)
		var s float64
		for t, v := range row {
			c.ct[t*kp+j] = -2 * v
			s += v * v
		}
		c.cn[j] = s
	}
	for j := c.k; j < kp; j++ {
		c.cn[j] = math.Inf(1) // padding columns never win the argmin
	}
}

// step assigns every row to its nearest centroid of C, writing labels, and
// when update is set accumulates per-cluster sums and counts. prev, when
// non-nil, holds the previous labels; step returns how many changed.
func (c *cpuLloyd) step(C Matrix, labels, prev []int, update bool) (sums []float64, counts []int, changed int) {
	c.setCentroids(C)
	n, d, kp := c.X.Rows, c.X.Cols, c.kp
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range c.parts {
		p := &c.parts[w]
		clear(p.sums)
		clear(p.counts)
		p.changed = 0
		wg.Add(1)
		go func() {
			defer wg.Done()
			X := c.X.Data
			for {
				lo := int(next.Add(blockRows)) - blockRows
				if lo >= n {
					return
				}
				hi := min(lo+blockRows, n)
				var idx [4]int
				for i := lo; i < hi; i += 4 {
					m := min(4, hi-i)
					x0 := X[i*d : i*d+d]
					x1, x2, x3 := x0, x0, x0
					if m == 4 {
						x1, x2, x3 = X[(i+1)*d:(i+2)*d], X[(i+2)*d:(i+3)*d], X[(i+3)*d:(i+4)*d]
					} else {
						if m > 1 {
							x1 = X[(i+1)*d : (i+2)*d]
							x2, x3 = x1, x1
						}
						if m > 2 {
							x2 = X[(i+2)*d : (i+3)*d]
							x3 = x2
						}
					}
					if c.portable {
						distBlock4Go(x0, x1, x2, x3, c.ct, c.cn, d, kp, p.buf)
						argmin4Go(p.buf, kp, &idx)
					} else {
						distBlock4(x0, x1, x2, x3, c.ct, c.cn, d, kp, p.buf)
						argmin4(p.buf, kp, &idx)
					}
					for r := 0; r < m; r++ {
						best := idx[r]
						if prev != nil && prev[i+r] != best {
							p.changed++
						}
						labels[i+r] = best
						if update {
							p.counts[best]++
							if c.portable {
								addToGo(p.sums[best*d:best*d+d], X[(i+r)*d:(i+r+1)*d])
							} else {
								addTo(p.sums[best*d:best*d+d], X[(i+r)*d:(i+r+1)*d])
							}
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	sums, counts = c.parts[0].sums, c.parts[0].counts
	changed = c.parts[0].changed
	for w := 1; w < len(c.parts); w++ {
		addToGo(sums, c.parts[w].sums)
		for j, v := range c.parts[w].counts {
			counts[j] += v
		}
		changed += c.parts[w].changed
	}
	return sums, counts, changed
}

// rowDist writes ||x_i − C_{labels[i]}||² into dist for every row, exactly
// (summing squared differences in float64), and returns their sum.
func rowDist(X, C Matrix, labels []int, dist []float64, workers int) float64 {
	n, d := X.Rows, X.Cols
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, (n+blockRows-1)/blockRows))
	partial := make([]float64, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var total float64
			for {
				lo := int(next.Add(blockRows)) - blockRows
				if lo >= n {
					break
				}
				hi := min(lo+blockRows, n)
				for i := lo; i < hi; i++ {
					x := X.Data[i*d : i*d+d]
					cj := C.Data[labels[i]*d : labels[i]*d+d]
					var s float64
					for t, v := range x {
						e := v - cj[t]
						s += e * e
					}
					if dist != nil {
						dist[i] = s
					}
					total += s
				}
			}
			partial[w] = total
		}()
	}
	wg.Wait()
	var s float64
	for _, v := range partial {
		s += v
	}
	return s
}

// nearest returns, for every row, the index of the nearest centroid by
// exact squared distance (no expansion), for small inputs and tests.
func nearest(X, C Matrix) []int {
	out := make([]int, X.Rows)
	for i := 0; i < X.Rows; i++ {
		x := X.Row(i)
		best, bv := 0, math.Inf(1)
		for j := 0; j < C.Rows; j++ {
			c := C.Row(j)
			var s float64
			for t, v := range x {
				e := v - c[t]
				s += e * e
			}
			if s < bv {
				best, bv = j, s
			}
		}
		out[i] = best
	}
	return out
}
