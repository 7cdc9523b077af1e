// Package display is the notebook convenience layer over GoNB's gonbui: a
// cell shows HTML, Markdown and Markdown tables with one call each, and
// unwraps (value, error) results with [Must] and [Must2].
//
// In a GoNB cell (gonbui.IsNotebook is true) [HTML], [Markdownf] and
// [ShowTable] send a display_data message to the notebook. The FounderLab kernel makes
// every cell that displays something wait for GoNB to receive its outputs
// before the program exits, so no gonbui.Sync call is needed after them.
//
// Outside a notebook (a plain program, a test, `go run`) the same calls
// print their text to standard output: HTML source as is, Markdown as is.
// Code written for a notebook therefore runs, and can be tested, anywhere.
//
// Charts are not displayed here: call charts.Show from
// github.com/founderlab/founderlab/lib/charts directly. The progress of
// fine-tuning (a bar and a live loss chart) is in the subpackage
// lib/display/training, kept apart so that cells that train nothing do not
// link GoMLX.
//
//	display.Markdownf("**%d customers**", n)
//	display.ShowTable([]string{"K", "J"}, [][]string{{"2", "1803.4"}, {"3", "1491.7"}})
//	cards := display.Must(persona.Describe(enc, X, m, persona.CardOptions{}))
//	display.HTML(cards.HTML())
//
// [Must] and [Must2] panic with the error: they are meant for notebook cells,
// where a panic stops the cell and shows the message. Library code returns
// errors instead.
package display
