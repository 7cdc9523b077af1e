package intent

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
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
	long := strings.Repeat("a", MaxTextBytes+1)
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

func TestSplitDev(t *testing.T) {
	var texts, cats []string
	for i := range 100 {
		texts, cats = append(texts, string(rune('a'+i%26))+strings.Repeat("x", i)), append(cats, []string{"a", "b", "c"}[i%3])
	}
	tr, trC, dev, devC := SplitDev(texts, cats, 0.1, 1)
	if len(tr)+len(dev) != 100 || len(tr) != len(trC) || len(dev) != len(devC) {
		t.Fatalf("%d + %d queries", len(tr), len(dev))
	}
	n := map[string]int{}
	for _, c := range devC {
		n[c]++
	}
	if n["a"] != 3 || n["b"] != 3 || n["c"] != 3 { // round(0.1 · 34), round(0.1 · 33) twice
		t.Errorf("dev per intent %v", n)
	}
	again, _, _, _ := SplitDev(texts, cats, 0.1, 1)
	other, _, _, _ := SplitDev(texts, cats, 0.1, 2)
	if !slices.Equal(tr, again) || slices.Equal(tr, other) {
		t.Error("the split is not a function of the seed")
	}
	seen := map[string]bool{}
	for _, s := range append(slices.Clone(tr), dev...) {
		seen[s] = true
	}
	if len(seen) != 100 {
		t.Errorf("%d distinct queries in the two parts", len(seen))
	}
}
