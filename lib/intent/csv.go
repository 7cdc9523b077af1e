package intent

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/founderlab/founderlab/lib/textclass/classifier"
)

// MaxCSVBytes bounds a CSV file of labelled queries ([ReadCSV]): Banking77's
// training file has 0.8 MB.
const MaxCSVBytes = 64 << 20

// ErrBadCSV is wrapped by [ReadCSV]'s errors about the file's content.
var ErrBadCSV = errors.New("bad CSV of labelled queries")

// ReadCSVFile reads labelled queries from the CSV file at path ([ReadCSV]).
func ReadCSVFile(path string) (texts, categories []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("intent: %w", err)
	}
	defer f.Close()
	return ReadCSV(f, path)
}

// ReadCSV reads labelled queries in Banking77's layout: a header naming the
// columns text and category (in any order; other columns are ignored), then
// one query a row. Texts and categories are trimmed of spaces. Errors wrap
// [ErrBadCSV] and name the input (name) and the line: a missing column, an
// empty text or category, invalid UTF-8, a text longer than
// [classifier.MaxTextBytes], malformed CSV, no rows, or more than
// [MaxCSVBytes] in all, which stops the reading there.
func ReadCSV(r io.Reader, name string) (texts, categories []string, err error) {
	lr := &io.LimitedReader{R: r, N: MaxCSVBytes + 1}
	cr := csv.NewReader(lr)
	cr.FieldsPerRecord = -1
	bad := func(line int, format string, args ...any) error {
		if lr.N <= 0 {
			return fmt.Errorf("intent: %s: more than %d bytes: %w", name, MaxCSVBytes, ErrBadCSV)
		}
		return fmt.Errorf("intent: %s: line %d: %s: %w", name, line, fmt.Sprintf(format, args...), ErrBadCSV)
	}
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, bad(1, "empty file, want a header with the columns text and category")
	}
	if err != nil {
		return nil, nil, bad(1, "%v", err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	textCol, catCol := slices.Index(header, "text"), slices.Index(header, "category")
	if textCol < 0 || catCol < 0 {
		return nil, nil, bad(1, "header %q lacks the %s", shorten(strings.Join(header, ","), 80), missing(textCol, catCol))
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			if lr.N <= 0 {
				return nil, nil, bad(0, "")
			}
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, nil, bad(line, "%v", err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) <= max(textCol, catCol) {
			return nil, nil, bad(line, "%d fields, the header has %d", len(rec), len(header))
		}
		t, c := strings.TrimSpace(rec[textCol]), strings.TrimSpace(rec[catCol])
		switch {
		case !utf8.ValidString(t) || !utf8.ValidString(c):
			return nil, nil, bad(line, "not valid UTF-8")
		case t == "":
			return nil, nil, bad(line, "empty text")
		case c == "":
			return nil, nil, bad(line, "empty category")
		case len(t) > classifier.MaxTextBytes:
			return nil, nil, bad(line, "text of %d bytes, at most %d allowed", len(t), classifier.MaxTextBytes)
		}
		texts, categories = append(texts, t), append(categories, c)
	}
	if len(texts) == 0 {
		return nil, nil, bad(1, "no queries after the header")
	}
	return texts, categories, nil
}

func missing(textCol, catCol int) string {
	switch {
	case textCol < 0 && catCol < 0:
		return "columns text and category"
	case textCol < 0:
		return "column text"
	}
	return "column category"
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
