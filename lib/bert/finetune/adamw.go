package finetune

import (
	"fmt"
	"strings"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	mlctx "github.com/gomlx/gomlx/pkg/ml/context"
)

// OptimizerScope is the absolute context scope under which [AdamW] keeps its
// state: the step counter and, for every trained variable at scope s with
// name n, its moments at scope OptimizerScope+s, names n+"#m" and n+"#v".
const OptimizerScope = "/adamw"

// AdamW is the Adam optimizer with decoupled weight decay (Loshchilov &
// Hutter, "Decoupled Weight Decay Regularization", ICLR 2019), a linear
// learning-rate schedule and global-norm gradient clipping, as used by
// transformers' Trainer (torch.optim.AdamW, get_linear_schedule_with_warmup,
// clip_grad_norm_).
//
// At step t = 0, 1, ... (the number of updates already made), with gradient g
// of a variable p:
//
//	g     ← g · min(1, MaxGradNorm / (‖G‖₂ + 1e-6))   (‖G‖ over all gradients)
//	η     = LR · s(t),  s(t) = t/W for t < W, else max(0, (T − t)/(T − W))
//	p     ← p − η·λ·p                                   (only if Decay(p))
//	m     ← β₁m + (1−β₁)g,   v ← β₂v + (1−β₂)g²
//	p     ← p − η · (m / (1−β₁^(t+1))) / (√(v / (1−β₂^(t+1))) + ε)
//
// with W = WarmupSteps and T = TotalSteps (no decay of η when T is 0).
type AdamW struct {
	LR           float64
	Beta1, Beta2 float64
	Epsilon      float64
	WeightDecay  float64
	WarmupSteps  int
	TotalSteps   int
	// MaxGradNorm clips the global gradient norm; 0 disables clipping.
	MaxGradNorm float64
	// Decay reports whether weight decay applies to the variable with the
	// given scope and name; nil means [DecayExceptBiasAndLayerNorm].
	Decay func(scope, name string) bool
}

// DecayExceptBiasAndLayerNorm is transformers' default weight-decay mask:
// every weight decays except biases and LayerNorm parameters.
func DecayExceptBiasAndLayerNorm(scope, name string) bool {
	if name == "bias" || name == "beta" {
		return false
	}
	last := scope[strings.LastIndex(scope, "/")+1:]
	return !strings.Contains(strings.ToLower(last), "layernorm")
}

// NewAdamW returns AdamW with transformers' defaults (β₁ 0.9, β₂ 0.999,
// ε 1e-8, clipping at 1.0) for the given learning rate and weight decay.
func NewAdamW(lr, weightDecay float64) AdamW {
	return AdamW{LR: lr, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-8, WeightDecay: weightDecay, MaxGradNorm: 1}
}

// LRFactor returns s(t), the schedule's multiplier of LR at step t.
func (o AdamW) LRFactor(t int) float64 {
	if t < o.WarmupSteps {
		return float64(t) / float64(o.WarmupSteps)
	}
	if o.TotalSteps == 0 {
		return 1
	}
	return max(0, float64(o.TotalSteps-t)/float64(max(1, o.TotalSteps-o.WarmupSteps)))
}

// stepVar returns the optimizer's step counter (int64 scalar).
func stepVar(ctx *mlctx.Context) *mlctx.Variable {
	c := ctx.InAbsPath(OptimizerScope).Checked(false)
	if v := ctx.GetVariableByScopeAndName(OptimizerScope, "step"); v != nil {
		return v
	}
	return c.VariableWithValue("step", int64(0)).SetTrainable(false)
}

// Step returns the number of updates made so far, as stored in ctx.
func Step(ctx *mlctx.Context) (int, error) {
	v := ctx.GetVariableByScopeAndName(OptimizerScope, "step")
	if v == nil || !v.HasValue() {
		return 0, nil
	}
	t, err := v.Value()
	if err != nil {
		return 0, err
	}
	return int(tensors.ToScalar[int64](t)), nil
}

// Apply builds the update of vars given their gradients grads, inside the
// graph of the training step, and returns the global gradient norm (before
// clipping) and the learning rate used. The variables' new values and the
// optimizer state are set with SetValueGraph, so running the graph with a
// context Exec performs one training step.
func (o AdamW) Apply(ctx *mlctx.Context, vars []*mlctx.Variable, grads []*graph.Node) (gradNorm, lr *graph.Node, err error) {
	if len(vars) != len(grads) || len(vars) == 0 {
		return nil, nil, fmt.Errorf("finetune: %d variables and %d gradients", len(vars), len(grads))
	}
	decay := o.Decay
	if decay == nil {
		decay = DecayExceptBiasAndLayerNorm
	}
	g := grads[0].Graph()
	step := stepVar(ctx)
	tInt := step.ValueGraph(g)
	t := graph.ConvertDType(tInt, dtypes.Float64)

	// Learning rate η = LR·s(t), computed in float64.
	factor := graph.Scalar(g, dtypes.Float64, 1.0)
	if o.TotalSteps > 0 {
		decayPart := graph.Div(graph.Sub(graph.Scalar(g, dtypes.Float64, float64(o.TotalSteps)), t),
			graph.Scalar(g, dtypes.Float64, float64(max(1, o.TotalSteps-o.WarmupSteps))))
		factor = graph.Max(decayPart, graph.ScalarZero(g, dtypes.Float64))
	}
	if o.WarmupSteps > 0 {
		w := graph.Scalar(g, dtypes.Float64, float64(o.WarmupSteps))
		factor = graph.Where(graph.LessThan(t, w), graph.Div(t, w), factor)
	}
	lr = graph.MulScalar(factor, o.LR)

	// Global gradient norm, in float64.
	sumSq := graph.ScalarZero(g, dtypes.Float64)
	for _, gr := range grads {
		g64 := graph.ConvertDType(gr, dtypes.Float64)
		sumSq = graph.Add(sumSq, graph.ReduceAllSum(graph.Mul(g64, g64)))
	}
	gradNorm = graph.Sqrt(sumSq)
	clip := graph.Scalar(g, dtypes.Float64, 1.0)
	if o.MaxGradNorm > 0 {
		coef := graph.Div(graph.Scalar(g, dtypes.Float64, o.MaxGradNorm), graph.AddScalar(gradNorm, 1e-6))
		clip = graph.Min(coef, clip)
	}
	t1 := graph.AddScalar(t, 1)
	bc1 := graph.OneMinus(graph.Pow(graph.Scalar(g, dtypes.Float64, o.Beta1), t1))
	bc2 := graph.OneMinus(graph.Pow(graph.Scalar(g, dtypes.Float64, o.Beta2), t1))

	for i, v := range vars {
		dt := v.DType()
		cast := func(x *graph.Node) *graph.Node { return graph.ConvertDType(x, dt) }
		p := v.ValueGraph(g)
		gr := graph.Mul(grads[i], cast(clip))
		state := ctx.InAbsPath(OptimizerScope + v.Scope()).Checked(false)
		mv := momentVar(state, v.Name()+"#m", v.Shape())
		vv := momentVar(state, v.Name()+"#v", v.Shape())
		lrT := cast(lr)
		if o.WeightDecay != 0 && decay(v.Scope(), v.Name()) {
			p = graph.Sub(p, graph.Mul(p, graph.MulScalar(lrT, o.WeightDecay)))
		}
		m := graph.Add(graph.MulScalar(mv.ValueGraph(g), o.Beta1), graph.MulScalar(gr, 1-o.Beta1))
		s := graph.Add(graph.MulScalar(vv.ValueGraph(g), o.Beta2), graph.MulScalar(graph.Mul(gr, gr), 1-o.Beta2))
		mHat := graph.Div(m, cast(bc1))
		vHat := graph.Div(s, cast(bc2))
		p = graph.Sub(p, graph.Mul(lrT, graph.Div(mHat, graph.AddScalar(graph.Sqrt(vHat), o.Epsilon))))
		mv.SetValueGraph(m)
		vv.SetValueGraph(s)
		v.SetValueGraph(p)
	}
	step.SetValueGraph(graph.AddScalar(tInt, 1))
	return gradNorm, lr, nil
}

func momentVar(ctx *mlctx.Context, name string, shape shapes.Shape) *mlctx.Variable {
	if v := ctx.GetVariableByScopeAndName(ctx.Scope(), name); v != nil {
		return v
	}
	return ctx.VariableWithValue(name, tensors.FromShape(shape)).SetTrainable(false)
}
