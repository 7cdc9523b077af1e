package datasets

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// MaxCSVBytes bounds how much of one CSV file the MovieLens and Netflix
// readers consume: a larger input is an error ([ErrTooLarge]) rather than an
// unbounded allocation. ml-latest-small's largest file is 2.4 MB.
const MaxCSVBytes = 256 << 20

// ErrTooLarge reports an input over [MaxCSVBytes].
var ErrTooLarge = errors.New("file too large")

// Rating is one row of MovieLens ratings.csv: user u gave movie m a rating
// of 0.5–5 stars (half-star steps) at Unix time Timestamp.
type Rating struct {
	User, Movie int
	Rating      float64
	Timestamp   int64
}

// Movie is one row of MovieLens movies.csv: the title with its year in
// parentheses, as MovieLens writes it ("Toy Story (1995)"), and the genres.
type Movie struct {
	ID     int
	Title  string
	Genres []string // "(no genres listed)" becomes none
}

// Tag is one row of MovieLens tags.csv: a free-text tag a user put on a
// movie.
type Tag struct {
	User, Movie int
	Tag         string
	Timestamp   int64
}

// MovieLens is a MovieLens data set in the ml-latest-small layout: ratings,
// movies and tags (Harper and Konstan 2015, "The MovieLens Datasets:
// History and Context", ACM TiiS 5(4):19; GroupLens research licence).
type MovieLens struct {
	Ratings []Rating
	Movies  []Movie
	Tags    []Tag
}

// LoadMovieLens reads ml-latest-small (100,836 ratings by 610 users on
// 9,742 movies, 3,683 tags) from the data directory, downloading it first if
// it is missing and downloads are allowed.
func LoadMovieLens(ctx context.Context) (*MovieLens, error) {
	var dir string
	for _, name := range []string{"ratings.csv", "movies.csv", "tags.csv"} {
		p, err := Path(ctx, "movielens-small", name)
		if err != nil {
			return nil, err
		}
		dir = filepath.Dir(p)
	}
	return ReadMovieLensDir(dir)
}

// ReadMovieLensDir reads ratings.csv, movies.csv and tags.csv (optional:
// absent means no tags) from dir. Errors name the file and the line.
func ReadMovieLensDir(dir string) (*MovieLens, error) {
	var ml MovieLens
	read := func(name string, optional bool, parse func(io.Reader) error) error {
		p := filepath.Join(dir, name)
		f, err := os.Open(p)
		if optional && errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("datasets: movielens: %w", err)
		}
		defer f.Close()
		if err := parse(f); err != nil {
			return fmt.Errorf("datasets: %s: %w", p, err)
		}
		return nil
	}
	var err error
	if e := read("ratings.csv", false, func(r io.Reader) error { ml.Ratings, err = ReadRatings(r); return err }); e != nil {
		return nil, e
	}
	if e := read("movies.csv", false, func(r io.Reader) error { ml.Movies, err = ReadMovies(r); return err }); e != nil {
		return nil, e
	}
	if e := read("tags.csv", true, func(r io.Reader) error { ml.Tags, err = ReadTags(r); return err }); e != nil {
		return nil, e
	}
	return &ml, nil
}

// boundedCSV is a CSV reader over at most MaxCSVBytes of r, with the named
// columns located in its header (in any order; other columns ignored).
type boundedCSV struct {
	lr   *io.LimitedReader
	cr   *csv.Reader
	cols []int
}

func newBoundedCSV(r io.Reader, limit int64, what string, columns ...string) (*boundedCSV, error) {
	lr := &io.LimitedReader{R: r, N: limit + 1}
	cr := csv.NewReader(lr)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", what, err)
	}
	header = slices.Clone(header)
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	b := &boundedCSV{lr: lr, cr: cr}
	for _, c := range columns {
		i := slices.Index(header, c)
		if i < 0 {
			return nil, fmt.Errorf("%s: header %q lacks the column %q", what, header, c)
		}
		b.cols = append(b.cols, i)
	}
	return b, nil
}

// next returns the named columns of the next row and its line, or io.EOF.
func (b *boundedCSV) next(what string) ([]string, int, error) {
	rec, err := b.cr.Read()
	if b.lr.N <= 0 {
		return nil, 0, fmt.Errorf("%s: over the limit of the input size: %w", what, ErrTooLarge)
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, 0, io.EOF
		}
		return nil, 0, fmt.Errorf("%s: %w", what, err)
	}
	line, _ := b.cr.FieldPos(0)
	out := make([]string, len(b.cols))
	for i, c := range b.cols {
		out[i] = strings.TrimSpace(rec[c])
	}
	return out, line, nil
}

func parseID(what string, line int, col, s string) (int, error) {
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("%s: line %d: %s %q is not a non-negative integer", what, line, col, s)
	}
	return v, nil
}

// ReadRatings parses a CSV in MovieLens ratings.csv layout: a header naming
// userId, movieId, rating and timestamp, then one rating per row. A rating
// outside 0–5 or a bad number is an error naming the line.
func ReadRatings(r io.Reader) ([]Rating, error) { return readRatings(r, MaxCSVBytes) }

func readRatings(r io.Reader, limit int64) ([]Rating, error) {
	const what = "ratings"
	b, err := newBoundedCSV(r, limit, what, "userId", "movieId", "rating", "timestamp")
	if err != nil {
		return nil, err
	}
	var out []Rating
	for {
		rec, line, err := b.next(what)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		var x Rating
		if x.User, err = parseID(what, line, "userId", rec[0]); err != nil {
			return nil, err
		}
		if x.Movie, err = parseID(what, line, "movieId", rec[1]); err != nil {
			return nil, err
		}
		x.Rating, err = strconv.ParseFloat(rec[2], 64)
		if err != nil || math.IsNaN(x.Rating) || x.Rating < 0 || x.Rating > 5 {
			return nil, fmt.Errorf("%s: line %d: rating %q is not a number in [0, 5]", what, line, rec[2])
		}
		if x.Timestamp, err = strconv.ParseInt(rec[3], 10, 64); err != nil {
			return nil, fmt.Errorf("%s: line %d: timestamp %q is not an integer", what, line, rec[3])
		}
		out = append(out, x)
	}
	if len(out) == 0 {
		return nil, errors.New("ratings: no rows")
	}
	return out, nil
}

// ReadMovies parses a CSV in MovieLens movies.csv layout: movieId, title,
// genres (separated by "|"). A repeated movieId or an empty title is an
// error naming the line.
func ReadMovies(r io.Reader) ([]Movie, error) {
	const what = "movies"
	b, err := newBoundedCSV(r, MaxCSVBytes, what, "movieId", "title", "genres")
	if err != nil {
		return nil, err
	}
	var out []Movie
	seen := map[int]bool{}
	for {
		rec, line, err := b.next(what)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		id, err := parseID(what, line, "movieId", rec[0])
		if err != nil {
			return nil, err
		}
		if seen[id] {
			return nil, fmt.Errorf("%s: line %d: movieId %d repeated", what, line, id)
		}
		seen[id] = true
		if rec[1] == "" {
			return nil, fmt.Errorf("%s: line %d: empty title", what, line)
		}
		m := Movie{ID: id, Title: rec[1]}
		if rec[2] != "" && rec[2] != "(no genres listed)" {
			m.Genres = strings.Split(rec[2], "|")
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		return nil, errors.New("movies: no rows")
	}
	return out, nil
}

// ReadTags parses a CSV in MovieLens tags.csv layout: userId, movieId, tag,
// timestamp. Empty tags are skipped; bad numbers are errors naming the line.
func ReadTags(r io.Reader) ([]Tag, error) {
	const what = "tags"
	b, err := newBoundedCSV(r, MaxCSVBytes, what, "userId", "movieId", "tag", "timestamp")
	if err != nil {
		return nil, err
	}
	var out []Tag
	for {
		rec, line, err := b.next(what)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		var x Tag
		if x.User, err = parseID(what, line, "userId", rec[0]); err != nil {
			return nil, err
		}
		if x.Movie, err = parseID(what, line, "movieId", rec[1]); err != nil {
			return nil, err
		}
		if x.Timestamp, err = strconv.ParseInt(rec[3], 10, 64); err != nil {
			return nil, fmt.Errorf("%s: line %d: timestamp %q is not an integer", what, line, rec[3])
		}
		if x.Tag = rec[2]; x.Tag != "" {
			out = append(out, x)
		}
	}
	return out, nil
}

// SplitTitleYear splits a MovieLens title "Heat (1995)" into "Heat" and
// 1995; a title without a trailing year gives year 0. MovieLens moves
// leading articles to the end ("Matrix, The (1999)"); SplitTitleYear moves
// them back ("The Matrix").
func SplitTitleYear(title string) (string, int) {
	t := strings.TrimSpace(title)
	year := 0
	if n := len(t); n >= 6 && t[n-1] == ')' && t[n-6] == '(' {
		if y, err := strconv.Atoi(t[n-5 : n-1]); err == nil {
			year, t = y, strings.TrimSpace(t[:n-6])
		}
	}
	for _, a := range []string{"The", "A", "An", "Les", "La", "Le", "L'", "Il", "Das", "Der", "Die", "El"} {
		if strings.HasSuffix(t, ", "+a) {
			t = a + " " + strings.TrimSuffix(t, ", "+a)
			break
		}
	}
	return t, year
}
