package monitor

import (
	"fmt"
	"math"
)

// DetectorOptions configures the CUSUM detector of every topic; the zero
// value of a field means its default.
type DetectorOptions struct {
	// Ratio is the surge the CUSUM is designed for: the bearish share
	// rising from its expected p₀ to p₁ = Ratio·p₀ (default 2; a true
	// 3-fold surge looks smaller through a classifier's errors).
	Ratio float64
	// Threshold is the CUSUM's decision interval h, in nats of
	// log-likelihood ratio (default 2.5, chosen with `go run ./bench/monitor
	// -sweep`), for the topic All. Every other
	// topic alerts at h + ln K, K the number of topics other than All past
	// their warm-up: a Bonferroni-style correction, since the CUSUM's false
	// alarm rate falls about as e^-h, so that K topics together raise
	// about as many false alerts as All alone.
	Threshold float64
	// MinVolume is the fewest texts a bucket needs to raise an alert
	// (default 5): a quiet hour's two bearish tweets page no one.
	MinVolume int
	// WarmupEvents and WarmupBuckets are the texts and buckets with
	// events a topic must have seen before it may alert (defaults 300
	// and 12): its baseline is calibrated from the stream itself.
	WarmupEvents, WarmupBuckets int
	// HalfLife is the half-life, in buckets, of the baseline's
	// exponentially weighted counts (default 168, a week of hours).
	HalfLife float64
	// IndexAlpha is the smoothing weight of the negative-share index
	// (default 0.3).
	IndexAlpha float64
	// Counting says what counts as bearish in a bucket (default
	// Probabilities).
	Counting Counting
}

func (o DetectorOptions) withDefaults() (DetectorOptions, error) {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.Ratio, 2)
	def(&o.Threshold, 2.5)
	def(&o.HalfLife, 168)
	def(&o.IndexAlpha, 0.3)
	if o.MinVolume == 0 {
		o.MinVolume = 5
	}
	if o.WarmupEvents == 0 {
		o.WarmupEvents = 300
	}
	if o.WarmupBuckets == 0 {
		o.WarmupBuckets = 12
	}
	switch {
	case !(o.Ratio > 1) || math.IsInf(o.Ratio, 0):
		return o, fmt.Errorf("monitor: detector ratio %v, want > 1", o.Ratio)
	case !(o.Threshold > 0) || math.IsInf(o.Threshold, 0):
		return o, fmt.Errorf("monitor: detector threshold %v, want > 0", o.Threshold)
	case !(o.HalfLife > 0):
		return o, fmt.Errorf("monitor: detector half-life %v, want > 0", o.HalfLife)
	case !(o.IndexAlpha > 0 && o.IndexAlpha <= 1):
		return o, fmt.Errorf("monitor: index weight %v, want in (0, 1]", o.IndexAlpha)
	case o.MinVolume < 0 || o.WarmupEvents < 0 || o.WarmupBuckets < 0:
		return o, fmt.Errorf("monitor: negative minimum volume or warm-up")
	}
	return o, nil
}

// detector is one topic's CUSUM on the bearish share.
type detector struct {
	opt            DetectorOptions
	decay          float64
	num, den       float64 // exponentially weighted bearish and total counts of normal buckets
	score          float64 // CUSUM statistic S
	events, bucket int
	index          float64
	episode        int // buckets since the alert that opened the current episode (0: none)
}

// episodeRelearn is the length, in buckets, after which an alert episode
// that has not ended lets the baseline learn again: a shift that lasts a
// day becomes the new normal.
const episodeRelearn = 24

func newDetector(opt DetectorOptions) *detector {
	return &detector{opt: opt, decay: math.Exp2(-1 / opt.HalfLife), index: math.NaN()}
}

// step is the outcome of one bucket for one topic.
type step struct {
	expected, score, index float64
	alarm, warm            bool
}

// Share bounds keep the log-likelihood ratio finite.
const minShare, maxShare = 0.01, 0.95

// observe feeds a bucket with n texts, x of them bearish, to the CUSUM
// with threshold h.
func (d *detector) observe(n int, x, h float64) step {
	share := x / float64(n)
	if math.IsNaN(d.index) {
		d.index = share
	} else {
		d.index += d.opt.IndexAlpha * (share - d.index)
	}
	warm := d.warmed()
	d.events += n
	d.bucket++
	p0 := minShare
	if d.den > 0 {
		p0 = min(max(d.num/d.den, minShare), maxShare/d.opt.Ratio)
	}
	s := step{expected: p0, index: d.index, warm: warm}
	if !warm {
		d.learn(n, x)
		return s
	}
	p1 := d.opt.Ratio * p0
	llr := x*math.Log(p1/p0) + (float64(n)-x)*math.Log((1-p1)/(1-p0))
	d.score = max(0, d.score+llr)
	s.score = d.score
	if d.episode > 0 {
		// One alert per episode: the score, capped at 2h so that it
		// comes back soon after the surge, must return to 0 first.
		d.score = min(d.score, 2*h)
		if d.score == 0 {
			d.episode = 0
		} else if d.episode++; d.episode > episodeRelearn {
			d.learn(n, x)
		}
		return s
	}
	if d.score >= h && n >= d.opt.MinVolume && share > p0 {
		s.alarm = true
		d.episode = 1
		return s
	}
	d.learn(n, x) // every bucket outside an alert episode updates the baseline
	return s
}

func (d *detector) learn(n int, x float64) {
	d.num = d.num*d.decay + x
	d.den = d.den*d.decay + float64(n)
}

// warmed reports whether the topic is past its warm-up.
func (d *detector) warmed() bool {
	return d.events >= d.opt.WarmupEvents && d.bucket >= d.opt.WarmupBuckets && d.den > 0
}
