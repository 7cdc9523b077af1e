// Package csvtable reads numeric columns from a CSV table with a header
// row, the shape of the course's survey and feedback files. It is the
// reader under iterate.ReadColumns and canvas.ReadPSM, whose callers test
// their errors with this package's [ParseError] and sentinels, as callers of
// encoding/csv use [csv.ParseError].
//
// The first record is the header; columns are picked by name (spaces
// around a name are ignored, case is not significant, and other columns are
// ignored). Every later record must have as many fields as the header, and
// every picked cell must be a number. A mistake is a [*ParseError] naming
// the line and the column, wrapping a sentinel ([ErrNoHeader],
// [ErrNoColumn], [ErrNotNumber], [ErrTooLarge]) or the [csv.ParseError]'s
// own error, so callers branch with errors.Is and errors.As, not on the
// message. Input is read up to a byte limit, so a hostile file cannot make
// the reader allocate without bound.
package csvtable

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaxBytes is the default byte limit of a table: far above the course's
// files (kilobytes), far below what would strain a laptop.
const MaxBytes = 64 << 20

// Sentinel errors, wrapped in a [*ParseError].
var (
	// ErrNoHeader: the input is empty, so it has no header row.
	ErrNoHeader = errors.New("no header row (empty input)")
	// ErrNoColumn: the header has no column of the name asked for.
	ErrNoColumn = errors.New("no such column")
	// ErrNotNumber: a cell of a picked column is not a number.
	ErrNotNumber = errors.New("is not a number")
	// ErrTooLarge: the input exceeds the byte limit.
	ErrTooLarge = errors.New("input exceeds the size limit")
)

// ParseError is the error of a table that does not read, like
// [csv.ParseError]: where, and what.
type ParseError struct {
	Line   int    // line of the record, 1 for the header
	Column string // name of the column, "" for an error of the whole record
	Err    error  // what went wrong
}

func (e *ParseError) Error() string {
	if e.Column != "" {
		return fmt.Sprintf("line %d, column %q: %v", e.Line, e.Column, e.Err)
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

// Unwrap returns e.Err.
func (e *ParseError) Unwrap() error { return e.Err }

// ReadFloats reads the columns names of the CSV table read from r, at most
// maxBytes bytes of it (0 or less: [MaxBytes]); out[k] holds the values of
// names[k] from the top of the table down. When the header repeats a name,
// the last such column is read.
func ReadFloats(r io.Reader, maxBytes int64, names ...string) ([][]float64, error) {
	if maxBytes <= 0 {
		maxBytes = MaxBytes
	}
	lr := &limitReader{r: r, left: maxBytes, limit: maxBytes}
	cr := csv.NewReader(lr)
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &ParseError{Line: 1, Err: ErrNoHeader}
		}
		return nil, recordError(err, 1)
	}
	idx := make([]int, len(names))
	for k, n := range names {
		idx[k] = -1
		for i, h := range header {
			if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(n)) {
				idx[k] = i
			}
		}
		if idx[k] < 0 {
			return nil, &ParseError{Line: 1, Column: n, Err: fmt.Errorf("%w (the header has %s)", ErrNoColumn, strings.Join(header, ", "))}
		}
	}
	out := make([][]float64, len(names))
	last := 1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, recordError(err, last+1)
		}
		line, _ := cr.FieldPos(0)
		last = line
		for k, i := range idx {
			x, err := strconv.ParseFloat(strings.TrimSpace(rec[i]), 64)
			if err != nil {
				return nil, &ParseError{Line: line, Column: names[k], Err: fmt.Errorf("%q %w", rec[i], ErrNotNumber)}
			}
			out[k] = append(out[k], x)
		}
	}
}

// recordError turns an error of csv.Reader.Read into a *ParseError; line
// is where the record began, for errors that do not say.
func recordError(err error, line int) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{Line: pe.Line, Err: pe.Err}
	}
	return &ParseError{Line: line, Err: err}
}

// limitReader reads from r until limit bytes have been read, then fails
// with ErrTooLarge (io.LimitReader would end the input silently, and a
// truncated table would read as a shorter one).
type limitReader struct {
	r           io.Reader
	left, limit int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// One byte more tells a table of exactly limit bytes from a longer one.
		var b [1]byte
		n, err := l.r.Read(b[:])
		if n > 0 {
			return 0, fmt.Errorf("%w of %d bytes", ErrTooLarge, l.limit)
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
