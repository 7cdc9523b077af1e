package monitor

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/founderlab/founderlab/internal/atomicfile"
)

// MaxStreamBytes bounds the size of a stream file [ReadEvents] accepts.
const MaxStreamBytes = 256 << 20

// ReadEvents parses a stream CSV: a header naming the columns time and text
// (in any order, other columns ignored), then one event per row with an
// RFC 3339 time, in time order. Errors name the line: a bad or
// out-of-order time, an empty, invalid UTF-8 or too long text, more than
// [MaxStreamBytes] of input.
func ReadEvents(r io.Reader) ([]Event, error) {
	lr := &io.LimitedReader{R: r, N: MaxStreamBytes + 1}
	cr := csv.NewReader(lr)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	timeCol, textCol := slices.Index(header, "time"), slices.Index(header, "text")
	if timeCol < 0 || textCol < 0 {
		return nil, fmt.Errorf("header %q lacks the columns time and text", header)
	}
	var out []Event
	for {
		rec, err := cr.Read()
		if lr.N <= 0 {
			return nil, fmt.Errorf("more than %d bytes", MaxStreamBytes)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		t, err := time.Parse(time.RFC3339, strings.TrimSpace(rec[timeCol]))
		if err != nil {
			return nil, fmt.Errorf("line %d: time %q is not RFC 3339", line, rec[timeCol])
		}
		text := strings.TrimSpace(rec[textCol])
		switch {
		case text == "":
			return nil, fmt.Errorf("line %d: empty text", line)
		case !utf8.ValidString(text):
			return nil, fmt.Errorf("line %d: text is not valid UTF-8", line)
		case len(text) > MaxTextBytes:
			return nil, fmt.Errorf("line %d: text of %d bytes, at most %d", line, len(text), MaxTextBytes)
		case len(out) > 0 && t.Before(out[len(out)-1].Time):
			return nil, fmt.Errorf("line %d: time %s is before the previous event's %s: %w", line, rec[timeCol],
				out[len(out)-1].Time.Format(time.RFC3339), ErrOutOfOrder)
		}
		out = append(out, Event{Time: t, Text: text})
	}
	if len(out) == 0 {
		return nil, errors.New("no events")
	}
	return out, nil
}

// ReadEventsFile reads a stream CSV with [ReadEvents]; errors name the file.
func ReadEventsFile(path string) ([]Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("monitor: %w", err)
	}
	defer f.Close()
	ev, err := ReadEvents(f)
	if err != nil {
		return nil, fmt.Errorf("monitor: %s: %w", path, err)
	}
	return ev, nil
}

// WriteEventsFile writes events as a stream CSV (columns time,text; times
// in RFC 3339 UTC), atomically.
func WriteEventsFile(path string, events []Event) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write([]string{"time", "text"}); err != nil {
			return err
		}
		for _, e := range events {
			if err := cw.Write([]string{e.Time.UTC().Format(time.RFC3339Nano), e.Text}); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	}, 0o644)
}

// WriteSurgesFile writes surges as CSV (columns start,buckets,share),
// atomically: the truth windows of a simulated stream.
func WriteSurgesFile(path string, surges []Surge) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write([]string{"start", "buckets", "share"}); err != nil {
			return err
		}
		for _, s := range surges {
			if err := cw.Write([]string{s.Start.UTC().Format(time.RFC3339), strconv.Itoa(s.Buckets), strconv.FormatFloat(s.Share, 'f', 4, 64)}); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	}, 0o644)
}

// ReadSurgesFile reads a file written by [WriteSurgesFile] (at most
// 100,000 surges); errors name the file and line.
func ReadSurgesFile(path string) ([]Surge, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("monitor: %w", err)
	}
	defer f.Close()
	cr := csv.NewReader(&io.LimitedReader{R: f, N: 16 << 20})
	cr.FieldsPerRecord = 3
	var out []Surge
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("monitor: %s: %w", path, err)
		}
		if line == 1 {
			if !slices.Equal(rec, []string{"start", "buckets", "share"}) {
				return nil, fmt.Errorf("monitor: %s: line 1: header %q, want start,buckets,share", path, rec)
			}
			continue
		}
		t, err1 := time.Parse(time.RFC3339, rec[0])
		n, err2 := strconv.Atoi(rec[1])
		s, err3 := strconv.ParseFloat(rec[2], 64)
		if err := errors.Join(err1, err2, err3); err != nil || n < 1 {
			return nil, fmt.Errorf("monitor: %s: line %d: bad surge %q", path, line, rec)
		}
		if len(out) == 100000 {
			return nil, fmt.Errorf("monitor: %s: more than 100,000 surges", path)
		}
		out = append(out, Surge{Start: t, Buckets: n, Share: s})
	}
	return out, nil
}
