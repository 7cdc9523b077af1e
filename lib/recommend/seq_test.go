package recommend

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSequenceHandWorked checks the "what comes next" score on four users
// worked out by hand: item 0 has four training positives, so each later
// positive of another user after it adds 1/4.
func TestSequenceHandWorked(t *testing.T) {
	s := &Split{
		Items: make([]Item, 5),
		Train: [][]int{{0, 1, 2}, {0, 2, 3}, {1, 0, 4}, {0}},
		Pop:   []int{4, 2, 2, 1, 1},
	}
	q := newSequence(s, 10, 10)
	want := []float64{0, 0.25, 0.5, 0.25, 0.25}
	got := q.scores(3)
	for j := range want {
		if math.Abs(got[j]-want[j]) > 1e-12 {
			t.Errorf("score of item %d = %g, want %g", j, got[j], want[j])
		}
	}
	// User 2 saw 1 then 0. From 1 (two positives, weight 1/2) item 2
	// follows for user 0; from 0 (weight 1/4), 1 and 2 for user 0, 2 and 3
	// for user 1.
	want2 := []float64{0, 0.25, 0.5 + 0.25 + 0.25, 0.25, 0}
	got2 := q.scores(2)
	for j := range want2 {
		if math.Abs(got2[j]-want2[j]) > 1e-12 {
			t.Errorf("user 2: score of item %d = %g, want %g", j, got2[j], want2[j])
		}
	}
	for _, c := range []struct {
		u, j, want int
		ok         bool
	}{
		{3, 2, 0, true}, {3, 4, 0, true},
		{2, 2, 1, true}, // f is 1/2 from 1 and from 0: the first of the recent wins
		{3, 0, -1, false},
	} {
		if i, ok := q.because(c.u, c.j); i != c.want || ok != c.ok {
			t.Errorf("because(%d, %d) = %d, %v, want %d, %v", c.u, c.j, i, ok, c.want, c.ok)
		}
	}
}

// TestFitPairwise: the label follows feature 0 within each group; feature
// 1 is constant within a group but higher in groups with more positives.
// A pairwise ranker sees only differences within a group, so it must give
// feature 1 no weight at all and feature 0 a positive one.
func TestFitPairwise(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var x [][]float64
	var y []float64
	groups := []int{0}
	for g := range 40 {
		rate := float64(g%4+1) / 10
		for range 60 {
			a := rng.NormFloat64()
			x = append(x, []float64{a, rate})
			if a+0.5*rng.NormFloat64() > 1.5-5*rate {
				y = append(y, 1)
			} else {
				y = append(y, 0)
			}
		}
		groups = append(groups, len(x))
	}
	w := fitPairwise(x, y, groups, 1e-3, 1)
	if w[0] <= 0.5 {
		t.Errorf("weight of the ranking feature %g, want > 0.5", w[0])
	}
	if math.Abs(w[1]) > 1e-9 {
		t.Errorf("weight of the per-group constant %g, want 0", w[1])
	}
	// The pointwise logistic regression does use the group feature.
	if wp, _ := fitLogistic(x, y, 1e-3, 50); math.Abs(wp[1]) < 0.1 {
		t.Errorf("pointwise weight of the group feature %g: the case does not separate the two", wp[1])
	}
}
