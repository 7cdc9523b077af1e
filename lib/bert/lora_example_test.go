package bert_test

import (
	"fmt"

	"github.com/founderlab/founderlab/lib/bert"
)

// ExampleLoRA counts the parameters that LoRA of rank 8 trains on a
// 6-layer, 384-wide BERT (the size of all-MiniLM-L6-v2) against all of them.
func ExampleLoRA() {
	cfg := bert.DefaultConfig(2)
	cfg.NumHiddenLayers, cfg.HiddenSize, cfg.NumAttentionHeads, cfg.IntermediateSize = 6, 384, 12, 1536
	l := bert.DefaultLoRA(8)
	cfg.LoRA = &l
	count := func(ps []bert.Parameter) int {
		n := 0
		for _, p := range ps {
			k := 1
			for _, d := range p.Shape {
				k *= d
			}
			n += k
		}
		return n
	}
	lora, all := count(bert.LoRAParameters(&cfg)), count(bert.Parameters(&cfg, true))
	head := 384*2 + 2
	fmt.Println("targets:", l.Targets, "scaling:", l.Scaling())
	fmt.Printf("trained %d of %d parameters (%.2f%%)\n", lora+head, all, 100*float64(lora+head)/float64(all))
	// Output:
	// targets: attention.self.query|attention.self.value scaling: 2
	// trained 74498 of 22713986 parameters (0.33%)
}
