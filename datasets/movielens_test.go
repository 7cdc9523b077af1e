package datasets

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadRatingsErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"missing column", "userId,movieId,rating\n1,2,3\n", `lacks the column "timestamp"`},
		{"bad rating", "userId,movieId,rating,timestamp\n1,2,3,4\n1,2,x,5\n", `line 3: rating "x"`},
		{"rating out of range", "userId,movieId,rating,timestamp\n1,2,7,4\n", "line 2: rating \"7\" is not a number in [0, 5]"},
		{"bad user", "userId,movieId,rating,timestamp\n-1,2,3,4\n", `line 2: userId "-1"`},
		{"bad timestamp", "userId,movieId,rating,timestamp\n1,2,3,yesterday\n", `line 2: timestamp "yesterday"`},
		{"no rows", "userId,movieId,rating,timestamp\n", "no rows"},
		{"ragged", "userId,movieId,rating,timestamp\n1,2,3\n", "wrong number of fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadRatings(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestReadRatings(t *testing.T) {
	in := "timestamp,rating,movieId,userId\n964982703,4.5,1,7\n964981247, 0.5 ,3,7\n"
	got, err := ReadRatings(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Rating{{7, 1, 4.5, 964982703}, {7, 3, 0.5, 964981247}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("got %v, want %v", got, want)
	}
}

// endlessRatings yields a valid ratings.csv that never ends.
type endlessRatings struct{ n int }

func (e *endlessRatings) Read(p []byte) (int, error) {
	const header, row = "userId,movieId,rating,timestamp\n", "1,2,3.5,4\n"
	for i := range p {
		if e.n < len(header) {
			p[i] = header[e.n]
		} else {
			p[i] = row[(e.n-len(header))%len(row)]
		}
		e.n++
	}
	return len(p), nil
}

func TestReadRatingsTooLarge(t *testing.T) {
	_, err := readRatings(&endlessRatings{}, 1<<20)
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("error %v, want ErrTooLarge", err)
	}
}

func TestReadMoviesAndTags(t *testing.T) {
	movies, err := ReadMovies(strings.NewReader("movieId,title,genres\n1,Toy Story (1995),Adventure|Animation\n2,\"Matrix, The (1999)\",(no genres listed)\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(movies) != 2 || len(movies[0].Genres) != 2 || movies[1].Genres != nil || movies[1].Title != "Matrix, The (1999)" {
		t.Errorf("movies %+v", movies)
	}
	if _, err := ReadMovies(strings.NewReader("movieId,title,genres\n1,A (1990),\n1,B (1991),\n")); err == nil || !strings.Contains(err.Error(), "line 3: movieId 1 repeated") {
		t.Errorf("repeated id: %v", err)
	}
	tags, err := ReadTags(strings.NewReader("userId,movieId,tag,timestamp\n2,60756,funny,1445714994\n2,60756,,1445714995\n"))
	if err != nil || len(tags) != 1 || tags[0].Tag != "funny" {
		t.Errorf("tags %+v, %v", tags, err)
	}
}

func TestReadMovieLensDirNamesFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4,5\n")
	write("movies.csv", "movieId,title\n1,A (1990)\n")
	_, err := ReadMovieLensDir(dir)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "movies.csv")) || !strings.Contains(err.Error(), "genres") {
		t.Errorf("error %v, want one naming movies.csv and the missing column", err)
	}
	write("movies.csv", "movieId,title,genres\n1,A (1990),Drama\n")
	ml, err := ReadMovieLensDir(dir) // tags.csv is optional
	if err != nil || len(ml.Ratings) != 1 || len(ml.Tags) != 0 {
		t.Errorf("got %+v, %v", ml, err)
	}
}

func TestSplitTitleYearAndKey(t *testing.T) {
	tests := []struct {
		in    string
		title string
		year  int
		key   string
	}{
		{"Toy Story (1995)", "Toy Story", 1995, "toy story 1995"},
		{"Matrix, The (1999)", "The Matrix", 1999, "the matrix 1999"},
		{"Babe: Pig in the City (1998)", "Babe: Pig in the City", 1998, "babe pig in the city 1998"},
		{"Hyena Road", "Hyena Road", 0, "hyena road 0"},
		{"Schindler's List (1993)", "Schindler's List", 1993, "schindlers list 1993"},
	}
	for _, tt := range tests {
		title, year := SplitTitleYear(tt.in)
		if title != tt.title || year != tt.year || TitleKey(title, year) != tt.key {
			t.Errorf("%q: %q %d %q, want %q %d %q", tt.in, title, year, TitleKey(title, year), tt.title, tt.year, tt.key)
		}
	}
}

func TestReadNetflix(t *testing.T) {
	in := "show_id,type,title,director,release_year,listed_in,description\n" +
		"s1,Movie,Dick Johnson Is Dead,K,2020,Documentaries,\"As her father nears the end of his life, …\"\n" +
		"s2,TV Show,Blood & Water,,2021,\"International TV Shows, TV Dramas\",After crossing paths…\n"
	got, err := ReadNetflix(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].Type != "TV Show" || len(got[1].Genres) != 2 || got[0].ReleaseYear != 2020 {
		t.Errorf("got %+v", got)
	}
	_, err = ReadNetflix(strings.NewReader("type,title,release_year,listed_in,description\nMovie,X,soon,Drama,d\n"))
	if err == nil || !strings.Contains(err.Error(), `line 2: release_year "soon"`) {
		t.Errorf("bad year: %v", err)
	}
	if _, err := ReadNetflix(io.LimitReader(strings.NewReader("type,title\n"), 100)); err == nil {
		t.Error("missing columns: no error")
	}
}
