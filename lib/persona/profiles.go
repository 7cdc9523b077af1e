package persona

import (
	"fmt"
	"math"
)

// Kind is the type of a column's values.
type Kind uint8

const (
	// Numeric columns hold finite real numbers.
	Numeric Kind = iota
	// Categorical columns hold labels from a finite set of levels.
	Categorical
)

// String returns "numeric" or "categorical".
func (k Kind) String() string {
	switch k {
	case Numeric:
		return "numeric"
	case Categorical:
		return "categorical"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Group is the family of facts a column describes.
type Group uint8

const (
	// Demographic columns say who the person is (age, region, channel).
	Demographic Group = iota
	// Behavioural columns say what the person does (spending, visits, usage).
	Behavioural
	// Psychographic columns say what the person thinks or values (attitudes,
	// survey answers on a Likert scale).
	Psychographic
)

// String returns the group's name.
func (g Group) String() string {
	switch g {
	case Demographic:
		return "demographic"
	case Behavioural:
		return "behavioural"
	case Psychographic:
		return "psychographic"
	}
	return fmt.Sprintf("Group(%d)", uint8(g))
}

// Column describes one column of a profile table.
type Column struct {
	// Name is the column's header in the CSV file.
	Name string
	// Kind is the type of the values.
	Kind Kind
	// Group is the family of facts the column describes.
	Group Group
	// Levels, for a categorical column, fixes the allowed labels and their
	// order. When empty, the levels are the distinct labels in order of
	// first appearance.
	Levels []string
	// Unit names the unit of a numeric column ("m.u./year", "visits/week"),
	// for display.
	Unit string
}

// Schema is the typed description of a profile table.
type Schema struct {
	// Columns lists the columns to read, in the order the table keeps them.
	Columns []Column
	// AllowExtra lets the CSV file have named columns the schema does not
	// list; they are skipped. When false such a column is an error.
	AllowExtra bool
}

// Profiles is a table of typed profiles: one row per person (or customer),
// columns as the schema describes. Numeric values are float64; categorical
// values are codes into the column's levels. [Read], [Load],
// [LoadWholesale] and [FromSurvey] make one; [FitEncoder] turns it into a
// numeric [Matrix].
type Profiles struct {
	// Source names where the rows came from (a file name), for messages.
	Source string
	// Columns is the schema of the table, with Levels filled in for every
	// categorical column.
	Columns []Column

	n    int
	num  [][]float64 // per column; nil for categorical columns
	code [][]int     // per column; nil for numeric columns
}

// NewProfiles builds a profile table from column data. num and codes are indexed like
// columns: a numeric column has num[j] set and codes[j] nil, a categorical
// column the reverse, with codes indexing columns[j].Levels.
func NewProfiles(source string, columns []Column, num [][]float64, codes [][]int) (*Profiles, error) {
	if len(columns) == 0 {
		return nil, fmt.Errorf("persona: %s: no columns", source)
	}
	if len(num) != len(columns) || len(codes) != len(columns) {
		return nil, fmt.Errorf("persona: %s: %d columns but %d numeric and %d categorical slots", source, len(columns), len(num), len(codes))
	}
	t := &Profiles{Source: source, Columns: make([]Column, len(columns)), num: make([][]float64, len(columns)), code: make([][]int, len(columns)), n: -1}
	seen := map[string]bool{}
	for j, c := range columns {
		if c.Name == "" {
			return nil, fmt.Errorf("persona: %s: column %d has no name", source, j+1)
		}
		if seen[c.Name] {
			return nil, fmt.Errorf("persona: %s: column %q appears twice", source, c.Name)
		}
		seen[c.Name] = true
		c.Levels = append([]string(nil), c.Levels...)
		t.Columns[j] = c
		var n int
		switch c.Kind {
		case Numeric:
			if num[j] == nil || codes[j] != nil {
				return nil, fmt.Errorf("persona: %s: numeric column %q needs numeric data only", source, c.Name)
			}
			for i, v := range num[j] {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, fmt.Errorf("persona: %s: row %d, column %q: %v is not a finite number", source, i+1, c.Name, v)
				}
			}
			n = len(num[j])
			t.num[j] = append([]float64(nil), num[j]...)
		case Categorical:
			if codes[j] == nil || num[j] != nil {
				return nil, fmt.Errorf("persona: %s: categorical column %q needs codes only", source, c.Name)
			}
			for i, v := range codes[j] {
				if v < 0 || v >= len(c.Levels) {
					return nil, fmt.Errorf("persona: %s: row %d, column %q: code %d outside its %d levels", source, i+1, c.Name, v, len(c.Levels))
				}
			}
			n = len(codes[j])
			t.code[j] = append([]int(nil), codes[j]...)
		default:
			return nil, fmt.Errorf("persona: %s: column %q has unknown kind %v", source, c.Name, c.Kind)
		}
		if t.n >= 0 && n != t.n {
			return nil, fmt.Errorf("persona: %s: column %q has %d rows, earlier columns %d", source, c.Name, n, t.n)
		}
		t.n = n
	}
	return t, nil
}

// Len returns the number of rows.
func (t *Profiles) Len() int { return t.n }

// Index returns the position of the named column, or -1.
func (t *Profiles) Index(name string) int {
	for j, c := range t.Columns {
		if c.Name == name {
			return j
		}
	}
	return -1
}

// Numeric returns the values of a numeric column. The slice is the table's
// own; do not modify it.
func (t *Profiles) Numeric(name string) ([]float64, error) {
	j := t.Index(name)
	if j < 0 {
		return nil, fmt.Errorf("persona: %s has no column %q", t.Source, name)
	}
	if t.Columns[j].Kind != Numeric {
		return nil, fmt.Errorf("persona: %s: column %q is %v, not numeric", t.Source, name, t.Columns[j].Kind)
	}
	return t.num[j], nil
}

// Categorical returns the codes and levels of a categorical column. The
// slices are the table's own; do not modify them.
func (t *Profiles) Categorical(name string) (codes []int, levels []string, err error) {
	j := t.Index(name)
	if j < 0 {
		return nil, nil, fmt.Errorf("persona: %s has no column %q", t.Source, name)
	}
	if t.Columns[j].Kind != Categorical {
		return nil, nil, fmt.Errorf("persona: %s: column %q is %v, not categorical", t.Source, name, t.Columns[j].Kind)
	}
	return t.code[j], t.Columns[j].Levels, nil
}

// Names returns the names of the columns in the given groups, in table
// order; with no groups, all columns.
func (t *Profiles) Names(groups ...Group) []string {
	var out []string
	for _, c := range t.Columns {
		if len(groups) == 0 || containsGroup(groups, c.Group) {
			out = append(out, c.Name)
		}
	}
	return out
}

func containsGroup(gs []Group, g Group) bool {
	for _, x := range gs {
		if x == g {
			return true
		}
	}
	return false
}
