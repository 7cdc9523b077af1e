package metrics

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"
)

type golden struct {
	Name       string    `json:"name"`
	NumClasses int       `json:"num_classes"`
	YTrue      []int     `json:"y_true"`
	YPred      []int     `json:"y_pred"`
	Scores     []float64 `json:"scores"`
	Accuracy   float64   `json:"accuracy"`
	Confusion  [][]int   `json:"confusion"`
	Precision  []float64 `json:"precision"`
	Recall     []float64 `json:"recall"`
	F1         []float64 `json:"f1"`
	MacroF1    float64   `json:"macro_f1"`
	WeightedF1 float64   `json:"weighted_f1"`
	ROCAUC     *float64  `json:"roc_auc"`
	ROCFPR     []float64 `json:"roc_fpr"`
	ROCTPR     []float64 `json:"roc_tpr"`
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12 }

// TestAgainstScikitLearn compares with values computed by scikit-learn
// (scripts/golden-finetune-metrics.py).
func TestAgainstScikitLearn(t *testing.T) {
	data, err := os.ReadFile("testdata/sklearn.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []golden
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 4 {
		t.Fatalf("only %d golden cases", len(cases))
	}
	for _, g := range cases {
		t.Run(g.Name, func(t *testing.T) {
			c, err := NewConfusion(g.NumClasses, g.YTrue, g.YPred)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(c.Counts) != fmt.Sprint(g.Confusion) {
				t.Errorf("confusion = %v, want %v", c.Counts, g.Confusion)
			}
			if !near(c.Accuracy(), g.Accuracy) {
				t.Errorf("accuracy = %v, want %v", c.Accuracy(), g.Accuracy)
			}
			for k := range g.NumClasses {
				if !near(c.Precision(k), g.Precision[k]) || !near(c.Recall(k), g.Recall[k]) || !near(c.F1(k), g.F1[k]) {
					t.Errorf("class %d: P/R/F1 = %v %v %v, want %v %v %v", k,
						c.Precision(k), c.Recall(k), c.F1(k), g.Precision[k], g.Recall[k], g.F1[k])
				}
			}
			if !near(c.MacroF1(), g.MacroF1) || !near(c.WeightedF1(), g.WeightedF1) {
				t.Errorf("macro/weighted F1 = %v %v, want %v %v", c.MacroF1(), c.WeightedF1(), g.MacroF1, g.WeightedF1)
			}
			if g.ROCAUC == nil {
				return
			}
			curve, err := ROC(g.YTrue, g.Scores)
			if err != nil {
				t.Fatal(err)
			}
			if len(curve.FPR) != len(g.ROCFPR) {
				t.Fatalf("ROC has %d points, want %d", len(curve.FPR), len(g.ROCFPR))
			}
			for i := range curve.FPR {
				if !near(curve.FPR[i], g.ROCFPR[i]) || !near(curve.TPR[i], g.ROCTPR[i]) {
					t.Errorf("ROC point %d = (%v, %v), want (%v, %v)", i, curve.FPR[i], curve.TPR[i], g.ROCFPR[i], g.ROCTPR[i])
				}
			}
			r, err := Evaluate(2, g.YTrue, g.YPred, g.Scores)
			if err != nil {
				t.Fatal(err)
			}
			if !near(r.ROCAUC, *g.ROCAUC) {
				t.Errorf("ROC-AUC = %v, want %v", r.ROCAUC, *g.ROCAUC)
			}
			if !near(r.F1, g.F1[1]) || !near(r.Precision, g.Precision[1]) || !near(r.Recall, g.Recall[1]) {
				t.Errorf("report %v does not use the positive class", r)
			}
		})
	}
}

// TestROCAUCIsMannWhitney checks the probabilistic meaning of the area on a
// hand-computed example: positives {0.9, 0.4, 0.4}, negatives {0.4, 0.1}.
// Pairs: 0.9>0.4, 0.9>0.1, 0.4=0.4 (½), 0.4>0.1, 0.4=0.4 (½), 0.4>0.1 → 5/6.
func TestROCAUCIsMannWhitney(t *testing.T) {
	got, err := ROCAUC([]int{1, 1, 1, 0, 0}, []float64{0.9, 0.4, 0.4, 0.4, 0.1})
	if err != nil {
		t.Fatal(err)
	}
	if !near(got, 5.0/6) {
		t.Errorf("AUC = %v, want 5/6", got)
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"length", func() error { _, err := NewConfusion(2, []int{0, 1}, []int{0}); return err }()},
		{"empty", func() error { _, err := NewConfusion(2, nil, nil); return err }()},
		{"class out of range", func() error { _, err := NewConfusion(2, []int{0, 2}, []int{0, 1}); return err }()},
		{"one class", func() error { _, err := NewConfusion(1, []int{0}, []int{0}); return err }()},
		{"ROC single class", func() error { _, err := ROCAUC([]int{1, 1}, []float64{0.2, 0.3}); return err }()},
		{"ROC non-binary", func() error { _, err := ROCAUC([]int{0, 2}, []float64{0.2, 0.3}); return err }()},
	} {
		if tc.err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func ExampleEvaluate() {
	yTrue := []int{1, 0, 1, 1, 0, 0}
	yPred := []int{1, 0, 0, 1, 0, 1}
	scores := []float64{0.9, 0.2, 0.4, 0.8, 0.3, 0.6}
	r, err := Evaluate(2, yTrue, yPred, scores)
	if err != nil {
		panic(err)
	}
	fmt.Println(r)
	fmt.Println(r.Confusion)
	// Output:
	// n=6 accuracy=0.6667 precision=0.6667 recall=0.6667 f1=0.6667 roc_auc=0.8889
	// true\pred	0	1
	// 0	2	1
	// 1	1	2
}
