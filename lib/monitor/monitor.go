package monitor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/internal/atomicfile"
)

// Event is one text of the stream and when it was published.
type Event struct {
	Time time.Time
	Text string
}

// Errors wrapped by the monitor's errors on bad events.
var (
	ErrOutOfOrder = errors.New("event out of time order")
	ErrBadText    = errors.New("bad event text")
)

// EventError is the error for a bad event: Index counts the events given
// to the monitor from 0.
type EventError struct {
	Index int
	Time  time.Time
	Err   error // ErrOutOfOrder or ErrBadText, wrapped with details
}

func (e *EventError) Error() string {
	return fmt.Sprintf("monitor: event %d (%s): %v", e.Index, e.Time.Format(time.RFC3339), e.Err)
}

func (e *EventError) Unwrap() error { return e.Err }

// MaxTextBytes bounds one event's text.
const MaxTextBytes = 16 << 10

// Options configures a [Monitor]; the zero value means the defaults.
type Options struct {
	// Bucket is the width of the time buckets (default one hour); buckets
	// start at multiples of it since the zero time, as [time.Time.Truncate]
	// (for widths that divide a day: at UTC midnight and after).
	Bucket time.Duration
	// Batch is the number of texts classified together (default 64).
	Batch int
	// Topics tags the texts (nil: DefaultTopics).
	Topics *Topics
	// MaxTopics bounds the topics tracked (default 5000); later new
	// topics are ignored, so a hostile stream of invented tickers cannot
	// grow the monitor without bound. All is always tracked.
	MaxTopics int
	// Texts is the number of bearish texts an alert quotes (default 5).
	Texts    int
	Detector DetectorOptions
}

// Counting is how a bucket's bearish texts are counted for the detector.
type Counting uint8

const (
	// Probabilities uses each text's probability of being bearish, in
	// one of Bins bins: a confident bearish call weighs more than a
	// hesitant one, and a bearish text the classifier calls neutral
	// still counts for some.
	Probabilities Counting = iota
	// Labels uses only whether a text's most probable label is bearish
	// (the Bernoulli CUSUM of Reynolds and Stoumbos).
	Labels
)

// Alert says that the bearish share of a topic surged in a bucket.
type Alert struct {
	Bucket   time.Time `json:"bucket"` // the bucket's start
	Topic    string    `json:"topic"`
	Observed float64   `json:"observed"` // the bucket's estimated bearish share (see Point.Share)
	Expected float64   `json:"expected"` // the baseline share π₀
	Events   int       `json:"events"`   // texts of the topic in the bucket
	Bearish  int       `json:"bearish"`  // texts classified bearish
	Score    float64   `json:"score"`    // the CUSUM statistic that crossed the threshold
	// Texts are the bearish texts that drove it, most confident first.
	Texts []string `json:"texts"`
}

// Point is one bucket of one topic's series.
type Point struct {
	Bucket  time.Time
	Events  int
	Bearish int
	// Share is the bucket's estimated bearish share: the maximum-likelihood
	// share of truly bearish texts given the classifier's outputs and its
	// Calibration (not the share classified bearish, which the
	// classifier's misses and false positives distort).
	Share    float64
	Expected float64 // the baseline share π₀ before this bucket
	Index    float64 // the negative-share index: an EWMA of Share
	Score    float64 // the CUSUM statistic after this bucket (0 in warm-up)
	Warm     bool    // false while the topic calibrates its baseline
	Alert    bool
}

type bucketTopic struct {
	n, x  int
	bins  [Bins]int // texts per bin of P(bearish)
	texts []scored
}

type scored struct {
	text string
	conf float64
}

// Monitor consumes a time-ordered stream of events, classifies them in
// batches, counts texts and bearish texts per bucket and topic, and runs
// each topic's detector when a bucket closes.
type Monitor struct {
	c       Classifier
	opt     Options
	topics  Topics
	det     map[string]*detector
	series  map[string][]Point
	order   []string
	n       int
	last    time.Time
	current time.Time // start of the open bucket
	pending []Event
	counts  map[string]*bucketTopic
	// record, when set, receives each closed bucket's counts (TradeOff
	// replays them at other thresholds).
	record func(start time.Time, counts map[string]*bucketTopic)
}

// New returns a monitor that classifies with c.
func New(c Classifier, opt Options) (*Monitor, error) {
	if c == nil {
		return nil, errors.New("monitor: New: no classifier")
	}
	var err error
	if opt.Detector, err = opt.Detector.withDefaults(); err != nil {
		return nil, err
	}
	if opt.Bucket == 0 {
		opt.Bucket = time.Hour
	}
	if opt.Bucket < 0 {
		return nil, fmt.Errorf("monitor: bucket %v, want > 0", opt.Bucket)
	}
	if opt.Batch <= 0 {
		opt.Batch = 64
	}
	if opt.MaxTopics <= 0 {
		opt.MaxTopics = 5000
	}
	if opt.Texts <= 0 {
		opt.Texts = 5
	}
	m := &Monitor{c: c, opt: opt, det: map[string]*detector{}, series: map[string][]Point{}, counts: map[string]*bucketTopic{}}
	if opt.Topics != nil {
		m.topics = *opt.Topics
	} else {
		m.topics = DefaultTopics()
	}
	return m, nil
}

// Add takes the next event; it returns the alerts of the buckets that the
// event closes. An event earlier than the previous one, or with an empty,
// invalid UTF-8 or too long text, is an [*EventError].
func (m *Monitor) Add(ctx context.Context, e Event) ([]Alert, error) {
	idx := m.n
	switch {
	case m.n > 0 && e.Time.Before(m.last):
		return nil, &EventError{idx, e.Time, fmt.Errorf("%w: after %s", ErrOutOfOrder, m.last.Format(time.RFC3339))}
	case len(e.Text) > MaxTextBytes:
		return nil, &EventError{idx, e.Time, fmt.Errorf("%w: %d bytes, at most %d", ErrBadText, len(e.Text), MaxTextBytes)}
	case !utf8.ValidString(e.Text):
		return nil, &EventError{idx, e.Time, fmt.Errorf("%w: not valid UTF-8", ErrBadText)}
	case isBlank(e.Text):
		return nil, &EventError{idx, e.Time, fmt.Errorf("%w: empty", ErrBadText)}
	}
	m.n++
	m.last = e.Time
	start := e.Time.Truncate(m.opt.Bucket)
	var alerts []Alert
	if idx > 0 && !start.Equal(m.current) {
		var err error
		if alerts, err = m.closeBucket(ctx); err != nil {
			return nil, err
		}
	}
	m.current = start
	m.pending = append(m.pending, e)
	if len(m.pending) >= m.opt.Batch {
		if err := m.classify(ctx); err != nil {
			return alerts, err
		}
	}
	return alerts, nil
}

// Close ends the stream: it closes the last bucket and returns its alerts.
func (m *Monitor) Close(ctx context.Context) ([]Alert, error) {
	if m.n == 0 {
		return nil, nil
	}
	return m.closeBucket(ctx)
}

func isBlank(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
	}
	return true
}

// classify classifies the pending events and adds them to the open
// bucket's counts.
func (m *Monitor) classify(ctx context.Context) error {
	if len(m.pending) == 0 {
		return nil
	}
	texts := make([]string, len(m.pending))
	for i, e := range m.pending {
		texts[i] = e.Text
	}
	pred, conf, bear, err := classifyProba(ctx, m.c, texts, m.opt.Batch)
	if err != nil {
		return fmt.Errorf("monitor: bucket %s: %w", m.current.Format(time.RFC3339), err)
	}
	for i, t := range texts {
		for _, topic := range m.topics.Tag(t) {
			b := m.counts[topic]
			if b == nil {
				if _, known := m.det[topic]; !known && topic != All && len(m.det)+len(m.counts) >= m.opt.MaxTopics {
					continue
				}
				b = &bucketTopic{}
				m.counts[topic] = b
			}
			b.n++
			b.bins[bin(bear[i], Bins)]++
			if pred[i] == datasets.Bearish {
				b.x++
				b.texts = append(b.texts, scored{t, conf[i]})
				slices.SortStableFunc(b.texts, func(a, b scored) int { return compareDesc(a.conf, b.conf) })
				if len(b.texts) > m.opt.Texts {
					b.texts = b.texts[:m.opt.Texts]
				}
			}
		}
	}
	m.pending = m.pending[:0]
	return nil
}

func compareDesc(a, b float64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

func (m *Monitor) closeBucket(ctx context.Context) ([]Alert, error) {
	if err := m.classify(ctx); err != nil {
		return nil, err
	}
	if m.record != nil {
		m.record(m.current, m.counts)
	}
	alerts := m.detect()
	clear(m.counts)
	return alerts, nil
}

// detect runs the detectors on the counts of the bucket that starts at
// m.current.
func (m *Monitor) detect() []Alert {
	names := make([]string, 0, len(m.counts))
	for t := range m.counts {
		names = append(names, t)
	}
	slices.SortFunc(names, func(a, b string) int { // All first
		switch {
		case a == b:
			return 0
		case a == All:
			return -1
		case b == All:
			return 1
		}
		return strings.Compare(a, b)
	})
	warm := 0
	for t, d := range m.det {
		if t != All && d.warmed() {
			warm++
		}
	}
	topicH := m.opt.Detector.Threshold + math.Log(float64(max(warm, 1)))
	var alerts []Alert
	stormy := false // All is in an alert episode: the other topics keep quiet
	for _, t := range names {
		b := m.counts[t]
		d := m.det[t]
		if d == nil {
			d = newDetector(m.opt.Detector)
			m.det[t] = d
			m.order = append(m.order, t)
		}
		h := topicH
		if t == All {
			h = m.opt.Detector.Threshold
		}
		var hist []float64
		if m.opt.Detector.Counting == Labels {
			hist = []float64{float64(b.n - b.x), float64(b.x)}
		} else {
			hist = make([]float64, Bins)
			for k, c := range b.bins {
				hist[k] = float64(c)
			}
		}
		s := d.observe(b.n, hist, h, t != All && stormy)
		if t == All {
			stormy = d.episode > 0
		}
		m.series[t] = append(m.series[t], Point{Bucket: m.current, Events: b.n, Bearish: b.x, Share: s.share,
			Expected: s.expected, Index: s.index, Score: s.score, Warm: s.warm, Alert: s.alarm})
		if s.alarm {
			texts := make([]string, len(b.texts))
			for i, st := range b.texts {
				texts[i] = st.text
			}
			alerts = append(alerts, Alert{Bucket: m.current, Topic: t, Observed: s.share, Expected: s.expected,
				Events: b.n, Bearish: b.x, Score: s.score, Texts: texts})
		}
	}
	return alerts
}

// Series returns the points of a topic, one per bucket in which it had
// texts, in time order.
func (m *Monitor) Series(topic string) []Point { return m.series[topic] }

// Aligned returns, for each of the n buckets from start, a value of the
// topic's point in that bucket (NaN where it had no texts): for charts,
// with value func(p Point) float64 { return p.Index } for instance.
func (m *Monitor) Aligned(topic string, start time.Time, n int, value func(Point) float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	for _, p := range m.series[topic] {
		if i := int(p.Bucket.Sub(start) / m.opt.Bucket); i >= 0 && i < n && !p.Bucket.Before(start) {
			out[i] = value(p)
		}
	}
	return out
}

// TopicNames returns the topics seen, busiest first (All first).
func (m *Monitor) TopicNames() []string {
	out := slices.Clone(m.order)
	total := func(t string) int {
		n := 0
		for _, p := range m.series[t] {
			n += p.Events
		}
		return n
	}
	slices.SortStableFunc(out, func(a, b string) int { return total(b) - total(a) })
	return out
}

// Run feeds events to a new monitor and returns every alert and the
// monitor (for its series).
func Run(ctx context.Context, c Classifier, events []Event, opt Options) ([]Alert, *Monitor, error) {
	m, err := New(c, opt)
	if err != nil {
		return nil, nil, err
	}
	return run(ctx, m, events)
}

func run(ctx context.Context, m *Monitor, events []Event) ([]Alert, *Monitor, error) {
	var all []Alert
	for i, e := range events {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
		}
		a, err := m.Add(ctx, e)
		if err != nil {
			return nil, nil, err
		}
		all = append(all, a...)
	}
	a, err := m.Close(ctx)
	if err != nil {
		return nil, nil, err
	}
	return append(all, a...), m, nil
}

// WriteAlerts writes alerts as JSON lines, one alert per line.
func WriteAlerts(w io.Writer, alerts []Alert) error {
	enc := json.NewEncoder(w)
	for _, a := range alerts {
		if err := enc.Encode(a); err != nil {
			return fmt.Errorf("monitor: %w", err)
		}
	}
	return nil
}

// WriteAlertsFile writes alerts as JSON lines to path, atomically.
func WriteAlertsFile(path string, alerts []Alert) error {
	return atomicfile.Write(path, func(w io.Writer) error { return WriteAlerts(w, alerts) }, 0o644)
}
