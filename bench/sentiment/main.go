// Command sentiment trains a financial-sentiment classifier (lib/monitor)
// and scores it on a test file:
//
//	go run ./bench/sentiment -train TRAIN.csv -test TEST.csv [-mode embed|finetune|tfidf]
//
// Both files are CSV with a header naming the columns text and label
// (0 bearish, 1 bullish, 2 neutral), as fin-sentiment's train.csv and
// valid.csv. It prints
//
//	accuracy <test accuracy>
//	macro_f1 <macro-averaged F1>
//
// on standard output, and per-class precision and recall, the sizes and
// the times on standard error. -mode embed (the default) is a logistic
// regression on MiniLM sentence embeddings, tfidf the bag-of-words
// baseline, finetune MiniLM fine-tuned end to end (-epochs, -max-length,
// -limit to train on fewer texts, evenly spaced over the file).
//
// With -mode finetune, -save DIR writes the fine-tuned classifier to DIR
// (monitor.SaveFineTuned: a Hugging Face model directory, the tokenizer
// and monitor.json) with its calibration measured on the dev split (every
// tenth training text, which fine-tuning holds out to pick its best
// epoch); bench/monitor -classifier DIR uses it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/lib/bert"
	"github.com/founderlab/founderlab/lib/bert/finetune"
	"github.com/founderlab/founderlab/lib/monitor"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "sentiment:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sentiment", flag.ContinueOnError)
	fs.SetOutput(stderr)
	train := fs.String("train", "", "training CSV (columns text,label)")
	test := fs.String("test", "", "test CSV (columns text,label)")
	modeName := fs.String("mode", "embed", "classifier: tfidf, embed or finetune")
	epochs := fs.Int("epochs", 3, "fine-tuning epochs")
	maxLen := fs.Int("max-length", 64, "fine-tuning: tokens per text")
	batch := fs.Int("batch", 16, "fine-tuning: batch size")
	lr := fs.Float64("lr", finetune.DefaultOptions().LearningRate, "fine-tuning: peak learning rate")
	limit := fs.Int("limit", 0, "train on N texts evenly spaced over the file (0: all)")
	save := fs.String("save", "", "finetune: write the classifier and its dev-split calibration to this directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *train == "" || *test == "" || fs.NArg() > 0 {
		return fmt.Errorf("usage: sentiment -train TRAIN.csv -test TEST.csv [-mode embed|finetune|tfidf]")
	}
	mode, err := monitor.ParseMode(*modeName)
	if err != nil {
		return err
	}
	if *save != "" && mode != monitor.FineTune {
		return fmt.Errorf("-save needs -mode finetune, not %v", mode)
	}
	trX, trY, err := monitor.ReadLabelled(*train)
	if err != nil {
		return err
	}
	teX, teY, err := monitor.ReadLabelled(*test)
	if err != nil {
		return err
	}
	trX, trY = monitor.Sample(trX, trY, *limit)
	opt := monitor.TrainOptions{}
	if mode == monitor.FineTune {
		opt.FineTune.Options = finetune.DefaultOptions()
		opt.FineTune.Epochs, opt.FineTune.BatchSize, opt.FineTune.MaxLength = *epochs, *batch, *maxLen
		opt.FineTune.LearningRate = *lr
		opt.Progress = finetune.TerminalProgress(stderr, 30*time.Second)
	}
	start := time.Now()
	c, err := monitor.Train(ctx, mode, trX, trY, opt)
	if err != nil {
		return err
	}
	fit := time.Since(start)
	if *save != "" {
		if err := saveClassifier(ctx, *save, c, trX, trY, opt.FineTune.MaxLength, stderr); err != nil {
			return err
		}
	}
	e, err := monitor.Evaluate(ctx, c, teX, teY, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "accuracy %.4f\nmacro_f1 %.4f\n", e.Accuracy, e.F1)
	fmt.Fprintf(stderr, "mode %v: %d training texts (fit %.1f s), %d test texts (%.0f texts/s)\n", mode, len(trX), fit.Seconds(), len(teX), e.TextsPerSecond)
	for k, l := range datasets.FinLabels {
		fmt.Fprintf(stderr, "%-8v precision %.3f recall %.3f\n", l, e.ClassPrecision[k], e.ClassRecall[k])
	}
	return nil
}

// saveClassifier calibrates the fine-tuned classifier c on the dev split of
// its training texts and saves both to dir.
func saveClassifier(ctx context.Context, dir string, c monitor.Classifier, x []string, y []datasets.FinLabel, maxLen int, stderr io.Writer) error {
	_, _, devX, devY := monitor.DevSplit(x, y, 0)
	cal, err := monitor.Calibrate(ctx, c, devX, devY)
	if errors.Is(err, monitor.ErrCalibration) {
		// Too few dev texts (a small -limit): save the model all the same.
		fmt.Fprintf(stderr, "-save %s: no calibration saved: %v\n", dir, err)
		cal = nil
	} else if err != nil {
		return fmt.Errorf("-save %s: %w", dir, err)
	}
	tok, err := bert.Pretrained(ctx, bert.DefaultModel)
	if err != nil {
		return fmt.Errorf("-save %s: %w", dir, err)
	}
	if err := monitor.SaveFineTuned(dir, c, tok, maxLen, cal); err != nil {
		return err
	}
	if cal != nil {
		fmt.Fprintf(stderr, "saved %s; calibrated on %d dev texts: recall %.3f, false positives %.3f, bins bearish %.3f other %.3f\n",
			dir, cal.Texts, cal.Recall, cal.FalsePositive, cal.Bearish, cal.Other)
	}
	return nil
}
