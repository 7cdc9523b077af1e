package swot_test

import (
	"fmt"
	"strings"

	"github.com/founderlab/founderlab/lib/charts"
	"github.com/founderlab/founderlab/lib/swot"
)

func ExampleScores_Feasibility() {
	a := &swot.Analysis{
		Subject:       "diagnosis platform",
		Strengths:     []swot.Factor{{Name: "labelled data", Weight: 2, Rating: 4}, {Name: "clinical advisors", Weight: 1, Rating: 1}},
		Weaknesses:    []swot.Factor{{Name: "no certification", Weight: 1, Rating: 2}},
		Opportunities: []swot.Factor{{Name: "telemedicine growth", Weight: 3, Rating: 5}, {Name: "grants", Weight: 1, Rating: 1}},
		Threats:       []swot.Factor{{Name: "regulation", Weight: 1, Rating: 3}},
	}
	s, err := a.Score()
	if err != nil {
		fmt.Println(err)
		return
	}
	f, _ := s.Feasibility()
	p, _ := s.AsPrinted()
	fmt.Printf("S=%.2f W=%.2f O=%.2f T=%.2f\n", s.S, s.W, s.O, s.T)
	fmt.Printf("corrected %.4f, as printed %.4f\n", f, p)
	// Output:
	// S=3.00 W=2.00 O=4.00 T=3.00
	// corrected 0.5833, as printed 0.3750
}

func ExampleIRR() {
	// Microsoft Excel's IRR documentation example.
	r, err := swot.IRR([]float64{-70000, 12000, 15000, 18000, 21000, 26000})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("IRR %.2f %%\n", 100*r)
	// Output: IRR 8.66 %
}

// A SWOT matrix from plain lists of factors.
func ExampleChart() {
	c := swot.Chart("Go notebooks for founders",
		[]string{"Deep domain expertise"}, []string{"No sales team"},
		[]string{"Growing AI tooling market"}, nil)
	js, err := charts.OptionJSON(c)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Title.Title)
	fmt.Println(strings.Contains(js, "No sales team"), strings.Contains(js, "(none)"))
	// Output:
	// Go notebooks for founders
	// true true
}
