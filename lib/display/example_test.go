package display_test

import (
	"fmt"
	"strconv"

	"github.com/founderlab/founderlab/lib/display"
)

// Outside a notebook the calls print their text, so a cell's code can run
// as a plain program.
func Example() {
	spend := map[string]float64{"Fresh": 8504, "Milk": 3627}
	display.Markdownf("**%d** spending columns:", len(spend))
	display.ShowTable([]string{"column", "median (m.u.)"}, [][]string{
		{"Fresh", fmt.Sprintf("%.0f", spend["Fresh"])},
		{"Milk", fmt.Sprintf("%.0f", spend["Milk"])},
	})
	n := display.Must(strconv.Atoi("440"))
	display.HTML(fmt.Sprintf("<p>%d customers</p>", n))
	// Output:
	// **2** spending columns:
	// | column | median (m.u.) |
	// | --- | --- |
	// | Fresh | 8504 |
	// | Milk | 3627 |
	// <p>440 customers</p>
}

func ExampleMarkdownTable() {
	fmt.Print(display.MarkdownTable([]string{"stream", "model"}, [][]string{{"advice", "subscription | tiered"}}))
	// Output:
	// | stream | model |
	// | --- | --- |
	// | advice | subscription \| tiered |
}
