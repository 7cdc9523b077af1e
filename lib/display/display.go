package display

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
)

// HTML shows html in the current notebook cell. Outside a notebook it
// prints html to standard output.
func HTML(html string) {
	if gonbui.IsNotebook {
		gonbui.DisplayHTML(html)
		return
	}
	writeText(os.Stdout, html)
}

// Markdownf formats its arguments as fmt.Sprintf does and shows the result
// as Markdown (with $…$ and $$…$$ for formulas) in the current notebook
// cell. Outside a notebook it prints the Markdown text to standard output.
// To show a string that may contain %, pass it as an argument:
// Markdownf("%s", text).
func Markdownf(format string, args ...any) {
	md := fmt.Sprintf(format, args...)
	if gonbui.IsNotebook {
		gonbui.DisplayMarkdown(md)
		return
	}
	writeText(os.Stdout, md)
}

// Markdown is the former name of [Markdownf], which it calls.
//
// Deprecated: use Markdownf, whose name says that its first argument is a
// format.
func Markdown(format string, args ...any) { Markdownf(format, args...) }

// ShowTable shows a Markdown table with the given header and rows,
// formatted by [MarkdownTable], in the current notebook cell. Outside a
// notebook it prints the Markdown text to standard output.
func ShowTable(header []string, rows [][]string) {
	Markdownf("%s", MarkdownTable(header, rows))
}

// Table is the former name of [ShowTable], which it calls.
//
// Deprecated: use ShowTable.
func Table(header []string, rows [][]string) { ShowTable(header, rows) }

// MarkdownTable renders a GitHub-flavoured Markdown table: a header row, a
// delimiter row and one line per row. Cells are used as given (format
// numbers before), except that | is escaped as \| and line breaks become
// spaces, so that no cell can break the table. Rows shorter than the header
// are padded with empty cells; cells beyond the header's width are dropped,
// as Markdown renderers do. With an empty header the table is empty ("").
func MarkdownTable(header []string, rows [][]string) string {
	if len(header) == 0 {
		return ""
	}
	var b strings.Builder
	writeRow(&b, header, len(header))
	b.WriteString("|")
	for range header {
		b.WriteString(" --- |")
	}
	b.WriteString("\n")
	for _, r := range rows {
		writeRow(&b, r, len(header))
	}
	return b.String()
}

// writeRow writes one table line of exactly n cells.
func writeRow(b *strings.Builder, cells []string, n int) {
	b.WriteString("|")
	for i := range n {
		c := ""
		if i < len(cells) {
			c = escapeCell(cells[i])
		}
		b.WriteString(" " + c + " |")
	}
	b.WriteString("\n")
}

var cellEscaper = strings.NewReplacer("|", `\|`, "\r\n", " ", "\n", " ", "\r", " ")

// escapeCell makes s safe inside one Markdown table cell.
func escapeCell(s string) string { return cellEscaper.Replace(s) }

// writeText prints s with a final newline (added only if s lacks one).
func writeText(w io.Writer, s string) {
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	io.WriteString(w, s)
}

// Must returns v, or panics with err when it is not nil. It is a notebook
// convenience: a panic stops the cell and shows the error.
//
//	tab := display.Must(persona.LoadWholesale(ctx))
func Must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// Check panics with err when it is not nil: [Must] for functions that
// return only an error.
//
//	display.Check(history.WriteFile("history.json"))
func Check(err error) {
	if err != nil {
		panic(err)
	}
}

// Must2 is [Must] for functions that return two values and an error.
//
//	codes, levels := display.Must2(tab.Categorical("Channel"))
func Must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(err)
	}
	return a, b
}
