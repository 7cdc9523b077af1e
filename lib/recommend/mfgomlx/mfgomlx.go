// Package mfgomlx trains recommend's BPR matrix factorisation as a GoMLX
// graph, on the backend lib/backend chooses (XLA on a GPU when its plugin is
// installed, XLA on the CPU, or the pure-Go SimpleGo backend).
//
// It is a package of its own so that programs using package recommend with
// its pure-Go engine (every notebook cell that imports it) do not link GoMLX
// and XLA. Ask for it where it is wanted:
//
//	m := recommend.BPR{Engine: recommend.EngineGoMLX, Trainer: mfgomlx.New(nil), Seed: 1}
//
// # The model and a training step
//
// The factors P (users × f), Q (items × f) and the item biases b are GoMLX
// variables; x̂_uj = p_u·q_j + b_j. A step takes a mini-batch of Batch
// triples (u, i, j) — a training positive (u, i) and a sampled negative j,
// drawn on the host exactly as recommend's Go engine draws them — gathers
// the rows p_u, q_i, q_j, b_i, b_j, and minimises
//
//	L = Σ_batch [ −ln σ(x̂_ui − x̂_uj) + λ/2 (‖p_u‖² + ‖q_i‖² + ‖q_j‖² + b_i² + b_j²) ]
//
// (the per-triple objective of the Go engine, summed over the batch). The
// gradient is GoMLX's automatic differentiation, and an optimizer updates
// the variables: plain SGD with the problem's learning rate, so that one
// triple moves the parameters as one step of the Go engine does (the
// default), or Adam from GoMLX's optimizers package. SGD differentiates
// with respect to the gathered rows and scatter-adds the steps into the
// tables, touching only the rows of the batch, and one execution of the
// graph chains StepsPerCall steps (8 by default), which saves a round trip
// to the host and a copy of the tables per step; Adam updates the whole
// tables, one step per execution. An epoch is ⌈positives / (Batch ·
// steps per execution)⌉ executions, so that every input has the same shape
// and the graph is compiled once.
//
// The Go engine updates the factors after every triple (Hogwild across
// goroutines); here the triples of a batch all see the factors from before
// the batch, so the two engines do not give equal numbers for a seed, only
// models of similar quality (the package tests measure by how much).
package mfgomlx

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	mlctx "github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"

	"github.com/founderlab/founderlab/lib/backend"
	"github.com/founderlab/founderlab/lib/recommend"
)

// Optimizer chooses how a step's gradient updates the variables.
type Optimizer uint8

const (
	// SGD is plain stochastic gradient descent with the problem's learning
	// rate on the summed loss (the default).
	SGD Optimizer = iota
	// Adam is Adam (Kingma and Ba 2015) with Trainer.LearningRate.
	Adam
)

// String returns "sgd" or "adam".
func (o Optimizer) String() string {
	switch o {
	case SGD:
		return "sgd"
	case Adam:
		return "adam"
	}
	return fmt.Sprintf("Optimizer(%d)", uint8(o))
}

// DefaultBatch is the number of triples per step when Trainer.Batch is 0.
const DefaultBatch = 1024

// DefaultStepsPerCall is the number of SGD steps one graph execution
// chains when Trainer.StepsPerCall is 0.
const DefaultStepsPerCall = 8

// Trainer is a [recommend.BPRTrainer] running the epochs as GoMLX graphs.
type Trainer struct {
	// Backend runs the graphs; nil: the one lib/backend chooses, created
	// when training starts.
	Backend backends.Backend
	Batch   int // triples per step (0: DefaultBatch)
	// StepsPerCall is how many SGD steps one execution of the graph chains
	// (0: DefaultStepsPerCall); Adam takes one step per execution.
	StepsPerCall int
	Optimizer    Optimizer // SGD (default) or Adam
	// LearningRate overrides the problem's learning rate when > 0 (Adam
	// wants a smaller one than SGD, e.g. 0.005).
	LearningRate float64

	// Config says which backend the last TrainBPR ran on.
	Config string
}

// New returns a trainer on backend b (nil: lib/backend's choice) with the
// default batch and optimizer.
func New(b backends.Backend) *Trainer { return &Trainer{Backend: b} }

// TrainBPR implements [recommend.BPRTrainer].
func (t *Trainer) TrainBPR(ctx context.Context, p *recommend.BPRProblem) (err error) {
	if p.NumPositives() == 0 {
		return recommend.ErrNoData
	}
	if len(p.P) != p.Users*p.Factors || len(p.Q) != p.Items*p.Factors || len(p.B) != p.Items {
		return fmt.Errorf("mfgomlx: factors of %d, %d, %d values for %d users, %d items, %d factors",
			len(p.P), len(p.Q), len(p.B), p.Users, p.Items, p.Factors)
	}
	batch := t.Batch
	if batch <= 0 {
		batch = DefaultBatch
	}
	lr := p.LearningRate
	if t.LearningRate > 0 {
		lr = t.LearningRate
	}
	b := t.Backend
	t.Config = ""
	if b == nil {
		c, err := backend.New()
		if err != nil {
			return fmt.Errorf("mfgomlx: %w", err)
		}
		b, t.Config = c.Backend, c.Config
	} else {
		t.Config = b.Name()
	}
	// GoMLX reports graph-building errors as panics; none must cross the API.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("mfgomlx: %v", r)
		}
	}()
	vars := mlctx.New()
	defer vars.Finalize()
	vp := vars.VariableWithValue("p", tensors.FromFlatDataAndDimensions(p.P, p.Users, p.Factors))
	vq := vars.VariableWithValue("q", tensors.FromFlatDataAndDimensions(p.Q, p.Items, p.Factors))
	vb := vars.VariableWithValue("b", tensors.FromFlatDataAndDimensions(p.B, p.Items))
	var opt optimizers.Interface
	switch t.Optimizer {
	case SGD: // in the graph below, on the gathered rows only
	case Adam:
		opt = optimizers.Adam().LearningRate(lr).Done()
	default:
		return fmt.Errorf("mfgomlx: unknown %v", t.Optimizer)
	}
	reg := p.Reg
	// One call runs `per` steps: the inputs hold per·batch triples, and the
	// steps are chained in the graph (SGD), saving a host round trip and a
	// copy of the tables per step.
	per := 1
	if opt == nil {
		per = t.StepsPerCall
		if per <= 0 {
			per = DefaultStepsPerCall
		}
	}
	exec, err := mlctx.NewExec(b, vars, func(ctx *mlctx.Context, us, is, js *graph.Node) *graph.Node {
		g := us.Graph()
		ctx.SetTraining(g, true)
		P, Q, B := vp.ValueGraph(g), vq.ValueGraph(g), vb.ValueGraph(g)
		var total *graph.Node
		for s := range per {
			r := graph.AxisRange(s*batch, (s+1)*batch)
			u, i, j := graph.Slice(us, r), graph.Slice(is, r), graph.Slice(js, r)
			pu := graph.Gather(P, graph.ExpandAxes(u, -1)) // batch × f
			qi := graph.Gather(Q, graph.ExpandAxes(i, -1))
			qj := graph.Gather(Q, graph.ExpandAxes(j, -1))
			bi := graph.Gather(B, graph.ExpandAxes(i, -1)) // batch
			bj := graph.Gather(B, graph.ExpandAxes(j, -1))
			x := graph.Add(graph.ReduceSum(graph.Mul(pu, graph.Sub(qi, qj)), -1), graph.Sub(bi, bj))
			rank := graph.ReduceAllSum(graph.Softplus(graph.Neg(x))) // Σ −ln σ(x)
			sq := graph.Add(graph.Add(graph.ReduceAllSum(graph.Square(pu)), graph.ReduceAllSum(graph.Square(qi))),
				graph.Add(graph.ReduceAllSum(graph.Square(qj)),
					graph.Add(graph.ReduceAllSum(graph.Square(bi)), graph.ReduceAllSum(graph.Square(bj)))))
			loss := graph.Add(rank, graph.MulScalar(sq, reg/2))
			if opt != nil {
				opt.UpdateGraph(ctx, g, loss)
				return rank
			}
			// SGD touches only the gathered rows: the gradient with respect
			// to them, scattered back (summed where a row repeats), is the
			// gradient with respect to the whole table, not built densely.
			grads := graph.Gradient(loss, pu, qi, qj, bi, bj)
			step := func(k int) *graph.Node { return graph.MulScalar(grads[k], -lr) }
			ij := graph.ExpandAxes(graph.Concatenate([]*graph.Node{i, j}, 0), -1)
			P = graph.ScatterSum(P, graph.ExpandAxes(u, -1), step(0), false, false)
			Q = graph.ScatterSum(Q, ij, graph.Concatenate([]*graph.Node{step(1), step(2)}, 0), false, false)
			B = graph.ScatterSum(B, ij, graph.Concatenate([]*graph.Node{step(3), step(4)}, 0), false, false)
			if total == nil {
				total = rank
			} else {
				total = graph.Add(total, rank)
			}
		}
		vp.SetValueGraph(P)
		vq.SetValueGraph(Q)
		vb.SetValueGraph(B)
		return total
	})
	if err != nil {
		return fmt.Errorf("mfgomlx: %w", err)
	}
	defer exec.Finalize()
	rng := rand.New(rand.NewPCG(p.Seed, 0x6d66))
	us, is, js := make([]int32, per*batch), make([]int32, per*batch), make([]int32, per*batch)
	steps := (p.NumPositives() + per*batch - 1) / (per * batch) // calls per epoch
	p.Losses = make([]float64, 0, p.Epochs)
	for range p.Epochs {
		var sum float64
		for range steps {
			if err := ctx.Err(); err != nil {
				return err
			}
			p.Sample(rng, us, is, js)
			out, err := exec.Exec(us, is, js)
			if err != nil {
				return fmt.Errorf("mfgomlx: step: %w", err)
			}
			sum += float64(tensors.MustCopyFlatData[float32](out[0])[0])
			out[0].FinalizeAll()
		}
		p.Losses = append(p.Losses, sum/float64(steps*per*batch))
	}
	for _, c := range []struct {
		v   *mlctx.Variable
		dst []float32
	}{{vp, p.P}, {vq, p.Q}, {vb, p.B}} {
		val, err := c.v.Value()
		if err != nil {
			return fmt.Errorf("mfgomlx: %w", err)
		}
		data, err := tensors.CopyFlatData[float32](val)
		if err != nil {
			return fmt.Errorf("mfgomlx: %w", err)
		}
		copy(c.dst, data)
	}
	return nil
}
