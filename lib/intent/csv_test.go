package intent

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/founderlab/founderlab/lib/textclass/classifier"
)

func TestReadCSV(t *testing.T) {
	texts, cats, err := ReadCSV(strings.NewReader("\ufeffcategory,text,extra\ncard_arrival, where is my card? ,x\nlost_or_stolen_card,\"I lost it, help\",y\n"), "q.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(texts, []string{"where is my card?", "I lost it, help"}) || !slices.Equal(cats, []string{"card_arrival", "lost_or_stolen_card"}) {
		t.Errorf("got %q %q", texts, cats)
	}
}

func TestReadCSVErrors(t *testing.T) {
	long := strings.Repeat("a", classifier.MaxTextBytes+1)
	for _, tc := range []struct{ name, in, want string }{
		{"empty file", "", "line 1: empty file"},
		{"no text column", "query,category\nhi,a\n", "line 1: header \"query,category\" lacks the column text"},
		{"no category column", "text,label\nhi,a\n", "lacks the column category"},
		{"neither", "a,b\n1,2\n", "lacks the columns text and category"},
		{"no rows", "text,category\n", "no queries"},
		{"empty text", "text,category\nhi,a\n \t,b\n", "line 3: empty text"},
		{"empty category", "text,category\nhi,\n", "line 2: empty category"},
		{"invalid UTF-8", "text,category\n\xff\xfe,a\n", "line 2: not valid UTF-8"},
		{"short row", "text,category\nhi\n", "line 2: 1 fields"},
		{"bad quote", "text,category\n\"hi,a\n", "line 2"},
		{"long text", "text,category\n" + long + ",a\n", "line 2: text of 16385 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ReadCSV(strings.NewReader(tc.in), "q.csv")
			if !errors.Is(err, ErrBadCSV) {
				t.Fatalf("error %v does not wrap ErrBadCSV", err)
			}
			if !strings.Contains(err.Error(), "q.csv: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q lacks the name and %q", err, tc.want)
			}
		})
	}
}

// endless yields a header and then the same row for ever.
type endless struct{ header bool }

func (e *endless) Read(p []byte) (int, error) {
	row := "how do I top up my account,top_up\n"
	if !e.header {
		e.header = true
		row = "text,category\n"
	}
	n := 0
	for n+len(row) <= len(p) {
		n += copy(p[n:], row)
	}
	if n == 0 {
		return copy(p, row), nil
	}
	return n, nil
}

// TestReadCSVBounded checks that an endless input stops at MaxCSVBytes
// with an error rather than filling the memory.
func TestReadCSVBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 64 MiB")
	}
	_, _, err := ReadCSV(io.Reader(&endless{}), "stdin")
	if !errors.Is(err, ErrBadCSV) || !strings.Contains(err.Error(), "stdin: more than 67108864 bytes") {
		t.Errorf("error %v", err)
	}
}
