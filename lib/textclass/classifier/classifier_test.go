package classifier

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestCheckTexts(t *testing.T) {
	for _, c := range []struct {
		text string
		ok   bool
	}{{"where is my card?", true}, {"", false}, {" \t\n", false}, {"caf\xe9", false}, {strings.Repeat("a", MaxTextBytes+1), false}, {strings.Repeat("a", MaxTextBytes), true}} {
		err := CheckTexts([]string{"fine", c.text})
		if (err == nil) != c.ok || (err != nil && (!errors.Is(err, ErrBadText) || !strings.Contains(err.Error(), "text 1"))) {
			t.Errorf("%.20q: %v", c.text, err)
		}
	}
}

func TestCentroidScores(t *testing.T) {
	l := &Linear{Centroids: [][]float64{{1, 0}, {0, 1}}}
	got := l.CentroidScores([][]float32{{3, 4}, {0, 0}, {-1, 0}})
	want := []float64{0.8, 0, 0}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("%d: %v, want %v", i, got[i], want[i])
		}
	}
}

func TestNeighborScores(t *testing.T) {
	l := &Linear{Train: [][]float32{{1, 0}, {0.6, 0.8}}}
	got := l.NeighborScores([][]float32{{3, 4}, {0, 0}, {-1, 0}, {0, -2}, {2, 0}})
	want := []float64{1, 0, -0.6, -0, 1} // nearest: the second, either (0), the second, the first (0 > -0.8), the first
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-6 {
			t.Errorf("%d: %v, want %v", i, got[i], want[i])
		}
	}
}

func TestFineTuneBadInput(t *testing.T) {
	ctx := context.Background()
	if _, err := FineTune(ctx, t.TempDir(), []string{"a"}, nil, nil, nil, FineTuneOptions{}, nil); err == nil {
		t.Error("1 text, 0 categories: no error")
	}
	if _, err := FineTune(ctx, t.TempDir(), []string{"\xff"}, []string{"x"}, nil, nil, FineTuneOptions{}, nil); !errors.Is(err, ErrBadText) {
		t.Errorf("invalid UTF-8: %v", err)
	}
	if _, err := FineTune(ctx, t.TempDir(), []string{"a"}, []string{"x"}, nil, nil, FineTuneOptions{}, nil); err == nil || !strings.Contains(err.Error(), "classifier: FineTune:") {
		t.Errorf("empty model directory: %v", err)
	}
}

func TestSplitDev(t *testing.T) {
	var texts, cats []string
	for i := range 100 {
		texts, cats = append(texts, string(rune('a'+i%26))+strings.Repeat("x", i)), append(cats, []string{"a", "b", "c"}[i%3])
	}
	tr, trC, dev, devC := SplitDev(texts, cats, 0.1, 1)
	if len(tr)+len(dev) != 100 || len(tr) != len(trC) || len(dev) != len(devC) {
		t.Fatalf("%d + %d texts", len(tr), len(dev))
	}
	n := map[string]int{}
	for _, c := range devC {
		n[c]++
	}
	if n["a"] != 3 || n["b"] != 3 || n["c"] != 3 { // round(0.1 · 34), round(0.1 · 33) twice
		t.Errorf("dev per class %v", n)
	}
	again, _, _, _ := SplitDev(texts, cats, 0.1, 1)
	other, _, _, _ := SplitDev(texts, cats, 0.1, 2)
	if !slices.Equal(tr, again) || slices.Equal(tr, other) {
		t.Error("the split is not a function of the seed")
	}
	seen := map[string]bool{}
	for _, s := range append(slices.Clone(tr), dev...) {
		seen[s] = true
	}
	if len(seen) != 100 {
		t.Errorf("%d distinct texts in the two parts", len(seen))
	}
}

func TestLabels(t *testing.T) {
	for _, c := range []struct {
		cats, names []string
		labels      []int
	}{
		{[]string{"neutral", "bearish", "bullish", "bearish"}, []string{"bearish", "bullish", "neutral"}, []int{2, 0, 1, 0}},
		{[]string{"b", "b"}, []string{"b"}, []int{0, 0}},
		{nil, nil, []int{}},
	} {
		labels, names := Labels(c.cats)
		if !slices.Equal(labels, c.labels) || !slices.Equal(names, c.names) {
			t.Errorf("Labels(%q) = %v, %q; want %v, %q", c.cats, labels, names, c.labels, c.names)
		}
	}
}

func TestPredict(t *testing.T) {
	pred, conf := Predict([][]float64{{0.2, 0.7, 0.1}, {0.5, 0.5, 0}, {0, 0, 1}})
	if !slices.Equal(pred, []int{1, 0, 2}) || !slices.Equal(conf, []float64{0.7, 0.5, 1}) {
		t.Errorf("got %v %v", pred, conf)
	}
}

func TestFitLinearBadInput(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		x    [][]float32
		cats []string
		want string
	}{
		{"lengths", [][]float32{{1}}, nil, "1 vectors and 0 categories"},
		{"empty", nil, nil, "no examples"},
		{"one class", [][]float32{{1}, {2}}, []string{"a", "a"}, "1 class, need at least 2"},
		{"ragged", [][]float32{{1, 0}, {2}}, []string{"a", "b"}, "vector 1 has 1 values, vector 0 has 2"},
	} {
		if _, err := FitLinear(ctx, c.x, c.cats, LinearOptions{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

// axisEmbedder embeds a text as the unit vector of the axis named by its
// first letter ('x', 'y' or 'z'), counting its calls.
type axisEmbedder struct{ calls int }

func (a *axisEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	a.calls++
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = make([]float32, 3)
		out[i][strings.IndexByte("xyz", t[0])] = 1
	}
	return out, nil
}

func TestEmbedding(t *testing.T) {
	ctx := context.Background()
	enc := &axisEmbedder{}
	texts := []string{"x one", "x two", "y one", "y two", "z one", "z two"}
	cats := []string{"up", "up", "down", "down", "flat", "flat"}
	x, _ := enc.Embed(ctx, texts)
	lin, err := FitLinear(ctx, x, cats, LinearOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var c Classifier = &Embedding{Encoder: enc, Linear: lin}
	if !slices.Equal(c.Classes(), []string{"down", "flat", "up"}) {
		t.Fatalf("classes %q", c.Classes())
	}
	p, err := c.Proba(ctx, []string{"z new", "x new", "y new"})
	if err != nil {
		t.Fatal(err)
	}
	pred, conf := Predict(p)
	if !slices.Equal(pred, []int{1, 2, 0}) {
		t.Errorf("predicted %v, want [1 2 0]", pred)
	}
	for i, row := range p {
		var s float64
		for _, v := range row {
			s += v
		}
		if math.Abs(s-1) > 1e-9 || conf[i] < 0.5 {
			t.Errorf("text %d: probabilities %v", i, row)
		}
	}
	calls := enc.calls
	if _, err := c.Proba(ctx, []string{"x fine", ""}); !errors.Is(err, ErrBadText) || enc.calls != calls {
		t.Errorf("empty text: %v, %d embedder calls", err, enc.calls-calls)
	}
	if got := lin.CentroidScores([][]float32{{0, 2, 0}}); math.Abs(got[0]-1) > 1e-12 {
		t.Errorf("centroid score of a training direction %v, want 1", got[0])
	}
}

func TestTFIDF(t *testing.T) {
	ctx := context.Background()
	texts := []string{"shares rally on strong earnings", "stock soars after upgrade", "shares plunge on weak guidance", "stock drops after downgrade", "market closes flat", "shares unchanged in quiet trade"}
	cats := []string{"bullish", "bullish", "bearish", "bearish", "neutral", "neutral"}
	c, err := FitTFIDF(ctx, texts, cats, 1)
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Proba(ctx, []string{"earnings rally", "weak guidance", "quiet trade"})
	if err != nil {
		t.Fatal(err)
	}
	if pred, _ := Predict(p); !slices.Equal(pred, []int{1, 0, 2}) {
		t.Errorf("predicted %v, want [1 0 2] (bullish, bearish, neutral)", pred)
	}
	if _, err := FitTFIDF(ctx, texts, cats[:2], 1); err == nil {
		t.Error("6 texts, 2 categories: no error")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.Proba(cancelled, texts); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
