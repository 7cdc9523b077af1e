package charts

import (
	"strings"
	"testing"
)

func TestOptionJSON(t *testing.T) {
	s, err := OptionJSON(Bar("Sales", []string{"a", "b"}, Col("units", []int{3, 5})))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"text":"Sales"`, `"name":"units"`, `"type":"bar"`} {
		if !strings.Contains(s, want) {
			t.Errorf("option lacks %s: %s", want, s)
		}
	}
}
