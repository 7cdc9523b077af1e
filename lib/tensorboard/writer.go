package tensorboard

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
	"unicode/utf8"
)

// fileVersion is the format that the first Event of a file names.
const fileVersion = "brain.Event:2"

// loadSchema builds the Event descriptors once; they are immutable.
var loadSchema = sync.OnceValues(newSchema)

// Writer appends scalars to one event file in a run directory. Its methods
// are safe for concurrent use. After a write error every later call
// returns that error.
type Writer struct {
	mu   sync.Mutex
	s    *schema
	f    *os.File
	bw   *bufio.Writer
	path string
	now  func() time.Time
	err  error
}

// NewWriter creates the directory dir if needed (a run directory:
// TensorBoard shows each directory under its --logdir as a run) and a new
// event file in it, and writes the file's version record.
func NewWriter(dir string) (*Writer, error) {
	s, err := loadSchema()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("tensorboard: run directory: %w", err)
	}
	now := time.Now
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	base := fmt.Sprintf("events.out.tfevents.%d.%s.%d.founderlab", now().Unix(), host, os.Getpid())
	var f *os.File
	var path string
	for i := 0; ; i++ {
		path = filepath.Join(dir, base)
		if i > 0 {
			path += fmt.Sprintf(".%d", i)
		}
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) || i == 1000 {
			return nil, fmt.Errorf("tensorboard: event file: %w", err)
		}
	}
	w := &Writer{s: s, f: f, bw: bufio.NewWriter(f), path: path, now: now}
	data, err := s.versionEvent(wallTime(now()))
	if err == nil {
		err = writeRecord(w.bw, data)
	}
	if err == nil {
		err = w.bw.Flush()
	}
	if err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("tensorboard: %s: %w", path, err)
	}
	return w, nil
}

func wallTime(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

// Path returns the event file's path.
func (w *Writer) Path() string { return w.path }

// Scalar records value under tag at a training step. Tags name charts in
// TensorBoard; a slash groups them ("train/loss", "dev/accuracy").
func (w *Writer) Scalar(step int64, tag string, value float64) error {
	return w.write(step, []string{tag}, []float64{value})
}

// Scalars records several tagged values at one step, as one event, in the
// order of their sorted tags.
func (w *Writer) Scalars(step int64, values map[string]float64) error {
	tags := make([]string, 0, len(values))
	for t := range values {
		tags = append(tags, t)
	}
	slices.Sort(tags)
	vs := make([]float64, len(tags))
	for i, t := range tags {
		vs[i] = values[t]
	}
	return w.write(step, tags, vs)
}

func (w *Writer) write(step int64, tags []string, values []float64) error {
	for i, t := range tags {
		if t == "" || !utf8.ValidString(t) {
			return fmt.Errorf("tensorboard: tag %q: must be non-empty UTF-8", t)
		}
		if v := values[i]; !math.IsNaN(v) && !math.IsInf(v, 0) && math.Abs(v) > math.MaxFloat32 {
			return fmt.Errorf("tensorboard: tag %q: value %g overflows float32", t, v)
		}
	}
	if step < 0 {
		return fmt.Errorf("tensorboard: step %d: must not be negative", step)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	if w.f == nil {
		return fmt.Errorf("tensorboard: %s: %w", w.path, os.ErrClosed)
	}
	data, err := w.s.scalarEvent(wallTime(w.now()), step, tags, values)
	if err == nil {
		err = writeRecord(w.bw, data)
	}
	if err != nil {
		w.err = fmt.Errorf("tensorboard: %s: %w", w.path, err)
	}
	return w.err
}

// Flush writes the buffered records to the file, where TensorBoard sees
// them.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil && w.f != nil {
		if err := w.bw.Flush(); err != nil {
			w.err = fmt.Errorf("tensorboard: %s: %w", w.path, err)
		}
	}
	return w.err
}

// Close flushes the records, syncs and closes the file. Closing twice is
// not an error.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return w.err
	}
	err := w.bw.Flush()
	if err == nil {
		err = w.f.Sync()
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	w.f = nil
	if err != nil && w.err == nil {
		w.err = fmt.Errorf("tensorboard: %s: %w", w.path, err)
	}
	return w.err
}
