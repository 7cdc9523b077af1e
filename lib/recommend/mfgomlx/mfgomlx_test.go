package mfgomlx_test

import (
	"context"
	"errors"
	"testing"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/internal/testenv"
	"github.com/founderlab/founderlab/lib/recommend"
	"github.com/founderlab/founderlab/lib/recommend/mfgomlx"
)

// smallSplit is MovieLens restricted to its 1,000 most rated movies: the
// protocol's split of a catalogue small enough for a quick fit.
func smallSplit(t *testing.T) *recommend.Split {
	t.Helper()
	if testing.Short() {
		t.Skip("GoMLX fits on MovieLens")
	}
	testenv.RequireData(t, "movielens-small")
	ml, err := datasets.LoadMovieLens(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d, err := recommend.FromMovieLens(ml, nil, recommend.TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := recommend.NewSplit(d.TopItems(1000))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func ndcg(t *testing.T, r recommend.Recommender, s *recommend.Split) float64 {
	t.Helper()
	if err := r.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	m, err := recommend.Evaluate(context.Background(), r, s, 10)
	if err != nil {
		t.Fatal(err)
	}
	return m.NDCG
}

// TestLearns checks that the GoMLX engine's loss falls, that its model
// beats popularity, and that it is as good as the Go engine's on the same
// seed and settings, for both optimizers.
func TestLearns(t *testing.T) {
	s := smallSplit(t)
	pop := ndcg(t, &recommend.Popularity{}, s)
	goBPR := ndcg(t, &recommend.BPR{Epochs: 20, Seed: 3, Workers: 1}, s)
	tests := []struct {
		name    string
		trainer *mfgomlx.Trainer
	}{
		{"sgd", &mfgomlx.Trainer{}},
		{"adam", &mfgomlx.Trainer{Optimizer: mfgomlx.Adam, LearningRate: 0.005}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &recommend.BPR{Epochs: 20, Seed: 3, Engine: recommend.EngineGoMLX, Trainer: tt.trainer}
			got := ndcg(t, m, s)
			t.Logf("%s: NDCG@10 %.4f (Go engine %.4f, popularity %.4f); loss %.4f → %.4f",
				tt.trainer.Config, got, goBPR, pop, m.Losses[0], m.Losses[len(m.Losses)-1])
			if len(m.Losses) != 20 {
				t.Fatalf("%d losses, want one per epoch (20)", len(m.Losses))
			}
			if first, last := m.Losses[0], m.Losses[len(m.Losses)-1]; !(last < 0.8*first) {
				t.Errorf("loss %.4f → %.4f: did not fall by a fifth", first, last)
			}
			if got <= pop*1.1 {
				t.Errorf("NDCG@10 %.4f, popularity's %.4f: want at least 10 %% more", got, pop)
			}
			if got < 0.9*goBPR {
				t.Errorf("NDCG@10 %.4f, Go engine's %.4f on the same seed: want within 10 %%", got, goBPR)
			}
		})
	}
}

func TestHonoursContext(t *testing.T) {
	s := smallSplit(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m := &recommend.BPR{Epochs: 5, Engine: recommend.EngineGoMLX, Trainer: mfgomlx.New(nil)}
	if err := m.Fit(ctx, s); !errors.Is(err, context.Canceled) {
		t.Fatalf("Fit with a cancelled context: %v, want context.Canceled", err)
	}
}

func TestBadInput(t *testing.T) {
	var p recommend.BPRProblem
	if err := mfgomlx.New(nil).TrainBPR(context.Background(), &p); !errors.Is(err, recommend.ErrNoData) {
		t.Errorf("empty problem: %v, want ErrNoData", err)
	}
	s := smallSplit(t)
	m := &recommend.BPR{Epochs: 1, Engine: recommend.EngineGoMLX, Trainer: &mfgomlx.Trainer{Optimizer: 9}}
	if err := m.Fit(context.Background(), s); err == nil {
		t.Error("unknown optimizer: no error")
	}
}
