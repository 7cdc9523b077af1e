package datasets

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestReadSymptom2Disease(t *testing.T) {
	const data = ",label,text\n0,Psoriasis,\"I have a rash, red and itchy.\"\n1,Typhoid,\"High fever for days.\"\n"
	cases, err := ReadSymptom2Disease(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	want := []SymptomCase{{"Psoriasis", "I have a rash, red and itchy."}, {"Typhoid", "High fever for days."}}
	if fmt.Sprint(cases) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v", cases, want)
	}
	if cases[0].Label() != 0 || cases[1].Label() != 1 {
		t.Errorf("labels %d %d, want 0 1", cases[0].Label(), cases[1].Label())
	}
	for _, bad := range []string{
		"a,b\n1,2\n",                // no label/text columns
		",label,text\n0,Acne,\n",    // empty text
		",label,text\n",             // no rows
		",label,text\n0,\"Acne,x\n", // broken quote
	} {
		if _, err := ReadSymptom2Disease(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestSymptom2DiseaseRealData(t *testing.T) {
	t.Setenv(EnvOffline, "1")
	cases, err := LoadSymptom2Disease(context.Background())
	if err != nil {
		t.Skipf("data not available: %v", err)
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
	for _, d := range SymptomInfectiousDiseases() {
		if perDisease[d] != 50 {
			t.Errorf("infectious disease %q has %d cases, want 50 (name mismatch?)", d, perDisease[d])
		}
	}
	if infectious != 9*50 {
		t.Errorf("%d infectious cases, want 450", infectious)
	}

	s, err := SplitSymptoms(cases, 42, 0.15, 0.15)
	if err != nil {
		t.Fatal(err)
	}
	// 1,153 distinct cases; about 15% each in dev and test, per disease.
	if n := len(s.Train) + len(s.Dev) + len(s.Test); n != 1153 {
		t.Errorf("split holds %d cases, want the 1153 distinct ones", n)
	}
	for _, part := range [][]SymptomCase{s.Dev, s.Test} {
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
	for name, part := range map[string][]SymptomCase{"train": s.Train, "dev": s.Dev, "test": s.Test} {
		for _, c := range part {
			key := c.Disease + "|" + c.Text
			if prev, ok := seen[key]; ok && prev != name {
				t.Fatalf("case %q in both %s and %s", key, prev, name)
			}
			seen[key] = name
		}
	}
	again, _ := SplitSymptoms(cases, 42, 0.15, 0.15)
	other, _ := SplitSymptoms(cases, 43, 0.15, 0.15)
	if fmt.Sprint(again) != fmt.Sprint(s) {
		t.Error("same seed gave a different split")
	}
	if fmt.Sprint(other.Test) == fmt.Sprint(s.Test) {
		t.Error("different seeds gave the same test set")
	}
	texts, labels := SymptomTextsLabels(s.Test)
	if len(texts) != len(s.Test) || labels[0] != s.Test[0].Label() {
		t.Error("SymptomTextsLabels does not follow the cases")
	}
}

func TestSplitSymptomsBadFractions(t *testing.T) {
	for _, f := range [][2]float64{{-0.1, 0.1}, {0.5, 0.5}, {0.9, 0.2}} {
		if _, err := SplitSymptoms(nil, 1, f[0], f[1]); err == nil {
			t.Errorf("fractions %v: no error", f)
		}
	}
}
