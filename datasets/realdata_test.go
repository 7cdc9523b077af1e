package datasets_test

// The tests in this file read the real data sets. They get them through
// testenv.RequireData: from $FOUNDERLAB_DATA, ../shared/datasets beside the
// checkout, or the user's cache (downloading them there when allowed), and
// are skipped, saying what is missing, when none has them. (An external test
// package: testenv imports datasets.)

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/founderlab/founderlab/datasets"
	"github.com/founderlab/founderlab/internal/testenv"
)

// TestRealFilesMatchCards checks every file of every card against its
// sha256.
func TestRealFilesMatchCards(t *testing.T) {
	var names []string
	for _, c := range datasets.Cards() {
		names = append(names, c.Name)
	}
	dir := testenv.RequireData(t, names...)
	s := &datasets.Store{Dir: dir, Offline: true}
	for _, c := range datasets.Cards() {
		for _, f := range c.Files {
			if _, err := s.Path(context.Background(), c.Name, f.Name); err != nil {
				t.Errorf("%s/%s: %v", c.Name, f.Name, err)
			}
		}
	}
}

// TestDownloadRealFile downloads the real wholesale file from a local
// server into an empty data directory: it is checked and put in place.
func TestDownloadRealFile(t *testing.T) {
	dir := testenv.RequireData(t, "wholesale")
	data, err := os.ReadFile(filepath.Join(dir, "wholesale", "wholesale_customers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(data) }))
	defer srv.Close()
	s := &datasets.Store{Dir: t.TempDir(), URL: func(string, datasets.File) string { return srv.URL + "/file.csv" }}
	p, err := s.Path(context.Background(), "wholesale", "wholesale_customers.csv")
	if err != nil {
		t.Fatal(err)
	}
	if p != filepath.Join(s.Dir, "wholesale", "wholesale_customers.csv") {
		t.Errorf("path %s, want it under %s", p, s.Dir)
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, data) {
		t.Fatal("downloaded bytes differ")
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Errorf("data set directory holds %d entries, want the one file", len(entries))
	}
}

func TestSymptom2DiseaseRealData(t *testing.T) {
	testenv.RequireData(t, "symptom2disease")
	cases, err := datasets.LoadSymptom2Disease(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 1200 {
		t.Fatalf("%d cases, want 1200", len(cases))
	}
	perDisease := map[string]int{}
	infectious := 0
	for _, c := range cases {
		perDisease[c.Disease]++
		infectious += c.Label()
	}
	if len(perDisease) != 24 {
		t.Errorf("%d diseases, want 24", len(perDisease))
	}
	for _, d := range datasets.SymptomInfectiousDiseases() {
		if perDisease[d] != 50 {
			t.Errorf("infectious disease %q has %d cases, want 50 (name mismatch?)", d, perDisease[d])
		}
	}
	if infectious != 9*50 {
		t.Errorf("%d infectious cases, want 450", infectious)
	}

	s, err := datasets.SplitSymptoms(cases, 42, 0.15, 0.15)
	if err != nil {
		t.Fatal(err)
	}
	// 1,153 distinct cases; about 15% each in dev and test, per disease.
	if n := len(s.Train) + len(s.Dev) + len(s.Test); n != 1153 {
		t.Errorf("split holds %d cases, want the 1153 distinct ones", n)
	}
	for _, part := range [][]datasets.SymptomCase{s.Dev, s.Test} {
		if len(part) < 160 || len(part) > 190 {
			t.Errorf("dev/test part has %d cases, want about 15%% of 1153", len(part))
		}
		pos := 0
		for _, c := range part {
			pos += c.Label()
		}
		if share := float64(pos) / float64(len(part)); share < 0.33 || share > 0.43 {
			t.Errorf("infectious share %.2f in a part, want close to 9/24 (stratified)", share)
		}
	}
	seen := map[string]string{}
	for name, part := range map[string][]datasets.SymptomCase{"train": s.Train, "dev": s.Dev, "test": s.Test} {
		for _, c := range part {
			key := c.Disease + "|" + c.Text
			if prev, ok := seen[key]; ok && prev != name {
				t.Fatalf("case %q in both %s and %s", key, prev, name)
			}
			seen[key] = name
		}
	}
	again, _ := datasets.SplitSymptoms(cases, 42, 0.15, 0.15)
	other, _ := datasets.SplitSymptoms(cases, 43, 0.15, 0.15)
	if fmt.Sprint(again) != fmt.Sprint(s) {
		t.Error("same seed gave a different split")
	}
	if fmt.Sprint(other.Test) == fmt.Sprint(s.Test) {
		t.Error("different seeds gave the same test set")
	}
	texts, labels := datasets.SymptomTextsLabels(s.Test)
	if len(texts) != len(s.Test) || labels[0] != s.Test[0].Label() {
		t.Error("SymptomTextsLabels does not follow the cases")
	}
}
