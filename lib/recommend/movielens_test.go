package recommend_test

import (
	"context"
	"testing"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/internal/testenv"
	"github.com/founderlab/founderlab/lib/recommend"
)

// TestMovieLensProtocolAndModels checks the protocol on the real data and
// that the behavioural models beat popularity there (measured: popularity
// NDCG@10 0.0703, item-kNN 0.0915, BPR 0.0902 with Workers = 1 and the
// defaults, EASE 0.1093).
func TestMovieLensProtocolAndModels(t *testing.T) {
	if testing.Short() {
		t.Skip("fits three models on 100,836 ratings")
	}
	testenv.RequireData(t, "movielens-small")
	ctx := context.Background()
	ml, err := datasets.LoadMovieLens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d, err := recommend.FromMovieLens(ml, nil, recommend.TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := recommend.NewSplit(d)
	if err != nil {
		t.Fatal(err)
	}
	if s.NumUsers() != 610 || s.NumItems() != 9742 {
		t.Fatalf("%d users, %d items; want 610, 9742", s.NumUsers(), s.NumItems())
	}
	train, test := 0, 0
	for u := range s.Test {
		n := len(s.Train[u]) + len(s.Test[u])
		if want := max(1, n/5); n > 0 && len(s.Test[u]) != want {
			t.Errorf("user %d: %d test of %d positives, want %d", u, len(s.Test[u]), n, want)
		}
		train, test = train+len(s.Train[u]), test+len(s.Test[u])
	}
	// Measured: 49,614 training and 12,102 test positives.
	t.Logf("%d training and %d test positives", train, test)
	if train+test < 40000 || test < train/6 || test > train/3 {
		t.Errorf("%d training and %d test positives: not the protocol's 80/20", train, test)
	}
	var ndcg [4]float64
	for i, r := range []recommend.Recommender{&recommend.Popularity{}, &recommend.ItemKNN{}, &recommend.BPR{Seed: 1, Workers: 1}, &recommend.EASE{}} {
		if err := r.Fit(ctx, s); err != nil {
			t.Fatal(err)
		}
		m, err := recommend.Evaluate(ctx, r, s, 10)
		if err != nil {
			t.Fatal(err)
		}
		ndcg[i] = m.NDCG
		if m.ColdPositives == 0 || m.ColdRecall != 0 {
			t.Errorf("model %d: cold recall %.4f of %d, want 0 of some", i, m.ColdRecall, m.ColdPositives)
		}
	}
	t.Logf("NDCG@10: pop %.4f itemknn %.4f bpr %.4f ease %.4f", ndcg[0], ndcg[1], ndcg[2], ndcg[3])
	if ndcg[0] < 0.05 || ndcg[1] < 1.15*ndcg[0] || ndcg[2] < 1.15*ndcg[0] || ndcg[3] < 1.15*ndcg[0] {
		t.Errorf("NDCG@10 pop %.4f itemknn %.4f bpr %.4f ease %.4f: want pop ≥ 0.05 and the others ≥ 1.15 × pop", ndcg[0], ndcg[1], ndcg[2], ndcg[3])
	}
}
