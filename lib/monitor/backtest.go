package monitor

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/founderlab/founderlab/datasets"
)

// StreamOptions configures [Simulate]; the zero value of a field means
// its default.
type StreamOptions struct {
	Seed   uint64
	Start  time.Time     // the stream's first bucket (default 2024-01-01 00:00 UTC)
	Days   int           // length (default 14)
	Bucket time.Duration // bucket width (default one hour)
	// PerBucket is the mean number of texts per bucket over a day
	// (default 30); the volume follows a daily rhythm peaking at 15:00
	// UTC with relative amplitude Rhythm (default 0.6: 12 an hour at
	// night, 48 at the peak), or is the same all day when Flat.
	PerBucket float64
	Rhythm    float64
	Flat      bool
	// BaseShare is the bearish share of normal buckets (default 0: the
	// texts' own share, drawing them uniformly).
	BaseShare float64
	// Surges is the number of injected bearish surges (default 4), each
	// SurgeBuckets long (default 3 to 6, drawn uniformly), in which the
	// bearish share is Ratio (default 3) times its usual level, capped
	// at 0.95. The first day has none (warm-up) and surges are at least a
	// day apart.
	Surges       int
	SurgeBuckets [2]int
	Ratio        float64
}

func (o StreamOptions) withDefaults() (StreamOptions, error) {
	if o.Start.IsZero() {
		o.Start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if o.Days == 0 {
		o.Days = 14
	}
	if o.Bucket == 0 {
		o.Bucket = time.Hour
	}
	if o.PerBucket == 0 {
		o.PerBucket = 30
	}
	if o.Rhythm == 0 {
		o.Rhythm = 0.6
	}
	if o.Surges == 0 {
		o.Surges = 4
	}
	if o.SurgeBuckets == [2]int{} {
		o.SurgeBuckets = [2]int{3, 6}
	}
	if o.Ratio == 0 {
		o.Ratio = 3
	}
	switch {
	case o.Days < 2 || o.Days > 3660:
		return o, fmt.Errorf("monitor: stream of %d days, want 2 to 3660", o.Days)
	case o.Bucket <= 0 || o.Bucket > 24*time.Hour:
		return o, fmt.Errorf("monitor: bucket %v, want up to a day", o.Bucket)
	case !(o.PerBucket > 0 && o.PerBucket <= 1e4):
		return o, fmt.Errorf("monitor: %v texts per bucket, want 0 to 10,000", o.PerBucket)
	case o.Rhythm < 0 || o.Rhythm >= 1:
		return o, fmt.Errorf("monitor: rhythm %v, want in [0, 1)", o.Rhythm)
	case o.Surges < 0 || o.SurgeBuckets[0] < 1 || o.SurgeBuckets[1] < o.SurgeBuckets[0]:
		return o, fmt.Errorf("monitor: surges %d of %v buckets", o.Surges, o.SurgeBuckets)
	case o.BaseShare < 0 || o.BaseShare >= 1:
		return o, fmt.Errorf("monitor: base share %v, want in [0, 1)", o.BaseShare)
	case !(o.Ratio > 1):
		return o, fmt.Errorf("monitor: surge ratio %v, want > 1", o.Ratio)
	}
	return o, nil
}

// Surge is an injected bearish surge: Buckets buckets from Start, in which
// the bearish share is Share.
type Surge struct {
	Start   time.Time `json:"start"`
	Buckets int       `json:"buckets"`
	Share   float64   `json:"share"`
}

// Simulate builds a stream of real texts with known bearish surges. Normal
// buckets draw texts uniformly from texts (so the bearish share is the
// data's, about 15 % for fin-sentiment's validation split), or a bearish
// text with probability BaseShare and another text otherwise; surge
// buckets draw a bearish text with probability Ratio times that share and
// another text otherwise, at the same volume. Each bucket's volume is
// Poisson with the daily rhythm's mean (or PerBucket when Flat), and its
// texts get uniform random times inside it. The same options and texts
// give the same stream.
func Simulate(texts []string, labels []datasets.FinLabel, opt StreamOptions) ([]Event, []Surge, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, nil, err
	}
	if len(texts) != len(labels) {
		return nil, nil, fmt.Errorf("monitor: Simulate: %d texts and %d labels", len(texts), len(labels))
	}
	var bear, other []string
	for i, t := range texts {
		if labels[i] == datasets.Bearish {
			bear = append(bear, t)
		} else {
			other = append(other, t)
		}
	}
	if len(bear) == 0 || len(other) == 0 {
		return nil, nil, errors.New("monitor: Simulate: needs bearish and other texts")
	}
	base := float64(len(bear)) / float64(len(texts))
	if opt.BaseShare > 0 {
		base = opt.BaseShare
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5e17))
	perDay := int((24 * time.Hour) / opt.Bucket)
	n := opt.Days * perDay
	surge := make([]bool, n)
	var surges []Surge
	share := min(opt.Ratio*base, 0.95)
	for range opt.Surges {
		placed := false
		for try := 0; try < 1000 && !placed; try++ {
			length := opt.SurgeBuckets[0] + rng.IntN(opt.SurgeBuckets[1]-opt.SurgeBuckets[0]+1)
			if n-length-perDay <= 0 {
				break
			}
			s := perDay + rng.IntN(n-length-perDay+1)
			if free(surge, s-perDay, s+length+perDay) {
				for b := s; b < s+length; b++ {
					surge[b] = true
				}
				surges = append(surges, Surge{Start: opt.Start.Add(time.Duration(s) * opt.Bucket), Buckets: length, Share: share})
				placed = true
			}
		}
		if !placed {
			return nil, nil, fmt.Errorf("monitor: Simulate: no room for %d surges a day apart in %d days", opt.Surges, opt.Days)
		}
	}
	slices.SortFunc(surges, func(a, b Surge) int { return a.Start.Compare(b.Start) })
	var events []Event
	for b := range n {
		start := opt.Start.Add(time.Duration(b) * opt.Bucket)
		hour := float64(start.Sub(opt.Start.Truncate(24*time.Hour))%(24*time.Hour)) / float64(time.Hour)
		mean := opt.PerBucket * (1 + opt.Rhythm*math.Cos(2*math.Pi*(hour-15)/24))
		if opt.Flat {
			mean = opt.PerBucket
		}
		k := poisson(rng, mean)
		offs := make([]time.Duration, k)
		for i := range offs {
			offs[i] = time.Duration(rng.Int64N(int64(opt.Bucket)))
		}
		slices.Sort(offs)
		for _, off := range offs {
			var t string
			switch {
			case !surge[b] && opt.BaseShare == 0:
				t = texts[rng.IntN(len(texts))]
			case !surge[b] && rng.Float64() < base, surge[b] && rng.Float64() < share:
				t = bear[rng.IntN(len(bear))]
			default:
				t = other[rng.IntN(len(other))]
			}
			events = append(events, Event{Time: start.Add(off), Text: t})
		}
	}
	return events, surges, nil
}

func free(surge []bool, lo, hi int) bool {
	for b := max(lo, 0); b < min(hi, len(surge)); b++ {
		if surge[b] {
			return false
		}
	}
	return true
}

// poisson draws from a Poisson distribution: Knuth's product of uniforms
// for small means, a rounded normal approximation for large ones.
func poisson(rng *rand.Rand, mean float64) int {
	if mean > 60 {
		return max(0, int(math.Round(mean+math.Sqrt(mean)*rng.NormFloat64())))
	}
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// Score measures alerts against the known surges of a stream of buckets
// from start to end.
type Score struct {
	Surges    int
	Detected  int     // surges alerted within MaxDelay buckets of their start
	Delays    []int   // per surge, buckets from its start to its first alert (-1: none in the surge)
	MeanDelay float64 // over detected surges
	// FalseAlerts are alerts outside every surge; NormalWeeks the length
	// of the stream outside surges, in weeks.
	FalseAlerts  int
	NormalWeeks  float64
	FalsePerWeek float64
}

// ScoreAlerts scores alerts against the surges of a stream that runs from
// start to end: a surge is detected when an alert (of any topic) falls in
// its first maxDelay+1 buckets, and an alert in no surge is a false one.
func ScoreAlerts(alerts []Alert, surges []Surge, start, end time.Time, bucket time.Duration, maxDelay int) Score {
	s := Score{Surges: len(surges), Delays: make([]int, len(surges))}
	surgeBuckets := 0
	for i, sg := range surges {
		s.Delays[i] = -1
		surgeBuckets += sg.Buckets
	}
	total := 0.0
	for _, a := range alerts {
		if !inSurge(a, surges, bucket) {
			s.FalseAlerts++
		}
		for i, sg := range surges {
			d := int(a.Bucket.Sub(sg.Start) / bucket)
			if !a.Bucket.Before(sg.Start) && d < sg.Buckets && (s.Delays[i] < 0 || d < s.Delays[i]) {
				s.Delays[i] = d
			}
		}
	}
	for _, d := range s.Delays {
		if d >= 0 && d <= maxDelay {
			s.Detected++
			total += float64(d)
		}
	}
	if s.Detected > 0 {
		s.MeanDelay = total / float64(s.Detected)
	}
	normal := end.Sub(start) - time.Duration(surgeBuckets)*bucket
	s.NormalWeeks = normal.Hours() / (7 * 24)
	if s.NormalWeeks > 0 {
		s.FalsePerWeek = float64(s.FalseAlerts) / s.NormalWeeks
	}
	return s
}

// Cached is a [Classifier] that answers from a table of texts classified
// once, and asks the classifier it wraps about the others: a simulated
// stream repeats its texts, so a backtest classifies each text once.
type Cached struct {
	c     Classifier
	proba map[string][]float64
}

// NewCached classifies the distinct texts with c, in batches of batch.
func NewCached(ctx context.Context, c Classifier, texts []string, batch int) (*Cached, error) {
	if batch <= 0 {
		batch = 256
	}
	distinct := slices.Clone(texts)
	slices.Sort(distinct)
	distinct = slices.Compact(distinct)
	m := &Cached{c: c, proba: make(map[string][]float64, len(distinct))}
	for lo := 0; lo < len(distinct); lo += batch {
		hi := min(lo+batch, len(distinct))
		p, err := c.Proba(ctx, distinct[lo:hi])
		if err != nil {
			return nil, fmt.Errorf("monitor: NewCached: %w", err)
		}
		for i, row := range p {
			m.proba[distinct[lo+i]] = row
		}
	}
	return m, nil
}

// CachedFrom is a [Cached] of probabilities computed already: proba[i]
// is that of texts[i]; other texts go to fallback (which may be nil, then
// they are an error).
func CachedFrom(texts []string, proba [][]float64, fallback Classifier) (*Cached, error) {
	if len(texts) != len(proba) {
		return nil, fmt.Errorf("monitor: CachedFrom: %d texts and %d rows of probabilities", len(texts), len(proba))
	}
	m := &Cached{c: fallback, proba: make(map[string][]float64, len(texts))}
	for i, t := range texts {
		m.proba[t] = proba[i]
	}
	return m, nil
}

// Proba returns the stored probabilities of known texts and classifies
// the others with the wrapped classifier.
func (m *Cached) Proba(ctx context.Context, texts []string) ([][]float64, error) {
	out := make([][]float64, len(texts))
	var miss []string
	var at []int
	for i, t := range texts {
		if p, ok := m.proba[t]; ok {
			out[i] = p
		} else {
			miss, at = append(miss, t), append(at, i)
		}
	}
	if len(miss) > 0 {
		if m.c == nil {
			return nil, fmt.Errorf("monitor: text %q was not classified in advance", miss[0])
		}
		p, err := m.c.Proba(ctx, miss)
		if err != nil {
			return nil, err
		}
		for j, i := range at {
			out[i] = p[j]
		}
	}
	return out, nil
}

// Stream is a simulated stream with its known surges.
type Stream struct {
	Name       string
	Events     []Event
	Surges     []Surge
	Start, End time.Time // the first bucket's start and the last one's end
	Bucket     time.Duration
}

// SimulateStream is [Simulate] returning a [Stream].
func SimulateStream(texts []string, labels []datasets.FinLabel, opt StreamOptions) (Stream, error) {
	ev, surges, err := Simulate(texts, labels, opt)
	if err != nil {
		return Stream{}, err
	}
	opt, _ = opt.withDefaults()
	return Stream{Events: ev, Surges: surges, Start: opt.Start, End: opt.Start.Add(time.Duration(opt.Days) * 24 * time.Hour), Bucket: opt.Bucket}, nil
}

// TradePoint is the detector's performance at one threshold over several
// streams.
type TradePoint struct {
	Detector  DetectorOptions // with its defaults filled in
	Surges    int
	Missed    int     // surges not alerted within maxDelay buckets
	MeanDelay float64 // buckets, over detected surges
	// FalsePerWeek is the false alerts per week of normal traffic over all
	// streams together; WorstFalsePerWeek that of the worst stream.
	FalsePerWeek, WorstFalsePerWeek float64
	// FalseTopics counts the false alerts per topic.
	FalseTopics map[string]int
}

// TradeOff runs the monitor over every stream with each of the detector
// settings (the rest of opt as given) and scores its alerts: the trade-off
// between the delay and misses of detection and the false alarms. Each
// stream is classified and tagged once.
func TradeOff(ctx context.Context, c Classifier, streams []Stream, opt Options, detectors []DetectorOptions, maxDelay int) ([]TradePoint, error) {
	// Classify and tag each stream once; replay its counts per threshold.
	type tally struct {
		start  time.Time
		counts map[string]*bucketTopic
	}
	tallies := make([][]tally, len(streams))
	for i, s := range streams {
		o := opt
		o.Bucket = s.Bucket
		m, err := New(c, o)
		if err != nil {
			return nil, fmt.Errorf("monitor: TradeOff: %w", err)
		}
		m.record = func(start time.Time, counts map[string]*bucketTopic) {
			cp := make(map[string]*bucketTopic, len(counts))
			for t, b := range counts {
				cp[t] = &bucketTopic{n: b.n, x: b.x, bins: b.bins}
			}
			tallies[i] = append(tallies[i], tally{start, cp})
		}
		if _, _, err := run(ctx, m, s.Events); err != nil {
			return nil, fmt.Errorf("monitor: TradeOff: stream %q: %w", s.Name, err)
		}
	}
	var out []TradePoint
	for _, det := range detectors {
		o := opt
		o.Detector = det
		var err error
		if o.Detector, err = det.withDefaults(); err != nil {
			return nil, err
		}
		p := TradePoint{Detector: o.Detector}
		var falses int
		var weeks, delays float64
		detected := 0
		for i, s := range streams {
			o.Bucket = s.Bucket
			m, err := New(c, o)
			if err != nil {
				return nil, fmt.Errorf("monitor: TradeOff: %w", err)
			}
			var alerts []Alert
			for _, b := range tallies[i] {
				m.current, m.counts = b.start, b.counts
				alerts = append(alerts, m.detect()...)
			}
			sc := ScoreAlerts(alerts, s.Surges, s.Start, s.End, s.Bucket, maxDelay)
			for _, a := range alerts {
				if !inSurge(a, s.Surges, s.Bucket) {
					if p.FalseTopics == nil {
						p.FalseTopics = map[string]int{}
					}
					p.FalseTopics[a.Topic]++
				}
			}
			p.Surges += sc.Surges
			p.Missed += sc.Surges - sc.Detected
			detected += sc.Detected
			delays += sc.MeanDelay * float64(sc.Detected)
			falses += sc.FalseAlerts
			weeks += sc.NormalWeeks
			p.WorstFalsePerWeek = max(p.WorstFalsePerWeek, sc.FalsePerWeek)
		}
		if detected > 0 {
			p.MeanDelay = delays / float64(detected)
		}
		if weeks > 0 {
			p.FalsePerWeek = float64(falses) / weeks
		}
		out = append(out, p)
	}
	return out, nil
}

func inSurge(a Alert, surges []Surge, bucket time.Duration) bool {
	for _, sg := range surges {
		if !a.Bucket.Before(sg.Start) && a.Bucket.Before(sg.Start.Add(time.Duration(sg.Buckets)*bucket)) {
			return true
		}
	}
	return false
}
