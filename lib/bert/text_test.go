package bert

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/founderlab/founderlab/lib/safetensors"
)

// singleSentences returns the sentences of inputs.json that are not pairs,
// with their row numbers.
func singleSentences(in minilmInputs) (texts []string, rows []int) {
	for i, s := range in.Sentences {
		if str, ok := s.(string); ok {
			texts = append(texts, str)
			rows = append(rows, i)
		}
	}
	return texts, rows
}

// TestLoadEmbed checks the notebook path end to end: Load the pretrained
// directory, tokenize, and compare Embed with sentence-transformers' encode.
func TestLoadEmbed(t *testing.T) {
	dir := pretrainedDir(t)
	m, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !m.NormalizeEmbeddings || m.MaxLength != 256 {
		t.Errorf("NormalizeEmbeddings=%v MaxLength=%d, want true and 256 (from the sentence-transformers files)", m.NormalizeEmbeddings, m.MaxLength)
	}
	in := readMinilmInputs(t)
	texts, rows := singleSentences(in)

	// Our tokenization must give transformers' ids.
	b, err := m.Tokenize(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	for k, r := range rows {
		for j, want := range in.InputIDs[r] {
			if in.AttentionMask[r][j] == 1 && b.InputIDs[k][j] != want {
				t.Fatalf("text %d token %d: id %d, transformers %d", r, j, b.InputIDs[k][j], want)
			}
		}
	}

	g := openGolden(t, "testdata/minilm/golden.safetensors")
	want, _ := g.floats("sentence_embedding")
	for _, bs := range []int{0, 2} { // one batch; batches of 2 (sorted by length, padded differently)
		m.BatchSize = bs
		emb, err := m.Embed(context.Background(), texts)
		if err != nil {
			t.Fatal(err)
		}
		d := maxAbsDiff(t, "embedding", flat2(emb), want)
		t.Logf("batch size %d: max |Embed - sentence-transformers| = %.2g", bs, d)
		if d > parityTol {
			t.Errorf("batch size %d: embeddings differ from sentence-transformers by %.3g", bs, d)
		}
		for i, e := range emb {
			if n := math.Sqrt(float64(dot(e, e))); math.Abs(n-1) > 1e-5 {
				t.Errorf("embedding %d: norm %v, want 1", i, n)
			}
		}
	}

	// Without normalization, Embed is plain mean pooling.
	m.NormalizeEmbeddings = false
	emb, err := m.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	mean, shape := g.floats("mean_pooled")
	for k, r := range rows {
		if d := maxAbsDiff(t, "mean", emb[k], mean[r*shape[1]:(r+1)*shape[1]]); d > parityTol {
			t.Errorf("text %d: unnormalized embedding differs from transformers' mean pooling by %.3g", r, d)
		}
	}
}

func dot(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// TestSemanticSearch checks that the pretrained embeddings find paraphrases.
func TestSemanticSearch(t *testing.T) {
	m, err := Load(pretrainedDir(t))
	if err != nil {
		t.Fatal(err)
	}
	corpus := []string{
		"The patient reports a persistent dry cough and mild fever.",
		"Our churn rate dropped after we launched the onboarding emails!",
		"Can I transfer money to my savings account on Sunday?",
		"I have had a skin rash with itching for two weeks.",
	}
	queries := []struct {
		text string
		want int
	}{
		{"How do I move funds between my bank accounts?", 2},
		{"My skin is red and itchy.", 3},
		{"Fewer customers cancel since we started welcome emails.", 1},
		{"I keep coughing and I feel feverish.", 0},
	}
	ctx := context.Background()
	emb, err := m.Embed(ctx, corpus)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range queries {
		qe, err := m.Embed(ctx, []string{q.text})
		if err != nil {
			t.Fatal(err)
		}
		best := Nearest(qe[0], emb, 2)
		if best[0].Index != q.want {
			t.Errorf("%q: nearest %q (%.2f), want %q", q.text, corpus[best[0].Index], best[0].Score, corpus[q.want])
		}
		if best[0].Score <= best[1].Score {
			t.Errorf("%q: scores not sorted: %v", q.text, best)
		}
	}
}

// TestPredict checks Predict's probabilities and labels against transformers
// on the pretrained encoder with the seeded classification head.
func TestPredict(t *testing.T) {
	dir := pretrainedDir(t)
	base, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := base.Predict(context.Background(), []string{"x"}); err == nil {
		t.Fatal("Predict without a classifier head succeeded")
	}
	in := readMinilmInputs(t)
	cfg := base.Config
	cfg.SetLabels(in.Labels)
	w, err := safetensors.Open(filepath.Join(dir, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	head, err := safetensors.Open("testdata/minilm/classifier.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	defer head.Close()
	vars := newTestVars()
	if _, err := LoadWeights(vars, &cfg, sources{w, head}, true); err != nil {
		t.Fatal(err)
	}
	m, err := New(testBackend(t), cfg, vars)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.SetTokenizer(base.Tokenizer()); err != nil {
		t.Fatal(err)
	}
	texts, rows := singleSentences(in)
	preds, err := m.Predict(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	g := openGolden(t, "testdata/minilm/golden.safetensors")
	logits, shape := g.floats("logits")
	for k, r := range rows {
		want := Softmax(logits[r*shape[1] : (r+1)*shape[1]])
		if d := maxAbsDiff(t, "probabilities", preds[k].Probabilities, want); d > parityTol {
			t.Errorf("text %d: probabilities %v, transformers %v", r, preds[k].Probabilities, want)
		}
		best := 0
		for j := range want {
			if want[j] > want[best] {
				best = j
			}
		}
		if preds[k].Index != best || preds[k].Label != in.Labels[best] || preds[k].Probability != preds[k].Probabilities[best] {
			t.Errorf("text %d: prediction %+v, want label %q", r, preds[k], in.Labels[best])
		}
	}

	// The pair (last sentence of inputs.json) through PredictPairs.
	r := len(in.Sentences) - 1
	pair := in.Sentences[r].([]any)
	pp, err := m.PredictPairs(context.Background(), [][2]string{{pair[0].(string), pair[1].(string)}})
	if err != nil {
		t.Fatal(err)
	}
	want := Softmax(logits[r*shape[1] : (r+1)*shape[1]])
	if d := maxAbsDiff(t, "pair", pp[0].Probabilities, want); d > parityTol {
		t.Errorf("pair: probabilities %v, transformers %v", pp[0].Probabilities, want)
	}
}
