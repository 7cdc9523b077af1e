package csvtable

import (
	"encoding/csv"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestReadFloats(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		names []string
		want  [][]float64
	}{
		{"picked columns in the order asked", "week,score,nps\n1,3.5,9\n2,4,10\n", []string{"nps", "week"}, [][]float64{{9, 10}, {1, 2}}},
		{"names are trimmed and case-folded", " Too_Cheap ,x\n 5 ,a\n", []string{"too_cheap"}, [][]float64{{5}}},
		{"header only", "a,b\n", []string{"b"}, [][]float64{nil}},
		{"the last of repeated names", "a,a\n1,2\n", []string{"a"}, [][]float64{{2}}},
		{"quoted cells and CRLF", "a,b\r\n\"1\",\"2.5\"\r\n", []string{"b"}, [][]float64{{2.5}}},
		{"no names", "a\n1\n", nil, [][]float64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadFloats(strings.NewReader(tt.in), 0, tt.names...)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestReadFloatsErrors(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		max      int64
		names    []string
		sentinel error
		line     int
		column   string
		msg      string
	}{
		{"empty", "", 0, []string{"a"}, ErrNoHeader, 1, "", "line 1: no header row (empty input)"},
		{"missing column", "week,score\n1,2\n", 0, []string{"score", "nps"}, ErrNoColumn, 1, "nps", `line 1, column "nps": no such column (the header has week, score)`},
		{"not a number", "week,score,nps\n1,3.5,9\n2,4,x\n", 0, []string{"score", "nps"}, ErrNotNumber, 3, "nps", `line 3, column "nps": "x" is not a number`},
		{"empty cell", "a\n1\n\"\"\n", 0, []string{"a"}, ErrNotNumber, 3, "a", `line 3, column "a": "" is not a number`},
		{"short record", "a,b\n1,2\n3\n", 0, []string{"a"}, csv.ErrFieldCount, 3, "", "line 3: wrong number of fields"},
		{"bad quote", "a\n\"1\n", 0, []string{"a"}, csv.ErrQuote, 2, "", ""},
		{"over the limit", "a\n" + strings.Repeat("1\n", 100), 50, []string{"a"}, ErrTooLarge, 26, "", "line 26: input exceeds the size limit of 50 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadFloats(strings.NewReader(tt.in), tt.max, tt.names...)
			if !errors.Is(err, tt.sentinel) {
				t.Fatalf("err = %v, want one wrapping %v", err, tt.sentinel)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %T, want *ParseError", err)
			}
			if pe.Line != tt.line || pe.Column != tt.column {
				t.Errorf("at line %d, column %q; want line %d, column %q", pe.Line, pe.Column, tt.line, tt.column)
			}
			if tt.msg != "" && err.Error() != tt.msg {
				t.Errorf("message %q, want %q", err.Error(), tt.msg)
			}
		})
	}
}

// A table of exactly the limit reads; one byte more does not.
func TestReadFloatsLimitEdge(t *testing.T) {
	in := "a\n1\n2\n" // 6 bytes
	if got, err := ReadFloats(strings.NewReader(in), int64(len(in)), "a"); err != nil || len(got[0]) != 2 {
		t.Errorf("at the limit: %v, %v", got, err)
	}
	if _, err := ReadFloats(strings.NewReader(in), int64(len(in))-1, "a"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("one byte over: %v", err)
	}
}

// A reader's own failure is reported, not taken for the end of the table.
func TestReadFloatsReaderError(t *testing.T) {
	boom := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader("a\n1\n"), &failing{boom})
	if _, err := ReadFloats(r, 0, "a"); !errors.Is(err, boom) {
		t.Errorf("err = %v, want %v", err, boom)
	}
}

type failing struct{ err error }

func (f *failing) Read([]byte) (int, error) { return 0, f.err }
