package persona

import (
	"fmt"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"

	"github.com/founderlab/founderlab/lib/backend"
)

// graphChunkElems bounds the size of the chunk×K distance block of one
// graph execution.
const graphChunkElems = 1 << 22

// graphEngine runs Lloyd's assignment step as a GoMLX graph over row
// chunks of X, which are uploaded once as tensors. Per chunk the graph
// computes the distances ||μ||² − 2x·μ (m × K), their argmin (labels), the
// one-hot matrix of the labels and from it the per-cluster sums (Kᵀ·X) and
// counts; the host adds up the chunks' K × D results.
type graphEngine struct {
	backend backends.Backend
	exec    *graph.Exec
	chunks  []*tensors.Tensor
	bounds  [][2]int
	k, d    int
	cfg     string
}

// newGraphEngine uploads X in chunks of chunkRows rows (0: as many as keep
// the chunk×K block within graphChunkElems).
func newGraphEngine(X Matrix, k int, b backends.Backend, chunkRows int) (lloydEngine, error) {
	cfg := ""
	if b == nil {
		c, err := backend.New()
		if err != nil {
			return nil, fmt.Errorf("persona: k-means: %w", err)
		}
		b, cfg = c.Backend, c.Config
	} else {
		cfg = b.Name()
	}
	exec, err := graph.NewExec(b, lloydGraph)
	if err != nil {
		return nil, fmt.Errorf("persona: k-means: %w", err)
	}
	e := &graphEngine{backend: b, exec: exec, k: k, d: X.Cols, cfg: cfg}
	rows := chunkRows
	if rows <= 0 {
		rows = max(1, min(X.Rows, graphChunkElems/max(k, X.Cols)))
	}
	for lo := 0; lo < X.Rows; lo += rows {
		hi := min(lo+rows, X.Rows)
		t := tensors.FromFlatDataAndDimensions(append([]float64(nil), X.Data[lo*X.Cols:hi*X.Cols]...), hi-lo, X.Cols)
		e.chunks = append(e.chunks, t)
		e.bounds = append(e.bounds, [2]int{lo, hi})
	}
	return e, nil
}

// lloydGraph is one assignment step for a chunk x (m × D) and centroids c
// (K × D): it returns the labels (m, int32), the per-cluster sums (K × D)
// and the counts (K).
func lloydGraph(x, c *graph.Node) (labels, sums, counts *graph.Node) {
	k := c.Shape().Dimensions[0]
	cn := graph.ReduceSum(graph.Square(c), 1)                            // K
	dots := graph.Einsum("md,kd->mk", x, c)                              // m × K
	dist := graph.Sub(graph.ExpandAxes(cn, 0), graph.MulScalar(dots, 2)) // ||x−μ||² − ||x||²
	labels = graph.ArgMin(dist, 1)                                       // m
	onehot := graph.OneHot(labels, k, x.DType())                         // m × K
	sums = graph.Einsum("mk,md->kd", onehot, x)                          // K × D
	counts = graph.ReduceSum(onehot, 0)                                  // K
	return labels, sums, counts
}

func (e *graphEngine) name() string { return "gomlx:" + e.cfg }

func (e *graphEngine) close() {
	for _, t := range e.chunks {
		t.FinalizeAll()
	}
	e.exec.Finalize()
}

func (e *graphEngine) step(C Matrix, labels, prev []int, update bool) (sums []float64, counts []int, changed int, err error) {
	ct := tensors.FromFlatDataAndDimensions(append([]float64(nil), C.Data...), C.Rows, C.Cols)
	defer ct.FinalizeAll()
	sums = make([]float64, e.k*e.d)
	fcounts := make([]float64, e.k)
	for ci, xt := range e.chunks {
		lo := e.bounds[ci][0]
		out, err := e.exec.Exec(xt, ct)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("persona: k-means (gomlx): %w", err)
		}
		lab, err := tensors.CopyFlatData[int32](out[0])
		if err != nil {
			return nil, nil, 0, fmt.Errorf("persona: k-means (gomlx): %w", err)
		}
		for i, l := range lab {
			if prev != nil && prev[lo+i] != int(l) {
				changed++
			}
			labels[lo+i] = int(l)
		}
		if update {
			s, err := tensors.CopyFlatData[float64](out[1])
			if err != nil {
				return nil, nil, 0, fmt.Errorf("persona: k-means (gomlx): %w", err)
			}
			cnt, err := tensors.CopyFlatData[float64](out[2])
			if err != nil {
				return nil, nil, 0, fmt.Errorf("persona: k-means (gomlx): %w", err)
			}
			addToGo(sums, s)
			addToGo(fcounts, cnt)
		}
		for _, t := range out {
			t.FinalizeAll()
		}
	}
	counts = make([]int, e.k)
	for j, v := range fcounts {
		counts[j] = int(v + 0.5)
	}
	return sums, counts, changed, nil
}
