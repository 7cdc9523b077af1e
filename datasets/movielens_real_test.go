package datasets_test

import (
	"context"
	"testing"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/internal/testenv"
)

func TestLoadMovieLensReal(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 100,836 ratings")
	}
	testenv.RequireData(t, "movielens-small", "netflix")
	ctx := context.Background()
	ml, err := datasets.LoadMovieLens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ml.Ratings) != 100836 || len(ml.Movies) != 9742 || len(ml.Tags) != 3683 {
		t.Errorf("%d ratings, %d movies, %d tags; want 100836, 9742, 3683 (the card)", len(ml.Ratings), len(ml.Movies), len(ml.Tags))
	}
	users := map[int]bool{}
	for _, r := range ml.Ratings {
		users[r.User] = true
	}
	if len(users) != 610 {
		t.Errorf("%d users, want 610", len(users))
	}
	nf, err := datasets.LoadNetflix(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(nf) != 8807 {
		t.Errorf("%d Netflix titles, want 8807", len(nf))
	}
	keys := map[string]bool{}
	for _, x := range nf {
		if x.Type == "Movie" {
			keys[datasets.TitleKey(x.Title, x.ReleaseYear)] = true
		}
	}
	matched := 0
	for _, m := range ml.Movies {
		if keys[datasets.TitleKey(datasets.SplitTitleYear(m.Title))] {
			matched++
		}
	}
	// 856 on the pinned files (normalised title + year); a change of the
	// normalisation shows here.
	if matched < 800 || matched > 900 {
		t.Errorf("%d MovieLens movies matched a Netflix movie, want about 856", matched)
	}
}
