package canvas

import (
	"fmt"
	"math"

	htmltable "github.com/founderlab/founderlab/lib/table"
)

// table renders a caption, a header and rows of formatted figures.
func table(caption string, header []string, rows [][]string) string {
	return htmltable.Numbers(caption, header, rows)
}

func pct(x float64) string {
	if math.IsNaN(x) {
		return "—"
	}
	return fmt.Sprintf("%.1f %%", 100*x)
}

func num(x float64, prec int) string {
	switch {
	case math.IsNaN(x):
		return "—"
	case math.IsInf(x, 1):
		return "∞"
	}
	return fmt.Sprintf("%.*f", prec, x)
}

// HTML renders the simulation every `every` months (and the last month):
// customers, revenue, costs, profit and the cumulative total, followed by
// the break-even months.
func (sim *Simulation) HTML(every int) string {
	every = max(every, 1)
	header := []string{"Month", "Customers", "Revenue", "Variable", "Acquisition", "Fixed", "Profit", "Cumulative"}
	var rows [][]string
	for i, mo := range sim.Months {
		if (i+1)%every != 0 && i != len(sim.Months)-1 && i != 0 {
			continue
		}
		cust := 0.0
		for _, c := range mo.Customers {
			cust += c
		}
		rows = append(rows, []string{fmt.Sprint(mo.Month), money(cust), money(mo.Revenue), money(mo.VariableCost),
			money(mo.AcquisitionCost), money(mo.FixedCost), money(mo.Profit), money(mo.Cumulative)})
	}
	be := func(m int) string {
		if m == 0 {
			return "not within the horizon"
		}
		return fmt.Sprintf("month %d", m)
	}
	return table(fmt.Sprintf("%s: monthly simulation", sim.Model.Name), header, rows) +
		fmt.Sprintf(`<div style="font-family:sans-serif;font-size:13px">Operating break-even: <b>%s</b>; cumulative break-even: <b>%s</b>; funding need (lowest cumulative): <b>%s</b></div>`,
			be(sim.BreakEven), be(sim.CumulativeBreakEven), money(-sim.MinCumulative))
}

// amount formats x with two decimals, or with thousands separators and
// none from 1000 on.
func amount(x float64) string {
	if !bad(x) && math.Abs(x) >= 1000 {
		return money(x)
	}
	return num(x, 2)
}

// UnitTable renders unit economics, one row each.
func UnitTable(us ...UnitEconomics) string {
	var rows [][]string
	for _, u := range us {
		rows = append(rows, []string{u.Name, amount(u.ARPU), pct(u.GrossMargin), pct(u.Churn), amount(u.CAC),
			amount(u.LTV), num(u.LTVToCAC, 2), num(u.CACPayback, 1)})
	}
	return table("Unit economics (monthly)", []string{"Stream", "ARPU", "Gross margin", "Churn", "CAC", "LTV", "LTV/CAC", "CAC payback (months)"}, rows)
}

// HTML renders the four price points and the range of acceptable prices.
func (r PSM) HTML() string {
	rows := [][]string{
		{"Point of marginal cheapness (PMC)", "too cheap ∩ not cheap", num(r.PMC, 2)},
		{"Optimal price point (OPP)", "too cheap ∩ too expensive", num(r.OPP, 2)},
		{"Indifference price point (IPP)", "cheap ∩ expensive", num(r.IPP, 2)},
		{"Point of marginal expensiveness (PME)", "too expensive ∩ not expensive", num(r.PME, 2)},
		{"Range of acceptable prices", "[PMC, PME]", fmt.Sprintf("%s – %s", num(r.PMC, 2), num(r.PME, 2))},
	}
	return table(fmt.Sprintf("Van Westendorp price sensitivity meter (%d answers, %d dropped as inconsistent)", r.Respondents, r.Dropped),
		[]string{"Price point", "Curves", "Price"}, rows)
}
