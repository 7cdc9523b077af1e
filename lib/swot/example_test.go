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
	in, _ := s.Seed(swot.Intended)
	p, _ := s.Seed(swot.Printed)
	fmt.Printf("S=%.2f W=%.2f O=%.2f T=%.2f\n", s.S, s.W, s.O, s.T)
	fmt.Printf("classic %.4f, intended %.4f, printed %.4f\n", f, in, p)
	// Output:
	// S=3.00 W=2.00 O=4.00 T=3.00
	// classic 0.5833, intended 0.5833, printed 0.5000
}

// The seed's six terms, read as printed and as intended.
func ExampleSeedTerms_Feasibility() {
	t := swot.SeedTerms{SPlus: 4, SMinus: 2, WPlus: 3, WMinus: 1, TPlus: 2, TMinus: 2}
	for _, r := range []swot.Reading{swot.Printed, swot.Intended} {
		f, err := t.Feasibility(r)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %.3f\n", r, f)
	}
	// Output:
	// printed: 0.571
	// intended: 0.643
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
