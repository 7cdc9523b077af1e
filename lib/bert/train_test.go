package bert

import (
	"math"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	mlctx "github.com/gomlx/gomlx/pkg/ml/context"
)

// tinyTrainVars loads the tiny checkpoint into a fresh context.
func tinyTrainVars(t *testing.T) (Config, *mlctx.Context) {
	t.Helper()
	m := tinyModel(t)
	return m.Config, m.Vars()
}

// crossEntropy is the mean softmax cross-entropy of logits [batch, labels]
// against integer labels [batch].
func crossEntropy(logits, labels *graph.Node) *graph.Node {
	n := logits.Shape().Dimensions[1]
	logp := graph.LogSoftmax(logits, -1)
	oneHot := graph.OneHot(labels, n, logits.DType())
	return graph.Neg(graph.ReduceAllMean(graph.ReduceSum(graph.Mul(logp, oneHot), -1)))
}

// TestClassifierGradient builds the training graph on the backend (SimpleGo
// unless an XLA plugin is installed): loss and gradients for every weight.
// With dropout off, the classifier bias gradient must be
// mean(softmax(logits) − onehot(label)), and the gradient of one encoder
// weight must match a central finite difference of the loss.
func TestClassifierGradient(t *testing.T) {
	cfg, vars := tinyTrainVars(t)
	cfg.HiddenDropoutProb, cfg.AttentionProbsDropoutProb = 0, 0
	g := openGolden(t, "testdata/tiny/golden.safetensors")
	b := g.batch()
	ids, types, mask, err := b.tensors(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	labels := tensors.FromValue([]int32{2, 0, 1})
	probe := vars.In("bert").In("encoder").In("layer").In("1").In("intermediate").In("dense")
	probeVar := probe.GetVariableByScopeAndName(probe.Scope(), "weight")
	if probeVar == nil {
		t.Fatal("no intermediate.dense.weight variable in layer 1")
	}

	step := mlctx.MustNewExec(testBackend(t), vars.Checked(false), func(ctx *mlctx.Context, ids, types, mask, labels *graph.Node) []*graph.Node {
		ctx.SetTraining(ids.Graph(), true)
		logits := ClassifierLogits(ctx, &cfg, ids, types, mask)
		loss := crossEntropy(logits, labels)
		c := ctx.In("classifier")
		bias := c.GetVariableByScopeAndName(c.Scope(), "bias").ValueGraph(ids.Graph())
		grads := graph.Gradient(loss, bias, probeVar.ValueGraph(ids.Graph()))
		return []*graph.Node{loss, logits, grads[0], grads[1]}
	})
	out, err := step.Exec(ids, types, mask, labels)
	if err != nil {
		t.Fatal(err)
	}
	loss := tensors.ToScalar[float32](out[0])
	logits := tensors.MustCopyFlatData[float32](out[1])
	gradBias := tensors.MustCopyFlatData[float32](out[2])
	gradW := tensors.MustCopyFlatData[float32](out[3])

	// Analytic gradient of the classifier bias.
	want := make([]float64, 3)
	for i, y := range []int{2, 0, 1} {
		p := Softmax(logits[3*i : 3*i+3])
		for j := range p {
			d := float64(p[j])
			if j == y {
				d--
			}
			want[j] += d / 3
		}
	}
	for j := range want {
		if math.Abs(float64(gradBias[j])-want[j]) > 1e-5 {
			t.Errorf("d loss/d classifier.bias[%d] = %g, want %g", j, gradBias[j], want[j])
		}
	}

	// Finite difference on the largest-gradient entry of the probe weight.
	k := 0
	for i := range gradW {
		if math.Abs(float64(gradW[i])) > math.Abs(float64(gradW[k])) {
			k = i
		}
	}
	lossExec := mlctx.MustNewExec(testBackend(t), vars.Checked(false), func(ctx *mlctx.Context, ids, types, mask, labels *graph.Node) *graph.Node {
		return crossEntropy(ClassifierLogits(ctx, &cfg, ids, types, mask), labels)
	})
	orig := tensors.MustCopyFlatData[float32](probeVar.MustValue())
	lossAt := func(delta float32) float64 {
		w := append([]float32(nil), orig...)
		w[k] += delta
		if err := probeVar.SetValue(tensors.FromFlatDataAndDimensions(w, probeVar.Shape().Dimensions...)); err != nil {
			t.Fatal(err)
		}
		return float64(tensors.ToScalar[float32](lossExec.MustExec(ids, types, mask, labels)[0]))
	}
	const eps = 1e-2
	fd := (lossAt(eps) - lossAt(-eps)) / (2 * eps)
	lossAt(0)
	if math.Abs(fd-float64(gradW[k])) > 0.02*math.Abs(fd)+1e-4 {
		t.Errorf("d loss/d w[%d] = %g, finite difference %g", k, gradW[k], fd)
	}
	t.Logf("loss %.4f; bias gradient %v; probe gradient %.5g vs finite difference %.5g", loss, gradBias, gradW[k], fd)
}

// TestDropoutInTraining checks that dropout acts only in training mode.
func TestDropoutInTraining(t *testing.T) {
	cfg, vars := tinyTrainVars(t)
	g := openGolden(t, "testdata/tiny/golden.safetensors")
	b := g.batch()
	ids, types, mask, err := b.tensors(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	run := func(training bool) []float32 {
		e := mlctx.MustNewExec(testBackend(t), vars.Checked(false), func(ctx *mlctx.Context, ids, types, mask *graph.Node) *graph.Node {
			ctx.SetTraining(ids.Graph(), training)
			return ClassifierLogits(ctx, &cfg, ids, types, mask)
		})
		return tensors.MustCopyFlatData[float32](e.MustExec(ids, types, mask)[0])
	}
	want, _ := g.floats("logits")
	if d := maxAbsDiff(t, "eval", run(false), want); d > parityTol {
		t.Fatalf("eval-mode logits differ from transformers by %.3g", d)
	}
	a, c := run(true), run(true)
	if maxAbsDiff(t, "train", a, want) < 1e-3 || maxAbsDiff(t, "train", a, c) < 1e-3 {
		t.Fatal("training-mode logits equal eval-mode or each other: dropout not applied")
	}
}

// TestAllGradients computes the gradient of the loss with respect to every
// weight in training mode (dropout on) and checks they are finite and not
// all zero: every op on the path has a gradient on the backend.
func TestAllGradients(t *testing.T) {
	cfg, vars := tinyTrainVars(t)
	g := openGolden(t, "testdata/tiny/golden.safetensors")
	b := g.batch()
	ids, types, mask, err := b.tensors(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	labels := tensors.FromValue([]int32{2, 0, 1})
	var names []string
	e := mlctx.MustNewExec(testBackend(t), vars.Checked(false), func(ctx *mlctx.Context, ids, types, mask, labels *graph.Node) []*graph.Node {
		ctx.SetTraining(ids.Graph(), true)
		loss := crossEntropy(ClassifierLogits(ctx, &cfg, ids, types, mask), labels)
		var nodes []*graph.Node
		for v := range ctx.IterVariables() {
			if v.Trainable && v.InUseByGraph(ids.Graph()) && v.DType() == dtypes.Float32 {
				nodes = append(nodes, v.ValueGraph(ids.Graph()))
				names = append(names, v.ScopeAndName())
			}
		}
		return graph.Gradient(loss, nodes...)
	})
	grads, err := e.Exec(ids, types, mask, labels)
	if err != nil {
		t.Fatal(err)
	}
	if want := len(Parameters(&cfg, true)); len(grads) != want {
		t.Fatalf("%d gradients, want one per weight (%d)", len(grads), want)
	}
	for i, gr := range grads {
		sum := 0.0
		for _, v := range tensors.MustCopyFlatData[float32](gr) {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("gradient of %s is not finite", names[i])
			}
			sum += math.Abs(float64(v))
		}
		if sum == 0 {
			t.Errorf("gradient of %s is all zero", names[i])
		}
	}
}
