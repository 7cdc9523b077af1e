package monitor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/internal/atomicfile"
	"github.com/founderlab/founderlab/internal/jsonfile"
	"github.com/founderlab/founderlab/lib/backend"
	"github.com/founderlab/founderlab/lib/bert"
	"github.com/founderlab/founderlab/lib/bert/finetune"
	"github.com/founderlab/founderlab/lib/bert/tokenizer"
	"github.com/founderlab/founderlab/lib/textclass/classifier"
)

// SavedFile is the file, inside a directory written by [SaveFineTuned],
// that holds the classifier's settings and its calibration. It is written
// last, so a directory without it is not a saved classifier.
const SavedFile = "monitor.json"

// maxSavedFile bounds the size of SavedFile read by [LoadFineTuned] (a
// few kilobytes when written by [SaveFineTuned]).
const maxSavedFile = 1 << 20

// savedFormat names the layout of SavedFile.
const savedFormat = "founderlab.monitor.finetuned/1"

// saved is the content of SavedFile.
type saved struct {
	Format      string       `json:"format"`
	Classes     []string     `json:"classes"`
	MaxLength   int          `json:"max_length"`
	Calibration *Calibration `json:"calibration"`
}

// SaveFineTuned writes the fine-tuned classifier c (of [Train] in
// [FineTune] mode) to dir: the model as a Hugging Face model directory
// ([finetune.Trainer.Export]: config.json, model.safetensors), the
// tokenizer files of tokenizerDir (the pretrained model's directory), and
// [SavedFile] with maxLength (the tokens per text c was trained with,
// TrainOptions.FineTune.MaxLength) and cal, the calibration measured on
// texts c was not trained on (for example the dev split of [DevSplit]);
// cal may be nil. The directory is written beside dir under a temporary
// name and renamed into place, so that dir is either the old directory or
// the complete new one.
func SaveFineTuned(dir string, c Classifier, tokenizerDir string, maxLength int, cal *Calibration) error {
	f, ok := c.(*classifier.FineTuned)
	if !ok || f.Trainer == nil {
		return fmt.Errorf("monitor: SaveFineTuned %s: classifier %T is not a fine-tuned one", dir, c)
	}
	if maxLength < 2 {
		return fmt.Errorf("monitor: SaveFineTuned %s: max length %d, want at least 2", dir, maxLength)
	}
	if !slices.Equal(f.Names, classNames) {
		return fmt.Errorf("monitor: SaveFineTuned %s: classes %q, want %q", dir, f.Names, classNames)
	}
	if cal != nil {
		if err := cal.check(); err != nil {
			return fmt.Errorf("monitor: SaveFineTuned %s: %w", dir, err)
		}
	}
	js, err := json.MarshalIndent(saved{Format: savedFormat, Classes: classNames, MaxLength: maxLength, Calibration: cal}, "", "  ")
	if err != nil {
		return fmt.Errorf("monitor: SaveFineTuned %s: %w", dir, err)
	}
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("monitor: SaveFineTuned: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-*")
	if err != nil {
		return fmt.Errorf("monitor: SaveFineTuned: %w", err)
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("monitor: SaveFineTuned: %w", err)
	}
	if err := f.Trainer.Export(tmp, tokenizerDir); err != nil {
		return fmt.Errorf("monitor: SaveFineTuned %s: %w", dir, err)
	}
	if err := atomicfile.WriteFile(filepath.Join(tmp, SavedFile), append(js, '\n'), 0o644); err != nil {
		return fmt.Errorf("monitor: SaveFineTuned %s: %w", dir, err)
	}
	// Move an old directory aside, the new one into place, then drop the old.
	var old string
	if _, err := os.Stat(dir); err == nil {
		if old, err = os.MkdirTemp(parent, "."+filepath.Base(dir)+".old-*"); err != nil {
			return fmt.Errorf("monitor: SaveFineTuned: %w", err)
		}
		if err := os.Remove(old); err != nil {
			return fmt.Errorf("monitor: SaveFineTuned: %w", err)
		}
		if err := os.Rename(dir, old); err != nil {
			return fmt.Errorf("monitor: SaveFineTuned: %w", err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			_ = os.Rename(old, dir)
		}
		return fmt.Errorf("monitor: SaveFineTuned: %w", err)
	}
	if err := atomicfile.SyncDir(parent); err != nil {
		return fmt.Errorf("monitor: SaveFineTuned: %w", err)
	}
	if old != "" {
		_ = os.RemoveAll(old)
	}
	return nil
}

// savedClassifier is a classifier read back by [LoadFineTuned]: the same
// encoding and prediction as classifier.FineTuned.
type savedClassifier struct {
	trainer *finetune.Trainer
	tok     *tokenizer.Tokenizer
	maxLen  int
}

// Proba returns the class probabilities of each text, in label order.
func (s *savedClassifier) Proba(ctx context.Context, texts []string) ([][]float64, error) {
	if err := classifier.CheckTexts(texts); err != nil {
		return nil, fmt.Errorf("monitor: %w", err)
	}
	ex, err := finetune.Encode(ctx, s.tok, texts, make([]int, len(texts)), s.maxLen)
	if err != nil {
		return nil, fmt.Errorf("monitor: %w", err)
	}
	p, err := s.trainer.Predict(ctx, ex)
	if err != nil {
		return nil, fmt.Errorf("monitor: %w", err)
	}
	return p, nil
}

// LoadFineTuned reads a classifier written by [SaveFineTuned] and the
// calibration saved with it (nil if none was). The classifier gives the
// probabilities the saved one gave.
func LoadFineTuned(dir string) (Classifier, *Calibration, error) {
	s, err := jsonfile.Read[saved](filepath.Join(dir, SavedFile), maxSavedFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, fmt.Errorf("monitor: LoadFineTuned %s: not a saved classifier (no %s): %w", dir, SavedFile, err)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("monitor: LoadFineTuned: %w", err)
	}
	if s.Format != savedFormat {
		return nil, nil, fmt.Errorf("monitor: LoadFineTuned %s: format %q, want %q", dir, s.Format, savedFormat)
	}
	if !slices.Equal(s.Classes, classNames) || s.MaxLength < 2 {
		return nil, nil, fmt.Errorf("monitor: LoadFineTuned %s: classes %q and max length %d, want %q and at least 2", dir, s.Classes, s.MaxLength, classNames)
	}
	if s.Calibration != nil {
		if err := s.Calibration.check(); err != nil {
			return nil, nil, fmt.Errorf("monitor: LoadFineTuned %s: %w", dir, err)
		}
	}
	m, err := bert.Load(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("monitor: LoadFineTuned: %w", err)
	}
	if m.Config.NumLabels() != len(classNames) {
		return nil, nil, fmt.Errorf("monitor: LoadFineTuned %s: %d labels in config.json, want %d", dir, m.Config.NumLabels(), len(classNames))
	}
	choice, err := backend.New()
	if err != nil {
		return nil, nil, fmt.Errorf("monitor: LoadFineTuned: %w", err)
	}
	opt := finetune.DefaultOptions()
	opt.Epochs, opt.BatchSize, opt.EvalBatchSize = 1, 16, 32
	tr, err := finetune.NewTrainer(choice.Backend, m.Config, m.Vars(), opt)
	if err != nil {
		return nil, nil, fmt.Errorf("monitor: LoadFineTuned %s: %w", dir, err)
	}
	return &savedClassifier{trainer: tr, tok: m.Tokenizer(), maxLen: s.MaxLength}, s.Calibration, nil
}

// DevSplit splits labelled texts as [Train] does for fine-tuning: every
// every-th text (positions every-1, 2·every-1, …) goes to dev, the others
// to training; every 0 means 10.
func DevSplit(texts []string, labels []datasets.FinLabel, every int) (trainX []string, trainY []datasets.FinLabel, devX []string, devY []datasets.FinLabel) {
	if every <= 0 {
		every = 10
	}
	for i := range texts {
		if i%every == every-1 {
			devX, devY = append(devX, texts[i]), append(devY, labels[i])
		} else {
			trainX, trainY = append(trainX, texts[i]), append(trainY, labels[i])
		}
	}
	return trainX, trainY, devX, devY
}
