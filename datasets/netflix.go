package datasets

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode"
)

// NetflixTitle is one row of the Netflix titles table: a movie or show, its
// release year, genres (listed_in) and a one-sentence description.
type NetflixTitle struct {
	Type        string // "Movie" or "TV Show"
	Title       string
	ReleaseYear int
	Genres      []string
	Description string
}

// LoadNetflix reads netflix_titles.csv (8,807 titles) from the data
// directory, downloading it first if it is missing and downloads are
// allowed.
func LoadNetflix(ctx context.Context) ([]NetflixTitle, error) {
	p, err := Path(ctx, "netflix", "netflix_titles.csv")
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("datasets: netflix: %w", err)
	}
	defer f.Close()
	ts, err := ReadNetflix(f)
	if err != nil {
		return nil, fmt.Errorf("datasets: %s: %w", p, err)
	}
	return ts, nil
}

// ReadNetflix parses a CSV in the Netflix titles layout: a header naming at
// least type, title, release_year, listed_in and description. Errors name
// the line; an empty title or a bad year is an error.
func ReadNetflix(r io.Reader) ([]NetflixTitle, error) {
	const what = "netflix"
	b, err := newBoundedCSV(r, MaxCSVBytes, what, "type", "title", "release_year", "listed_in", "description")
	if err != nil {
		return nil, err
	}
	var out []NetflixTitle
	for {
		rec, line, err := b.next(what)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		t := NetflixTitle{Type: rec[0], Title: rec[1], Description: rec[4]}
		if t.Title == "" {
			return nil, fmt.Errorf("%s: line %d: empty title", what, line)
		}
		if t.ReleaseYear, err = strconv.Atoi(rec[2]); err != nil {
			return nil, fmt.Errorf("%s: line %d: release_year %q is not an integer", what, line, rec[2])
		}
		for _, g := range strings.Split(rec[3], ",") {
			if g = strings.TrimSpace(g); g != "" {
				t.Genres = append(t.Genres, g)
			}
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, errors.New("netflix: no rows")
	}
	return out, nil
}

// TitleKey normalises a title and year for matching across catalogues:
// lower case, letters and digits only, single spaces, then the year
// ("The Matrix", 1999 → "the matrix 1999"). Use [SplitTitleYear] first on
// MovieLens titles.
func TitleKey(title string, year int) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(title) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		case r == '\'':
		default:
			space = true
		}
	}
	return b.String() + " " + strconv.Itoa(year)
}
