package datasets_test

import (
	"context"
	"testing"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/internal/testenv"
)

// TestLoadBanking77 reads both real splits: 10,003 and 3,080 queries, 77
// intents each.
func TestLoadBanking77(t *testing.T) {
	if _, err := datasets.LoadBanking77(context.Background(), "dev"); err == nil {
		t.Error("split dev: no error")
	}
	t.Setenv(datasets.EnvDataDir, testenv.RequireData(t, "banking77"))
	t.Setenv("FOUNDERLAB_OFFLINE", "1")
	for split, n := range map[string]int{"train": 10003, "test": 3080} {
		qs, err := datasets.LoadBanking77(context.Background(), split)
		if err != nil {
			t.Fatal(err)
		}
		cats := map[string]bool{}
		for _, q := range qs {
			cats[q.Category] = true
		}
		if len(qs) != n || len(cats) != 77 {
			t.Errorf("%s: %d rows, %d categories; want %d and 77", split, len(qs), len(cats), n)
		}
	}
}
