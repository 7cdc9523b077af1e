package recommend

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
)

// TestMLPLearnsInteraction: the label is 1 where two features have the same
// sign, a rule no linear ranker can express. The MLP must rank it well,
// the logistic regression not.
func TestMLPLearnsInteraction(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var x [][]float64
	var y []float64
	for range 4000 {
		a, b, c := rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
		x = append(x, []float64{a, b, c})
		if a*b > 0 {
			y = append(y, 1)
		} else {
			y = append(y, 0)
		}
	}
	accuracy := func(s scorer) float64 {
		ok := 0
		for i, r := range x {
			if (s.score(r) > 0) == (y[i] == 1) {
				ok++
			}
		}
		return float64(ok) / float64(len(x))
	}
	m, err := fitMLP(context.Background(), x, y, 1)
	if err != nil {
		t.Fatal(err)
	}
	w, b := fitLogistic(x, y, 1e-3, 50)
	mlpAcc, linAcc := accuracy(m), accuracy(&linear{w, b})
	t.Logf("accuracy: MLP %.3f, logistic %.3f", mlpAcc, linAcc)
	if mlpAcc < 0.9 {
		t.Errorf("MLP accuracy %.3f on a sign-agreement rule, want ≥ 0.9", mlpAcc)
	}
	if linAcc > 0.6 {
		t.Errorf("logistic accuracy %.3f: the rule should be beyond a linear model", linAcc)
	}
	// The contributions of the irrelevant third feature are the smallest on
	// average.
	var sum [3]float64
	for _, r := range x {
		for f, c := range m.contributions(r) {
			sum[f] += max(c, -c)
		}
	}
	if sum[2] > sum[0] || sum[2] > sum[1] {
		t.Errorf("mean |contribution| %v: the irrelevant feature 2 is not the smallest", sum)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := fitMLP(ctx, x, y, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
}

func TestParseEngineAndRanker(t *testing.T) {
	for _, e := range []Engine{EngineGo, EngineGoMLX} {
		if got, err := ParseEngine(e.String()); err != nil || got != e {
			t.Errorf("ParseEngine(%q) = %v, %v", e.String(), got, err)
		}
	}
	for _, r := range []Ranker{RankerMLP, RankerLogistic, RankerPairwise} {
		if got, err := ParseRanker(r.String()); err != nil || got != r {
			t.Errorf("ParseRanker(%q) = %v, %v", r.String(), got, err)
		}
	}
	if _, err := ParseEngine("torch"); err == nil {
		t.Error("ParseEngine(torch): no error")
	}
	if _, err := ParseRanker("gbdt"); err == nil {
		t.Error("ParseRanker(gbdt): no error")
	}
}

// TestBPREngineErrors: EngineGoMLX without a trainer, and a trainer that
// fails, are errors of Fit.
func TestBPREngineErrors(t *testing.T) {
	s, _ := NewSplit(fixture())
	m := BPR{Engine: EngineGoMLX}
	if err := m.Fit(context.Background(), s); !errors.Is(err, ErrNoTrainer) {
		t.Errorf("no trainer: %v, want ErrNoTrainer", err)
	}
	boom := errors.New("boom")
	m.Trainer = trainerFunc(func(context.Context, *BPRProblem) error { return boom })
	if err := m.Fit(context.Background(), s); !errors.Is(err, boom) {
		t.Errorf("failing trainer: %v, want it wrapped", err)
	}
	m.Engine = 7
	if err := m.Fit(context.Background(), s); err == nil {
		t.Error("unknown engine: no error")
	}
}

// TestBPRProblemSample: the triples are training positives and negatives
// the user has not liked.
func TestBPRProblemSample(t *testing.T) {
	s, _ := NewSplit(fixture())
	var got *BPRProblem
	m := BPR{Engine: EngineGoMLX, Factors: 4, Trainer: trainerFunc(func(_ context.Context, p *BPRProblem) error {
		got = p
		return nil
	})}
	if err := m.Fit(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if got.NumPositives() != s.NumTrain() || got.Users != s.NumUsers() || got.Items != s.NumItems() || len(got.P) != 4*s.NumUsers() {
		t.Fatalf("problem %d positives, %d users, %d items, %d P values; split %d, %d, %d",
			got.NumPositives(), got.Users, got.Items, len(got.P), s.NumTrain(), s.NumUsers(), s.NumItems())
	}
	u, i, j := make([]int32, 500), make([]int32, 500), make([]int32, 500)
	got.Sample(rand.New(rand.NewPCG(1, 2)), u, i, j)
	for k := range u {
		liked := trainSet(s, int(u[k]))
		if !liked[int(i[k])] || liked[int(j[k])] {
			t.Fatalf("triple %d (%d, %d, %d): i must be liked, j not", k, u[k], i[k], j[k])
		}
	}
}

type trainerFunc func(context.Context, *BPRProblem) error

func (f trainerFunc) TrainBPR(ctx context.Context, p *BPRProblem) error { return f(ctx, p) }

func TestInvertSPD(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	const n = 7
	m := make([]float64, n*n) // AᵀA + I
	a := make([]float64, n*n)
	for k := range a {
		a[k] = rng.NormFloat64()
	}
	for i := range n {
		for j := range n {
			for k := range n {
				m[i*n+j] += a[k*n+i] * a[k*n+j]
			}
		}
		m[i*n+i]++
	}
	inv := append([]float64(nil), m...)
	if err := invertSPD(context.Background(), inv, n); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		for j := range n {
			var s float64
			for k := range n {
				s += m[i*n+k] * inv[k*n+j]
			}
			want := 0.0
			if i == j {
				want = 1
			}
			if d := s - want; d > 1e-9 || d < -1e-9 {
				t.Fatalf("(M·M⁻¹)[%d][%d] = %g, want %g", i, j, s, want)
			}
		}
	}
	if err := invertSPD(context.Background(), []float64{-1}, 1); err == nil {
		t.Error("negative matrix: no error")
	}
}
