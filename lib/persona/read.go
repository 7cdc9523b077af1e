package persona

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ParseError is a problem at a place in a CSV profile file, as
// encoding/csv's ParseError but with the file and the column's name.
// [Read] and [Load] return it (test with errors.As) for every problem in
// the header or a record: a malformed line, a missing or unknown column, a
// cell that is not a finite number or not one of the levels.
type ParseError struct {
	File   string // the input's name: Read's name, Load's base name of the path
	Line   int    // line of the record, from 1
	Column int    // byte column of the field, from 1; 0 when the problem is the whole record
	Name   string // the column's header; "" when the problem is not in one schema column
	Err    error  // the problem
}

// Error returns "persona: FILE:LINE:COLUMN (column "NAME"): problem",
// leaving out the column and the name when they are not known.
func (e *ParseError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "persona: %s:%d", e.File, e.Line)
	if e.Column > 0 {
		fmt.Fprintf(&b, ":%d", e.Column)
	}
	if e.Name != "" {
		fmt.Fprintf(&b, " (column %q)", e.Name)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

// Unwrap returns the problem: for a malformed line, encoding/csv's error
// (such as csv.ErrQuote).
func (e *ParseError) Unwrap() error { return e.Err }

// Load reads a profile table from a CSV file; see [Read].
func Load(path string, s Schema) (*Profiles, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("persona: load: %w", err)
	}
	defer f.Close()
	return Read(f, filepath.Base(path), s)
}

// Read parses CSV with a header row into a table with the schema's columns.
// name identifies the input in error messages. A problem at a place in the
// input is a [*ParseError], whose message has the form
// "persona: NAME:LINE:COL (column "X"): problem". Every schema column must
// be in the header; header columns with an empty name are ignored with
// their cells (spreadsheet exports put notes there); other columns not in the schema are an error
// unless s.AllowExtra. Numeric cells must be finite numbers (NaN and Inf
// are rejected), categorical cells non-empty (and one of Levels when given).
func Read(r io.Reader, name string, s Schema) (*Profiles, error) {
	if len(s.Columns) == 0 {
		return nil, fmt.Errorf("persona: %s: the schema has no columns", name)
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("persona: %s: empty input, want a header row", name)
	}
	if err != nil {
		return nil, fmt.Errorf("persona: %s: %w", name, err)
	}
	header = append([]string(nil), header...)
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	pos := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		header[i] = h
		if h == "" {
			continue
		}
		if _, dup := pos[h]; dup {
			return nil, &ParseError{File: name, Line: 1, Column: i + 1, Err: fmt.Errorf("column %q appears twice in the header", h)}
		}
		pos[h] = i
	}
	src := make([]int, len(s.Columns)) // header index of each schema column
	want := map[string]bool{}
	for j, c := range s.Columns {
		i, ok := pos[c.Name]
		if !ok {
			return nil, &ParseError{File: name, Line: 1, Err: fmt.Errorf("header has no column %q (header: %s)", c.Name, strings.Join(nonEmpty(header), ", "))}
		}
		src[j] = i
		want[c.Name] = true
	}
	if !s.AllowExtra {
		for i, h := range header {
			if h != "" && !want[h] {
				return nil, &ParseError{File: name, Line: 1, Column: i + 1, Err: fmt.Errorf("column %q is not in the schema (set Schema.AllowExtra to skip it)", h)}
			}
		}
	}
	cols := make([]Column, len(s.Columns))
	num := make([][]float64, len(s.Columns))
	codes := make([][]int, len(s.Columns))
	levelIdx := make([]map[string]int, len(s.Columns))
	fixed := make([]bool, len(s.Columns))
	for j, c := range s.Columns {
		c.Levels = append([]string(nil), c.Levels...)
		cols[j] = c
		if c.Kind == Categorical {
			levelIdx[j] = map[string]int{}
			for l, v := range c.Levels {
				levelIdx[j][v] = l
			}
			fixed[j] = len(c.Levels) > 0
		}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &ParseError{File: name, Line: pe.Line, Column: pe.Column, Err: pe.Err}
			}
			return nil, fmt.Errorf("persona: %s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rec) > len(header) {
			return nil, &ParseError{File: name, Line: line, Err: fmt.Errorf("%d fields, header has %d", len(rec), len(header))}
		}
		for j, c := range cols {
			i := src[j]
			if i >= len(rec) {
				return nil, &ParseError{File: name, Line: line, Name: c.Name, Err: fmt.Errorf("missing field %d, the row has %d", i+1, len(rec))}
			}
			cell := strings.TrimSpace(rec[i])
			_, col := cr.FieldPos(i)
			bad := func(format string, args ...any) error {
				return &ParseError{File: name, Line: line, Column: col, Name: c.Name, Err: fmt.Errorf(format, args...)}
			}
			switch c.Kind {
			case Numeric:
				if cell == "" {
					return nil, bad("missing value")
				}
				v, err := strconv.ParseFloat(cell, 64)
				if err != nil {
					return nil, bad("%q is not a number", cell)
				}
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, bad("%q is not a finite number", cell)
				}
				num[j] = append(num[j], v)
			case Categorical:
				if cell == "" {
					return nil, bad("missing value")
				}
				l, ok := levelIdx[j][cell]
				if !ok {
					if fixed[j] {
						return nil, bad("%q is not one of the levels %q", cell, c.Levels)
					}
					l = len(cols[j].Levels)
					cols[j].Levels = append(cols[j].Levels, cell)
					levelIdx[j][cell] = l
				}
				codes[j] = append(codes[j], l)
			default:
				return nil, fmt.Errorf("persona: %s: column %q has unknown kind %v", name, c.Name, c.Kind)
			}
		}
	}
	for j, c := range cols {
		if c.Kind == Numeric && num[j] == nil {
			num[j] = []float64{}
		}
		if c.Kind == Categorical && codes[j] == nil {
			codes[j] = []int{}
		}
	}
	t, err := NewProfiles(name, cols, num, codes)
	if err != nil {
		return nil, err
	}
	if t.Len() == 0 {
		return nil, fmt.Errorf("persona: %s: no data rows after the header", name)
	}
	return t, nil
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
