// Command monitor replays a stream of financial texts through the
// sentiment monitor (lib/monitor) and prints its alerts:
//
//	go run ./bench/monitor -train TRAIN.csv -stream STREAM.csv [-bucket 1h] [-mode tfidf]
//
// TRAIN.csv has the columns text,label (fin-sentiment's layout: 0 bearish,
// 1 bullish, 2 neutral); STREAM.csv the columns time,text, with RFC 3339
// times in order. It trains the classifier (-mode tfidf by default: on
// fin-sentiment it measured both more accurate than the MiniLM-embedding
// classifier, accuracy 0.823 against 0.784, and hundreds of times faster on
// a CPU; embed or finetune on request), runs the monitor with its default
// detector (whose threshold was chosen for the TF-IDF classifier's
// probabilities) and prints one line per alert,
//
//	alert <bucket start RFC 3339> <topic> <observed share> <expected share>
//
// -alerts FILE also writes the alerts, with the texts that drove them, as
// JSON lines; -truth FILE scores them against known surges (on standard
// error).
//
// A reproducible stream with known surges comes from
//
//	go run ./bench/monitor -generate -texts VALID.csv -stream STREAM.csv -truth TRUTH.csv [-seed 1] [-days 14] [-ratio 3]
//
// and the detector's threshold was chosen with
//
//	go run ./bench/monitor -sweep -train TRAIN.csv -texts VALID.csv
//
// which scores a range of thresholds on simulated streams of several
// seeds, surge sizes and volumes.
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

	"github.com/founderlab/founderlab/lib/monitor"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "monitor:", err)
		os.Exit(1)
	}
}

type flags struct {
	train, stream, texts, truth, alerts, mode string
	bucket                                    time.Duration
	generate, sweep                           bool
	seed                                      uint64
	days, surges                              int
	ratio, perBucket, threshold               float64
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f flags
	fs := flag.NewFlagSet("monitor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.train, "train", "", "labelled training CSV (columns text,label)")
	fs.StringVar(&f.stream, "stream", "", "stream CSV (columns time,text): read, or written with -generate")
	fs.StringVar(&f.texts, "texts", "", "-generate, -sweep: labelled CSV whose texts make the simulated streams")
	fs.StringVar(&f.truth, "truth", "", "surges CSV (start,buckets,share): written with -generate, else scored against")
	fs.StringVar(&f.alerts, "alerts", "", "write the alerts as JSON lines to this file")
	fs.StringVar(&f.mode, "mode", "tfidf", "classifier: tfidf, embed or finetune")
	fs.DurationVar(&f.bucket, "bucket", time.Hour, "bucket width")
	fs.BoolVar(&f.generate, "generate", false, "write a simulated stream and its surges instead")
	fs.BoolVar(&f.sweep, "sweep", false, "score the detector's thresholds on simulated streams")
	fs.Uint64Var(&f.seed, "seed", 1, "-generate: random seed")
	fs.IntVar(&f.days, "days", 14, "-generate: days of stream")
	fs.IntVar(&f.surges, "surges", 4, "-generate: injected surges")
	fs.Float64Var(&f.ratio, "ratio", 3, "-generate: a surge's bearish share over the usual one")
	fs.Float64Var(&f.perBucket, "per-bucket", 30, "-generate: mean texts per bucket")
	fs.Float64Var(&f.threshold, "threshold", 0, "the CUSUM threshold (0: the default)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	switch {
	case f.generate:
		return generate(f, stderr)
	case f.sweep:
		return sweep(ctx, f, stdout, stderr)
	}
	if f.train == "" || f.stream == "" {
		return errors.New("usage: monitor -train TRAIN.csv -stream STREAM.csv [-bucket 1h] [-mode tfidf|embed|finetune]")
	}
	events, err := monitor.ReadEventsFile(f.stream)
	if err != nil {
		return err
	}
	var surges []monitor.Surge
	if f.truth != "" {
		if surges, err = monitor.ReadSurgesFile(f.truth); err != nil {
			return err
		}
	}
	c, err := train(ctx, f, stderr)
	if err != nil {
		return err
	}
	opt := monitor.Options{Bucket: f.bucket}
	opt.Detector.Threshold = f.threshold
	alerts, _, err := monitor.Run(ctx, c, events, opt)
	if err != nil {
		return fmt.Errorf("%s: %w", f.stream, err)
	}
	for _, a := range alerts {
		fmt.Fprintf(stdout, "alert %s %s %.4f %.4f\n", a.Bucket.UTC().Format(time.RFC3339), a.Topic, a.Observed, a.Expected)
	}
	if f.alerts != "" {
		if err := monitor.WriteAlertsFile(f.alerts, alerts); err != nil {
			return err
		}
	}
	if f.truth != "" {
		end := events[len(events)-1].Time.Truncate(f.bucket).Add(f.bucket)
		s := monitor.ScoreAlerts(alerts, surges, events[0].Time.Truncate(f.bucket), end, f.bucket, 2)
		fmt.Fprintf(stderr, "surges %d detected %d delays %v false alerts %d (%.2f per week)\n", s.Surges, s.Detected, s.Delays, s.FalseAlerts, s.FalsePerWeek)
	}
	return nil
}

func train(ctx context.Context, f flags, stderr io.Writer) (monitor.Classifier, error) {
	mode, err := monitor.ParseMode(f.mode)
	if err != nil {
		return nil, err
	}
	x, y, err := monitor.ReadLabelled(f.train)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	c, err := monitor.Train(ctx, mode, x, y, monitor.TrainOptions{})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "trained %v on %d texts in %.0f s\n", mode, len(x), time.Since(start).Seconds())
	return c, nil
}

func generate(f flags, stderr io.Writer) error {
	if f.texts == "" || f.stream == "" || f.truth == "" {
		return errors.New("usage: monitor -generate -texts LABELLED.csv -stream STREAM.csv -truth TRUTH.csv [-seed 1] [-days 14] [-ratio 3]")
	}
	x, y, err := monitor.ReadLabelled(f.texts)
	if err != nil {
		return err
	}
	events, surges, err := monitor.Simulate(x, y, monitor.StreamOptions{Seed: f.seed, Days: f.days, Bucket: f.bucket,
		PerBucket: f.perBucket, Surges: f.surges, Ratio: f.ratio})
	if err != nil {
		return err
	}
	if err := monitor.WriteEventsFile(f.stream, events); err != nil {
		return err
	}
	if err := monitor.WriteSurgesFile(f.truth, surges); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%d events, %d surges: %s, %s\n", len(events), len(surges), f.stream, f.truth)
	return nil
}
