// Package table renders small HTML tables for notebook cells: a caption, a
// header row and body rows of cells that the caller has already formatted
// (numbers with their units and precision). Every cell is HTML-escaped, and
// the styles are inline so that the table looks the same in JupyterLab,
// classic notebooks, exported HTML and code-host previews, which drop
// stylesheets.
package table

import (
	"fmt"
	"html"
	"strings"
)

const (
	tableStyle   = `border-collapse:collapse;font-family:sans-serif;font-size:13px;margin:4px 0`
	cellStyle    = `border:1px solid #bbb;padding:3px 8px;vertical-align:top`
	captionStyle = `text-align:left;font-weight:bold;padding:4px 0`
)

// Formatted is a table of cells that the caller has already formatted as
// text, rendered as HTML by [Formatted.HTML]. (display.MarkdownTable
// renders such cells as Markdown.)
type Formatted struct {
	// Caption is shown above the table; empty for none.
	Caption string
	// Header names the columns.
	Header []string
	// Rows holds the body cells, row by row.
	Rows [][]string
	// Bold lists body rows (by index) rendered in bold, such as totals.
	Bold map[int]bool
	// AlignNumbers right-aligns every column but the first, for tables of
	// figures; otherwise all cells are left-aligned.
	AlignNumbers bool
}

// Table is the former name of [Formatted].
//
// Deprecated: use Formatted.
type Table = Formatted

// HTML renders the table.
func (t Formatted) HTML() string {
	var b strings.Builder
	fmt.Fprintf(&b, "<table style=%q>", tableStyle)
	if t.Caption != "" {
		fmt.Fprintf(&b, "<caption style=%q>%s</caption>", captionStyle, html.EscapeString(t.Caption))
	}
	b.WriteString("<thead><tr>")
	for i, h := range t.Header {
		fmt.Fprintf(&b, "<th style=%q>%s</th>", t.style(i, false)+";background:#eee", html.EscapeString(h))
	}
	b.WriteString("</tr></thead><tbody>")
	for r, row := range t.Rows {
		b.WriteString("<tr>")
		for i, c := range row {
			fmt.Fprintf(&b, "<td style=%q>%s</td>", t.style(i, t.Bold[r]), html.EscapeString(c))
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>")
	return b.String()
}

func (t Formatted) style(col int, bold bool) string {
	s := cellStyle + ";text-align:left"
	if t.AlignNumbers && col > 0 {
		s = cellStyle + ";text-align:right"
	}
	if bold {
		s += ";font-weight:bold"
	}
	return s
}

// Numbers renders a table of figures (see [Formatted.AlignNumbers]).
func Numbers(caption string, header []string, rows [][]string) string {
	return Formatted{Caption: caption, Header: header, Rows: rows, AlignNumbers: true}.HTML()
}
