package bert

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/context/initializers"
)

// Adapter configures bottleneck adapters (Houlsby et al., "Parameter-Efficient
// Transfer Learning for NLP", ICML 2019). Every encoder layer gets two small
// modules, one after the attention block's output projection and one after
// the feed-forward block's, each placed on the sublayer's output before
// the residual sum and LayerNorm:
//
//	adapter(h) = h + up(act(down(h)))
//	a = LayerNorm(x + adapter(dropout(Attention(x)·Wo + bo)))
//	y = LayerNorm(a + adapter(dropout(FFN(a))))
//
// down is a linear layer hidden → Size and up one Size → hidden; act is the
// model's hidden activation (GELU for BERT). down starts small (normal,
// standard deviation 0.01) and up at exactly zero, weights and bias, so a
// fresh adapter is the identity and training starts from the base model's
// function. The base model is frozen; the adapters, the classifier head and
// — as in the paper, unless FreezeLayerNorm is set — the LayerNorm
// parameters (of the embeddings and of every layer) are trained. Each layer
// adds 2·(2·hidden·Size + hidden + Size) parameters (see
// [AdapterParameters]): for Size 64 on a 6-layer, 384-wide encoder that is
// 595 200, plus 9 984 LayerNorm parameters and the head.
//
// Set it as Config.Adapter. Unlike LoRA, an adapter is a non-linear
// function and cannot be folded into the base weights: a model trained with
// it keeps its extra modules, which [Weights] and [Save] do not write.
// The variables live at scopes .../attention/output/adapter/down (and
// /up) and .../output/adapter/down (and /up), variables "weight" [out, in]
// and "bias".
type Adapter struct {
	// Size is the bottleneck width m; positive.
	Size int
	// FreezeLayerNorm keeps the LayerNorm parameters frozen too, so that
	// only the adapters and the classifier head are trained. The zero
	// value trains them, as Houlsby et al. do.
	FreezeLayerNorm bool
}

// ErrAdapter is wrapped by the errors of an invalid [Adapter].
var ErrAdapter = errors.New("bert: invalid adapter")

// Validate reports an error wrapping [ErrAdapter] if a setting is out of range.
func (a Adapter) Validate() error {
	if a.Size <= 0 {
		return fmt.Errorf("%w: size %d, want > 0", ErrAdapter, a.Size)
	}
	return nil
}

// adapterInitStd is the standard deviation of the down-projection's
// initial weights: near zero, as the paper asks ("a near-identity
// initialization"), while up starts at exactly zero.
const adapterInitStd = 0.01

// applyAdapter returns h + up(act(down(h))) with the adapter's variables
// under ctx/adapter, or h when cfg has no adapter.
func applyAdapter(ctx *context.Context, cfg *Config, h *graph.Node) *graph.Node {
	if cfg.Adapter == nil {
		return h
	}
	g := h.Graph()
	hidden := h.Shape().Dimensions[h.Rank()-1]
	m := cfg.Adapter.Size
	c := ctx.In("adapter")
	down := c.In("down")
	dw := down.WithInitializer(initializers.RandomNormalFn(down, adapterInitStd)).
		VariableWithShape("weight", shapes.Make(dtypes.Float32, m, hidden)).ValueGraph(g)
	db := bias(down, "bias", m).ValueGraph(g)
	up := c.In("up")
	uw := up.WithInitializer(initializers.Zero).
		VariableWithShape("weight", shapes.Make(dtypes.Float32, hidden, m)).ValueGraph(g)
	ub := bias(up, "bias", hidden).ValueGraph(g)

	act, _ := activation(cfg.HiddenAct)
	z := graph.DotGeneral(h, []int{h.Rank() - 1}, nil, dw, []int{1}, nil)
	z = act(graph.Add(z, graph.ExpandLeftToRank(db, z.Rank())))
	z = graph.DotGeneral(z, []int{z.Rank() - 1}, nil, uw, []int{1}, nil)
	z = graph.Add(z, graph.ExpandLeftToRank(ub, z.Rank()))
	return graph.Add(h, z)
}

// AdapterParameters lists the adapters' trainable weights with canonical
// names (".adapter.down.weight" and so on after the sublayer's name,
// "bert.encoder.layer.L.attention.output" or "bert.encoder.layer.L.output")
// and shapes, layer by layer. It returns nil when cfg.Adapter is nil.
func AdapterParameters(cfg *Config) []Parameter {
	if cfg.Adapter == nil {
		return nil
	}
	h, m := cfg.HiddenSize, cfg.Adapter.Size
	var ps []Parameter
	for l := 0; l < cfg.NumHiddenLayers; l++ {
		for _, sub := range []string{"attention.output", "output"} {
			p := fmt.Sprintf("bert.encoder.layer.%d.%s.adapter.", l, sub)
			ps = append(ps, Parameter{Name: p + "down.weight", Shape: []int{m, h}}, Parameter{Name: p + "down.bias", Shape: []int{m}},
				Parameter{Name: p + "up.weight", Shape: []int{h, m}}, Parameter{Name: p + "up.bias", Shape: []int{h}})
		}
	}
	return ps
}

// LayerNormParameters lists the LayerNorm weights and biases of the model
// (the embeddings' and two per layer), in checkpoint order.
func LayerNormParameters(cfg *Config) []Parameter {
	var ps []Parameter
	for _, p := range Parameters(cfg, false) {
		if strings.Contains(p.Name, ".LayerNorm.") {
			ps = append(ps, p)
		}
	}
	return ps
}

// IsAdapterVariable reports whether the variable at scope belongs to a
// bottleneck adapter (scope .../adapter/down or .../adapter/up).
func IsAdapterVariable(scope string) bool {
	return strings.HasSuffix(scope, "/adapter/down") || strings.HasSuffix(scope, "/adapter/up")
}

// IsLayerNormVariable reports whether the variable at scope is a LayerNorm
// parameter (scope .../LayerNorm).
func IsLayerNormVariable(scope string) bool {
	return strings.HasSuffix(scope, "/LayerNorm")
}
