package persona_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/founderlab/founderlab/datasets/survey"
	"github.com/founderlab/founderlab/lib/metrics"
	"github.com/founderlab/founderlab/lib/persona"
)

// A survey export with a demographic, a behavioural and a psychographic
// column is read, encoded and clustered; the objective J is the sum of
// squared distances to the centroids.
func Example() {
	csv := `age,spend,price_sensitivity
22,5,5
24,8,4
23,6,5
45,120,2
51,150,1
48,110,2
`
	schema := persona.Schema{Columns: []persona.Column{
		{Name: "age", Kind: persona.Numeric, Group: persona.Demographic, Unit: "years"},
		{Name: "spend", Kind: persona.Numeric, Group: persona.Behavioural, Unit: "€/month"},
		{Name: "price_sensitivity", Kind: persona.Numeric, Group: persona.Psychographic},
	}}
	tab, err := persona.Read(strings.NewReader(csv), "survey.csv", schema)
	if err != nil {
		fmt.Println(err)
		return
	}
	enc, _ := persona.FitEncoder(tab, persona.Prep{Log1p: []string{"spend"}})
	X, _ := enc.Transform(tab)
	m, _ := persona.KMeans{K: 2, Seed: 1}.Fit(context.Background(), X)
	fmt.Println("labels:", m.Labels, "sizes:", m.Sizes)
	J, _ := persona.Objective(X, m.Centroids, m.Labels)
	fmt.Printf("J = %.4f (inertia %.4f)\n", J, m.Inertia)
	cards, _ := persona.Describe(enc, X, m, persona.CardOptions{Traits: 2})
	for _, c := range cards {
		fmt.Printf("%s: age %s, spend %s\n", c.Name, c.Centroid[0], c.Centroid[1])
	}
	// Output:
	// labels: [1 1 1 0 0 0] sizes: [3 3]
	// J = 0.7294 (inertia 0.7294)
	// High spend, high age: age 48.00, spend 126
	// Low spend, low age: age 23.00, spend 6.23
}

// Bad input gives errors that say what is wrong and where.
func ExampleRead_errors() {
	schema := persona.Schema{Columns: []persona.Column{{Name: "age", Kind: persona.Numeric}}}
	_, err := persona.Read(strings.NewReader("age\n31\nNaN\n"), "export.csv", schema)
	fmt.Println(err)
	_, err = persona.KMeans{K: 5}.Fit(context.Background(), persona.NewMatrix(3, 2))
	fmt.Println(err)
	// Output:
	// persona: export.csv:3:1 (column "age"): "NaN" is not a finite number
	// persona: k-means: K = 5 is more than the 3 rows
}

// The synthetic survey has known personas, so the recovery can be scored
// with the adjusted Rand index of package metrics.
func ExampleFromSurvey() {
	s, _ := survey.Generate(survey.Config{N: 1000, Seed: 1})
	tab, _ := persona.FromSurvey(s)
	enc, _ := persona.FitEncoder(tab, persona.Prep{Log1p: []string{"income", "monthly_spend"}, CategoryWeight: 0.5})
	X, _ := enc.Transform(tab)
	m, _ := persona.KMeans{K: 4, Seed: 1}.Fit(context.Background(), X)
	ari, _ := metrics.AdjustedRand(s.Truth, m.Labels)
	fmt.Printf("ARI ≥ 0.95: %v\n", ari >= 0.95)
	// Output:
	// ARI ≥ 0.95: true
}

// Sweep fits a range of K and scores each; the knee of the elbow curve and
// the best silhouette suggest a K.
func ExampleSweep() {
	X := persona.NewMatrix(60, 1)
	for i := range X.Data {
		X.Data[i] = float64(i%3)*10 + float64(i%7)*0.1 // three tight groups
	}
	sel, _ := persona.Sweep(context.Background(), X, persona.Ks(1, 6), persona.KMeans{Seed: 1}, 0)
	fmt.Println("knee:", sel.Knee, "best silhouette:", sel.BestSilhouette)
	// Output:
	// knee: 3 best silhouette: 3
}
