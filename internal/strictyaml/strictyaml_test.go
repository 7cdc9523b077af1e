package strictyaml

import (
	"errors"
	"strings"
	"testing"
)

type arm struct {
	Name     string `yaml:"name"`
	Visitors int    `yaml:"visitors"`
}

type base struct {
	Months uint8 `yaml:"months"`
}

type plan struct {
	base   `yaml:",inline"`
	Arms   []arm          `yaml:"arms"`
	Counts map[string]int `yaml:"counts"`
	Rate   float64        `yaml:"rate"`
	Target *int           `yaml:"target"`
	Grid   [2][]int       `yaml:"grid"`
	Plain  int
	Hidden int `yaml:"-"`
}

func TestDecode(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     string // substring of the error; "" for success
		line     int    // line of a *Error, 0 for none
		path     string
	}{
		{"valid", "months: 3\narms:\n  - name: a\n    visitors: 100\ncounts: {x: 1}\nrate: 0.5\ntarget: 4\nplain: 2\n", "", 0, ""},
		{"null integer", "target: null\nmonths: ~\n", "", 0, ""},
		{"trailing empty document", "months: 3\n---\n", "", 0, ""},
		{"float into float field", "rate: 1e3\n", "", 0, ""},
		{"fraction in slice of structs", "arms:\n  - name: a\n    visitors: 100.5\n", "line 3: arms[0].visitors: 100.5 is not a whole number", 3, "arms[0].visitors"},
		{"exponent", "target: 1e1\n", "target: 1e1 is not a whole number", 1, "target"},
		{"inline field", "rate: 1\nmonths: 2.5\n", "line 2: months: 2.5 is not a whole number", 2, "months"},
		{"map value", "counts:\n  a: 1\n  b: 2.0\n", "line 3: counts.b: 2.0 is not a whole number", 3, "counts.b"},
		{"array of slices", "grid: [[1], [2, 3.5]]\n", "grid[1][1]: 3.5 is not a whole number", 1, "grid[1][1]"},
		{"untagged field", "plain: 0.5\n", "plain: 0.5 is not a whole number", 1, "plain"},
		{"alias", "x: &v 7.5\ntarget: *v\n", "field x not found", 0, ""},
		{"alias into integer", "arms:\n  - &a {name: a, visitors: 1.5}\n  - *a\n", "arms[0].visitors: 1.5 is not a whole number", 2, "arms[0].visitors"},
		{"unknown field", "months: 3\nmonth: 4\n", "line 2: field month not found", 0, ""},
		{"second document", "months: 3\n---\nmonths: 4\n", "line 2: a second YAML document (a file holds one)", 2, ""},
		{"broken second document", "months: 3\n---\n[\n", "after the first document", 0, ""},
		{"syntax error", "months: [3\n", "yaml:", 0, ""},
		{"empty", "", "empty document", 0, ""},
		{"comments only", "# nothing\n", "empty document", 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var p plan
			root, err := Decode([]byte(c.in), &p)
			if c.want == "" {
				if err != nil || root == nil {
					t.Fatalf("Decode: %v (root %v), want success", err, root)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Decode error %v, want one containing %q", err, c.want)
			}
			var e *Error
			if got := errors.As(err, &e); got != (c.line > 0) {
				t.Fatalf("errors.As(*Error) = %v for %v", got, err)
			}
			if e != nil && (e.Line != c.line || e.Path != c.path) {
				t.Errorf("line %d, path %q; want %d, %q", e.Line, e.Path, c.line, c.path)
			}
		})
	}
}

func TestDecodeEmptyIsErrEmpty(t *testing.T) {
	var p plan
	if _, err := Decode(nil, &p); !errors.Is(err, ErrEmpty) {
		t.Fatalf("Decode(nil) = %v, want ErrEmpty", err)
	}
}

func TestDecodeValues(t *testing.T) {
	var p plan
	root, err := Decode([]byte("months: 3\narms:\n  - name: a\n    visitors: 100\ntarget: 4\n"), &p)
	if err != nil {
		t.Fatal(err)
	}
	if p.Months != 3 || len(p.Arms) != 1 || p.Arms[0].Visitors != 100 || p.Target == nil || *p.Target != 4 {
		t.Fatalf("decoded %+v", p)
	}
	if len(root.Content) != 1 || root.Content[0].Content[2].Value != "arms" || root.Content[0].Content[2].Line != 2 {
		t.Fatalf("root does not hold the document's nodes with their lines")
	}
}
