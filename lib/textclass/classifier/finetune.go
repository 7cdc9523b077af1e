package classifier

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/founderlab/founderlab/lib/backend"
	"github.com/founderlab/founderlab/lib/bert"
	"github.com/founderlab/founderlab/lib/bert/finetune"
	"github.com/founderlab/founderlab/lib/bert/tokenizer"
)

// FineTuned is BertForSequenceClassification fine-tuned on the classes, as
// a [Classifier].
type FineTuned struct {
	Names   []string
	Trainer *finetune.Trainer
	History finetune.History
	tok     *tokenizer.Tokenizer
	maxLen  int
}

// FineTuneOptions configures [FineTune]: lib/bert/finetune's options and
// the length in tokens every text is truncated and padded to (0: 48).
type FineTuneOptions struct {
	finetune.Options
	MaxLength int
}

// SplitDev splits labelled texts into a training and a dev part, a
// seeded random fraction devFraction of each class's texts (at least
// one when the class has two or more) going to dev.
func SplitDev(texts, categories []string, devFraction float64, seed uint64) (trainTexts, trainCats, devTexts, devCats []string) {
	byClass := map[string][]int{}
	for i, c := range categories {
		byClass[c] = append(byClass[c], i)
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	dev := make([]bool, len(texts))
	for _, c := range slices.Sorted(maps.Keys(byClass)) {
		idx := byClass[c]
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		n := int(math.Round(devFraction * float64(len(idx))))
		if n == 0 && len(idx) > 1 && devFraction > 0 {
			n = 1
		}
		for _, i := range idx[:n] {
			dev[i] = true
		}
	}
	for i, d := range dev {
		if d {
			devTexts, devCats = append(devTexts, texts[i]), append(devCats, categories[i])
		} else {
			trainTexts, trainCats = append(trainTexts, texts[i]), append(trainCats, categories[i])
		}
	}
	return trainTexts, trainCats, devTexts, devCats
}

// FineTune fine-tunes the pretrained BERT in modelDir with a new
// classification head for the classes of categories, selecting the best
// epoch on the dev texts (whose categories must be among the training
// ones). progress, if not nil, receives lib/bert/finetune's events.
func FineTune(ctx context.Context, modelDir string, texts, categories, devTexts, devCategories []string, opt FineTuneOptions, progress func(finetune.Event)) (*FineTuned, error) {
	if len(texts) != len(categories) || len(devTexts) != len(devCategories) {
		return nil, errors.New("classifier: FineTune: texts and categories differ in length")
	}
	if err := CheckTexts(append(append([]string{}, texts...), devTexts...)); err != nil {
		return nil, err
	}
	if opt.MaxLength == 0 {
		opt.MaxLength = 48
	}
	m, err := bert.Load(modelDir)
	if err != nil {
		return nil, fmt.Errorf("classifier: FineTune: %w", err)
	}
	y, names := Labels(categories)
	devY := make([]int, len(devCategories))
	for i, c := range devCategories {
		k := indexOf(names, c)
		if k < 0 {
			return nil, fmt.Errorf("classifier: FineTune: dev text %d: class %q is not in training", i, c)
		}
		devY[i] = k
	}
	f := &FineTuned{Names: names, tok: m.Tokenizer(), maxLen: opt.MaxLength}
	cfg := m.Config
	cfg.SetLabels(names)
	choice, err := backend.New()
	if err != nil {
		return nil, fmt.Errorf("classifier: FineTune: %w", err)
	}
	if f.Trainer, err = finetune.NewTrainer(choice.Backend, cfg, m.Vars(), opt.Options); err != nil {
		return nil, fmt.Errorf("classifier: FineTune: %w", err)
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
		return nil, fmt.Errorf("classifier: FineTune: %w", err)
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
		return nil, fmt.Errorf("classifier: %w", err)
	}
	return ex, nil
}

// Classes returns the class names, sorted.
func (f *FineTuned) Classes() []string { return f.Names }

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
		return nil, fmt.Errorf("classifier: %w", err)
	}
	return p, nil
}
