package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/lib/monitor"
)

// regime is a kind of simulated stream the sweep scores the detector on.
type regime struct {
	name   string
	stream monitor.StreamOptions
}

// regimes are the swept streams: 28 days, 8 surges at 3 times the usual
// bearish share (the smallest), at various volumes, with and
// without the daily rhythm, at other usual shares, of the shortest length
// the issue names (3 buckets) and of 3 to 6.
var regimes = []regime{
	{"rhythm-30/h-surges-3-6h", monitor.StreamOptions{PerBucket: 30, SurgeBuckets: [2]int{3, 6}}},
	{"rhythm-30/h", monitor.StreamOptions{PerBucket: 30}},
	{"rhythm-100/h", monitor.StreamOptions{PerBucket: 100}},
	{"flat-10/h", monitor.StreamOptions{PerBucket: 10, Flat: true}},
	{"flat-30/h", monitor.StreamOptions{PerBucket: 30, Flat: true}},
	{"flat-100/h", monitor.StreamOptions{PerBucket: 100, Flat: true}},
	{"flat-30/h-base-0.08", monitor.StreamOptions{PerBucket: 30, Flat: true, BaseShare: 0.08}},
	{"flat-30/h-base-0.25", monitor.StreamOptions{PerBucket: 30, Flat: true, BaseShare: 0.25}},
}

// sweep scores detector settings on simulated streams: for each regime,
// one stream per seed.
func sweep(ctx context.Context, f flags, stdout, stderr io.Writer) error {
	if (f.train == "" && f.classifier == "" && !f.oracle) || f.texts == "" {
		return errors.New("usage: monitor -sweep -train TRAIN.csv -texts LABELLED.csv [-mode tfidf] [-seeds 1-10] (or -classifier DIR or -oracle instead of -train)")
	}
	if f.oracle && (f.train != "" || f.classifier != "") {
		return errors.New("-oracle classifies by the true labels: give no -train or -classifier")
	}
	lo, hi, err := span(f.seeds)
	if err != nil {
		return fmt.Errorf("-seeds: %w", err)
	}
	x, y, err := monitor.ReadLabelled(f.texts)
	if err != nil {
		return err
	}
	var c monitor.Classifier
	var cal *monitor.Calibration
	if f.oracle {
		c, cal, err = newOracle(ctx, x, y)
	} else {
		c, cal, err = train(ctx, f, stderr)
	}
	if err != nil {
		return err
	}
	cached, err := monitor.NewCached(ctx, c, x, 0)
	if err != nil {
		return err
	}
	var dets []monitor.DetectorOptions
	for _, ratio := range []float64{3, 4} {
		for _, h := range []float64{4, 4.5, 5, 5.5, 6, 7} {
			dets = append(dets, monitor.DetectorOptions{Ratio: ratio, Threshold: h, Calibration: cal})
		}
	}
	for _, h := range []float64{4, 5, 6} {
		dets = append(dets, monitor.DetectorOptions{Threshold: h, Counting: monitor.Labels, Calibration: cal})
	}
	fmt.Fprintln(stdout, "regime counting ratio threshold missed/surges mean_delay mean_false_per_week worst_false_per_week false_by_topic")
	for _, r := range regimes {
		var streams []monitor.Stream
		for seed := lo; seed <= hi; seed++ {
			opt := r.stream
			opt.Seed, opt.Days, opt.Surges, opt.Ratio, opt.Bucket = uint64(seed), 28, 8, 3, f.bucket
			if opt.SurgeBuckets == [2]int{} {
				opt.SurgeBuckets = [2]int{3, 3}
			}
			s, err := monitor.SimulateStream(x, y, opt)
			if err != nil {
				return err
			}
			s.Name = fmt.Sprintf("%s seed=%d", r.name, seed)
			streams = append(streams, s)
		}
		points, err := monitor.TradeOff(ctx, cached, streams, monitor.Options{Bucket: f.bucket}, dets, 2)
		if err != nil {
			return err
		}
		for _, p := range points {
			d := p.Detector
			counting := "probabilities"
			if d.Counting == monitor.Labels {
				counting = "labels"
			}
			fmt.Fprintf(stdout, "%s %s %g %g %d/%d %.2f %.2f %.2f %v\n", r.name, counting, d.Ratio, d.Threshold, p.Missed, p.Surges, p.MeanDelay, p.FalsePerWeek, p.WorstFalsePerWeek, p.FalseTopics)
		}
	}
	return nil
}

// oracle is a classifier that knows the true label of each text it was
// made from: with it the detector gets all the evidence a stream holds,
// so its misses bound those of any real classifier from below.
type oracle map[string]datasets.FinLabel

// newOracle returns the oracle of the labelled texts and its calibration
// on them (all bearish texts in the last bin, all others in the first, up
// to the calibration's smoothing). A text labelled twice keeps its first
// label.
func newOracle(ctx context.Context, x []string, y []datasets.FinLabel) (oracle, *monitor.Calibration, error) {
	o := make(oracle, len(x))
	for i, t := range x {
		if _, ok := o[t]; !ok {
			o[t] = y[i]
		}
	}
	cal, err := monitor.Calibrate(ctx, o, x, y)
	if err != nil {
		return nil, nil, fmt.Errorf("oracle: %w", err)
	}
	return o, cal, nil
}

// Proba returns probability 1 for each text's label.
func (o oracle) Proba(_ context.Context, texts []string) ([][]float64, error) {
	out := make([][]float64, len(texts))
	for i, t := range texts {
		l, ok := o[t]
		if !ok {
			return nil, fmt.Errorf("oracle: text %q is not among the labelled texts", t)
		}
		out[i] = make([]float64, len(datasets.FinLabels))
		out[i][l] = 1
	}
	return out, nil
}
