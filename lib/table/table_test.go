package table

import (
	"fmt"
	"strings"
	"testing"
)

func TestHTML(t *testing.T) {
	tests := []struct {
		name  string
		table Table
		want  []string
		not   []string
	}{
		{
			name:  "escapes and captions",
			table: Table{Caption: "A & B", Header: []string{"<k>"}, Rows: [][]string{{"<script>x</script>"}}},
			want:  []string{"<caption", "A &amp; B", "&lt;k&gt;", "&lt;script&gt;x&lt;/script&gt;"},
			not:   []string{"<script>", "text-align:right"},
		},
		{
			name:  "numbers right-aligned but the first column",
			table: Table{Header: []string{"Month", "Revenue"}, Rows: [][]string{{"1", "10"}}, AlignNumbers: true},
			want:  []string{`<td style="border:1px solid #bbb;padding:3px 8px;vertical-align:top;text-align:left">1</td>`, `text-align:right">10</td>`},
			not:   []string{"<caption"},
		},
		{
			name:  "bold rows",
			table: Table{Header: []string{"x"}, Rows: [][]string{{"a"}, {"total"}}, Bold: map[int]bool{1: true}},
			want:  []string{`text-align:left">a</td>`, `font-weight:bold">total</td>`},
		},
	}
	for _, tt := range tests {
		got := tt.table.HTML()
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: lacks %q in %s", tt.name, w, got)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(got, n) {
				t.Errorf("%s: contains %q in %s", tt.name, n, got)
			}
		}
	}
	if Numbers("c", []string{"a", "b"}, [][]string{{"x", "1"}}) != (Table{Caption: "c", Header: []string{"a", "b"}, Rows: [][]string{{"x", "1"}}, AlignNumbers: true}).HTML() {
		t.Error("Numbers differs from Table{AlignNumbers: true}")
	}
}

func ExampleNumbers() {
	html := Numbers("Unit economics", []string{"Stream", "ARPU"}, [][]string{{"Subscription", "12.50"}})
	fmt.Println(strings.Count(html, "<th style"), strings.Count(html, "<td style"), strings.Contains(html, ">12.50</td>"))
	// Output: 2 2 true
}
