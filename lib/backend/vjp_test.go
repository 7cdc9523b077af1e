package backend

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

func simpleGo(t *testing.T) backends.Backend {
	t.Helper()
	b, err := create(SimpleGoConfig)
	if err != nil {
		t.Fatalf("SimpleGo: %v", err)
	}
	return b
}

// dgCase is a DotGeneral (or Dot when dot is set) on random operands.
type dgCase struct {
	name           string
	lhsDims        []int
	lc, lb         []int
	rhsDims        []int
	rc, rb         []int
	dot            bool // use graph.Dot instead of DotGeneral
	wantOutputDims []int
}

var dgCases = []dgCase{
	{name: "matmul", lhsDims: []int{3, 4}, lc: []int{1}, rhsDims: []int{4, 5}, rc: []int{0}, wantOutputDims: []int{3, 5}},
	{name: "transposed", lhsDims: []int{4, 3}, lc: []int{0}, rhsDims: []int{5, 4}, rc: []int{1}, wantOutputDims: []int{3, 5}},
	{name: "attention-scores", lhsDims: []int{2, 3, 4, 5}, lc: []int{3}, lb: []int{0, 1}, rhsDims: []int{2, 3, 6, 5}, rc: []int{3}, rb: []int{0, 1}, wantOutputDims: []int{2, 3, 4, 6}},
	{name: "two-contracting-unordered", lhsDims: []int{2, 3, 4}, lc: []int{2, 0}, rhsDims: []int{4, 5, 2}, rc: []int{0, 2}, wantOutputDims: []int{3, 5}},
	{name: "batch-not-leading", lhsDims: []int{3, 2, 4}, lc: []int{2}, lb: []int{1}, rhsDims: []int{4, 2, 5}, rc: []int{0}, rb: []int{1}, wantOutputDims: []int{2, 3, 5}},
	{name: "outer-product", lhsDims: []int{3}, rhsDims: []int{4}, wantOutputDims: []int{3, 4}},
	{name: "dense-layer-rank3", lhsDims: []int{2, 3, 4}, lc: []int{2}, rhsDims: []int{4, 5}, rc: []int{0}, wantOutputDims: []int{2, 3, 5}},
	{name: "dot-vec-vec", lhsDims: []int{4}, rhsDims: []int{4}, dot: true, wantOutputDims: []int{}},
	{name: "dot-mat-vec", lhsDims: []int{3, 4}, rhsDims: []int{4}, dot: true, wantOutputDims: []int{3}},
	{name: "dot-mat-mat", lhsDims: []int{3, 4}, rhsDims: []int{4, 5}, dot: true, wantOutputDims: []int{3, 5}},
}

func size(dims []int) int {
	n := 1
	for _, d := range dims {
		n *= d
	}
	return n
}

func randSlice(r *rand.Rand, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = r.NormFloat64()
	}
	return out
}

// build returns loss = Σ out ⊙ w, where out is the case's product: the
// adjoint arriving at the product is w, which is not uniform.
func (c dgCase) loss(lhs, rhs, w *graph.Node) *graph.Node {
	var out *graph.Node
	if c.dot {
		out = graph.Dot(lhs, rhs)
	} else {
		out = graph.DotGeneral(lhs, c.lc, c.lb, rhs, c.rc, c.rb)
	}
	return graph.ReduceAllSum(graph.Mul(out, w))
}

// gradients evaluates loss and its gradients wrt lhs and rhs with the
// current VJP registration.
func (c dgCase) gradients(t *testing.T, b backends.Backend, lhs, rhs, w []float64) (loss float64, dl, dr []float64) {
	t.Helper()
	exec, err := graph.NewExec(b, func(l, r, w *graph.Node) (*graph.Node, *graph.Node, *graph.Node) {
		loss := c.loss(l, r, w)
		g := graph.Gradient(loss, l, r)
		return loss, g[0], g[1]
	})
	if err != nil {
		t.Fatal(err)
	}
	outs, err := exec.Exec(
		tensors.FromFlatDataAndDimensions(lhs, c.lhsDims...),
		tensors.FromFlatDataAndDimensions(rhs, c.rhsDims...),
		tensors.FromFlatDataAndDimensions(w, c.wantOutputDims...))
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	return tensors.MustCopyFlatData[float64](outs[0])[0], tensors.MustCopyFlatData[float64](outs[1]), tensors.MustCopyFlatData[float64](outs[2])
}

// withRegistration runs f with the given VJPs registered for Dot and
// DotGeneral, restoring the previous ones afterwards.
func withRegistration(dot, dotGeneral graph.VJP, f func()) {
	savedDot, savedDG := graph.VJPRegistration[graph.NodeTypeDot], graph.VJPRegistration[graph.NodeTypeDotGeneral]
	defer func() {
		graph.VJPRegistration[graph.NodeTypeDot], graph.VJPRegistration[graph.NodeTypeDotGeneral] = savedDot, savedDG
	}()
	graph.VJPRegistration[graph.NodeTypeDot], graph.VJPRegistration[graph.NodeTypeDotGeneral] = dot, dotGeneral
	f()
}

func TestDotGeneralVJP(t *testing.T) {
	b := simpleGo(t)
	defer b.Finalize()
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range dgCases {
		t.Run(c.name, func(t *testing.T) {
			lhs := randSlice(r, size(c.lhsDims))
			rhs := randSlice(r, size(c.rhsDims))
			w := randSlice(r, size(c.wantOutputDims))

			var loss float64
			var dl, dr, wantL, wantR []float64
			// Ours.
			withRegistration(dotVJP, mustDotGeneralVJP(t), func() {
				loss, dl, dr = c.gradients(t, b, lhs, rhs, w)
			})
			// GoMLX's own VJPs, as registered before any override.
			withRegistration(gomlxDot, gomlxDotGeneral, func() {
				_, wantL, wantR = c.gradients(t, b, lhs, rhs, w)
			})
			assertClose(t, "lhs vs GoMLX", dl, wantL, 1e-10)
			assertClose(t, "rhs vs GoMLX", dr, wantR, 1e-10)

			// Central finite differences of the loss in float64.
			const h = 1e-5
			fd := func(x []float64, isLHS bool) []float64 {
				out := make([]float64, len(x))
				for i := range x {
					orig := x[i]
					x[i] = orig + h
					var up, down float64
					withRegistration(dotVJP, mustDotGeneralVJP(t), func() {
						if isLHS {
							up, _, _ = c.gradients(t, b, x, rhs, w)
						} else {
							up, _, _ = c.gradients(t, b, lhs, x, w)
						}
						x[i] = orig - h
						if isLHS {
							down, _, _ = c.gradients(t, b, x, rhs, w)
						} else {
							down, _, _ = c.gradients(t, b, lhs, x, w)
						}
					})
					x[i] = orig
					out[i] = (up - down) / (2 * h)
				}
				return out
			}
			assertClose(t, "lhs vs finite differences", dl, fd(lhs, true), 1e-6)
			assertClose(t, "rhs vs finite differences", dr, fd(rhs, false), 1e-6)
			if math.IsNaN(loss) {
				t.Fatalf("loss is NaN")
			}
		})
	}
}

// gomlxDot and gomlxDotGeneral are GoMLX's registered VJPs, captured before
// any test installs the override.
var gomlxDot, gomlxDotGeneral = graph.VJPRegistration[graph.NodeTypeDot], graph.VJPRegistration[graph.NodeTypeDotGeneral]

func mustDotGeneralVJP(t *testing.T) graph.VJP {
	return func(node *graph.Node, v []*graph.Node, _ shapes.Shape) []*graph.Node {
		grads, err := dotGeneralVJP(node, v)
		if err != nil {
			t.Fatalf("dotGeneralVJP: %v", err)
		}
		return grads
	}
}

func assertClose(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if d := math.Abs(got[i] - want[i]); d > tol*(1+math.Abs(want[i])) {
			t.Fatalf("%s: [%d] = %.10g, want %.10g (diff %.3g)", what, i, got[i], want[i], d)
		}
	}
}

// TestDotGeneralVJPNoLargeIntermediates checks the property that makes the
// override fast: the gradient graph of a batched matrix product has no node
// larger than the largest operand, whereas GoMLX's VJP builds one of size
// batch·m·n·k.
func TestDotGeneralVJPNoLargeIntermediates(t *testing.T) {
	b := simpleGo(t)
	defer b.Finalize()
	const batch, m, k, n = 4, 16, 32, 24
	largest := func(dg graph.VJP) int {
		var maxSize int
		withRegistration(dotVJP, dg, func() {
			g := graph.NewGraph(b, "probe")
			l := graph.Parameter(g, "l", shapesF64(batch, m, k))
			r := graph.Parameter(g, "r", shapesF64(batch, k, n))
			out := graph.DotGeneral(l, []int{2}, []int{0}, r, []int{1}, []int{0})
			loss := graph.ReduceAllSum(graph.Mul(out, out))
			graph.Gradient(loss, l, r)
			for _, node := range g.Nodes() {
				if s := node.Shape().Size(); s > maxSize {
					maxSize = s
				}
			}
			g.Finalize()
		})
		return maxSize
	}
	ours, theirs := largest(mustDotGeneralVJP(t)), largest(gomlxDotGeneral)
	if limit := batch * max(m*k, k*n, m*n); ours > limit {
		t.Errorf("override builds a node of %d elements, want ≤ %d", ours, limit)
	}
	if theirs < batch*m*n*k {
		t.Logf("GoMLX's VJP no longer materialises the broadcast (largest node %d)", theirs)
	}
}

func shapesF64(dims ...int) shapes.Shape { return shapes.Make(dtypes.Float64, dims...) }

func TestInstallTrainingFixes(t *testing.T) {
	if err := InstallTrainingFixes(); err != nil {
		t.Fatal(err)
	}
	if err := InstallTrainingFixes(); err != nil { // idempotent
		t.Fatal(err)
	}
	reg := map[graph.NodeType]graph.VJP{graph.NodeTypeDot: gomlxDot, graph.NodeTypeDotGeneral: gomlxDotGeneral}
	if err := installInto(reg); err != nil {
		t.Fatal(err)
	}
	for _, nt := range []graph.NodeType{graph.NodeTypeDot, graph.NodeTypeDotGeneral} {
		if reflect.ValueOf(reg[nt]).Pointer() == reflect.ValueOf(graph.VJP(nil)).Pointer() {
			t.Errorf("%s: no VJP after install", nt)
		}
	}
	if reflect.ValueOf(reg[graph.NodeTypeDot]).Pointer() == reflect.ValueOf(gomlxDot).Pointer() {
		t.Error("Dot VJP was not replaced")
	}
	// The installed DotGeneral VJP gives GoMLX's gradients.
	b := simpleGo(t)
	defer b.Finalize()
	c := dgCases[2]
	r := rand.New(rand.NewPCG(3, 4))
	lhs, rhs, w := randSlice(r, size(c.lhsDims)), randSlice(r, size(c.rhsDims)), randSlice(r, size(c.wantOutputDims))
	var dl, wantL []float64
	withRegistration(reg[graph.NodeTypeDot], reg[graph.NodeTypeDotGeneral], func() { _, dl, _ = c.gradients(t, b, lhs, rhs, w) })
	withRegistration(gomlxDot, gomlxDotGeneral, func() { _, wantL, _ = c.gradients(t, b, lhs, rhs, w) })
	assertClose(t, "installed lhs gradient", dl, wantL, 1e-10)
}

// TestRsqrtVJP checks the added Rsqrt gradient against −½x^(−3/2).
func TestRsqrtVJP(t *testing.T) {
	b := simpleGo(t)
	defer b.Finalize()
	reg := map[graph.NodeType]graph.VJP{}
	if err := installInto(reg); err != nil {
		t.Fatal(err)
	}
	saved, had := graph.VJPRegistration[graph.NodeTypeRsqrt]
	graph.VJPRegistration[graph.NodeTypeRsqrt] = reg[graph.NodeTypeRsqrt]
	defer func() {
		if had {
			graph.VJPRegistration[graph.NodeTypeRsqrt] = saved
		} else {
			delete(graph.VJPRegistration, graph.NodeTypeRsqrt)
		}
	}()
	exec, err := graph.NewExec(b, func(x *graph.Node) *graph.Node {
		return graph.Gradient(graph.ReduceAllSum(graph.Rsqrt(x)), x)[0]
	})
	if err != nil {
		t.Fatal(err)
	}
	xs := []float64{0.25, 1, 4, 9}
	got := tensors.MustCopyFlatData[float64](exec.MustExec(xs)[0])
	for i, x := range xs {
		if want := -0.5 * math.Pow(x, -1.5); math.Abs(got[i]-want) > 1e-12 {
			t.Errorf("d/dx rsqrt(%v) = %v, want %v", x, got[i], want)
		}
	}
}
