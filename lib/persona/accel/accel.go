// Package accel runs the Lloyd steps of persona's k-means as GoMLX graphs,
// on the backend lib/backend chooses: XLA on a GPU or TPU when its PJRT
// plugin is installed, XLA on the CPU, or the pure-Go SimpleGo backend.
//
// It is a package of its own so that programs clustering on the CPU (every
// notebook cell that imports package persona) do not link GoMLX and XLA:
// a notebook cell links in about a second instead of several. Ask for it
// where it is wanted:
//
//	m, err := persona.KMeans{K: 4, Engine: persona.EngineGoMLX, Accelerator: accel.New(nil)}.Fit(ctx, X)
//
// With [persona.EngineAuto] the accelerator is used only when
// [Accelerator.Accelerated] reports an accelerator backend: on CPUs, XLA
// included, persona's blocked CPU kernel is faster than a Lloyd step built
// as a graph.
//
// Per chunk of rows the graph computes the distances ||μ||² − 2x·μ (m × K),
// their argmin (labels), the one-hot matrix of the labels and from it the
// per-cluster sums (Kᵀ·X) and counts; the host adds up the chunks' K × D
// results in float64, so the iterations are those of the CPU engine.
package accel

import (
	"fmt"
	"os"
	"strings"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"

	"github.com/founderlab/founderlab/lib/backend"
	"github.com/founderlab/founderlab/lib/persona"
)

// graphChunkElems bounds the size of the chunk×K distance block of one
// graph execution.
const graphChunkElems = 1 << 22

// Accelerator is a [persona.Accelerator] running Lloyd steps as GoMLX
// graphs.
type Accelerator struct {
	backend   backends.Backend
	chunkRows int // 0: as many as keep the chunk×K block within graphChunkElems
}

// New returns an accelerator on the GoMLX backend b; nil means the backend
// lib/backend chooses, created when a fit starts.
func New(b backends.Backend) *Accelerator { return &Accelerator{backend: b} }

// Accelerated reports whether GoMLX runs on an accelerator: an XLA plugin
// other than the CPU one, named by $GOMLX_BACKEND or, when that is unset,
// installed. (SimpleGo and XLA on the CPU are not accelerators.)
func (a *Accelerator) Accelerated() bool { return accelerated() }

// accelerated implements Accelerated.
func accelerated() bool {
	if cfg := strings.TrimSpace(os.Getenv(backend.EnvBackend)); cfg != "" {
		name, plugin, _ := strings.Cut(cfg, ":")
		if name == "go" {
			return false
		}
		if plugin != "" {
			return !strings.HasPrefix(plugin, "cpu")
		}
	}
	for _, p := range backend.XLAPlugins() {
		if p != "cpu" {
			return true
		}
	}
	return false
}

// step is Lloyd's assignment step of one fit: X uploaded once, in chunks
// of rows, as tensors.
type step struct {
	exec   *graph.Exec
	chunks []*tensors.Tensor
	bounds [][2]int
	k, d   int
	cfg    string
}

// Lloyd uploads X in chunks of rows and compiles the step for k centroids.
func (a *Accelerator) Lloyd(X persona.Matrix, k int) (persona.LloydStep, error) {
	b, cfg := a.backend, ""
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
	e := &step{exec: exec, k: k, d: X.Cols, cfg: cfg}
	rows := a.chunkRows
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

// Name says where the steps run: "gomlx:" and the backend.
func (e *step) Name() string { return "gomlx:" + e.cfg }

// Close frees the uploaded rows and the compiled graph.
func (e *step) Close() {
	for _, t := range e.chunks {
		t.FinalizeAll()
	}
	e.exec.Finalize()
}

// Step runs the graph over every chunk (see [persona.LloydStep]).
func (e *step) Step(C persona.Matrix, labels, prev []int, update bool) (sums []float64, counts []int, changed int, err error) {
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
			add(sums, s)
			add(fcounts, cnt)
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

// add adds src to dst element by element.
func add(dst, src []float64) {
	for i, v := range src {
		dst[i] += v
	}
}
