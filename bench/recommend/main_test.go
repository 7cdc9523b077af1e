package main

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// writeMovieLens writes a seeded synthetic data set in the MovieLens
// layout: 60 users in 3 taste groups, 90 movies, ratings ≥ 3.5 on the
// group's movies and low ones elsewhere.
func writeMovieLens(t *testing.T, dir string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(5, 6))
	var ratings, movies strings.Builder
	ratings.WriteString("userId,movieId,rating,timestamp\n")
	movies.WriteString("movieId,title,genres\n")
	for m := range 90 {
		fmt.Fprintf(&movies, "%d,Movie %d (2000),Genre%d\n", m+1, m, m%3)
	}
	for u := range 60 {
		for n := range 25 {
			m := rng.IntN(30)*3 + u%3
			r := 4.5
			if rng.Float64() < 0.2 {
				m, r = rng.IntN(90), 2
			}
			fmt.Fprintf(&ratings, "%d,%d,%.1f,%d\n", u+1, m+1, r, 1000+n)
		}
	}
	for name, s := range map[string]string{"ratings.csv": ratings.String(), "movies.csv": movies.String(),
		"tags.csv": "userId,movieId,tag,timestamp\n1,1,fun,5\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBenchEndToEnd(t *testing.T) {
	dir := t.TempDir()
	writeMovieLens(t, dir)
	tests := []struct {
		name string
		args []string
	}{
		{"pop", []string{"-model", "pop"}},
		{"itemknn", []string{"-model", "itemknn"}},
		{"bpr", []string{"-model", "bpr"}},
		{"bpr-gomlx", []string{"-model", "bpr", "-engine", "gomlx", "-batch", "64"}},
		{"ease", []string{"-model", "ease"}},
		{"itemknn-versus-pop", []string{"-model", "itemknn", "-versus", "pop"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "bpr-gomlx" && testing.Short() {
				t.Skip("GoMLX")
			}
			var out bytes.Buffer
			split := filepath.Join(t.TempDir(), "split")
			err := run(append([]string{"-data", dir, "-k", "10", "-epochs", "20", "-workers", "1", "-write-split", split}, tt.args...), &out)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]float64{}
			for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
				f := strings.Fields(line)
				if len(f) != 2 {
					t.Fatalf("line %q: want a name and a number", line)
				}
				v, err := strconv.ParseFloat(f[1], 64)
				if err != nil {
					t.Fatalf("line %q: %v", line, err)
				}
				got[f[0]] = v
			}
			for _, name := range []string{"ndcg@10", "recall@10", "coverage@10", "cold_recall@10", "fit_s"} {
				if _, ok := got[name]; !ok {
					t.Errorf("no %s line in %q", name, out.String())
				}
			}
			if got["ndcg@10"] <= 0 || got["ndcg@10"] > 1 || got["recall@10"] <= 0 {
				t.Errorf("metrics %v: want ndcg and recall in (0, 1]", got)
			}
			if _, ok := got["versus_ndcg@10"]; ok {
				d := got["ndcg@10"] - got["versus_ndcg@10"]
				if math.Abs(got["ndcg@10_diff"]-d) > 2e-4 || got["ndcg@10_diff_lo"] > got["ndcg@10_diff"] || got["ndcg@10_diff_hi"] < got["ndcg@10_diff"] {
					t.Errorf("paired comparison %v: want the difference of the two NDCGs inside its interval", got)
				}
				if got["users_better"]+got["users_worse"] == 0 {
					t.Errorf("paired comparison %v: no user differs", got)
				}
			}
			for _, f := range []string{"train.csv", "test.csv", "items.csv"} {
				if _, err := os.Stat(filepath.Join(split, f)); err != nil {
					t.Errorf("split export: %v", err)
				}
			}
		})
	}
}

func TestBenchBadInput(t *testing.T) {
	tests := []struct {
		name, file, content, want string
	}{
		{"missing column", "ratings.csv", "userId,movieId,rating\n1,1,4\n", `ratings.csv: ratings: header`},
		{"bad number", "ratings.csv", "userId,movieId,rating,timestamp\n1,1,4,5\n1,x,4,5\n", `ratings.csv: ratings: line 3: movieId "x"`},
		{"bad movies", "movies.csv", "movieId,title,genres\n1,,Drama\n", `movies.csv: movies: line 2: empty title`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeMovieLens(t, dir)
			if err := os.WriteFile(filepath.Join(dir, tt.file), []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			err := run([]string{"-data", dir, "-model", "pop"}, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	for _, c := range []struct{ flag, value, want string }{
		{"-model", "svd", "unknown model"},
		{"-engine", "torch", "unknown engine"},
		{"-optimizer", "lbfgs", "-optimizer"},
		{"-ranker", "gbdt", "unknown ranker"},
		{"-versus", "svd", "-versus: recommend: unknown model"},
	} {
		if err := run([]string{"-data", t.TempDir(), c.flag, c.value}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s: %v, want an error containing %q", c.flag, c.value, err, c.want)
		}
	}
}

func TestPairedBootstrap(t *testing.T) {
	tests := []struct {
		name          string
		a, b          []float64
		mean, lo, hi  float64
		better, worse int
	}{
		// A constant difference has no spread.
		{"constant", []float64{0.3, 0.5, 0.2}, []float64{0.2, 0.4, 0.1}, 0.1, 0.1, 0.1, 3, 0},
		{"equal", []float64{0.3, 0.5}, []float64{0.3, 0.5}, 0, 0, 0, 0, 0},
		// Differences 1 and 0: a resample's mean is 0, 1/2 or 1 with
		// probabilities 1/4, 1/2, 1/4, so the 2.5th and 97.5th percentiles
		// are 0 and 1.
		{"two users", []float64{1, 0}, []float64{0, 0}, 0.5, 0, 1, 1, 0},
		{"worse", []float64{0, 0.2}, []float64{0.4, 0.2}, -0.2, -0.4, 0, 0, 1},
		{"no users", nil, nil, 0, 0, 0, 0, 0},
		{"length mismatch", []float64{1}, []float64{1, 2}, 0, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pairedBootstrap(tt.a, tt.b, 2000, 1)
			if math.Abs(p.mean-tt.mean) > 1e-12 || math.Abs(p.lo-tt.lo) > 1e-12 || math.Abs(p.hi-tt.hi) > 1e-12 ||
				p.better != tt.better || p.worse != tt.worse {
				t.Errorf("pairedBootstrap = %+v, want mean %g [%g, %g], better %d, worse %d",
					p, tt.mean, tt.lo, tt.hi, tt.better, tt.worse)
			}
		})
	}
}
