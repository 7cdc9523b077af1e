package datasets_test

import (
	"context"
	"testing"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/internal/testenv"
)

// TestLoadFinSentiment reads both real splits: 9,543 and 2,388 tweets, all
// three labels in each.
func TestLoadFinSentiment(t *testing.T) {
	if _, err := datasets.LoadFinSentiment(context.Background(), "test"); err == nil {
		t.Error("split test: no error")
	}
	t.Setenv(datasets.EnvDataDir, testenv.RequireData(t, "fin-sentiment"))
	t.Setenv("FOUNDERLAB_OFFLINE", "1")
	for split, n := range map[string]int{"train": 9543, "valid": 2388} {
		ts, err := datasets.LoadFinSentiment(context.Background(), split)
		if err != nil {
			t.Fatal(err)
		}
		count := map[datasets.FinLabel]int{}
		for _, tw := range ts {
			count[tw.Label]++
		}
		if len(ts) != n || len(count) != 3 {
			t.Errorf("%s: %d rows, labels %v; want %d rows and 3 labels", split, len(ts), count, n)
		}
		t.Logf("%s: %v", split, count)
	}
}
