package canvas_test

import (
	"context"
	"fmt"

	"github.com/founderlab/founderlab/lib/canvas"
)

func ExampleSimulate() {
	m := &canvas.Model{Name: "robo-advisor", Months: 36,
		Streams: []canvas.Stream{{Name: "premium plan", Kind: canvas.Subscription, Segment: canvas.B2C,
			Price: 10, NewPerMonth: 100, Churn: 0.1, CAC: 50, VariableShare: 0.2, ServingCost: 1}},
		FixedCosts: []canvas.FixedCost{{Name: "team", Monthly: 1000}}}
	sim, err := canvas.Simulate(context.Background(), m)
	if err != nil {
		fmt.Println(err)
		return
	}
	u := m.Streams[0].Unit()
	fmt.Printf("break-even month %d\n", sim.BreakEven)
	fmt.Printf("LTV %.0f, LTV/CAC %.1f, CAC payback %.1f months\n", u.LTV, u.LTVToCAC, u.CACPayback)
	// Output:
	// break-even month 19
	// LTV 70, LTV/CAC 1.4, CAC payback 7.1 months
}

func ExampleVanWestendorp() {
	r, err := canvas.VanWestendorp([]canvas.PSMAnswer{
		{TooCheap: 10, Cheap: 20, Expensive: 30, TooExpensive: 50},
		{TooCheap: 15, Cheap: 25, Expensive: 40, TooExpensive: 60},
		{TooCheap: 20, Cheap: 30, Expensive: 45, TooExpensive: 70},
		{TooCheap: 25, Cheap: 40, Expensive: 60, TooExpensive: 90},
		{TooCheap: 60, Cheap: 70, Expensive: 80, TooExpensive: 120},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("PMC %.1f OPP %.1f IPP %.1f PME %.1f\n", r.PMC, r.OPP, r.IPP, r.PME)
	// Output: PMC 23.3 OPP 53.3 IPP 36.7 PME 56.7
}
