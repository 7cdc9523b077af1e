package finetune

import (
	"context"
	"fmt"
	"math"

	"github.com/founderlab/founderlab/lib/metrics"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// Predict returns the class probabilities (softmax of the logits) of each example.
func (t *Trainer) Predict(ctx context.Context, ex []Example) ([][]float64, error) {
	if t.evalExec == nil {
		if err := t.build(1); err != nil {
			return nil, err
		}
	}
	if err := t.check("predict", ex); err != nil {
		return nil, err
	}
	out := make([][]float64, 0, len(ex))
	for lo := 0; lo < len(ex); lo += t.opt.EvalBatchSize {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hi := min(lo+t.opt.EvalBatchSize, len(ex))
		ids, types, mask, _ := batchTensors(ex[lo:hi])
		res, err := t.evalExec.Exec(ids, types, mask)
		if err != nil {
			return nil, fmt.Errorf("finetune: predict: %w", err)
		}
		logits := tensors.MustCopyFlatData[float32](res[0])
		k := t.cfg.NumLabels()
		for i := range hi - lo {
			out = append(out, softmax(logits[i*k:(i+1)*k]))
		}
	}
	return out, nil
}

func softmax(z []float32) []float64 {
	m := math.Inf(-1)
	for _, v := range z {
		m = math.Max(m, float64(v))
	}
	p := make([]float64, len(z))
	s := 0.0
	for i, v := range z {
		p[i] = math.Exp(float64(v) - m)
		s += p[i]
	}
	for i := range p {
		p[i] /= s
	}
	return p
}

// Evaluate returns the metrics of the model on ex (for two labels, ROC-AUC
// uses the probability of label 1) and the mean cross-entropy loss.
func (t *Trainer) Evaluate(ctx context.Context, ex []Example) (metrics.Report, float64, error) {
	probs, err := t.Predict(ctx, ex)
	if err != nil {
		return metrics.Report{}, 0, err
	}
	k := t.cfg.NumLabels()
	yTrue, yPred := make([]int, len(ex)), make([]int, len(ex))
	var scores []float64
	if k == 2 {
		scores = make([]float64, len(ex))
	}
	loss := 0.0
	for i, p := range probs {
		yTrue[i] = ex[i].Label
		for c := range p {
			if p[c] > p[yPred[i]] {
				yPred[i] = c
			}
		}
		if scores != nil {
			scores[i] = p[1]
		}
		loss -= math.Log(max(p[ex[i].Label], 1e-45))
	}
	hasBoth := false
	for _, y := range yTrue {
		if y != yTrue[0] {
			hasBoth = true
		}
	}
	if !hasBoth {
		scores = nil // ROC needs both classes.
	}
	r, err := metrics.Evaluate(k, yTrue, yPred, scores)
	if err != nil {
		return metrics.Report{}, 0, fmt.Errorf("finetune: evaluate: %w", err)
	}
	return r, loss / float64(len(ex)), nil
}
