package intent

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/founderlab/founderlab/lib/textclass/classifier"
)

// Result is a classifier's closed-set performance on labelled queries.
type Result struct {
	Accuracy float64
	// Predicted and Confidence are each query's most probable intent and
	// its probability.
	Predicted  []string
	Confidence []float64
	// QueriesPerSecond is len(texts) over the wall time of one batched
	// Proba call (embedding included).
	QueriesPerSecond float64
}

// Test classifies texts in one batch and compares with their categories.
func Test(ctx context.Context, c classifier.Classifier, texts, categories []string) (Result, error) {
	if len(texts) != len(categories) || len(texts) == 0 {
		return Result{}, fmt.Errorf("intent: Test: %d texts and %d categories", len(texts), len(categories))
	}
	start := time.Now()
	p, err := c.Proba(ctx, texts)
	if err != nil {
		return Result{}, err
	}
	el := time.Since(start).Seconds()
	pred, conf := classifier.Predict(p)
	r := Result{Predicted: make([]string, len(pred)), Confidence: conf, QueriesPerSecond: float64(len(texts)) / el}
	right := 0
	for i, k := range pred {
		r.Predicted[i] = c.Classes()[k]
		if r.Predicted[i] == categories[i] {
			right++
		}
	}
	r.Accuracy = float64(right) / float64(len(texts))
	return r, nil
}

// Confusion counts the queries of intent True predicted as Predicted.
type Confusion struct {
	True, Predicted string
	Count           int
}

// MostConfused returns the n most frequent errors (true ≠ predicted),
// most frequent first, ties in the order of the names.
func MostConfused(truth, predicted []string, n int) []Confusion {
	m := map[[2]string]int{}
	for i := range min(len(truth), len(predicted)) {
		if truth[i] != predicted[i] {
			m[[2]string{truth[i], predicted[i]}]++
		}
	}
	out := make([]Confusion, 0, len(m))
	for k, c := range m {
		out = append(out, Confusion{k[0], k[1], c})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.True != b.True {
			return a.True < b.True
		}
		return a.Predicted < b.Predicted
	})
	return out[:min(n, len(out))]
}

// PerIntent keeps the first n queries of each intent, in their order
// (n ≤ 0 keeps all): a stratified subset for quick runs.
func PerIntent(texts, categories []string, n int) (subTexts, subCategories []string) {
	if n <= 0 {
		return texts, categories
	}
	seen := map[string]int{}
	for i, c := range categories {
		if seen[c] < n {
			seen[c]++
			subTexts, subCategories = append(subTexts, texts[i]), append(subCategories, c)
		}
	}
	return subTexts, subCategories
}
