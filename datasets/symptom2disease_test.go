package datasets

import (
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

func TestSplitSymptomsBadFractions(t *testing.T) {
	for _, f := range [][2]float64{{-0.1, 0.1}, {0.5, 0.5}, {0.9, 0.2}} {
		if _, err := SplitSymptoms(nil, 1, f[0], f[1]); err == nil {
			t.Errorf("fractions %v: no error", f)
		}
	}
}
