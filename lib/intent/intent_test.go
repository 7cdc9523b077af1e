package intent

import (
	"context"
	"errors"
	"hash/fnv"
	"math"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/lib/textclass"
	"github.com/founderlab/founderlab/lib/textclass/classifier"
)

// hashEmbedder is a deterministic stand-in for a sentence encoder: each
// lower-cased word adds ±1 to one of 64 hashed coordinates; the vector is
// normalised to unit length.
type hashEmbedder struct{ calls int }

func (h *hashEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	h.calls++
	out := make([][]float32, len(texts))
	for i, t := range texts {
		v := make([]float32, 64)
		for _, w := range textclass.Tokenize(t) {
			f := fnv.New32a()
			f.Write([]byte(w))
			s := f.Sum32()
			sign := float32(1)
			if s&(1<<31) != 0 {
				sign = -1
			}
			v[s%64] += sign
		}
		var n float64
		for _, a := range v {
			n += float64(a * a)
		}
		if n > 0 {
			for j := range v {
				v[j] /= float32(math.Sqrt(n))
			}
		}
		out[i] = v
	}
	return out, nil
}

func TestQuantile(t *testing.T) {
	scores := []float64{0.9, 0.1, 0.5, 0.7, 0.3, 0.2, 0.8, 0.4, 0.6, 1.0}
	for _, c := range []struct{ r, want float64 }{{0, 0.1}, {0.05, 0.1}, {0.1, 0.2}, {0.25, 0.3}, {0.5, 0.6}, {0.99, 1.0}} {
		got, err := Quantile(scores, c.r)
		if err != nil || got != c.want {
			t.Errorf("Quantile(r=%v) = %v, %v; want %v", c.r, got, err, c.want)
		}
		// At most ⌊r·n⌋ scores lie below the threshold.
		if rej := Rejected(scores, got); rej > c.r+1e-12 {
			t.Errorf("r=%v: %v rejected", c.r, rej)
		}
	}
	for _, r := range []float64{-0.1, 1, math.NaN()} {
		if _, err := Quantile(scores, r); err == nil {
			t.Errorf("r=%v: no error", r)
		}
	}
	if _, err := Quantile(nil, 0.1); err == nil {
		t.Error("no scores: no error")
	}
}

func TestMeanSD(t *testing.T) {
	// 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squares 32, sd √(32/7).
	s := MeanSD([]float64{2, 4, 4, 4, 5, 5, 7, 9})
	if s.Mean != 5 || math.Abs(s.SD-math.Sqrt(32.0/7)) > 1e-15 {
		t.Errorf("got %+v", s)
	}
	if s := MeanSD([]float64{3}); s.Mean != 3 || s.SD != 0 {
		t.Errorf("one value: %+v", s)
	}
	if got := (Stat{0.91234, 0.0081}).String(); got != "0.912 ± 0.008" {
		t.Errorf("String: %q", got)
	}
}

func TestTradeOff(t *testing.T) {
	in, out := []float64{0.5, 0.75, 1}, []float64{0, 0.25, 0.6}
	pts := TradeOff(in, out, 4) // thresholds 0, 0.25, 0.5, 0.75, 1
	want := []Point{{0, 0, 0}, {0.25, 0, 1.0 / 3}, {0.5, 0, 2.0 / 3}, {0.75, 1.0 / 3, 1}, {1, 2.0 / 3, 1}}
	if len(pts) != len(want) {
		t.Fatalf("%d points", len(pts))
	}
	for i := range want {
		if pts[i] != want[i] {
			t.Errorf("point %d: %+v, want %+v", i, pts[i], want[i])
		}
	}
}

func TestMostConfused(t *testing.T) {
	truth := []string{"a", "a", "a", "b", "b", "c", "c"}
	pred := []string{"b", "b", "a", "a", "c", "a", "c"}
	got := MostConfused(truth, pred, 3)
	want := []Confusion{{"a", "b", 2}, {"b", "a", 1}, {"b", "c", 1}}
	if len(got) != 3 {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: %v, want %v", i, got[i], want[i])
		}
	}
}

func TestDefaultKnowledge(t *testing.T) {
	k := DefaultKnowledge()
	if len(k.Answers) != 77 || len(k.FAQ) < 5 || len(k.OffTopic) < 20 {
		t.Errorf("%d answers, %d FAQ entries, %d off-topic queries", len(k.Answers), len(k.FAQ), len(k.OffTopic))
	}
	for in, a := range k.Answers {
		if strings.Contains(a, "\n") || len(a) > 240 {
			t.Errorf("%s: answer is not one short line: %q", in, a)
		}
	}
	if m := k.Missing([]string{"card_arrival", "no_such_intent"}); len(m) != 1 || m[0] != "no_such_intent" {
		t.Errorf("Missing: %v", m)
	}
}

func TestLoadKnowledgeErrors(t *testing.T) {
	for _, c := range []struct{ in, msg string }{
		{"answers:\n  a: hi\nextra: 1\n", "field extra not found"},
		{"answers:\n  a: hi\n---\nanswers:\n  b: hi\n", "second YAML document"},
		{"answers: {}\n", "no answers"},
		{"answers:\n  a: ' '\n", "answers.a: empty answer"},
		{"answers:\n  a: hi\nfaq:\n  - question: q\n", "faq[0]: empty"},
		{"answers:\n  a: hi\noff_topic: ['x', '']\n", "off_topic[1]: empty"},
		{"answers: [1, 2]\n", "line 1"},
	} {
		_, err := LoadKnowledge(strings.NewReader(c.in), "k.yaml")
		if err == nil || !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), "k.yaml") {
			t.Errorf("%q: error %v, want one naming k.yaml and containing %q", c.in, err, c.msg)
		}
	}
}

// toy is a tiny labelled corpus for the hash embedder.
var toy = struct{ texts, cats []string }{
	texts: []string{
		"where is my card", "my card has not arrived", "card still not arrived", "when will my card arrive",
		"my pin is blocked", "pin blocked after wrong attempts", "unblock my pin", "blocked pin help",
		"cancel my transfer", "please cancel the transfer", "how to cancel a transfer", "stop transfer cancel",
	},
	cats: []string{
		"card_arrival", "card_arrival", "card_arrival", "card_arrival",
		"pin_blocked", "pin_blocked", "pin_blocked", "pin_blocked",
		"cancel_transfer", "cancel_transfer", "cancel_transfer", "cancel_transfer",
	},
}

func toyAssistant(testing.TB) (*Assistant, *hashEmbedder) {
	h := &hashEmbedder{}
	ctx := context.Background()
	x, _ := h.Embed(ctx, toy.texts)
	lin, err := classifier.FitLinear(ctx, x, toy.cats, classifier.LinearOptions{})
	if err != nil {
		panic(err)
	}
	k := &Knowledge{Answers: map[string]string{
		"card_arrival": "Track your card in the app.", "pin_blocked": "Unblock your PIN in the app.", "cancel_transfer": "Cancel a pending transfer from its page.",
	}, FAQ: []FAQEntry{{"what are your opening hours", "Chat support is open 9 to 5."}}}
	a, err := NewAssistant(ctx, &classifier.Embedding{Encoder: h, Linear: lin}, k, CentroidCosine, 0.5)
	if err != nil {
		panic(err)
	}
	return a, h
}

func TestAssistantReply(t *testing.T) {
	a, h := toyAssistant(t)
	ctx := context.Background()
	for _, c := range []struct {
		text   string
		intent string
		why    Reason
		answer string
	}{
		{"my card has still not arrived", "card_arrival", ReasonIntent, "Track your card in the app."},
		{"pin is blocked", "pin_blocked", ReasonIntent, "Unblock your PIN in the app."},
		{"what are your opening hours", "", ReasonRetrieved, "Chat support is open 9 to 5."},
		{"tell me a joke about penguins", "", ReasonHandOver, DefaultHandOver},
	} {
		r, err := a.Reply(ctx, c.text)
		if err != nil {
			t.Fatal(err)
		}
		if r.Why != c.why || r.Answer != c.answer || (c.intent != "" && r.Intent != c.intent) {
			t.Errorf("%q: %+v; want %v, %q, %q", c.text, r, c.why, c.intent, c.answer)
		}
		if r.Why == ReasonIntent && r.Score < a.Threshold || r.Why != ReasonIntent && r.Score >= a.Threshold {
			t.Errorf("%q: score %v against threshold %v gave %v", c.text, r.Score, a.Threshold, r.Why)
		}
	}
	calls := h.calls
	rs, err := a.ReplyAll(ctx, []string{"where is my card", "cancel my transfer", "tell me a joke"})
	if err != nil || len(rs) != 3 || h.calls != calls+1 {
		t.Fatalf("ReplyAll: %v, %d replies, %d embedding calls (want one)", err, len(rs), h.calls-calls)
	}
	if n := Counts(rs); n[ReasonIntent] != 2 || n[ReasonHandOver] != 1 {
		t.Errorf("Counts: %v", n)
	}
	for _, bad := range []string{"", "\xff\xfe", strings.Repeat("x", 10<<20)} {
		if _, err := a.Reply(ctx, bad); !errors.Is(err, classifier.ErrBadText) {
			t.Errorf("%.10q: %v, want classifier.ErrBadText", bad, err)
		}
	}
}

func TestReasonString(t *testing.T) {
	for r, want := range map[Reason]string{ReasonIntent: "intent", ReasonRetrieved: "retrieved", ReasonHandOver: "hand-over", Reason(7): "Reason(7)"} {
		if r.String() != want {
			t.Errorf("%d: %q", int(r), r.String())
		}
	}
}

func TestNewAssistantNeedsEveryAnswer(t *testing.T) {
	h := &hashEmbedder{}
	x, _ := h.Embed(context.Background(), toy.texts)
	lin, err := classifier.FitLinear(context.Background(), x, toy.cats, classifier.LinearOptions{})
	if err != nil {
		t.Fatal(err)
	}
	k := &Knowledge{Answers: map[string]string{"card_arrival": "x"}}
	_, err = NewAssistant(context.Background(), &classifier.Embedding{Encoder: h, Linear: lin}, k, MaxProb, 0.5)
	if err == nil || !strings.Contains(err.Error(), "cancel_transfer") {
		t.Errorf("error %v, want one naming cancel_transfer", err)
	}
}

func TestLongOperationsHonourContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h := &hashEmbedder{}
	x, _ := h.Embed(ctx, toy.texts)
	if _, err := Evaluate(ctx, x, toy.cats, x, toy.cats, OpenOptions{UnknownFraction: 0.34}); !errors.Is(err, context.Canceled) {
		t.Errorf("Evaluate: %v", err)
	}
}

func TestRecallAt(t *testing.T) {
	in := []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0}
	out := []float64{0.05, 0.15, 0.25, 0.95}
	// r = 0: τ = 0.1, one below; r = 0.1: τ = 0.2, two; r = 0.5: τ = 0.6, three.
	got, err := RecallAt(in, out, []float64{0, 0.1, 0.5})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.25, 0.5, 0.75}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("rate %d: %v, want %v", i, got[i], want[i])
		}
	}
	if _, err := RecallAt(in, out, []float64{1}); err == nil {
		t.Error("rate 1: no error")
	}
}

func TestPerIntent(t *testing.T) {
	x, c := PerIntent([]string{"a", "b", "c", "d", "e"}, []string{"p", "q", "p", "p", "q"}, 2)
	if strings.Join(x, "") != "abce" || strings.Join(c, "") != "pqpq" {
		t.Errorf("got %v %v", x, c)
	}
	if x, _ := PerIntent([]string{"a"}, []string{"p"}, 0); len(x) != 1 {
		t.Error("n = 0 dropped queries")
	}
}

func TestScorerNames(t *testing.T) {
	for _, s := range Scorers {
		if s.String() == "" || strings.HasPrefix(s.String(), "Scorer(") {
			t.Errorf("scorer %d has no name", int(s))
		}
	}
}

// TestCalibrate checks that the calibration from training data alone
// gives the threshold Evaluate finds on the same seeds, and that the text
// version rejects about the target share of in-scope queries.
func TestCalibrate(t *testing.T) {
	ctx := context.Background()
	h := &hashEmbedder{}
	x, _ := h.Embed(ctx, toy.texts)
	opt := OpenOptions{UnknownFraction: 0.34, ValFraction: 0.3, TargetFRR: 0.2, Seeds: []uint64{1, 2}}
	res, err := Evaluate(ctx, x, toy.cats, x, toy.cats, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range Scorers {
		want, _ := Threshold(res, s)
		got, err := CalibrateVectors(ctx, x, toy.cats, s, opt)
		if err != nil || math.Abs(got-want) > 1e-12 {
			t.Errorf("%v: CalibrateVectors %v, %v; Evaluate's %v", s, got, err, want)
		}
	}
	fit := func(ctx context.Context, texts, cats []string) (classifier.Classifier, error) {
		return classifier.FitTFIDF(ctx, texts, cats, 1)
	}
	tau, err := CalibrateTexts(ctx, toy.texts, toy.cats, fit, opt)
	if err != nil || !(tau > 0 && tau < 1) {
		t.Errorf("CalibrateTexts: %v, %v", tau, err)
	}
	if _, err := CalibrateVectors(ctx, x, toy.cats, MaxProb, OpenOptions{UnknownFraction: 0.9}); err == nil {
		t.Error("CalibrateVectors holding out all but one intent: no error")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := CalibrateVectors(cctx, x, toy.cats, MaxProb, opt); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled CalibrateVectors: %v", err)
	}
}

func TestOtherDomain(t *testing.T) {
	q := OtherDomain()
	if len(q) != 288 {
		t.Errorf("%d queries, the doc says 288", len(q))
	}
	domains := map[string]int{}
	seen := map[string]bool{}
	for _, x := range q {
		domains[x.Domain]++
		if x.Text == "" || seen[x.Text] {
			t.Errorf("empty or repeated query %q", x.Text)
		}
		seen[x.Text] = true
	}
	if len(domains) != 17 || domains["hard"] != 62 {
		t.Errorf("domains %v", domains)
	}
	if err := classifier.CheckTexts(OtherDomainTexts(q)); err != nil {
		t.Error(err)
	}
}
