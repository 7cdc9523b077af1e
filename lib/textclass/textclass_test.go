package textclass

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/internal/testenv"
	"github.com/founderlab/founderlab/lib/metrics"
)

type golden struct {
	TrainTexts      []string    `json:"train_texts"`
	TrainLabels     []int       `json:"train_labels"`
	TestTexts       []string    `json:"test_texts"`
	Terms           []string    `json:"terms"`
	IDF             []float64   `json:"idf"`
	TestTFIDF       [][]float64 `json:"test_tfidf"`
	BinaryProba     [][]float64 `json:"binary_proba"`
	BinaryCoef      []float64   `json:"binary_coef"`
	BinaryIntercept float64     `json:"binary_intercept"`
	MultiLabels     []int       `json:"multi_labels"`
	MultiC          float64     `json:"multi_C"`
	MultiProba      [][]float64 `json:"multi_proba"`
}

func loadGolden(t *testing.T) golden {
	t.Helper()
	data, err := os.ReadFile("testdata/sklearn.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

func closeAll(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol {
			t.Fatalf("%s[%d] = %.9f, want %.9f", what, i, got[i], want[i])
		}
	}
}

func dense(s Sparse, dim int) []float64 {
	out := make([]float64, dim)
	for k, j := range s.Index {
		out[j] = s.Value[k]
	}
	return out
}

// TestTFIDFAgainstScikitLearn compares vocabulary, idf and vectors with
// scikit-learn's TfidfVectorizer (scripts/golden-finetune-baseline.py).
func TestTFIDFAgainstScikitLearn(t *testing.T) {
	g := loadGolden(t)
	v, err := FitTFIDF(g.TrainTexts, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(v.Terms, g.Terms) {
		t.Fatalf("terms = %v\nwant %v", v.Terms, g.Terms)
	}
	closeAll(t, "idf", v.IDF, g.IDF, 1e-12)
	for i, text := range g.TestTexts {
		closeAll(t, fmt.Sprintf("tfidf(%q)", text), dense(v.Transform(text), v.Dim()), g.TestTFIDF[i], 1e-12)
	}
}

// TestLogRegAgainstScikitLearn compares fitted weights and probabilities
// with scikit-learn's LogisticRegression (lbfgs) for 2 and 3 classes.
func TestLogRegAgainstScikitLearn(t *testing.T) {
	g := loadGolden(t)
	ctx := context.Background()
	c, err := Fit(ctx, g.TrainTexts, g.TrainLabels, 2, 1, LogRegOptions{Tol: 1e-10})
	if err != nil {
		t.Fatal(err)
	}
	closeAll(t, "binary coef", c.Model.W[0], g.BinaryCoef, 1e-6)
	closeAll(t, "binary intercept", c.Model.B, []float64{g.BinaryIntercept}, 1e-6)
	for i, text := range g.TestTexts {
		closeAll(t, "binary proba "+text, c.Proba(text), g.BinaryProba[i], 1e-6)
	}
	c3, err := Fit(ctx, g.TrainTexts, g.MultiLabels, 3, 1, LogRegOptions{C: g.MultiC, Tol: 1e-10})
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range g.TestTexts {
		closeAll(t, "3-class proba "+text, c3.Proba(text), g.MultiProba[i], 1e-6)
	}
}

func TestTokenize(t *testing.T) {
	got := Tokenize("I've a 39°C fever, and chills! Día 2: a b")
	want := []string{"ve", "39", "fever", "and", "chills", "día"}
	if !slices.Equal(got, want) {
		t.Errorf("Tokenize = %q, want %q", got, want)
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := FitTFIDF(nil, 1); err == nil {
		t.Error("FitTFIDF(nil): no error")
	}
	if _, err := FitTFIDF([]string{"a b"}, 1); err == nil {
		t.Error("FitTFIDF without tokens: no error")
	}
	x := []Sparse{{Index: []int{0}, Value: []float64{1}}}
	if _, err := FitLogReg(ctx, x, []int{2}, 1, 2, LogRegOptions{}); err == nil {
		t.Error("label out of range: no error")
	}
	if _, err := FitLogReg(ctx, x, []int{0, 1}, 1, 2, LogRegOptions{}); err == nil {
		t.Error("length mismatch: no error")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := FitLogReg(cancelled, x, []int{1}, 1, 2, LogRegOptions{}); err == nil {
		t.Error("cancelled context: no error")
	}
}

// TestSymptom2DiseaseBaseline fits the chapter's baseline on the real data:
// infectious-vs-other from symptom descriptions is easy for bag-of-words
// features, so a working pipeline scores far above the 61% majority class.
func TestSymptom2DiseaseBaseline(t *testing.T) {
	testenv.RequireData(t, "symptom2disease")
	cases, err := datasets.LoadSymptom2Disease(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	split, err := datasets.SplitSymptoms(cases, 42, 0.15, 0.15)
	if err != nil {
		t.Fatal(err)
	}
	trainX, trainY := datasets.SymptomTextsLabels(split.Train)
	testX, testY := datasets.SymptomTextsLabels(split.Test)
	c, err := Fit(context.Background(), trainX, trainY, 2, 1, LogRegOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pred, score := c.PredictAll(testX)
	r, err := metrics.Evaluate(2, testY, pred, score)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: test %s", c, r)
	if r.Accuracy < 0.85 || r.ROCAUC < 0.9 {
		t.Errorf("baseline test accuracy %.3f, ROC-AUC %.3f: want ≥ 0.85 and ≥ 0.9", r.Accuracy, r.ROCAUC)
	}
	pos, neg := c.TopTerms(5)
	if len(pos) != 5 || len(neg) != 5 {
		t.Errorf("TopTerms = %v %v", pos, neg)
	}
}

func ExampleFit() {
	texts := []string{"high fever and chills", "fever with cough", "stiff painful knees", "aching joints and knees"}
	labels := []int{1, 1, 0, 0}
	c, err := Fit(context.Background(), texts, labels, 2, 1, LogRegOptions{C: 10})
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Predict("a fever since monday"), c.Predict("my knees hurt"))
	// Output: 1 0
}
