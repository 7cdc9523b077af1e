package display

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/janpfeifer/gonb/gonbui"
)

func TestMarkdownTable(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		rows   [][]string
		want   string
	}{
		{"empty header", nil, [][]string{{"1"}}, ""},
		{"header only", []string{"K", "J"}, nil, "| K | J |\n| --- | --- |\n"},
		{"rows", []string{"K", "J"}, [][]string{{"2", "1803.4"}, {"3", "1491.7"}},
			"| K | J |\n| --- | --- |\n| 2 | 1803.4 |\n| 3 | 1491.7 |\n"},
		{"pipe escaped", []string{"a|b"}, [][]string{{"x | y"}}, "| a\\|b |\n| --- |\n| x \\| y |\n"},
		{"line breaks", []string{"text"}, [][]string{{"one\ntwo\r\nthree"}}, "| text |\n| --- |\n| one two three |\n"},
		{"short row padded", []string{"a", "b", "c"}, [][]string{{"1"}}, "| a | b | c |\n| --- | --- | --- |\n| 1 |  |  |\n"},
		{"long row cut", []string{"a"}, [][]string{{"1", "2"}}, "| a |\n| --- |\n| 1 |\n"},
		{"markup kept", []string{"name"}, [][]string{{"**bold** `code`"}}, "| name |\n| --- |\n| **bold** `code` |\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MarkdownTable(tt.header, tt.rows); got != tt.want {
				t.Errorf("MarkdownTable(%q, %q) =\n%q\nwant\n%q", tt.header, tt.rows, got, tt.want)
			}
		})
	}
}

// captureStdout returns what f prints to os.Stdout.
func captureStdout(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	defer func() { os.Stdout = old }()
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	f()
	w.Close()
	return <-done
}

func TestOutsideNotebookPrintsText(t *testing.T) {
	if gonbui.IsNotebook {
		t.Skip("running inside a GoNB cell")
	}
	tests := []struct {
		name string
		show func()
		want string
	}{
		{"html", func() { HTML("<b>hi</b>") }, "<b>hi</b>\n"},
		{"html with newline", func() { HTML("<p>a</p>\n") }, "<p>a</p>\n"},
		{"markdown formatted", func() { Markdownf("**%d** customers, %.1f %%", 440, 12.25) }, "**440** customers, 12.2 %\n"},
		{"markdown verbatim", func() { Markdownf("%s", "100% sure") }, "100% sure\n"},
		{"table", func() { ShowTable([]string{"col", "v"}, [][]string{{"a|b", "1"}}) }, "| col | v |\n| --- | --- |\n| a\\|b | 1 |\n"},
		{"deprecated Markdown", func() { Markdown("**%d** customers", 440) }, "**440** customers\n"},
		{"deprecated Table", func() { Table([]string{"col"}, [][]string{{"a"}}) }, "| col |\n| --- |\n| a |\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := captureStdout(t, tt.show); got != tt.want {
				t.Errorf("printed %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMust(t *testing.T) {
	if got := Must(42, nil); got != 42 {
		t.Errorf("Must(42, nil) = %d", got)
	}
	Check(nil)
	a, b := Must2("x", 1.5, nil)
	if a != "x" || b != 1.5 {
		t.Errorf("Must2 = %q, %v", a, b)
	}
	boom := errors.New("boom")
	tests := []struct {
		name string
		f    func()
	}{
		{"Must", func() { Must(0, boom) }},
		{"Must2", func() { Must2(0, "", boom) }},
		{"Check", func() { Check(boom) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				err, ok := r.(error)
				if !ok || !errors.Is(err, boom) {
					t.Errorf("%s panicked with %v, want %v", tt.name, r, boom)
				}
			}()
			tt.f()
		})
	}
}

func TestMarkdownTableColumnsAligned(t *testing.T) {
	// Every line of a table has as many cells as the header, however the
	// rows are shaped: count the unescaped separators.
	md := MarkdownTable([]string{"a", "b"}, [][]string{{"x|y"}, {"1", "2", "3"}, {}})
	for _, line := range strings.Split(strings.TrimSuffix(md, "\n"), "\n") {
		n := strings.Count(line, "|") - strings.Count(line, `\|`)
		if n != 3 {
			t.Errorf("line %q has %d separators, want 3", line, n)
		}
	}
}
