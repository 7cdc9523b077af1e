package classifier_test

import (
	"context"
	"fmt"

	"github.com/founderlab/founderlab/lib/textclass/classifier"
)

// A TF-IDF classifier fitted on six labelled headlines names the class of
// new ones; its classes are the sorted category names.
func ExampleFitTFIDF() {
	ctx := context.Background()
	texts := []string{"shares rally on strong earnings", "stock soars after upgrade", "shares plunge on weak guidance", "stock drops after downgrade", "market closes flat", "shares unchanged in quiet trade"}
	cats := []string{"bullish", "bullish", "bearish", "bearish", "neutral", "neutral"}
	c, err := classifier.FitTFIDF(ctx, texts, cats, 1)
	if err != nil {
		panic(err)
	}
	p, err := c.Proba(ctx, []string{"stock soars", "shares plunge"})
	if err != nil {
		panic(err)
	}
	pred, _ := classifier.Predict(p)
	for _, k := range pred {
		fmt.Println(c.Classes()[k])
	}
	fmt.Println(classifier.CheckTexts([]string{"fine", " "}))
	// Output:
	// bullish
	// bearish
	// classifier: text 1: empty: bad text
}
