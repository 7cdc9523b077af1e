package backend

// Training fixes: gradients of Dot and DotGeneral computed as DotGeneral.
//
// For out = DotGeneral(lhs, lc, lb, rhs, rc, rb) the output axes are
// [batch..., lhsCross..., rhsCross...], where lhsCross are the lhs axes that
// are neither contracted nor batch (in increasing order), and likewise for
// rhs. Given the adjoint v = ∂L/∂out (same shape as out), the chain rule gives
//
//	∂L/∂lhs[b, i, k] = Σ_j v[b, i, j] · rhs[b, j, k]   (contract v's rhsCross with rhsCross)
//	∂L/∂rhs[b, j, k] = Σ_i v[b, i, j] · lhs[b, i, k]   (contract v's lhsCross with lhsCross)
//
// with k running over the contracted axes. Each is one DotGeneral followed by
// a transpose that puts the axes back in the operand's order. GoMLX v0.26's
// registered VJP instead multiplies a broadcast of v by a broadcast of the
// other operand and reduces, which materialises a tensor of size
// batch·lhsCross·rhsCross·contracted: for BERT that is gigabytes per step
// and makes SimpleGo training several times slower.
//
// The DotGeneral axes are private fields of GoMLX's node; they are read with
// reflection (read-only). If the layout ever changes, the override falls
// back to GoMLX's own VJP for DotGeneral.

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"sync"

	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

var (
	installOnce sync.Once
	installErr  error
)

// InstallTrainingFixes replaces GoMLX's gradients (graph.VJPRegistration) for
// Dot and DotGeneral with DotGeneral-based ones that never materialise the
// large broadcast of GoMLX v0.26's versions, and adds the missing gradient of
// Rsqrt (1/√x, used by LayerNorm). The result is the same to
// floating-point rounding; training BERT on SimpleGo becomes several times
// faster and uses far less memory.
//
// It is safe to call many times and from many goroutines: the registration
// is changed once, on the first call. Call it before building any gradient
// graph; [New] calls it. It returns an error (and changes nothing) only if
// this GoMLX version stores DotGeneral's axes in an unexpected way.
func InstallTrainingFixes() error {
	installOnce.Do(func() {
		installErr = installInto(graph.VJPRegistration)
	})
	return installErr
}

// installInto registers the DotGeneral-based VJPs in reg.
func installInto(reg map[graph.NodeType]graph.VJP) error {
	if err := probeDotGeneralAxes(); err != nil {
		return fmt.Errorf("backend: DotGeneral VJP override not installed: %w", err)
	}
	orig := reg[graph.NodeTypeDotGeneral]
	reg[graph.NodeTypeDotGeneral] = func(node *graph.Node, v []*graph.Node, s shapes.Shape) []*graph.Node {
		grads, err := dotGeneralVJP(node, v)
		if err != nil && orig != nil {
			return orig(node, v, s) // Unexpected node layout: GoMLX's own gradient.
		} else if err != nil {
			panic(err)
		}
		return grads
	}
	reg[graph.NodeTypeDot] = dotVJP
	if _, ok := reg[graph.NodeTypeRsqrt]; !ok {
		reg[graph.NodeTypeRsqrt] = rsqrtVJP
	}
	return nil
}

// rsqrtVJP is the gradient of y = 1/√x, which GoMLX v0.26 lacks (LayerNorm
// uses Rsqrt): dy/dx = −½·x^(−3/2) = −½·y³.
func rsqrtVJP(node *graph.Node, v []*graph.Node, _ shapes.Shape) []*graph.Node {
	y := node
	return []*graph.Node{graph.Mul(v[0], graph.MulScalar(graph.Mul(y, graph.Mul(y, y)), -0.5))}
}

// dotGeneralVJP is the DotGeneral-based gradient of a DotGeneral node.
func dotGeneralVJP(node *graph.Node, v []*graph.Node) ([]*graph.Node, error) {
	ax, err := dotGeneralAxes(node)
	if err != nil {
		return nil, err
	}
	in := node.Inputs()
	return dotGeneralGrads(in[0], ax.lc, ax.lb, in[1], ax.rc, ax.rb, v[0]), nil
}

// dotVJP is the DotGeneral-based gradient of a Dot node (vector·vector,
// matrix·vector or matrix·matrix), with the signature of graph.VJP.
func dotVJP(node *graph.Node, v []*graph.Node, _ shapes.Shape) []*graph.Node {
	in := node.Inputs()
	lhs, rhs := in[0], in[1]
	if lhs.Rank() == 1 && rhs.Rank() == 1 {
		// Scalar output: the gradients are v·rhs and v·lhs.
		return []*graph.Node{graph.Mul(v[0], rhs), graph.Mul(v[0], lhs)}
	}
	if lhs.Rank() == 2 && rhs.Rank() == 1 {
		// out[i] = Σ_j lhs[i,j] rhs[j]: ∂lhs = v ⊗ rhs, ∂rhs = vᵀ·lhs.
		return []*graph.Node{
			graph.Mul(graph.InsertAxes(v[0], -1), graph.InsertAxes(rhs, 0)),
			graph.DotGeneral(v[0], []int{0}, nil, lhs, []int{0}, nil),
		}
	}
	if lhs.Rank() != 2 || rhs.Rank() != 2 {
		panic(fmt.Errorf("backend: Dot gradient: unsupported ranks %s · %s", lhs.Shape(), rhs.Shape()))
	}
	return dotGeneralGrads(lhs, []int{1}, nil, rhs, []int{0}, nil, v[0])
}

// crossAxes returns the axes of a rank-r operand that are neither contracted
// nor batch, in increasing order.
func crossAxes(rank int, contracting, batch []int) []int {
	var out []int
	for a := range rank {
		if !slices.Contains(contracting, a) && !slices.Contains(batch, a) {
			out = append(out, a)
		}
	}
	return out
}

// dotGeneralGrads returns ∂L/∂lhs and ∂L/∂rhs for out = DotGeneral(lhs, lc,
// lb, rhs, rc, rb) given v = ∂L/∂out.
func dotGeneralGrads(lhs *graph.Node, lc, lb []int, rhs *graph.Node, rc, rb []int, v *graph.Node) []*graph.Node {
	nb := len(lb)
	lCross := crossAxes(lhs.Rank(), lc, lb)
	rCross := crossAxes(rhs.Rank(), rc, rb)
	vBatch := iota(0, nb)
	vLCross := iota(nb, len(lCross))
	vRCross := iota(nb+len(lCross), len(rCross))
	return []*graph.Node{
		operandGrad(v, vBatch, vRCross, rhs, rb, rCross, lb, lCross, lc, rc, lhs.Rank()),
		operandGrad(v, vBatch, vLCross, lhs, lb, lCross, rb, rCross, rc, lc, rhs.Rank()),
	}
}

// operandGrad computes the gradient of one operand ("this") of a DotGeneral:
// it contracts v's axes vOther (the other operand's cross axes) with the
// other operand's cross axes otherCross, batching vBatch with otherBatch. The
// raw result has axes [batch..., this cross..., other's contracted axes in
// increasing order]; it is transposed into this operand's axis order, where
// other contracted axis otherContract[i] pairs with thisContract[i].
func operandGrad(v *graph.Node, vBatch, vOther []int, other *graph.Node, otherBatch, otherCross []int,
	thisBatch, thisCross, thisContract, otherContract []int, thisRank int) *graph.Node {
	raw := graph.DotGeneral(v, vOther, vBatch, other, otherCross, otherBatch)
	// Position in raw of each axis of "this" operand.
	pos := make([]int, thisRank)
	for i, a := range thisBatch {
		pos[a] = i
	}
	for i, a := range thisCross {
		pos[a] = len(thisBatch) + i
	}
	sortedOther := slices.Clone(otherContract)
	sort.Ints(sortedOther)
	for i, oa := range sortedOther {
		k := slices.Index(otherContract, oa)
		pos[thisContract[k]] = len(thisBatch) + len(thisCross) + i
	}
	identity := true
	for i, p := range pos {
		if i != p {
			identity = false
		}
	}
	if identity {
		return raw
	}
	return graph.TransposeAllAxes(raw, pos...)
}

func iota(start, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = start + i
	}
	return out
}

// dgAxes holds the axes of a DotGeneral node.
type dgAxes struct{ lc, lb, rc, rb []int }

// dotGeneralAxes reads the contracting and batch axes of a DotGeneral node.
func dotGeneralAxes(node *graph.Node) (dgAxes, error) {
	if node.Type() != graph.NodeTypeDotGeneral {
		return dgAxes{}, fmt.Errorf("node %s is not DotGeneral", node.Type())
	}
	nv := reflect.ValueOf(node).Elem().FieldByName("inputs")
	if !nv.IsValid() || nv.Kind() != reflect.Interface || nv.IsNil() {
		return dgAxes{}, fmt.Errorf("graph.Node has no inputs interface field")
	}
	p := nv.Elem()
	if p.Kind() == reflect.Pointer {
		p = p.Elem()
	}
	if p.Kind() != reflect.Struct {
		return dgAxes{}, fmt.Errorf("DotGeneral inputs are a %s, not a struct", p.Kind())
	}
	read := func(name string) ([]int, error) {
		f := p.FieldByName(name)
		if !f.IsValid() || f.Kind() != reflect.Slice || f.Type().Elem().Kind() != reflect.Int {
			return nil, fmt.Errorf("DotGeneral inputs have no []int field %q", name)
		}
		out := make([]int, f.Len())
		for i := range out {
			out[i] = int(f.Index(i).Int())
		}
		return out, nil
	}
	var ax dgAxes
	var err error
	for _, f := range []struct {
		dst  *[]int
		name string
	}{{&ax.lc, "lhsContractingAxes"}, {&ax.lb, "lhsBatchAxes"}, {&ax.rc, "rhsContractingAxes"}, {&ax.rb, "rhsBatchAxes"}} {
		if *f.dst, err = read(f.name); err != nil {
			return dgAxes{}, err
		}
	}
	return ax, nil
}

// probeDotGeneralAxes checks that graph.Node keeps its op parameters in an
// interface field named inputs, as GoMLX v0.26 does; the DotGeneral fields
// themselves are checked on every use (see dotGeneralAxes).
func probeDotGeneralAxes() error {
	t := reflect.TypeOf(graph.Node{})
	f, ok := t.FieldByName("inputs")
	if !ok || f.Type.Kind() != reflect.Interface {
		return fmt.Errorf("graph.Node has no inputs interface field")
	}
	return nil
}
