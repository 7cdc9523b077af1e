package monitor

import (
	"fmt"
	"math"
)

// DetectorOptions configures the CUSUM detector of every topic; the zero
// value of a field means its default.
type DetectorOptions struct {
	// Ratio is the surge the CUSUM is designed for: the true bearish
	// share rising from its usual π₀ to π₁ = Ratio·π₀ (default 3, the
	// issue's surge), capped at 0.95.
	Ratio float64
	// Threshold is the CUSUM's decision interval h, in nats of
	// log-likelihood ratio (default 5, chosen with `go run ./bench/monitor
	// -sweep` on seeds 1–10: the lowest with at most one false alert a
	// week on every swept stream), for the topic All. Every other topic alerts
	// at h + ln K, K the number of topics other than All past their
	// warm-up: a Bonferroni-style correction, since the CUSUM's false
	// alarm rate falls about as e^-h, so that K topics together raise
	// about as many false alerts as All alone.
	Threshold float64
	// MinVolume is the fewest texts a bucket needs to raise an alert
	// (default 5): a quiet hour's two bearish tweets page no one.
	MinVolume int
	// WarmupEvents and WarmupBuckets are the texts and buckets with
	// events a topic must have seen before it may alert (defaults 200
	// and 12): its baseline is estimated from the stream itself.
	WarmupEvents, WarmupBuckets int
	// HalfLife is the half-life, in buckets, of the baseline's
	// exponentially weighted counts (default 168, a week of hours).
	HalfLife float64
	// IndexAlpha is the smoothing weight of the negative-share index
	// (default 0.3).
	IndexAlpha float64
	// Counting says what of each text's classification the detector
	// uses (default Probabilities).
	Counting Counting
	// Calibration relates the classifier's outputs to the true labels
	// (nil: DefaultCalibration, fin-sentiment's TF-IDF classifier); make
	// one with Calibrate on held-out labelled texts.
	Calibration *Calibration
}

func (o DetectorOptions) withDefaults() (DetectorOptions, error) {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.Ratio, 3)
	def(&o.Threshold, 5)
	def(&o.HalfLife, 168)
	def(&o.IndexAlpha, 0.3)
	if o.MinVolume == 0 {
		o.MinVolume = 5
	}
	if o.WarmupEvents == 0 {
		o.WarmupEvents = 200
	}
	if o.WarmupBuckets == 0 {
		o.WarmupBuckets = 12
	}
	if o.Calibration == nil {
		o.Calibration = DefaultCalibration()
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
	case o.Counting > Labels:
		return o, fmt.Errorf("monitor: counting %d, want Probabilities or Labels", o.Counting)
	}
	return o, o.Calibration.check()
}

// detector is one topic's CUSUM on the bearish share.
type detector struct {
	opt            DetectorOptions
	lr             []float64 // likelihood ratio of each bin
	decay          float64
	hist           []float64 // exponentially weighted bin counts of normal buckets
	base           float64   // π₀, the MLE of the share from hist
	score          float64   // CUSUM statistic S
	events, bucket int
	index          float64
	episode        int // buckets since the alert that opened the current episode (0: none)
}

// episodeRelearn is the length, in buckets, after which an alert episode
// that has not ended lets the baseline learn again: a shift that lasts a
// day becomes the new normal.
const episodeRelearn = 24

func newDetector(opt DetectorOptions) *detector {
	lr := opt.Calibration.ratios(opt.Counting)
	return &detector{opt: opt, lr: lr, decay: math.Exp2(-1 / opt.HalfLife), hist: make([]float64, len(lr)),
		base: opt.Calibration.Prior, index: math.NaN()}
}

// step is the outcome of one bucket for one topic.
type step struct {
	share, expected, score, index float64
	alarm, warm                   bool
}

// Share bounds keep the log-likelihood ratio finite: π₀ in [minShare,
// maxBase], π₁ at most maxShare. (Capping π₀ at maxShare/Ratio instead
// would make a topic whose usual share is above it drift up, and alarm,
// with no change at all.)
const minShare, maxBase, maxShare = 0.005, 0.9, 0.95

// observe feeds a bucket with n texts whose outputs fall in the bins with
// counts hist to the CUSUM with threshold h. A quiet bucket (one in which
// the topic All is in an alert episode) only counts: the score restarts
// at 0, raises no alert and the baseline does not learn, so that a
// stream-wide surge pages once, on All, and its lagging evidence in each
// topic does not page again after it.
func (d *detector) observe(n int, hist []float64, h float64, quiet bool) step {
	share := shareMLE(hist, d.lr, d.base)
	if math.IsNaN(d.index) {
		d.index = share
	} else {
		d.index += d.opt.IndexAlpha * (share - d.index)
	}
	warm := d.warmed()
	d.events += n
	d.bucket++
	p0 := min(max(d.base, minShare), maxBase)
	s := step{share: share, expected: p0, index: d.index, warm: warm}
	if quiet {
		d.score, d.episode = 0, 0
		return s
	}
	if !warm {
		d.learn(hist)
		return s
	}
	p1 := min(d.opt.Ratio*p0, maxShare)
	llr := 0.0
	for k, c := range hist {
		if c != 0 {
			llr += c * math.Log((p1*d.lr[k]+1-p1)/(p0*d.lr[k]+1-p0))
		}
	}
	d.score = max(0, d.score+llr)
	s.score = d.score
	if d.episode > 0 {
		// One alert per episode: the score, capped at 2h so that it
		// comes back soon after the surge, must return to 0 first.
		d.score = min(d.score, 2*h)
		if d.score == 0 {
			d.episode = 0
		} else if d.episode++; d.episode > episodeRelearn {
			d.learn(hist)
		}
		return s
	}
	if d.score >= h && n >= d.opt.MinVolume && share > p0 {
		s.alarm = true
		d.episode = 1
		return s
	}
	d.learn(hist) // every bucket outside an alert episode updates the baseline
	return s
}

func (d *detector) learn(hist []float64) {
	for k, c := range hist {
		d.hist[k] = d.hist[k]*d.decay + c
	}
	d.base = shareMLE(d.hist, d.lr, d.base)
}

// warmed reports whether the topic is past its warm-up.
func (d *detector) warmed() bool {
	return d.events >= d.opt.WarmupEvents && d.bucket >= d.opt.WarmupBuckets
}
