package table

import (
	"fmt"
	"strings"
	"testing"
)

func TestHTML(t *testing.T) {
	tests := []struct {
		name  string
		table Formatted
		want  []string
		not   []string
	}{
		{
			name:  "escapes and captions",
			table: Formatted{Caption: "A & B", Header: []string{"<k>"}, Rows: [][]string{{"<script>x</script>"}}},
			want:  []string{"<caption", "A &amp; B", "&lt;k&gt;", "&lt;script&gt;x&lt;/script&gt;"},
			not:   []string{"<script>", "text-align:right"},
		},
		{
			name:  "numbers right-aligned but the first column",
			table: Formatted{Header: []string{"Month", "Revenue"}, Rows: [][]string{{"1", "10"}}, AlignNumbers: true},
			want:  []string{`<td style="border:1px solid #bbb;padding:3px 8px;vertical-align:top;text-align:left">1</td>`, `text-align:right">10</td>`},
			not:   []string{"<caption"},
		},
		{
			name:  "bold rows",
			table: Formatted{Header: []string{"x"}, Rows: [][]string{{"a"}, {"total"}}, Bold: map[int]bool{1: true}},
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
}

func TestNumbers(t *testing.T) {
	got := Numbers("c", []string{"a", "b"}, [][]string{{"x", "1"}})
	want := `<table style="border-collapse:collapse;font-family:sans-serif;font-size:13px;margin:4px 0">` +
		`<caption style="text-align:left;font-weight:bold;padding:4px 0">c</caption>` +
		`<thead><tr>` +
		`<th style="border:1px solid #bbb;padding:3px 8px;vertical-align:top;text-align:left;background:#eee">a</th>` +
		`<th style="border:1px solid #bbb;padding:3px 8px;vertical-align:top;text-align:right;background:#eee">b</th>` +
		`</tr></thead><tbody><tr>` +
		`<td style="border:1px solid #bbb;padding:3px 8px;vertical-align:top;text-align:left">x</td>` +
		`<td style="border:1px solid #bbb;padding:3px 8px;vertical-align:top;text-align:right">1</td>` +
		`</tr></tbody></table>`
	if got != want {
		t.Errorf("Numbers =\n%s\nwant\n%s", got, want)
	}
}

func ExampleNumbers() {
	html := Numbers("Unit economics", []string{"Stream", "ARPU"}, [][]string{{"Subscription", "12.50"}})
	fmt.Println(strings.Count(html, "<th style"), strings.Count(html, "<td style"), strings.Contains(html, ">12.50</td>"))
	// Output: 2 2 true
}
