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
// name identifies the input in error messages, which have the form
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
			return nil, fmt.Errorf("persona: %s:1:%d: column %q appears twice in the header", name, i+1, h)
		}
		pos[h] = i
	}
	src := make([]int, len(s.Columns)) // header index of each schema column
	want := map[string]bool{}
	for j, c := range s.Columns {
		i, ok := pos[c.Name]
		if !ok {
			return nil, fmt.Errorf("persona: %s:1: header has no column %q (header: %s)", name, c.Name, strings.Join(nonEmpty(header), ", "))
		}
		src[j] = i
		want[c.Name] = true
	}
	if !s.AllowExtra {
		for i, h := range header {
			if h != "" && !want[h] {
				return nil, fmt.Errorf("persona: %s:1:%d: column %q is not in the schema (set Schema.AllowExtra to skip it)", name, i+1, h)
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
				return nil, fmt.Errorf("persona: %s:%d:%d: %v", name, pe.Line, pe.Column, pe.Err)
			}
			return nil, fmt.Errorf("persona: %s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rec) > len(header) {
			return nil, fmt.Errorf("persona: %s:%d: %d fields, header has %d", name, line, len(rec), len(header))
		}
		for j, c := range cols {
			i := src[j]
			if i >= len(rec) {
				return nil, fmt.Errorf("persona: %s:%d (column %q): missing field %d, the row has %d", name, line, c.Name, i+1, len(rec))
			}
			cell := strings.TrimSpace(rec[i])
			_, col := cr.FieldPos(i)
			where := func() string { return fmt.Sprintf("persona: %s:%d:%d (column %q)", name, line, col, c.Name) }
			switch c.Kind {
			case Numeric:
				if cell == "" {
					return nil, fmt.Errorf("%s: missing value", where())
				}
				v, err := strconv.ParseFloat(cell, 64)
				if err != nil {
					return nil, fmt.Errorf("%s: %q is not a number", where(), cell)
				}
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, fmt.Errorf("%s: %q is not a finite number", where(), cell)
				}
				num[j] = append(num[j], v)
			case Categorical:
				if cell == "" {
					return nil, fmt.Errorf("%s: missing value", where())
				}
				l, ok := levelIdx[j][cell]
				if !ok {
					if fixed[j] {
						return nil, fmt.Errorf("%s: %q is not one of the levels %q", where(), cell, c.Levels)
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
