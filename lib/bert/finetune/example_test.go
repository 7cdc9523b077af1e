package finetune_test

import (
	"fmt"

	"github.com/founderlab/founderlab/lib/bert/finetune"
)

// The learning-rate schedule: linear warm-up over 2 steps, then linear
// decay to 0 at step 6.
func ExampleAdamW_LRFactor() {
	o := finetune.NewAdamW(2e-5, 0.01)
	o.WarmupSteps, o.TotalSteps = 2, 6
	for step := range 7 {
		fmt.Printf("%.2g ", o.LR*o.LRFactor(step))
	}
	fmt.Println()
	// Output: 0 1e-05 2e-05 1.5e-05 1e-05 5e-06 0
}

// Transformers' default weight-decay mask: biases and LayerNorm parameters
// are not decayed.
func ExampleDecayExceptBiasAndLayerNorm() {
	fmt.Println(finetune.DecayExceptBiasAndLayerNorm("/bert/encoder/layer/0/output/dense", "weight"))
	fmt.Println(finetune.DecayExceptBiasAndLayerNorm("/bert/encoder/layer/0/output/dense", "bias"))
	fmt.Println(finetune.DecayExceptBiasAndLayerNorm("/bert/encoder/layer/0/output/LayerNorm", "weight"))
	// Output:
	// true
	// false
	// false
}
