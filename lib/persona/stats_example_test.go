package persona_test

import (
	"fmt"
	"strings"

	"github.com/founderlab/founderlab/lib/persona"
)

// A first look at spending columns: a skewness far above 0 says a few big
// spenders dominate, so the amounts want log1p before k-means.
func ExampleSummarize() {
	csv := "fresh,milk\n100,50\n200,60\n300,70\n4000,80\n"
	tab, err := persona.Read(strings.NewReader(csv), "spend.csv", persona.Schema{Columns: []persona.Column{
		{Name: "fresh", Kind: persona.Numeric}, {Name: "milk", Kind: persona.Numeric},
	}})
	if err != nil {
		panic(err)
	}
	sums, err := persona.Summarize(tab)
	if err != nil {
		panic(err)
	}
	for _, s := range sums {
		fmt.Printf("%s: median %.0f, mean %.0f, skewness %.2f\n", s.Column, s.Median, s.Mean, s.Skewness)
	}
	// Output:
	// fresh: median 250, mean 1150, skewness 1.15
	// milk: median 65, mean 65, skewness 0.00
}
