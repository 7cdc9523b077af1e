package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/founderlab/founderlab/lib/monitor"
)

// sweepVolumes are the mean texts per bucket of the swept streams.
var sweepVolumes = []float64{15, 30, 60}

// sweep scores detector settings on simulated streams: for each volume,
// 5 seeds × surge ratios 3 and 4, 28 days and 8 surges each.
func sweep(ctx context.Context, f flags, stdout, stderr io.Writer) error {
	if f.train == "" || f.texts == "" {
		return errors.New("usage: monitor -sweep -train TRAIN.csv -texts LABELLED.csv [-mode tfidf]")
	}
	x, y, err := monitor.ReadLabelled(f.texts)
	if err != nil {
		return err
	}
	c, err := train(ctx, f, stderr)
	if err != nil {
		return err
	}
	cached, err := monitor.NewCached(ctx, c, x, 0)
	if err != nil {
		return err
	}
	var dets []monitor.DetectorOptions
	for _, counting := range []monitor.Counting{monitor.Probabilities, monitor.Labels} {
		for _, ratio := range []float64{1.5, 2, 3} {
			for _, h := range []float64{1.5, 2, 2.5, 3, 3.5, 4, 5, 6} {
				dets = append(dets, monitor.DetectorOptions{Ratio: ratio, Threshold: h, Counting: counting})
			}
		}
	}
	fmt.Fprintln(stdout, "volume counting ratio min_volume threshold missed/surges mean_delay worst_false_per_week mean_false_per_week false_by_topic")
	for _, vol := range sweepVolumes {
		var streams []monitor.Stream
		for seed := uint64(1); seed <= 5; seed++ {
			for _, ratio := range []float64{3, 4} {
				opt := monitor.StreamOptions{Seed: seed*1000 + uint64(vol), Days: 28, Surges: 8, Ratio: ratio, PerBucket: vol, Bucket: f.bucket}
				s, err := monitor.SimulateStream(x, y, opt)
				if err != nil {
					return err
				}
				s.Name = fmt.Sprintf("seed=%d ratio=%g volume=%g", seed, ratio, vol)
				streams = append(streams, s)
			}
		}
		points, err := monitor.TradeOff(ctx, cached, streams, monitor.Options{Bucket: f.bucket}, dets, 2)
		if err != nil {
			return err
		}
		for _, p := range points {
			d := p.Detector
			fmt.Fprintf(stdout, "%g %d %g %d %g %d/%d %.2f %.2f %.2f %v\n", vol, d.Counting, d.Ratio, d.MinVolume, d.Threshold, p.Missed, p.Surges, p.MeanDelay, p.WorstFalsePerWeek, p.FalsePerWeek, p.FalseTopics)
		}
	}
	return nil
}
