package finetune

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/founderlab/founderlab/lib/backend"
	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	mlctx "github.com/gomlx/gomlx/pkg/ml/context"
)

func testBackend(t testing.TB) backends.Backend {
	t.Helper()
	t.Setenv(backend.EnvBackend, "go")
	c, err := backend.New()
	if err != nil {
		t.Fatal(err)
	}
	return c.Backend
}

type adamGolden struct {
	Config struct {
		LR          float64 `json:"lr"`
		WeightDecay float64 `json:"weight_decay"`
		Warmup      int     `json:"warmup"`
		Total       int     `json:"total"`
		MaxGradNorm float64 `json:"max_grad_norm"`
		Steps       int     `json:"steps"`
	} `json:"config"`
	X     []float64      `json:"x"`
	Y     []float64      `json:"y"`
	Init  map[string]any `json:"init"`
	Steps []struct {
		Loss     float64        `json:"loss"`
		GradNorm float64        `json:"grad_norm"`
		LR       float64        `json:"lr"`
		Params   map[string]any `json:"params"`
	} `json:"steps"`
}

func flatten(v any) []float64 {
	switch x := v.(type) {
	case float64:
		return []float64{x}
	case []any:
		var out []float64
		for _, e := range x {
			out = append(out, flatten(e)...)
		}
		return out
	}
	panic("unexpected JSON value")
}

// TestAdamWAgainstPyTorch replays torch.optim.AdamW with transformers'
// no-decay groups, linear warmup/decay schedule and clip_grad_norm_
// (scripts/golden-finetune-adamw.py) and compares every step.
func TestAdamWAgainstPyTorch(t *testing.T) {
	data, err := os.ReadFile("testdata/adamw.json")
	if err != nil {
		t.Fatal(err)
	}
	var gold adamGolden
	if err := json.Unmarshal(data, &gold); err != nil {
		t.Fatal(err)
	}
	b := testBackend(t)
	ctx := mlctx.New()
	// Torch names → (scope, name) as lib/bert lays them out.
	layout := map[string][2]string{
		"dense.weight":     {"/dense", "weight"},
		"dense.bias":       {"/dense", "bias"},
		"LayerNorm.weight": {"/LayerNorm", "weight"},
	}
	dims := map[string][]int{"dense.weight": {3, 4}, "dense.bias": {3}, "LayerNorm.weight": {3}}
	for name, sn := range layout {
		ctx.InAbsPath(sn[0]).VariableWithValue(sn[1], tensors.FromFlatDataAndDimensions(flatten(gold.Init[name]), dims[name]...))
	}
	opt := NewAdamW(gold.Config.LR, gold.Config.WeightDecay)
	opt.WarmupSteps, opt.TotalSteps, opt.MaxGradNorm = gold.Config.Warmup, gold.Config.Total, gold.Config.MaxGradNorm
	exec, err := mlctx.NewExec(b, ctx, func(ctx *mlctx.Context, x, y *graph.Node) (loss, norm, lr *graph.Node) {
		g := x.Graph()
		w := ctx.GetVariableByScopeAndName("/dense", "weight")
		bias := ctx.GetVariableByScopeAndName("/dense", "bias")
		gamma := ctx.GetVariableByScopeAndName("/LayerNorm", "weight")
		out := graph.Mul(graph.Tanh(graph.Add(graph.Dot(w.ValueGraph(g), x), bias.ValueGraph(g))), gamma.ValueGraph(g))
		diff := graph.Sub(out, y)
		loss = graph.ReduceAllSum(graph.Mul(diff, diff))
		vars := []*mlctx.Variable{w, bias, gamma}
		grads := graph.Gradient(loss, w.ValueGraph(g), bias.ValueGraph(g), gamma.ValueGraph(g))
		norm, lr, err := opt.Apply(ctx, vars, grads)
		if err != nil {
			panic(err)
		}
		return loss, norm, lr
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range gold.Steps {
		outs, err := exec.Exec(tensors.FromValue(gold.X), tensors.FromValue(gold.Y))
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		check := func(what string, got, want float64) {
			if math.Abs(got-want) > 1e-9*(1+math.Abs(want)) {
				t.Fatalf("step %d: %s = %.12g, want %.12g", i, what, got, want)
			}
		}
		check("loss", tensors.ToScalar[float64](outs[0]), want.Loss)
		check("grad norm", tensors.ToScalar[float64](outs[1]), want.GradNorm)
		check("lr", tensors.ToScalar[float64](outs[2]), want.LR)
		for name, sn := range layout {
			got := tensors.MustCopyFlatData[float64](ctx.GetVariableByScopeAndName(sn[0], sn[1]).MustValue())
			w := flatten(want.Params[name])
			for j := range w {
				check(name, got[j], w[j])
			}
		}
	}
	if s, err := Step(ctx); err != nil || s != len(gold.Steps) {
		t.Errorf("Step = %d, %v; want %d", s, err, len(gold.Steps))
	}
}

func TestLRFactor(t *testing.T) {
	o := AdamW{WarmupSteps: 2, TotalSteps: 6}
	want := []float64{0, 0.5, 1, 0.75, 0.5, 0.25, 0, 0}
	for step, w := range want {
		if got := o.LRFactor(step); math.Abs(got-w) > 1e-15 {
			t.Errorf("LRFactor(%d) = %v, want %v", step, got, w)
		}
	}
}

func TestDecayMask(t *testing.T) {
	for _, tc := range []struct {
		scope, name string
		want        bool
	}{
		{"/bert/encoder/layer/0/attention/self/query", "weight", true},
		{"/bert/encoder/layer/0/attention/self/query", "bias", false},
		{"/bert/encoder/layer/0/output/LayerNorm", "weight", false},
		{"/bert/embeddings/LayerNorm", "weight", false},
		{"/bert/embeddings/word_embeddings", "weight", true},
		{"/classifier", "weight", true},
	} {
		if got := DecayExceptBiasAndLayerNorm(tc.scope, tc.name); got != tc.want {
			t.Errorf("%s/%s: decay %v, want %v", tc.scope, tc.name, got, tc.want)
		}
	}
}
