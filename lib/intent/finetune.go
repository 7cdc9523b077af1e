package intent

import (
	"context"
	"errors"
	"fmt"

	"github.com/founderlab/founderlab/lib/backend"
	"github.com/founderlab/founderlab/lib/bert"
	"github.com/founderlab/founderlab/lib/bert/finetune"
	"github.com/founderlab/founderlab/lib/bert/tokenizer"
)

// FineTuned is BertForSequenceClassification fine-tuned on the intents, as
// a [Classifier].
type FineTuned struct {
	Names   []string
	Trainer *finetune.Trainer
	History finetune.History
	tok     *tokenizer.Tokenizer
	maxLen  int
}

// FineTuneOptions configures [FineTune]: lib/bert/finetune's options and
// the length in tokens every query is truncated and padded to (0: 64;
// Banking77's longest query has about 90 tokens, nearly all fewer than 40).
type FineTuneOptions struct {
	finetune.Options
	MaxLength int
}

// FineTune fine-tunes the pretrained BERT in modelDir with a new
// classification head for the intents of categories, selecting the best
// epoch on the dev queries (whose categories must be among the training
// ones). progress, if not nil, receives lib/bert/finetune's events.
func FineTune(ctx context.Context, modelDir string, texts, categories, devTexts, devCategories []string, opt FineTuneOptions, progress func(finetune.Event)) (*FineTuned, error) {
	if len(texts) != len(categories) || len(devTexts) != len(devCategories) {
		return nil, errors.New("intent: FineTune: texts and categories differ in length")
	}
	if err := CheckTexts(append(append([]string{}, texts...), devTexts...)); err != nil {
		return nil, err
	}
	if opt.MaxLength == 0 {
		opt.MaxLength = 64
	}
	m, err := bert.Load(modelDir)
	if err != nil {
		return nil, fmt.Errorf("intent: FineTune: %w", err)
	}
	y, names := Labels(categories)
	devY := make([]int, len(devCategories))
	for i, c := range devCategories {
		k := indexOf(names, c)
		if k < 0 {
			return nil, fmt.Errorf("intent: FineTune: dev query %d: intent %q is not in training", i, c)
		}
		devY[i] = k
	}
	f := &FineTuned{Names: names, tok: m.Tokenizer(), maxLen: opt.MaxLength}
	cfg := m.Config
	cfg.SetLabels(names)
	choice, err := backend.New()
	if err != nil {
		return nil, fmt.Errorf("intent: FineTune: %w", err)
	}
	if f.Trainer, err = finetune.NewTrainer(choice.Backend, cfg, m.Vars(), opt.Options); err != nil {
		return nil, fmt.Errorf("intent: FineTune: %w", err)
	}
	train, err := f.examples(ctx, texts, y)
	if err != nil {
		return nil, err
	}
	dev, err := f.examples(ctx, devTexts, devY)
	if err != nil {
		return nil, err
	}
	f.History, err = f.Trainer.Fit(ctx, train, dev, nil, progress)
	if err != nil {
		return nil, fmt.Errorf("intent: FineTune: %w", err)
	}
	return f, nil
}

func indexOf(names []string, c string) int {
	for i, n := range names {
		if n == c {
			return i
		}
	}
	return -1
}

func (f *FineTuned) examples(ctx context.Context, texts []string, y []int) ([]finetune.Example, error) {
	ex, err := finetune.Encode(ctx, f.tok, texts, y, f.maxLen)
	if err != nil {
		return nil, fmt.Errorf("intent: %w", err)
	}
	return ex, nil
}

// Intents returns the intent names, sorted.
func (f *FineTuned) Intents() []string { return f.Names }

// Proba returns the class probabilities of each text, in batches.
func (f *FineTuned) Proba(ctx context.Context, texts []string) ([][]float64, error) {
	if err := CheckTexts(texts); err != nil {
		return nil, err
	}
	ex, err := f.examples(ctx, texts, make([]int, len(texts)))
	if err != nil {
		return nil, err
	}
	p, err := f.Trainer.Predict(ctx, ex)
	if err != nil {
		return nil, fmt.Errorf("intent: %w", err)
	}
	return p, nil
}
