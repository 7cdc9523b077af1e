package tensorboard

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Scalar is one tagged value of an event file.
type Scalar struct {
	Tag   string
	Step  int64
	Wall  float64 // seconds since the Unix epoch
	Value float64 // stored as a float32
}

// ReadScalars returns the scalars of the event file at path, in file order.
// It verifies every record's checksums; a last record cut short (a writer
// still running, or one that crashed) ends the file without error.
func ReadScalars(path string) ([]Scalar, error) {
	s, err := loadSchema()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("tensorboard: %w", err)
	}
	defer f.Close()
	rr := &recordReader{r: bufio.NewReader(f)}
	var out []Scalar
	for {
		off := rr.off
		data, err := rr.next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("tensorboard: %s: %w", path, err)
		}
		if out, err = s.decode(data, out); err != nil {
			return out, fmt.Errorf("tensorboard: %s: record at byte %d: %v: %w", path, off, err, ErrCorrupt)
		}
	}
}

// ReadDir returns the scalars of every event file in the run directory
// dir, ordered by step and then by tag.
func ReadDir(dir string) ([]Scalar, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("tensorboard: %w", err)
	}
	var all []Scalar
	var errs []error
	for _, e := range entries {
		if e.IsDir() || !strings.Contains(e.Name(), "tfevents") {
			continue
		}
		s, err := ReadScalars(filepath.Join(dir, e.Name()))
		all = append(all, s...)
		errs = append(errs, err)
	}
	slices.SortStableFunc(all, func(a, b Scalar) int {
		if c := cmp.Compare(a.Step, b.Step); c != 0 {
			return c
		}
		return strings.Compare(a.Tag, b.Tag)
	})
	return all, errors.Join(errs...)
}

// Series returns the steps and values of one tag, in the order given.
func Series(scalars []Scalar, tag string) (steps []int64, values []float64) {
	for _, s := range scalars {
		if s.Tag == tag {
			steps = append(steps, s.Step)
			values = append(values, s.Value)
		}
	}
	return steps, values
}
