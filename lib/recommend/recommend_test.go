package recommend

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// fixture: 3 users, 6 items. User 0 has 6 positives (test: the last 1 by
// time) and one low rating; user 1 has 1 positive (test only); user 2 has
// 10 positives at equal times for two of them (test: the last 2).
func fixture() *Data {
	d := &Data{Users: []int{10, 20, 30}}
	for i := range 12 {
		d.Items = append(d.Items, Item{ID: 100 + i, Title: fmt.Sprintf("Movie %d", i), Text: fmt.Sprintf("Movie %d G%d", i, i%2)})
	}
	ev := func(u, i int, r float64, t int64) { d.Events = append(d.Events, Event{u, i, r, t}) }
	for i := range 6 {
		ev(0, i, 4, int64(100-i)) // item 5 is the oldest, item 0 the newest
	}
	ev(0, 6, 2, 1000) // a low rating: not a positive
	ev(1, 3, 5, 7)
	for i := range 10 {
		ev(2, i, 3.5, int64(i/2))
	}
	ev(2, 0, 5, 99) // a repeat of a positive counts once, at its first time
	return d
}

func TestSplitProtocol(t *testing.T) {
	s, err := NewSplit(fixture())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		user        int
		train, test []int
	}{
		{0, []int{5, 4, 3, 2, 1}, []int{0}},
		{1, nil, []int{3}},
		{2, []int{0, 1, 2, 3, 4, 5, 6, 7}, []int{8, 9}},
	}
	for _, tt := range tests {
		if !slices.Equal(s.Train[tt.user], tt.train) || !slices.Equal(s.Test[tt.user], tt.test) {
			t.Errorf("user %d: train %v test %v, want %v %v", tt.user, s.Train[tt.user], s.Test[tt.user], tt.train, tt.test)
		}
	}
	// No leakage: test items are not in training, and come no earlier.
	for u := range s.Train {
		for _, i := range s.Test[u] {
			if slices.Contains(s.Train[u], i) {
				t.Errorf("user %d: test item %d also in training", u, i)
			}
		}
	}
	if got, want := s.Pop[0], 1; got != want { // user 0's item 0 is in test
		t.Errorf("pop[0] = %d, want %d", got, want)
	}
	if slices.Contains(s.Train[0], 6) || slices.Contains(s.Test[0], 6) {
		t.Error("user 0's low rating of item 6 counted as a positive")
	}
	if s.Pop[9] != 0 || s.Pop[6] != 1 {
		t.Errorf("pop of items 6 and 9 = %d, %d; want 1 (user 2) and 0 (test only)", s.Pop[6], s.Pop[9])
	}
	v := s.Validation()
	if !slices.Equal(v.Train[2], []int{0, 1, 2, 3, 4, 5, 6}) || !slices.Equal(v.Test[2], []int{7}) || len(v.Test[1]) != 0 {
		t.Errorf("validation: user 2 train %v test %v, user 1 test %v", v.Train[2], v.Test[2], v.Test[1])
	}
}

func TestScoreHandComputed(t *testing.T) {
	s, err := NewSplit(fixture())
	if err != nil {
		t.Fatal(err)
	}
	// user 0 test {0}: hit at rank 2 → recall 1, ndcg 1/log2(3).
	// user 1 test {3}: no hit.
	// user 2 test {8, 9}: 9 at rank 1 → recall 1/2, ndcg 1/(1 + 1/log2 3).
	// Cold test positives (no training positive): 8, 9 (user 2) — 9 found.
	// (Item 3 of user 1 is liked in training by users 0 and 2; item 0 by user 2.)
	tops := [][]int{{6, 0, 7}, {1, 2, 4}, {9, 10, 11}}
	m := Score(s, tops, 3)
	want := Metrics{K: 3, Users: 3, ColdPositives: 2,
		Recall:     (1 + 0 + 0.5) / 3,
		NDCG:       (1/math.Log2(3) + 0 + 1/(1+1/math.Log2(3))) / 3,
		Coverage:   9.0 / 12,
		ColdRecall: 0.5}
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"recall", m.Recall, want.Recall}, {"ndcg", m.NDCG, want.NDCG}, {"coverage", m.Coverage, want.Coverage}, {"cold", m.ColdRecall, want.ColdRecall}} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	wantUser := []float64{1 / math.Log2(3), 0, 1 / (1 + 1/math.Log2(3))}
	if len(m.UserNDCG) != len(wantUser) {
		t.Fatalf("UserNDCG %v, want %v", m.UserNDCG, wantUser)
	}
	for u, w := range wantUser {
		if math.Abs(m.UserNDCG[u]-w) > 1e-12 {
			t.Errorf("UserNDCG[%d] = %v, want %v", u, m.UserNDCG[u], w)
		}
	}
	if m.Users != want.Users || m.ColdPositives != want.ColdPositives {
		t.Errorf("users %d cold %d, want %d %d", m.Users, m.ColdPositives, want.Users, want.ColdPositives)
	}
}

// synthetic is a data set with known structure: items and users belong to
// one of c clusters; a user likes items of their cluster (popular ones
// more often) and rarely others. Item texts name their cluster ("Gk"),
// which clusterEmbedder turns into a vector near that cluster's direction.
func synthetic(users, items, c int, seed uint64) *Data {
	rng := rand.New(rand.NewPCG(seed, 1))
	d := &Data{}
	for i := range items {
		d.Items = append(d.Items, Item{ID: i + 1, Title: fmt.Sprintf("Item %d", i), Text: fmt.Sprintf("Item %d about G%d", i, i%c)})
	}
	for u := range users {
		d.Users = append(d.Users, u+1)
		n := 20 + rng.IntN(30)
		for t := range n {
			var i int
			switch p := rng.Float64(); {
			case p < 0.6: // the user's cluster u%c, skewed to low indices
				i = (int(float64(items/c)*math.Pow(rng.Float64(), 2)))*c + u%c
			case p < 0.9: // globally popular items
				i = int(float64(items) * math.Pow(rng.Float64(), 1.5))
			default:
				i = rng.IntN(items)
			}
			d.Events = append(d.Events, Event{User: u, Item: i, Rating: 4, Time: int64(t)})
		}
	}
	return d
}

// clusterEmbedder embeds "… Gk" as the unit vector of (k-th axis + noise
// from a hash of the text), in dimension dim; it counts its calls.
type clusterEmbedder struct {
	dim   int
	calls atomic.Int32
}

func (e *clusterEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	e.calls.Add(1)
	out := make([][]float32, len(texts))
	for n, t := range texts {
		var k int
		if _, err := fmt.Sscanf(t[strings.LastIndex(t, "G"):], "G%d", &k); err != nil {
			return nil, err
		}
		h := fnv.New64a()
		h.Write([]byte(t))
		rng := rand.New(rand.NewPCG(h.Sum64(), 2))
		v := make([]float32, e.dim)
		var norm float64
		for i := range v {
			v[i] = float32(rng.NormFloat64() * 0.3)
			if i == k%e.dim {
				v[i] += 1
			}
			norm += float64(v[i] * v[i])
		}
		for i := range v {
			v[i] /= float32(math.Sqrt(norm))
		}
		out[n] = v
	}
	return out, nil
}

// random recommends uniformly random candidates (seeded per user).
type random struct{ s *Split }

func (r *random) Fit(_ context.Context, s *Split) error { r.s = s; return nil }
func (r *random) Recommend(u, k int) ([]Recommendation, error) {
	rng := rand.New(rand.NewPCG(uint64(u), 3))
	scores := make([]float64, r.s.NumItems())
	for i := range scores {
		scores[i] = rng.Float64()
	}
	var out []Recommendation
	for _, x := range topK(scores, trainSet(r.s, u), k) {
		out = append(out, Recommendation{Item: x.item, Score: x.score})
	}
	return out, nil
}

func TestModelsBeatRandom(t *testing.T) {
	ctx := context.Background()
	s, err := NewSplit(synthetic(200, 300, 5, 7))
	if err != nil {
		t.Fatal(err)
	}
	rnd := &random{}
	rnd.Fit(ctx, s)
	base, err := Evaluate(ctx, rnd, s, 10)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Embedder: &clusterEmbedder{dim: 16}, EmbedderName: "cluster", CacheDir: t.TempDir(), Seed: 1,
		BPR: BPR{Epochs: 100, Factors: 16, Seed: 1}, Text: Text{Epochs: 3, Rank: 8}}
	for _, kind := range Models {
		t.Run(kind.String(), func(t *testing.T) {
			r, err := cfg.New(kind)
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Fit(ctx, s); err != nil {
				t.Fatal(err)
			}
			m, err := Evaluate(ctx, r, s, 10)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: ndcg %.3f recall %.3f (random %.3f %.3f) cold %.3f of %d", kind, m.NDCG, m.Recall, base.NDCG, base.Recall, m.ColdRecall, m.ColdPositives)
			if m.NDCG < 1.5*base.NDCG {
				t.Errorf("%s: ndcg@10 %.3f, want at least 1.5 × random's %.3f", kind, m.NDCG, base.NDCG)
			}
			recs, err := r.Recommend(0, 5)
			if err != nil || len(recs) != 5 {
				t.Fatalf("Recommend(0, 5) = %d, %v", len(recs), err)
			}
			for _, x := range recs {
				if x.Reason == "" || slices.Contains(s.Train[0], x.Item) {
					t.Errorf("recommendation %+v: empty reason or already liked", x)
				}
			}
		})
	}
}

func TestColdStart(t *testing.T) {
	ctx := context.Background()
	d := synthetic(200, 300, 5, 11)
	// Items 250… appear only as the last positive of some users: in test, never in training.
	d.Events = slices.DeleteFunc(d.Events, func(e Event) bool { return e.Item >= 250 })
	for u := range 60 {
		d.Events = append(d.Events, Event{User: u, Item: 250 + (u%10)*5 + u%5, Rating: 5, Time: 1000})
	}
	s, err := NewSplit(d)
	if err != nil {
		t.Fatal(err)
	}
	cold := func(kind Model) float64 {
		cfg := Config{Embedder: &clusterEmbedder{dim: 16}, EmbedderName: "cluster", CacheDir: t.TempDir(), Seed: 1,
			BPR: BPR{Epochs: 20, Seed: 1}, Text: Text{Epochs: -1}}
		r, _ := cfg.New(kind)
		if err := r.Fit(ctx, s); err != nil {
			t.Fatal(err)
		}
		m, err := Evaluate(ctx, r, s, 10)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %+v", kind, m)
		if m.ColdPositives == 0 {
			t.Fatal("no cold test positives")
		}
		return m.ColdRecall
	}
	if got := cold(ModelBPR); got != 0 {
		t.Errorf("bpr cold recall %.3f, want 0 (it cannot rank unseen items above seen ones)", got)
	}
	for _, m := range []Model{ModelText, ModelHybrid} {
		if got := cold(m); got <= 0 {
			t.Errorf("%s cold recall %.3f, want > 0", m, got)
		}
	}
}

func TestSeededReproducible(t *testing.T) {
	ctx := context.Background()
	s, err := NewSplit(synthetic(50, 80, 4, 3))
	if err != nil {
		t.Fatal(err)
	}
	emb, _ := (&clusterEmbedder{dim: 8}).Embed(ctx, texts(s))
	for _, kind := range []Model{ModelBPR, ModelText, ModelHybrid} {
		run := func(seed uint64) []Recommendation {
			r, _ := Config{Embeddings: emb, Seed: seed, BPR: BPR{Epochs: 5, Seed: seed}, Text: Text{Epochs: 2}}.New(kind)
			if err := r.Fit(ctx, s); err != nil {
				t.Fatal(err)
			}
			recs, err := r.Recommend(1, 10)
			if err != nil {
				t.Fatal(err)
			}
			return recs
		}
		a, b, c := run(1), run(1), run(2)
		if !slices.Equal(a, b) {
			t.Errorf("%s: same seed, different recommendations", kind)
		}
		if slices.Equal(a, c) {
			t.Errorf("%s: different seeds, identical scores", kind)
		}
	}
}

func texts(s *Split) []string {
	out := make([]string, s.NumItems())
	for i, it := range s.Items {
		out[i] = it.Text
	}
	return out
}

func TestEmbedItemsCache(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	e := &clusterEmbedder{dim: 4}
	in := []string{"a G1", "b G2", "c G3"}
	first, err := EmbedItems(ctx, e, "m", in, dir)
	if err != nil {
		t.Fatal(err)
	}
	second, err := EmbedItems(ctx, e, "m", in, dir)
	if err != nil {
		t.Fatal(err)
	}
	if e.calls.Load() != 1 || !slices.EqualFunc(first, second, slices.Equal) {
		t.Fatalf("second call: %d embedder calls, equal %v; want 1 call and equal vectors", e.calls.Load(), slices.EqualFunc(first, second, slices.Equal))
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.emb"))
	if len(files) != 1 {
		t.Fatalf("cache files %v, want one", files)
	}
	// A damaged file (truncated) is recomputed, not trusted.
	b, _ := os.ReadFile(files[0])
	os.WriteFile(files[0], b[:len(b)-3], 0o644)
	if _, err := EmbedItems(ctx, e, "m", in, dir); err != nil || e.calls.Load() != 2 {
		t.Errorf("damaged cache: err %v, calls %d; want a recomputation", err, e.calls.Load())
	}
	// Other texts or another model name: another key.
	EmbedItems(ctx, e, "m2", in, dir)
	EmbedItems(ctx, e, "m", in[:2], dir)
	if files, _ = filepath.Glob(filepath.Join(dir, "*.emb")); len(files) != 3 || e.calls.Load() != 4 {
		t.Errorf("%d files after %d calls, want 3 and 4", len(files), e.calls.Load())
	}
}

func TestParseModel(t *testing.T) {
	for _, m := range Models {
		got, err := ParseModel(m.String())
		if err != nil || got != m {
			t.Errorf("ParseModel(%q) = %v, %v", m.String(), got, err)
		}
	}
	if _, err := ParseModel("svd"); err == nil {
		t.Error("ParseModel(svd): no error")
	}
}

func TestRecommendErrors(t *testing.T) {
	var p Popularity
	if _, err := p.Recommend(0, 10); err != ErrNotFitted {
		t.Errorf("unfitted: %v, want ErrNotFitted", err)
	}
	s, _ := NewSplit(fixture())
	p.Fit(context.Background(), s)
	for _, c := range [][2]int{{-1, 10}, {3, 10}, {0, 0}} {
		if _, err := p.Recommend(c[0], c[1]); err == nil {
			t.Errorf("Recommend(%d, %d): no error", c[0], c[1])
		}
	}
}
