package bert

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/founderlab/founderlab/lib/safetensors"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/context/initializers"
)

// LoRA configures low-rank adaptation (Hu et al., "LoRA: Low-Rank
// Adaptation of Large Language Models", ICLR 2022). For every adapted linear
// layer y = x·Wᵀ + b of every encoder layer, with W of shape [out, in]
// frozen, it learns two small matrices, A of shape [Rank, in] and B of shape
// [out, Rank], and computes
//
//	y = x·Wᵀ + b + (Alpha/Rank)·dropout(x)·Aᵀ·Bᵀ
//
// A starts random (uniform in ±1/√in, the Kaiming-uniform bound PEFT uses)
// and B at zero, so training starts from the base model's function. Only A,
// B and the classifier head are trained: for Rank 8 on the query and value
// projections of a 6-layer, 384-wide encoder that is 6·2·(8·384+384·8) +
// 384·2 + 2 = 74 498 parameters, 0.33 % of the model's 22.7 million
// (222 338, 0.98 %, with the pooler trained too: TrainPooler). After
// training, [MergeLoRA] folds the update into the base weights,
//
//	W' = W + (Alpha/Rank)·B·A
//
// so inference costs nothing extra. [SaveLoRAAdapter] and
// [LoadLoRAAdapter] write and read the adapter in the format of Hugging
// Face PEFT (adapter_config.json and adapter_model.safetensors).
//
// Set it as Config.LoRA; the graph functions ([ClassifierLogits] and the
// others) then build the adapted model. The variables of A and B live
// beside the adapted weight, at scopes .../query/lora_A and .../query/lora_B
// (variable "weight"), as PEFT names them.
type LoRA struct {
	// Rank r of the update; positive.
	Rank int
	// Alpha scales the update by Alpha/Rank; positive.
	Alpha float64
	// Dropout is the dropout rate applied to the adapter's input in
	// training, in [0, 1).
	Dropout float64
	// Targets are the adapted layers; the zero value means
	// TargetQuery|TargetValue, as in the LoRA paper.
	Targets Target
	// TrainPooler also trains BertModel's pooler, the dense layer over
	// the [CLS] vector that the classifier head reads (hidden² + hidden
	// parameters: 147 840 at hidden 384), as PEFT does for a module named
	// in modules_to_save. Checkpoints whose pooler was never trained need
	// it: sentence-transformers models such as all-MiniLM-L6-v2 ship a
	// pooler with zero bias and weights of standard deviation 0.009, so
	// that the frozen pooler shrinks every change LoRA makes to the [CLS]
	// vector about fivefold and its outputs stay near 0.1.
	TrainPooler bool
}

// DefaultLoRA returns LoRA of the given rank with Alpha = 2·rank, dropout
// 0.1 and the query and value projections adapted — the settings of PEFT's
// sequence-classification examples.
func DefaultLoRA(rank int) LoRA {
	return LoRA{Rank: rank, Alpha: 2 * float64(rank), Dropout: 0.1, Targets: TargetQuery | TargetValue}
}

// Scaling returns Alpha/Rank, the factor of the low-rank update.
func (l LoRA) Scaling() float64 { return l.Alpha / float64(l.Rank) }

// targets returns the adapted layers, with the default for the zero value.
func (l LoRA) targets() Target {
	if l.Targets == 0 {
		return TargetQuery | TargetValue
	}
	return l.Targets
}

// ErrLoRA is wrapped by the errors of an invalid [LoRA] or adapter.
var ErrLoRA = errors.New("bert: invalid LoRA")

// Validate reports an error wrapping [ErrLoRA] if a setting is out of range.
func (l LoRA) Validate() error {
	switch {
	case l.Rank <= 0:
		return fmt.Errorf("%w: rank %d, want > 0", ErrLoRA, l.Rank)
	case !(l.Alpha > 0) || math.IsInf(l.Alpha, 0):
		return fmt.Errorf("%w: alpha %g, want > 0", ErrLoRA, l.Alpha)
	case !(l.Dropout >= 0 && l.Dropout < 1):
		return fmt.Errorf("%w: dropout %g, want in [0, 1)", ErrLoRA, l.Dropout)
	case l.Targets&^targetAll != 0:
		return fmt.Errorf("%w: unknown targets %v", ErrLoRA, l.Targets)
	}
	return nil
}

// Target is a set of the linear layers of an encoder layer that LoRA
// adapts; combine them with |.
type Target uint8

const (
	// TargetQuery is attention.self.query.
	TargetQuery Target = 1 << iota
	// TargetKey is attention.self.key.
	TargetKey
	// TargetValue is attention.self.value.
	TargetValue
	// TargetAttentionOutput is attention.output.dense.
	TargetAttentionOutput
	// TargetIntermediate is intermediate.dense (hidden → intermediate).
	TargetIntermediate
	// TargetOutput is output.dense (intermediate → hidden).
	TargetOutput

	targetAll = TargetQuery | TargetKey | TargetValue | TargetAttentionOutput | TargetIntermediate | TargetOutput
)

// targetModules lists each target with its module path inside an encoder
// layer, in the order of [Parameters].
var targetModules = []struct {
	t    Target
	path string
}{
	{TargetQuery, "attention.self.query"},
	{TargetKey, "attention.self.key"},
	{TargetValue, "attention.self.value"},
	{TargetAttentionOutput, "attention.output.dense"},
	{TargetIntermediate, "intermediate.dense"},
	{TargetOutput, "output.dense"},
}

func (t Target) has(x Target) bool { return t&x != 0 }

// String lists the targets' module paths joined by "|", such as
// "attention.self.query|attention.self.value".
func (t Target) String() string {
	var parts []string
	for _, m := range targetModules {
		if t.has(m.t) {
			parts = append(parts, m.path)
		}
	}
	if rest := t &^ targetAll; rest != 0 {
		parts = append(parts, fmt.Sprintf("Target(%#x)", uint8(rest)))
	}
	return strings.Join(parts, "|")
}

// loraA returns (creating it if needed) the down-projection A, [r, in], of
// the layer at ctx.
func loraA(ctx *context.Context, cfg *Config, in int) *context.Variable {
	bound := 1 / math.Sqrt(float64(in))
	return ctx.In("lora_A").WithInitializer(initializers.RandomUniformFn(ctx, -bound, bound)).
		VariableWithShape("weight", shapes.Make(dtypes.Float32, cfg.LoRA.Rank, in))
}

// loraUp returns (alpha/r)·down·Bᵀ for down shaped [..., r], creating the
// zero-initialised up-projection B, [out, r], of the layer at ctx if needed.
func loraUp(ctx *context.Context, cfg *Config, down *graph.Node, out int) *graph.Node {
	b := ctx.In("lora_B").WithInitializer(initializers.Zero).
		VariableWithShape("weight", shapes.Make(dtypes.Float32, out, cfg.LoRA.Rank)).ValueGraph(down.Graph())
	up := graph.DotGeneral(down, []int{down.Rank() - 1}, nil, b, []int{1}, nil)
	return graph.MulScalar(up, cfg.LoRA.Scaling())
}

// IsLoRAVariable reports whether the variable at scope with name is a LoRA
// matrix (A or B) of an adapted layer.
func IsLoRAVariable(scope, name string) bool {
	last := scope[strings.LastIndex(scope, "/")+1:]
	return name == "weight" && (last == "lora_A" || last == "lora_B")
}

// IsClassifierVariable reports whether the variable at scope belongs to the
// classifier head of [ClassifierLogits] (scope <root>/classifier).
func IsClassifierVariable(scope string) bool {
	return scope == "/classifier" || strings.HasSuffix(scope, "/classifier")
}

// IsPoolerVariable reports whether the variable at scope belongs to
// BertModel's pooler (scope <root>/bert/pooler/dense).
func IsPoolerVariable(scope string) bool {
	return scope == "/bert/pooler/dense" || strings.HasSuffix(scope, "/bert/pooler/dense")
}

// loraModule is one adapted layer: its canonical weight name and the scope
// path of that layer.
type loraModule struct {
	prefix string // "bert.encoder.layer.0.attention.self.query"
	out    int
	in     int
}

// loraModules lists the adapted layers of cfg.LoRA in checkpoint order.
func loraModules(cfg *Config) []loraModule {
	var ms []loraModule
	h, i := cfg.HiddenSize, cfg.IntermediateSize
	for l := 0; l < cfg.NumHiddenLayers; l++ {
		for _, m := range targetModules {
			if !cfg.LoRA.targets().has(m.t) {
				continue
			}
			out, in := h, h
			switch m.t {
			case TargetIntermediate:
				out = i
			case TargetOutput:
				in = i
			}
			ms = append(ms, loraModule{prefix: fmt.Sprintf("bert.encoder.layer.%d.%s", l, m.path), out: out, in: in})
		}
	}
	return ms
}

// variableAt returns the variable of ctx that holds the canonical name, or nil.
func variableAt(ctx *context.Context, canonical string) *context.Variable {
	scope, name := scopeOf(canonical)
	c := ctx
	for _, s := range scope {
		c = c.In(s)
	}
	return c.GetVariableByScopeAndName(c.Scope(), name)
}

// float32Var returns a variable's values, failing if it is missing or has
// no value yet.
func float32Var(ctx *context.Context, canonical string) ([]float32, error) {
	v := variableAt(ctx, canonical)
	if v == nil {
		return nil, fmt.Errorf("no variable for %s", canonical)
	}
	t, err := v.Value()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", canonical, err)
	}
	return tensors.CopyFlatData[float32](t)
}

// LoRAParameters lists the adapter's matrices — A and B of every adapted
// layer — with their canonical names (".lora_A.weight" after the adapted
// layer's name) and shapes, in checkpoint order. It returns nil when
// cfg.LoRA is nil. Training also updates the classifier head and, with
// TrainPooler, the pooler, which are not listed.
func LoRAParameters(cfg *Config) []Parameter {
	if cfg.LoRA == nil {
		return nil
	}
	var ps []Parameter
	for _, m := range loraModules(cfg) {
		ps = append(ps, Parameter{Name: m.prefix + ".lora_A.weight", Shape: []int{cfg.LoRA.Rank, m.in}},
			Parameter{Name: m.prefix + ".lora_B.weight", Shape: []int{m.out, cfg.LoRA.Rank}})
	}
	return ps
}

// MergedWeights returns [Weights] of the model with its LoRA update folded
// in: every adapted weight is W + (Alpha/Rank)·B·A. With cfg.LoRA nil it
// is Weights. ctx is not changed.
func MergedWeights(ctx *context.Context, cfg *Config, classifier bool) ([]safetensors.Tensor, error) {
	base := *cfg
	base.LoRA = nil
	ts, err := Weights(ctx, &base, classifier)
	if err != nil || cfg.LoRA == nil {
		return ts, err
	}
	index := make(map[string]int, len(ts))
	for i, t := range ts {
		index[t.Name] = i
	}
	for _, m := range loraModules(cfg) {
		i := index[m.prefix+".weight"]
		w, err := ts[i].Float32()
		if err != nil {
			return nil, fmt.Errorf("bert: merge LoRA: %w", err)
		}
		if err := mergeInto(ctx, cfg, m, w); err != nil {
			return nil, err
		}
		if ts[i], err = safetensors.FromFloat32(ts[i].Name, safetensors.F32, []int{m.out, m.in}, w); err != nil {
			return nil, fmt.Errorf("bert: merge LoRA: %w", err)
		}
	}
	return ts, nil
}

// mergeInto adds (Alpha/Rank)·B·A of module m to w, [out, in] row-major,
// accumulating each element in float64.
func mergeInto(ctx *context.Context, cfg *Config, m loraModule, w []float32) error {
	a, err := float32Var(ctx, m.prefix+".lora_A.weight")
	if err != nil {
		return fmt.Errorf("bert: merge LoRA: %w", err)
	}
	b, err := float32Var(ctx, m.prefix+".lora_B.weight")
	if err != nil {
		return fmt.Errorf("bert: merge LoRA: %w", err)
	}
	r, s := cfg.LoRA.Rank, cfg.LoRA.Scaling()
	if len(a) != r*m.in || len(b) != m.out*r || len(w) != m.out*m.in {
		return fmt.Errorf("bert: merge LoRA: %s: A has %d values, B %d, W %d; want %d, %d and %d",
			m.prefix, len(a), len(b), len(w), r*m.in, m.out*r, m.out*m.in)
	}
	for o := range m.out {
		for j := range m.in {
			sum := 0.0
			for k := range r {
				sum += float64(b[o*r+k]) * float64(a[k*m.in+j])
			}
			w[o*m.in+j] += float32(s * sum)
		}
	}
	return nil
}

// MergeLoRA folds the LoRA update of cfg.LoRA into the base weights of ctx
// (W ← W + (Alpha/Rank)·B·A for every adapted layer), deletes the adapter's
// variables and returns cfg without LoRA: graphs built with it compute the
// adapted model at the base model's cost.
func MergeLoRA(ctx *context.Context, cfg Config) (Config, error) {
	if cfg.LoRA == nil {
		return cfg, nil
	}
	for _, m := range loraModules(&cfg) {
		w, err := float32Var(ctx, m.prefix+".weight")
		if err != nil {
			return cfg, fmt.Errorf("bert: merge LoRA: %w", err)
		}
		if err := mergeInto(ctx, &cfg, m, w); err != nil {
			return cfg, err
		}
		if err := setVariable(ctx, m.prefix+".weight", tensors.FromFlatDataAndDimensions(w, m.out, m.in)); err != nil {
			return cfg, fmt.Errorf("bert: merge LoRA: %w", err)
		}
	}
	for _, p := range LoRAParameters(&cfg) {
		if v := variableAt(ctx, p.Name); v != nil {
			if err := ctx.DeleteVariable(v.Scope(), v.Name()); err != nil {
				return cfg, fmt.Errorf("bert: merge LoRA: %w", err)
			}
		}
	}
	cfg.LoRA = nil
	return cfg, nil
}
