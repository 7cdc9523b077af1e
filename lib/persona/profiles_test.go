package persona

import (
	"encoding/csv"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var testSchema = Schema{Columns: []Column{
	{Name: "age", Kind: Numeric, Group: Demographic, Unit: "years"},
	{Name: "plan", Kind: Categorical, Group: Behavioural},
	{Name: "spend", Kind: Numeric, Group: Behavioural},
}}

func TestRead(t *testing.T) {
	in := "\ufeffage,plan,spend,,\n31,pro,120.5,,\n45, free ,0,,note\n\n22,pro,15,,\n"
	tab, err := Read(strings.NewReader(in), "t.csv", testSchema)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Len() != 3 {
		t.Fatalf("%d rows", tab.Len())
	}
	age, _ := tab.Numeric("age")
	codes, levels, _ := tab.Categorical("plan")
	if age[1] != 45 || strings.Join(levels, ",") != "pro,free" || codes[1] != 1 || codes[2] != 0 {
		t.Fatalf("age %v plan %v %v", age, codes, levels)
	}
	if got := tab.Names(Behavioural); strings.Join(got, ",") != "plan,spend" {
		t.Fatalf("behavioural columns %v", got)
	}
	if _, err := tab.Numeric("plan"); err == nil {
		t.Fatal("Numeric on a categorical column: no error")
	}
}

func TestReadErrorsNamePlace(t *testing.T) {
	fixed := Schema{Columns: []Column{{Name: "age", Kind: Numeric}, {Name: "plan", Kind: Categorical, Levels: []string{"free", "pro"}}}}
	// at is the place a *ParseError gives (File, Line, Column, Name), nil
	// for errors that are not about a place in the input.
	type at = ParseError
	for _, tc := range []struct {
		name, in string
		s        Schema
		want     string
		at       *at
	}{
		{"empty", "", testSchema, "t.csv: empty input", nil},
		{"header only", "age,plan,spend\n", testSchema, "no data rows", nil},
		{"missing column", "age,plan\n1,a\n", testSchema, `t.csv:1: header has no column "spend"`, &at{Line: 1}},
		{"extra column", "age,plan,spend,x\n1,a,2,3\n", testSchema, `t.csv:1:4: column "x" is not in the schema`, &at{Line: 1, Column: 4}},
		{"duplicate header", "age,age,plan,spend\n", testSchema, `t.csv:1:2: column "age" appears twice`, &at{Line: 1, Column: 2}},
		{"not a number", "age,plan,spend\n1,a,2\n3,b,x7\n", testSchema, `t.csv:3:5 (column "spend"): "x7" is not a number`, &at{Line: 3, Column: 5, Name: "spend"}},
		{"nan", "age,plan,spend\nNaN,a,2\n", testSchema, `t.csv:2:1 (column "age"): "NaN" is not a finite number`, &at{Line: 2, Column: 1, Name: "age"}},
		{"inf", "age,plan,spend\n1,a,+Inf\n", testSchema, `t.csv:2:5 (column "spend"): "+Inf" is not a finite number`, &at{Line: 2, Column: 5, Name: "spend"}},
		{"missing value", "age,plan,spend\n1,,2\n", testSchema, `t.csv:2:3 (column "plan"): missing value`, &at{Line: 2, Column: 3, Name: "plan"}},
		{"short row", "age,plan,spend\n1,a\n", testSchema, `t.csv:2 (column "spend"): missing field 3`, &at{Line: 2, Name: "spend"}},
		{"long row", "age,plan,spend\n1,a,2,3\n", testSchema, `t.csv:2: 4 fields, header has 3`, &at{Line: 2}},
		{"bad level", "age,plan\n1,gold\n", fixed, `t.csv:2:3 (column "plan"): "gold" is not one of the levels`, &at{Line: 2, Column: 3, Name: "plan"}},
		{"bad quote", "age,plan,spend\n1,\"a,2\n", testSchema, "t.csv:2:8: extraneous or missing", &at{Line: 2, Column: 8}},
		{"no schema", "a\n1\n", Schema{}, "schema has no columns", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.in), "t.csv", tc.s)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			var pe *ParseError
			if got := errors.As(err, &pe); got != (tc.at != nil) {
				t.Fatalf("errors.As(err, *ParseError) = %v for %v", got, err)
			}
			if pe != nil && (pe.File != "t.csv" || pe.Line != tc.at.Line || pe.Column != tc.at.Column || pe.Name != tc.at.Name) {
				t.Errorf("ParseError at %s:%d:%d (column %q), want t.csv:%d:%d (column %q)", pe.File, pe.Line, pe.Column, pe.Name, tc.at.Line, tc.at.Column, tc.at.Name)
			}
		})
	}
	// A malformed line keeps encoding/csv's error.
	_, err := Read(strings.NewReader("age,plan,spend\n1,\"a,2\n"), "t.csv", testSchema)
	if !errors.Is(err, csv.ErrQuote) && !errors.Is(err, csv.ErrBareQuote) {
		t.Errorf("bad quote: %v does not wrap encoding/csv's quote error", err)
	}
}

func TestLoadNamesFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(p, []byte("age,plan,spend\n1,a,zz\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(p, testSchema)
	if err == nil || !strings.Contains(err.Error(), "people.csv:2:") {
		t.Fatalf("error %v, want it to name people.csv:2", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "nope.csv"), testSchema); err == nil {
		t.Fatal("missing file: no error")
	}
}

func TestWholesaleProfiles(t *testing.T) {
	tab := wholesaleProfiles(t)
	if tab.Len() != 440 || len(tab.Columns) != 8 {
		t.Fatalf("%d rows, %d columns", tab.Len(), len(tab.Columns))
	}
	codes, levels, err := tab.Categorical("Channel")
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := tab.Numeric("Fresh")
	// First data row of the file: 2,3,12669,...
	if levels[codes[0]] != "Retail" || fresh[0] != 12669 {
		t.Fatalf("row 1: channel %s, fresh %v", levels[codes[0]], fresh[0])
	}
	n := map[string]int{}
	for _, c := range codes {
		n[levels[c]]++
	}
	if n["Horeca"] != 298 || n["Retail"] != 142 {
		t.Fatalf("channels %v, want 298 Horeca and 142 Retail (UCI documentation)", n)
	}
}

func TestEncoderRoundTrip(t *testing.T) {
	tab, err := Read(strings.NewReader("age,plan,spend\n20,free,0\n30,pro,100\n40,pro,1000\n50,team,10\n"), "t.csv", testSchema)
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range []Scaling{Standardize, MinMax, NoScaling} {
		enc, err := FitEncoder(tab, Prep{Log1p: []string{"spend"}, Scaling: sc, Scalings: map[string]Scaling{"age": MinMax}, CategoryWeight: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(enc.Names(), ","); got != "age,plan=free,plan=pro,plan=team,spend" {
			t.Fatalf("features %s", got)
		}
		X, err := enc.Transform(tab)
		if err != nil {
			t.Fatal(err)
		}
		if X.At(0, 0) != 0 || X.At(3, 0) != 1 { // age is min-max
			t.Fatalf("%v: age encoded %v..%v", sc, X.At(0, 0), X.At(3, 0))
		}
		if X.At(1, 2) != 0.5 || X.At(1, 1) != 0 { // one-hot with weight 0.5
			t.Fatalf("one-hot row 2: %v", X.Row(1))
		}
		if sc == Standardize {
			var m, v float64
			for i := 0; i < 4; i++ {
				m += X.At(i, 4) / 4
			}
			for i := 0; i < 4; i++ {
				v += (X.At(i, 4) - m) * (X.At(i, 4) - m) / 4
			}
			if math.Abs(m) > 1e-12 || math.Abs(v-1) > 1e-12 {
				t.Fatalf("standardised spend has mean %v variance %v", m, v)
			}
		}
		spend, _ := tab.Numeric("spend")
		for i := 0; i < 4; i++ {
			vals, err := enc.Inverse(X.Row(i))
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(vals[2].Number-spend[i]) > 1e-9*(1+spend[i]) || vals[0].Number != float64(20+10*i) {
				t.Fatalf("%v: row %d decodes to %+v", sc, i, vals)
			}
			want := []string{"free", "pro", "pro", "team"}[i]
			if vals[1].Mode != want || vals[1].Shares[codeOf(vals[1].Levels, want)] != 1 {
				t.Fatalf("%v: row %d plan decodes to %+v", sc, i, vals[1])
			}
		}
	}
}

func codeOf(levels []string, v string) int {
	for i, l := range levels {
		if l == v {
			return i
		}
	}
	return -1
}

func TestEncoderErrors(t *testing.T) {
	tab, err := Read(strings.NewReader("age,plan,spend\n20,free,5\n20,pro,-3\n"), "t.csv", testSchema)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		p    Prep
		want string
	}{
		{"constant standardise", Prep{Columns: []string{"age"}}, `column "age" is constant (every value is 20)`},
		{"constant min-max", Prep{Columns: []string{"age"}, Scaling: MinMax}, "cannot be min-max scaled"},
		{"log1p domain", Prep{Columns: []string{"spend"}, Log1p: []string{"spend"}}, "log1p of -3 is undefined"},
		{"log1p categorical", Prep{Log1p: []string{"plan"}}, `log1p column "plan" is categorical`},
		{"unknown column", Prep{Columns: []string{"height"}}, `column "height" is not in t.csv`},
		{"twice", Prep{Columns: []string{"spend", "spend"}}, "listed twice"},
		{"weight", Prep{Columns: []string{"plan"}, CategoryWeight: -1}, "CategoryWeight"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FitEncoder(tab, tc.p)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
	// Constant columns are fine without scaling.
	if _, err := FitEncoder(tab, Prep{Columns: []string{"age", "spend"}, Scaling: NoScaling}); err != nil {
		t.Fatal(err)
	}
	// An unseen level at transform time is an error naming row and column.
	enc, _ := FitEncoder(tab, Prep{Columns: []string{"plan"}})
	other, _ := Read(strings.NewReader("age,plan,spend\n1,team,1\n"), "u.csv", testSchema)
	if _, err := enc.Transform(other); err == nil || !strings.Contains(err.Error(), `row 1, column "plan": level "team"`) {
		t.Fatalf("unseen level: %v", err)
	}
}
