package bert

import (
	"fmt"
	"math"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/context/initializers"
	"github.com/gomlx/gomlx/pkg/ml/layers"
	"github.com/gomlx/gomlx/pkg/ml/layers/activations"
)

// Graph-building functions. They follow GoMLX's layers package: plain
// functions over a *context.Context (where the weights live) and graph nodes.
// All of them take the model's root context: BertModel weights are created
// under its sub-scope "bert" and the classifier under "classifier", so the
// variable at scope <root>/bert/encoder/layer/0/output/dense named "weight"
// is the checkpoint tensor "bert.encoder.layer.0.output.dense.weight".
//
// Inputs are int32 (or any integer type) nodes shaped [batch, seq]:
// inputIDs (token ids), tokenTypeIDs (segment ids; nil means all zeros)
// and attentionMask (1 for real tokens, 0 for padding; nil means no padding).
//
// When ctx.IsTraining(g) is true, dropout is applied as in transformers'
// BertForSequenceClassification in train mode; otherwise the functions
// compute the deterministic inference forward pass.
//
// None of the functions uses Slice (whose gradient needs Pad, which the
// SimpleGo backend lacks): the [CLS] vector is taken with a one-hot
// contraction and position embeddings with graph.Gather, so every function is
// differentiable on SimpleGo.

// SequenceOutput builds BertModel's last hidden state, shaped
// [batch, seq, hidden]: embeddings followed by cfg.NumHiddenLayers encoder layers.
func SequenceOutput(ctx *context.Context, cfg *Config, inputIDs, tokenTypeIDs, attentionMask *graph.Node) *graph.Node {
	if inputIDs.Rank() != 2 {
		panic(fmt.Errorf("bert: inputIDs shape %s, want [batch, seq]", inputIDs.Shape()))
	}
	seqLen := inputIDs.Shape().Dimensions[1]
	if seqLen > cfg.MaxPositionEmbeddings {
		panic(fmt.Errorf("bert: sequence length %d exceeds max_position_embeddings %d", seqLen, cfg.MaxPositionEmbeddings))
	}
	ctx = ctx.In("bert")
	x := embeddings(ctx.In("embeddings"), cfg, inputIDs, tokenTypeIDs)
	bias := attentionBias(inputIDs, attentionMask)
	enc := ctx.In("encoder").In("layer")
	for l := 0; l < cfg.NumHiddenLayers; l++ {
		x = encoderLayer(enc.In(fmt.Sprint(l)), cfg, x, bias)
	}
	return x
}

// Pooled builds BertModel's pooler output, shaped [batch, hidden]:
// tanh(W·h₀ + b) where h₀ is the hidden state of the first ([CLS]) token.
func Pooled(ctx *context.Context, cfg *Config, sequence *graph.Node) *graph.Node {
	return graph.Tanh(linear(ctx.In("bert").In("pooler").In("dense"), cfg, FirstToken(sequence), cfg.HiddenSize))
}

// Encode builds BertModel: the last hidden state [batch, seq, hidden] and
// the pooler output [batch, hidden].
func Encode(ctx *context.Context, cfg *Config, inputIDs, tokenTypeIDs, attentionMask *graph.Node) (sequence, pooled *graph.Node) {
	sequence = SequenceOutput(ctx, cfg, inputIDs, tokenTypeIDs, attentionMask)
	return sequence, Pooled(ctx, cfg, sequence)
}

// ClassifierLogits builds BertForSequenceClassification's logits, shaped
// [batch, cfg.NumLabels()]: dropout(pooled) followed by the linear classifier.
// Use it as the model function of a training loop (see the package doc);
// softmax cross-entropy over these logits is transformers' loss for
// single-label classification.
func ClassifierLogits(ctx *context.Context, cfg *Config, inputIDs, tokenTypeIDs, attentionMask *graph.Node) *graph.Node {
	_, pooled := Encode(ctx, cfg, inputIDs, tokenTypeIDs, attentionMask)
	pooled = dropout(ctx, pooled, cfg.classifierDropout())
	return linear(ctx.In("classifier"), cfg, pooled, cfg.NumLabels())
}

// FirstToken returns x[:, 0, :] for x shaped [batch, seq, hidden], computed
// as a contraction with a one-hot vector so that its gradient needs no Pad.
func FirstToken(x *graph.Node) *graph.Node {
	g := x.Graph()
	seqLen := x.Shape().Dimensions[1]
	oneHot := graph.OneHot(graph.Scalar(g, dtypes.Int32, 0), seqLen, x.DType()) // [seq]
	return graph.DotGeneral(x, []int{1}, nil, oneHot, []int{0}, nil)
}

// MeanPooling averages x [batch, seq, hidden] over the tokens whose
// attentionMask [batch, seq] is non-zero, giving [batch, hidden]; this is
// sentence-transformers' mean pooling: Σₜ mₜxₜ / max(Σₜ mₜ, 1e-9).
func MeanPooling(x, attentionMask *graph.Node) *graph.Node {
	m := graph.ConvertDType(attentionMask, x.DType())
	sum := graph.DotGeneral(x, []int{1}, []int{0}, m, []int{1}, []int{0}) // [batch, hidden]
	count := graph.MaxScalar(graph.ReduceSum(m, 1), 1e-9)                 // [batch]
	return graph.Div(sum, graph.InsertAxes(count, -1))
}

// embeddings sums word, position and token-type embeddings, then applies
// LayerNorm and dropout.
func embeddings(ctx *context.Context, cfg *Config, inputIDs, tokenTypeIDs *graph.Node) *graph.Node {
	g := inputIDs.Graph()
	batch, seqLen := inputIDs.Shape().Dimensions[0], inputIDs.Shape().Dimensions[1]
	h := cfg.HiddenSize
	word := weight(ctx.In("word_embeddings"), cfg, "weight", cfg.VocabSize, h)
	pos := weight(ctx.In("position_embeddings"), cfg, "weight", cfg.MaxPositionEmbeddings, h)
	typ := weight(ctx.In("token_type_embeddings"), cfg, "weight", cfg.TypeVocabSize, h)

	ids := graph.ConvertDType(inputIDs, dtypes.Int32)
	x := graph.Gather(word.ValueGraph(g), graph.InsertAxes(ids, -1)) // [batch, seq, h]
	positions := graph.Iota(g, shapes.Make(dtypes.Int32, seqLen, 1), 0)
	x = graph.Add(x, graph.InsertAxes(graph.Gather(pos.ValueGraph(g), positions), 0)) // + [1, seq, h]
	if tokenTypeIDs == nil {
		tokenTypeIDs = graph.Zeros(g, shapes.Make(dtypes.Int32, batch, seqLen))
	}
	types := graph.ConvertDType(tokenTypeIDs, dtypes.Int32)
	x = graph.Add(x, graph.Gather(typ.ValueGraph(g), graph.InsertAxes(types, -1)))
	x = layerNorm(ctx.In("LayerNorm"), cfg, x)
	return dropout(ctx, x, cfg.HiddenDropoutProb)
}

// attentionBias turns the [batch, seq] padding mask into an additive bias
// shaped [batch, 1, 1, seq]: 0 for real tokens and the lowest float32 for
// padding, as transformers does, so padded keys get probability exactly 0.
// It returns nil when mask is nil.
func attentionBias(inputIDs, mask *graph.Node) *graph.Node {
	if mask == nil {
		return nil
	}
	if !mask.Shape().Equal(shapes.Make(mask.DType(), inputIDs.Shape().Dimensions...)) {
		panic(fmt.Errorf("bert: attention mask shape %s, want dimensions %v", mask.Shape(), inputIDs.Shape().Dimensions))
	}
	g := mask.Graph()
	keep := graph.GreaterThan(graph.ConvertDType(mask, dtypes.Float32), graph.ScalarZero(g, dtypes.Float32))
	bias := graph.Where(keep, graph.ScalarZero(g, dtypes.Float32), graph.Scalar(g, dtypes.Float32, -math.MaxFloat32))
	return graph.InsertAxes(bias, 1, 1)
}

// encoderLayer is one transformer block (post-LayerNorm, as in BERT):
//
//	a = LayerNorm(x + dropout(SelfAttention(x)·Wo + bo))
//	y = LayerNorm(a + dropout(act(a·Wi + bi)·Wout + bout))
//
// With cfg.Adapter a bottleneck adapter (see [Adapter]) transforms each
// dropout(...) term before its residual sum.
func encoderLayer(ctx *context.Context, cfg *Config, x, bias *graph.Node) *graph.Node {
	att := ctx.In("attention")
	a := selfAttention(att.In("self"), cfg, x, bias) // [batch, heads, seq, headSize]
	out := att.In("output")
	a = attentionOutput(out.In("dense"), cfg, a)
	a = dropout(ctx, a, cfg.HiddenDropoutProb)
	a = applyAdapter(out, cfg, a)
	a = layerNorm(out.In("LayerNorm"), cfg, graph.Add(a, x))

	act, _ := activation(cfg.HiddenAct)
	y := act(adaptedLinear(ctx.In("intermediate").In("dense"), cfg, a, cfg.IntermediateSize, TargetIntermediate))
	y = adaptedLinear(ctx.In("output").In("dense"), cfg, y, cfg.HiddenSize, TargetOutput)
	y = dropout(ctx, y, cfg.HiddenDropoutProb)
	y = applyAdapter(ctx.In("output"), cfg, y)
	return layerNorm(ctx.In("output").In("LayerNorm"), cfg, graph.Add(y, a))
}

// selfAttention computes scaled dot-product attention over all heads:
// softmax(Q·Kᵀ/√d + bias)·V with Q, K, V the query, key and value
// projections of x split into heads of size d. The result is shaped
// [batch, heads, seq, d]; the scale 1/√d is applied once.
func selfAttention(ctx *context.Context, cfg *Config, x, bias *graph.Node) *graph.Node {
	batch, seqLen := x.Shape().Dimensions[0], x.Shape().Dimensions[1]
	heads, d := cfg.NumAttentionHeads, cfg.HeadSize()
	split := func(n *graph.Node) *graph.Node { return graph.Reshape(n, batch, seqLen, heads, d) }
	q := split(adaptedLinear(ctx.In("query"), cfg, x, cfg.HiddenSize, TargetQuery))
	k := split(adaptedLinear(ctx.In("key"), cfg, x, cfg.HiddenSize, TargetKey))
	v := split(adaptedLinear(ctx.In("value"), cfg, x, cfg.HiddenSize, TargetValue))

	// scores[b, h, i, j] = Σ_d q[b, i, h, d]·k[b, j, h, d] / √d
	scores := graph.DotGeneral(q, []int{3}, []int{0, 2}, k, []int{3}, []int{0, 2})
	scores = graph.MulScalar(scores, 1/math.Sqrt(float64(d)))
	if bias != nil {
		scores = graph.Add(scores, bias)
	}
	probs := graph.Softmax(scores, -1)
	probs = dropout(ctx, probs, cfg.AttentionProbsDropoutProb)
	// context[b, h, i, d] = Σ_j probs[b, h, i, j]·v[b, j, h, d]
	return graph.DotGeneral(probs, []int{3}, []int{0, 1}, v, []int{1}, []int{0, 2})
}

// attentionOutput is the output projection of the attention block. It takes
// the per-head context [batch, heads, seq, d] and contracts heads and d
// directly with the weight viewed as [hidden, heads, d], which merges the
// heads without a transpose.
func attentionOutput(ctx *context.Context, cfg *Config, a *graph.Node) *graph.Node {
	g := a.Graph()
	h := cfg.HiddenSize
	w := weight(ctx, cfg, "weight", h, h).ValueGraph(g)
	b := bias(ctx, "bias", h).ValueGraph(g)
	w = graph.Reshape(w, h, cfg.NumAttentionHeads, cfg.HeadSize())
	y := graph.DotGeneral(a, []int{1, 3}, nil, w, []int{1, 2}, nil) // [batch, seq, hidden]
	y = graph.Add(y, graph.ExpandLeftToRank(b, y.Rank()))
	if l := cfg.LoRA; l != nil && l.targets().has(TargetAttentionOutput) {
		// The same contraction with A viewed as [r, heads, d].
		aw := loraA(ctx, cfg, h).ValueGraph(g)
		aw = graph.Reshape(aw, l.Rank, cfg.NumAttentionHeads, cfg.HeadSize())
		x := dropout(ctx, a, l.Dropout)
		down := graph.DotGeneral(x, []int{1, 3}, nil, aw, []int{1, 2}, nil) // [batch, seq, r]
		y = graph.Add(y, loraUp(ctx, cfg, down, h))
	}
	return y
}

// linear is PyTorch's nn.Linear: y = x·Wᵀ + b with W stored as [out, in],
// contracting the last axis of x.
func linear(ctx *context.Context, cfg *Config, x *graph.Node, out int) *graph.Node {
	g := x.Graph()
	in := x.Shape().Dimensions[x.Rank()-1]
	w := weight(ctx, cfg, "weight", out, in).ValueGraph(g)
	b := bias(ctx, "bias", out).ValueGraph(g)
	y := graph.DotGeneral(x, []int{x.Rank() - 1}, nil, w, []int{1}, nil)
	return graph.Add(y, graph.ExpandLeftToRank(b, y.Rank()))
}

// adaptedLinear is [linear] for an encoder layer that LoRA may adapt: when
// cfg.LoRA has target among its targets, it adds the low-rank update
// (alpha/r)·dropout(x)·Aᵀ·Bᵀ (see [LoRA]).
func adaptedLinear(ctx *context.Context, cfg *Config, x *graph.Node, out int, target Target) *graph.Node {
	y := linear(ctx, cfg, x, out)
	if l := cfg.LoRA; l != nil && l.targets().has(target) {
		g := x.Graph()
		in := x.Shape().Dimensions[x.Rank()-1]
		xd := dropout(ctx, x, l.Dropout)
		a := loraA(ctx, cfg, in).ValueGraph(g)
		down := graph.DotGeneral(xd, []int{xd.Rank() - 1}, nil, a, []int{1}, nil) // [..., r]
		y = graph.Add(y, loraUp(ctx, cfg, down, out))
	}
	return y
}

// layerNorm normalises the last axis: (x-μ)/√(σ²+ε)·γ + β, with the biased
// variance σ² as torch.nn.LayerNorm computes it.
func layerNorm(ctx *context.Context, cfg *Config, x *graph.Node) *graph.Node {
	g := x.Graph()
	h := x.Shape().Dimensions[x.Rank()-1]
	gamma := ctx.WithInitializer(initializers.One).VariableWithShape("weight", shapes.Make(dtypes.Float32, h)).ValueGraph(g)
	beta := bias(ctx, "bias", h).ValueGraph(g)
	mean := graph.ReduceAndKeep(x, graph.ReduceMean, -1)
	centered := graph.Sub(x, mean)
	variance := graph.ReduceAndKeep(graph.Square(centered), graph.ReduceMean, -1)
	y := graph.Mul(centered, graph.Rsqrt(graph.AddScalar(variance, cfg.LayerNormEps)))
	return graph.Add(graph.Mul(y, graph.ExpandLeftToRank(gamma, y.Rank())), graph.ExpandLeftToRank(beta, y.Rank()))
}

// weight returns (creating it if needed) a float32 weight initialised as
// transformers does: normal with standard deviation cfg.InitializerRange.
func weight(ctx *context.Context, cfg *Config, name string, dims ...int) *context.Variable {
	return ctx.WithInitializer(initializers.RandomNormalFn(ctx, cfg.InitializerRange)).
		VariableWithShape(name, shapes.Make(dtypes.Float32, dims...))
}

// bias returns (creating it if needed) a zero-initialised float32 vector.
func bias(ctx *context.Context, name string, n int) *context.Variable {
	return ctx.WithInitializer(initializers.Zero).VariableWithShape(name, shapes.Make(dtypes.Float32, n))
}

// dropout applies inverted dropout with the given rate in training mode.
func dropout(ctx *context.Context, x *graph.Node, rate float64) *graph.Node {
	if rate <= 0 || !ctx.IsTraining(x.Graph()) {
		return x
	}
	return layers.DropoutStatic(ctx, x, rate)
}

// activation maps a config hidden_act to its function.
func activation(name string) (func(*graph.Node) *graph.Node, error) {
	switch name {
	case "gelu", "":
		return activations.Gelu, nil // exact: x·Φ(x) = x·(1+erf(x/√2))/2
	case "gelu_new", "gelu_pytorch_tanh", "gelu_fast":
		return activations.GeluApproximate, nil
	case "relu":
		return activations.Relu, nil
	case "silu", "swish":
		return func(x *graph.Node) *graph.Node { return graph.Mul(x, graph.Sigmoid(x)) }, nil
	case "tanh":
		return graph.Tanh, nil
	}
	return nil, fmt.Errorf("hidden_act %q not supported (want gelu, gelu_new, relu, silu or tanh)", name)
}
