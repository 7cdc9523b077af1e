package recommend

import (
	"context"
	"time"
)

// Result is one model's run under the protocol: its metrics, the wall time
// of Fit, and the top-k lists of the users asked for.
type Result struct {
	Model      Model
	Metrics    Metrics
	FitSeconds float64
	Lists      map[int][]Recommendation // user → top k
}

// Run builds model m from cfg, fits it on s, evaluates it at k and keeps
// the top-k lists of the given users.
func Run(ctx context.Context, cfg Config, m Model, s *Split, k int, users ...int) (Result, error) {
	r, err := cfg.New(m)
	if err != nil {
		return Result{}, err
	}
	start := time.Now()
	if err := r.Fit(ctx, s); err != nil {
		return Result{}, err
	}
	res := Result{Model: m, FitSeconds: time.Since(start).Seconds(), Lists: map[int][]Recommendation{}}
	if res.Metrics, err = Evaluate(ctx, r, s, k); err != nil {
		return Result{}, err
	}
	for _, u := range users {
		if res.Lists[u], err = r.Recommend(u, k); err != nil {
			return Result{}, err
		}
	}
	return res, nil
}
