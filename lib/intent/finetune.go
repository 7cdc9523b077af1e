package intent

import (
	"github.com/founderlab/founderlab/lib/bert/finetune"
	"github.com/founderlab/founderlab/lib/textclass/classifier"
)

// DefaultFineTuneOptions returns the settings for classifier.FineTune of
// the full Banking77 run whose command bench/README.md records: lib/bert/finetune's defaults
// (AdamW, batch 16, weight decay 0.01, clipping at 1) with 4 epochs, a
// peak learning rate of 1e-4 (BERT's usual 2e-5 barely moved a new 77-way
// head in a 12-step trial: the loss stayed at ln 77 ≈ 4.34), 6 % linear
// warm-up, no best-epoch restore, and 48 tokens a query (Banking77's
// training queries: median 13 tokens, 99th percentile 53, longest 98).
// The full run has not been made on a CPU here, so these settings are a
// plan, not a measured optimum.
func DefaultFineTuneOptions() classifier.FineTuneOptions {
	o := finetune.DefaultOptions()
	o.Epochs, o.LearningRate, o.WarmupRatio, o.RestoreBest = 4, 1e-4, 0.06, false
	return classifier.FineTuneOptions{Options: o, MaxLength: 48}
}
