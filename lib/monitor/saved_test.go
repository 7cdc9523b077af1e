package monitor

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/lib/bert/finetune"
)

// tinyBERT makes a model directory for fine-tuning tests: lib/bert's tiny
// random BERT (2 layers, hidden size 32, 99 tokens) with a vocabulary of
// corpus's words.
func tinyBERT(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"config.json", "model.safetensors"} {
		b, err := os.ReadFile(filepath.Join("..", "bert", "testdata", "tiny", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	vocab := []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "$", "#", ",", ":"}
	vocab = append(vocab, strings.Fields("aapl tsla xom jpm btc spy msft nflx plunges after weak guidance cut to sell at goldman shares slump on losses misses estimates stock tumbles soars record revenue upgraded buy rallies strong quarter beats jump report results tuesday annual meeting scheduled files quarterly live conference call 0 1 2 3 4 5 6 7 8 9")...)
	for i := 0; len(vocab) < 99; i++ {
		vocab = append(vocab, "unused"+string(rune('a'+i)))
	}
	if err := os.WriteFile(filepath.Join(dir, "vocab.txt"), []byte(strings.Join(vocab, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tokenizer_config.json"), []byte(`{"do_lower_case": true}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// tinyFineTuned fine-tunes the tiny BERT on the templated corpus.
func tinyFineTuned(t *testing.T, model string, x []string, y []datasets.FinLabel) Classifier {
	t.Helper()
	opt := TrainOptions{ModelDir: model}
	opt.FineTune.Options = finetune.DefaultOptions()
	opt.FineTune.Epochs, opt.FineTune.BatchSize, opt.FineTune.MaxLength, opt.FineTune.LearningRate = 1, 16, 16, 3e-3
	c, err := Train(context.Background(), FineTune, x, y, opt)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSaveLoadFineTuned saves a fine-tuned classifier with a calibration and loads it back: the same probabilities to the bit and the
// same calibration; saving again replaces the directory.
func TestSaveLoadFineTuned(t *testing.T) {
	ctx := context.Background()
	model := tinyBERT(t)
	x, y := corpus(300, 1)
	c := tinyFineTuned(t, model, x, y)
	calX, calY := corpus(400, 3)
	cal, err := Calibrate(ctx, c, calX, calY)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "saved", "fin")
	if err := SaveFineTuned(dir, c, model, 16, cal); err != nil {
		t.Fatal(err)
	}
	got, gotCal, err := LoadFineTuned(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(gotCal.Bearish, cal.Bearish) || !slices.Equal(gotCal.Other, cal.Other) || gotCal.Recall != cal.Recall || gotCal.Texts != cal.Texts {
		t.Errorf("calibration %+v, saved %+v", gotCal, cal)
	}
	test, _ := corpus(100, 2)
	want, err := c.Proba(ctx, test)
	if err != nil {
		t.Fatal(err)
	}
	p, err := got.Proba(ctx, test)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if !slices.Equal(p[i], want[i]) {
			t.Fatalf("text %d %q: loaded %v, saved %v", i, test[i], p[i], want[i])
		}
	}
	// Saving over an existing directory replaces it and leaves no
	// temporary directories beside it.
	if err := SaveFineTuned(dir, c, model, 16, nil); err != nil {
		t.Fatal(err)
	}
	if _, cal2, err := LoadFineTuned(dir); err != nil || cal2 != nil {
		t.Errorf("saved again without calibration: %v, %v", cal2, err)
	}
	if ents, _ := os.ReadDir(filepath.Dir(dir)); len(ents) != 1 {
		t.Errorf("%d entries beside the saved directory, want none", len(ents)-1)
	}
}

func TestSaveLoadFineTunedErrors(t *testing.T) {
	dir := t.TempDir()
	x, y := corpus(300, 1)
	tf, err := Train(context.Background(), TFIDF, x, y, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := SaveFineTuned(filepath.Join(dir, "a"), tf, "", 16, nil); err == nil || !strings.Contains(err.Error(), "not a fine-tuned") {
		t.Errorf("TF-IDF classifier: %v", err)
	}
	if _, _, err := LoadFineTuned(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("directory without %s: %v", SavedFile, err)
	}
	for _, c := range []struct{ name, json, msg string }{
		{"format", `{"format":"other"}`, "format"},
		{"classes", `{"format":"founderlab.monitor.finetuned/1","classes":["a","b","c"],"max_length":16}`, "classes"},
		{"calibration", `{"format":"founderlab.monitor.finetuned/1","classes":["bearish","bullish","neutral"],"max_length":16,"calibration":{"Bearish":[1],"Other":[1]}}`, "calibration"},
		{"json", `{`, SavedFile},
		{"size", `{"format":"` + strings.Repeat(" ", maxSavedFile) + `"}`, "more than"},
	} {
		d := filepath.Join(dir, c.name)
		os.MkdirAll(d, 0o755)
		os.WriteFile(filepath.Join(d, SavedFile), []byte(c.json), 0o644)
		if _, _, err := LoadFineTuned(d); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %v, want %q", c.name, err, c.msg)
		}
	}
}

func TestDevSplit(t *testing.T) {
	x, y := corpus(25, 1)
	tx, ty, dx, dy := DevSplit(x, y, 0)
	if len(tx) != 23 || len(ty) != 23 || len(dx) != 2 || dx[0] != x[9] || dx[1] != x[19] || dy[1] != y[19] || tx[9] != x[10] {
		t.Errorf("DevSplit(25, 10): %d training, dev %q", len(tx), dx)
	}
	_, _, dx, _ = DevSplit(x, y, 5)
	if len(dx) != 5 || dx[4] != x[24] {
		t.Errorf("DevSplit(25, 5): dev %q", dx)
	}
}
