package monitor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/founderlab/founderlab/datasets"
)

// corpus makes n labelled texts from templates, a seeded stand-in for
// fin-sentiment (15 % bearish, 20 % bullish, the rest neutral).
func corpus(n int, seed uint64) ([]string, []datasets.FinLabel) {
	rng := rand.New(rand.NewPCG(seed, 1))
	tickers := []string{"$AAPL", "$TSLA", "$XOM", "$JPM", "$BTC", "$SPY", "$MSFT", "$NFLX"}
	bear := []string{"%s plunges after weak guidance", "%s cut to sell at Goldman", "%s shares slump on losses", "%s misses estimates, stock tumbles"}
	bull := []string{"%s soars on record revenue", "%s upgraded to buy", "%s rallies after strong quarter", "%s beats estimates, shares jump"}
	neut := []string{"%s to report results on Tuesday", "%s annual meeting scheduled", "%s files quarterly report", "Live: %s conference call"}
	texts, labels := make([]string, n), make([]datasets.FinLabel, n)
	for i := range texts {
		tk := tickers[rng.IntN(len(tickers))]
		var tpl []string
		switch u := rng.Float64(); {
		case u < 0.15:
			tpl, labels[i] = bear, datasets.Bearish
		case u < 0.35:
			tpl, labels[i] = bull, datasets.Bullish
		default:
			tpl, labels[i] = neut, datasets.Neutral
		}
		texts[i] = fmt.Sprintf(tpl[rng.IntN(len(tpl))], tk) + fmt.Sprintf(" #%d", i)
	}
	return texts, labels
}

func trained(t *testing.T) Classifier {
	t.Helper()
	x, y := corpus(1500, 1)
	c, err := Train(context.Background(), TFIDF, x, y, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTrainEvaluate(t *testing.T) {
	c := trained(t)
	x, y := corpus(600, 2)
	e, err := Evaluate(context.Background(), c, x, y, 100)
	if err != nil {
		t.Fatal(err)
	}
	if e.Accuracy < 0.95 || e.F1 < 0.95 || len(e.ClassRecall) != 3 || e.ClassPrecision[datasets.Bearish] < 0.9 {
		t.Errorf("templated corpus: %+v, want accuracy and macro-F1 ≥ 0.95", e)
	}
	if _, err := Train(context.Background(), TFIDF, x[:3], y[:2], TrainOptions{}); err == nil {
		t.Error("Train: lengths differ: no error")
	}
	if _, err := Train(context.Background(), TFIDF, []string{"a", "b"}, []datasets.FinLabel{0, 1}, TrainOptions{}); err == nil {
		t.Error("Train: a label without texts: no error")
	}
	if _, err := Train(context.Background(), Mode(9), x, y, TrainOptions{}); err == nil {
		t.Error("Train: unknown mode: no error")
	}
}

func TestParseMode(t *testing.T) {
	for _, m := range []Mode{TFIDF, Embed, FineTune} {
		if got, err := ParseMode(m.String()); err != nil || got != m {
			t.Errorf("ParseMode(%q) = %v, %v", m.String(), got, err)
		}
	}
	if _, err := ParseMode("bert"); err == nil {
		t.Error("ParseMode(bert): no error")
	}
}

func TestTopicsTag(t *testing.T) {
	tp := DefaultTopics()
	for _, c := range []struct {
		text string
		want []string
	}{
		{"$AAPL $msft beat earnings estimates", []string{All, "$AAPL", "$MSFT", "earnings"}},
		{"Fed hikes rates again; Bitcoin slides", []string{All, "crypto", "rates"}},
		{"Oil falls as OPEC+ meets", []string{All, "energy"}},
		{"Nothing to see here", []string{All}},
		{"$TSLA $TSLA upgraded", []string{All, "$TSLA", "ratings"}},
	} {
		if got := tp.Tag(c.text); !slices.Equal(got, c.want) {
			t.Errorf("Tag(%q) = %q, want %q", c.text, got, c.want)
		}
	}
	if got := (Topics{}).Tag("$AAPL earnings"); !slices.Equal(got, []string{All}) {
		t.Errorf("zero Topics: %q", got)
	}
}

// labelsCal is a calibration for Labels counting: the classifier finds 60 %
// of the bearish texts and calls 5 % of the others bearish.
func labelsCal() *Calibration {
	return &Calibration{Bearish: []float64{0.5, 0.5}, Other: []float64{0.5, 0.5}, Recall: 0.6, FalsePositive: 0.05, Prior: 0.15}
}

// TestDetectorStatistics checks the detector's numbers against a hand
// computation with Labels counting, where the likelihood ratios are
// L(bearish call) = 0.6/0.05 = 12 and L(other call) = 0.4/0.95.
func TestDetectorStatistics(t *testing.T) {
	opt, err := DetectorOptions{Counting: Labels, Calibration: labelsCal(), WarmupEvents: 1, WarmupBuckets: 1}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	d := newDetector(opt)
	// 105,000 of 10⁶ classified bearish: the MLE solves 0.105 = 0.05 + 0.55·π,
	// π = 0.1; so many texts that the next buckets barely move it.
	if s := d.observe(1e6, []float64{895e3, 105e3}, opt.Threshold, false); s.warm || math.Abs(s.share-0.1) > 1e-4 || math.Abs(d.base-0.1) > 1e-4 {
		t.Fatalf("first bucket: %+v, baseline %v, want share and baseline 0.1", s, d.base)
	}
	// π₀ = 0.1, π₁ = 0.3: a bearish call adds ln((0.3·12 + 0.7)/(0.1·12 + 0.9))
	// = ln(4.3/2.1) = 0.71668, another call ln((0.3·0.42105 + 0.7)/(0.1·0.42105
	// + 0.9)) = ln(0.82632/0.94211) = -0.13114; 2 and 8 of them: 0.38423. The
	// bucket's share: 0.2 = 0.05 + 0.55·π, π = 0.27273.
	s := d.observe(10, []float64{8, 2}, opt.Threshold, false)
	if !s.warm || math.Abs(s.score-0.38423) > 1e-4 || math.Abs(s.expected-0.1) > 1e-4 || math.Abs(s.share-0.27273) > 1e-4 {
		t.Errorf("second bucket: %+v, want score 0.38423, expected 0.1, share 0.27273", s)
	}
	// Five more such buckets: S = 6·0.38423 = 2.305 < h = 5, no alarm.
	for range 5 {
		s = d.observe(10, []float64{8, 2}, opt.Threshold, false)
	}
	if s.alarm || math.Abs(s.score-6*0.38423) > 1e-3 {
		t.Errorf("after 6 buckets: %+v, want score %.4f and no alarm", s, 6*0.38423)
	}
	// 4 bearish calls of 10: +4·0.71668 - 6·0.13114 = 2.0799, S = 4.3853;
	// 5 of 10: +2.9277, S = 7.313 ≥ 5: alarm.
	if s = d.observe(10, []float64{6, 4}, opt.Threshold, false); s.alarm || math.Abs(s.score-4.3853) > 1e-3 {
		t.Errorf("%+v, want score 4.3853 and no alarm", s)
	}
	if s = d.observe(10, []float64{5, 5}, opt.Threshold, false); !s.alarm || math.Abs(s.score-7.3130) > 1e-3 {
		t.Errorf("%+v, want score 7.3130 and an alarm", s)
	}
}

// TestDetector feeds hours of 30 texts with a true bearish share of 0.15,
// then 0.45, classified as the calibration says.
func TestDetector(t *testing.T) {
	opt, err := DetectorOptions{Counting: Labels, Calibration: labelsCal()}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	draw := func(n int, p float64) []float64 {
		x := 0
		for range n {
			bear := rng.Float64() < p
			if bear && rng.Float64() < 0.6 || !bear && rng.Float64() < 0.05 {
				x++
			}
		}
		return []float64{float64(n - x), float64(x)}
	}
	d := newDetector(opt)
	alarms := 0
	for range 24 * 28 { // four weeks of normal hours
		if d.observe(30, draw(30, 0.15), opt.Threshold, false).alarm {
			alarms++
		}
	}
	if alarms > 4 {
		t.Errorf("%d false alarms in 4 weeks of normal traffic", alarms)
	}
	if d.base < 0.12 || d.base > 0.18 {
		t.Errorf("baseline %.3f, want about 0.15", d.base)
	}
	first := -1
	for h := range 4 { // a 3-fold surge
		if s := d.observe(30, draw(30, 0.45), opt.Threshold, false); s.alarm && first < 0 {
			first = h
			if s.expected < 0.12 || s.expected > 0.18 || s.share < 0.3 {
				t.Errorf("expected share %.3f, observed %.3f at the alarm", s.expected, s.share)
			}
		}
	}
	if first < 0 || first > 2 {
		t.Errorf("surge alarmed at hour %d, want within 2", first)
	}
	// The surge goes on: one episode, no second alarm; back to normal, the
	// episode ends and a new surge alarms again.
	for h := range 6 {
		if d.observe(30, draw(30, 0.45), opt.Threshold, false).alarm {
			t.Errorf("second alarm in the same surge, hour %d", h+4)
		}
	}
	for range 24 {
		d.observe(30, draw(30, 0.15), opt.Threshold, false)
	}
	if d.episode != 0 {
		t.Errorf("episode still open after a normal day")
	}
	again := false
	for range 4 {
		again = again || d.observe(30, draw(30, 0.45), opt.Threshold, false).alarm
	}
	if !again {
		t.Error("no alarm for a second surge")
	}
	// A quiet hour with every text bearish does not page anyone.
	q := newDetector(opt)
	for range 48 {
		q.observe(30, draw(30, 0.15), opt.Threshold, false)
	}
	q.score = opt.Threshold
	if s := q.observe(opt.MinVolume-1, []float64{0, float64(opt.MinVolume - 1)}, opt.Threshold, false); s.alarm {
		t.Errorf("alarm on %d texts, below the minimum volume %d", opt.MinVolume-1, opt.MinVolume)
	}
	// A topic whose usual share is above 0.95/Ratio does not drift into
	// alarms.
	hi := newDetector(opt)
	for h := range 24 * 7 {
		if hi.observe(30, draw(30, 0.5), opt.Threshold, false).alarm {
			t.Errorf("alarm at hour %d of a steady share of 0.5", h)
			break
		}
	}
	bins := func(b, o []float64) *Calibration {
		return &Calibration{Bearish: b, Other: o, Recall: 0.5, FalsePositive: 0.1}
	}
	for _, bad := range []DetectorOptions{{Ratio: 0.5}, {Threshold: -1}, {IndexAlpha: 2}, {MinVolume: -1}, {Counting: 7},
		{Calibration: bins([]float64{1}, []float64{1})}, {Calibration: bins([]float64{0.5, 0.5}, []float64{1, 0})},
		{Calibration: bins([]float64{0.5, 0.4}, []float64{0.5, 0.5})}, {Calibration: &Calibration{Bearish: []float64{0.5, 0.5}, Other: []float64{0.5, 0.5}}}} {
		if _, err := bad.withDefaults(); err == nil {
			t.Errorf("%+v: no error", bad)
		} else if bad.Calibration != nil && !errors.Is(err, ErrCalibration) {
			t.Errorf("%+v: %v does not wrap ErrCalibration", bad, err)
		}
	}
}

// TestCalibrate measures the TF-IDF classifier of the templated corpus on
// held-out texts: it is nearly always right and sure, so nearly every
// bearish text falls in the top bin and nearly every other in the bottom.
func TestCalibrate(t *testing.T) {
	ctx := context.Background()
	x, y := corpus(600, 2)
	cal, err := Calibrate(ctx, trained(t), x, y)
	if err != nil {
		t.Fatal(err)
	}
	if len(cal.Bearish) != Bins || cal.Recall < 0.9 || cal.FalsePositive > 0.05 || cal.Bearish[Bins-1] < 0.5 || cal.Other[0] < 0.5 ||
		cal.Prior < 0.1 || cal.Prior > 0.2 || cal.Texts != 600 {
		t.Errorf("%+v", cal)
	}
	if err := cal.check(); err != nil {
		t.Error(err)
	}
	if _, err := Calibrate(ctx, trained(t), x[:10], y[:10]); !errors.Is(err, ErrCalibration) {
		t.Errorf("10 texts: %v, want ErrCalibration", err)
	}
	if _, err := Calibrate(ctx, trained(t), x, y[:5]); err == nil {
		t.Error("lengths differ: no error")
	}
	if err := DefaultCalibration().check(); err != nil {
		t.Error(err)
	}
	// Cross-fitting on the training texts themselves: every text is
	// measured once, by a classifier that did not see it.
	tx, ty := corpus(1500, 1)
	cross, err := CrossCalibrate(ctx, TFIDF, tx, ty, TrainOptions{}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if cross.Texts != 1500 || cross.Recall < 0.9 || cross.FalsePositive > 0.05 || cross.Bearish[Bins-1] < 0.5 {
		t.Errorf("cross-fitted: %+v", cross)
	}
	for _, folds := range []int{1, 2000} {
		if _, err := CrossCalibrate(ctx, TFIDF, tx, ty, TrainOptions{}, folds); err == nil {
			t.Errorf("%d folds: no error", folds)
		}
	}
}

func TestMonitorBadEvents(t *testing.T) {
	ctx := context.Background()
	c := trained(t)
	t0 := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		events []Event
		want   error
		index  int
	}{
		{"out of order", []Event{{t0, "a"}, {t0.Add(time.Minute), "b"}, {t0, "c"}}, ErrOutOfOrder, 2},
		{"empty", []Event{{t0, "a"}, {t0, "  "}}, ErrBadText, 1},
		{"utf-8", []Event{{t0, "\xff"}}, ErrBadText, 0},
		{"long", []Event{{t0, strings.Repeat("x", MaxTextBytes+1)}}, ErrBadText, 0},
	} {
		_, _, err := Run(ctx, c, tc.events, Options{})
		var ee *EventError
		if !errors.Is(err, tc.want) || !errors.As(err, &ee) || ee.Index != tc.index {
			t.Errorf("%s: %v, want %v at event %d", tc.name, err, tc.want, tc.index)
		}
	}
	if _, err := New(nil, Options{}); err == nil {
		t.Error("New(nil): no error")
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := Run(canceled, c, []Event{{t0, "a"}}, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
}

// TestMonitorSimulated is the alert contract on seeded streams of the
// templated corpus (30 texts an hour, no daily rhythm, surges of exactly
// 3 hours at 3 times the usual share) replayed through
// a trained TF-IDF classifier calibrated on held-out texts, with the
// default detector: every surge is alerted within two buckets, with at
// most two false alerts in the two weeks, and every alert says what it
// should.
func TestMonitorSimulated(t *testing.T) {
	ctx := context.Background()
	c := trained(t)
	x, y := corpus(800, 4)
	hx, hy := corpus(600, 6)
	cal, err := Calibrate(ctx, c, hx, hy)
	if err != nil {
		t.Fatal(err)
	}
	for seed := uint64(1); seed <= 3; seed++ {
		s, err := SimulateStream(x, y, StreamOptions{Seed: seed, Days: 14, Surges: 4, SurgeBuckets: [2]int{3, 3}, Flat: true})
		if err != nil {
			t.Fatal(err)
		}
		alerts, m, err := Run(ctx, c, s.Events, Options{Detector: DetectorOptions{Calibration: cal}})
		if err != nil {
			t.Fatal(err)
		}
		sc := ScoreAlerts(alerts, s.Surges, s.Start, s.End, time.Hour, 2)
		if sc.Detected != sc.Surges || sc.FalseAlerts > 2 {
			t.Errorf("seed %d: %+v", seed, sc)
			for _, a := range alerts {
				t.Logf("alert %s %s %.3f %.3f (%d of %d)", a.Bucket.Format(time.RFC3339), a.Topic, a.Observed, a.Expected, a.Bearish, a.Events)
			}
		}
		for _, a := range alerts {
			if a.Observed <= a.Expected || len(a.Texts) == 0 || a.Bearish > a.Events || a.Events < 5 {
				t.Errorf("seed %d: alert %+v", seed, a)
			}
		}
		all := m.Series(All)
		if m.TopicNames()[0] != All || len(all) != 14*24 || all[0].Warm || !all[len(all)-1].Warm {
			t.Errorf("seed %d: series of all: %d points, topics %q", seed, len(all), m.TopicNames()[:3])
		}
	}
}

func TestSimulate(t *testing.T) {
	x, y := corpus(800, 5)
	opt := StreamOptions{Seed: 7, Days: 10, Surges: 3, Ratio: 3}
	a, sa, err := Simulate(x, y, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, sb, _ := Simulate(x, y, opt)
	if !slices.Equal(a, b) || !slices.Equal(sa, sb) {
		t.Fatal("same seed, different streams")
	}
	label := map[string]datasets.FinLabel{}
	for i := range x {
		label[x[i]] = y[i]
	}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var in, inBear, out, outBear int
	for i, e := range a {
		if i > 0 && e.Time.Before(a[i-1].Time) {
			t.Fatalf("event %d out of order", i)
		}
		bear := label[e.Text] == datasets.Bearish
		surge := false
		for _, s := range sa {
			surge = surge || !e.Time.Before(s.Start) && e.Time.Before(s.Start.Add(time.Duration(s.Buckets)*time.Hour))
		}
		if surge {
			in++
			if bear {
				inBear++
			}
		} else {
			out++
			if bear {
				outBear++
			}
		}
	}
	for i, s := range sa {
		if s.Start.Before(start.Add(24*time.Hour)) || s.Buckets < 3 || s.Buckets > 6 || i > 0 && s.Start.Before(sa[i-1].Start.Add(time.Duration(sa[i-1].Buckets+24)*time.Hour)) {
			t.Errorf("surge %d: %+v", i, s)
		}
	}
	ratio := (float64(inBear) / float64(in)) / (float64(outBear) / float64(out))
	if len(sa) != 3 || ratio < 2.4 || ratio > 3.6 {
		t.Errorf("%d surges, bearish share ratio %.2f, want 3 and about 3", len(sa), ratio)
	}
	if mean := float64(len(a)) / (10 * 24); mean < 27 || mean > 33 {
		t.Errorf("%.1f events per hour, want about 30", mean)
	}
	// Other regimes: flat volume, another usual share.
	flat, fs, err := Simulate(x, y, StreamOptions{Seed: 7, Days: 10, Surges: 3, Flat: true, BaseShare: 0.3, PerBucket: 20})
	if err != nil {
		t.Fatal(err)
	}
	var night, day, normal, normalBear int
	for _, e := range flat {
		switch h := e.Time.Hour(); {
		case h < 6:
			night++
		case h >= 12 && h < 18:
			day++
		}
		surge := false
		for _, s := range fs {
			surge = surge || !e.Time.Before(s.Start) && e.Time.Before(s.Start.Add(time.Duration(s.Buckets)*time.Hour))
		}
		if !surge {
			normal++
			if label[e.Text] == datasets.Bearish {
				normalBear++
			}
		}
	}
	if r, mean := float64(day)/float64(night), float64(len(flat))/(10*24); r < 0.85 || r > 1.15 || mean < 18 || mean > 22 {
		t.Errorf("flat volume of 20 an hour: %d texts in the afternoons, %d at night, %.1f an hour", day, night, mean)
	}
	if share := float64(normalBear) / float64(normal); share < 0.27 || share > 0.33 || math.Abs(fs[0].Share-0.9) > 1e-9 {
		t.Errorf("base share 0.3: normal share %.3f, surge share %v", share, fs[0].Share)
	}
	for _, bad := range []StreamOptions{{Days: 1}, {Rhythm: 1}, {Ratio: 0.5}, {Days: 2, Surges: 5}, {BaseShare: 1}, {BaseShare: -0.1}} {
		if _, _, err := Simulate(x, y, bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

func TestScoreAlerts(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	h := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Hour) }
	surges := []Surge{{Start: h(30), Buckets: 4}, {Start: h(100), Buckets: 3}, {Start: h(200), Buckets: 5}}
	alerts := []Alert{{Bucket: h(10)}, {Bucket: h(31), Topic: "rates"}, {Bucket: h(32)}, {Bucket: h(102)}, {Bucket: h(204)}, {Bucket: h(205)}}
	s := ScoreAlerts(alerts, surges, t0, h(24*14), time.Hour, 2)
	if s.Detected != 2 || !slices.Equal(s.Delays, []int{1, 2, 4}) || s.FalseAlerts != 2 || s.MeanDelay != 1.5 {
		t.Errorf("%+v", s)
	}
	if want := 2 / ((24*14 - 12) / 168.0); s.FalsePerWeek != want {
		t.Errorf("false per week %v, want %v", s.FalsePerWeek, want)
	}
}

func TestReadEvents(t *testing.T) {
	ev, err := ReadEvents(strings.NewReader("time,text\n2024-01-01T09:00:00Z,$AAPL down\n2024-01-01T10:30:00+01:00,\"Fed, again\"\n2024-01-01T09:30:00Z,x\n"))
	if err != nil || len(ev) != 3 || ev[1].Text != "Fed, again" || !ev[1].Time.Equal(time.Date(2024, 1, 1, 9, 30, 0, 0, time.UTC)) {
		t.Fatalf("%v %v", ev, err)
	}
	for _, c := range []struct{ in, msg string }{
		{"when,text\n", "lacks the columns"},
		{"time,text\nyesterday,a\n", "line 2: time \"yesterday\""},
		{"time,text\n2024-01-01T09:00:00Z,a\n2024-01-01T08:00:00Z,b\n", "line 3: time 2024-01-01T08:00:00Z is before"},
		{"time,text\n2024-01-01T09:00:00Z, \n", "line 2: empty text"},
		{"time,text\n2024-01-01T09:00:00Z,\xff\n", "line 2: text is not valid UTF-8"},
		{"time,text\n2024-01-01T09:00:00Z,\"open\n", "extraneous or missing"},
		{"time,text\n", "no events"},
		{"", "header"},
	} {
		_, err := ReadEvents(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: %v, want %q", c.in, err, c.msg)
		}
	}
	p := filepath.Join(t.TempDir(), "s.csv")
	os.WriteFile(p, []byte("time,text\nnope,a\n"), 0o644)
	if _, err := ReadEventsFile(p); err == nil || !strings.Contains(err.Error(), p+": line 2") {
		t.Errorf("file error %v names no file and line", err)
	}
}

func TestFilesRoundTrip(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	events := []Event{{t0, "a, \"quoted\""}, {t0.Add(90 * time.Second), "b\nc"}}
	surges := []Surge{{Start: t0.Add(30 * time.Hour), Buckets: 3, Share: 0.45}}
	if err := WriteEventsFile(filepath.Join(dir, "s.csv"), events); err != nil {
		t.Fatal(err)
	}
	if err := WriteSurgesFile(filepath.Join(dir, "t.csv"), surges); err != nil {
		t.Fatal(err)
	}
	ev, err1 := ReadEventsFile(filepath.Join(dir, "s.csv"))
	sg, err2 := ReadSurgesFile(filepath.Join(dir, "t.csv"))
	if err := errors.Join(err1, err2); err != nil || !slices.EqualFunc(ev, events, func(a, b Event) bool { return a.Time.Equal(b.Time) && a.Text == b.Text }) || !slices.Equal(sg, surges) {
		t.Fatalf("round trip: %v %v %v", ev, sg, err)
	}
	alerts := []Alert{{Bucket: t0, Topic: All, Observed: 0.5, Expected: 0.15, Events: 20, Bearish: 10, Texts: []string{"x"}}}
	if err := WriteAlertsFile(filepath.Join(dir, "a.jsonl"), alerts); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "a.jsonl"))
	var back Alert
	if lines := bytes.Split(bytes.TrimSpace(b), []byte("\n")); len(lines) != 1 || json.Unmarshal(lines[0], &back) != nil || back.Topic != All || back.Observed != 0.5 {
		t.Errorf("JSON lines %s", b)
	}
}

// TestMaxTopics feeds a stream of invented tickers: the monitor tracks at
// most MaxTopics topics.
func TestMaxTopics(t *testing.T) {
	ctx := context.Background()
	m, err := New(trained(t), Options{MaxTopics: 10})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 200 {
		e := Event{Time: t0.Add(time.Duration(i) * time.Minute), Text: fmt.Sprintf("$X%c%c falls", 'A'+i%26, 'A'+i/26)}
		if _, err := m.Add(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := m.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(m.TopicNames()); n > 11 || m.TopicNames()[0] != All {
		t.Errorf("%d topics tracked (%q), want at most 10 and all", n, m.TopicNames())
	}
}
